# gring: the two commands are `make run` and `make test`; both install what
# is missing (tools/setup), build everything and boot the QEMU bench.
MAKEFLAGS += --no-print-directory
VM      := tools/vm
RESULTS := build/vm-out/results.json
# The debug-kernel lane: its own modules, initramfs and guest output.
DEBUG_VM  := $(VM) --kernel debug --out build/vm-out-debug

.PHONY: all build run test test-debug kunit coverage fuzz lint docs bench host-test vm-test vm-check-test screendump-test shell clean help install
.PHONY: install-dkms install-core-devel dkms-test

all: build

help:
	@echo "make run     boot the VM, load gring, run gringctl info and gringctl demo in it,"
	@echo "             then show an llvmpipe frame on the gring display and compare"
	@echo "             QEMU's screendump of it with the frame (tools/main-job)"
	@echo "make test    lint, host tests, every IGT subtest in the VM on Debian's"
	@echo "             kernel, then on the debug kernel (make test-debug)"
	@echo "make test-debug  the guest suite on the debug kernel (KASAN, lockdep, ...),"
	@echo "             then gring_core.ko's and gring.ko's line coverage (build/coverage/index.html)"
	@echo "make kunit   the core's KUnit suites alone (gring_core_test.ko) on the debug kernel,"
	@echo "             one short boot; results in build/vm-out-kunit/results.json"
	@echo "make coverage  the coverage table again, with each file's least run functions"
	@echo "make fuzz SECONDS=N SEED=S  gring-fuzz for N s (default 60) on the debug kernel"
	@echo "make lint    checkpatch, kernel-doc, uapi layout, -Werror build"
	@echo "make docs    Documentation/ as HTML in build/docs/html (Sphinx + kernel-doc, warnings are errors)"
	@echo "make bench   gring-bench in one VM boot (table + build/bench.json)"
	@echo "make vm-check-test  the bench fails on kernel-log warnings only (2 boots; after a build)"
	@echo "make screendump-test  the guest's gring-screendump, both ways (2 boots; after a build)"
	@echo "make shell   interactive guest shell"
	@echo "make install install libgring, headers, gring.pc, tools, tests (PREFIX, DESTDIR)"
	@echo "make install-dkms  the modules' sources and dkms.conf in /usr/src/gring-<version> (DESTDIR)"
	@echo "make install-core-devel  gring_core's headers and Module.symvers for another module,"
	@echo "             in PREFIX/src/gring-core-<version> (KVER, PREFIX, DESTDIR)"
	@echo "make dkms-test  the DKMS build and a third module on gring_core, in one boot (after a build)"
	@echo "make build   build module, userspace, initramfs"
	@echo "make clean   remove build outputs"

build:
	$(VM) build

# One boot (tools/main-job): gringctl info, the demo as the ordinary user,
# as a client would (0 only if every value it read back is the one it
# computed), then the llvmpipe frame presented on the gring display,
# screendumped by QEMU and compared on the host with tools/png-compare.
run: build
	tools/main-job

# Host tests need only the meson build (meson test builds what is stale);
# the module and initramfs are vm-test's.
host-test:
	tools/setup
	tools/meson-setup
	meson test -C build/meson --print-errorlogs
	tools/tests/install-test.sh
	tools/bench/submit-phases --check

vm-test: build
	$(VM) --no-build run -- gring-vm-test
	tools/bench/check_bench_json.py build/vm-out/bench-smoke.json
	@echo "results: $(RESULTS)"
	@# The runner's closing line, last, so it is what a reader (or CI) sees.
	@grep -E '^[0-9]+ passed, [0-9]+ failed' build/vm-out/console.log | tail -n 1

# The bench decides from the kernel's log, not from what programs print:
# a command printing the words passes; the same words written to the
# kernel log (/dev/kmsg, as the kernel would log them) fail with exit 3.
# Two short boots on the build vm-test made (run it first).
VMCHECK_OUT := build/vm-check-out
vm-check-test:
	$(VM) --no-build run --out $(VMCHECK_OUT) -- sh -c \
		'echo "WARNING: CPU: 0 PID: 1 at fake"; echo Oops; echo "Call Trace:"'
	@st=0; $(VM) --no-build run --out $(VMCHECK_OUT) -- sh -c \
		"echo '<4>WARNING: CPU: 0 PID: 1 at fake' >/dev/kmsg" || st=$$?; \
	if [ $$st = 3 ]; then echo "vm-check-test: kernel-log warning failed the run (exit 3), as it must"; \
	else echo "vm-check-test: FAIL: kernel-log warning gave exit $$st, want 3"; exit 1; fi

