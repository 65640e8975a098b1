#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Host test of an installed libgring (run by `make host-test`):
#
# 1. `make install PREFIX=P DESTDIR=S` puts library, headers, gring.pc,
#    tools and tests in their distribution places under S/P, and nothing
#    elsewhere; the staged tree is then moved to P, as a package manager
#    would unpack it.
# 2. userspace/examples/hello-gring.c (the README's worked example) is built
#    with `pkg-config --cflags --libs gring` against the installed gring.pc
#    and against the uninstalled one in build/meson/meson-uninstalled/, and
#    each binary must load the libgring it was built against. The host has
#    no gring device: each must say so cleanly (exit 1, one line).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$ROOT/build/install-test
PREFIX=$T/usr
STAGE=$T/stage
MA=$(gcc -print-multiarch)
checks=0
failures=0

ok() { checks=$((checks + 1)); echo "ok   - $1"; }
not_ok() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $1"; }
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

rm -rf "$STAGE" "$PREFIX"
mkdir -p "$T"
if ! make -C "$ROOT" install PREFIX="$PREFIX" DESTDIR="$STAGE" >"$T/install.log" 2>&1; then
	cat "$T/install.log"
	echo "FAIL - make install"
	exit 1
fi
ok "make install PREFIX=... DESTDIR=..."

for f in include/gring/gring.h include/gring/gring_drm.h \
	"lib/$MA/libgring.so" "lib/$MA/libgring.so.0" "lib/$MA/pkgconfig/gring.pc" \
	bin/gringctl bin/gring-bench bin/gring-igt-runner \
	libexec/gring/libgring_test libexec/gring/igt/gring_basic \
	libexec/gring/igt/gring_gem share/gring/igt/gring-root.txt \
	share/gring/igt/gring-fails.txt; do
	check "installed: PREFIX/$f" test -e "$STAGE$PREFIX/$f"
done
check "nothing installed outside DESTDIR/PREFIX" \
	test -z "$(cd "$STAGE" && find . -mindepth 1 -not -path ".$PREFIX/*" \
		-not -type d)"
check "gring.pc says prefix=PREFIX" \
	grep -qx "prefix=$PREFIX" "$STAGE$PREFIX/lib/$MA/pkgconfig/gring.pc"
mkdir -p "$(dirname "$PREFIX")"
mv "$STAGE$PREFIX" "$PREFIX"

# build NAME PKG_CONFIG_PATH LIBDIR: build the example against that
# gring.pc, check it loads LIBDIR's libgring and fails cleanly here.
build() {
	local name=$1 pcpath=$2 libdir=$3 flags out rc
	if ! flags=$(PKG_CONFIG_PATH=$pcpath pkg-config --cflags --libs gring); then
		not_ok "$name: pkg-config --cflags --libs gring"
		return
	fi
	# shellcheck disable=SC2086 # flags are words
	if ! cc -Wall -Wextra -Werror -o "$T/hello-$name" \
		"$ROOT/userspace/examples/hello-gring.c" $flags; then
		not_ok "$name: hello-gring.c builds with: $flags"
		return
	fi
	ok "$name: hello-gring.c builds with: $flags"
	# ldd's whole answer on failure: which libgring it found instead.
	out=$(LD_LIBRARY_PATH=$libdir ldd "$T/hello-$name" 2>&1)
	if grep -q "=> $libdir/libgring.so.0 " <<<"$out"; then
		ok "$name: it loads $libdir/libgring.so.0"
	else
		not_ok "$name: it loads $libdir/libgring.so.0; ldd says:"
		sed 's/^/       /' <<<"$out"
	fi
	out=$(LD_LIBRARY_PATH=$libdir "$T/hello-$name" 2>&1)
	rc=$?
	if [ $rc = 1 ] && [ "$out" = "hello-gring: no gring device: No such device" ]; then
		ok "$name: runs, and says there is no gring device here (exit 1)"
	else
		not_ok "$name: no device must be exit 1 and one line; got exit $rc: $out"
	fi
}

build installed "$PREFIX/lib/$MA/pkgconfig" "$PREFIX/lib/$MA"
build uninstalled "$ROOT/build/meson/meson-uninstalled" \
	"$ROOT/build/meson/userspace/libgring"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
