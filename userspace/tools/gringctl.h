/* SPDX-License-Identifier: MIT */
/*
 * gringctl: what the subcommands, one file each, share.
 */
#ifndef _GRINGCTL_H_
#define _GRINGCTL_H_

#include <stdbool.h>

#include <gring.h>

/* Exit status for bad usage; 0 is success and 1 a device error. */
#define EXIT_USAGE	2

/* Options every subcommand understands, whether given before or after it. */
struct global_opts {
	const char *device;	/* --device PATH, or NULL to search */
};

/*
 * Print "gringctl CMD: <message>" and a --help hint to stderr.
 * Returns EXIT_USAGE.
 */
__attribute__((format(printf, 2, 3)))
int usage_error(const char *cmd, const char *fmt, ...);

/* Report a getopt_long() failure of @cmd. Returns EXIT_USAGE. */
int bad_option(const char *cmd, int opt, char **argv);

/*
 * Open --device, or search for the gring node; on failure say why on
 * stderr. Returns 0 or a negative errno.
 */
int open_device(const struct global_opts *g, struct gring_device *dev);

/*
 * Parse the options of subcommand @cmd when they are --device, --help and
 * --json only, with no arguments: --help prints @usage to stdout, --json
 * sets *@json. Returns -1 to go on, or the exit status to return now
 * (EXIT_SUCCESS after --help, EXIT_USAGE on bad usage).
 */
int parse_json_opts(const char *cmd, const char *usage, int argc, char **argv,
		    struct global_opts *g, bool *json);

/* gringctl_demo.c */
extern const char demo_usage[];
int cmd_demo(int argc, char **argv, struct global_opts *g);

/* gringctl_present.c */
extern const char present_usage[];
int cmd_present(int argc, char **argv, struct global_opts *g);

#endif /* _GRINGCTL_H_ */
