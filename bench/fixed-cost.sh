#!/usr/bin/env bash
# Fixed cost of a study (issue 14, item 3): the whole `gradtune run` process of a 2-trial x 1-epoch quickstart study,
# wall time from the shell and CPU seconds (user + system, the launcher and its children), N runs of each launcher
# given, interleaved (launcher 1, 2, ..., then again), medians.
# Compare two builds side by side by giving two launchers, e.g. a copy of an older checkout's ./gradtune and jars:
#   bench/fixed-cost.sh 5 /tmp/before/gradtune ./gradtune
# A launcher argument may start with environment settings: 'GRADTUNE_CDS=0 ./gradtune' (one argument, quoted).
# With --timeline, one run of each launcher instead, every output line stamped with seconds since the start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$here/configs/quickstart.yaml"
timeline=false
if [[ "${1:-}" == --timeline ]]; then
  timeline=true
  shift
  runs=1
else
  runs="${1:?usage: bench/fixed-cost.sh [--timeline | RUNS] LAUNCHER...}"
  shift
fi
[[ $# -gt 0 ]] || { echo "usage: bench/fixed-cost.sh [--timeline | RUNS] LAUNCHER..." >&2; exit 2; }
out="$(mktemp -d "${TMPDIR:-/tmp}/gradtune-fixed-cost-XXXXXX")"
trap 'rm -rf "$out"' EXIT
declare -A walls cpus
echo "load before: $(uptime)"
for ((r = 1; r <= runs; r++)); do
  for ((l = 1; l <= $#; l++)); do
    launcher="${!l}"
    start=$(date +%s.%N)
    if $timeline; then
      echo "== $launcher"
      env $launcher run "$config" --max-trials 2 --epochs 1 --output "$out/$l" --overwrite 2>&1 \
        | perl -MTime::HiRes=time -ne "BEGIN{\$t0=$start} printf \"%7.2f %s\", time-\$t0, \$_"
    else
      # CPU seconds (user + system) of the launcher and everything it started, from bash's `time`.
      TIMEFORMAT='%U %S'
      rc=0
      { time env $launcher run "$config" --max-trials 2 --epochs 1 --output "$out/$l" --overwrite >"$out/log-$l" 2>&1 \
          || rc=$? ; } 2>"$out/time-$l"
      [[ $rc == 0 ]] || { echo "run $r of $launcher failed:" >&2; tail -20 "$out/log-$l" >&2; exit 1; }
    fi
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    walls[$l]="${walls[$l]:-} $wall"
    if $timeline; then
      printf 'run %d  %-40s %6.2f s\n' "$r" "$launcher" "$wall"
    else
      cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$out/time-$l")
      cpus[$l]="${cpus[$l]:-} $cpu"
      printf 'run %d  %-40s %6.2f s  cpu %6.2f s\n' "$r" "$launcher" "$wall" "$cpu"
    fi
  done
done
echo "load after: $(uptime)"
for ((l = 1; l <= $#; l++)); do
  sorted=($(tr ' ' '\n' <<<"${walls[$l]}" | sed '/^$/d' | sort -g))
  n=${#sorted[@]}
  printf '%-40s median %6.2f s  min %6.2f  max %6.2f  (%d runs)\n' "${!l}" "${sorted[$((n / 2))]}" "${sorted[0]}" \
    "${sorted[$((n - 1))]}" "$n"
  if ! $timeline; then
    sorted=($(tr ' ' '\n' <<<"${cpus[$l]}" | sed '/^$/d' | sort -g))
    printf '%-40s median %6.2f CPU s  min %6.2f  max %6.2f\n' "${!l}" "${sorted[$((n / 2))]}" "${sorted[0]}" \
      "${sorted[$((n - 1))]}"
  fi
done
