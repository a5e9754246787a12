#!/usr/bin/env bash
# Sensitivity check of the differential suite: each *.patch here plants one deliberate one-line bug in
# src/Cinnabar. For each, on a scratch copy of the working tree (the tree itself is never modified), the patch
# is applied, the differential suite is built and its randomized run (the fixed seeds, both protocols) and case
# files are run against real redis-server; the line says whether the suite caught the bug, and the first
# failing reproduction follows. A bug that is NOT caught is a gap in the generator or the comparisons.
#
#   tools/sensitivity/run.sh                 # every patch
#   tools/sensitivity/run.sh 03 07           # the patches whose names start with 03 or 07
#   SENSITIVITY_FILTER='FullyQualifiedName~CaseTests' tools/sensitivity/run.sh   # another test filter
#   SENSITIVITY_KEEP=1 ...                   # keep the scratch copy (its path is printed)
#   SENSITIVITY_BASELINE=1 ...               # first run the same tests with no patch: they must pass
#
# Exits 0 when every bug was caught, 1 when one was not, 2 when a patch did not apply or build (or the baseline failed).
# Runs under nice; takes about 3 minutes per patch on 2 cores.
set -uo pipefail
# The whole script is read before it runs (a function called on the last line), so editing it mid-run is safe.
main() {
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
filter=${SENSITIVITY_FILTER:-FullyQualifiedName~RandomizedTests.RandomCommands|FullyQualifiedName~CaseTests}
export MSBUILDDISABLENODEREUSE=1 CINNABAR_REQUIRE_ORACLE=1
unset CINNABAR_DIFF_SEED CINNABAR_DIFF_RANDOM CINNABAR_DIFF_COMMANDS CINNABAR_DIFF_EXCLUDE

patches=()
for p in "$here"/*.patch; do
  name=$(basename "$p" .patch)
  if [ $# -eq 0 ]; then patches+=("$p"); continue; fi
  for want in "$@"; do [[ $name == "$want"* ]] && patches+=("$p") && break; done
done
[ ${#patches[@]} -gt 0 ] || { echo "no patch matches: $*"; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cinnabar-sensitivity.XXXXXX")
cleanup() { [ "${SENSITIVITY_KEEP:-0}" = 1 ] && echo "scratch copy kept: $scratch" || rm -rf "$scratch"; }
trap cleanup EXIT

# The working tree as it is (tracked and new files, uncommitted edits included; no build output).
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -f "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$scratch"

build() { nice -n 10 dotnet build "$scratch/tests/Cinnabar.Differential" -c Release --nologo -v q > "$1" 2>&1; }
run_tests() {
  nice -n 10 dotnet test "$scratch/tests/Cinnabar.Differential" -c Release --no-build --nologo \
    --filter "$filter" --logger "console;verbosity=normal" > "$1" 2>&1
}

# The first reproduction of each kind in a test log (xunit's "Error Message:" of the first failed randomized
# run, a minimal reproduction, and of the first failed case block, its first mismatch), 24 lines at most each.
first_reproductions() {
  awk '
    /^  Failed Cinnabar\./ { kind = /RandomCommands/ ? "random" : "other"; take = !(kind in seen); seen[kind] = 1; n = 0; msg = 0
                              if (take) print "--- " substr($0, 10); next }
    /^  Error Message:/ { msg = 1; next }
    /^  (Stack Trace|Standard Output Messages):/ { msg = 0; next }
    msg && take && n < 24 { print; n++ }' "$1"
}

# Without a patch the same tests must pass, or no "caught" below means anything (a new generator step, say).
if [ "${SENSITIVITY_BASELINE:-0}" = 1 ]; then
  echo "=== baseline: no patch"
  if ! build "$scratch/baseline.log.build" || ! run_tests "$scratch/baseline.log"; then
    echo "baseline: the suite fails without any planted bug:"
    first_reproductions "$scratch/baseline.log" | sed 's/^/    /'
    tail -n 20 "$scratch/baseline.log.build" "$scratch/baseline.log" | tail -n 20
    exit 2
  fi
  echo "baseline: $(sed -nE 's/^\s*Total tests: ([0-9]+).*/\1/p' "$scratch/baseline.log" | tail -n 1) tests passed"
fi

caught=0 missed=0 broken=0
summary=()
for p in "${patches[@]}"; do
  name=$(basename "$p" .patch)
  log="$scratch/$name.log"
  echo "=== $name: $(sed -n 's/^Bug: //p' "$p" | head -n 1)"
  if ! (cd "$scratch" && git apply "$p"); then
    echo "$name: patch does not apply"; summary+=("$name: patch does not apply"); broken=$((broken + 1)); continue
  fi
  start=$(date +%s)
  if ! build "$log.build"; then
    echo "$name: build failed"; tail -n 20 "$log.build"; summary+=("$name: build failed"); broken=$((broken + 1))
    (cd "$scratch" && git apply -R "$p"); continue
  fi
  run_tests "$log"
  rc=$?
  (cd "$scratch" && git apply -R "$p")
  took=$(( $(date +%s) - start ))
  failed=$(grep -E '^\s+Failed Cinnabar\.' "$log" | sed -E 's/^\s+Failed Cinnabar\.Differential\.//; s/ \[[^]]*\]$//')
  total=$(sed -nE 's/^\s*Total tests: ([0-9]+).*/\1/p' "$log" | tail -n 1)
  if [ -n "$failed" ]; then
    n=$(echo "$failed" | wc -l)
    line="$name: caught ($n of ${total:-?} tests failed, ${took} s): $(echo "$failed" | head -n 3 | paste -sd ';' -)"
    echo "$line"
    first_reproductions "$log" | sed 's/^/    /'
    caught=$((caught + 1))
  elif [ "$rc" -ne 0 ] || [ -z "$total" ]; then
    line="$name: test run broken (exit $rc, no failed test reported)"
    tail -n 20 "$log"
    broken=$((broken + 1))
  else
    line="$name: NOT caught (${total} tests passed, ${took} s)"
    echo "$line"
    missed=$((missed + 1))
  fi
  summary+=("$line")
done

echo
echo "=== sensitivity: ${#patches[@]} planted bugs, $caught caught, $missed NOT caught, $broken broken"
printf '%s\n' "${summary[@]}" | sed -E 's/: caught \(([^,]*), [0-9]+ s\).*/: caught (\1)/'
[ "$broken" -gt 0 ] && exit 2
[ "$missed" -gt 0 ] && exit 1
exit 0
}
main "$@"
