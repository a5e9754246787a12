#!/usr/bin/env bash
# Runs the same Lua programs under Debian's lua5.1 and Cinnabar.Lua in one run and prints the speed ratio
# (lua5.1 time / Cinnabar.Lua time: above 1.0 means Cinnabar.Lua is faster). Time is the CPU time
# (user+sys) of the whole process, best of 3: on a shared machine wall time mostly measures the other
# processes. It is read to the millisecond (bash's time keyword): /usr/bin/time's hundredths, truncated for
# user and sys apart, moved a 40-50 ms program's ratio by 20%. Start-up (.NET runtime and JIT for
# Cinnabar.Lua, a few ms for lua5.1) is not what the programs measure, so each interpreter's best CPU
# time on an empty program is measured once and subtracted from its figures (the same rule for both; a
# net time is floored at 1 ms). The gross times and the start-up cost are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v lua5.1 >/dev/null || { echo "lua5.1 is not installed"; exit 1; }
dotnet build tools/Cinnabar.Lua.Run -c Release --nologo -v q >/dev/null
RUN=tools/Cinnabar.Lua.Run/bin/Release/net10.0/Cinnabar.Lua.Run
best() { # best CPU time (user+sys) in ms of 3 runs of "$@"
  local b=999999999 ms tmp TIMEFORMAT='%3U %3S'
  tmp=$(mktemp)
  for _ in 1 2 3; do
    { time "$@" >/dev/null 2>&1; } 2> "$tmp"
    ms=$(tail -n 1 "$tmp" | awk '{ printf "%d", ($1 + $2) * 1000 + 0.5 }')
    [ "$ms" -lt "$b" ] && b=$ms
  done
  rm -f "$tmp"
  echo "$b"
}
empty=$(mktemp --suffix=.lua)
trap 'rm -f "$empty"' EXIT
base_a=$(best lua5.1 "$empty"); base_b=$(best "$RUN" "$empty")
echo "start-up CPU ms (empty program, best of 3): lua5.1 $base_a, Cinnabar.Lua $base_b; subtracted below"
net() { awk -v t="$1" -v s="$2" 'BEGIN { n = t - s; print (n < 1) ? 1 : n }'; }
ratios=()
printf '%-12s %10s %14s %10s %14s %8s\n' program lua5.1_gross cinnabar_gross lua5.1_net cinnabar_net ratio
for f in bench/lua/*.lua; do
  name=$(basename "$f" .lua)
  [ "$(lua5.1 "$f")" == "$("$RUN" "$f")" ] || { echo "$name: outputs differ"; exit 1; }
  ga=$(best lua5.1 "$f"); gb=$(best "$RUN" "$f")
  a=$(net "$ga" "$base_a"); b=$(net "$gb" "$base_b")
  r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$r")
  printf '%-12s %10s %14s %10s %14s %8s\n' "$name" "$ga" "$gb" "$a" "$b" "$r"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median ratio (lua5.1 / Cinnabar.Lua): $median"
