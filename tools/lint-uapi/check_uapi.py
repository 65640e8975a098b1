#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Layout checks for gring's uapi headers; run by tools/lint.

    check_uapi.py [--cc gcc] [--cxx g++] --workdir DIR ROOT HEADER...

For each HEADER (a path relative to ROOT):

 1. it compiles on its own, as C99 and as C++, with -Wall -Wextra -Werror
    -pedantic (a uapi header is included by programs we do not control);
 2. every struct member is one of __u8 .. __u64 / __s8 .. __s64, an array of
    them, or a struct defined in the same header: those have the same size
    and alignment for 32- and 64-bit userspace, int/long/pointers/enums/bool
    do not;
 3. every struct's size is a multiple of 8, and no struct has implicit
    padding (each member starts where the one before it ends, and the struct
    ends where its last member does). Both are checked by the compiler, with
    _Static_assert()s generated from the structs found in step 2 and placed
    (with #line) at the struct or member they are about.

Prints one finding per line, "file:line: message", and exits 1 if there was
any; exits 2 if the checks could not run.
"""

import argparse
import os
import re
import subprocess
import sys

ALLOWED = {"__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64"}
HINT = "use __u8/__u16/__u32/__u64 or __s8.. __s64"


def blank(text):
    """Return text with comments, string/char literals and preprocessor
    lines replaced by spaces; newlines are kept so offsets map to lines."""
    out = []
    i, n = 0, len(text)
    bol = True  # at the beginning of a line (only blanks so far)
    while i < n:
        c = text[i]
        if bol and c == "#":
            # Preprocessor directive, with its backslash continuations.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        out.append(c)
        if c == "\n":
            bol = True
        elif not c.isspace():
            bol = False
        i += 1
    return "".join(out)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def matching_brace(code, pos):
    """Index of the '}' closing the '{' at pos, or -1."""
    depth = 0
    for j in range(pos, len(code)):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return -1


def parse_structs(path, text):
    """Return (structs, findings). structs: list of dicts with name, line,
    members [(name, line, flexible)]; only top-level struct definitions."""
    code = blank(text)
    # extern "C" { ... } (the string is blanked by now) does not nest.
    for m in reversed(list(re.finditer(r"\bextern\s*\{", code))):
        close = matching_brace(code, m.end() - 1)
        if close >= 0:
            code = code[:m.end() - 1] + " " + code[m.end():close] + " " + \
                code[close + 1:]
    structs, findings = [], []
    i = 0
    top = re.compile(r"\bstruct\s+([A-Za-z_]\w*)\s*\{")
    while i < len(code):
        m = top.search(code, i)
        if not m:
            break
        # Only definitions at file scope (not inside another body).
        depth = code.count("{", 0, m.start()) - code.count("}", 0, m.start())
        open_pos = m.end() - 1
        close = matching_brace(code, open_pos)
        if close < 0:
            findings.append(f"{path}:{line_of(code, m.start())}: "
                            f"struct {m.group(1)}: unbalanced braces")
            break
        if depth == 0:
            structs.append(parse_body(path, code, m.group(1),
                                      line_of(code, m.start()),
                                      open_pos + 1, close, findings))
        i = close + 1
    return structs, findings


def parse_body(path, code, sname, sline, start, end, findings):
    members = []
    names = set()
    layout = True  # False when a member's offset cannot be taken
    body = code[start:end]
    pos = 0
    for decl in body.split(";"):
        dstart = start + pos
        pos += len(decl) + 1
        if not decl.strip():
            continue
        lead = len(decl) - len(decl.lstrip())
        line = line_of(code, dstart + lead)
        where = f"{path}:{line}: struct {sname}"
        d = " ".join(decl.split())
        if "{" in d or "}" in d:
            findings.append(f"{where}: nested struct/union definition; "
                            "gring uapi structs are flat (define the inner "
                            "struct at file scope)")
            layout = False
            continue
        if ":" in d:
            findings.append(f"{where}: bit-field '{d}': bit-field layout is "
                            f"up to the compiler; {HINT} and masks")
            layout = False
            continue
        m = re.match(r"^(?P<type>(?:(?:const|volatile|signed|unsigned|"
                     r"struct|union|enum)\s+)*[A-Za-z_]\w*)"
                     r"(?P<rest>.*)$", d)
        if not m:
            findings.append(f"{where}: cannot parse member '{d}'")
            layout = False
            continue
        typ = m.group("type")
        for dcl in m.group("rest").split(","):
            dm = re.match(r"^\s*(?P<ptr>[*\s]*(?:const\s*)?)"
                          r"(?P<name>[A-Za-z_]\w*)\s*"
                          r"(?P<dims>(?:\[[^\]]*\]\s*)*)$", dcl)
            if not dm:
                findings.append(f"{where}: cannot parse member '{d}'")
                layout = False
                continue
            name = dm.group("name")
            if name in names:
                findings.append(f"{where}: member '{name}' declared twice")
            names.add(name)
            if "*" in dm.group("ptr"):
                findings.append(f"{where}: member '{name}' is a pointer; "
                                "pointers change size between 32- and "
                                "64-bit userspace: pass a __u64 (use "
                                "u64_to_user_ptr() in the kernel)")
            ok = typ in ALLOWED
            sm = re.match(r"^struct\s+(\w+)$", typ)
            if sm and sm.group(1) in DEFINED:
                ok = True
            if not ok:
                findings.append(f"{where}: member '{name}' has type "
                                f"'{typ}'; {HINT} (or a struct from this "
                                "header)")
            flexible = dm.group("dims").replace(" ", "").endswith("[]")
            members.append((name, line, flexible))
    # A member of a wrong type is still laid out: keep checking offsets,
    # so that one bad member gives one finding, not a cascade.
    return {"name": sname, "line": sline,
            "members": members if layout else None}


DEFINED = set()


def run(cmd, cwd):
    env = dict(os.environ, LC_ALL="C")  # plain quotes in diagnostics
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env)
    return p.returncode, p.stdout


def diagnostics(root, out, what):
    """gcc/g++ errors as 'file:line: message', paths relative to root."""
    res = []
    for ln in out.splitlines():
        m = re.match(r"^(.+?):(\d+):(?:\d+:)? (?:fatal )?error: (.*)$", ln)
        if not m:
            continue
        f = m.group(1)
        if os.path.isabs(f):
            f = os.path.relpath(f, root)
        f = os.path.normpath(f)
        res.append(f"{f}:{m.group(2)}: {what}: {m.group(3)}")
    return res


def check_header(args, rel):
    root = args.root
    path = os.path.join(root, rel)
    findings = []
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"check_uapi: {e}", file=sys.stderr)
        sys.exit(2)

    base = re.sub(r"\W", "_", rel)
    incdir = os.path.dirname(path)
    hname = os.path.basename(path)
    drm = ["-isystem", args.drm_include]

    # 1. Self-contained, as C and as C++.
    for lang, compiler, std, ext in (("C", args.cc, "-std=c99", "c"),
                                     ("C++", args.cxx, "-std=c++11", "cc")):
        src = os.path.join(args.workdir, f"{base}.alone.{ext}")
        with open(src, "w") as f:
            f.write(f'#include "{hname}"\n')
        rc, out = run([compiler, std, "-Wall", "-Wextra", "-Werror",
                       "-pedantic", "-I", incdir] + drm +
                      ["-fsyntax-only", src], root)
        if rc != 0:
            found = diagnostics(root, out, f"does not compile alone as {lang}")
            findings += found or [
                f"{rel}:1: does not compile alone as {lang}: "
                + " | ".join(out.strip().splitlines()[:5])]

    # 2. Member types.
    DEFINED.clear()
    DEFINED.update(re.findall(r"\bstruct\s+([A-Za-z_]\w*)\s*\{", blank(text)))
    structs, found = parse_structs(rel, text)
    findings += found

    # 3. Size and padding, checked by the compiler.
    gen = [f"/* generated by tools/lint-uapi/check_uapi.py from {rel} */",
           "#include <stddef.h>", f'#include "{hname}"', ""]
    for s in structs:
        n = s["name"]
        gen.append(f'#line {s["line"]} "{rel}"')
        gen.append(f"_Static_assert(sizeof(struct {n}) % 8 == 0, "
                   f'"struct {n}: size is not a multiple of 8 bytes '
                   f'(add explicit padding at the end)");')
        if s["members"] is None:
            continue
        prev = None
        for (m, line, flexible) in s["members"]:
            end = (f"offsetof(struct {n}, {prev}) + "
                   f"sizeof(((struct {n} *)0)->{prev})") if prev else "0"
            gen.append(f'#line {line} "{rel}"')
            gen.append(f"_Static_assert(offsetof(struct {n}, {m}) == {end}, "
                       f'"struct {n}: implicit padding before member {m} '
                       f'(add an explicit pad field, or reorder)");')
            prev = None if flexible else m
        if prev:
            gen.append(f'#line {s["line"]} "{rel}"')
            gen.append(f"_Static_assert(sizeof(struct {n}) == "
                       f"offsetof(struct {n}, {prev}) + "
                       f"sizeof(((struct {n} *)0)->{prev}), "
                       f'"struct {n}: implicit padding after the last member '
                       f'{prev} (add an explicit pad field)");')
    src = os.path.join(args.workdir, f"{base}.layout.c")
    with open(src, "w") as f:
        f.write("\n".join(gen) + "\n")
    rc, out = run([args.cc, "-std=c11", "-Wall", "-Wextra", "-Werror",
                   "-I", incdir] + drm + ["-fsyntax-only", src], root)
    if rc != 0:
        found = diagnostics(root, out, "layout")
        findings += found or [f"{rel}:1: layout check did not compile: "
                              + " | ".join(out.strip().splitlines()[:5])]
    return findings, len(structs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--drm-include", default="/usr/include/libdrm",
                    help="directory holding drm.h (default: %(default)s)")
    ap.add_argument("--workdir", required=True,
                    help="where generated test sources go")
    ap.add_argument("root")
    ap.add_argument("headers", nargs="+")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.drm_include, "drm.h")):
        print(f"check_uapi: no drm.h in {args.drm_include} "
              "(install libdrm-dev)", file=sys.stderr)
        sys.exit(2)
    os.makedirs(args.workdir, exist_ok=True)
    total = []
    for h in args.headers:
        findings, _ = check_header(args, h)
        # Keep order, drop duplicates (a bad member may trip two checks).
        for f in findings:
            if f not in total:
                total.append(f)
    for f in total:
        print(f)
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
