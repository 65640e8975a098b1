// SPDX-License-Identifier: MIT
/*
 * gring-bench: print what was measured, as a table for people or as one
 * JSON object for programs. Benchmarks and ratios left out by --filter
 * appear in neither. A ratio with a target says whether it met it, in
 * both; a closing "targets" line (or object) counts them.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static const char *const section_title[] = {
	[BENCH_BASELINE] = "baselines",
	[BENCH_GRING] = "gring",
};

static const char *const section_key[] = {
	[BENCH_BASELINE] = "baseline",
	[BENCH_GRING] = "gring",
};

static const char *status_name(enum bench_status s)
{
	switch (s) {
	case BENCH_OK:
		return "ok";
	case BENCH_STATUS_UNAVAILABLE:
		return "unavailable";
	case BENCH_FAILED:
		return "failed";
	case BENCH_NOT_RUN:
		break;
	}
	return "not run";
}

/* Table */

static int name_width(const struct bench_report *rep)
{
	size_t i, w = 12;

	for (i = 0; i < rep->nbench; i++)
		if (strlen(rep->benches[i]->name) > w)
			w = strlen(rep->benches[i]->name);
	for (i = 0; i < rep->nratio; i++)
		if (strlen(rep->ratios[i].name) > w)
			w = strlen(rep->ratios[i].name);
	return (int)w;
}

/*
 * A benchmark's secondary figures, medians over its samples, on one line
 * under its row: "p99 12.345 us  max 40.100 us  instants 180".
 */
static void table_extras(FILE *f, const struct bench *b,
			 const struct bench_result *res, int w)
{
	unsigned int e;

	if (!b->nextra)
		return;
	fprintf(f, "  %-*s ", w, "");
	for (e = 0; e < b->nextra; e++) {
		const struct bench_extra *x = &b->extras[e];

		if (x->unit)
			fprintf(f, " %s %.3f %s", x->name, res->extra_median[e],
				x->unit);
		else
			fprintf(f, " %s %.0f", x->name, res->extra_median[e]);
	}
	fputc('\n', f);
}

static void table_section(FILE *f, const struct bench_report *rep,
			  enum bench_section section, int w)
{
	bool title = false;
	size_t i;

	for (i = 0; i < rep->nbench; i++) {
		const struct bench *b = rep->benches[i];
		const struct bench_result *res = &rep->results[i];

		if (b->section != section || res->status == BENCH_NOT_RUN)
			continue;
		if (!title) {
			fprintf(f, "\n%-*s  %11s %11s %11s  %s\n", w + 2,
				section_title[section], "median", "min", "max",
				"unit");
			title = true;
		}
		if (res->status == BENCH_OK) {
			fprintf(f, "  %-*s  %11.3f %11.3f %11.3f  %s\n", w,
				b->name, res->median, res->min, res->max,
				bench_unit_name(b->unit));
			table_extras(f, b, res, w);
		} else
			fprintf(f, "  %-*s  %s: %s\n", w, b->name,
				res->status == BENCH_FAILED ? "FAILED" :
				"unavailable", res->why);
	}
}

/* "<= 3 met", ">= 0.8 MISSED", "<= 1 -" (not measured), or "". */
#define TARGET_WIDTH	13

static void target_text(const struct bench_ratio *ra,
			const struct bench_ratio_result *rr, char *buf,
			size_t len)
{
	if (ra->target_kind == BENCH_NO_TARGET) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%s %g %s", bench_target_op(ra->target_kind),
		 ra->target, rr->status != BENCH_OK ? "-" :
		 rr->target_met ? "met" : "MISSED");
}

/* Ratios with a target among those reported: how many met, and which not. */
static void count_targets(const struct bench_report *rep, size_t *met,
			  size_t *missed, size_t *unmeasured)
{
	size_t i;

	*met = *missed = *unmeasured = 0;
	for (i = 0; i < rep->nratio; i++) {
		const struct bench_ratio_result *rr = &rep->ratio_results[i];

		if (rep->ratios[i].target_kind == BENCH_NO_TARGET ||
		    rr->status == BENCH_NOT_RUN)
			continue;
		if (rr->status != BENCH_OK)
			(*unmeasured)++;
		else if (rr->target_met)
			(*met)++;
		else
			(*missed)++;
	}
}

