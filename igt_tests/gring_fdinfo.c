// SPDX-License-Identifier: MIT
/*
 * gring_fdinfo: the DRM usage statistics in /proc/self/fdinfo/<fd>
 * (Documentation/gpu/drm-usage-stats.rst): drm-driver, drm-client-id, and
 * the drm-{total,shared,resident}-memory keys, checked against the BOs the
 * test itself created.
 *
 * The numbers expected are the test's own: page-rounded sizes it asked
 * for, summed over the handles it holds in that file. A BO is "shared"
 * by DRM's definition (drm_gem_object_is_shared_for_memory_stats()) once
 * it has more than one handle or has been exported as a dma-buf; all of a
 * gring BO is resident while it lives, since it is pinned from creation.
 * Engine time: one drm-engine-<name> key per engine the device has
 * (DRM_GRING_PARAM_ENGINES), each moved only by jobs on that engine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"
#include "gring_virtio_test.h"

IGT_TEST_DESCRIPTION("DRM usage statistics of gring files in /proc/<pid>/fdinfo.");

#define KEY_MISSING	UINT64_MAX

/*
 * The value of "<key>:\t<value>" in @fd's fdinfo: the string after the
 * tab, or NULL if the key is not there. The caller frees it.
 */
static char *fdinfo_value(int fd, const char *key)
{
	char path[64], *text, *line, *value = NULL;
	size_t len = strlen(key);

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	text = igt_gring_read_text(path);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, key, len) && line[len] == ':') {
			value = strdup(line + len + 1 + strspn(line + len + 1, " \t"));
			break;
		}
	}
	free(text);
	return value;
}

/*
 * A memory key in bytes. The DRM core prints "<n>", "<n> KiB" or
 * "<n> MiB" (drm-usage-stats.rst); anything else fails the test.
 */
static uint64_t fdinfo_bytes(int fd, const char *key)
{
	char *value = fdinfo_value(fd, key), *end;
	uint64_t n;

	if (!value)
		return KEY_MISSING;

	errno = 0;
	n = strtoull(value, &end, 10);
	igt_assert_f(!errno && end != value, "%s: \"%s\" is not a number\n",
		     key, value);
	if (!strcmp(end, " KiB"))
		n <<= 10;
	else if (!strcmp(end, " MiB"))
		n <<= 20;
	else
		igt_assert_f(*end == '\0', "%s: unknown unit in \"%s\"\n", key,
			     value);
	free(value);
	return n;
}

struct mem {
	uint64_t total, shared, resident;
};

static struct mem fdinfo_mem(int fd)
{
	struct mem m = {
		.total = fdinfo_bytes(fd, "drm-total-memory"),
		.shared = fdinfo_bytes(fd, "drm-shared-memory"),
		.resident = fdinfo_bytes(fd, "drm-resident-memory"),
	};

	igt_assert_f(m.total != KEY_MISSING, "no drm-total-memory in fdinfo\n");
	igt_assert_f(m.shared != KEY_MISSING, "no drm-shared-memory in fdinfo\n");
	/*
	 * drm_show_memory_stats() prints the optional keys once some BO of
	 * the file says it supports them: a file with no BO has none.
	 */
	if (m.total == 0 && m.resident == KEY_MISSING)
		m.resident = 0;
	igt_assert_f(m.resident != KEY_MISSING, "no drm-resident-memory in fdinfo\n");
	return m;
}

static void assert_mem(int fd, uint64_t total, uint64_t shared)
{
	struct mem m = fdinfo_mem(fd);

	igt_debug("fd %d: total %" PRIu64 " shared %" PRIu64 " resident %" PRIu64 "\n",
		  fd, m.total, m.shared, m.resident);
	igt_assert_eq_u64(m.total, total);
	igt_assert_eq_u64(m.shared, shared);
	igt_assert_eq_u64(m.resident, total);
}

static uint64_t client_id(int fd)
{
	char *value = fdinfo_value(fd, "drm-client-id"), *end;
	uint64_t id;

	igt_assert_f(value, "no drm-client-id in fdinfo\n");
	errno = 0;
	id = strtoull(value, &end, 10);
	igt_assert_f(!errno && end != value && *end == '\0',
		     "drm-client-id \"%s\" is not a number\n", value);
	free(value);
	return id;
}

static void test_keys(int fd)
{
	int other = igt_gring_reopen(fd);
	char *driver = fdinfo_value(fd, "drm-driver");

	igt_assert_f(driver, "no drm-driver in fdinfo\n");
	igt_assert_f(!strcmp(driver, "gring"), "drm-driver is \"%s\"\n", driver);
	free(driver);

	igt_assert_neq_u64(client_id(fd), client_id(other));
	close(other);
}

