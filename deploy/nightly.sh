#!/usr/bin/env bash
# Nightly tuning run: `deploy/nightly.sh [CONFIG] [gradtune run options...]`.
# Runs CONFIG (default configs/nightly.yaml) as study nightly-YYYY-MM-DD under $GRADTUNE_RUNS (default runs/),
# warm-started from the last night that succeeded ($GRADTUNE_RUNS/nightly-latest, a symlink), and moves that
# symlink only when the run exits 0, so a failed night never becomes the next night's starting point.
# Runs ./gradtune (local mode); with GRADTUNE_NIGHTLY_SUBMIT=1 it runs deploy/gradtune-submit instead (the study as
# a Spark application on a cluster: pass --master spark://HOST:7077 --kafka HOST:9092, see deploy/gradtune-submit).
# Relative paths (CONFIG, $GRADTUNE_RUNS) are relative to the repository root, where the script runs.
# A night whose run directory already exists (the driver or the machine died, the job was stopped) is resumed with
# ./gradtune resume instead of started again: the same study continues to its budget (local mode only; with
# GRADTUNE_NIGHTLY_SUBMIT=1 an existing directory makes the run exit 2, resume it by hand with spark-submit).
# Examples for cron, systemd and Airflow: deploy/examples/.
# Exit code: gradtune's (0 ok, 1 the study failed, 2 bad config or usage, 3 no trial completed, 130/143 stopped).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
config="configs/nightly.yaml"
if [[ $# -gt 0 && "$1" != -* ]]; then
  config="$1"
  shift
fi
runs="${GRADTUNE_RUNS:-runs}"
name="${GRADTUNE_NIGHTLY_NAME:-nightly-$(date +%F)}"
cd "$here" || exit 2

warm=()
if [[ -f "$runs/nightly-latest/trials.csv" ]]; then
  warm=(--warm-start "$runs/nightly-latest")
  echo "nightly: warm start from $(readlink "$runs/nightly-latest")" >&2
fi
launcher=(./gradtune run)
if [[ "${GRADTUNE_NIGHTLY_SUBMIT:-0}" == 1 ]]; then
  launcher=(deploy/gradtune-submit)
fi
rc=0
if [[ "${GRADTUNE_NIGHTLY_SUBMIT:-0}" != 1 && -f "$runs/$name/journal.jsonl" ]]; then
  echo "nightly: $runs/$name exists, resuming it" >&2
  ./gradtune resume "$runs/$name" || rc=$?
else
  "${launcher[@]}" "$config" --study "$name" --output "$runs" "${warm[@]}" "$@" || rc=$?
fi
if [[ $rc -eq 0 ]]; then
  ln -sfn "$name" "$runs/nightly-latest"
  echo "nightly: $runs/nightly-latest -> $name" >&2
fi
exit $rc
