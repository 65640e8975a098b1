/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring: tracepoints of jobs -- submitted, started by the engine,
 * completed, faulted. With the core's handoff events (gring_core_trace.h),
 * `trace-cmd record -e gring -e gring_core` shows a job's whole life and
 * who owned its bytes when.
 *
 * Rings are named, jobs numbered by seqno, positions given as ring
 * offsets: no DMA address is traced.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gring

#if !defined(_GRING_JOB_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _GRING_JOB_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

/*
 * SUBMIT queued the job, which touches @ranges buffer ranges; @direct: it
 * takes the direct path (executed and completed inside SUBMIT), else the
 * scheduler runs it.
 */
TRACE_EVENT(gring_job_submit,
	    TP_PROTO(const char *ring, u64 seqno, u32 ranges, bool direct),
	    TP_ARGS(ring, seqno, ranges, direct),
	    TP_STRUCT__entry(__string(ring, ring)
			     __field(u64, seqno)
			     __field(u32, ranges)
			     __field(bool, direct)),
	    TP_fast_assign(__assign_str(ring);
			   __entry->seqno = seqno;
			   __entry->ranges = ranges;
			   __entry->direct = direct;),
	    TP_printk("%s job %llu, %u buffer ranges, %s", __get_str(ring),
		      __entry->seqno, __entry->ranges,
		      __entry->direct ? "direct" : "scheduled")
);

/* The engine starts executing the job. */
TRACE_EVENT(gring_job_start,
	    TP_PROTO(const char *ring, u64 seqno),
	    TP_ARGS(ring, seqno),
	    TP_STRUCT__entry(__string(ring, ring)
			     __field(u64, seqno)),
	    TP_fast_assign(__assign_str(ring);
			   __entry->seqno = seqno;),
	    TP_printk("%s job %llu", __get_str(ring), __entry->seqno)
);

/* The job is complete; @err is its fence's error (0 if none). */
TRACE_EVENT(gring_job_done,
	    TP_PROTO(const char *ring, u64 seqno, int err, u64 ns),
	    TP_ARGS(ring, seqno, err, ns),
	    TP_STRUCT__entry(__string(ring, ring)
			     __field(u64, seqno)
			     __field(int, err)
			     __field(u64, ns)),
	    TP_fast_assign(__assign_str(ring);
			   __entry->seqno = seqno;
			   __entry->err = err;
			   __entry->ns = ns;),
	    TP_printk("%s job %llu err=%d %llu ns", __get_str(ring),
		      __entry->seqno, __entry->err, __entry->ns)
);

/* The engine stopped on a command: an unmapped address or a bad command. */
TRACE_EVENT(gring_job_fault,
	    TP_PROTO(const char *ring, u64 seqno, u32 op, u32 offset, int err),
	    TP_ARGS(ring, seqno, op, offset, err),
	    TP_STRUCT__entry(__string(ring, ring)
			     __field(u64, seqno)
			     __field(u32, op)
			     __field(u32, offset)
			     __field(int, err)),
	    TP_fast_assign(__assign_str(ring);
			   __entry->seqno = seqno;
			   __entry->op = op;
			   __entry->offset = offset;
			   __entry->err = err;),
	    TP_printk("%s job %llu: op %u at ring offset %#x err=%d",
		      __get_str(ring), __entry->seqno, __entry->op,
		      __entry->offset, __entry->err)
);

#endif /* _GRING_JOB_TRACE_H_ */

/* Out of tree: define_trace.h finds this file through -I$(src)/drm. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gring_job_trace
#include <trace/define_trace.h>
