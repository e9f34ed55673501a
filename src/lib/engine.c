// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <linux/if_link.h>
#include <linux/membarrier.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "bpffs.h"
#include "classify.h"
#include "filter.h"
#include "ifstat.skel.h"
#include "log.h"

#define VERIFIER_LOG_SIZE (1u << 20)

static const char *const pin_names[] = { IFSTAT_MAP_COUNTERS, IFSTAT_MAP_CONF,
					 NULL };

struct ifstat_engine {
	struct ifstat_bpf *skel;
	struct xdp_program *xprog;
	struct ifstat_conf *conf; /* the mmapped configuration map */
	void *percpu; /* read buffer: one counters value per possible CPU */
	unsigned int ncpus;
	int ifindex;
	char ifname[IF_NAMESIZE];
	char pin_dir[PATH_MAX];
	bool pinned;
	bool resumed;
	bool reused;
	bool loaded;
	int lock_fd;
	int counters_fd;
	int conf_fd;
	size_t conf_len;
	enum ifstat_mode mode;
	char *vlog;
};

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
static struct xdp_program *find_ours(const struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		return p && !strcmp(xdp_program__name(p), IFSTAT_PROG_NAME)
			       ? p
			       : NULL;
	}
	for (p = xdp_multiprog__next_prog(NULL, mp); p;
	     p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), IFSTAT_PROG_NAME))
			return p;
	return NULL;
}

static bool ours_attached(int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool ours;

	if (!mp || libxdp_get_error(mp))
		return false;
	ours = find_ours(mp) != NULL;
	xdp_multiprog__close(mp);
	return ours;
}

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

/* Tells the user what to do, and keeps the verifier's word for -v. */
static void load_failed(struct ifstat_engine *e, int ret)
{
	log_err("the kernel refused the XDP program (%s): ifstat needs root "
		"(CAP_BPF, CAP_NET_ADMIN) and a kernel >= 5.18 with BTF; "
		"run with -v for the verifier log",
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
		load_failed(e, ret);
		return ret;
	}
	e->loaded = true;
	return 0;
}

/*
 * One ifstat per interface: a second one would take over the program and
 * the counters of the first. The kernel drops the lock when we die.
 */
/*
 * The name of an interface's lock and pins: IFACE in the host's network
 * namespace, IFACE@INODE (the namespace's inode) in any other, so that
 * same-named interfaces of two namespaces (veths, containers) are two
 * instances, not one.
 */
static void instance_key(const char *ifname, char *key, size_t len)
{
	struct stat self, init;

	if (!stat("/proc/self/ns/net", &self) &&
	    (stat("/proc/1/ns/net", &init) || init.st_ino != self.st_ino))
		snprintf(key, len, "%s@%lu", ifname,
			 (unsigned long)self.st_ino);
	else
		snprintf(key, len, "%s", ifname);
}

void ifstat_engine_pin_dir_of(const char *ifname, const char *pin_root,
			      char *buf, size_t len)
{
	char key[IF_NAMESIZE + 24];

	instance_key(ifname, key, sizeof(key));
	snprintf(buf, len, "%s/%s", pin_root ? pin_root : IFSTAT_PIN_ROOT, key);
}

static int take_lock(struct ifstat_engine *e, const char *dir, const char *key)
{
	char path[PATH_MAX];
	int ret;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		ret = -errno;
		log_err("cannot create %s: %s", dir, strerror(errno));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/%s.lock", dir, key);
	e->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (e->lock_fd < 0) {
		ret = -errno;
		log_err("cannot open %s: %s%s", path, strerror(errno),
			ret == -EACCES || ret == -EPERM ? " (ifstat needs "
							  "root: CAP_BPF, "
							  "CAP_NET_ADMIN)"
							: "");
		return ret;
	}
	if (flock(e->lock_fd, LOCK_EX | LOCK_NB)) {
		ret = -errno;
		if (ret == -EWOULDBLOCK) {
			log_err("%s: another ifstat is already running on this "
				"interface (lock %s)",
				e->ifname, path);
			return -EBUSY;
		}
		log_err("cannot lock %s: %s", path, strerror(errno));
		return ret;
	}
	return 0;
}

