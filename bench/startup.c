// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Start-up of ifstatd as a user sees it: the time from fork+exec to the
 * program attached (the interface's XDP program id set), to READY=1 on
 * NOTIFY_SOCKET (attached and serving), and to the first frame counted,
 * then the daemon's peak RSS. A frame is sent to the interface from the
 * peer namespace before every look, so "counting" is the first look that
 * finds totals.packets above zero in the pinned counters. With -C/-H, a
 * reload: CONF (the file ifstatd reads) is replaced by NEWCONF, SIGHUP is
 * sent, and the time until the pinned configuration map's active set
 * names its first filter as NEWCONF's first is the reload time; CONF is
 * restored for the next run. Then SIGTERM, and the time to exit (detach,
 * unpin).
 *
 *   startup -s SEND_NETNS -o SEND_IF -n RECV_NETNS -i RECV_IF -p PIN_ROOT
 *           [-r RUNS] [-w SETTLE_MS] [-l LOG]
 *           [-C CONF -H NEWCONF -N FIRST_NEW_NAME] -- IFSTATD [ARGS...]
 *
 * The netns arguments are paths (/run/netns/NAME). One line per run on
 * stdout, then the medians. Exit: 0, 1 error (a run that failed), 2 usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "frame.h"
#include "stats.h"
#include "ifstat_abi.h"

#define MAX_RUNS 200
#define TIMEOUT_MS 10000

struct opts {
	const char *send_ns, *send_if, *recv_ns, *recv_if, *pin_root, *log;
	const char *conf, *new_conf, *new_name;
	unsigned int runs, settle_ms;
	char **argv;
};

struct run {
	double pinned_ms, attach_ms, ready_ms, count_ms, exit_ms, reload_ms;
	long hwm_kb, maxrss_kb;
	double cpu_ms;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int enter_netns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0 || setns(fd, CLONE_NEWNET))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	if (ret)
		fprintf(stderr, "startup: cannot enter %s: %s\n", path,
			strerror(-ret));
	return ret;
}

/* A 64-byte IPv4/UDP frame, 198.51.100.1:5353 > 192.0.2.53:53, with the
 * test frames' MACs (tests/lib/frame.h): to the receiving device. */
static void build_frame(struct frame *f)
{
	frame_init(f);
	frame_eth(f, 0x0800);
	frame_ipv4(f, 17, "198.51.100.1", "192.0.2.53", 5, 0);
	frame_udp(f, 5353, 53);
	frame_finish(f, 64);
}

static int open_sender(const struct opts *o, struct sockaddr_ll *to)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		fprintf(stderr, "startup: packet socket: %s\n",
			strerror(errno));
		return -errno;
	}
	memset(to, 0, sizeof(*to));
	to->sll_family = AF_PACKET;
	to->sll_ifindex = (int)if_nametoindex(o->send_if);
	to->sll_halen = 6;
	if (!to->sll_ifindex) {
		fprintf(stderr, "startup: no interface %s\n", o->send_if);
		close(fd);
		return -ENODEV;
	}
	return fd;
}

/* The pinned counters of the receiving interface, once they exist: the
 * directory is IFACE or IFACE@NETNS_INODE under the pin root. */
static int open_pinned(const struct opts *o, const char *map)
{
	char path[PATH_MAX];
	size_t n = strlen(o->recv_if);
	struct dirent *de;
	DIR *d = opendir(o->pin_root);
	int fd = -1;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, o->recv_if, n) ||
		    (de->d_name[n] && de->d_name[n] != '@'))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", o->pin_root,
			 de->d_name, map);
		fd = bpf_obj_get(path);
		break;
	}
	closedir(d);
	return fd;
}

static uint64_t total_packets(int fd, void *buf, unsigned int ncpu)
{
	size_t stride = (sizeof(struct ifstat_counters) + 7) & ~(size_t)7;
	uint64_t sum = 0;
	__u32 key = 0;
	unsigned int c;

	if (bpf_map_lookup_elem(fd, &key, buf))
		return 0;
	for (c = 0; c < ncpu; c++)
		sum += ((struct ifstat_counters *)((char *)buf + c * stride))
			       ->totals.packets;
	return sum;
}

static long status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t n = strlen(key);
	long v = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(fp);
	return v;
}

static int notify_socket(char *path, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(path, len, "/tmp/ifsl-startup-%d.notify", (int)getpid());
	unlink(path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "startup: notify socket %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return fd;
}

static bool got_ready(int fd)
{
	char buf[256];
	ssize_t n;
	bool ready = false;

	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		if (strstr(buf, "READY=1"))
			ready = true;
	}
	return ready;
}

static pid_t start(const struct opts *o, const char *notify)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	setenv("NOTIFY_SOCKET", notify, 1);
	fd = open(o->log ? o->log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND,
		  0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execv(o->argv[0], o->argv);
	_exit(127);
}

