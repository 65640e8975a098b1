// SPDX-License-Identifier: MIT
/*
 * gring-igt-runner: run IGT test binaries the way IGT's igt_runner does,
 * for systems that have libigt but no igt_runner (Debian's
 * intel-gpu-tools), with nothing but libc and json-c (a busybox guest).
 *
 *   gring-igt-runner [OPTIONS] TEST_BINARY|DIRECTORY...
 *
 * Every subtest runs in a fresh process; results.json is rewritten after
 * each one so a guest that dies mid-run still leaves its results. Exit
 * status: 0 if nothing failed and at least one test passed or failed (an
 * all-skip run proves nothing), 1 otherwise, 2 for usage or runner errors.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover.h"
#include "execute.h"
#include "expect.h"
#include "kmsg.h"
#include "ktap.h"
#include "proc.h"
#include "report.h"
#include "results.h"
#include "runner.h"

#define DEFAULT_TIMEOUT	60.0
#define DEFAULT_GRACE	5.0
#define DEFAULT_RESULTS	"results.json"
#define DEFAULT_NAME	"gring-igt"

struct options {
	double timeout;
	double grace;
	const char *results;
	const char *name;
	const char *expectations;
	const char *driver;
	const char *user;
	struct filter filter;
	const char **ktap;
	size_t nktap;
	bool list;
	bool no_dmesg;
};

static const char usage_text[] =
"Usage: " PROG_NAME " [OPTIONS] TEST_BINARY|DIRECTORY...\n"
"       " PROG_NAME " [OPTIONS] --ktap FILE... [TEST_BINARY|DIRECTORY...]\n"
"\n"
"Run IGT test binaries one subtest per process, as IGT's igt_runner does,\n"
"and write a results.json in its format. A DIRECTORY stands for every\n"
"executable file in it, in name order. Tests are named igt@BINARY@SUBTEST,\n"
"or igt@BINARY for a binary without subtests. The environment is passed\n"
"on to the tests (set IGT_FORCE_DRIVER=gring to pick gring's device).\n"
"\n"
"Options:\n"
"  --timeout SEC       time limit per test (default 60); then SIGTERM to the\n"
"                      test's process group, and SIGKILL after --grace\n"
"  --grace SEC         time from SIGTERM to SIGKILL (default 5)\n"
"  --results FILE      results.json to write (default ./results.json),\n"
"                      replaced atomically after every test\n"
"  --name NAME         run name recorded in results.json (default gring-igt)\n"
"  --filter REGEX      run only tests whose name matches REGEX (POSIX\n"
"                      extended, unanchored); repeat to select more\n"
"  --expectations DIR  read DIR/DRIVER-fails.txt, -skips.txt, -flakes.txt\n"
"                      (drm-ci format); needs --driver\n"
"  --driver NAME       the DRIVER of --expectations\n"
"  --user NAME         run the tests as user NAME (with its groups from the\n"
"                      group file), except those matching a regex in\n"
"                      DIR/DRIVER-root.txt of --expectations, which run as\n"
"                      the runner's user; needs root. results.json records\n"
"                      who ran each test (\"user\")\n"
"  --ktap FILE         add the results of the KUnit suites in FILE (KTAP, as\n"
"                      /sys/kernel/debug/kunit/SUITE/results prints it), one\n"
"                      test per case, kunit@SUITE@CASE: pass, fail or skip,\n"
"                      counted and written like the others, before them.\n"
"                      A suite that reported fewer cases than its plan is a\n"
"                      test kunit@SUITE, incomplete. Repeatable. Expectation\n"
"                      lists do not apply to them\n"
"  --no-dmesg          do not read /dev/kmsg; without this option an\n"
"                      unreadable /dev/kmsg is an error\n"
"  --list              print the selected test names and exit\n"
"  -h, --help          print this help and exit\n"
"\n"
"Results: pass, skip (exit 77), fail (98, 79 or any other status), crash\n"
"(killed by a signal), timeout, abort (112: the run stops, the rest are\n"
"notrun), dmesg-warn and dmesg-fail (a pass or fail with a kernel warning,\n"
"BUG, oops or call trace logged while it ran), notrun, incomplete.\n"
"\n"
"Expectations: a test matching skips.txt is not run (notrun). One listed\n"
"in fails.txt that fails, crashes, times out or warns is an expected\n"
"failure; one that passes is an unexpected pass, counted as failed. One\n"
"matching flakes.txt that fails is a flake. Expected failures and flakes\n"
"are not counted as failed.\n"
"\n"
"The last line printed is \"N passed, N failed, N skipped\". Failed counts\n"
"fail, crash, timeout, abort, dmesg-warn, dmesg-fail, incomplete and\n"
"unexpected passes; skipped counts skip and notrun.\n"
"\n"
"Exit status: 0 if no test failed and at least one passed or failed,\n"
"1 otherwise, 2 for usage or runner errors.\n";

enum {
	OPT_TIMEOUT = 256,
	OPT_GRACE,
	OPT_RESULTS,
	OPT_NAME,
	OPT_FILTER,
	OPT_EXPECTATIONS,
	OPT_DRIVER,
	OPT_USER,
	OPT_NO_DMESG,
	OPT_LIST,
	OPT_KTAP,
};

static const struct option long_options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "results", required_argument, NULL, OPT_RESULTS },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "expectations", required_argument, NULL, OPT_EXPECTATIONS },
	{ "driver", required_argument, NULL, OPT_DRIVER },
	{ "user", required_argument, NULL, OPT_USER },
	{ "no-dmesg", no_argument, NULL, OPT_NO_DMESG },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "ktap", required_argument, NULL, OPT_KTAP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static __printf(1, 2) __noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG_NAME ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '" PROG_NAME " --help'.\n");
	exit(EXIT_RUNNER);
}

static double parse_seconds(const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v <= 0)
		usage_error("%s needs a positive number of seconds, not '%s'",
			    opt, arg);
	return v;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	int c;

	o->timeout = DEFAULT_TIMEOUT;
	o->grace = DEFAULT_GRACE;
	o->results = DEFAULT_RESULTS;
	o->name = DEFAULT_NAME;

	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_TIMEOUT:
			o->timeout = parse_seconds("--timeout", optarg);
			break;
		case OPT_GRACE:
			o->grace = parse_seconds("--grace", optarg);
			break;
		case OPT_RESULTS:
			o->results = optarg;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_FILTER:
			if (filter_add(&o->filter, optarg))
				exit(EXIT_RUNNER);
			break;
		case OPT_EXPECTATIONS:
			o->expectations = optarg;
			break;
		case OPT_DRIVER:
			o->driver = optarg;
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case OPT_NO_DMESG:
			o->no_dmesg = true;
			break;
		case OPT_LIST:
			o->list = true;
			break;
		case OPT_KTAP:
			o->ktap = xreallocarray(o->ktap, o->nktap + 1,
						sizeof(*o->ktap));
			o->ktap[o->nktap++] = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			fprintf(stderr, "Try '" PROG_NAME " --help'.\n");
			exit(EXIT_RUNNER);
		}
	}

	if (optind >= argc && !o->nktap)
		usage_error("no test binary, directory or --ktap given");
	if (!!o->expectations != !!o->driver)
		usage_error("--expectations and --driver go together");
	if (o->user && geteuid())
		usage_error("--user needs the runner to run as root");
	return optind;
}

static void list_tests(const struct run *run)
{
	size_t i;

	for (i = 0; i < run->ntests; i++)
		printf("%s\n", run->tests[i].name);
}

static void save(const struct run *run, const char *path)
{
	if (results_write(run, path))
		exit(EXIT_RUNNER);
}

/*
 * Under --user, a test runs as that user unless DRIVER-root.txt keeps it
 * root. Returns whom to run @t as (NULL: the runner's own user).
 */
