#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# typed_check.sh CC TESTS_DIR: gring_view_rd_field() must compile with a
# pointer to the field's type and must not with a pointer to a smaller
# one. The first compile proves a failure of the second is the check's.
set -u
cc=$1
dir=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

snippet() {
	cat <<EOC
#include "gring_view.h"
struct wb { unsigned int rptr; unsigned long long seqno; };
int f(struct gring_view *v)
{
	$1 x;

	return gring_view_rd_field(v, struct wb, seqno, &x);
}
EOC
}

compile() {
	snippet "$1" >"$tmp/t.c"
	"$cc" -std=gnu11 -Wall -Werror -fsyntax-only -I"$dir/shim" \
		-I"$dir/../core" "$tmp/t.c" 2>"$tmp/err"
}

if ! compile 'unsigned long long'; then
	echo "FAIL: a pointer of the field's type was refused:"
	cat "$tmp/err"
	exit 1
fi
if compile 'unsigned int'; then
	echo "FAIL: a pointer to a 4-byte type was accepted for an 8-byte field"
	exit 1
fi
echo "ok: mis-sized pointer refused: $(grep -m1 -o 'pointer type mismatch[^]]*' "$tmp/err")"
