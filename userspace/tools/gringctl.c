// SPDX-License-Identifier: MIT
/*
 * gringctl: inspect and drive a gring device from the command line.
 *
 *   gringctl [--device PATH] COMMAND [OPTIONS]
 *
 * Each subcommand is one entry in the commands[] table below: a name, a
 * one-line summary, a usage text and a function. Exit status: 0 success,
 * 1 the device or kernel refused, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gring.h>

#include "gringctl.h"

#ifndef GRING_VERSION
#define GRING_VERSION	"unknown"
#endif

struct command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(int argc, char **argv, struct global_opts *g);
};

__attribute__((format(printf, 2, 3)))
int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gringctl%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'gringctl%s%s --help'.\n",
		cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

/*
 * Report a getopt_long() failure. The optstring starts with ':' so that a
 * missing argument comes back as ':' rather than '?'.
 */
int bad_option(const char *cmd, int opt, char **argv)
{
	const char *what = argv[optind - 1];

	if (opt == ':')
		return usage_error(cmd, "option '%s' needs an argument", what);
	if (optopt) {
		char shortopt[3] = { '-', (char)optopt, '\0' };

		return usage_error(cmd, "unknown option '%s'", shortopt);
	}
	return usage_error(cmd, "unknown option '%s'", what);
}

int open_device(const struct global_opts *g, struct gring_device *dev)
{
	int ret;

	if (g->device) {
		ret = gring_device_open_path(dev, g->device);
		if (ret == -ENODEV)
			fprintf(stderr, "gringctl: %s: not a gring device\n",
				g->device);
		else if (ret)
			fprintf(stderr, "gringctl: %s: %s\n", g->device,
				strerror(-ret));
		return ret;
	}

	ret = gring_device_open(dev);
	if (ret == -ENODEV)
		fprintf(stderr,
			"gringctl: no gring device found (is gring.ko loaded?)\n");
	else if (ret)
		fprintf(stderr, "gringctl: cannot open the gring device: %s\n",
			strerror(-ret));
	return ret;
}

int parse_json_opts(const char *cmd, const char *usage, int argc, char **argv,
		    struct global_opts *g, bool *json)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, ":d:hj", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			g->device = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_SUCCESS;
		case 'j':
			*json = true;
			break;
		default:
			return bad_option(cmd, opt, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind]);
	return -1;
}

/* "268435456 bytes (256 MiB)"; exact units print without decimals. */
static void format_bytes(char *buf, size_t len, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	unsigned int i = 0;
	uint64_t scale = 1024;

	if (v < 1024) {
		snprintf(buf, len, "%" PRIu64 " bytes", v);
		return;
	}
	while (i + 1 < sizeof(units) / sizeof(units[0]) && v >= scale * 1024) {
		scale *= 1024;
		i++;
	}
	if (v % scale == 0)
		snprintf(buf, len, "%" PRIu64 " bytes (%" PRIu64 " %s)", v,
			 v / scale, units[i]);
	else
		snprintf(buf, len, "%" PRIu64 " bytes (%.1f %s)", v,
			 (double)v / (double)scale, units[i]);
}

/* "MAX_BO_SIZE" -> "max_bo_size", the JSON key. */
static void json_key(char *key, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < len && name[i]; i++)
		key[i] = name[i] >= 'A' && name[i] <= 'Z' ?
			 name[i] - 'A' + 'a' : name[i];
	key[i] = '\0';
}

/* info */

#define MAX_PARAMS	64

struct param_value {
	const struct gring_param_info *info;
	uint64_t value;
	bool supported;	/* false: this kernel does not know the parameter */
};

static int read_params(const struct gring_device *dev,
		       struct param_value *pv, unsigned int *count)
{
	const struct gring_param_info *info;
	unsigned int n = 0;
	int ret;

	for (; n < MAX_PARAMS && (info = gring_param_info(n)); n++) {
		pv[n].info = info;
		pv[n].value = 0;
		ret = gring_get_param(dev, info->param, &pv[n].value);
		pv[n].supported = ret == 0;
		if (ret && ret != -EINVAL) {
			fprintf(stderr, "gringctl: reading %s: %s\n",
				info->name, strerror(-ret));
			return ret;
		}
	}
	*count = n;
	return 0;
}

static void info_text(const struct gring_device *dev,
		      const struct gring_version *ver,
		      const struct param_value *pv, unsigned int count)
{
	char label[128], value[64];
	unsigned int i;
	int width = 0;

	printf("node:         %s\n", gring_device_path(dev));
	printf("driver:       %s\n", ver->name);
	printf("version:      %d.%d.%d\n", ver->major, ver->minor,
	       ver->patchlevel);
	printf("description:  %s\n", ver->desc);
	printf("parameters:\n");

	for (i = 0; i < count; i++) {
		int n = snprintf(label, sizeof(label), "%s (%s):",
				 pv[i].info->desc, pv[i].info->name);

		if (n > width)
			width = n;
	}
	for (i = 0; i < count; i++) {
		snprintf(label, sizeof(label), "%s (%s):", pv[i].info->desc,
			 pv[i].info->name);
		if (!pv[i].supported)
			snprintf(value, sizeof(value),
				 "not supported by this kernel");
		else if (pv[i].info->unit == GRING_UNIT_BYTES)
			format_bytes(value, sizeof(value), pv[i].value);
		else
			snprintf(value, sizeof(value), "%" PRIu64,
				 pv[i].value);
		printf("  %-*s  %s\n", width, label, value);
	}
}