int ifstat_engine_open(struct ifstat_engine **out,
		       const struct ifstat_engine_opts *opts)
{
	char key[IF_NAMESIZE + 24];
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
		instance_key(opts->ifname, key, sizeof(key));
		snprintf(e->pin_dir, sizeof(e->pin_dir), "%s/%s",
			 opts->pin_root ? opts->pin_root : IFSTAT_PIN_ROOT,
			 key);
		ret = take_lock(
			e, opts->lock_dir ? opts->lock_dir : IFSTAT_LOCK_DIR,
			key);
		if (ret)
			goto fail;
		ret = ifstat_bpffs_prepare(e->pin_dir);
		if (ret)
			goto fail;
		e->pinned = true;
		e->resumed = ours_attached(e->ifindex);
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
	grace_period();
}

static const uint32_t default_edges[] = IFSTAT_DEFAULT_EDGES;

static int check_edges(const uint32_t *edges, unsigned int n)
{
	unsigned int i;

	if (n < 1 || n > IFSTAT_MAX_EDGES)
		return -EINVAL;
	for (i = 1; i < n; i++)
		if (edges[i] <= edges[i - 1])
			return -EINVAL;
	return 0;
}

/* What the program reads of the filter in slot s: its generation. */
static void publish_gens(struct ifstat_filter_set *set)
{
	unsigned int i;

	memset(set->gen, 0, sizeof(set->gen));
	for (i = 0; i < set->count && i < IFSTAT_MAX_FILTERS; i++)
		set->gen[set->filters[i].slot % IFSTAT_MAX_FILTERS] =
			set->filters[i].gen;
}

