// SPDX-License-Identifier: MIT
/*
 * gring_edu: samples/gring_edu, a PCI driver for QEMU's edu device built on
 * gring's core alone (views, leases, refusals), seen from userspace.
 *
 * The driver's interface: /dev/gring_eduN (one per device), where one
 * write() of 1 to 4096 bytes moves them to the device's buffer and back
 * into another view by the device's DMA engine, and read() returns what
 * came back; /sys/kernel/debug/gring_edu/<PCI name>/ holds its counters
 * (transfers, refusals, dma_mask_ok, buffer: the core's own account of
 * the buffer), a misuse knob (the next transfer tries a CPU write into the
 * device-owned view) and a fault (the next transfer asks for no interrupt).
 *
 * Every expected value is computed here: the bytes are random, the
 * counters are compared with what they were before. Needs root (the node
 * is 0600, debugfs, module loading). Skips only when the machine has no
 * edu device; a device without its driver fails.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "igt_gring.h"
#include "gring_test.h"

IGT_TEST_DESCRIPTION("samples/gring_edu: DMA through gring's views and leases on QEMU's edu device.");

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_MAX		4096
#define EDU_DEBUGFS	"/sys/kernel/debug/gring_edu"
#define EDU_MODULE	"gring_edu"
#define TRACEFS		"/sys/kernel/tracing"	/* tools/vm-init mounts it */
#define REFUSED_EVENT	TRACEFS "/events/gring_core/gring_refused/enable"

struct edu {
	char bdf[256];		/* a dirent's d_name */
	char node[512];
	char debugfs[512];
};

static unsigned int read_hex(const char *dir, const char *name)
{
	char path[PATH_MAX];
	unsigned int value = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", PCI_DEVICES, dir, name);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%x", &value) != 1)
		value = 0;
	fclose(f);
	return value;
}

/* The first edu device's PCI name, or false if the machine has none. */
static bool find_edu_device(char *bdf, size_t len)
{
	DIR *dir = opendir(PCI_DEVICES);
	struct dirent *d;
	bool found = false;

	if (!dir)
		return false;
	while (!found && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (read_hex(d->d_name, "vendor") == EDU_VENDOR &&
		    read_hex(d->d_name, "device") == EDU_DEVICE) {
			snprintf(bdf, len, "%s", d->d_name);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

/*
 * The device, its node (the misc device under the PCI device in sysfs,
 * so the node is this device's) and its debugfs directory.
 */
static struct edu edu_get(void)
{
	struct edu e = { 0 };
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	igt_require_f(find_edu_device(e.bdf, sizeof(e.bdf)),
		      "no QEMU edu device (%04x:%04x)\n", EDU_VENDOR, EDU_DEVICE);
	snprintf(path, sizeof(path), "%s/%s/misc", PCI_DEVICES, e.bdf);
	dir = opendir(path);
	igt_assert_f(dir, "edu device %s has no misc device: is gring_edu bound? (%m)\n",
		     e.bdf);
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, "gring_edu", 9))
			snprintf(e.node, sizeof(e.node), "/dev/%s", d->d_name);
	closedir(dir);
	igt_assert_f(e.node[0], "no gring_edu node under %s\n", path);
	snprintf(e.debugfs, sizeof(e.debugfs), "%s/%s", EDU_DEBUGFS, e.bdf);
	return e;
}

static int edu_open(const struct edu *e)
{
	int fd = open(e->node, O_RDWR | O_CLOEXEC);

	igt_assert_f(fd >= 0, "cannot open %s: %m\n", e->node);
	return fd;
}

static uint64_t edu_counter(const struct edu *e, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", e->debugfs, name);
	return igt_gring_read_u64(path);
}

static char *edu_text(const struct edu *e, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", e->debugfs, name);
	return igt_gring_read_text(path);
}

static void edu_arm(const struct edu *e, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", e->debugfs, name);
	igt_assert_eq(__igt_gring_write_text(path, "1"), 0);
}

/* One "key value" line of the debugfs file buffer: the core's counts. */
static uint64_t buffer_stat(const struct edu *e, const char *key)
{
	char *text = edu_text(e, "buffer"), *line;
	size_t len = strlen(key);
	uint64_t value = 0;
	bool found = false;

	for (line = text; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, key, len) && line[len] == ' ') {
			value = strtoull(line + len + 1, NULL, 10);
			found = true;
			break;
		}
	}
	igt_assert_f(found, "no '%s' in %s/buffer:\n%s", key, e->debugfs, text);
	free(text);
	return value;
}

static void random_bytes(uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t ret = getrandom(buf + done, len - done, 0);

		igt_assert(ret > 0);
		done += ret;
	}
}

/* What read() returns from offset 0: the last transfer's bytes. */
static ssize_t edu_read_back(int fd, uint8_t *buf)
{
	return pread(fd, buf, EDU_MAX + 1, 0);
}