# The bench's screendump service (tools/vm-screendump, the guest's
# gring-screendump): a 1280x800 PNG of the gring display, and a request
# that cannot be served failing at once.  Two short boots, after a build.
screendump-test:
	tools/tests/screendump-test.sh

# libgring, its headers, gring.pc, the tools and the tests, where a
# distribution puts them (PREFIX/lib/<multiarch>, PREFIX/include/gring,
# PREFIX/libexec/gring, PREFIX/share/gring), staged under DESTDIR if set.
# Its own meson build (build/meson-install): build/meson stays prefix /usr
# for the VM.
PREFIX  ?= /usr/local
DESTDIR ?=
install:
	tools/setup
	(tools/meson-setup build/meson-install $(abspath $(PREFIX)) && \
		ninja -C build/meson-install) >build/meson-install.log 2>&1 || \
		{ cat build/meson-install.log; exit 1; }
	meson install -C build/meson-install --no-rebuild $(if $(DESTDIR),--destdir $(abspath $(DESTDIR)))

# The kernel modules' version, the DRM driver's (tools/gring-version), and
# the kernel they are built for: the VM's, as kernel/Makefile picks it.
GRING_VERSION := $(shell tools/gring-version)
KVER ?= $(shell cat build/kernel-version 2>/dev/null || uname -r)

# DKMS's source tree (dkms --sourcetree): the two modules' sources as
# kernel/ and uapi/ hold them, and dkms/dkms.conf with the version filled
# in, where `dkms add -m gring -v <version>` looks for them.
DKMS_SOURCE_TREE ?= /usr/src
DKMS_DIR = $(DESTDIR)$(DKMS_SOURCE_TREE)/gring-$(GRING_VERSION)
install-dkms:
	@test -n "$(GRING_VERSION)"
	rm -rf $(DKMS_DIR)
	install -d $(DKMS_DIR)/kernel $(DKMS_DIR)/uapi
	install -m 644 kernel/Kbuild kernel/Makefile $(DKMS_DIR)/kernel/
	find kernel -mindepth 2 -name '*.[ch]' ! -name '*.mod.c' ! -path 'kernel/tests/*' \
		-exec install -D -m 644 {} $(DKMS_DIR)/{} \;
	install -m 644 uapi/gring_drm.h $(DKMS_DIR)/uapi/
	sed 's/@VERSION@/$(GRING_VERSION)/' dkms/dkms.conf >$(DKMS_DIR)/dkms.conf

# What another out-of-tree module needs to use gring_core.ko: the core's
# public headers (self-contained: linux/ headers and each other only) and,
# per kernel release, the core's Module.symvers for KBUILD_EXTRA_SYMBOLS
# (its CRCs are the kernel's and the sources', so it is built here for
# KVER).  Under PREFIX/src/gring-core-<version>/, as ZFS puts its own in
# /usr/src/zfs-<version>/: with PREFIX=/usr, /usr/src/gring-core-<version>.
CORE_DEVEL_DIR = $(DESTDIR)$(PREFIX)/src/gring-core-$(GRING_VERSION)
CORE_HEADERS := kernel/core/gring_view.h kernel/core/gring_ring.h kernel/core/gring_vq.h
install-core-devel:
	@test -n "$(GRING_VERSION)"
	@mkdir -p build
	$(MAKE) -C kernel KVER=$(KVER) modules >build/kbuild-core-devel.log 2>&1 || \
		{ cat build/kbuild-core-devel.log; exit 1; }
	install -d $(CORE_DEVEL_DIR)/include $(CORE_DEVEL_DIR)/$(KVER)
	install -m 644 $(CORE_HEADERS) $(CORE_DEVEL_DIR)/include/
	@# gring_core's exports only, named by the module (as the kernel's
	@# own Module.symvers names its modules), not by the build's path.
	awk -F '\t' -v OFS='\t' '$$3 ~ /(^|\/)gring_core$$/ { $$3 = "gring_core"; print }' \
		kernel/Module.symvers >$(CORE_DEVEL_DIR)/$(KVER)/Module.symvers
	@test -s $(CORE_DEVEL_DIR)/$(KVER)/Module.symvers || \
		{ echo "install-core-devel: no gring_core exports in kernel/Module.symvers"; exit 1; }

