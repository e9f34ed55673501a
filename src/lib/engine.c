// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <linux/membarrier.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "bpffs.h"
#include "classify.h"
#include "engine_impl.h"
#include "instance.h"
#include "log.h"
#include "plan.h"

#define VERIFIER_LOG_SIZE (1u << 20)

const char *const ifstat_pin_names[] = { IFSTAT_MAP_COUNTERS, IFSTAT_MAP_CONF,
					 NULL };

uint64_t ifstat_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Loads once more with the verifier's log on, only after a refusal, so
 * that a normal start pays nothing for it.
 */
static void capture_verifier_log(struct ifstat_engine *e)
{
	struct ifstat_bpf *skel = ifstat_bpf__open();

	if (!skel)
		return;
	e->vlog = calloc(1, VERIFIER_LOG_SIZE);
	if (e->vlog) {
		bpf_program__set_log_buf(skel->progs.ifstat_xdp, e->vlog,
					 VERIFIER_LOG_SIZE);
		bpf_program__set_log_level(skel->progs.ifstat_xdp, 1);
		ifstat_bpf__load(skel);
	}
	ifstat_bpf__destroy(skel);
}

/* Our program in what is attached (alone or in the dispatcher), or NULL. */
/*
 * The maps are made (or found pinned) here, before the program exists, so
 * that the filters are in place before the first frame is seen and a
 * restart finds the counters where it left them.
 */
