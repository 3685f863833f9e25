#!/usr/bin/env bash
# The driver JVM's default heap for a launcher command line (issue 14, item 4), printed as a -Xmx value ("512m").
# `run CONFIG` and `bench study CONFIG` whose study trains in the driver JVM (spark.master local, local[N] or
# local[*], the default) get a heap sized from what the study keeps on the heap:
#   320 MB  (Spark's driver, the embedded broker, the study's own state; measured in use: under 0.35 GB in all)
#   + 64 MB per concurrent trial (local[N]: N; local[*] and no spark.master: the machine's cores, `nproc`)
#   + 8 x the data's text size in MB (data.source, validation_source, test_source; a .gz file counts uncompressed,
#     from its trailer: `gzip -l`), for its parsed float table, the broadcast's copy and the parse's transients
# rounded up to a multiple of 64 MB, at least 512 MB (Spark's local mode refuses less than 450), at most half the
# machine's memory. Anything the estimate cannot see (another
# command, a cluster master, data.table or data.class, a URI or ${env:...} in a path, a flow-style data: {...},
# a missing file) keeps the old fixed default, 1g. GRADTUNE_HEAP, when set, wins over all of this (in ./gradtune).
# Usage: launcher/heap-estimate.sh ARGS...   (the arguments ./gradtune was given)
set -uo pipefail
fallback=1g
config=""
case "${1:-}" in
  run) config="${2:-}" ;;
  bench) [[ "${2:-}" == study ]] && config="${3:-}" ;;
esac
[[ -n "$config" && "$config" != -* && -f "$config" ]] || { echo "$fallback"; exit 0; }
base="$(cd "$(dirname "$config")" && pwd)"

# The value of KEY in the top-level block BLOCK (block style only), quotes and a trailing comment removed;
# "FLOW" when the block is written {...} on one line.
value() {
  awk -v block="$1" -v key="$2" '
    $0 ~ "^" block ":[ \t]*\\{" { print "FLOW"; exit }
    $0 ~ "^" block ":[ \t]*(#.*)?$" { inside = 1; next }
    inside && /^[^ \t#]/ { inside = 0 }
    inside && $0 ~ "^[ \t]+" key ":" {
      v = $0; sub("^[ \t]+" key ":[ \t]*", "", v); sub("[ \t]+#.*$", "", v); sub("[ \t]+$", "", v)
      gsub(/^["\047]|["\047]$/, "", v); print v; exit
    }' "$config"
}

master="$(value spark master)"
if [[ "$master" == FLOW ]]; then # spark: {master: "local[2]"}
  master="$(sed -n 's/^spark:[ \t]*{.*master:[ \t]*["\x27]\{0,1\}\([^"\x27,} ]*\).*/\1/p' "$config" | head -1)"
fi
case "$master" in
  "" | "local[*]") slots="$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)" ;; # nproc obeys OMP_NUM_THREADS
  local) slots=1 ;;
  local\[[0-9]*\]) slots="${master#local[}"; slots="${slots%]}" ;;
  *) echo "$fallback"; exit 0 ;; # a cluster: the trials' memory is on the executors
esac
[[ "$slots" =~ ^[0-9]+$ && "$slots" -ge 1 ]] || { echo "$fallback"; exit 0; }

for key in table class; do
  [[ -z "$(value data "$key")" ]] || { echo "$fallback"; exit 0; }
done
bytes=0
found=0
for key in source validation_source test_source; do
  path="$(value data "$key")"
  [[ "$path" == FLOW ]] && { echo "$fallback"; exit 0; }
  [[ -z "$path" ]] && continue
  [[ "$path" == *'${'* || "$path" =~ ^[A-Za-z][A-Za-z0-9+.-]*:// || "$path" == file:* ]] && { echo "$fallback"; exit 0; }
  [[ "$path" == /* ]] || path="$base/$path"
  [[ -f "$path" ]] || { echo "$fallback"; exit 0; } # Preflight names the missing file
  if [[ "$path" == *.gz ]]; then
    size="$(gzip -l "$path" 2>/dev/null | awk 'NR == 2 { print $2 }')"
  else
    size="$(stat -c %s "$path")"
  fi
  [[ "$size" =~ ^[0-9]+$ ]] || { echo "$fallback"; exit 0; }
  bytes=$((bytes + size))
  found=1
done
[[ "$found" == 1 ]] || { echo "$fallback"; exit 0; }

mb=$((320 + 64 * slots + (8 * bytes + 1048575) / 1048576))
mb=$(((mb + 63) / 64 * 64))
[[ "$mb" -ge 512 ]] || mb=512 # Spark's local mode refuses a heap under 450 MB (INVALID_DRIVER_MEMORY)
total_mb="$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null)"
if [[ "$total_mb" =~ ^[0-9]+$ && "$total_mb" -gt 0 ]]; then
  half=$((total_mb / 2 / 64 * 64))
  [[ "$half" -ge 512 && "$mb" -gt "$half" ]] && mb="$half"
fi
echo "${mb}m"