/* Copies file from to to, through a rename so ifstatd never reads half. */
static int copy_file(const char *from, const char *to)
{
	char tmp[PATH_MAX], buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	snprintf(tmp, sizeof(tmp), "%s.startup-tmp", to);
	in = open(from, O_RDONLY | O_CLOEXEC);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0)
		ret = -errno;
	while (!ret && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			ret = -EIO;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, to))
		ret = -errno;
	return ret;
}

/*
 * SIGHUP with NEWCONF in place: ms until the active filter set is the new
 * one, read from the pinned configuration map (mmapped, as ifstatd has it).
 */
static double reload_time(const struct opts *o, pid_t pid)
{
	size_t len = (sizeof(struct ifstat_conf) + 4095) & ~(size_t)4095;
	char saved[PATH_MAX];
	struct ifstat_conf *c;
	double t0, ms = -1;
	int fd = open_pinned(o, IFSTAT_MAP_CONF);

	if (fd < 0)
		return -1;
	c = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (c == MAP_FAILED)
		return -1;
	snprintf(saved, sizeof(saved), "%s.startup-saved", o->conf);
	if (copy_file(o->conf, saved) || copy_file(o->new_conf, o->conf))
		goto out;
	t0 = now_ms();
	kill(pid, SIGHUP);
	while (now_ms() - t0 < TIMEOUT_MS) {
		const struct ifstat_filter_set *set =
			&c->sets[__atomic_load_n(&c->active, __ATOMIC_ACQUIRE) &
				 1];

		if (!strncmp(set->meta[0].name, o->new_name, IFSTAT_NAME_MAX)) {
			ms = now_ms() - t0;
			break;
		}
		usleep(100);
	}
	if (copy_file(saved, o->conf))
		ms = -1;
	unlink(saved);
out:
	munmap(c, len);
	return ms;
}

static int one_run(const struct opts *o, int sock, const struct sockaddr_ll *to,
		   const unsigned char *frame, size_t flen, int nfd,
		   const char *notify, int ifindex, struct run *r)
{
	unsigned int ncpu = (unsigned int)libbpf_num_possible_cpus();
	size_t stride = (sizeof(struct ifstat_counters) + 7) & ~(size_t)7;
	void *buf = calloc(ncpu, stride);
	double t0, t, deadline;
	int cfd = -1, status, ret = 0;
	struct rusage ru;
	__u32 id = 0;
	pid_t pid;

	if (!buf)
		return -ENOMEM;
	got_ready(nfd); /* drop anything left from the run before */
	r->pinned_ms = r->attach_ms = r->ready_ms = r->count_ms = -1;
	t0 = now_ms();
	pid = start(o, notify);
	if (pid < 0) {
		free(buf);
		return -errno;
	}
	deadline = t0 + TIMEOUT_MS;
	while ((r->attach_ms < 0 || r->ready_ms < 0 || r->count_ms < 0) &&
	       (t = now_ms()) < deadline) {
		sendto(sock, frame, flen, 0, (const struct sockaddr *)to,
		       sizeof(*to));
		if (r->attach_ms < 0 && !bpf_xdp_query_id(ifindex, 0, &id) &&
		    id)
			r->attach_ms = t - t0;
		if (r->ready_ms < 0 && got_ready(nfd))
			r->ready_ms = t - t0;
		if (cfd < 0) {
			cfd = open_pinned(o, IFSTAT_MAP_COUNTERS);
			if (cfd >= 0)
				r->pinned_ms = now_ms() - t0;
		}
		if (r->count_ms < 0 && cfd >= 0 &&
		    total_packets(cfd, buf, ncpu) > 0)
			r->count_ms = now_ms() - t0;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "startup: ifstatd exited early (%d)\n",
				status);
			ret = -ECHILD;
			goto out;
		}
	}
	if (r->count_ms < 0 || r->ready_ms < 0 || r->attach_ms < 0) {
		fprintf(stderr,
			"startup: not attached, ready and counting "
			"after %d ms\n",
			TIMEOUT_MS);
		ret = -ETIMEDOUT;
	}
	r->reload_ms = 0;
	if (!ret && o->new_conf) {
		r->reload_ms = reload_time(o, pid);
		if (r->reload_ms < 0) {
			fprintf(stderr, "startup: the reload was not seen\n");
			ret = -ETIMEDOUT;
		}
	}
	/* Let it run (and publish) for a while before its RSS is read. */
	usleep(o->settle_ms * 1000);
	r->hwm_kb = status_kb(pid, "VmHWM");
	t = now_ms();
	kill(pid, SIGTERM);
	if (wait4(pid, &status, 0, &ru) != pid) {
		ret = -errno;
		goto out_nowait;
	}
	r->exit_ms = now_ms() - t;
	r->maxrss_kb = ru.ru_maxrss;
	r->cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
		    ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "startup: ifstatd ended with status %d\n",
			status);
		ret = ret ? ret : -EIO;
	}
	if (!bpf_xdp_query_id(ifindex, 0, &id) && id) {
		fprintf(stderr, "startup: a program is still attached\n");
		ret = ret ? ret : -EBUSY;
	}
	goto out_nowait;
