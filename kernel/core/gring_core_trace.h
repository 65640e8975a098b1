/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gring_core: tracepoints. Every ownership handoff and every refusal is an
 * event, so `trace-cmd record -e gring_core` shows who owned which bytes
 * when. The events are the core's, whoever uses it: each carries the
 * buffer's (ring's) name, which that user chose.
 *
 * Offsets are from the start of the buffer; no DMA address is traced.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gring_core

#if !defined(_GRING_CORE_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _GRING_CORE_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

DECLARE_EVENT_CLASS(gring_handoff,
		    TP_PROTO(const char *name, size_t offset, size_t size),
		    TP_ARGS(name, offset, size),
		    TP_STRUCT__entry(__string(name, name)
				     __field(size_t, offset)
				     __field(size_t, size)),
		    TP_fast_assign(__assign_str(name);
				   __entry->offset = offset;
				   __entry->size = size;),
		    TP_printk("%s [%#zx, +%#zx)", __get_str(name),
			      __entry->offset, __entry->size)
);

/* The device may now access these bytes; the CPU may not. */
DEFINE_EVENT(gring_handoff, gring_to_gpu,
	     TP_PROTO(const char *name, size_t offset, size_t size),
	     TP_ARGS(name, offset, size)
);

/* The CPU has these bytes back. */
DEFINE_EVENT(gring_handoff, gring_to_cpu,
	     TP_PROTO(const char *name, size_t offset, size_t size),
	     TP_ARGS(name, offset, size)
);

/* A call was refused: CPU access to device-owned bytes, a bad handoff. */
TRACE_EVENT(gring_refused,
	    TP_PROTO(const char *name, const char *what, size_t offset,
		     size_t size, int err),
	    TP_ARGS(name, what, offset, size, err),
	    TP_STRUCT__entry(__string(name, name)
			     __string(what, what)
			     __field(size_t, offset)
			     __field(size_t, size)
			     __field(int, err)),
	    TP_fast_assign(__assign_str(name);
			   __assign_str(what);
			   __entry->offset = offset;
			   __entry->size = size;
			   __entry->err = err;),
	    TP_printk("%s: %s [%#zx, +%#zx) err=%d", __get_str(name),
		      __get_str(what), __entry->offset, __entry->size,
		      __entry->err)
);

DECLARE_EVENT_CLASS(gring_ring_ptr,
		    TP_PROTO(const char *name, u32 ptr),
		    TP_ARGS(name, ptr),
		    TP_STRUCT__entry(__string(name, name)
				     __field(u32, ptr)),
		    TP_fast_assign(__assign_str(name);
				   __entry->ptr = ptr;),
		    TP_printk("%s %#x", __get_str(name), __entry->ptr)
);

/* The producer published a new write pointer (ring offset). */
DEFINE_EVENT(gring_ring_ptr, gring_ring_publish,
	     TP_PROTO(const char *name, u32 ptr),
	     TP_ARGS(name, ptr)
);

/* The CPU took back everything before this ring offset. */
DEFINE_EVENT(gring_ring_ptr, gring_ring_retire,
	     TP_PROTO(const char *name, u32 ptr),
	     TP_ARGS(name, ptr)
);

#endif /* _GRING_CORE_TRACE_H_ */

/* Out of tree: define_trace.h finds this file through -I$(src)/core. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gring_core_trace
#include <trace/define_trace.h>
