/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_EXPORT_H_
#define _SHIM_LINUX_EXPORT_H_

/* Nothing to export from a test binary. */
#define EXPORT_SYMBOL_GPL(sym) extern int __shim_export_##sym
/* The core's exports: EXPORT_SYMBOL_NS_GPL(sym, GRING), 6.12's form. */
#define EXPORT_SYMBOL_NS_GPL(sym, ns) extern int __shim_export_##ns##_##sym

#endif
