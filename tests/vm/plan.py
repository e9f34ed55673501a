#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Turns tests/vm/tests.list into the VM's plan, from what CTest knows.

  plan.py BUILD_DIR TESTS_LIST PLAN_SH FILES

Each line of TESTS_LIST is a CTest test name, or "label:LABEL" for every
test with that label (so the data-path tests the build has today are
run, whatever their names), optionally followed by VAR=VALUE words set
in the test's environment. The commands come from
`ctest --show-only=json-v1`, unchanged: the initramfs holds the build and
source trees' files at the same absolute paths. PLAN_SH gets one
"vm_run NAME TIMEOUT DIR CMD..." line per test; FILES the files the
commands name (executables, scripts), one per line.
"""
import json
import os
import shlex
import subprocess
import sys


def main():
    build, listing, plan_sh, files = sys.argv[1:5]
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build,
                         check=True, capture_output=True, text=True).stdout
    tests = json.loads(out)["tests"]
    wanted = []
    for line in open(listing):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        line, *env = line.split()
        if line.startswith("label:"):
            label = line[len("label:"):]
            hits = [t for t in tests if label in props(t).get("LABELS", [])]
        else:
            hits = [t for t in tests if t["name"] == line]
        if not hits:
            sys.exit("plan.py: %s: no such CTest test in %s" % (line, build))
        wanted += [(t, env) for t in hits if (t, env) not in wanted]
    paths = set()
    with open(plan_sh, "w") as f:
        for t, env in wanted:
            p = props(t)
            cmd = t["command"]
            if env:
                cmd = ["env"] + env + cmd
            # TCG runs 10-50 times slower than the host: the CTest limit
            # times 5, 1500 s at most without one.
            limit = int(p.get("TIMEOUT", 300) * 5)
            wd = p.get("WORKING_DIRECTORY", build)
            # A test listed twice with other settings: told apart.
            name = "+".join([t["name"]] + env)
            f.write("vm_run %s %d %s %s\n" % (
                shlex.quote(name), limit, shlex.quote(wd),
                " ".join(shlex.quote(c) for c in cmd)))
            paths.update(c for c in cmd if os.path.isfile(c))
            paths.add(wd + "/")
    with open(files, "w") as f:
        f.write("".join(p + "\n" for p in sorted(paths)))


def props(t):
    return {p["name"]: p["value"] for p in t.get("properties", [])}


if __name__ == "__main__":
    main()
