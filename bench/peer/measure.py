#!/usr/bin/python3
"""Measures the peer study (optuna_digits.py) the way `gradtune bench study` measures gradtune.

  bench/peer/measure.py [--smart] [--trials N] [--epochs E] [--jobs J] [--seed S]

Figures, JSON on the last line: wall (child started until it exited), CPU seconds (user + system of the child's
process tree, from getrusage(RUSAGE_CHILDREN)), peak memory of the process tree sampled every 100 ms (the sum of the
processes' RSS, as `ps` adds it up, and the sum of their PSS, which counts a page shared by k processes 1/k times
each: the processes share the libraries' pages), fixed cost = start (child started until the
first trial started) + end (last trial finished until exit), trials per minute, epochs per second, best validation
accuracy.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def tree(root):
    kids = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        kids.setdefault(ppid, []).append(int(pid))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def memory_kb(pids):
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--smart", action="store_true")
    p.add_argument("--trials", type=int, default=60)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=42, help="the samplers' seed (optuna_digits.py --seed)")
    args = p.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    trials_out = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name
    cmd = [sys.executable, os.path.join(here, "optuna_digits.py"), "--trials", str(args.trials),
           "--epochs", str(args.epochs), "--jobs", str(args.jobs), "--seed", str(args.seed), "--trials-out", trials_out]
    if args.smart:
        cmd.append("--smart")
    t0 = time.time()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0
    while child.poll() is None:
        rss, pss = memory_kb(tree(child.pid))
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.1)
    t1 = time.time()
    summary = json.loads(child.stdout.read().strip().splitlines()[-1])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(trials_out) as f:
        trials = [json.loads(line) for line in f if line.strip()]
    os.unlink(trials_out)
    epochs = sum(t["epochs"] for t in trials)
    wall = t1 - t0
    result = {
        "tool": "optuna+pytorch", "smart": args.smart, "seed": args.seed, "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(peak_rss / 1024), "peak_pss_mb": round(peak_pss / 1024),
        "fixed_start_s": round(min(t["start"] for t in trials) - t0, 2),
        "fixed_end_s": round(t1 - max(t["end"] for t in trials), 2),
        "trials": len(trials), "epochs": epochs,
        "trials_per_min": round(len(trials) / wall * 60, 1), "epochs_per_s": round(epochs / wall, 1),
        "best_val_accuracy": summary["best_val_accuracy"], "states": summary["trials"],
        "exit": child.returncode,
    }
    print(json.dumps(result))
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
