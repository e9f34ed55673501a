// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The client's line reader over real sockets: lines cut anywhere by the
 * reads, several in one read, a 20 KB line in 7-byte pieces, the length
 * cap (exactly at it and one past, also at the real 1 MiB), what EOF
 * leaves, and connecting to a path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lines.h"

static int sv[2]; /* sv[0] written by the test, sv[1] read by the reader */
static struct ifstat_lines l;

static int setup(void **state)
{
	(void)state;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	ifstat_lines_init(&l, IFSTAT_LINE_MAX);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ifstat_lines_free(&l);
	if (sv[0] >= 0)
		close(sv[0]);
	close(sv[1]);
	return 0;
}

static void put(const char *s)
{
	assert_int_equal(write(sv[0], s, strlen(s)), (ssize_t)strlen(s));
	assert_int_equal(ifstat_lines_fill(&l, sv[1]), (long)strlen(s));
}

static void next_is(const char *want)
{
	size_t len;
	char *line;

	assert_int_equal(ifstat_lines_next(&l, &line, &len), 1);
	assert_int_equal(len, strlen(want));
	assert_string_equal(line, want);
}

static void none(void)
{
	size_t len;
	char *line;

	assert_int_equal(ifstat_lines_next(&l, &line, &len), 0);
}

static void test_cut_anywhere(void **state)
{
	(void)state;
	none(); /* nothing read yet */
	put("{\"ver");
	none();
	put("sion\":1}\n{\"a\"");
	next_is("{\"version\":1}");
	none();
	put(":2}\n\n");
	next_is("{\"a\":2}");
	next_is("");
	none();
	assert_int_equal(ifstat_lines_pending(&l), 0);
}

static void test_several_in_one_read(void **state)
{
	(void)state;
	put("a\nbb\nccc\nd");
	next_is("a");
	next_is("bb");
	next_is("ccc");
	none();
	assert_int_equal(ifstat_lines_pending(&l), 1);
	put("\n");
	next_is("d");
}

/* About what 64 filters take, in pieces no read lines up with. */
static void test_long_line_in_pieces(void **state)
{
	size_t n = 20000, i, len;
	char *big = malloc(n + 2), *line;
	char piece[8] = { 0 };

	(void)state;
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\n';
	big[n + 1] = '\0';
	for (i = 0; i < n + 1; i += 7) {
		/* big is NUL-terminated: the last piece stops there. */
		strncpy(piece, big + i, 7);
		put(piece);
		if (i + 7 < n + 1)
			none();
	}
	assert_int_equal(ifstat_lines_next(&l, &line, &len), 1);
	assert_int_equal(len, n);
	big[n] = '\0';
	assert_string_equal(line, big);
	free(big);
}

static void test_cap(void **state)
{
	char line101[103];
	size_t len;
	char *line;

	(void)state;
	ifstat_lines_free(&l);
	ifstat_lines_init(&l, 100);
	memset(line101, 'x', 101);
	line101[100] = '\n'; /* exactly 100: fine */
	line101[101] = '\0';
	put(line101);
	assert_int_equal(ifstat_lines_next(&l, &line, &len), 1);
	assert_int_equal(len, 100);
	/* 101 with its '\n' in the same read. */
	line101[100] = 'x';
	line101[101] = '\n';
	line101[102] = '\0';
	put(line101);
	assert_int_equal(ifstat_lines_next(&l, &line, &len), -EMSGSIZE);
}

static void test_cap_without_newline(void **state)
{
	char s[102];
	size_t len;
	char *line;

	(void)state;
	ifstat_lines_free(&l);
	ifstat_lines_init(&l, 100);
	memset(s, 'x', 100);
	s[100] = '\0';
	put(s);
	none(); /* 100 and maybe more to come: not yet too long */
	put("y");
	assert_int_equal(ifstat_lines_next(&l, &line, &len), -EMSGSIZE);
}

/* Writes n bytes of 'j' and then tail from a child process. */
static pid_t writer(size_t n, const char *tail)
{
	pid_t pid = fork();
	char *buf;

	if (pid)
		return pid;
	buf = malloc(n);
	memset(buf, 'j', n);
	if (write(sv[0], buf, n) != (ssize_t)n ||
	    write(sv[0], tail, strlen(tail)) != (ssize_t)strlen(tail))
		_exit(1);
	_exit(0);
}

/* Reads until a line or an error; returns what next() said. */
static int read_line(size_t *len)
{
	char *line;
	int r;
	long n;

	while (!(r = ifstat_lines_next(&l, &line, len))) {
		n = ifstat_lines_fill(&l, sv[1]);
		if (n <= 0)
			return (int)n - 1000;
	}
	return r;
}

static void test_real_cap(void **state)
{
	int status;
	size_t len;
	pid_t pid;

	(void)state;
	pid = writer(IFSTAT_LINE_MAX, "\nok\n");
	assert_int_equal(read_line(&len), 1);
	assert_int_equal(len, IFSTAT_LINE_MAX);
	assert_int_equal(read_line(&len), 1);
	assert_int_equal(len, 2);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	pid = writer(IFSTAT_LINE_MAX + 1, "\n");
	assert_int_equal(read_line(&len), -EMSGSIZE);
	/* The writer may still be blocked: closing our end releases it. */
	close(sv[1]);
	sv[1] = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

static void test_eof(void **state)
{
	(void)state;
	put("{\"version\":1}\n{\"vers");
	close(sv[0]);
	sv[0] = -1;
	next_is("{\"version\":1}");
	none();
	assert_int_equal(ifstat_lines_fill(&l, sv[1]), 0);
	assert_int_equal(ifstat_lines_pending(&l), 6);
	assert_int_equal(ifstat_lines_fill(&l, -1), -EBADF);
}

static void test_connect(void **state)
{
	char dir[] = "/tmp/ifstat-lines-XXXXXX", path[64], longp[200];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int srv, fd = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s", dir);
	assert_int_equal(ifstat_connect(path, &fd), -ENOENT);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(srv, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* Bound, not listening: the daemon's socket before listen(). */
	assert_int_equal(ifstat_connect(path, &fd), -ECONNREFUSED);
	assert_int_equal(listen(srv, 1), 0);
	assert_int_equal(ifstat_connect(path, &fd), 0);
	assert_true(fd >= 0);
	close(fd);
	close(srv);
	unlink(path);
	rmdir(dir);
	memset(longp, 'p', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(ifstat_connect(longp, &fd), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cut_anywhere, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_several_in_one_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_long_line_in_pieces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_without_newline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_real_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof, setup, teardown),
		cmocka_unit_test(test_connect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
