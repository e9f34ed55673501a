// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The filter configuration every program of the engine reads: one map,
 * filled by user space (double-buffered sets, flip, grace period), pinned
 * beside each link so that a restart continues the generations its
 * counters were written with.
 */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "classify.h"
#include "instance.h"
#include "engine_impl.h"
#include "log.h"
#include "plan.h"

uint64_t ifstat_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int ifstat_engine_open(struct ifstat_engine **out,
		       const struct ifstat_engine_opts *opts)
{
	struct ifstat_engine *e = calloc(1, sizeof(*e));
	int ret;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	e->conf_fd = e->conf_lock = -1;
	ret = libbpf_num_possible_cpus();
	if (ret < 0) {
		free(e);
		return ret;
	}
	e->ncpus = (unsigned int)ret;
	e->percpu = calloc(e->ncpus, ifstat_percpu_stride());
	if (!e->percpu) {
		free(e);
		return -ENOMEM;
	}
	snprintf(e->pin_root, sizeof(e->pin_root), "%s",
		 opts && opts->pin_root ? opts->pin_root : IFSTAT_PIN_ROOT);
	snprintf(e->lock_dir, sizeof(e->lock_dir), "%s",
		 opts && opts->lock_dir ? opts->lock_dir : IFSTAT_LOCK_DIR);
	*out = e;
	return 0;
}

static int conf_map(struct ifstat_engine *e, int fd)
{
	e->conf_fd = fd;
	e->conf_len = (sizeof(struct ifstat_conf) + (size_t)getpagesize() - 1) &
		      ~((size_t)getpagesize() - 1);
	e->conf = mmap(NULL, e->conf_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, 0);
	if (e->conf == MAP_FAILED) {
		int ret = -errno;

		e->conf = NULL;
		log_err("cannot map the filter configuration: %s",
			strerror(-ret));
		return ret;
	}
	if (!e->conf->magic) {
		uint64_t base = ifstat_now_ms() << 20;

		/* Generations of two configurations never meet: counters
		 * pinned with another one read as zero, never as another
		 * filter's (0 is a zeroed slot). A random start: two made in
		 * the same millisecond too. */
		if (getrandom(&base, sizeof(base), 0) != sizeof(base))
			base ^= (uint64_t)getpid() << 40;
		base = (base >> 2) | 1;
		e->conf->magic = IFSTAT_CONF_MAGIC;
		/* Totals pinned with another configuration restart too. */
		e->conf->sets[0].totals_gen = base;
		e->conf->sets[1].totals_gen = base;
		e->conf->next_gen = base + 1;
		e->conf->epoch = ifstat_now_ms();
	} else if (e->conf->magic != IFSTAT_CONF_MAGIC) {
		log_err("the pinned filter configuration holds another layout "
			"(%#x, expected %#x): another version of ifstat; stop "
			"it and remove its pins",
			e->conf->magic, IFSTAT_CONF_MAGIC);
		return -EPROTO;
	}
	return 0;
}

/*
 * The configuration map fd is ours alone: a lock named after its id,
 * held while the engine lives. Two processes writing one configuration
 * would flip it under each other (a restart of two daemons' interfaces
 * split between two new ones, a pin kept by --keep). -EBUSY when
 * another ifstat holds it.
 */
static int conf_lock(struct ifstat_engine *e, int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	snprintf(e->conf_key, sizeof(e->conf_key), "conf:%u", info.id);
	return ifstat_instance_trylock(e->lock_dir, e->conf_key, "conf",
				       &e->conf_lock);
}

/* The configuration pinned beside the first link with one that no other
 * ifstat uses, or -ENOENT. */
static int adopt(struct ifstat_engine *e)
{
	struct ifstat_link *l;

	for (l = e->links; l; l = l->next) {
		if (l->found_conf < 0)
			continue;
		if (conf_lock(e, l->found_conf)) {
			log_warn("%s: the filter configuration pinned there is "
				 "used by another ifstat: not continued",
				 l->ifname);
			continue;
		}
		e->reused = true;
		log_info("continuing the filter configuration pinned in %s",
			 l->pin_dir);
		return dup(l->found_conf);
	}
	return -ENOENT;
}

int ifstat_engine_conf_ready(struct ifstat_engine *e)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = BPF_F_MMAPABLE);
	struct ifstat_link *l;
	bool pinned = false;
	int fd, ret;

	if (e->conf)
		return 0;
	for (l = e->links; l; l = l->next)
		pinned |= l->pinned;
	fd = adopt(e);
	if (fd == -ENOENT) {
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ifstat_conf", 4,
				    sizeof(struct ifstat_conf), 1, &mo);
		if (fd < 0) {
			ret = -errno;
			log_err("cannot create BPF map ifstat_conf: %s%s",
				strerror(-ret),
				ret == -EPERM ? " (run as root or with CAP_BPF)"
					      : "");
			return ret;
		}
		/* Pinned, it may be adopted: by one process at a time. */
		ret = pinned ? conf_lock(e, fd) : 0;
		if (ret) {
			close(fd);
			return ret;
		}
	}
	if (fd < 0)
		return fd;
	ret = conf_map(e, fd);
	for (l = e->links; l && !ret; l = l->next)
		ret = ifstat_engine_conf_pin(e, l);
	return ret;
}