/* One closing line, so a missed target cannot hide in the table. */
static void table_targets(FILE *f, const struct bench_report *rep)
{
	size_t i, met, missed, unmeasured;
	const char *sep = "";

	count_targets(rep, &met, &missed, &unmeasured);
	if (!met && !missed && !unmeasured)
		return;
	fprintf(f, "\ntargets: %zu of %zu met", met, met + missed + unmeasured);
	if (missed) {
		fprintf(f, "; missed:");
		for (i = 0; i < rep->nratio; i++) {
			const struct bench_ratio *ra = &rep->ratios[i];
			const struct bench_ratio_result *rr =
				&rep->ratio_results[i];

			if (ra->target_kind == BENCH_NO_TARGET ||
			    rr->status != BENCH_OK || rr->target_met)
				continue;
			fprintf(f, "%s %s %.2f (target %s %g)", sep, ra->name,
				rr->value, bench_target_op(ra->target_kind),
				ra->target);
			sep = ",";
		}
	}
	if (unmeasured)
		fprintf(f, "; %zu not measured", unmeasured);
	fputc('\n', f);
}

/**
 * bench_report_table() - print the figures for a person
 * @f: where to.
 * @rep: what to print.
 */
void bench_report_table(FILE *f, const struct bench_report *rep)
{
	const struct bench_ctx *ctx = rep->ctx;
	int w = name_width(rep);
	bool title = false;
	size_t i;

	fprintf(f, "gring-bench %s  %s  kernel %s  nproc %ld  repeat %u%s%s\n",
		rep->version, rep->date, rep->kernel, rep->nproc, rep->repeat,
		rep->filter ? "  filter " : "", rep->filter ? rep->filter : "");
	fprintf(f, "devices: gring %s; vgem %s%s%s\n",
		ctx->gring_err ? "(none)" : gring_device_path(&ctx->gring),
		ctx->vgem_why[0] ? "(none)" : ctx->vgem_render_path,
		ctx->vgem_why[0] ? "" : " + ",
		ctx->vgem_why[0] ? "" : ctx->vgem_card_path);

	table_section(f, rep, BENCH_BASELINE, w);
	table_section(f, rep, BENCH_GRING, w);

	for (i = 0; i < rep->nratio; i++) {
		const struct bench_ratio *ra = &rep->ratios[i];
		const struct bench_ratio_result *rr = &rep->ratio_results[i];
		char target[32];

		if (rr->status == BENCH_NOT_RUN)
			continue;
		if (!title) {
			fprintf(f, "\n%-*s  %11s  %-*s  %s\n", w + 2, "ratios",
				"value", TARGET_WIDTH, "target", "compares");
			title = true;
		}
		target_text(ra, rr, target, sizeof(target));
		if (rr->status == BENCH_OK)
			fprintf(f, "  %-*s  %11.2f  %-*s  %s / %s: %s\n", w,
				ra->name, rr->value, TARGET_WIDTH, target,
				ra->num, ra->den, ra->desc);
		else
			fprintf(f, "  %-*s  %11s  %-*s  %s / %s: unavailable, %s\n",
				w, ra->name, "-", TARGET_WIDTH, target, ra->num,
				ra->den, rr->why);
	}
	table_targets(f, rep);
}

/* JSON, built with json-c */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;	/* NULL is null */
}

/* Six significant digits, as the table; non-finite values are null. */
static struct json_object *jnum(double v)
{
	char s[32];

	if (!isfinite(v))
		return NULL;
	snprintf(s, sizeof(s), "%.6g", v);
	return json_object_new_double_s(v, s);
}

