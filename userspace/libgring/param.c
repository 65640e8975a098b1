// SPDX-License-Identifier: MIT
/*
 * Human descriptions of the uapi's device parameters, for tools.
 */
#include "gring.h"

/* Indexed by enum drm_gring_param, which is dense from 0. */
static const struct gring_param_info gring_params[] = {
	[DRM_GRING_PARAM_UAPI_VERSION] = {
		.param = DRM_GRING_PARAM_UAPI_VERSION,
		.name = "UAPI_VERSION",
		.desc = "uapi version",
		.unit = GRING_UNIT_NONE,
	},
	[DRM_GRING_PARAM_MAX_BO_SIZE] = {
		.param = DRM_GRING_PARAM_MAX_BO_SIZE,
		.name = "MAX_BO_SIZE",
		.desc = "largest buffer object",
		.unit = GRING_UNIT_BYTES,
	},
	[DRM_GRING_PARAM_BO_ALIGN] = {
		.param = DRM_GRING_PARAM_BO_ALIGN,
		.name = "BO_ALIGN",
		.desc = "buffer object size granule",
		.unit = GRING_UNIT_BYTES,
	},
	[DRM_GRING_PARAM_PINNED_CAP] = {
		.param = DRM_GRING_PARAM_PINNED_CAP,
		.name = "PINNED_CAP",
		.desc = "most bytes all live buffer objects may pin",
		.unit = GRING_UNIT_BYTES,
	},
	[DRM_GRING_PARAM_ENGINES] = {
		.param = DRM_GRING_PARAM_ENGINES,
		.name = "ENGINES",
		.desc = "engines, a mask of 1 << engine",
		.unit = GRING_UNIT_NONE,
	},
};

const struct gring_param_info *gring_param_info(uint32_t param)
{
	if (param >= sizeof(gring_params) / sizeof(gring_params[0]))
		return NULL;
	return &gring_params[param];
}

const char *gring_param_name(uint32_t param)
{
	const struct gring_param_info *info = gring_param_info(param);

	return info ? info->name : NULL;
}
