// SPDX-License-Identifier: MIT
/*
 * gring-bench: measure gring beside the floors it is judged by, in one
 * process and one boot, and print the ratios.
 *
 *   gring-bench [--repeat N] [--filter SUBSTR] [--json] [--output FILE]
 *
 * What runs is table.c; how one benchmark is timed is measure.c; how the
 * figures are printed is report.c. Exit status: 0 every selected benchmark
 * ran or is unavailable here, 1 one failed (or the JSON file could not be
 * written), 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define EXIT_USAGE	2
#define DEFAULT_REPEAT	5

#ifndef GRING_VERSION
#define GRING_VERSION	"unknown"
#endif

struct options {
	unsigned int repeat;
	const char *filter;
	const char *output;
	bool json;
	bool list;
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"Usage: gring-bench [OPTIONS]\n"
		"\n"
		"Measure gring (buffer objects, ioctls, jobs on the soft engine)\n"
		"beside baselines taken in the same run (bare ioctls on gring and\n"
		"vgem, io_uring NOPs, vgem fences, CPU copies) and print the ratios.\n"
		"Each figure is the median, min and max of N samples; a sample times\n"
		"a batch of iterations sized to take about 25 ms, after a warm-up.\n"
		"Benchmarks whose device is missing (vgem) are reported unavailable,\n"
		"never estimated. Some ratios have a target (e.g. <= 3): each says\n"
		"whether it was met, and a closing line counts them; a missed target\n"
		"does not change the exit status.\n"
		"\n"
		"Options:\n"
		"  -r, --repeat N       samples per benchmark, 1 to %d (default %d)\n"
		"  -f, --filter SUBSTR  run only benchmarks whose name contains SUBSTR\n"
		"                       ('SUBSTR$': ends with it); ratios are shown\n"
		"                       when both sides ran\n"
		"  -j, --json           print one JSON object instead of the table\n"
		"  -o, --output FILE    also write the JSON object to FILE\n"
		"  -l, --list           list the benchmarks and ratios and exit\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Exit status: 0 success, 1 a benchmark failed (an ioctl error, or no\n"
		"gring device), 2 bad usage.\n",
		BENCH_MAX_REPEAT, DEFAULT_REPEAT);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("gring-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'gring-bench --help'.\n", stderr);
	return EXIT_USAGE;
}

static int parse_repeat(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < 1 ||
	    v > BENCH_MAX_REPEAT)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, ":f:hjlo:r:V", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'f':
			o->filter = optarg;
			break;
		case 'h':
			print_usage(stdout);
			exit(EXIT_SUCCESS);
		case 'j':
			o->json = true;
			break;
		case 'l':
			o->list = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'r':
			if (parse_repeat(optarg, &o->repeat))
				return usage_error("--repeat: '%s' is not a number from 1 to %d",
						   optarg, BENCH_MAX_REPEAT);
			break;
		case 'V':
			printf("gring-bench (gring) %s\n", GRING_VERSION);
			exit(EXIT_SUCCESS);
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'",
						   optopt);
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return 0;
}

/*
 * The tables are code: a ratio naming a benchmark that does not exist, or
 * dividing two units, is a bug to catch on every run, not a row to skip.
 */
static int check_tables(void)
{
	size_t i, j;
	int num, den;

	for (i = 0; i < bench_table_len; i++) {
		if (bench_table[i]->nextra > BENCH_MAX_EXTRAS ||
		    (bench_table[i]->nextra && !bench_table[i]->extras)) {
			fprintf(stderr, "gring-bench: bug: benchmark %s: %u extras\n",
				bench_table[i]->name, bench_table[i]->nextra);
			return -1;
		}
		for (j = i + 1; j < bench_table_len; j++)
			if (!strcmp(bench_table[i]->name, bench_table[j]->name)) {
				fprintf(stderr, "gring-bench: bug: benchmark %s listed twice\n",
					bench_table[i]->name);
				return -1;
			}
	}
	for (i = 0; i < ratio_table_len; i++) {
		const struct bench_ratio *ra = &ratio_table[i];

		num = bench_find(bench_table, bench_table_len, ra->num);
		den = bench_find(bench_table, bench_table_len, ra->den);
		if (num < 0 || den < 0 ||
		    bench_table[num]->unit != bench_table[den]->unit) {
			fprintf(stderr, "gring-bench: bug: ratio %s: %s / %s is not a ratio of two benchmarks of one unit\n",
				ra->name, ra->num, ra->den);
			return -1;
		}
		if ((ra->target_kind == BENCH_NO_TARGET) != (ra->target == 0) ||
		    !(ra->target >= 0)) {
			fprintf(stderr, "gring-bench: bug: ratio %s: target %g does not fit its kind\n",
				ra->name, ra->target);
			return -1;
		}
	}
	return 0;
}

/* SUBSTR anywhere in the name; "SUBSTR$" only at its end. */
static bool selected(const struct options *o, const struct bench *b)
{
	size_t n, len;

	if (!o->filter)
		return true;
	n = strlen(o->filter);
	if (!n || o->filter[n - 1] != '$')
		return strstr(b->name, o->filter);
	len = strlen(b->name);
	return len >= n - 1 && !memcmp(b->name + len - (n - 1), o->filter, n - 1);
}

