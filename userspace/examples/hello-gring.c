// SPDX-License-Identifier: MIT
/* hello-gring: open gring's node, write a buffer object through its mapping. */
#include <gring.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	struct gring_device dev;
	struct gring_bo bo;
	int ret = gring_device_open(&dev);

	if (ret) {
		fprintf(stderr, "hello-gring: no gring device: %s\n", strerror(-ret));
		return 1;
	}
	ret = gring_bo_create(&dev, 4096, 0, &bo);
	if (!ret)
		ret = gring_bo_map(&dev, &bo);
	if (!ret) {
		snprintf(bo.map, bo.size, "hello from %s", gring_device_path(&dev));
		printf("uid %u: a %llu-byte gring buffer says \"%s\"\n", getuid(),
		       (unsigned long long)bo.size, (char *)bo.map);
		ret = gring_bo_close(&dev, &bo);
	}
	if (ret)
		fprintf(stderr, "hello-gring: %s\n", strerror(-ret));
	gring_device_close(&dev);
	return ret ? 1 : 0;
}
