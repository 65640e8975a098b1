/* SPDX-License-Identifier: MIT */
/*
 * The slice of IGT's libigt.so.0 (igt-gpu-tools 1.27.1) that gring's tests
 * use, declared by hand because Debian ships the library without headers.
 *
 * Each function and variable below is exported by libigt.so.0 (check with
 * `nm -D`), and each prototype follows IGT 1.27.1's lib/igt_core.h,
 * lib/drmtest.h and lib/igt_debugfs.h (release commit 2b29e8ac0, "bump
 * version to 1.27.1"). The macros expand to the same calls, in the same
 * order, as IGT's own, so a test built on this header behaves like any IGT
 * test: --list-subtests, --run-subtest, fixtures, skips and the exit codes
 * below.
 *
 * This is an ABI description, not an API wish list: when the library
 * changes, this file must follow the library. Declare only what a test
 * calls.
 */
#ifndef IGT_GRING_H
#define IGT_GRING_H

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xf86drm.h>

/* Exit codes of a test binary (and of each subtest's verdict). */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

/* ---- lib/igt_core.h ---------------------------------------------------- */

struct option;
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);

/*
 * Where igt_skip(), igt_success() and failed asserts jump back to. IGT
 * declares it as a jmp_buf but only ever uses it with sigsetjmp(..., 1) and
 * siglongjmp(); glibc gives both types the same 200-byte layout.
 */
extern sigjmp_buf igt_subtest_jmpbuf;
_Static_assert(sizeof(sigjmp_buf) == 200,
	       "libigt.so.0 exports igt_subtest_jmpbuf as 200 bytes");

bool __igt_run_subtest(const char *subtest_name, const char *file,
		       const int line);
bool __igt_fixture(void);
void __igt_fixture_complete(void);

void igt_success(void);
__attribute__((noreturn)) void igt_exit(void);
__attribute__((noreturn, format(printf, 1, 2)))
void igt_skip(const char *f, ...);
__attribute__((noreturn, format(printf, 5, 6)))
void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *format, ...);
__attribute__((noreturn, format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *format, ...);

__attribute__((format(printf, 1, 2)))
void igt_describe_f(const char *fmt, ...);

/*
 * Run @fn at exit, also when a signal or a failed assert ends the test:
 * how a test that changes global state puts it back.
 */
typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

__attribute__((format(printf, 3, 4)))
void igt_log(const char *domain, enum igt_log_level level,
	     const char *format, ...);

/*
 * Read by libigt (a weak reference) for --help-description and the
 * runner's test documentation.
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

/* ---- lib/drmtest.h ----------------------------------------------------- */

/*
 * DRIVER_ANY is every driver but vgem. With IGT_FORCE_DRIVER=<name> in the
 * environment, DRIVER_ANY matches only the driver of that name: gring has no
 * bit of its own, so that is how its tests find it.
 */
#define DRIVER_VGEM		(1 << 2)
#define DRIVER_ANY		~(DRIVER_VGEM)

/*
 * A render node of a matching driver (else its primary node); skips the
 * current fixture or subtest, rather than failing it, if nothing matches.
 */
int drm_open_driver_render(int chipset);
/* The same search without the skip: -1 if no render node matches. */
int __drm_open_driver_render(int chipset);

/* ---- lib/igt_debugfs.h ------------------------------------------------- */

/* fd of the device's /sys/kernel/debug/dri/<minor> directory, or -1. */
int igt_debugfs_dir(int device);

/* ---- macros: the test's control flow ----------------------------------- */

#define IGT_LOG_DOMAIN	(NULL)

#define __igt_cat2(a, b)	a ## b
#define __igt_cat(a, b)		__igt_cat2(a, b)
#define __igt_local(name)	__igt_cat(__igt_cat(__igt_, name), __LINE__)

/* A test with subtests: main() parses IGT's options, runs the body, exits. */
#define igt_main \
	static void __igt_local(main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, \
					    NULL, NULL); \
		__igt_local(main)(); \
		igt_exit(); \
	} \
	static void __igt_local(main)(void)

/*
 * Set-up shared by the subtests after it. Not run when only listing; a skip
 * or failure inside it skips or fails every later subtest.
 */
