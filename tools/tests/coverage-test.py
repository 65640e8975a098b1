#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Host test of tools/coverage without a guest run.

Its refusals (no counters, counters of a build outside the clone, a .gcno
missing, counters of another compilation), each with exit 2 and before any
report is touched, on fabricated .gcda/.gcno headers; and, imported as a
module, what it counts: which files are kernel/'s, how lines are charged to
functions, and that a trace file it writes reads back the same.

    coverage-test.py TOOLS_COVERAGE
"""

import importlib.machinery
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import tempfile

TOOL = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(TOOL))
checks = 0
failures = 0


def check(cond, what):
    global checks, failures
    checks += 1
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures += 1


def load_tool():
    loader = importlib.machinery.SourceFileLoader('gring_coverage', TOOL)
    spec = importlib.util.spec_from_loader('gring_coverage', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def header(path, magic, stamp):
    """A gcov file header: magic, version, stamp (all the tool reads)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(magic + b'B23*' + struct.pack('<I', stamp))


def refuses(counters, out, want, what):
    p = subprocess.run([TOOL, '--counters', counters, '--out', out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    check(p.returncode == 2 and want in p.stderr, f'{what}: exit 2, "{want}" '
          f'(got {p.returncode}: {p.stderr.strip()})')
    check(os.path.exists(os.path.join(out, 'keep')), f'{what}: the last report is left alone')


def test_refusals(work):
    out = os.path.join(work, 'report')
    os.makedirs(out)
    open(os.path.join(out, 'keep'), 'w').close()
    counters = os.path.join(work, 'gcov')
    os.makedirs(counters)
    refuses(counters, out, 'no counters', 'no .gcda')

    header(os.path.join(counters, 'nowhere/kmod/core/gring_view.gcda'), b'adcg', 1)
    refuses(counters, out, 'not in this clone', 'counters of a build elsewhere')
    header(os.path.join(counters, 'nowhere/kmod2/drm/gring_drv.gcda'), b'adcg', 1)
    refuses(counters, out, 'more than one build', 'counters of two builds')

    # An object directory inside the clone, as tools/vm's build/kmod/... is.
    objdir = tempfile.mkdtemp(prefix='coverage-test-obj.', dir=os.path.join(ROOT, 'build'))
    try:
        shutil.rmtree(counters)
        # Objects in the build's folders, as Kbuild makes them.
        header(os.path.join(counters, objdir.lstrip('/'), 'drm', 'gring_drv.gcda'), b'adcg', 5)
        header(os.path.join(objdir, 'drm', 'gring_drv.gcno'), b'oncg', 5)
        gcda = os.path.join(counters, objdir.lstrip('/'), 'core', 'gring_view.gcda')
        header(gcda, b'adcg', 7)
        refuses(counters, out, 'core/gring_view.gcno missing', 'no .gcno beside the object')
        header(os.path.join(objdir, 'core', 'gring_view.gcno'), b'oncg', 8)
        refuses(counters, out, 'another build', 'stamps differ (rebuilt since the run)')
    finally:
        shutil.rmtree(objdir)


def test_counting(cov, work):
    kernel = os.path.join(ROOT, 'kernel')
    objdir = os.path.join(work, 'kmod')
    os.makedirs(os.path.join(objdir, 'core'))
    # The objects' sources are symlinks to kernel/'s folders, as in build/kmod/.
    for f in ('gring_view.c', 'gring_core_trace.h'):
        os.symlink(os.path.join(kernel, 'core', f), os.path.join(objdir, 'core', f))
    raw = {
        os.path.join(objdir, 'core/gring_view.c'): {
            'lines': {10: 1, 11: 0, 12: 0, 20: 0, 21: 3, 30: 0},
            'fns': {'a': 10, 'b': 20, 'c': 29}, 'fnda': {'a': 1, 'b': 3, 'c': 0}},
        os.path.join(objdir, 'core/gring_core_trace.h'): {'lines': {5: 0}, 'fns': {}, 'fnda': {}},
        '/usr/src/linux/include/linux/list.h': {'lines': {7: 0}, 'fns': {}, 'fnda': {}},
        os.path.join(kernel, 'tests/shim/shim.c'): {'lines': {3: 1}, 'fns': {}, 'fnda': {}},
    }
    kept, excluded = cov.select(raw)
    check(list(kept) == ['kernel/core/gring_view.c'],
          f'kept only kernel/core/gring_view.c: {list(kept)}')
    why = {os.path.basename(p) for paths in excluded.values() for p in paths}
    check(why == {'gring_core_trace.h', 'list.h', 'shim.c'},
          f'excluded the trace header, list.h and the host tests\' shim: {why}')

    d = kept['kernel/core/gring_view.c']
    got = cov.uncovered_functions(d)
    check(got == [('a', 2, True), ('b', 1, True), ('c', 1, False)],
          f'lines not run charged to the function before them: {got}')

    s = cov.summarize(kept, excluded, work, work, 5)
    check((s['total']['lines'], s['total']['hit'], s['total']['percent']) == (6, 2, 33.3),
          f'total 2 of 6 lines, 33.3 %: {s["total"]}')
    check(not s['goal']['met'] and s['goal']['files_below'] == ['kernel/core/gring_view.c'],
          f'goal not met, gring_view.c under it: {s["goal"]}')

    info = os.path.join(work, 'gring.info')
    cov.write_info(kept, info)
    back = cov.parse_info(info)
    check(back == {os.path.join(ROOT, 'kernel/core/gring_view.c'): d},
          'a written trace file reads back the same')


def main():
    work = tempfile.mkdtemp(prefix='coverage-test.')
    try:
        test_refusals(work)
        test_counting(load_tool(), work)
    finally:
        shutil.rmtree(work)
    print(f'{checks - failures} of {checks} checks passed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