# The DKMS package built by dkms into a scratch tree, booted instead of the
# tree's modules with a third module on gring_core built from the core's
# installed files, and every IGT subtest on it; one boot, after a build.
dkms-test:
	tools/tests/dkms-test.sh

# The whole guest suite on the debug kernel (tools/debug-kernel builds it
# once, 7-9 min here, and caches it outside the clone); any KASAN, lockdep,
# DMA-API, DEBUG_OBJECTS or kmemleak report fails it.  Its modules are
# profiled (gcov): tools/coverage reports the lines of kernel/ the suite ran.
test-debug:
	$(DEBUG_VM) build
	$(DEBUG_VM) --no-build run -- gring-vm-test
	tools/bench/check_bench_json.py build/vm-out-debug/bench-smoke.json
	tools/coverage
	@echo "results: build/vm-out-debug/results.json"
	@grep -E '^[0-9]+ passed, [0-9]+ failed' build/vm-out-debug/console.log | tail -n 1

# The core's KUnit suites alone (gring_core_test.ko, tools/gring-kunit) on
# the debug kernel, the only one with KUnit: one boot, the cases as
# kunit@<suite>@<case> in build/vm-out-kunit/results.json, and the runner's
# closing line.  make test runs them in test-debug's guest suite.
kunit:
	$(DEBUG_VM) build
	$(DEBUG_VM) --no-build --out build/vm-out-kunit run -- gring-kunit run
	@echo "results: build/vm-out-kunit/results.json"

# gring-fuzz alone on the debug kernel, for SECONDS (default 60), with
# SEED if given (else a new one, printed). The reproducer of a failure is
# build/vm-out-debug/fuzz-repro.c.
SECONDS ?= 60
SEED ?=
fuzz:
	$(DEBUG_VM) build
	$(DEBUG_VM) --no-build run --timeout $$(( $(SECONDS) + 600 )) -- \
		gring-fuzz --seconds $(SECONDS) --threads 2 --vgpu \
		$(if $(SEED),--seed $(SEED)) --repro /out/fuzz-repro.c

# Lint runs before anything boots; each step stops the run on failure.
# The debug-kernel lane is part of it: a fresh machine builds the debug
# kernel once (README, "The debug-kernel lane": numbers and the choice).
test:
	$(MAKE) lint
	tools/docs --check
	$(MAKE) host-test
	$(MAKE) vm-test
	$(MAKE) vm-check-test
	$(MAKE) screendump-test
	$(MAKE) dkms-test
	$(MAKE) test-debug
	@# The IGT runner's closing lines, last, for a reader (or CI).
	@echo "Debian kernel: $$(grep -E '^[0-9]+ passed, [0-9]+ failed' build/vm-out/console.log | tail -n 1)$$(grep -q '^KUnit: not run' build/vm-out/console.log && echo ' (no KUnit in this kernel: the core'"'"'s suites run on the debug kernel)')"
	@echo "debug kernel:  $$(grep -E '^[0-9]+ passed, [0-9]+ failed' build/vm-out-debug/console.log | tail -n 1)"
	@echo "coverage:      $$(tools/coverage --total)"

# The last debug run's counters again (no boot), with the functions of each
# file that have the most lines the suite never ran.
coverage:
	tools/coverage --functions 3

lint:
	tools/setup
	tools/lint

# The core's and the uapi's documentation, rendered as the kernel renders
# its own: Sphinx with the kernel's kernel-doc extension.
docs:
	tools/setup
	tools/docs

# One boot: every baseline and every gring figure side by side, so the
# ratios compare numbers taken on the same noisy machine at the same time.
bench: build
	$(VM) --no-build run -- gring-bench --repeat 5 --output /out/bench.json
	cp build/vm-out/bench.json build/bench.json
	@echo "json: build/bench.json"

shell: build
	$(VM) --no-build shell

clean:
	$(MAKE) -C kernel clean
	rm -rf build/meson build/meson-install build/install-test build/stage build/initramfs.d build/initramfs.cpio build/vm-out \
		build/vm-add.d build/vm-add.cpio build/initramfs-run.cpio $(VMCHECK_OUT) \
		build/vm-shot-out build/vm-shot-out-off build/vm-shot-out.*.log
	rm -rf build/kmod build/initramfs-debug.d build/initramfs-debug.cpio build/vm-out-debug \
		build/coverage build/vm-out-kunit