static void test_private_bos(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t sizes[] = { 1, 3 * page + 1, 1 << 20, 5 * page };
	uint32_t handles[4];
	uint64_t total = 0;
	int own = igt_gring_reopen(fd);

	assert_mem(own, 0, 0);
	for (unsigned int i = 0; i < 4; i++) {
		handles[i] = igt_gring_gem_create(own, sizes[i], NULL);
		total += igt_gring_page_round(sizes[i]);
		assert_mem(own, total, 0);
	}
	/* Another file's statistics are its own. */
	assert_mem(fd, 0, 0);

	for (unsigned int i = 0; i < 4; i++) {
		gem_close(own, handles[i]);
		total -= igt_gring_page_round(sizes[i]);
		assert_mem(own, total, 0);
	}
	close(own);
}

static void test_prime_shared(int fd)
{
	const uint64_t page = igt_gring_page_size();
	const uint64_t priv = 2 * page, shared = 8 * page;
	int a = igt_gring_reopen(fd), b = igt_gring_reopen(fd);
	uint32_t in_a, priv_a, in_b;
	int dmabuf;

	priv_a = igt_gring_gem_create(a, priv, NULL);
	in_a = igt_gring_gem_create(a, shared, NULL);
	assert_mem(a, priv + shared, 0);

	/* Exported: shared by DRM's definition, even before an import. */
	dmabuf = igt_gring_prime_export(a, in_a);
	assert_mem(a, priv + shared, shared);

	/* Imported into another file: the same object, counted in both. */
	in_b = igt_gring_prime_import(b, dmabuf);
	close(dmabuf);
	assert_mem(a, priv + shared, shared);
	assert_mem(b, shared, shared);

	gem_close(b, in_b);
	assert_mem(b, 0, 0);
	gem_close(a, priv_a);
	gem_close(a, in_a);
	assert_mem(a, 0, 0);
	close(a);
	close(b);
}

/*
 * The engines' keys: "drm-engine-<name>:\t<n> ns", one per engine of the
 * device (DRM_GRING_PARAM_ENGINES), named as below. drm-usage-stats.rst's
 * drm-engine-capacity-<name> is another key and is not counted here.
 */
static const char *const engine_names[] = {
	[DRM_GRING_ENGINE_SOFT] = "soft",
	[DRM_GRING_ENGINE_VIRTIO_GPU] = "virtio-gpu",
};
#define NR_ENGINE_NAMES	(sizeof(engine_names) / sizeof(engine_names[0]))

/* drm-engine-<name> in ns ("<n> ns"); KEY_MISSING if the key is absent. */
static uint64_t engine_ns(int fd, const char *name)
{
	char key[64], *value, *end;
	uint64_t ns;

	snprintf(key, sizeof(key), "drm-engine-%s", name);
	value = fdinfo_value(fd, key);
	if (!value)
		return KEY_MISSING;
	ns = strtoull(value, &end, 10);
	igt_assert_f(end != value && !strcmp(end, " ns"),
		     "%s is not \"<n> ns\": \"%s\"\n", key, value);
	free(value);
	return ns;
}

/* How many drm-engine-<name> keys @fd's fdinfo has, whatever the name. */
static unsigned int engine_key_count(int fd)
{
	char path[64], *text, *line;
	unsigned int n = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	text = igt_gring_read_text(path);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "drm-engine-", 11) &&
		    strncmp(line, "drm-engine-capacity-", 20)) {
			igt_debug("%s\n", line);
			n++;
		}
	free(text);
	return n;
}

/*
 * @fd's fdinfo has drm-engine-<name> for each engine its device has, and
 * no other drm-engine-* key. Returns the engine mask.
 */