static const struct proc_user *run_as(struct test *t,
				      const struct exec_opts *eo,
				      const struct expectations *e)
{
	if (!eo->user)
		return NULL;
	if (e && expect_root(e, t->name)) {
		t->user = "root";
		return NULL;
	}
	t->user = eo->user->name;
	return eo->user;
}

/* Run test @i, unless the skips list says not to. Returns a runner error. */
static int run_one(struct run *run, size_t i, const struct exec_opts *eo,
		   const struct expectations *e, const char *results,
		   const char **stop_why)
{
	struct test *t = &run->tests[i];
	int ret = 0;

	if (!t->listed) {
		/* A binary that failed --list-subtests: already a result. */
	} else if (e && expect_skip(e, t->name)) {
		t->note = NOTE_SKIPS_LIST;
		t->done = true;
	} else {
		/* If the machine dies now, the results say which test did it. */
		t->result = RES_INCOMPLETE;
		save(run, results);
		ret = execute_test(t, eo, run_as(t, eo, e), stop_why);
		apply_expectations(t, e);
	}

	count_test(&run->counts, t);
	report_test(run, i);
	run->end = now_wall();
	save(run, results);
	return ret;
}

static int run_all(struct run *run, const struct exec_opts *eo,
		   const struct expectations *e, const char *results)
{
	const char *stop_why = NULL;
	size_t i, not_run = 0;
	int ret = 0;

	for (i = 0; i < run->ntests && !stop_why; i++) {
		if (proc_stop_requested()) {
			stop_why = "(interrupted)";
			break;
		}
		if (run_one(run, i, eo, e, results, &stop_why))
			return EXIT_RUNNER;
	}

	/* Left over: notrun, except binaries whose listing already failed. */
	for (; i < run->ntests; i++) {
		count_test(&run->counts, &run->tests[i]);
		if (run->tests[i].done)
			report_test(run, i);
		else
			not_run++;
	}
	report_not_run(not_run, stop_why);

	run->end = now_wall();
	save(run, results);

	/* Messages first: the closing line is the last line printed. */
	if (proc_stop_requested()) {
		errmsg("interrupted by signal %d", proc_stop_signal());
		ret = EXIT_RUNNER;
	} else if (run->counts.failed) {
		ret = 1;
	} else if (!(run->counts.passed + run->counts.expected_fails +
		     run->counts.flakes)) {
		errmsg("no test passed or failed: nothing was proven");
		ret = 1;
	}
	report_closing(run);
	return ret;
}

