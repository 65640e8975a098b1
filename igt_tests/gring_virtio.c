// SPDX-License-Identifier: MIT
/*
 * gring_virtio: gring's own virtio PCI transport and split virtqueues on
 * QEMU's virtio-gpu, the second of the bench's two virtio-gpu-pci devices.
 *
 * The device is taken from virtio-pci the way an admin would (unbind,
 * driver_override "gring", drivers_probe), and always given back to
 * virtio-pci by an exit handler, so the kernel's virtio_gpu has it again
 * whatever happened here. The first device stays with virtio-pci
 * throughout: gring must not take what it was not given.
 *
 * What gring learnt from the device is in debugfs
 * (gring_virtio/<pci name>/{display,transport,controlq,cursorq}), so this
 * needs root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"
#include "gring_virtio_test.h"

IGT_TEST_DESCRIPTION("gring drives QEMU's virtio-gpu through its own split virtqueues.");

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define GRING_PCI	"/sys/bus/pci/drivers/gring"
#define DEBUGFS		"/sys/kernel/debug/gring_virtio"
#define FORCE_INTX	"/sys/module/gring/parameters/force_intx"

/*
 * What tools/vm gives the second virtio-gpu-pci (xres, yres); change both
 * together.
 */
#define XRES		1280
#define YRES		800

/* Commands per published batch: GRING_VPCI_BATCH in gring_virtio_pci.c. */
#define BATCH		16

/* Bits of the virtio feature words (virtio 1.x, 6 "Reserved Feature Bits"). */
#define F_VERSION_1	32
#define F_EVENT_IDX	29

static struct vt_devices devs;

/*
 * The exit handler, and the last step of each subtest: the device goes
 * back to virtio-pci (and so to the kernel's virtio_gpu), and INTx is
 * no longer forced on devices bound later.
 */
static void give_back(int sig)
{
	(void)sig;
	vt_give_back(&devs);
	__igt_gring_write_text(FORCE_INTX, "0");
}

static void take(void)
{
	vt_take(&devs);
}

static void release(void)
{
	igt_assert_eq(__igt_gring_write_text(GRING_PCI "/unbind", devs.second), 0);
	igt_assert(!vt_bound_to(devs.second, "gring"));
}

static char *debugfs_text(const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", devs.second, file);
	return igt_gring_read_text(path);
}

