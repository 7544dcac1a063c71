#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Load bench of ripline-server with wrk on loopback: job status (GET) and
# job submission (POST Job XML) at 64 connections. Prints requests/s and
# p50/p99 latency. RIPLINE_BENCH_SMOKE=1: one second each, as a smoke test.
# Usage: run.sh PATH/TO/ripline-server [seconds] [connections]
set -euo pipefail
server=$1
seconds=${2:-10}
connections=${3:-64}
[ "${RIPLINE_BENCH_SMOKE:-0}" = 1 ] && seconds=1
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "skipped: install wrk"; exit 77; }
data=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
export RIPLINE_MIS_KEY=$("$server" admin create-account bench --data "$data" |
    sed -n 's/^MisKey: //p')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --data "$data" --listen 127.0.0.1:$port --access-log off \
    --no-rip --threads "${RIPLINE_SERVER_THREADS:-2}" &
pid=$!
for _ in $(seq 100); do
    curl -sf http://127.0.0.1:$port/api/v2 >/dev/null 2>&1 && break
    sleep 0.1
done
base=http://127.0.0.1:$port
job=7c2e4a9b-1f3d-4e5a-8b6c-0d9e8f7a6b5c
curl -sf -H "MisKey: $RIPLINE_MIS_KEY" -H 'Content-Type: application/xml' \
    --data "<Job Version=\"2\"><JobGUID>$job</JobGUID><Name>b</Name></Job>" \
    $base/api/v2/job >/dev/null

threads=${RIPLINE_WRK_THREADS:-2}
run() {
    local name=$1; shift
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@")
    local rps p
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p=$(grep -E '^p50_ms' <<<"$out")
    echo "$name: connections=$connections seconds=$seconds requests_per_s=$rps $p"
}
run job_status -s "$here/status.lua" "$base/api/v2/job/$job/status"
run job_submit -s "$here/submit.lua" "$base/api/v2/job"