static int map_get(struct ifstat_engine *e, const char *pin, const char *name,
		   enum bpf_map_type type, __u32 value_size, __u32 flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = flags);
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	char path[PATH_MAX + 16];
	int fd;

	if (e->pinned) {
		snprintf(path, sizeof(path), "%s/%s", e->pin_dir, pin);
		fd = bpf_obj_get(path);
		if (fd >= 0) {
			if (bpf_obj_get_info_by_fd(fd, &info, &info_len) ||
			    info.type != type || info.key_size != 4 ||
			    info.value_size != value_size ||
			    info.max_entries != 1 || info.map_flags != flags) {
				log_err("%s was pinned by another version of "
					"ifstat; stop it and remove %s",
					path, e->pin_dir);
				close(fd);
				return -EPROTO;
			}
			e->reused = true;
			return fd;
		}
		if (errno != ENOENT) {
			fd = -errno;
			log_err("cannot open %s: %s", path, strerror(-fd));
			return fd;
		}
	}
	fd = bpf_map_create(type, name, 4, value_size, 1, &mo);
	if (fd < 0) {
		fd = -errno;
		log_err("cannot create BPF map %s: %s%s", name, strerror(-fd),
			fd == -EPERM ? " (run as root or with CAP_BPF)" : "");
		return fd;
	}
	if (e->pinned && bpf_obj_pin(fd, path)) {
		int ret = -errno;

		log_err("cannot pin %s: %s", path, strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}

static int make_maps(struct ifstat_engine *e)
{
	int ret;

	e->counters_fd = map_get(e, IFSTAT_MAP_COUNTERS, "ifstat_counters",
				 BPF_MAP_TYPE_PERCPU_ARRAY,
				 sizeof(struct ifstat_counters), 0);
	if (e->counters_fd < 0)
		return e->counters_fd;
	e->conf_fd = map_get(e, IFSTAT_MAP_CONF, "ifstat_conf",
			     BPF_MAP_TYPE_ARRAY, sizeof(struct ifstat_conf),
			     BPF_F_MMAPABLE);
	if (e->conf_fd < 0)
		return e->conf_fd;
	e->conf_len = (sizeof(struct ifstat_conf) + (size_t)getpagesize() - 1) &
		      ~((size_t)getpagesize() - 1);
	e->conf = mmap(NULL, e->conf_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       e->conf_fd, 0);
	if (e->conf == MAP_FAILED) {
		e->conf = NULL;
		ret = -errno;
		log_err("cannot map the filter configuration: %s",
			strerror(-ret));
		return ret;
	}
	if (!e->conf->magic) {
		e->conf->magic = IFSTAT_CONF_MAGIC;
		e->conf->next_gen = 1; /* generation 0 is a zeroed slot */
		e->conf->epoch = ifstat_now_ms();
	} else if (e->conf->magic != IFSTAT_CONF_MAGIC) {
		log_err("%s/%s holds another layout (%#x, expected %#x); stop "
			"the other ifstat and remove %s",
			e->pin_dir, IFSTAT_MAP_CONF, e->conf->magic,
			IFSTAT_CONF_MAGIC, e->pin_dir);
		return -EPROTO;
	}
	e->skel = ifstat_bpf__open();
	if (!e->skel) {
		ret = -errno;
		log_err("cannot open the embedded BPF object: %s",
			strerror(-ret));
		return ret;
	}
	ret = bpf_map__reuse_fd(e->skel->maps.counters, e->counters_fd);
	if (!ret)
		ret = bpf_map__reuse_fd(e->skel->maps.bss, e->conf_fd);
	return ret;
}

/* Says what the program needs, and keeps the verifier's word for the
 * verbose log level. */
void ifstat_engine_load_failed(struct ifstat_engine *e, int ret)
{
	log_err("the kernel refused the XDP program (%s): ifstat needs root "
		"(CAP_BPF, CAP_NET_ADMIN) and a kernel >= 5.18; the "
		"verifier's log is shown at the verbose log level",
		strerror(-ret));
	capture_verifier_log(e);
	if (ifstat_log_verbosity() > 0 && e->vlog && *e->vlog)
		fprintf(stderr, "%s\n", e->vlog);
}

int ifstat_engine_load(struct ifstat_engine *e)
{
	int ret;

	if (e->loaded)
		return 0;
	ret = ifstat_bpf__load(e->skel);
	if (ret) {
		ifstat_engine_load_failed(e, ret);
		return ret;
	}
	e->loaded = true;
	return 0;
}

int ifstat_engine_open(struct ifstat_engine **out,
		       const struct ifstat_engine_opts *opts)
{
	struct ifstat_engine *e;
	int ret;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->counters_fd = e->conf_fd = e->lock_fd = -1;
	ret = libbpf_num_possible_cpus();
	if (ret < 0)
		goto fail;
	e->ncpus = (unsigned int)ret;
	e->percpu = calloc(e->ncpus, ifstat_percpu_stride());
	if (!e->percpu) {
		ret = -ENOMEM;
		goto fail;
	}
	if (opts && opts->ifname) {
		if (strlen(opts->ifname) >= sizeof(e->ifname)) {
			log_err("interface name too long: '%s'", opts->ifname);
			ret = -ENAMETOOLONG;
			goto fail;
		}
		snprintf(e->ifname, sizeof(e->ifname), "%s", opts->ifname);
		e->ifindex = (int)if_nametoindex(opts->ifname);
		if (!e->ifindex) {
			ret = -ENODEV;
			log_err("interface '%s' does not exist", opts->ifname);
			goto fail;
		}
		ifstat_instance_key(opts->ifname, e->key, sizeof(e->key));
		snprintf(e->pin_dir, sizeof(e->pin_dir), "%s/%s",
			 opts->pin_root ? opts->pin_root : IFSTAT_PIN_ROOT,
			 e->key);
		snprintf(e->lock_dir, sizeof(e->lock_dir), "%s",
			 opts->lock_dir ? opts->lock_dir : IFSTAT_LOCK_DIR);
		ret = ifstat_instance_lock(e->lock_dir, e->key, e->ifname,
					   &e->lock_fd);
		if (ret)
			goto fail;
		ret = ifstat_bpffs_prepare(e->pin_dir);
		if (ret)
			goto fail;
		e->pinned = true;
		e->resumed = ifstat_ours_attached(e->ifindex);
	}
	ret = make_maps(e);
	if (ret)
		goto fail;
	*out = e;
	return 0;
fail:
	ifstat_engine_destroy(e);
	return ret;
}

/* Waits until no run of the program can still see the set just left. */
static void grace_period(void)
{
	/* MEMBARRIER_CMD_GLOBAL is synchronize_rcu(), and an XDP run is an
	 * RCU read-side section. */
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
		return;
	/* nohz_full kernels refuse it; a run lasts microseconds. */
	usleep(10000);
}

static void flip(struct ifstat_engine *e)
{
	__atomic_store_n(&e->conf->active, !(e->conf->active & 1),
			 __ATOMIC_RELEASE);
	/* Maps of our own that no program uses yet (a fresh start, before
	 * the load) have no reader to wait for: 10-15 ms off a start. */
	if (e->loaded || e->resumed || e->reused)
		grace_period();
}

int ifstat_engine_set_filters(struct ifstat_engine *e,
			      const struct ifstat_filter_def *defs,
			      unsigned int n, const uint32_t *edges,
			      unsigned int nedges)
{
	struct ifstat_filter_set *cur = &e->conf->sets[e->conf->active & 1];
	struct ifstat_filter_set *nxt = &e->conf->sets[!(e->conf->active & 1)];
	uint64_t gen = e->conf->next_gen;
	struct ifstat_tables_use use;
	int ret;

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
	struct ifstat_filter_set *cur = &e->conf->sets[e->conf->active & 1];
	struct ifstat_filter_set *nxt = &e->conf->sets[!(e->conf->active & 1)];
	uint64_t now = ifstat_now_ms(), gen = e->conf->next_gen;
	int ret = ifstat_plan_reset(cur, index, &gen, nxt);

	if (ret)
		return ret;
	e->conf->next_gen = gen;
	e->conf->epoch = now > e->conf->epoch ? now : e->conf->epoch + 1;
	flip(e);
	return 0;
}

int ifstat_engine_read(struct ifstat_engine *e, struct ifstat_snapshot *snap)
{
	uint32_t zero = 0;
	const struct ifstat_filter_set *cur;

	if (bpf_map_lookup_elem(e->counters_fd, &zero, e->percpu))
		return -errno;
	cur = &e->conf->sets[e->conf->active & 1];
	ifstat_snapshot_sum(e->percpu, e->ncpus, ifstat_percpu_stride(), cur,
			    e->conf->epoch, snap);
	return 0;
}

void ifstat_engine_destroy(struct ifstat_engine *e)
{
	if (!e)
		return;
	if (e->xprog)
		xdp_program__close(e->xprog);
	ifstat_bpf__destroy(e->skel);
	if (e->conf)
		munmap(e->conf, e->conf_len);
	if (e->counters_fd >= 0)
		close(e->counters_fd);
	if (e->conf_fd >= 0)
		close(e->conf_fd);
	ifstat_instance_unlock(e->lock_dir, e->key, e->lock_fd);
	free(e->percpu);
	free(e->vlog);
	free(e);
}

int ifstat_engine_prog_fd(struct ifstat_engine *e)
{
	int ret = ifstat_engine_load(e);

	return ret ? ret : bpf_program__fd(e->skel->progs.ifstat_xdp);
}

const char *ifstat_engine_pin_dir(const struct ifstat_engine *e)
{
	return e->pin_dir;
}