/* The value of the line "<key> <number>" (decimal or 0x hex). */
static uint64_t field(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;
	char *end;

	while (p && *p) {
		if (!strncmp(p, key, len) && p[len] == ' ') {
			uint64_t v = strtoull(p + len + 1, &end, 0);

			igt_assert_f(end != p + len + 1 && *end == '\n',
				     "bad line for %s in:\n%s", key, text);
			return v;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	igt_assert_f(false, "no %s in:\n%s", key, text);
	return 0;
}

/* scanout 0 is XRES x YRES at 0,0, and it is the only one enabled. */
static void assert_display(void)
{
	char *text = debugfs_text("display"), want[64];
	int len;

	igt_info("display:\n%s", text);
	len = snprintf(want, sizeof(want), "scanout 0: %dx%d+0+0 ", XRES, YRES);
	igt_assert_f(!strncmp(text, want, len), "want \"%s...\", got:\n%s",
		     want, text);
	igt_assert_f(!strstr(text + len, "scanout"), "more scanouts:\n%s",
		     text);
	free(text);
}

/*
 * After probe: exactly one command went round the controlq (the display
 * query) and came back; nothing is in flight or device-owned.
 */
static void assert_queues(uint64_t commands)
{
	char *t = debugfs_text("transport"), *c = debugfs_text("controlq");
	char *k = debugfs_text("cursorq");
	uint64_t offered = field(t, "features_offered");
	uint64_t features = field(t, "features");

	igt_info("transport:\n%scontrolq:\n%s", t, c);
	/* DRIVER_OK | FEATURES_OK | DRIVER | ACKNOWLEDGE */
	igt_assert_eq_u64(field(t, "status"), 0xf);
	igt_assert(features & (1ull << F_VERSION_1));
	igt_assert_eq_u64(features & (1ull << F_EVENT_IDX),
			  offered & (1ull << F_EVENT_IDX));
	igt_assert_eq_u64(features & ~offered, 0);

	igt_assert_eq_u64(field(c, "ready"), 1);
	igt_assert_eq_u64(field(c, "index"), 0);
	igt_assert_eq_u64(field(c, "event_idx"),
			  !!(offered & (1ull << F_EVENT_IDX)));
	igt_assert_eq_u64(field(c, "broken"), 0);
	igt_assert_eq_u64(field(c, "added"), commands);
	igt_assert_eq_u64(field(c, "used"), commands);
	igt_assert_eq_u64(field(c, "avail_idx"), commands);
	igt_assert_eq_u64(field(c, "used_idx"), commands);
	igt_assert_eq_u64(field(c, "inflight"), 0);
	igt_assert_eq_u64(field(c, "device_descs"), 0);
	igt_assert_eq_u64(field(c, "num_free"), field(c, "num"));
	/* Completion is interrupt-driven: at least one arrived. */
	igt_assert(field(c, "irqs") >= 1);

	igt_assert_eq_u64(field(k, "ready"), 1);
	igt_assert_eq_u64(field(k, "index"), 1);
	igt_assert_eq_u64(field(k, "added"), 0);
	free(t);
	free(c);
	free(k);
}

static void assert_gone(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DEBUGFS "/%s", devs.second);
	igt_assert_f(access(path, F_OK) != 0, "%s outlived the unbind\n",
		     path);
}

igt_main
{
	igt_fixture {
		igt_require_f(geteuid() == 0, "sysfs and debugfs need root\n");
		igt_require_f(access(GRING_PCI, F_OK) == 0,
			      "no " GRING_PCI " (gring.ko not loaded)\n");
		igt_require_f(vt_find_devices(&devs) >= 2,
			      "needs two virtio-gpu-pci devices\n");
		igt_install_exit_handler(give_back);
		give_back(0);
		/* gring takes nothing by itself. */
		igt_assert(vt_bound_to(devs.first, "virtio-pci"));
		igt_assert(vt_bound_to(devs.second, "virtio-pci"));
	}

	igt_describe("Bound through driver_override, gring's GET_DISPLAY_INFO over its own controlq returns the size QEMU was given.");
	igt_subtest("virtio-display-info") {
		take();
		assert_display();
		assert_queues(1);
		release();
		give_back(0);
	}

	igt_describe("Unbind resets the device and removes its debugfs; three rebinds each start from a fresh queue.");
	igt_subtest("virtio-rebind") {
		for (int i = 0; i < 3; i++) {
			take();
			assert_display();
			assert_queues(1);
			release();
			assert_gone();
		}
		give_back(0);
	}

	igt_describe("With MSI-X refused (force_intx), the transport falls back to INTx and the command still completes.");
	igt_subtest("virtio-intx-fallback") {
		char *t;

		igt_assert_eq(__igt_gring_write_text(FORCE_INTX, "1"), 0);
		take();
		t = debugfs_text("transport");
		igt_assert_f(strstr(t, "\nirq intx\n"), "not INTx:\n%s", t);
		free(t);
		assert_display();
		assert_queues(1);
		release();
		igt_assert_eq(__igt_gring_write_text(FORCE_INTX, "0"), 0);
		take();
		t = debugfs_text("transport");
		igt_assert_f(strstr(t, "\nirq msix\n"), "not MSI-X:\n%s", t);
		free(t);
		release();
		give_back(0);
	}

	igt_describe("1000 GET_DISPLAY_INFO round trips in batches of 16 through a 64-entry controlq: one avail idx update per batch, every descriptor back, every answer the same.");
	igt_subtest("virtio-batched-queries") {
		const uint64_t n = 1000, batches = (n + BATCH - 1) / BATCH;
		char path[PATH_MAX], *c, *t;

		take();
		snprintf(path, sizeof(path), DEBUGFS "/%s/display_query",
			 devs.second);
		igt_assert_eq(__igt_gring_write_text(path, "1000"), 0);
		c = debugfs_text("controlq");
		t = debugfs_text("transport");
		igt_info("controlq after %" PRIu64 " queries:\n%s", n, c);
		/* Probe's query, then the batches. */
		igt_assert_eq_u64(field(t, "display_queries"), n + 1);
		igt_assert_eq_u64(field(c, "added"), n + 1);
		igt_assert_eq_u64(field(c, "used"), n + 1);
		igt_assert_eq_u64(field(c, "published"), 1 + batches);
		igt_assert_eq_u64(field(c, "avail_idx"), (n + 1) % 65536);
		igt_assert_eq_u64(field(c, "used_idx"), (n + 1) % 65536);
		igt_assert_eq_u64(field(c, "notified") +
				  field(c, "suppressed"), 1 + batches);
		igt_assert_eq_u64(field(c, "doorbells"), field(c, "notified"));
		igt_assert_eq_u64(field(c, "inflight"), 0);
		igt_assert_eq_u64(field(c, "device_descs"), 0);
		igt_assert_eq_u64(field(c, "num_free"), field(c, "num"));
		igt_assert_eq_u64(field(c, "broken"), 0);
		igt_assert_eq_u64(field(c, "bad_used"), 0);
		free(c);
		free(t);
		/* Nothing but counters changed. */
		assert_display();
		release();
		give_back(0);
	}

	igt_describe("Given back, the device is virtio-pci's again and the kernel's virtio_gpu drives it.");
	igt_subtest("virtio-give-back") {
		char path[PATH_MAX];

		take();
		release();
		give_back(0);
		igt_assert(vt_bound_to(devs.second, "virtio-pci"));
		/* virtio_gpu bound the virtio device under it. */
		snprintf(path, sizeof(path), PCI_DEVICES "/%s", devs.second);
		igt_assert(vt_bound_to(devs.first, "virtio-pci"));
		{
			struct dirent *e;
			DIR *d = opendir(path);
			bool gpu = false;

			igt_assert(d);
			while ((e = readdir(d)))
				if (!strncmp(e->d_name, "virtio", 6)) {
					char p2[PATH_MAX * 2], drv[PATH_MAX];
					ssize_t n;

					snprintf(p2, sizeof(p2), "%s/%s/driver",
						 path, e->d_name);
					n = readlink(p2, drv, sizeof(drv) - 1);
					if (n > 0) {
						drv[n] = '\0';
						gpu |= !!strstr(drv, "virtio_gpu");
					}
				}
			closedir(d);
			igt_assert_f(gpu, "virtio_gpu does not drive %s\n",
				     devs.second);
		}
	}
}
