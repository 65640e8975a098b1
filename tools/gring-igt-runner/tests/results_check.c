// SPDX-License-Identifier: MIT
/*
 * results_check: read a results.json back with json-c's parser (strict,
 * UTF-8 validated) and check it, for the runner's self-test.
 *
 *   results_check FILE [WANT...]     exit 0 if every check holds
 *   results_check --secs10 FILE TEST print TEST's duration x 10, truncated
 *
 * Always checked: the shape IGT's igt_runner writes (TestrunResult v10,
 * TimeAttributes, every test's keys and result, totals of "", "root" and
 * each igt@BIN that agree with the tests), and no FILE.tmp left behind.
 * Each WANT is one of
 *
 *   tests=A,B,...      the test names, in any order
 *   summary=P,F,S,X,K  passed, failed, skipped, expected-failures, flakes
 *   NAME=RESULT        a test's result
 *   NAME:KEY=VALUE     a test's KEY, as text ("None" when it is absent)
 *   NAME:KEY~=TEXT     a test's KEY contains TEXT
 *   NAME:KEY>=N        a test's KEY is at least N bytes long
 *
 * The counts here are recomputed from the tests, not taken from the
 * runner, so a wrong total cannot agree with itself.
 */
#define _GNU_SOURCE	/* memmem */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const results[] = {
	"pass", "skip", "fail", "crash", "timeout", "abort", "dmesg-warn",
	"dmesg-fail", "notrun", "incomplete", "warn",
};
#define NRESULTS	(sizeof(results) / sizeof(results[0]))

static int errors;

static void error(const char *fmt, const char *a, const char *b)
{
	printf("      ");
	printf(fmt, a, b);
	printf("\n");
	errors++;
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v = get(o, k);

	return json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static int result_index(const char *r)
{
	size_t i;

	for (i = 0; r && i < NRESULTS; i++)
		if (!strcmp(results[i], r))
			return (int)i;
	return -1;
}

static void time_attr(const char *what, struct json_object *t)
{
	struct json_object *s = get(t, "start"), *e = get(t, "end");
	const char *type = str(t, "__type__");

	if (!type || strcmp(type, "TimeAttribute") ||
	    !json_object_is_type(s, json_type_double) ||
	    !json_object_is_type(e, json_type_double) ||
	    json_object_get_double(e) < json_object_get_double(s))
		error("%s: bad TimeAttribute%s", what, "");
}

/* igt@BIN of igt@BIN@SUBTEST (or of igt@BIN), in @buf. */
static const char *group_of(const char *name, char *buf, size_t len)
{
	const char *at = strchr(name, '@');

	at = at ? strchr(at + 1, '@') : NULL;
	snprintf(buf, len, "%.*s", at ? (int)(at - name) : (int)strlen(name),
		 name);
	return buf;
}

static void check_total(struct json_object *totals, struct json_object *tests,
			const char *group)
{
	struct json_object *tot = get(totals, group);
	size_t want[NRESULTS] = { 0 };
	char g[512];
	size_t i;

	if (!tot || json_object_object_length(tot) != (int)NRESULTS) {
		error("totals['%s']: bad keys%s", group, "");
		return;
	}
	json_object_object_foreach(tests, name, t) {
		int r = result_index(str(t, "result"));

		if (r >= 0 && (!*group || !strcmp(group, "root") ||
			       !strcmp(group_of(name, g, sizeof(g)), group)))
			want[r]++;
	}
	for (i = 0; i < NRESULTS; i++) {
		struct json_object *n = get(tot, results[i]);

		if (!json_object_is_type(n, json_type_int) ||
		    json_object_get_int64(n) != (int64_t)want[i])
			error("totals['%s'][%s] is wrong", group, results[i]);
	}
}

static void check_shape(struct json_object *d)
{
	static const char *const keys[] = {
		"__type__", "results_version", "name", "uname",
		"time_elapsed", "tests", "totals", "runtimes",
	};
	static const char *const test_keys[] = {
		"result", "time", "out", "err", "dmesg",
	};
	struct json_object *tests = get(d, "tests"), *totals = get(d, "totals");
	const char *type = str(d, "__type__");
	char g[512], prev[512];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!get(d, keys[i]))
			error("missing top-level key %s%s", keys[i], "");
	if (!type || strcmp(type, "TestrunResult") ||
	    json_object_get_int(get(d, "results_version")) != 10)
		error("not a TestrunResult v10%s%s", "", "");
	time_attr("time_elapsed", get(d, "time_elapsed"));

	json_object_object_foreach(tests, name, t) {
		for (i = 0; i < sizeof(test_keys) / sizeof(test_keys[0]); i++)
			if (!get(t, test_keys[i]))
				error("%s: missing %s", name, test_keys[i]);
		if (result_index(str(t, "result")) < 0)
			error("%s: unknown result %s", name, str(t, "result"));
		time_attr(name, get(t, "time"));
	}

	check_total(totals, tests, "");
	check_total(totals, tests, "root");
	/* Tests of one binary are adjacent: check each group once. */
	prev[0] = '\0';
	json_object_object_foreach(tests, tname, tt) {
		(void)tt;
		if (strcmp(group_of(tname, g, sizeof(g)), prev))
			check_total(totals, tests, g);
		snprintf(prev, sizeof(prev), "%s", g);
	}
}