static void info_json(const struct gring_device *dev,
		      const struct gring_version *ver,
		      const struct param_value *pv, unsigned int count)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *driver = json_object_new_object();
	struct json_object *params = json_object_new_object();
	char version[64], key[64];
	unsigned int i;

	snprintf(version, sizeof(version), "%d.%d.%d", ver->major, ver->minor,
		 ver->patchlevel);

	json_object_object_add(doc, "node",
			       json_object_new_string(gring_device_path(dev)));
	json_object_object_add(driver, "name",
			       json_object_new_string(ver->name));
	json_object_object_add(driver, "version",
			       json_object_new_string(version));
	/* No date: DRM has stopped reporting one (it always reads "0"). */
	json_object_object_add(driver, "major", json_object_new_int(ver->major));
	json_object_object_add(driver, "minor", json_object_new_int(ver->minor));
	json_object_object_add(driver, "patchlevel",
			       json_object_new_int(ver->patchlevel));
	json_object_object_add(driver, "desc",
			       json_object_new_string(ver->desc));
	json_object_object_add(doc, "driver", driver);
	for (i = 0; i < count; i++) {
		json_key(key, sizeof(key), pv[i].info->name);
		/* NULL is null: a parameter this kernel does not know. */
		json_object_object_add(params, key, pv[i].supported ?
				       json_object_new_uint64(pv[i].value) :
				       NULL);
	}
	json_object_object_add(doc, "params", params);

	puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

static const char info_usage[] =
	"Usage: gringctl info [--json] [--device PATH]\n"
	"\n"
	"Show the gring node, the driver's name, version and description,\n"
	"and every device parameter.\n"
	"\n"
	"Options:\n"
	"  -j, --json         print one JSON object instead of text\n"
	"  -d, --device PATH  use this DRM node instead of searching\n"
	"  -h, --help         show this help and exit\n";

static int cmd_info(int argc, char **argv, struct global_opts *g)
{
	struct param_value pv[MAX_PARAMS];
	struct gring_version ver;
	struct gring_device dev;
	unsigned int count;
	bool json = false;
	int ret;

	ret = parse_json_opts("info", info_usage, argc, argv, g, &json);
	if (ret >= 0)
		return ret;

	if (open_device(g, &dev))
		return EXIT_FAILURE;

	ret = gring_device_version(&dev, &ver);
	if (ret) {
		fprintf(stderr, "gringctl: %s: reading the driver version: %s\n",
			gring_device_path(&dev), strerror(-ret));
		goto out;
	}
	ret = read_params(&dev, pv, &count);
	if (ret)
		goto out;

	if (json)
		info_json(&dev, &ver, pv, count);
	else
		info_text(&dev, &ver, pv, count);
out:
	gring_device_close(&dev);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The subcommands, in the order --help lists them. */
static const struct command commands[] = {
	{
		.name = "info",
		.summary = "show the device, its driver and its parameters",
		.usage = info_usage,
		.run = cmd_info,
	},
	{
		.name = "demo",
		.summary = "run a few jobs on the soft engine, show who owned what",
		.usage = demo_usage,
		.run = cmd_demo,
	},
	{
		.name = "present",
		.summary = "show a test pattern or a raw frame on the virtio-gpu display",
		.usage = present_usage,
		.run = cmd_present,
	},
	{ NULL, NULL, NULL, NULL },
};

static void print_usage(FILE *f)
{
	const struct command *c;

	fprintf(f,
		"Usage: gringctl [OPTIONS] COMMAND [COMMAND OPTIONS]\n"
		"\n"
		"Inspect and drive a gring DRM device.\n"
		"\n"
		"Options:\n"
		"  -d, --device PATH  use this DRM node instead of searching for\n"
		"                     the gring device (e.g. /dev/dri/renderD129)\n"
		"  -h, --help         show this help and exit\n"
		"  -V, --version      show the version and exit\n"
		"\n"
		"Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-17s  %s\n", c->name, c->summary);
	fprintf(f,
		"\n"
		"Run 'gringctl COMMAND --help' or 'gringctl help COMMAND' for a\n"
		"command's options.\n"
		"Exit status: 0 success, 1 device error, 2 bad usage.\n");
}

/* "gringctl help [COMMAND]" */
static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_usage(stdout);
		return EXIT_SUCCESS;
	}
	for (c = commands; c->name; c++) {
		if (!strcmp(argv[1], c->name)) {
			fputs(c->usage, stdout);
			return EXIT_SUCCESS;
		}
	}
	return usage_error("help", "unknown command '%s'", argv[1]);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct global_opts g = { .device = NULL };
	const struct command *c;
	int opt;

	/* '+': stop at the subcommand, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+:d:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			g.device = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("gringctl (gring) %s\n", GRING_VERSION);
			return EXIT_SUCCESS;
		default:
			return bad_option(NULL, opt, argv);
		}
	}

	if (optind >= argc) {
		fprintf(stderr, "gringctl: no command given\n");
		print_usage(stderr);
		return EXIT_USAGE;
	}

	for (c = commands; c->name; c++) {
		if (!strcmp(argv[optind], c->name)) {
			argc -= optind;
			argv += optind;
			optind = 0;	/* glibc: restart getopt on the new argv */
			return c->run(argc, argv, &g);
		}
	}
	if (!strcmp(argv[optind], "help"))
		return cmd_help(argc - optind, argv + optind);
	return usage_error(NULL, "unknown command '%s'", argv[optind]);
}
