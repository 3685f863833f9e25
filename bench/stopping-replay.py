#!/usr/bin/env python3
"""Replays the plateau rule and ASHA on the full curves of an unpruned study (issue 14, smart search accuracy).

    python3 bench/stopping-replay.py RUN_DIR [RUN_DIR ...]

RUN_DIR is a run directory of a study trained without stopping rules (e.g. one of
`./gradtune bench study configs/bench-space.yaml --repeat 1 --output DIR`: 60 random trials x 20 epochs), whose
metrics.jsonl holds every epoch of every trial. For each setting the script applies the rules to those curves, as the
driver would, and prints the best val_accuracy the kept epochs still reach, the epochs trained, and how many trials
lose at least one validation row (their best falls by more than 0.002) against training to the budget:

* plateau alone, patience 5 / 8 / 10 and off: the rule's test on the objective (the best of the last `patience`
  epochs does not beat the earlier best by more than min_delta 1e-4), PlateauRule's;
* ASHA (min_epochs r, reduction_factor eta) with plateau 5 / 10 / off: trials in trial order (a sequential
  approximation of the asynchronous order), a trial continues at a rung when its value there is among the top
  max(1, floor(n / eta)) of the n values recorded at the rung so far, itself included, AshaRule's test.

A replay of random-search curves, not of a GP-guided study: it shows what the rules cut from the curves, not which
trials a search would propose next.
"""
import collections
import json
import os
import sys


def curves(run_dir):
    c = collections.defaultdict(dict)
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r.get("type") == "epoch_metrics":
                c[r["trialId"]][r["epoch"]] = r["valAccuracy"]
    return {t: [v[e] for e in sorted(v)] for t, v in c.items()}


def plateau_stop(curve, patience, min_delta=1e-4):
    """The epoch the plateau rule completes the trial at (the curve's length if never)."""
    if not patience:
        return len(curve)
    for t in range(patience + 1, len(curve) + 1):
        if max(curve[t - patience:t]) - max(curve[:t - patience]) <= min_delta:
            return t
    return len(curve)


def replay(cs, patience, r=None, eta=None, budget=20):
    rungs = []
    if r:
        e = r
        while e < budget:
            rungs.append(e)
            e *= eta
    at = collections.defaultdict(list)
    best, epochs, losing, completed = 0.0, 0, 0, 0
    for t in sorted(cs):
        c = cs[t]
        stop = plateau_stop(c, patience)
        end, pruned = stop, False
        for g in rungs:
            if g > stop:
                break
            v = c[g - 1]
            at[g].append(v)
            k = max(1, len(at[g]) // eta)
            if v < sorted(at[g], reverse=True)[k - 1]:
                end, pruned = g, True
                break
        epochs += end
        if not pruned:
            completed += 1
            best = max(best, max(c[:end]))
            if max(c) - max(c[:end]) > 0.002:
                losing += 1
    return best, epochs, completed, losing


def main():
    for run_dir in sys.argv[1:]:
        cs = curves(run_dir)
        full = max(max(c) for c in cs.values())
        print(f"{run_dir}: {len(cs)} trials, best val_accuracy {full:.4f} with every epoch trained")
        for patience in (5, 8, 10, 0):
            best, epochs, _, losing = replay(cs, patience)
            print(f"  plateau {patience or 'off':>3}: best {best:.4f}, {epochs} epochs, "
                  f"{losing} trials lose >= 1 validation row")
        for patience in (5, 10, 0):
            for r, eta in ((1, 3), (2, 3), (3, 3), (1, 4), (2, 4)):
                best, epochs, completed, losing = replay(cs, patience, r, eta)
                print(f"  plateau {patience or 'off':>3} + asha r={r} eta={eta}: best {best:.4f}, {epochs} epochs, "
                      f"{completed} trials not pruned ({losing} of them lose >= 1 row to the plateau rule)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
