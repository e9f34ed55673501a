// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The ifstat binary against a unix socket that the test serves itself,
 * one recorded line at a time: no daemon, lines cut across writes,
 * tables one after the other, a line that does not parse, the daemon
 * closing, a line beyond the cap, --filter, SIGINT/SIGTERM, a terminal,
 * and the command line. The daemon itself is the e2e tests' business.
 */
#define _GNU_SOURCE /* posix_openpt and friends */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lines.h"
#include "render.h"
#include "report.h"
#include "select.h"

#define HEAD(time, epoch)                                                      \
	"{\"version\":2,\"interval_ms\":500,\"time_ms\":" #time                \
	",\"epoch\":" #epoch ",\"size_edges\":[64,127,255,511,1023,1512],"     \
	"\"interfaces\":[{\"interface\":\"eth0\",\"direction\":\"ingress\","   \
	"\"hook\":\"xdp\",\"mode\":\"native\",\"present\":true,"
#define TOTALS(p, b)                                                           \
	"\"totals\":{\"packets\":" #p ",\"bytes\":" #b ",\"unmatched\":1,"     \
	"\"non_ip\":0,\"malformed\":0},"
#define FILTER(i, name, match, p, b, sizes)                                    \
	"{\"index\":" #i ",\"name\":\"" name "\",\"match\":\"" match           \
	"\",\"packets\":" #p ",\"bytes\":" #b ",\"sizes\":[" sizes "]}"

/* Recorded as ifstatd writes them: two snapshots half a second apart. */
// clang-format off
static const char line1[] = HEAD(1735732800500, 3) TOTALS(10, 1000)
	"\"filters\":["
	FILTER(0, "ssh", "tcp src 192.0.2.0/24 src port 22", 9, 900, "9,0,0,0,0,0,0") ","
	FILTER(1, "dns", "udp port 53", 0, 0, "0,0,0,0,0,0,0") "]}]}";
static const char line2[] = HEAD(1735732801000, 3) TOTALS(2010, 201000)
	"\"filters\":["
	FILTER(0, "ssh", "tcp src 192.0.2.0/24 src port 22", 1009, 100900, "1009,0,0,0,0,0,0") ","
	FILTER(1, "dns", "udp port 53", 1000, 100000, "0,1000,0,0,0,0,0") "]}]}";
// clang-format on

static char dir[32], sock[64], outp[64], errp[64];
static pid_t server = -1;

struct result {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
};

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ifstat-cli-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(sock, sizeof(sock), "%s/ifstatd.sock", dir);
	snprintf(outp, sizeof(outp), "%s/out", dir);
	snprintf(errp, sizeof(errp), "%s/err", dir);
	setenv("TZ", "UTC", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
		server = -1;
	}
	unlink(sock);
	unlink(outp);
	unlink(errp);
	rmdir(dir);
	return 0;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Serves one client: writes each piece with a pause between, then
 * closes (close_after) or waits until the client goes away.
 */
