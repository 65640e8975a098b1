/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_MODULE_H_
#define _SHIM_LINUX_MODULE_H_

/* A test binary is no module: its identity is the core's, for reports. */
#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "gring_core"
#endif

/* Nothing to record on the host: a declaration that takes the string. */
#define MODULE_DESCRIPTION(desc) extern char __shim_module_description[sizeof(desc)]
#define MODULE_LICENSE(license) extern char __shim_module_license[sizeof(license)]

#endif
