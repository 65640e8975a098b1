#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make dkms-test (part of make test; after a build, i.e. tools/vm build):
# gring's modules as Debian's dkms builds them, and a third module using
# gring_core.ko built from the core's installed files alone, in one boot of
# the Debian kernel.  Nothing is installed on the host: every tree is under
# build/dkms-test/.
#
# 1. make install-core-devel and make install-dkms, staged under a DESTDIR:
#    the core's headers and Module.symvers (exactly the core's exports, in
#    namespace GRING) and the DKMS source tree, and nothing else.
# 2. Each installed header compiles alone (W=1, only the install's include/
#    on the path), and tools/tests/third-module, copied out of the tree,
#    builds against the installed headers and Module.symvers (W=1, no
#    warning); modinfo says it depends on gring_core and imports GRING.
# 3. dkms build and dkms install --no-depmod of the staged source tree for
#    the VM's kernel, with scratch --sourcetree/--dkmstree/--installtree
#    (and a scratch signing key): both modules land in updates/dkms/, and
#    depmod on that tree makes gring depend on gring_core.  The host's
#    /var/lib/dkms and /lib/modules/<kernel> are left alone.
# 4. The guest boots with DKMS's gring_core.ko and gring.ko in place of the
#    tree's (tools/vm --add at the paths vm-init loads them from), and runs
#    tools/tests/dkms-guest.sh: the modules are DKMS's, gring_third loads
#    next to gring and says PASS, gring_core's holders list both, every
#    IGT subtest passes on DKMS's modules, and everything unloads.  Its steps are in build/vm-out-dkms/dkms-test.json, the IGT
#    results in build/vm-out-dkms/dkms-igt.json.
#
# The last line is "dkms-test: PASS ..." or "dkms-test: FAIL ...", and the
# exit status 0 or 1 with it.  A failed step ends the test: the next needs
# what it made.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$ROOT/build/dkms-test
OUT=$ROOT/build/vm-out-dkms
checks=0

