// SPDX-License-Identifier: MIT
/*
 * gring-bench: io_uring NOPs, the floor for a submission interface.
 *
 * uring.nop is one NOP per io_uring_enter() (submit and wait for it):
 * the round trip a single job costs at best. uring.nop64 puts 64 NOPs in
 * one submit + wait and counts per NOP: the per-command floor once the
 * system call is amortised.
 */
#include <errno.h>
#include <string.h>

#include <liburing.h>

#include "bench.h"

#define URING_BATCH	64

struct uring_priv {
	struct io_uring ring;
};

static int uring_setup(struct bench_run *r)
{
	struct uring_priv *p = r->priv;
	int ret;

	ret = io_uring_queue_init(URING_BATCH, &p->ring, 0);
	/* Compiled out, or io_uring_disabled set: nothing to compare with. */
	if (ret == -ENOSYS || ret == -EPERM)
		return bench_unavailable(r, "io_uring: %s", strerror(-ret));
	if (ret)
		return bench_fail(r, "io_uring_queue_init: %s", strerror(-ret));
	return 0;
}

static void uring_teardown(struct bench_run *r)
{
	struct uring_priv *p = r->priv;

	io_uring_queue_exit(&p->ring);
}

/* Queue @n NOPs, submit them, wait for and reap all @n completions. */
static int uring_nops(struct bench_run *r, unsigned int n)
{
	struct uring_priv *p = r->priv;
	struct io_uring_cqe *cqe;
	unsigned int i, head, seen, done = 0;
	int ret;

	for (i = 0; i < n; i++)
		io_uring_prep_nop(io_uring_get_sqe(&p->ring));
	ret = io_uring_submit_and_wait(&p->ring, n);
	if (ret < 0)
		return bench_fail(r, "io_uring_submit_and_wait: %s",
				  strerror(-ret));
	while (done < n) {
		seen = 0;
		io_uring_for_each_cqe(&p->ring, head, cqe) {
			if (cqe->res < 0)
				return bench_fail(r, "io_uring NOP: %s",
						  strerror(-cqe->res));
			seen++;
		}
		io_uring_cq_advance(&p->ring, seen);
		done += seen;
		if (done < n) {
			ret = io_uring_wait_cqe_nr(&p->ring, &cqe, n - done);
			if (ret < 0)
				return bench_fail(r, "io_uring_wait_cqe: %s",
						  strerror(-ret));
		}
	}
	return 0;
}

static int uring_nop_run(struct bench_run *r, uint64_t iters)
{
	uint64_t i;

	for (i = 0; i < iters; i++)
		if (uring_nops(r, 1))
			return -1;
	return 0;
}

static int uring_nop64_run(struct bench_run *r, uint64_t iters)
{
	uint64_t i;

	for (i = 0; i < iters; i++)
		if (uring_nops(r, URING_BATCH))
			return -1;
	return 0;
}

const struct bench bench_uring_nop = {
	.name = "uring.nop",
	.desc = "io_uring: one NOP per submit + wait",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = 1,
	.priv_size = sizeof(struct uring_priv),
	.setup = uring_setup,
	.run = uring_nop_run,
	.teardown = uring_teardown,
};

const struct bench bench_uring_nop64 = {
	.name = "uring.nop64",
	.desc = "io_uring: 64 NOPs per submit + wait, per NOP",
	.section = BENCH_BASELINE,
	.unit = BENCH_US_PER_OP,
	.per_iter = URING_BATCH,
	.priv_size = sizeof(struct uring_priv),
	.setup = uring_setup,
	.run = uring_nop64_run,
	.teardown = uring_teardown,
};