static void put(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

/*
 * [{"name": "p99", "unit": "us", "median": 12.3, "values": [...]}, ...]:
 * a benchmark's secondary figures, one value per sample; unit null for a
 * count.
 */
static struct json_object *json_extras(const struct bench *b,
				       const struct bench_result *res)
{
	struct json_object *a = json_object_new_array();
	struct json_object *x, *values;
	const double *v = res->extra_samples;
	unsigned int e, i;

	for (e = 0; e < b->nextra; e++) {
		x = json_object_new_object();
		put(x, "name", jstr(b->extras[e].name));
		put(x, "unit", jstr(b->extras[e].unit));
		put(x, "median", jnum(res->extra_median[e]));
		values = json_object_new_array();
		for (i = 0; i < res->nsamples; i++)
			json_object_array_add(values,
					      jnum(v[i * BENCH_MAX_EXTRAS + e]));
		put(x, "values", values);
		json_object_array_add(a, x);
	}
	return a;
}

static struct json_object *json_bench(const struct bench *b,
				      const struct bench_result *res)
{
	struct json_object *o = json_object_new_object();
	struct json_object *values;
	unsigned int i;

	put(o, "name", jstr(b->name));
	put(o, "section", jstr(section_key[b->section]));
	put(o, "unit", jstr(bench_unit_name(b->unit)));
	put(o, "status", jstr(status_name(res->status)));
	if (res->status == BENCH_OK) {
		put(o, "median", jnum(res->median));
		put(o, "min", jnum(res->min));
		put(o, "max", jnum(res->max));
		put(o, "samples", json_object_new_int64(res->nsamples));
		put(o, "iterations", json_object_new_uint64(res->iters));
		values = json_object_new_array();
		for (i = 0; i < res->nsamples; i++)
			json_object_array_add(values, jnum(res->samples[i]));
		put(o, "values", values);
		if (b->nextra)
			put(o, "extras", json_extras(b, res));
	} else {
		put(o, "median", NULL);
		put(o, "min", NULL);
		put(o, "max", NULL);
		put(o, "samples", json_object_new_int(0));
		put(o, "reason", jstr(res->why));
	}
	put(o, "description", jstr(b->desc));
	return o;
}

/* {"op": "<=", "value": 3, "met": true}; met is null when not measured. */
static struct json_object *json_target(const struct bench_ratio *ra,
				       const struct bench_ratio_result *rr)
{
	struct json_object *t;

	if (ra->target_kind == BENCH_NO_TARGET)
		return NULL;
	t = json_object_new_object();
	put(t, "op", jstr(bench_target_op(ra->target_kind)));
	put(t, "value", jnum(ra->target));
	put(t, "met", rr->status == BENCH_OK ?
	    json_object_new_boolean(rr->target_met) : NULL);
	return t;
}

static struct json_object *json_ratio(const struct bench_ratio *ra,
				      const struct bench_ratio_result *rr)
{
	struct json_object *o = json_object_new_object();

	put(o, "name", jstr(ra->name));
	put(o, "status", jstr(status_name(rr->status)));
	put(o, "value", rr->status == BENCH_OK ? jnum(rr->value) : NULL);
	put(o, "numerator", jstr(ra->num));
	put(o, "denominator", jstr(ra->den));
	if (rr->status != BENCH_OK)
		put(o, "reason", jstr(rr->why));
	put(o, "description", jstr(ra->desc));
	put(o, "target", json_target(ra, rr));
	return o;
}

/**
 * bench_report_json() - write every figure and ratio as one JSON object
 * @f: where to.
 * @rep: what to write.
 */
void bench_report_json(FILE *f, const struct bench_report *rep)
{
	const struct bench_ctx *ctx = rep->ctx;
	struct json_object *doc = json_object_new_object();
	struct json_object *devices = json_object_new_object();
	struct json_object *benches = json_object_new_array();
	struct json_object *ratios = json_object_new_array();
	struct json_object *targets = json_object_new_object();
	size_t i, met, missed, unmeasured;

	put(doc, "tool", jstr("gring-bench"));
	put(doc, "version", jstr(rep->version));
	put(doc, "date", jstr(rep->date));
	put(doc, "kernel", jstr(rep->kernel));
	put(doc, "nproc", json_object_new_int64(rep->nproc));
	put(doc, "repeat", json_object_new_int64(rep->repeat));
	put(doc, "filter", jstr(rep->filter));

	put(devices, "gring", jstr(ctx->gring_err ? NULL :
				   gring_device_path(&ctx->gring)));
	put(devices, "vgem_render",
	    jstr(ctx->vgem_why[0] ? NULL : ctx->vgem_render_path));
	put(devices, "vgem_card",
	    jstr(ctx->vgem_why[0] ? NULL : ctx->vgem_card_path));
	put(doc, "devices", devices);

	for (i = 0; i < rep->nbench; i++)
		if (rep->results[i].status != BENCH_NOT_RUN)
			json_object_array_add(benches,
					      json_bench(rep->benches[i],
							 &rep->results[i]));
	put(doc, "benchmarks", benches);
	for (i = 0; i < rep->nratio; i++)
		if (rep->ratio_results[i].status != BENCH_NOT_RUN)
			json_object_array_add(ratios,
					      json_ratio(&rep->ratios[i],
							 &rep->ratio_results[i]));
	put(doc, "ratios", ratios);
	count_targets(rep, &met, &missed, &unmeasured);
	put(targets, "met", json_object_new_int64((int64_t)met));
	put(targets, "missed", json_object_new_int64((int64_t)missed));
	put(targets, "not_measured", json_object_new_int64((int64_t)unmeasured));
	put(doc, "targets", targets);

	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(doc);
}