out:
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
out_nowait:
	if (cfd >= 0)
		close(cfd);
	free(buf);
	return ret;
}

static void report(const struct run *runs, unsigned int n)
{
	static double v[9][MAX_RUNS];
	static const char *const names[9] = {
		"counters map pinned (ms from exec)",
		"program attached, XDP id set (ms from exec)",
		"READY=1 (ms from exec)",
		"first frame counted (ms from exec)",
		"exit (ms from SIGTERM)",
		"peak RSS, VmHWM (KiB)",
		"peak RSS, ru_maxrss (KiB)",
		"CPU time, whole run (ms)",
		"reload applied (ms from SIGHUP; 0: not measured)",
	};
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		v[0][i] = runs[i].pinned_ms;
		v[1][i] = runs[i].attach_ms;
		v[2][i] = runs[i].ready_ms;
		v[3][i] = runs[i].count_ms;
		v[4][i] = runs[i].exit_ms;
		v[5][i] = (double)runs[i].hwm_kb;
		v[6][i] = (double)runs[i].maxrss_kb;
		v[7][i] = runs[i].cpu_ms;
		v[8][i] = runs[i].reload_ms;
	}
	printf("\n| over %u runs | median | min | max |\n"
	       "|---|---:|---:|---:|\n",
	       n);
	for (k = 0; k < 9; k++) {
		double m = bench_median(v[k], n);

		printf("| %s | %.1f | %.1f | %.1f |\n", names[k], m, v[k][0],
		       v[k][n - 1]);
	}
}

static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	o->runs = 10;
	o->settle_ms = 1500;
	while ((c = getopt(argc, argv, "s:o:n:i:p:r:w:l:C:H:N:")) != -1) {
		switch (c) {
		case 's':
			o->send_ns = optarg;
			break;
		case 'o':
			o->send_if = optarg;
			break;
		case 'n':
			o->recv_ns = optarg;
			break;
		case 'i':
			o->recv_if = optarg;
			break;
		case 'p':
			o->pin_root = optarg;
			break;
		case 'r':
			o->runs = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			o->settle_ms = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'C':
			o->conf = optarg;
			break;
		case 'H':
			o->new_conf = optarg;
			break;
		case 'N':
			o->new_name = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	if (!o->send_ns || !o->send_if || !o->recv_ns || !o->recv_if ||
	    !o->pin_root || optind >= argc || !o->runs || o->runs > MAX_RUNS)
		return -EINVAL;
	if (!!o->conf != !!o->new_conf || !!o->conf != !!o->new_name)
		return -EINVAL;
	o->argv = argv + optind;
	return 0;
}

int main(int argc, char **argv)
{
	static struct run runs[MAX_RUNS];
	static struct frame frame;
	struct sockaddr_ll to;
	char notify[108];
	struct opts o = { 0 };
	int sock, nfd, ifindex, ret = 0;
	unsigned int i;

	if (parse(argc, argv, &o)) {
		fprintf(stderr, "Usage: startup -s SEND_NETNS -o SEND_IF -n "
				"RECV_NETNS "
				"-i RECV_IF -p PIN_ROOT [-r RUNS] [-w "
				"SETTLE_MS] "
				"[-l LOG] [-C CONF -H NEWCONF -N "
				"FIRST_NEW_NAME] "
				"-- IFSTATD [ARGS...]\n");
		return 2;
	}
	build_frame(&frame);
	if (enter_netns(o.send_ns))
		return 1;
	sock = open_sender(&o, &to);
	if (sock < 0)
		return 1;
	memcpy(to.sll_addr, frame.b, 6); /* the destination MAC */
	/* The socket stays in the sender's namespace; the rest (the child,
	 * the interface queries, the notify socket) is in the receiver's. */
	if (enter_netns(o.recv_ns))
		return 1;
	ifindex = (int)if_nametoindex(o.recv_if);
	nfd = notify_socket(notify, sizeof(notify));
	if (!ifindex || nfd < 0)
		return 1;
	printf("| run | pinned ms | attached ms | READY=1 ms | counting ms | "
	       "exit ms | VmHWM KiB | ru_maxrss KiB | CPU ms | reload ms |\n"
	       "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < o.runs && !ret; i++) {
		struct run *r = &runs[i];

		ret = one_run(&o, sock, &to, frame.b, frame.len, nfd, notify,
			      ifindex, r);
		if (!ret)
			printf("| %u | %.1f | %.1f | %.1f | %.1f | %.1f | %ld "
			       "| %ld | %.0f | %.1f |\n",
			       i + 1, r->pinned_ms, r->attach_ms, r->ready_ms,
			       r->count_ms, r->exit_ms, r->hwm_kb, r->maxrss_kb,
			       r->cpu_ms, r->reload_ms);
		fflush(stdout);
	}
	unlink(notify);
	if (ret)
		return 1;
	report(runs, o.runs);
	return 0;
}
