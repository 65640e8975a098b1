/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_TRACEPOINT_H_
#define _SHIM_LINUX_TRACEPOINT_H_

#include "../shim.h"

/* Each event becomes an inline function that logs its name. */
#define TP_PROTO(args...) args
#define TP_ARGS(args...) args

#define DECLARE_EVENT_CLASS(...)
#define DEFINE_EVENT(cls, evt, proto, args)				\
	static inline void trace_##evt(proto)				\
	{								\
		shim_trace(#cls, #evt, args);				\
	}
#define TRACE_EVENT(evt, proto, args, ...)				\
	static inline void trace_##evt(proto)				\
	{								\
		shim_trace(#evt, #evt, args);				\
	}

#endif
