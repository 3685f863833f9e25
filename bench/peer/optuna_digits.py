#!/usr/bin/python3
"""The peer of issue 14: the same digits study in PyTorch + Optuna, as a PyTorch user would write it.

Random search (or, with --smart, Optuna's default TPE sampler with its median pruner), N trials x E epochs over
learning rate 1e-4..1e-1 (log), dropout 0..0.5, 1-4 hidden layers of 16-512 units each (log, one width per layer),
six activations, L2 1e-6..1e-2 (log), adam / nesterov / rmsprop, batch size 32/64/128/256, Xavier init; digits split
1077/360/360 (seeded), scaled to [0, 1] by a min-max fitted on the training part. --jobs worker processes (spawned) share one
SQLite study, one torch thread each (the issue's "2 processes x 1 thread").

Needs Debian's python3-torch (1.13), python3-optuna (3.1) and python3-numpy:
  apt-get install -y python3-torch python3-optuna
Run it through bench/peer/measure.py (wall, CPU, peak memory, fixed cost) or bench/peer/compare.sh (side by side
with `gradtune bench study`). Writes one JSON line per trial (start, end, epochs, best validation accuracy) to
--trials-out, and prints a summary JSON line last.
"""
import argparse
import csv
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time

import numpy as np


def load_digits(path, seed):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=np.float32)
    label = header.index("label")
    y = body[:, label].astype(np.int64)
    x = np.delete(body, label, axis=1)
    order = np.random.RandomState(seed).permutation(len(x))
    n_train, n_val = 1077, 360
    tr, va = order[:n_train], order[n_train:n_train + n_val]
    lo, hi = x[tr].min(axis=0), x[tr].max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    x = np.clip((x - lo) / span, 0.0, 1.0).astype(np.float32)
    return x[tr], y[tr], x[va], y[va]


def objective_factory(data, epochs, smart, trials_out):
    import optuna
    import torch
    from torch import nn

    x_tr, y_tr, x_va, y_va = (torch.from_numpy(a) for a in data)
    acts = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leakyrelu": nn.LeakyReLU,
            "elu": nn.ELU, "gelu": nn.GELU}

    def objective(trial):
        start = time.time()
        lr = trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
        dropout = trial.suggest_float("dropout", 0.0, 0.5)
        layers = trial.suggest_int("layers", 1, 4)
        units = [trial.suggest_int(f"units_{i + 1}", 16, 512, log=True) for i in range(layers)]
        act = trial.suggest_categorical("activation", list(acts))
        l2 = trial.suggest_float("l2", 1e-6, 1e-2, log=True)
        opt_name = trial.suggest_categorical("optimizer", ["adam", "nesterov", "rmsprop"])
        batch = trial.suggest_categorical("batch_size", [32, 64, 128, 256])
        torch.manual_seed(trial.number)
        mods, width = [], x_tr.shape[1]
        for u in units:
            lin = nn.Linear(width, u)
            nn.init.xavier_uniform_(lin.weight)
            nn.init.zeros_(lin.bias)
            mods += [lin, acts[act](), nn.Dropout(dropout)]
            width = u
        out = nn.Linear(width, 10)
        nn.init.xavier_uniform_(out.weight)
        nn.init.zeros_(out.bias)
        model = nn.Sequential(*mods, out)
        if opt_name == "adam":
            opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=l2)
        elif opt_name == "nesterov":
            opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=l2)
        else:
            opt = torch.optim.RMSprop(model.parameters(), lr=lr, weight_decay=l2)
        loss_fn = nn.CrossEntropyLoss()
        best, done = 0.0, 0
        pruned = False
        for epoch in range(epochs):
            model.train()
            perm = torch.randperm(len(x_tr))
            for i in range(0, len(x_tr), batch):
                idx = perm[i:i + batch]
                opt.zero_grad()
                loss_fn(model(x_tr[idx]), y_tr[idx]).backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                acc = (model(x_va).argmax(1) == y_va).float().mean().item()
            best, done = max(best, acc), epoch + 1
            if smart:
                trial.report(acc, epoch)
                if trial.should_prune():
                    pruned = True
                    break
        with open(trials_out, "a") as f:
            f.write(json.dumps({"trial": trial.number, "start": start, "end": time.time(), "epochs": done,
                                "best_val_accuracy": best, "pruned": pruned}) + "\n")
        if pruned:
            raise optuna.TrialPruned()
        return best

    return objective


def worker(index, storage, study_name, data, args):
    import optuna
    import torch

    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=study_name, storage=storage,
                              sampler=make_sampler(args, index), pruner=make_pruner(args))
    # Each process takes its share of the trials, as `n_trials` per process does in Optuna's own examples.
    share = args.trials // args.jobs + (1 if index < args.trials % args.jobs else 0)
    study.optimize(objective_factory(data, args.epochs, args.smart, args.trials_out), n_trials=share)


def make_sampler(args, index):
    import optuna
    if args.smart:
        return optuna.samplers.TPESampler(seed=args.seed + index)
    return optuna.samplers.RandomSampler(seed=args.seed + index)


def make_pruner(args):
    import optuna
    return optuna.pruners.MedianPruner() if args.smart else optuna.pruners.NopPruner()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--data", default=os.path.join(here, "..", "..", "data", "digits.csv"))
    p.add_argument("--trials", type=int, default=60)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--smart", action="store_true", help="TPE sampler + median pruner (Optuna's defaults)")
    p.add_argument("--trials-out", required=True, help="file for one JSON line per trial")
    args = p.parse_args()

    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = load_digits(args.data, 0)
    workdir = tempfile.mkdtemp()
    db = os.path.join(workdir, "study.db")
    storage = f"sqlite:///{db}"
    name = "peer"
    optuna.create_study(study_name=name, storage=storage, direction="maximize")
    # Separate processes as a user starts them (spawn: each imports torch and opens the storage itself).
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=worker, args=(i, storage, name, data, args)) for i in range(args.jobs)]
    for pr in procs:
        pr.start()
    for pr in procs:
        pr.join()
    study = optuna.load_study(study_name=name, storage=storage)
    states = {}
    for t in study.trials:
        states[t.state.name] = states.get(t.state.name, 0) + 1
    best = study.best_value
    os.unlink(db)
    os.rmdir(workdir)
    print(json.dumps({"best_val_accuracy": best, "trials": states}))
    return 0 if all(pr.exitcode == 0 for pr in procs) else 1


if __name__ == "__main__":
    sys.exit(main())