/* One transfer of @len random bytes, read back and compared. */
static void transfer_check(const struct edu *e, int fd, size_t len)
{
	uint8_t in[EDU_MAX], out[EDU_MAX + 1];
	uint64_t transfers = edu_counter(e, "transfers");
	uint64_t to_gpu = buffer_stat(e, "to_gpu");
	uint64_t to_cpu = buffer_stat(e, "to_cpu");

	random_bytes(in, len);
	memset(out, 0, sizeof(out));
	igt_assert_f(write(fd, in, len) == (ssize_t)len,
		     "write of %zu bytes: %m\n", len);
	igt_assert_eq(edu_read_back(fd, out), (int)len);
	for (size_t i = 0; i < len; i++)
		igt_assert_f(out[i] == in[i],
			     "byte %zu of %zu came back %#x, sent %#x\n",
			     i, len, out[i], in[i]);
	igt_assert_eq_u64(edu_counter(e, "transfers"), transfers + 1);
	/* src and dst went to the device and came back, once each. */
	igt_assert_eq_u64(buffer_stat(e, "to_gpu"), to_gpu + 2);
	igt_assert_eq_u64(buffer_stat(e, "to_cpu"), to_cpu + 2);
	igt_assert_eq_u64(buffer_stat(e, "device_leases"), 0);
}

/* Records matching @re at warning level are this subtest's, not trouble. */
static void expect_kmsg(const char *re)
{
	char line[512];

	snprintf(line, sizeof(line), "<6>[IGT] add ignored dmesg regex: %s\n",
		 re);
	igt_assert_eq(__igt_gring_write_text("/dev/kmsg", line), 0);
}

/* Whether a kernel log record since boot holds every one of @words. */
static bool kmsg_has(const char *const *words, size_t n)
{
	char rec[8192];
	bool found = false;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t len;

	igt_assert(fd >= 0);
	while (!found) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		found = true;
		for (size_t i = 0; i < n && found; i++)
			found = strstr(rec, words[i]);
	}
	close(fd);
	return found;
}

static void tracefs_write(const char *path, const char *text)
{
	igt_assert_f(__igt_gring_write_text(path, text) == 0,
		     "writing '%s' to %s failed\n", text, path);
}

static void refused_event_off(int sig)
{
	(void)sig;
	__igt_gring_write_text(REFUSED_EVENT, "0");
}

/* The trace buffer, which holds only gring_core:gring_refused events here. */
static bool trace_has(const char *a, const char *b)
{
	char *text = igt_gring_read_text(TRACEFS "/trace");
	bool found = strstr(text, a) && strstr(text, b);

	if (!found)
		igt_info("trace:\n%s", text);
	free(text);
	return found;
}

