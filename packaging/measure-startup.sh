#!/usr/bin/env bash
# Start-up of the packaged app, from exec of the launcher to the first shown frame with data, with
# the shipped AOT cache and without it (the same image, its .cfg without -XX:AOTCache), alternating
# in the same run so that both see the same machine; then where the time goes with the cache (the
# median of each start-up mark the smoke start prints). Needs a display and packaging/package.sh done.
#   packaging/measure-startup.sh [runs=10]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
IMAGE=target/package/image/control-room
[ -x "$IMAGE/bin/control-room" ] || { echo "no app image: run packaging/package.sh first" >&2; exit 1; }
[ -f "$IMAGE/lib/app/app.aot" ] || { echo "the image has no AOT cache: run packaging/package.sh without --no-aot" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The twin without the cache: hard links (no copy of 290 MB), and its own .cfg.
cp -al "$IMAGE" "$WORK/nocache"
CFG=$WORK/nocache/lib/app/control-room.cfg
grep -v 'AOTCache' "$CFG" > "$CFG.new" && rm "$CFG" && mv "$CFG.new" "$CFG"
rm "$WORK/nocache/lib/app/app.aot"

# One start first so both measure a second start (database there, no migration), as a user sees it.
"$IMAGE/bin/control-room" --db "$WORK/cr.db" --smoke >/dev/null 2>&1

once() { # launcher, file for its start-up marks -> ms from exec to the first frame with data
  local out
  out=$(CONTROL_ROOM_EXEC_MS=$(date +%s%3N) exec "$1" --db "$WORK/cr.db" --smoke 2>&1 || true)
  sed -n 's/^smoke: start-up ms since exec: //p' <<<"$out" >>"$2"
  sed -n 's/.*(\([0-9]*\) ms since exec).*/\1/p' <<<"$out"
}
: >"$WORK/cache.txt"; : >"$WORK/nocache.txt"
for i in $(seq "$RUNS"); do
  once "$WORK/nocache/bin/control-room" "$WORK/nocache-marks.txt" >>"$WORK/nocache.txt"
  once "$IMAGE/bin/control-room" "$WORK/cache-marks.txt" >>"$WORK/cache.txt"
done
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
  p50 = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d %d %d\n", p50, v[1], v[NR] }'; }
read -r N50 NMIN NMAX < <(stats "$WORK/nocache.txt")
read -r C50 CMIN CMAX < <(stats "$WORK/cache.txt")
GOAL=600
echo "Start-up of the packaged launcher, exec -> first shown frame with data (ms), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| image | runs | p50 | min | max |"
echo "|---|---|---|---|---|"
echo "| without AOT cache | $(wc -l <"$WORK/nocache.txt") | $N50 | $NMIN | $NMAX |"
echo "| with AOT cache | $(wc -l <"$WORK/cache.txt") | $C50 | $CMIN | $CMAX |"
echo
awk -v n="$N50" -v c="$C50" -v g="$GOAL" 'BEGIN { printf "ratio cache/no cache (p50): %.2f; goal <= %d ms with the cache: %s\n", c / n, g, (c <= g ? "met" : "NOT met") }'
# Where the time goes, with the cache: each start-up mark's median time since exec (the smoke start
# prints them), in the order reached, and the step from the mark before.
echo
echo "| with AOT cache: step (thread) | p50 ms since exec | p50 step |"
echo "|---|---|---|"
awk -F', ' '{ for (i = 1; i <= NF; i++) if (match($i, / [0-9]+ \[/)) {
    name = substr($i, 1, RSTART - 1); ms = substr($i, RSTART + 1, RLENGTH - 3) + 0; thread = substr($i, RSTART + RLENGTH - 1)
    if (!(name in seen)) { seen[name] = ++n; names[n] = name; threads[n] = thread }
    k = seen[name]; count[k]++; value[k, count[k]] = ms } }
  END { for (k = 1; k <= n; k++) { m = count[k]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (value[k, j] < value[k, i]) { t = value[k, i]; value[k, i] = value[k, j]; value[k, j] = t }
      p50[k] = (m % 2) ? value[k, (m + 1) / 2] : (value[k, m / 2] + value[k, m / 2 + 1]) / 2; order[k] = k }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (p50[order[j]] < p50[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
    last = 0; for (i = 1; i <= n; i++) { k = order[i]; printf "| %s %s | %d | +%d |\n", names[k], threads[k], p50[k], p50[k] - last; last = p50[k] } }' \
  "$WORK/cache-marks.txt"