static void serve(const char *const *pieces, bool close_after)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s, c;
	char b;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 1), 0);
	server = fork();
	assert_true(server >= 0);
	if (server) {
		close(s);
		return;
	}
	signal(SIGPIPE, SIG_IGN);
	c = accept(s, NULL, NULL);
	for (; *pieces; pieces++) {
		if (write(c, *pieces, strlen(*pieces)) < 0)
			_exit(1);
		pause_ms(30);
	}
	if (!close_after)
		while (read(c, &b, 1) > 0)
			;
	_exit(0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 4 << 20);
	size_t n;

	assert_non_null(f);
	n = fread(s, 1, (4 << 20) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static pid_t start(char *const *args, int out_fd)
{
	char *argv[IFSTAT_MAX_FILTERS * 2 + 8] = { IFSTAT_CLIENT };
	pid_t pid;
	int i, fd;

	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	pid = fork();
	assert_true(pid >= 0);
	if (pid)
		return pid;
	fd = out_fd >= 0 ? out_fd
			 : open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	execv(IFSTAT_CLIENT, argv);
	_exit(127);
}

/* Waits at most 10 s; a hang is a failure, not a stuck test run. */
static int finish(pid_t pid)
{
	int status, i;

	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		pause_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("ifstat did not exit within 10 s");
	return -1;
}

static struct result run(char *const *args)
{
	struct result r;

	r.status = finish(start(args, -1));
	r.out = slurp(outp);
	r.err = slurp(errp);
	return r;
}

static void free_result(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* What render gives for these lines: the glue is tested here, the table
 * itself in test_client_render. */
static char *table(const char *cur, const char *prev)
{
	static struct ifstat_report rc, rp;
	struct ifstat_select all = { 0 };
	struct ifstat_buf b;
	char err[128];

	assert_int_equal(ifstat_report_parse(cur, &rc, err, sizeof(err)), 0);
	if (prev)
		assert_int_equal(
			ifstat_report_parse(prev, &rp, err, sizeof(err)), 0);
	ifstat_buf_init(&b);
	ifstat_render_table(&b, &rc, prev ? &rp : NULL, &all);
	assert_int_equal(b.err, 0);
	return b.data;
}

static void test_no_daemon(void **state)
{
	char *args[] = { "-s", sock, "--once", NULL };
	struct result r;
	char want[256];

	(void)state;
	r = run(args);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	snprintf(want, sizeof(want),
		 "ifstat: cannot connect to %s: No such file or directory (is "
		 "ifstatd running?)\n",
		 sock);
	assert_string_equal(r.err, want);
	free_result(&r);
}

/* Served pieces, the client with args prints line1 whole and exits 0. */
static void prints_line1(const char *const *pieces, char **args)
{
	struct result r;

	serve(pieces, false);
	r = run(args);
	assert_int_equal(r.status, 0);
	assert_int_equal(strlen(r.out), strlen(line1) + 1);
	assert_memory_equal(r.out, line1, strlen(line1));
	assert_string_equal(r.err, "");
	free_result(&r);
}

/* The line in three pieces, cut inside a name and inside a number. */
static void test_json_once_cut(void **state)
{
	static char a[40], b[200];
	const char *pieces[] = { a, b, line1 + 39 + 199, "\n", NULL };
	char *args[] = { "-s", sock, "--json", "--once", NULL };

	(void)state;
	memcpy(a, line1, 39);
	memcpy(b, line1 + 39, 199);
	prints_line1(pieces, args);
}

/* Piped: a table per snapshot, a blank line between; then EOF. */
static void test_tables_then_closed(void **state)
{
	const char *pieces[] = { line1, "\n", line2, "\n", NULL };
	char *args[] = { "-s", sock, NULL };
	char *t1 = table(line1, NULL), *t2 = table(line2, line1), *want;
	struct result r;

	(void)state;
	serve(pieces, true);
	r = run(args);
	assert_int_equal(r.status, 1);
	assert_true(asprintf(&want, "%s\n%s", t1, t2) > 0);
	assert_string_equal(r.out, want);
	/* The second table has rates: 2000 packets in 0.5 s. */
	assert_non_null(strstr(r.out, "4.0 kpps"));
	assert_string_equal(r.err, "ifstat: ifstatd closed the connection\n");
	free(want);
	free(t1);
	free(t2);
	free_result(&r);
}

/* A line that does not parse is said and skipped. */
static void test_bad_line_skipped(void **state)
{
	const char *pieces[] = { "garbage\n", "{\"version\":1}\n", line1, "\n",
				 NULL };
	char *args[] = { "-s", sock, "--once", NULL };
	char *t1 = table(line1, NULL);
	struct result r;

	(void)state;
	serve(pieces, false);
	r = run(args);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, t1);
	assert_string_equal(r.err, "ifstat: skipping a snapshot: not JSON: "
				   "unexpected "
				   "character at offset 0\n"
				   "ifstat: skipping a snapshot: schema "
				   "version 1 (an older ifstatd), this ifstat "
				   "reads version 2\n");
	free(t1);
	free_result(&r);
}

static void test_closed_before_a_line(void **state)
{
	const char *pieces[] = { "{\"version\":2,", NULL };
	char *args[] = { "-s", sock, "--json", NULL };
	struct result r;

	(void)state;
	serve(pieces, true);
	r = run(args);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "ifstat: ifstatd closed the connection\n");
	free_result(&r);
}

static void test_line_too_long(void **state)
{
	char *big = malloc(IFSTAT_LINE_MAX + 2);
	const char *pieces[] = { big, NULL };
	char *args[] = { "-s", sock, NULL };
	struct result r;
	char want[160];

	(void)state;
	memset(big, ' ', IFSTAT_LINE_MAX + 1);
	big[IFSTAT_LINE_MAX + 1] = '\0';
	serve(pieces, false);
	r = run(args);
	assert_int_equal(r.status, 1);
	snprintf(want, sizeof(want),
		 "ifstat: a line from %s is longer than 1048576 bytes\n", sock);
	assert_string_equal(r.err, want);
	free(big);
	free_result(&r);
}

static void test_filter_unknown(void **state)
{
	const char *pieces[] = { line1, "\n", NULL };
	char *args[] = { "-s", sock, "--filter", "web", "--filter", "x", NULL };
	struct result r;

	(void)state;
	serve(pieces, false);
	r = run(args);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "ifstat: no filter named 'web', 'x' "
				   "(known: ssh, dns)\n");
	free_result(&r);
}

/* One known name: a warning for the other, that filter alone. */
static void test_filter_json(void **state)
{
	const char *pieces[] = { line1, "\n", NULL };
	char *args[] = { "-s",	sock,	    "--json", "--once", "--filter",
			 "web", "--filter", "ssh",    NULL };
	struct result r;

	(void)state;
	serve(pieces, false);
	r = run(args);
	assert_int_equal(r.status, 0);
	assert_string_equal(
		r.out,
		HEAD(1735732800500, 3) TOTALS(10, 1000) "\"filters\":[" FILTER(
			0, "ssh", "tcp src 192.0.2.0/24 src port 22", 9, 900,
			"9,0,0,0,0,0,0") "]}]}\n");
	assert_string_equal(r.err, "ifstat: no filter named 'web' (known: "
				   "ssh, dns)\n");
	free_result(&r);
}

