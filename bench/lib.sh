# Shared start of the benchmark scripts that run redis-server and Cinnabar one after the other: the interop
# helpers (start_server, stop_server, stop_all_servers, build_cinnabar), a work folder removed on exit with
# every server stopped by PID, a Release build, and rss_kb PID (VmRSS in KiB). Source it after the env defaults.
# shellcheck source=../tests/interop/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../tests/interop/lib.sh"

WORK=$(mktemp -d)
trap 'stop_all_servers; rm -rf "$WORK"' EXIT

echo "building Release..." >&2
build_cinnabar

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
