#!/usr/bin/env python3
"""Host test of check_bench_json.py: it accepts a consistent document and
rejects each kind of inconsistency, target verdicts included.

The documents are built here from hand-picked medians, so every expected
ratio and verdict is worked out in this file, not taken from gring-bench.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "check_bench_json.py")


def bench(name, values):
    vals = sorted(values)
    return {"name": name, "section": "gring", "unit": "us/op",
            "status": "ok", "median": vals[len(vals) // 2],
            "min": vals[0], "max": vals[-1], "samples": len(values),
            "iterations": 10, "values": values, "description": name}


def extra(name, unit, values):
    return {"name": name, "unit": unit,
            "median": sorted(values)[len(values) // 2], "values": values}


def ratio(name, num, den, value, target=None):
    return {"name": name, "status": "ok", "value": value,
            "numerator": num, "denominator": den, "description": name,
            "target": target}


def good_doc():
    # Medians 40, 2, 1 and 0.5: 40/2 = 20 (misses <= 3), 1/2 = 0.5
    # (meets <= 1), 1/0.5 = 2 (meets >= 0.8), 0.5/2 = 0.25 (no target).
    # "a" is self-timed with secondary figures (a p99 and a count).
    a = bench("a", [41.0, 40.0, 39.0])
    a["extras"] = [extra("p99", "us", [90.0, 80.0, 120.0]),
                   extra("instants", None, [30, 34, 32])]
    return {
        "tool": "gring-bench", "repeat": 3,
        "benchmarks": [
            a,
            bench("b", [2.0, 2.5, 1.5]),
            bench("c", [1.0, 1.0, 1.0]),
            bench("d", [0.5, 0.6, 0.4]),
        ],
        "ratios": [
            ratio("a/b", "a", "b", 20.0,
                  {"op": "<=", "value": 3, "met": False}),
            ratio("c/b", "c", "b", 0.5,
                  {"op": "<=", "value": 1, "met": True}),
            ratio("c/d", "c", "d", 2.0,
                  {"op": ">=", "value": 0.8, "met": True}),
            ratio("d/b", "d", "b", 0.25),
        ],
        "targets": {"met": 2, "missed": 1, "not_measured": 0},
    }


def run(doc):
    with tempfile.NamedTemporaryFile("w", suffix=".json",
                                     delete=False) as f:
        json.dump(doc, f)
        path = f.name
    try:
        p = subprocess.run([sys.executable, CHECK, path],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    return p.returncode, p.stdout + p.stderr


def mutated(edit):
    doc = copy.deepcopy(good_doc())
    edit(doc)
    return doc


BAD = {
    "missed target said met": lambda d: d["ratios"][0]["target"]
    .__setitem__("met", True),
    "met target said missed": lambda d: d["ratios"][2]["target"]
    .__setitem__("met", False),
    "verdict null on a measured ratio": lambda d: d["ratios"][1]["target"]
    .__setitem__("met", None),
    "unknown target op": lambda d: d["ratios"][1]["target"]
    .__setitem__("op", "<"),
    "targets count wrong": lambda d: d["targets"].__setitem__("met", 3),
    "targets block missing": lambda d: d.pop("targets"),
    "target key missing": lambda d: d["ratios"][3].pop("target"),
    "ratio value wrong": lambda d: d["ratios"][3].__setitem__("value", 0.3),
    "median wrong": lambda d: d["benchmarks"][0].__setitem__("median", 41.0),
    "sample missing": lambda d: d["benchmarks"][1]["values"].pop(),
    "extra median wrong": lambda d: d["benchmarks"][0]["extras"][0]
    .__setitem__("median", 80.0),
    "extra value missing": lambda d: d["benchmarks"][0]["extras"][1]
    ["values"].pop(),
    "extra value negative": lambda d: d["benchmarks"][0]["extras"][1]
    .__setitem__("values", [30, -34, 32]),
    "extra named twice": lambda d: d["benchmarks"][0]["extras"][1]
    .__setitem__("name", "p99"),
    "extras not a list": lambda d: d["benchmarks"][0]
    .__setitem__("extras", {"p99": 90.0}),
    "ratio names no benchmark": lambda d: d["ratios"][3]
    .__setitem__("denominator", "e"),
}


def unavailable(d):
    """Benchmark "c" unavailable with a reason: c/b and c/d not ok, their
    targets counted as not measured (2 of them), a/b still missed."""
    c = d["benchmarks"][2]
    for k in ("median", "min", "max", "values"):
        c.pop(k)
    c.update(status="unavailable", reason="less than the noise")
    for r in d["ratios"][1:3]:
        r.update(status="unavailable", value=None)
        r["target"]["met"] = None
    d["targets"] = {"met": 0, "missed": 1, "not_measured": 2}


BAD_UNAVAILABLE = {
    "unavailable without a reason": lambda d: d["benchmarks"][2]
    .pop("reason"),
    "ratio ok on an unavailable side": lambda d: d["ratios"][1]
    .__setitem__("status", "ok"),
    "unmeasured target not counted": lambda d: d["targets"]
    .__setitem__("not_measured", 1),
}


def main():
    failures = 0
    code, out = run(good_doc())
    if code != 0 or "2 met, 1 missed" not in out:
        print(f"FAIL: consistent document: exit {code}: {out.strip()}")
        failures += 1
    else:
        print("ok: consistent document accepted (2 met, 1 missed)")
    code, out = run(mutated(unavailable))
    if code != 0 or "0 met, 1 missed" not in out:
        print(f"FAIL: a benchmark unavailable with its reason: exit {code}: "
              f"{out.strip()}")
        failures += 1
    else:
        print("ok: a benchmark unavailable with its reason is accepted")
    for what, edit in BAD_UNAVAILABLE.items():
        code, out = run(mutated(lambda d: (unavailable(d), edit(d))))
        if code == 1 and out.startswith("check_bench_json: "):
            print(f"ok: {what}: rejected: {out.strip()}")
        else:
            print(f"FAIL: {what}: exit {code}, expected 1: {out.strip()}")
            failures += 1
    for what, edit in BAD.items():
        try:
            code, out = run(mutated(edit))
        except Exception as e:  # a broken mutation is a broken test
            print(f"FAIL: {what}: {e}")
            failures += 1
            continue
        # Rejected with the checker's own message, not by a crash.
        if code == 1 and out.startswith("check_bench_json: "):
            print(f"ok: {what}: rejected: {out.strip()}")
        else:
            print(f"FAIL: {what}: exit {code}, expected 1: {out.strip()}")
            failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
