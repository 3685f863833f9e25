#!/usr/bin/env python3
"""The table of docs/gradients-demo.md ("Each fix alone"), from a run directory of configs/gradients-fixes.yaml.

    python3 scripts/gradients_fixes_table.py runs/gradients-fixes [--target 0.9]

Reads the run's trials.csv (parameters, diagnosis) and metrics.jsonl (every accepted epoch record with its per-layer
statistics) and prints one Markdown row per trial, in trial order:

* fix: the parameters in which the trial differs from the first trial (the baseline of a one-factor-at-a-time study;
  "baseline" for the first itself). Parameter columns are the trials.csv columns after "host"; columns with one
  value in every trial (the fixed training values) are left out.
* gradient ratio: the L2 norm of the first weight layer's gradient / the output layer's (LayerStats.gradL2 of the
  first and the last layer of each record), at epoch 1 and at the last epoch ("0 / 0" when both are exactly zero:
  a dead net), and the median over all epochs (0 / 0 epochs left out) as a multiple of the baseline's median.
* epochs to the target validation accuracy (default 0.9): the first epoch whose val_accuracy reaches it, or
  "not reached".
* final and best validation accuracy, and the trial's diagnosis.

Only the Python standard library; the same run directory always gives the same table.
"""
import argparse
import csv
import json
import statistics
import sys
from pathlib import Path


def read_trials(run_dir):
    with open(run_dir / "trials.csv", newline="") as f:
        rows = list(csv.DictReader(f))
        header = rows[0].keys() if rows else []
    names = list(header)
    params = names[names.index("host") + 1:] if "host" in names else []
    varying = [p for p in params if len({r[p] for r in rows}) > 1]
    return rows, varying


def read_curves(run_dir):
    """trial id -> {epoch: record}; a later attempt's record of an epoch replaces an earlier attempt's."""
    curves = {}
    with open(run_dir / "metrics.jsonl") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue  # a half-written last line
            if r.get("type") != "epoch_metrics":
                continue
            epochs = curves.setdefault(r["trialId"], {})
            old = epochs.get(r["epoch"])
            if old is None or r.get("attempt", 0) >= old.get("attempt", 0):
                epochs[r["epoch"]] = r
    return curves


def as_float(v):
    return float(v) if isinstance(v, (int, float)) else float("nan")   # "NaN"/"Infinity" strings, null


def ratio(record):
    layers = record.get("layers") or []
    if len(layers) < 2:
        return float("nan")
    first, out = as_float(layers[0].get("gradL2")), as_float(layers[-1].get("gradL2"))
    if first == 0 and out == 0:
        return ZERO
    return first / out if out > 0 else float("nan")


ZERO = "0/0"   # no gradient at all, not even at the output: every unit of the last hidden layer is dead


def fmt_ratio(x):
    if x == ZERO:
        return "0 / 0 (no gradient)"
    return "n/a" if x != x else f"{x:.1e}"


def fmt_factor(x):
    if x != x:
        return "n/a"
    return f"{x:.1e}" if x >= 1000 or x < 0.01 else f"{x:.3g}"


def table(run_dir, target):
    trials, varying = read_trials(run_dir)
    curves = read_curves(run_dir)
    if not trials:
        raise SystemExit(f"{run_dir}/trials.csv has no trials")
    base = trials[0]
    rows = []
    for t in trials:
        curve = [curves[t["trial_id"]][e] for e in sorted(curves.get(t["trial_id"], {}))]
        ratios = [ratio(r) for r in curve]
        finite = [x for x in ratios if x != ZERO and x == x]
        accs = [as_float(r.get("valAccuracy")) for r in curve]
        reached = next((r["epoch"] for r in curve if as_float(r.get("valAccuracy")) >= target), None)
        changed = [f"{p}: {t[p]}" for p in varying if t[p] != base[p]]
        rows.append({
            "fix": ", ".join(changed) if changed else "baseline (" + ", ".join(f"{p}: {base[p]}" for p in varying) + ")",
            "first": ratios[0] if ratios else float("nan"),
            "last": ratios[-1] if ratios else float("nan"),
            "median": statistics.median(finite) if finite else float("nan"),
            "epochs": len(curve),
            "reached": reached,
            "final": accs[-1] if accs else float("nan"),
            "best": max((a for a in accs if a == a), default=float("nan")),
            "diagnosis": t.get("diagnosis", ""),
        })
    base_median = rows[0]["median"]
    pct = f"{target * 100:g} %"
    out = [f"| fix | gradient ratio, epoch 1 | gradient ratio, last epoch | median ratio x baseline "
           f"| epochs to {pct} val_acc | final val_acc | best val_acc | diagnosis |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        factor = r["median"] / base_median if base_median and base_median == base_median else float("nan")
        reached = str(r["reached"]) if r["reached"] is not None else f"not reached ({r['epochs']})"
        out.append(f"| {r['fix']} | {fmt_ratio(r['first'])} | {fmt_ratio(r['last'])} | {fmt_factor(factor)} "
                   f"| {reached} | {r['final']:.3f} | {r['best']:.3f} | {r['diagnosis']} |")
    return "\n".join(out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", type=Path, help="run directory of configs/gradients-fixes.yaml")
    parser.add_argument("--target", type=float, default=0.9, help="validation accuracy to reach (default 0.9)")
    a = parser.parse_args(argv)
    for name in ("trials.csv", "metrics.jsonl"):
        if not (a.run_dir / name).is_file():
            print(f"{a.run_dir}: no {name}; give the run directory of a finished study", file=sys.stderr)
            return 2
    if not 0 < a.target <= 1:
        print(f"--target {a.target}: expected a validation accuracy in (0, 1]", file=sys.stderr)
        return 2
    print(table(a.run_dir, a.target))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
