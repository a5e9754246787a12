#!/usr/bin/env bash
# Runs the same Lua programs under Debian's lua5.1 and Cinnabar.Lua in one run and prints the speed ratio
# (lua5.1 time / Cinnabar.Lua time: above 1.0 means Cinnabar.Lua is faster). Time is the CPU time
# (user+sys) of the whole process, best of 3: on a shared machine wall time mostly measures the other
# processes. Cinnabar.Lua's figures include .NET start-up and JIT (about 0.1 s of CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v lua5.1 >/dev/null || { echo "lua5.1 is not installed"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (Debian package time)"; exit 1; }
dotnet build tools/Cinnabar.Lua.Run -c Release --nologo -v q >/dev/null
RUN=tools/Cinnabar.Lua.Run/bin/Release/net10.0/Cinnabar.Lua.Run
best() { # best CPU time (user+sys) in ms of 3 runs of "$@"
  local b=999999999 ms tmp
  tmp=$(mktemp)
  for _ in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$tmp" "$@" >/dev/null 2>&1
    ms=$(tail -n 1 "$tmp" | awk '{ printf "%d", ($1 + $2) * 1000 }')
    [ "$ms" -lt "$b" ] && b=$ms
  done
  rm -f "$tmp"
  echo "$b"
}
ratios=()
printf '%-12s %10s %14s %8s\n' program lua5.1_cpu_ms cinnabar_cpu_ms ratio
for f in bench/lua/*.lua; do
  name=$(basename "$f" .lua)
  [ "$(lua5.1 "$f")" == "$("$RUN" "$f")" ] || { echo "$name: outputs differ"; exit 1; }
  a=$(best lua5.1 "$f"); b=$(best "$RUN" "$f")
  r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$r")
  printf '%-12s %10s %14s %8s\n' "$name" "$a" "$b" "$r"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median ratio (lua5.1 / Cinnabar.Lua): $median"
