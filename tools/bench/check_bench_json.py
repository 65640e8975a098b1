#!/usr/bin/env python3
"""Check a gring-bench --output/--json file on the host.

Used by `make test` on the smoke run's JSON so the bench's machine-readable
output cannot rot: every benchmark measured (status ok -- or unavailable
with its reason, and then every ratio on it not ok --, as many samples as
repeats, min <= median <= max, the median recomputed from the samples, and
the same for each of its secondary figures, "extras", when it has them) and
every ratio recomputed here from the two medians it names, and every
ratio's target verdict (met or missed) and the "targets" counts recomputed
from its value. A missed target is not an error; a wrong verdict is.
"""
import json
import statistics
import sys


def fail(msg):
    print(f"check_bench_json: {msg}", file=sys.stderr)
    sys.exit(1)


def check_extras(name, b, repeat):
    """A benchmark's secondary figures (p99, counts...): optional, but when
    there, each one named once, one finite value >= 0 per sample, and its
    median recomputed from them."""
    extras = b.get("extras", [])
    if not isinstance(extras, list):
        fail(f"{name}: extras is not a list")
    seen = set()
    for x in extras:
        xname = x.get("name")
        if not isinstance(xname, str) or not xname or xname in seen:
            fail(f"{name}: extra with a missing or repeated name: {x}")
        seen.add(xname)
        if "unit" not in x or not (x["unit"] is None or
                                   isinstance(x["unit"], str)):
            fail(f"{name}: extra {xname}: unit must be a string or null")
        vals = x.get("values")
        if not isinstance(vals, list) or len(vals) != repeat:
            fail(f"{name}: extra {xname}: {len(vals or [])} values, "
                 f"expected {repeat}")
        if any(not isinstance(v, (int, float)) or isinstance(v, bool) or
               v != v or v < 0 or v == float("inf") for v in vals):
            fail(f"{name}: extra {xname}: a value is not a finite number "
                 f">= 0: {vals}")
        med = statistics.median(vals)
        got = x.get("median")
        if not isinstance(got, (int, float)) or \
                abs(med - got) > 1e-4 * max(abs(med), 1e-9):
            fail(f"{name}: extra {xname}: median {got} but its values "
                 f"give {med}")


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[0])
        print("usage: check_bench_json.py BENCH.json")
        sys.exit(0 if len(sys.argv) == 2 else 2)
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    repeat = doc["repeat"]
    medians = {}
    unavailable = set()
    for b in doc["benchmarks"]:
        name = b["name"]
        # Unavailable is a verdict the bench gives with its reason (no
        # vgem, ranges costing less than the noise): not a failed run.
        if b["status"] == "unavailable":
            if not b.get("reason"):
                fail(f"{name}: unavailable without a reason")
            unavailable.add(name)
            continue
        if b["status"] != "ok":
            fail(f"{name}: status {b['status']}: {b.get('reason', '')}")
        vals = b["values"]
        if len(vals) != repeat or b["samples"] != repeat:
            fail(f"{name}: {len(vals)} samples, expected {repeat}")
        if not b["min"] <= b["median"] <= b["max"]:
            fail(f"{name}: min {b['min']} median {b['median']} max {b['max']}")
        med = statistics.median(vals)
        if abs(med - b["median"]) > 1e-4 * max(abs(med), 1e-9):
            fail(f"{name}: median {b['median']} but samples give {med}")
        if min(vals) <= 0:
            fail(f"{name}: non-positive sample")
        check_extras(name, b, repeat)
        medians[name] = med
    if not medians:
        fail("no benchmarks")
    counts = {"met": 0, "missed": 0, "not_measured": 0}
    for r in doc["ratios"]:
        if r["numerator"] in unavailable or r["denominator"] in unavailable:
            if r["status"] == "ok":
                fail(f"ratio {r['name']}: ok, but a side is unavailable")
            if r.get("target") is not None:
                counts["not_measured"] += 1
            continue
        if r["status"] != "ok":
            fail(f"ratio {r['name']}: status {r['status']}")
        for side in ("numerator", "denominator"):
            if r[side] not in medians:
                fail(f"ratio {r['name']}: its {side} {r[side]} is not "
                     f"among the benchmarks")
        want = medians[r["numerator"]] / medians[r["denominator"]]
        if abs(want - r["value"]) > 1e-3 * want:
            fail(f"ratio {r['name']}: {r['value']} but medians give {want}")
        if "target" not in r:
            fail(f"ratio {r['name']}: no target key (null when it has none)")
        t = r["target"]
        if t is None:
            continue
        if t["op"] not in ("<=", ">=") or not t["value"] > 0:
            fail(f"ratio {r['name']}: malformed target {t}")
        met = want <= t["value"] if t["op"] == "<=" else want >= t["value"]
        if t["met"] is not met:
            fail(f"ratio {r['name']}: {want:.4g} {t['op']} {t['value']} "
                 f"is {met}, but the bench says {t['met']}")
        counts["met" if met else "missed"] += 1
    if doc.get("targets") != counts:
        fail(f"targets {doc.get('targets')}, but the ratios give {counts}")
    print(f"check_bench_json: {len(medians)} benchmarks and "
          f"{len(doc['ratios'])} ratios consistent; targets: "
          f"{counts['met']} met, {counts['missed']} missed")


if __name__ == "__main__":
    main()