static bool same_names(struct json_object *tests, const char *list)
{
	char *copy = strdup(list), *save = NULL, *n;
	int count = 0;
	bool ok = true;

	for (n = strtok_r(copy, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		count++;
		if (!get(tests, n))
			ok = false;
	}
	free(copy);
	return ok && count == json_object_object_length(tests);
}

static void check_summary(struct json_object *d, const char *want)
{
	static const char *const keys[] = {
		"passed", "failed", "skipped", "expected-failures", "flakes",
	};
	struct json_object *s = get(d, "summary");
	char got[256] = "";
	size_t i, len;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		len = strlen(got);
		snprintf(got + len, sizeof(got) - len, "%s%lld", i ? "," : "",
			 (long long)json_object_get_int64(get(s, keys[i])));
	}
	if (strcmp(got, want))
		error("summary is %s, want %s", got, want);
}

static void check_want(struct json_object *d, char *want)
{
	struct json_object *tests = get(d, "tests"), *t, *v;
	char *eq = strchr(want, '='), *colon, *value, *key;
	size_t klen;

	if (!eq) {
		error("bad check '%s'%s", want, "");
		return;
	}
	*eq = '\0';
	value = eq + 1;
	if (!strcmp(want, "tests")) {
		if (!same_names(tests, value))
			error("tests are not %s%s", value, "");
		return;
	}
	if (!strcmp(want, "summary")) {
		check_summary(d, value);
		return;
	}
	colon = strchr(want, ':');
	if (colon)
		*colon = '\0';
	t = get(tests, want);
	if (!t) {
		error("no test %s%s", want, "");
		return;
	}
	if (!colon) {
		if (!str(t, "result") || strcmp(str(t, "result"), value))
			error("%s is not %s", want, value);
		return;
	}
	key = colon + 1;
	klen = strlen(key);
	if (klen && (key[klen - 1] == '~' || key[klen - 1] == '>')) {
		char op = key[klen - 1];
		size_t len;

		key[klen - 1] = '\0';
		v = get(t, key);
		len = json_object_is_type(v, json_type_string) ?
		      (size_t)json_object_get_string_len(v) : 0;
		if (op == '~' && (!len || !memmem(json_object_get_string(v),
						  len, value, strlen(value))))
			error("%s lacks '%s'", key, value);
		if (op == '>' && len < strtoull(value, NULL, 10))
			error("%s shorter than %s", key, value);
		return;
	}
	v = get(t, key);
	if (strcmp(v ? json_object_get_string(v) : "None", value))
		error("%s is not '%s'", key, value);
}

static struct json_object *parse(const char *path)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *d = NULL;
	char *data = NULL;
	size_t len = 0, n;
	FILE *f = fopen(path, "r");

	if (!f || !tok) {
		perror(path);
		exit(2);
	}
	/* Read all of it: json-c takes at most INT_MAX bytes in one go. */
	for (;;) {
		data = realloc(data, len + 65536);
		if (!data)
			exit(2);
		n = fread(data + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	fclose(f);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	d = json_tokener_parse_ex(tok, data, (int)len);
	if (!d || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) < len - (len && data[len - 1] == '\n')) {
		printf("      %s: not valid JSON: %s\n", path,
		       json_tokener_error_desc(json_tokener_get_error(tok)));
		exit(1);
	}
	json_tokener_free(tok);
	free(data);
	return d;
}

int main(int argc, char **argv)
{
	struct json_object *d, *t;
	char tmp[4096];
	int i;

	if (argc == 4 && !strcmp(argv[1], "--secs10")) {
		d = parse(argv[2]);
		t = get(get(get(d, "tests"), argv[3]), "time");
		printf("%d\n", (int)((json_object_get_double(get(t, "end")) -
				      json_object_get_double(get(t, "start"))) * 10));
		json_object_put(d);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: results_check FILE [WANT...] | --secs10 FILE TEST\n");
		return 2;
	}
	d = parse(argv[1]);
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	if (!access(tmp, F_OK))
		error("temporary file left behind%s%s", "", "");
	check_shape(d);
	for (i = 2; i < argc; i++)
		check_want(d, argv[i]);
	json_object_put(d);
	return errors ? 1 : 0;
}