static void list(void)
{
	size_t i;

	printf("benchmarks:\n");
	for (i = 0; i < bench_table_len; i++) {
		const struct bench *b = bench_table[i];

		printf("  %-17s %-8s %-5s  %s\n", b->name,
		       b->section == BENCH_GRING ? "gring" : "baseline",
		       bench_unit_name(b->unit), b->desc);
	}
	printf("ratios:\n");
	for (i = 0; i < ratio_table_len; i++) {
		const struct bench_ratio *ra = &ratio_table[i];

		printf("  %-21s %s / %s: %s", ra->name, ra->num, ra->den,
		       ra->desc);
		if (ra->target_kind != BENCH_NO_TARGET)
			printf(" (target %s %g)",
			       bench_target_op(ra->target_kind), ra->target);
		putchar('\n');
	}
}

static void fill_metadata(struct bench_report *rep)
{
	struct utsname u;
	struct tm tm;
	time_t now = time(NULL);

	rep->version = GRING_VERSION;
	if (gmtime_r(&now, &tm))
		strftime(rep->date, sizeof(rep->date), "%Y-%m-%dT%H:%M:%SZ",
			 &tm);
	else
		snprintf(rep->date, sizeof(rep->date), "unknown");
	if (!uname(&u))
		snprintf(rep->kernel, sizeof(rep->kernel), "%s", u.release);
	else
		snprintf(rep->kernel, sizeof(rep->kernel), "unknown");
	rep->nproc = sysconf(_SC_NPROCESSORS_ONLN);
}

static int write_json_file(const char *path, const struct bench_report *rep,
			   FILE *f)
{
	bench_report_json(f, rep);
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "gring-bench: writing %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { .repeat = DEFAULT_REPEAT };
	struct bench_ratio_result *ratio_results;
	struct bench_report rep = { 0 };
	struct bench_result *results;
	struct bench_state *states;
	struct bench_ctx ctx;
	double *samples, *extras;
	FILE *out = NULL;
	bool any = false, failed = false;
	unsigned int r;
	size_t i;
	int ret;

	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret;
	if (check_tables())
		return EXIT_FAILURE;
	if (o.list) {
		list();
		return EXIT_SUCCESS;
	}
	for (i = 0; i < bench_table_len; i++)
		any |= selected(&o, bench_table[i]);
	if (!any)
		return usage_error("no benchmark name matches '%s' (see --list)",
				   o.filter);
	if (o.output) {
		out = fopen(o.output, "w");
		if (!out) {
			fprintf(stderr, "gring-bench: %s: %s\n", o.output,
				strerror(errno));
			return EXIT_USAGE;
		}
	}
	samples = calloc(bench_table_len * o.repeat, sizeof(*samples));
	extras = calloc(bench_table_len * o.repeat * BENCH_MAX_EXTRAS,
			sizeof(*extras));
	results = calloc(bench_table_len, sizeof(*results));
	states = calloc(bench_table_len, sizeof(*states));
	ratio_results = calloc(ratio_table_len, sizeof(*ratio_results));
	if (!samples || !extras || !results || !states || !ratio_results) {
		fprintf(stderr, "gring-bench: out of memory\n");
		return EXIT_FAILURE;
	}

	fill_metadata(&rep);
	bench_ctx_open(&ctx);
	/*
	 * Set everything up, then sample in rounds (one sample of each
	 * benchmark per round), so both sides of every ratio are measured
	 * across the same stretch of time on this noisy machine.
	 */
	for (i = 0; i < bench_table_len; i++) {
		results[i].samples = samples + i * o.repeat;
		results[i].extra_samples = extras +
					   i * o.repeat * BENCH_MAX_EXTRAS;
		if (selected(&o, bench_table[i]))
			bench_start(bench_table[i], &ctx, &states[i],
				    &results[i]);
	}
	for (r = 0; r < o.repeat; r++)
		for (i = 0; i < bench_table_len; i++)
			if (selected(&o, bench_table[i]))
				bench_sample(&states[i], &results[i]);
	for (i = 0; i < bench_table_len; i++) {
		const struct bench *b = bench_table[i];

		if (!selected(&o, b))
			continue;
		bench_finish(&states[i], &results[i]);
		if (results[i].status == BENCH_FAILED) {
			fprintf(stderr, "gring-bench: %s: %s\n", b->name,
				results[i].why);
			failed = true;
		}
	}
	for (i = 0; i < ratio_table_len; i++)
		bench_ratio_compute(&ratio_table[i], bench_table, results,
				    bench_table_len, &ratio_results[i]);

	rep.repeat = o.repeat;
	rep.filter = o.filter;
	rep.ctx = &ctx;
	rep.benches = bench_table;
	rep.results = results;
	rep.nbench = bench_table_len;
	rep.ratios = ratio_table;
	rep.ratio_results = ratio_results;
	rep.nratio = ratio_table_len;

	if (o.json)
		bench_report_json(stdout, &rep);
	else
		bench_report_table(stdout, &rep);
	if (out && write_json_file(o.output, &rep, out))
		failed = true;

	bench_ctx_close(&ctx);
	free(ratio_results);
	free(states);
	free(results);
	free(extras);
	free(samples);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
