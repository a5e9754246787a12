#!/usr/bin/env bash
# The one command that runs every test: the xunit suite (unit, integration, differential) with
# `dotnet test`, then the interop suites (real clients against a real Cinnabar process).
# Prints each part's counts and, last, "N passed, M failed" for everything; exits non-zero on any failure.
# Env: INTEROP_TARGET=redis runs the interop part against real Redis instead (to check the scripts);
#      CINNABAR_REQUIRE_ORACLE=1 turns a missing redis-server or client into a failure instead of a skip.
set -uo pipefail
cd "$(dirname "$0")"

RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT

dotnet_out="$RESULTS/dotnet.out"
dotnet test Cinnabar.sln -c Release --nologo ${DOTNET_BUILD_FLAGS:-} 2>&1 | tee "$dotnet_out"
dotnet_rc=${PIPESTATUS[0]}

# Sum the summary line of every test assembly:
#   "Passed!  - Failed:     0, Passed:    20, Skipped:     0, Total:    20, Duration: 1 s - Cinnabar.Tests.dll (net10.0)"
read -r unit_pass unit_fail unit_skip < <(
  grep -E '^(Passed|Failed)!  - Failed: ' "$dotnet_out" | sed -E 's/, Duration.*//; s/[^0-9,]//g' | awk -F, '
    { f += $1; p += $2; s += $3 }
    END { print p + 0, f + 0, s + 0 }')
if [ "$dotnet_rc" -ne 0 ] && [ "$unit_fail" -eq 0 ]; then
  echo "dotnet test exited $dotnet_rc with no failed test (build or runner failure): counted as 1 failure"
  unit_fail=1
fi
# Every test project of the solution must report a summary with at least one test: an assembly that
# crashed, was not found or ran nothing would otherwise pass unnoticed.
for project in $(dotnet sln Cinnabar.sln list | grep -E '^tests/.*\.csproj$'); do
  assembly=$(basename "$project" .csproj).dll
  total=$(grep -E "^(Passed|Failed)!  - Failed: .* - $assembly " "$dotnet_out" | sed -nE 's/.*Total: *([0-9]+),.*/\1/p' | tail -n 1)
  if [ -z "$total" ]; then
    echo "$assembly: no test summary (the test host crashed or the assembly did not run): counted as 1 failure"
    unit_fail=$((unit_fail + 1))
  elif [ "$total" -eq 0 ]; then
    echo "$assembly: ran 0 tests: counted as 1 failure"
    unit_fail=$((unit_fail + 1))
  fi
done
echo "dotnet test: $unit_pass passed, $unit_fail failed, $unit_skip skipped"
# Repeat each failed test with its message here, beside the counts: CI shows only the output's tail.
failures="$RESULTS/dotnet.failures"
grep -E -A4 '^  Failed [A-Za-z]' "$dotnet_out" | grep -vE '^  (Error Message|Stack Trace):$' > "$failures"
if [ -s "$failures" ]; then
  echo "dotnet test failures:"
  cat "$failures"
fi

# run_suite NAME COMMAND...: runs a shell suite whose last count line is "NAME: N passed, M failed[, K skipped]"
# and adds its counts to the totals; a non-zero exit with no failed check counts as one failure.
suite_pass=0 suite_fail=0 suite_skip=0
run_suite() {
  local name=$1 out="$RESULTS/$1.out" rc counts p f s
  shift
  "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  counts=$(grep -Eo "^$name: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?" "$out" | tail -n 1)
  p=$(echo "$counts" | sed -nE 's/.* ([0-9]+) passed.*/\1/p')
  f=$(echo "$counts" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
  s=$(echo "$counts" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
  p=${p:-0} f=${f:-0} s=${s:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "$name exited $rc with no failed check: counted as 1 failure"
    f=1
  fi
  suite_pass=$((suite_pass + p)) suite_fail=$((suite_fail + f)) suite_skip=$((suite_skip + s))
}

run_suite interop bash tests/interop/run.sh
# The operations suite (tests/ops): limits, protected mode, signals, daemonize... of a real server process.
run_suite ops env INTEROP_SKIP_BUILD=1 bash tests/ops/run.sh
# The append-only file: kill -9 crash trials, torn tails, interop with redis-server's AOF directories (about a minute).
run_suite persistence env INTEROP_SKIP_BUILD=1 bash tests/persistence/run.sh
# The cache pattern: maxmemory with allkeys-lru and with noeviction under a write load 5x larger (about a minute).
run_suite cache env INTEROP_SKIP_BUILD=1 bash tests/ops/cache_pattern.sh

[ -s "$failures" ] && { echo "failed tests (repeated from above):"; grep -E '^  Failed [A-Za-z]' "$failures"; }
pass=$((unit_pass + suite_pass))
fail=$((unit_fail + suite_fail))
skip=$((unit_skip + suite_skip))
if [ "$skip" -gt 0 ]; then
  echo "$pass passed, $fail failed, $skip skipped"
else
  echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