ok() { checks=$((checks + 1)); echo "ok   - $1"; }
fail() {
	checks=$((checks + 1))
	echo "FAIL - $1"
	[ $# -gt 1 ] && [ -s "$2" ] && tail -n 25 "$2" | sed 's/^/       /'
	echo "dkms-test: FAIL at check $checks: $1"
	exit 1
}
# step DESC LOG CMD...: run CMD with its output in LOG; a failure ends the test.
step() {
	local desc=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then ok "$desc"; else fail "$desc" "$log"; fi
}
# check DESC CMD...: a condition, no output.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

KVER=$(cat "$ROOT/build/kernel-version" 2>/dev/null) ||
	fail "no build/kernel-version: build first (tools/vm build)"
VER=$("$ROOT/tools/gring-version") || fail "tools/gring-version"
BASE=$ROOT/build/initramfs.d
if [ ! -s "$BASE/etc/gring-modules" ] || [ "$(cat "$BASE/etc/gring-kernel")" != "$KVER" ]; then
	fail "no initramfs for $KVER: build first (tools/vm build)"
fi
command -v dkms >/dev/null || fail "no dkms (tools/setup installs it)"

rm -rf "$T"
mkdir -p "$T"
touch "$T/start"

# --- 1. the installs ---------------------------------------------------------
STAGE=$T/stage
PREFIX=$T/usr
CORE=$STAGE$PREFIX/src/gring-core-$VER
SRC=$STAGE/usr/src/gring-$VER
step "make install-core-devel PREFIX=... DESTDIR=... KVER=$KVER" "$T/install-core.log" \
	make -C "$ROOT" install-core-devel PREFIX="$PREFIX" DESTDIR="$STAGE" KVER="$KVER"
step "make install-dkms DESTDIR=..." "$T/install-dkms.log" \
	make -C "$ROOT" install-dkms DESTDIR="$STAGE"
for f in "$CORE/include/gring_view.h" "$CORE/include/gring_ring.h" \
	"$CORE/include/gring_vq.h" "$CORE/$KVER/Module.symvers" \
	"$SRC/dkms.conf" "$SRC/kernel/Kbuild" "$SRC/kernel/core/gring_view.c" \
	"$SRC/kernel/drm/gring_drv.c" "$SRC/uapi/gring_drm.h"; do
	check "installed: ${f#"$STAGE"}" test -s "$f"
done
check "nothing installed outside PREFIX/src/gring-core-$VER and /usr/src/gring-$VER" \
	test -z "$(cd "$STAGE" && find . -mindepth 1 -not -type d \
		-not -path ".${CORE#"$STAGE"}/*" -not -path "./usr/src/gring-$VER/*")"
check "dkms.conf says PACKAGE_VERSION=\"$VER\"" \
	grep -qx "PACKAGE_VERSION=\"$VER\"" "$SRC/dkms.conf"
# What the core exports, read from its sources (not from a build), against
# what the installed Module.symvers offers: the same names, all in GRING,
# all of gring_core.
grep -ho '^EXPORT_SYMBOL_NS_GPL([a-z0-9_]*, GRING)' "$ROOT"/kernel/core/*.c |
	sed 's/.*(\([a-z0-9_]*\),.*/\1/' | sort >"$T/exports.src"
awk -F '\t' '$3 == "gring_core" && $4 == "EXPORT_SYMBOL_GPL" && $5 == "GRING" { print $2 }' \
	"$CORE/$KVER/Module.symvers" | sort >"$T/exports.symvers"
check "Module.symvers: the core's $(wc -l <"$T/exports.src") exports, gring_core's, namespace GRING, nothing else" \
	cmp -s "$T/exports.src" "$T/exports.symvers"
check "Module.symvers has a line per export, nothing more" \
	test "$(wc -l <"$CORE/$KVER/Module.symvers")" = "$(wc -l <"$T/exports.src")"

# --- 2. the headers alone, and the third module --------------------------------
KDIR=/lib/modules/$KVER/build
# One object per installed header, each including that header only: a
# header that needs anything not in linux/ or the install (a driver
# header, a missing include) fails here.
mkdir -p "$T/hdrcheck"
: >"$T/hdrcheck/Kbuild"
objs=()
for h in "$CORE"/include/*.h; do
	n=$(basename "$h" .h)
	printf '// SPDX-License-Identifier: GPL-2.0-only\n#include <%s>\n' "${h##*/}" \
		>"$T/hdrcheck/hdr_$n.c"
	echo "obj-m += hdr_$n.o" >>"$T/hdrcheck/Kbuild"
	objs+=("hdr_$n.o")
done
echo "ccflags-y += -I$CORE/include" >>"$T/hdrcheck/Kbuild"
step "each installed header compiles alone (${objs[*]}; W=1)" "$T/hdrcheck.log" \
	make -C "$KDIR" M="$T/hdrcheck" W=1 "${objs[@]}"
check "... without a warning" eval "! grep -qiE 'warning|error' '$T/hdrcheck.log'"

mkdir -p "$T/third"
cp "$ROOT"/tools/tests/third-module/{Kbuild,Makefile,gring_third.c} "$T/third/"
step "third module builds against the installed headers and Module.symvers (W=1)" \
	"$T/third.log" make -C "$T/third" GRING_CORE="$CORE" KVER="$KVER" W=1
THIRD=$T/third/gring_third.ko
check "... without a warning (compiler or modpost)" \
	eval "! grep -qiE 'warning|error' '$T/third.log'"
check "gring_third.ko: depends=gring_core" \
	test "$(modinfo -F depends "$THIRD")" = gring_core
check "gring_third.ko: import_ns=GRING" \
	test "$(modinfo -F import_ns "$THIRD")" = GRING
check "gring_third.ko: vermagic of $KVER" \
	eval "[[ \$(modinfo -F vermagic '$THIRD') == '$KVER '* ]]"

# --- 3. dkms build and install, in scratch trees --------------------------------
DKMS_OPTS=(-m gring -v "$VER" -k "$KVER" --sourcetree "$STAGE/usr/src"
	--dkmstree "$T/dkms" --installtree "$T/lib/modules")
mkdir -p "$T/dkms" "$T/lib/modules/$KVER"
# dkms signs what it builds; with a key of its own here, not /var/lib/dkms's.
export mok_signing_key=$T/mok.key mok_certificate=$T/mok.pub
step "dkms build -m gring -v $VER -k $KVER (scratch trees)" "$T/dkms-build.log" \
	dkms build "${DKMS_OPTS[@]}"
step "dkms install --no-depmod (into the scratch install tree)" "$T/dkms-install.log" \
	dkms install --no-depmod "${DKMS_OPTS[@]}"
unset mok_signing_key mok_certificate
MODS=$T/lib/modules/$KVER
for m in gring_core gring; do
	f=$(find "$MODS/updates/dkms" -name "$m.ko*" 2>/dev/null | head -n 1)
	check "dkms installed $m in updates/dkms/ (${f##*/})" test -n "$f"
	case $f in
	*.xz) xz -dc "$f" >"$T/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$T/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$T/$m.ko" ;;
	*) cp "$f" "$T/$m.ko" ;;
	esac
	check "$m.ko from dkms: vermagic of $KVER" \
		eval "[[ \$(modinfo -F vermagic '$T/$m.ko') == '$KVER '* ]]"
	check "$m.ko from dkms is not the tree's build (cmp differs)" \
		eval "! cmp -s '$T/$m.ko' '$ROOT/kernel/$m.ko'"