static int open_kmsg(struct kmsg *k)
{
	int ret = kmsg_open(k);

	if (ret)
		errmsg("cannot read /dev/kmsg (%s); dmesg checks need it, or pass --no-dmesg",
		       strerror(-ret));
	return ret;
}

int main(int argc, char **argv)
{
	struct expectations expect = { 0 };
	struct options o = { 0 };
	struct binaries bins = { 0 };
	struct run run = { 0 };
	struct kmsg kmsg = { .fd = -1 };
	struct proc_user user = { 0 };
	struct exec_opts eo;
	int first, err, ret = EXIT_RUNNER;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	first = parse_options(argc, argv, &o);

	proc_init();
	if (o.expectations && expect_load(&expect, o.expectations, o.driver))
		goto out;
	if (!o.list && !o.no_dmesg && open_kmsg(&kmsg))
		goto out;
	if (o.user && proc_user_lookup(&user, o.user))
		goto out;

	run.name = o.name;
	run.argc = argc;
	run.argv = argv;
	run.start = now_wall();
	run.end = run.start;

	/* KUnit's results first: they are known before anything runs. */
	for (i = 0; i < o.nktap; i++)
		if (ktap_add_results(&run, o.ktap[i], &o.filter))
			goto out;
	if (discover_binaries(argv + first, argc - first, &bins))
		goto out;
	err = discover_tests(&run, &bins, &o.filter, o.timeout, o.grace);
	if (err) {
		if (err == -EINTR)
			errmsg("interrupted while listing tests");
		goto out;
	}

	if (o.list) {
		list_tests(&run);
		ret = 0;
		goto out;
	}
	if (!run.ntests)
		errmsg("no tests selected");

	/* Only what the tests log counts, not what listing them did. */
	if (kmsg.fd >= 0 && kmsg_collect(&kmsg, NULL, NULL)) {
		errmsg("cannot read /dev/kmsg");
		goto out;
	}

	eo.timeout = o.timeout;
	eo.grace = o.grace;
	eo.kmsg = kmsg.fd >= 0 ? &kmsg : NULL;
	eo.user = o.user ? &user : NULL;
	ret = run_all(&run, &eo, o.expectations ? &expect : NULL, o.results);

out:
	kmsg_close(&kmsg);
	proc_user_free(&user);
	run_free(&run);
	binaries_free(&bins);
	expect_free(&expect);
	filter_free(&o.filter);
	free(o.ktap);
	return ret;
}