int ifstat_engine_conf_pin(struct ifstat_engine *e, struct ifstat_link *l)
{
	struct bpf_map_info a = {}, b = {};
	__u32 la = sizeof(a), lb = sizeof(b);
	char path[PATH_MAX + 16];
	int ret;

	if (!l->pinned)
		return 0;
	if (l->found_conf >= 0) {
		bool same = !bpf_obj_get_info_by_fd(l->found_conf, &a, &la) &&
			    !bpf_obj_get_info_by_fd(e->conf_fd, &b, &lb) &&
			    a.id == b.id;

		close(l->found_conf);
		l->found_conf = -1;
		if (same)
			return 0;
		if (l->reused)
			log_warn("%s: its pinned counters were counted with "
				 "another filter configuration: they restart "
				 "at zero",
				 l->ifname);
	}
	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, IFSTAT_MAP_CONF);
	unlink(path);
	if (bpf_obj_pin(e->conf_fd, path)) {
		ret = -errno;
		log_err("cannot pin %s: %s", path, strerror(-ret));
		return ret;
	}
	return 0;
}

/* Waits until no run of a program can still see the set just left. */
static void grace_period(void)
{
	/* MEMBARRIER_CMD_GLOBAL is synchronize_rcu(), and an XDP or tc run
	 * is an RCU read-side section. */
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
		return;
	/* nohz_full kernels refuse it; a run lasts microseconds. */
	usleep(10000);
}

static void flip(struct ifstat_engine *e)
{
	__atomic_store_n(&e->conf->active, !(e->conf->active & 1),
			 __ATOMIC_RELEASE);
	/* A configuration no program reads yet (a fresh start, before the
	 * load) has no reader to wait for: 10-15 ms off a start. A pinned
	 * one may still be read by the programs of the instance before. */
	if (e->live || e->reused)
		grace_period();
}

/* The set the programs read, the one to fill, the next generation. */
static int sets(struct ifstat_engine *e, struct ifstat_filter_set **cur,
		struct ifstat_filter_set **nxt, uint64_t *gen)
{
	int ret = ifstat_engine_conf_ready(e);

	if (ret)
		return ret;
	*cur = &e->conf->sets[e->conf->active & 1];
	*nxt = &e->conf->sets[!(e->conf->active & 1)];
	*gen = e->conf->next_gen;
	return 0;
}

int ifstat_engine_set_filters(struct ifstat_engine *e,
			      const struct ifstat_filter_def *defs,
			      unsigned int n, const uint32_t *edges,
			      unsigned int nedges)
{
	struct ifstat_filter_set *cur, *nxt;
	struct ifstat_tables_use use;
	uint64_t gen;
	int ret = sets(e, &cur, &nxt, &gen);

	if (ret)
		return ret;
	ret = ifstat_plan_set(cur, defs, n, edges, nedges, &gen, nxt);
	if (ret)
		return ret;
	ret = ifstat_tables_build(&nxt->t, nxt->filters, n, nxt->edges,
				  nxt->nedges, &use);
	if (ret) {
		log_err("the filters need %u classifier table nodes, more than "
			"the %u there are",
			use.nodes, IFSTAT_TRIE_NODES);
		return ret;
	}
	/* Generations are spent only on a set that goes live. */
	e->conf->next_gen = gen;
	flip(e);
	return 0;
}

int ifstat_engine_reset(struct ifstat_engine *e, int index)
{
	struct ifstat_filter_set *cur, *nxt;
	uint64_t now = ifstat_now_ms(), gen;
	int ret = sets(e, &cur, &nxt, &gen);

	if (ret)
		return ret;
	ret = ifstat_plan_reset(cur, index, &gen, nxt);
	if (ret)
		return ret;
	e->conf->next_gen = gen;
	e->conf->epoch = now > e->conf->epoch ? now : e->conf->epoch + 1;
	flip(e);
	return 0;
}

uint64_t ifstat_engine_epoch(const struct ifstat_engine *e)
{
	return e->conf ? e->conf->epoch : 0;
}

void ifstat_engine_destroy(struct ifstat_engine *e)
{
	if (!e)
		return;
	if (e->conf)
		munmap(e->conf, e->conf_len);
	if (e->conf_fd >= 0)
		close(e->conf_fd);
	if (e->conf_lock >= 0)
		ifstat_instance_unlock(e->lock_dir, e->conf_key, e->conf_lock);
	free(e->percpu);
	free(e);
}