done
# depmod on the scratch tree, with the kernel's own lists beside it.
cp "$ROOT/build/kernel/$KVER/lib/modules/$KVER"/modules.{builtin,builtin.modinfo,order} "$MODS/"
step "depmod on the scratch install tree" "$T/depmod.log" depmod -b "$T" "$KVER"
check "modules.dep: updates/dkms/gring.ko depends on updates/dkms/gring_core.ko" \
	grep -qE '^updates/dkms/gring\.ko[.a-z]*: updates/dkms/gring_core\.ko[.a-z]*$' "$MODS/modules.dep"
check "the host's /var/lib/dkms and /lib/modules/$KVER are untouched" \
	test -z "$(find /var/lib/dkms "/lib/modules/$KVER" -newer "$T/start" 2>/dev/null | head -n 3)"

# --- 4. the guest --------------------------------------------------------------
# vm-init loads the modules /etc/gring-modules lists; DKMS's go in at the
# same paths, in the run's second initramfs, which the kernel unpacks over
# the base one (a file replaces the one of the same name).
G=$T/guest
mkdir -p "$G"
cp "$THIRD" "$ROOT/tools/tests/dkms-guest.sh" "$G/"
adds=()
: >"$G/modules.sha256"
for m in gring_core gring; do
	p=$(sed -n "s|^\(/[^ ]*/$m\.ko\)\( .*\)\{0,1\}$|\1|p" "$BASE/etc/gring-modules")
	check "the initramfs loads $m from ${p:-nowhere}" test -n "$p"
	adds+=(--add "$T/$m.ko:$p")
	echo "$(sha256sum <"$T/$m.ko" | cut -d' ' -f1)  $p" >>"$G/modules.sha256"
done
adds+=(--add "$G:/opt/dkms")
"$ROOT/tools/vm" --no-build run --out "$OUT" --timeout 600 "${adds[@]}" -- \
	sh /opt/dkms/dkms-guest.sh 2>&1 | tee "$T/vm.log"
st=${PIPESTATUS[0]}
check "the guest's dkms-guest.sh passed and its kernel log is clean (tools/vm exit $st)" \
	test "$st" = 0
check "dkms-test.json says PASS" \
	grep -q '"verdict": "PASS"' "$OUT/dkms-test.json"

echo "dkms-test: PASS ($checks checks; guest steps in ${OUT#"$ROOT"/}/dkms-test.json)"
