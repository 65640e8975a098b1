/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_ASM_BARRIER_H_
#define _SHIM_ASM_BARRIER_H_

#include "../shim.h"

/* Barriers are events: the tests assert where they fall. */
#define dma_wmb() shim_event("dma_wmb", NULL)
#define dma_rmb() shim_event("dma_rmb", NULL)
/* A full barrier: orders a store before a later load (virtio notify). */
#define mb() shim_event("mb", NULL)

#endif
