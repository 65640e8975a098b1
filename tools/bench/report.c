// SPDX-License-Identifier: MIT
/*
 * gring-bench: print what was measured, as a table for people or as one
 * JSON object for programs. Benchmarks and ratios left out by --filter
 * appear in neither.
 */
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
		if (res->status == BENCH_OK)
			fprintf(f, "  %-*s  %11.3f %11.3f %11.3f  %s\n", w,
				b->name, res->median, res->min, res->max,
				bench_unit_name(b->unit));
		else
			fprintf(f, "  %-*s  %s: %s\n", w, b->name,
				res->status == BENCH_FAILED ? "FAILED" :
				"unavailable", res->why);
	}
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

		if (rr->status == BENCH_NOT_RUN)
			continue;
		if (!title) {
			fprintf(f, "\n%-*s  %11s  %s\n", w + 2, "ratios",
				"value", "compares");
			title = true;
		}
		if (rr->status == BENCH_OK)
			fprintf(f, "  %-*s  %11.2f  %s / %s: %s\n", w, ra->name,
				rr->value, ra->num, ra->den, ra->desc);
		else
			fprintf(f, "  %-*s  %11s  %s / %s: unavailable, %s\n",
				w, ra->name, "-", ra->num, ra->den, rr->why);
	}
}

/* JSON */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_string_or_null(FILE *f, const char *s)
{
	if (s)
		json_string(f, s);
	else
		fputs("null", f);
}

static void json_number(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

static void json_bench(FILE *f, const struct bench *b,
		       const struct bench_result *res)
{
	unsigned int i;

	fputs("    {\"name\": ", f);
	json_string(f, b->name);
	fprintf(f, ", \"section\": \"%s\", \"unit\": \"%s\", \"status\": \"%s\"",
		section_key[b->section], bench_unit_name(b->unit),
		status_name(res->status));
	if (res->status == BENCH_OK) {
		fputs(", \"median\": ", f);
		json_number(f, res->median);
		fputs(", \"min\": ", f);
		json_number(f, res->min);
		fputs(", \"max\": ", f);
		json_number(f, res->max);
		fprintf(f, ", \"samples\": %u, \"iterations\": %llu, \"values\": [",
			res->nsamples, (unsigned long long)res->iters);
		for (i = 0; i < res->nsamples; i++) {
			if (i)
				fputs(", ", f);
			json_number(f, res->samples[i]);
		}
		fputc(']', f);
	} else {
		fputs(", \"median\": null, \"min\": null, \"max\": null, \"samples\": 0, \"reason\": ",
		      f);
		json_string(f, res->why);
	}
	fputs(", \"description\": ", f);
	json_string(f, b->desc);
	fputc('}', f);
}

static void json_ratio(FILE *f, const struct bench_ratio *ra,
		       const struct bench_ratio_result *rr)
{
	fputs("    {\"name\": ", f);
	json_string(f, ra->name);
	fprintf(f, ", \"status\": \"%s\", \"value\": ", status_name(rr->status));
	if (rr->status == BENCH_OK)
		json_number(f, rr->value);
	else
		fputs("null", f);
	fputs(", \"numerator\": ", f);
	json_string(f, ra->num);
	fputs(", \"denominator\": ", f);
	json_string(f, ra->den);
	if (rr->status != BENCH_OK) {
		fputs(", \"reason\": ", f);
		json_string(f, rr->why);
	}
	fputs(", \"description\": ", f);
	json_string(f, ra->desc);
	fputc('}', f);
}

/**
 * bench_report_json() - write every figure and ratio as one JSON object
 * @f: where to.
 * @rep: what to write.
 */
void bench_report_json(FILE *f, const struct bench_report *rep)
{
	const struct bench_ctx *ctx = rep->ctx;
	const char *sep = "\n";
	size_t i;

	fputs("{\n  \"tool\": \"gring-bench\",\n  \"version\": ", f);
	json_string(f, rep->version);
	fputs(",\n  \"date\": ", f);
	json_string(f, rep->date);
	fputs(",\n  \"kernel\": ", f);
	json_string(f, rep->kernel);
	fprintf(f, ",\n  \"nproc\": %ld,\n  \"repeat\": %u,\n  \"filter\": ",
		rep->nproc, rep->repeat);
	json_string_or_null(f, rep->filter);
	fputs(",\n  \"devices\": {\"gring\": ", f);
	json_string_or_null(f, ctx->gring_err ? NULL :
			    gring_device_path(&ctx->gring));
	fputs(", \"vgem_render\": ", f);
	json_string_or_null(f, ctx->vgem_why[0] ? NULL : ctx->vgem_render_path);
	fputs(", \"vgem_card\": ", f);
	json_string_or_null(f, ctx->vgem_why[0] ? NULL : ctx->vgem_card_path);
	fputs("},\n  \"benchmarks\": [", f);
	for (i = 0; i < rep->nbench; i++) {
		if (rep->results[i].status == BENCH_NOT_RUN)
			continue;
		fputs(sep, f);
		json_bench(f, rep->benches[i], &rep->results[i]);
		sep = ",\n";
	}
	fputs(strcmp(sep, "\n") ? "\n  ],\n  \"ratios\": [" :
				  "],\n  \"ratios\": [", f);
	sep = "\n";
	for (i = 0; i < rep->nratio; i++) {
		if (rep->ratio_results[i].status == BENCH_NOT_RUN)
			continue;
		fputs(sep, f);
		json_ratio(f, &rep->ratios[i], &rep->ratio_results[i]);
		sep = ",\n";
	}
	fputs(strcmp(sep, "\n") ? "\n  ]\n}\n" : "]\n}\n", f);
}