static bool module_loaded(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

static int load_edu_module(void)
{
	char path[PATH_MAX];
	struct utsname u;
	int fd, ret;

	igt_assert_eq(uname(&u), 0);
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/%s.ko", u.release,
		 EDU_MODULE);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* The exit handler of unload-reload: never leave the driver unloaded. */
static void ensure_loaded(int sig)
{
	(void)sig;
	if (!module_loaded(EDU_MODULE))
		load_edu_module();
}

igt_main
{
	igt_describe("Random bytes of sizes 1 to 4096 go to the device and back "
		     "by its DMA engine and read back equal; each transfer "
		     "leases src and dst once and gets both back.");
	igt_subtest("transfer") {
		static const size_t sizes[] = {
			1, 2, 3, 64, 100, 511, 1000, 2048, 4095, 4096,
		};
		struct edu e = edu_get();
		int fd = edu_open(&e);

		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			transfer_check(&e, fd, sizes[i]);
		close(fd);
	}

	igt_describe("write() of 0 or 4097 bytes is EINVAL and changes nothing: "
		     "the last transfer's bytes still read back, no transfer "
		     "or handoff is counted.");
	igt_subtest("bad-size-refused") {
		static const size_t bad[] = { 0, EDU_MAX + 1, 65536 };
		uint8_t in[100], out[EDU_MAX + 1];
		struct edu e = edu_get();
		int fd = edu_open(&e);
		uint64_t transfers, to_gpu;

		random_bytes(in, sizeof(in));
		igt_assert_eq(write(fd, in, sizeof(in)), (int)sizeof(in));
		transfers = edu_counter(&e, "transfers");
		to_gpu = buffer_stat(&e, "to_gpu");
		random_bytes(out, sizeof(out));
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uint8_t junk[65536];

			memset(junk, 0x5a, bad[i]);
			errno = 0;
			igt_assert_f(write(fd, junk, bad[i]) == -1 &&
				     errno == EINVAL,
				     "write of %zu bytes: errno %d, want EINVAL\n",
				     bad[i], errno);
			igt_assert_eq(edu_read_back(fd, out), (int)sizeof(in));
			igt_assert(!memcmp(out, in, sizeof(in)));
		}
		igt_assert_eq_u64(edu_counter(&e, "transfers"), transfers);
		igt_assert_eq_u64(buffer_stat(&e, "to_gpu"), to_gpu);
		close(fd);
	}

	igt_describe("A CPU write into dst while the device owns it is refused "
		     "(EBUSY), counted once in this buffer's refusals, traced "
		     "and logged under the edu buffer's name; the transfer "
		     "still brings the right bytes back.");
	igt_subtest("misuse-refused") {
		struct edu e = edu_get();
		char name[300], *text;
		const char *words[3];
		uint64_t refusals;
		int fd = edu_open(&e);

		snprintf(name, sizeof(name), "gring_edu %s", e.bdf);
		text = edu_text(&e, "buffer");
		igt_assert_f(strstr(text, name), "buffer is not named '%s':\n%s",
			     name, text);
		free(text);

		/* The core's once-per-site report, at warning level. */
		expect_kmsg("gring_edu [0-9a-f:.]+: CPU write of .* refused");
		igt_assert_f(access(REFUSED_EVENT, W_OK) == 0,
			     "no gring_core:gring_refused event in %s: %m\n", TRACEFS);
		igt_install_exit_handler(refused_event_off);
		tracefs_write(TRACEFS "/trace", "");
		tracefs_write(REFUSED_EVENT, "1");

		refusals = edu_counter(&e, "refusals");
		edu_arm(&e, "misuse");
		transfer_check(&e, fd, 256);
		tracefs_write(REFUSED_EVENT, "0");

		igt_assert_eq_u64(edu_counter(&e, "refusals"), refusals + 1);
		text = edu_text(&e, "misuse");
		igt_assert_f(atoi(text) == -EBUSY,
			     "the misuse write got '%s', want %d (EBUSY)\n",
			     text, -EBUSY);
		free(text);
		/* This refusal, under the edu buffer's name. */
		igt_assert_f(trace_has(name, "CPU write"),
			     "no gring_refused event naming '%s'\n", name);
		/*
		 * The log line (printed once per call site and load), under
		 * the buffer's name alone: the core adds no prefix of its own.
		 */
		words[0] = name;
		words[1] = ": CPU write of ";
		igt_assert_f(kmsg_has(words, 2),
			     "no kernel log line naming '%s' for a refused CPU write\n",
			     name);
		close(fd);
	}

	igt_describe("dma_mask_ok is 1: the buffer and both views lie below the "
		     "device's 28-bit DMA limit, in a guest with more memory "
		     "than that.");
	igt_subtest("dma-mask") {
		struct edu e = edu_get();
		char *text = igt_gring_read_text("/proc/meminfo");
		unsigned long long kib = 0;

		igt_assert(sscanf(text, "MemTotal: %llu kB", &kib) == 1);
		free(text);
		igt_assert_f(kib > 256 * 1024,
			     "the guest has %llu KiB: a 28-bit mask would mean nothing\n",
			     kib);
		igt_assert_eq_u64(edu_counter(&e, "dma_mask_ok"), 1);
	}

	igt_describe("A transfer whose interrupt never comes fails with "
		     "ETIMEDOUT, leaves nothing leased to the device, and the "
		     "next transfer works.");
	igt_subtest("no-irq-timeout") {
		struct edu e = edu_get();
		uint8_t in[64], out[EDU_MAX + 1];
		int fd = edu_open(&e);

		expect_kmsg("gring_edu [0-9a-f:.]+: transfer of [0-9]+ bytes timed out");
		edu_arm(&e, "inject_no_irq");
		random_bytes(in, sizeof(in));
		errno = 0;
		igt_assert_f(write(fd, in, sizeof(in)) == -1 && errno == ETIMEDOUT,
			     "write without an interrupt: errno %d, want ETIMEDOUT\n",
			     errno);
		igt_assert_eq_u64(buffer_stat(&e, "device_leases"), 0);
		igt_assert_eq_u64(buffer_stat(&e, "to_gpu"),
				  buffer_stat(&e, "to_cpu"));
		/* No transfer completed: nothing to read back. */
		igt_assert_eq(edu_read_back(fd, out), 0);
		transfer_check(&e, fd, 4096);
		close(fd);
	}

	igt_describe("gring_edu unloads while gring.ko stays loaded, loads "
		     "again, binds the device and transfers.");
	igt_subtest("unload-reload") {
		struct edu e = edu_get();
		int fd;

		igt_assert(module_loaded("gring"));
		igt_install_exit_handler(ensure_loaded);
		igt_assert_f(syscall(SYS_delete_module, EDU_MODULE, O_NONBLOCK) == 0,
			     "rmmod %s: %m\n", EDU_MODULE);
		igt_assert(!module_loaded(EDU_MODULE));
		igt_assert(module_loaded("gring"));
		igt_assert_eq(access(e.node, F_OK), -1);

		igt_assert_eq(load_edu_module(), 0);
		e = edu_get();
		fd = edu_open(&e);
		transfer_check(&e, fd, 4096);
		transfer_check(&e, fd, 1);
		close(fd);
	}
}
