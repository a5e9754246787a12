#!/usr/bin/env bash
# Runs `dotnet test` of every test project N times in a row on one machine (default 20), to show the .NET suites
# hold no flaky test. Builds once, then runs with --no-build; one log line per run (start time, seconds, exit
# code, each assembly's passed/failed/skipped counts and the names of failed tests), the full output of run K
# in LOGDIR/run-K.out. Run it from a clone that nothing edits meanwhile: the loop counts for the commit it built.
# Usage: tools/test-loop.sh [N]      Env: LOGDIR (default a new temporary folder, printed first),
#        CINNABAR_REQUIRE_ORACLE (default 1: a missing redis-server is a failure, as in CI).
# Exits 1 after the first run that failed (the runs before it are in the log), 0 when all N passed.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
LOGDIR=${LOGDIR:-$(mktemp -d)}
mkdir -p "$LOGDIR"
log="$LOGDIR/loop.log"
export CINNABAR_REQUIRE_ORACLE=${CINNABAR_REQUIRE_ORACLE:-1}
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "log: $log"
dotnet build Cinnabar.sln -c Release --nologo >"$LOGDIR/build.out" 2>&1 || { echo "build failed: $LOGDIR/build.out"; exit 1; }
commit=$(git rev-parse --short HEAD)
echo "loop on $commit, $(nproc) cores, started $(date -u +%FT%TZ)" | tee -a "$log"
for n in $(seq 1 "$runs"); do
  started=$(date +%s)
  stamp=$(date -u +%T)
  out="$LOGDIR/run-$n.out"
  dotnet test Cinnabar.sln -c Release --no-build --nologo >"$out" 2>&1
  rc=$?
  # "Passed!  - Failed: 0, Passed: 591, Skipped: 0, Total: 591, Duration: 2 s - Cinnabar.Lua.Tests.dll (net10.0)"
  counts=$(grep -E '^(Passed|Failed)!  - Failed: ' "$out" |
    sed -E 's/^(Passed|Failed)!  - Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+),.* - ([A-Za-z.]+)\.dll.*/\5 \3p\/\2f\/\4s/' | tr '\n' ' ')
  failed=$(grep -E '^  Failed [A-Za-z]' "$out" | sed 's/^  Failed //' | tr '\n' ' ')
  echo "run $n $commit $stamp $(($(date +%s) - started))s rc=$rc $counts${failed:+FAILED: $failed}" | tee -a "$log"
  [ "$rc" -eq 0 ] || exit 1
done
echo "all $runs runs passed, $(date -u +%FT%TZ)" | tee -a "$log"
