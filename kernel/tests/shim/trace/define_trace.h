/* SPDX-License-Identifier: GPL-2.0-only */
/* Nothing to define on the host: the events are inline functions. */