static uint64_t assert_engine_keys(int fd)
{
	uint64_t mask = igt_gring_get_param(fd, DRM_GRING_PARAM_ENGINES);
	unsigned int e, count = 0;

	igt_info("PARAM_ENGINES %#" PRIx64 "\n", mask);
	igt_assert_f(!(mask >> NR_ENGINE_NAMES),
		     "engines %#" PRIx64 ": this test knows %zu engines' names\n",
		     mask, NR_ENGINE_NAMES);
	for (e = 0; e < NR_ENGINE_NAMES; e++) {
		bool has = mask & (1ull << e);
		bool shown = engine_ns(fd, engine_names[e]) != KEY_MISSING;

		igt_assert_f(has == shown, "engine %s: %s, but fdinfo %s drm-engine-%s\n",
			     engine_names[e], has ? "the device has it" : "not the device's",
			     shown ? "has" : "has no", engine_names[e]);
		count += has;
	}
	igt_assert_eq(engine_key_count(fd), count);
	return mask;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * A soft-engine job of @fd: drm-engine-soft grows by at least the stall it
 * asked for and by no more than the wall time it took; the file's other
 * engines' keys do not move.
 */
static void soft_job_grows_soft_only(int fd)
{
	const uint64_t stall = 200 * 1000 * 1000ull;
	struct drm_gring_ring_create rc = { .engine = DRM_GRING_ENGINE_SOFT };
	struct drm_gring_cmd cmd = { .op = DRM_GRING_OP_STALL, .value = stall };
	struct drm_gring_submit sub = {
		.cmds = (uintptr_t)&cmd, .cmd_count = 1, .cmd_size = sizeof(cmd),
	};
	uint64_t before[NR_ENGINE_NAMES], t0, t1, after;
	uint32_t sync;
	unsigned int e;

	for (e = 0; e < NR_ENGINE_NAMES; e++)
		before[e] = engine_ns(fd, engine_names[e]);
	igt_assert_f(before[DRM_GRING_ENGINE_SOFT] != KEY_MISSING,
		     "no drm-engine-soft in fdinfo\n");
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_RING_CREATE, &rc), 0);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &sync), 0);
	sub.ring_id = rc.ring_id;
	sub.out_sync = sync;
	t0 = mono_ns();
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_SUBMIT, &sub), 0);
	igt_assert_eq(drmSyncobjWait(fd, &sync, 1, INT64_MAX,
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
				     NULL), 0);
	t1 = mono_ns();
	after = engine_ns(fd, "soft");

	igt_info("engine time %" PRIu64 " ns for a %" PRIu64 " ns stall in %" PRIu64 " ns\n",
		 after - before[DRM_GRING_ENGINE_SOFT], stall, t1 - t0);
	igt_assert_lte_u64(stall, after - before[DRM_GRING_ENGINE_SOFT]);
	igt_assert_lte_u64(after - before[DRM_GRING_ENGINE_SOFT], t1 - t0);
	for (e = 0; e < NR_ENGINE_NAMES; e++)
		if (e != DRM_GRING_ENGINE_SOFT)
			igt_assert_f(engine_ns(fd, engine_names[e]) == before[e],
				     "drm-engine-%s moved for a soft-engine job\n",
				     engine_names[e]);

	drmSyncobjDestroy(fd, sync);
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_GRING_RING_DESTROY,
			       &(struct drm_gring_ring_destroy){
				       .ring_id = rc.ring_id }), 0);
}

/*
 * The engine time of a file grows by its own soft-engine jobs, on the
 * soft engine's key only; another file's does not grow at all.
 */
static void test_engine_time(int fd)
{
	int other = igt_gring_reopen(fd);
	uint64_t other_before = engine_ns(other, "soft");

	soft_job_grows_soft_only(fd);
	igt_assert_eq_u64(engine_ns(other, "soft"), other_before);
	close(other);
}

/* The bench's second virtio-gpu-pci, bound to gring for the test. */
static struct vt_devices devs;

static void give_back(int sig)
{
	(void)sig;
	vt_give_back(&devs);
}

/*
 * A device gring made on a virtio-gpu function has two engines: its
 * files show both keys, and a soft-engine job moves only the soft one.
 */
static void test_engine_keys_virtio(void)
{
	int fd;

	igt_require_f(geteuid() == 0, "binding a PCI function needs root\n");
	igt_require_f(access(VT_GRING_PCI, F_OK) == 0,
		      "no " VT_GRING_PCI " (gring.ko not loaded)\n");
	igt_require_f(vt_find_devices(&devs) >= 2,
		      "needs two virtio-gpu-pci devices\n");
	igt_install_exit_handler(give_back);
	vt_take(&devs);

	fd = vt_open_render(devs.second);
	igt_assert_eq_u64(assert_engine_keys(fd),
			  (1ull << DRM_GRING_ENGINE_SOFT) |
			  (1ull << DRM_GRING_ENGINE_VIRTIO_GPU));
	soft_job_grows_soft_only(fd);
	close(fd);
	vt_give_back(&devs);
}

igt_main
{
	static int fd = -1;

	igt_fixture
		fd = igt_gring_open();

	igt_describe("fdinfo names the driver, and two files of the device have different client ids.");
	igt_subtest("fdinfo-driver-client-id")
		test_keys(fd);

	igt_describe("drm-total-memory and drm-resident-memory follow the BOs a file creates and closes, page-rounded.");
	igt_subtest("fdinfo-private-bos")
		test_private_bos(fd);

	igt_describe("A BO exported and imported through PRIME counts as shared, in full, in both files.");
	igt_subtest("fdinfo-prime-shared")
		test_prime_shared(fd);

	igt_describe("drm-engine-soft grows by the engine time of the file's own jobs, and only its own.");
	igt_subtest("fdinfo-engine-time")
		test_engine_time(fd);

	igt_describe("fdinfo has one drm-engine-<name> key per engine of the device, and no other.");
	igt_subtest("fdinfo-engine-keys")
		assert_engine_keys(fd);

	igt_describe("On a device with the virtio-gpu engine: drm-engine-soft and drm-engine-virtio-gpu, and a soft-engine job moves only drm-engine-soft.");
	igt_subtest("fdinfo-engine-keys-virtio-gpu")
		test_engine_keys_virtio();

	igt_fixture
		close(fd);
}