int ifstat_engine_set_filters(struct ifstat_engine *e,
			      const struct ifstat_filter_def *defs,
			      unsigned int n, const uint32_t *edges,
			      unsigned int nedges)
{
	struct ifstat_filter_set *cur = &e->conf->sets[e->conf->active & 1];
	struct ifstat_filter_set *nxt = &e->conf->sets[!(e->conf->active & 1)];
	bool slot_used[IFSTAT_MAX_FILTERS] = { false };
	bool taken[IFSTAT_MAX_FILTERS] = { false };
	bool kept[IFSTAT_MAX_FILTERS] = { false };
	struct ifstat_tables_use use;
	bool same_edges;
	unsigned int i, j, s = 0;
	int ret;

	if (n > IFSTAT_MAX_FILTERS)
		return -E2BIG;
	if (!edges) {
		edges = cur->nedges ? cur->edges : default_edges;
		nedges = cur->nedges ? cur->nedges : IFSTAT_DEFAULT_NEDGES;
	}
	if (check_edges(edges, nedges))
		return -EINVAL;
	same_edges = cur->nedges == nedges &&
		     !memcmp(cur->edges, edges, nedges * sizeof(*edges));

	nxt->count = n;
	nxt->nedges = nedges;
	memset(nxt->edges, 0, sizeof(nxt->edges));
	memcpy(nxt->edges, edges, nedges * sizeof(*edges));
	nxt->totals_gen = cur->totals_gen;
	memset(nxt->filters, 0, sizeof(nxt->filters));
	memset(nxt->meta, 0, sizeof(nxt->meta));
	for (i = 0; i < n; i++) {
		nxt->filters[i] = defs[i].filter;
		memcpy(nxt->meta[i].name, defs[i].name, IFSTAT_NAME_MAX);
		nxt->meta[i].name[IFSTAT_NAME_MAX - 1] = '\0';
		for (j = 0;
		     same_edges && j < cur->count && j < IFSTAT_MAX_FILTERS;
		     j++) {
			if (taken[j] ||
			    strncmp(cur->meta[j].name, nxt->meta[i].name,
				    IFSTAT_NAME_MAX) ||
			    !ifstat_filter_same(&cur->filters[j],
						&defs[i].filter))
				continue;
			taken[j] = kept[i] = true;
			nxt->filters[i].slot = cur->filters[j].slot;
			nxt->filters[i].gen = cur->filters[j].gen;
			slot_used[cur->filters[j].slot % IFSTAT_MAX_FILTERS] =
				true;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		if (kept[i])
			continue;
		while (slot_used[s])
			s++;
		slot_used[s] = true;
		nxt->filters[i].slot = s;
		nxt->filters[i].gen = e->conf->next_gen;
	}
	ret = ifstat_tables_build(&nxt->t, nxt->filters, n, edges, nedges,
				  &use);
	if (ret) {
		log_err("the filters need %u classifier table nodes, more than "
			"the %u there are",
			use.nodes, IFSTAT_TRIE_NODES);
		return ret;
	}
	/* Generations are spent only on a set that goes live. */
	for (i = 0; i < n; i++)
		if (!kept[i])
			nxt->filters[i].gen = e->conf->next_gen++;
	publish_gens(nxt);
	flip(e);
	return 0;
}

int ifstat_engine_reset(struct ifstat_engine *e, int index)
{
	struct ifstat_filter_set *cur = &e->conf->sets[e->conf->active & 1];
	struct ifstat_filter_set *nxt = &e->conf->sets[!(e->conf->active & 1)];
	unsigned int i;
	uint64_t now = ifstat_now_ms();

	if (index < -1)
		return -EINVAL;
	if (index >= (int)cur->count)
		return -ENOENT;
	memcpy(nxt, cur, sizeof(*nxt));
	for (i = 0; i < cur->count; i++)
		if (index < 0 || (int)i == index)
			nxt->filters[i].gen = e->conf->next_gen++;
	publish_gens(nxt);
	if (index < 0)
		nxt->totals_gen = e->conf->next_gen++;
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

static enum xdp_attach_mode xdp_mode(enum ifstat_mode m)
{
	switch (m) {
	case IFSTAT_MODE_NATIVE:
		return XDP_MODE_NATIVE;
	case IFSTAT_MODE_GENERIC:
		return XDP_MODE_SKB;
	default:
		return XDP_MODE_UNSPEC;
	}
}

/* Names what holds the interface, for the one-line error. */
static void describe_holder(int ifindex, char *buf, size_t len)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;

	snprintf(buf, len, "another XDP program");
	if (!mp || libxdp_get_error(mp))
		return;
	p = xdp_multiprog__main_prog(mp);
	if (xdp_multiprog__is_legacy(mp) && p)
		snprintf(buf, len, "XDP program '%s' (id %u)",
			 xdp_program__name(p), xdp_program__id(p));
	else if (p)
		snprintf(buf, len,
			 "the libxdp dispatcher (id %u) with %d programs",
			 xdp_program__id(p), xdp_multiprog__program_count(mp));
	xdp_multiprog__close(mp);
}

static int attach_mode(struct ifstat_engine *e, enum xdp_attach_mode m)
{
	return xdp_program__attach(e->xprog, e->ifindex, m, 0);
}

/* A restart: swap the running program for ours in one step, no gap. */
static int replace_running(struct ifstat_engine *e)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(e->ifindex);
	enum xdp_attach_mode m;
	int ret;

	if (!mp || libxdp_get_error(mp))
		return -ENOENT;
	if (!xdp_multiprog__is_legacy(mp)) {
		/* Under the dispatcher the old instance shares our maps and
		 * reads any filter set from them: it keeps counting and we
		 * leave the dispatcher alone. */
		e->mode = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB
				  ? IFSTAT_MODE_GENERIC
				  : IFSTAT_MODE_NATIVE;
		xdp_multiprog__close(mp);
		return 0;
	}
	m = xdp_multiprog__attach_mode(mp);
	{
		LIBBPF_OPTS(bpf_xdp_attach_opts, o,
			    .old_prog_fd = xdp_program__fd(
				    xdp_multiprog__main_prog(mp)));
		__u32 flags = XDP_FLAGS_REPLACE |
			      (m == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE
						 : XDP_FLAGS_DRV_MODE);

		ret = bpf_xdp_attach(e->ifindex,
				     bpf_program__fd(e->skel->progs.ifstat_xdp),
				     flags, &o);
	}
	xdp_multiprog__close(mp);
	if (ret)
		return ret;
	e->mode = m == XDP_MODE_SKB ? IFSTAT_MODE_GENERIC : IFSTAT_MODE_NATIVE;
	return 0;
}