#define igt_fixture \
	for (volatile int __igt_local(once) = 0; \
	     __igt_local(once) < 1 && __igt_fixture() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     __igt_local(once)++, __igt_fixture_complete())

/*
 * One subtest. The body runs only if the subtest was selected; falling off
 * its end is a success (igt_success() jumps back out of the loop).
 */
#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_subtest_f(fmt...) \
	for (char __igt_local(name)[256]; \
	     snprintf(__igt_local(name), sizeof(__igt_local(name)), fmt), \
	     __igt_run_subtest(__igt_local(name), __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/* Documents the next subtest (shown by --describe). */
#define igt_describe(text)	igt_describe_f("%s", (text))

/* ---- macros: logging ---------------------------------------------------- */

#define igt_debug(fmt...)	igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, fmt)
#define igt_info(fmt...)	igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, fmt)
#define igt_warn(fmt...)	igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, fmt)

/* ---- macros: verdicts --------------------------------------------------- */

#define __igt_fail(what, fmt...) \
	__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
			  what, fmt)

#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail(#expr, NULL); \
	} while (0)

#define igt_assert_f(expr, fmt...) \
	do { \
		if (!(expr)) \
			__igt_fail(#expr, fmt); \
	} while (0)

/*
 * Compare as @type and print both sides with @pfmt when @op does not hold.
 * The public macros stringify their arguments themselves, so a failure shows
 * the test's words (NEVER_USED_HANDLE), not what the preprocessor made of
 * them.
 */
#define __igt_assert_cmp(type, pfmt, a, op, nop, b, what) \
	do { \
		type __a = (a), __b = (b); \
		if (!(__a op __b)) \
			__igt_fail(what, "error: " pfmt " " #nop " " pfmt "\n", \
				   __a, __b); \
	} while (0)

#define igt_assert_eq(a, b) \
	__igt_assert_cmp(int, "%d", a, ==, !=, b, #a " == " #b)
#define igt_assert_neq(a, b) \
	__igt_assert_cmp(int, "%d", a, !=, ==, b, #a " != " #b)
#define igt_assert_eq_u32(a, b) \
	__igt_assert_cmp(uint32_t, "%#" PRIx32, a, ==, !=, b, #a " == " #b)
#define igt_assert_eq_u64(a, b) \
	__igt_assert_cmp(uint64_t, "%#" PRIx64, a, ==, !=, b, #a " == " #b)
#define igt_assert_neq_u64(a, b) \
	__igt_assert_cmp(uint64_t, "%#" PRIx64, a, !=, ==, b, #a " != " #b)
#define igt_assert_lte_u64(a, b) \
	__igt_assert_cmp(uint64_t, "%#" PRIx64, a, <=, >, b, #a " <= " #b)

#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 #expr, NULL); \
	} while (0)

#define igt_require_f(expr, fmt...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 #expr, fmt); \
	} while (0)

#define igt_skip_on(expr) \
	do { \
		if (expr) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", NULL); \
	} while (0)

#define igt_skip_on_f(expr, fmt...) \
	do { \
		if (expr) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", fmt); \
	} while (0)

/* ---- macros: ioctls ----------------------------------------------------- */

/* The ioctl must succeed. */
#define do_ioctl(fd, request, arg) \
	do { \
		if (drmIoctl((fd), (request), (arg))) { \
			int __err = errno; \
			__igt_fail("do_ioctl(" #fd ", " #request ", " #arg ")", \
				   "error: errno %d (%s)\n", \
				   __err, strerror(__err)); \
		} \
		errno = 0; \
	} while (0)

/* The ioctl must fail with errno @err. */
#define do_ioctl_err(fd, request, arg, err) \
	do { \
		int __ret = drmIoctl((fd), (request), (arg)); \
		int __err = __ret ? errno : 0; \
		if (__ret != -1 || __err != (err)) \
			__igt_fail("do_ioctl_err(" #fd ", " #request ", " \
				   #arg ", " #err ")", \
				   "error: returned %d, errno %d (%s); expected errno %d (%s)\n", \
				   __ret, __err, strerror(__err), \
				   (err), strerror(err)); \
		errno = 0; \
	} while (0)

#endif /* IGT_GRING_H */