/* --interface and --direction: what is not there is an error naming
 * what is (the first snapshot decides). */
static void absent(char *what, char *name, const char *want)
{
	const char *pieces[] = { line1, "\n", NULL };
	char *args[] = { "-s", sock, "--once", what, name, NULL };
	struct result r;

	serve(pieces, false);
	r = run(args);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, want);
	free_result(&r);
}

static void test_direction_absent(void **state)
{
	(void)state;
	absent("--direction", "egress",
	       "ifstat: nothing counted egress (known: eth0 ingress)\n");
}

static void test_interface_absent(void **state)
{
	(void)state;
	absent("--interface", "eth1",
	       "ifstat: no interface named 'eth1' (known: eth0)\n");
}

/* --json prints the line whole whatever they select. */
static void test_entry_selectors_json(void **state)
{
	const char *pieces[] = { line1, "\n", NULL };
	char *args[] = { "-s",		sock,	       "--json",
			 "--once",	"--interface", "eth0",
			 "--direction", "ingress",     NULL };

	(void)state;
	prints_line1(pieces, args);
}

/* Waits until the client printed something, then signals it. */
static void stopped_by(int sig)
{
	const char *pieces[] = { line1, "\n", NULL };
	char *args[] = { "-s", sock, NULL };
	struct stat st;
	char *err;
	pid_t pid;
	int i, status;

	serve(pieces, false);
	pid = start(args, -1);
	for (i = 0; i < 500 && (stat(outp, &st) || !st.st_size); i++)
		pause_ms(10);
	assert_true(st.st_size > 0);
	kill(pid, sig);
	status = finish(pid);
	assert_int_equal(status, 0);
	err = slurp(errp);
	assert_string_equal(err, "");
	free(err);
}

static void test_sigint(void **state)
{
	(void)state;
	stopped_by(SIGINT);
}

static void test_sigterm(void **state)
{
	(void)state;
	stopped_by(SIGTERM);
}

/* On a terminal each table starts by homing the cursor and clearing. */
static void test_terminal(void **state)
{
	const char *pieces[] = { line1, "\n", NULL };
	char *args[] = { "-s", sock, "--once", NULL };
	char buf[8192];
	size_t n = 0;
	ssize_t k;
	int m, s;

	(void)state;
	m = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	assert_true(s >= 0);
	serve(pieces, false);
	assert_int_equal(finish(start(args, s)), 0);
	close(s);
	/* The terminal turns each "\n" into "\r\n". */
	while (n < sizeof(buf) - 1 &&
	       (k = read(m, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	close(m);
	assert_int_equal(
		strncmp(buf, "\033[H\033[Jifstat, interval 500 ms", 29), 0);
	assert_non_null(strstr(buf, "\r\neth0 ingress (xdp native)\r\n"));
	assert_non_null(strstr(buf, "\r\nFilter  <=64 65-127"));
}

static void test_command_line(void **state)
{
	char *bad[] = { "--bogus", NULL }, *extra[] = { "now", NULL };
	char *help[] = { "-h", NULL }, *version[] = { "-V", NULL };
	char *direction[] = { "--direction", "in", NULL };
	char *many[IFSTAT_MAX_FILTERS * 2 + 6] = { "-s", sock };
	struct result r;
	int i;

	(void)state;
	r = run(bad);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "Usage: ifstat"));
	free_result(&r);
	r = run(extra);
	assert_int_equal(r.status, 2);
	assert_memory_equal(r.err, "ifstat: unexpected argument 'now'\n", 34);
	free_result(&r);
	r = run(help);
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "Usage: ifstat [options]\n", 24);
	assert_non_null(strstr(r.out, "/run/ifstat/ifstatd.sock"));
	free_result(&r);
	r = run(version);
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "ifstat ", 7);
	free_result(&r);
	for (i = 0; i <= IFSTAT_MAX_FILTERS; i++) {
		many[2 + 2 * i] = "--filter";
		many[3 + 2 * i] = "x";
	}
	r = run(many);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "ifstat: at most 64 --filter names\n");
	free_result(&r);
	for (i = 0; i <= IFSTAT_MAX_FILTERS; i++)
		many[2 + 2 * i] = "--interface";
	r = run(many);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "ifstat: at most 64 --interface names\n");
	free_result(&r);
	r = run(direction);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "ifstat: --direction: 'in' is neither "
				   "ingress nor egress\n");
	free_result(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_no_daemon),
		T(test_json_once_cut),
		T(test_tables_then_closed),
		T(test_bad_line_skipped),
		T(test_closed_before_a_line),
		T(test_line_too_long),
		T(test_filter_unknown),
		T(test_filter_json),
		T(test_direction_absent),
		T(test_interface_absent),
		T(test_entry_selectors_json),
		T(test_sigint),
		T(test_sigterm),
		T(test_terminal),
		T(test_command_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