int ifstat_engine_attach(struct ifstat_engine *e, enum ifstat_mode mode)
{
	char holder[96];
	int ret;

	if (!e->ifindex)
		return -EINVAL;
	if (e->resumed) {
		ret = ifstat_engine_load(e);
		if (ret)
			return ret;
		ret = replace_running(e);
		if (!ret) {
			log_info("%s: continuing the counters pinned in %s (%s "
				 "mode)",
				 e->ifname, e->pin_dir,
				 ifstat_mode_name(e->mode));
			return 0;
		}
		log_warn("%s: cannot replace the running ifstat program (%s); "
			 "attaching anew",
			 e->ifname, strerror(-ret));
	}
	if (!e->xprog) {
		DECLARE_LIBXDP_OPTS(xdp_program_opts, xo, .obj = e->skel->obj,
				    .prog_name = IFSTAT_PROG_NAME);

		e->xprog = xdp_program__create(&xo);
		if (!e->xprog) {
			ret = -errno;
			log_err("libxdp cannot use the program: %s",
				strerror(-ret));
			return ret;
		}
		/* libbpf sets the frags flag only at load, too late for
		 * libxdp to build a frags-capable dispatcher. */
		ret = xdp_program__set_xdp_frags_support(e->xprog, true);
		if (ret)
			return ret;
	}
	if (mode == IFSTAT_MODE_AUTO) {
		ret = attach_mode(e, XDP_MODE_NATIVE);
		e->mode = IFSTAT_MODE_NATIVE;
		if (ret && ret != -EEXIST && ret != -EBUSY) {
			log_warn("%s: native XDP refused (%s); using generic "
				 "(skb) mode, which is slower",
				 e->ifname, strerror(-ret));
			ret = attach_mode(e, XDP_MODE_SKB);
			e->mode = IFSTAT_MODE_GENERIC;
		}
	} else {
		ret = attach_mode(e, xdp_mode(mode));
		e->mode = mode;
	}
	if (ret == -EEXIST || ret == -EBUSY) {
		describe_holder(e->ifindex, holder, sizeof(holder));
		log_err("%s: %s already holds the interface; detach it first "
			"(xdp-loader status %s)",
			e->ifname, holder, e->ifname);
		return -EEXIST;
	}
	if (ret && !e->loaded &&
	    bpf_program__fd(e->skel->progs.ifstat_xdp) < 0) {
		load_failed(e, ret);
		return ret;
	}
	if (ret) {
		log_err("%s: cannot attach in %s mode: %s%s", e->ifname,
			ifstat_mode_name(mode), strerror(-ret),
			ret == -EOPNOTSUPP ? " (the driver lacks it; try "
					     "generic)"
			: ret == -ERANGE   ? " (MTU too large for this mode)"
					   : "");
		return ret;
	}
	e->loaded = true;
	log_info("%s: attached in %s mode", e->ifname,
		 ifstat_mode_name(e->mode));
	return 0;
}

enum ifstat_mode ifstat_engine_mode(const struct ifstat_engine *e)
{
	return e->mode;
}

bool ifstat_engine_resumed(const struct ifstat_engine *e)
{
	return e->resumed;
}

bool ifstat_engine_reused(const struct ifstat_engine *e)
{
	return e->reused;
}

int ifstat_engine_detach(struct ifstat_engine *e, bool keep_pins)
{
	int ret = 0;

	struct xdp_multiprog *mp = NULL;
	struct xdp_program *ours;

	if (e->ifindex)
		mp = xdp_multiprog__get_from_ifindex(e->ifindex);
	if (mp && !libxdp_get_error(mp) && (ours = find_ours(mp))) {
		/* Only ours leaves a dispatcher; the others stay. The mode
		 * must be the one in use, or libxdp finds no match. */
		ret = xdp_program__detach(ours, e->ifindex,
					  xdp_multiprog__attach_mode(mp), 0);
		if (ret) {
			log_err("%s: cannot detach ifstat: %s; the counters "
				"stay pinned in %s",
				e->ifname, strerror(-ret), e->pin_dir);
			xdp_multiprog__close(mp);
			return ret;
		}
	}
	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	if (e->pinned && !keep_pins)
		ifstat_bpffs_remove(e->pin_dir, pin_names);
	return ret;
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
	if (e->lock_fd >= 0)
		close(e->lock_fd);
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
