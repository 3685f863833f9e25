#!/usr/bin/env bash
# Issue 14 side by side: gradtune's whole study and the PyTorch + Optuna peer's, interleaved, ROUNDS times each.
#   bench/peer/compare.sh [--smart] ROUNDS
# Each round runs `./gradtune bench study configs/bench-space.yaml --repeat 1` (with --smart: bench-space-smart.yaml,
# GP-EI + the default rules + ASHA) and then bench/peer/measure.py (with --smart: TPE + median pruner), and prints
# one line per run; the JSON of every run goes to the output directory (printed at the end). The peer needs Debian's
# python3-torch and python3-optuna (`apt-get install -y python3-torch python3-optuna`); /usr/bin/python3 runs it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
config="$here/configs/bench-space.yaml"
smart=()
if [[ "${1:-}" == --smart ]]; then
  config="$here/configs/bench-space-smart.yaml"
  smart=(--smart)
  shift
fi
rounds="${1:?usage: bench/peer/compare.sh [--smart] ROUNDS}"
out="$(mktemp -d "${TMPDIR:-/tmp}/gradtune-compare-XXXXXX")"
echo "machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p'); load before: $(uptime)"
for ((r = 1; r <= rounds; r++)); do
  "$here/gradtune" bench study "$config" --repeat 1 --output "$out/gradtune-$r" > "$out/gradtune-$r.log" 2>&1 \
    || { echo "gradtune run $r failed:" >&2; tail -20 "$out/gradtune-$r.log" >&2; exit 1; }
  tail -1 "$out/gradtune-$r.log" > "$out/gradtune-$r.json"
  /usr/bin/python3 "$here/bench/peer/measure.py" "${smart[@]}" > "$out/peer-$r.json"
  /usr/bin/python3 - "$out/gradtune-$r.json" "$out/peer-$r.json" "$r" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))["runs"][0]
p = json.load(open(sys.argv[2]))
print(f"round {sys.argv[3]}: gradtune wall {g['wallSeconds']:.1f} s, CPU {g['cpuSeconds']:.1f} s, "
      f"peak RSS {g['peakRssMegabytes']:.0f} MB, fixed {g['fixedCostSeconds']:.1f} s, epochs {g['epochs']}, "
      f"best {g['bestValAccuracy']:.4f} | peer wall {p['wall_s']:.1f} s, CPU {p['cpu_s']:.1f} s, "
      f"peak RSS {p['peak_rss_mb']} MB (PSS {p['peak_pss_mb']}), fixed {p['fixed_start_s'] + p['fixed_end_s']:.1f} s, "
      f"epochs {p['epochs']}, best {p['best_val_accuracy']:.4f} | wall ratio {g['wallSeconds'] / p['wall_s']:.2f}")
PY
done
echo "load after: $(uptime)"
echo "JSON of every run: $out"
