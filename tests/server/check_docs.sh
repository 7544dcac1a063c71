#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Lints the served OpenAPI document (redocly), runs the Postman collection
# against a live server (newman) and renders the docs page in headless
# Chromium. Exits 77 (skipped) when the npm tools or chromium are missing.
set -euo pipefail
server=$1
tools=$2
bin=$tools/node_modules/.bin
if [ ! -x "$bin/redocly" ] || [ ! -x "$bin/newman" ] ||
   ! command -v chromium >/dev/null; then
    echo "skipped: run npm ci in tools/server and install chromium"
    exit 77
fi
data=$(mktemp -d)
profile=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data" "$profile"' EXIT
key=$("$server" admin create-account docs --data "$data" | sed -n 's/^MisKey: //p')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --data "$data" --listen 127.0.0.1:$port --access-log off --no-rip &
pid=$!
for _ in $(seq 100); do
    curl -sf http://127.0.0.1:$port/api/v2 >/dev/null 2>&1 && break
    sleep 0.1
done
base=http://127.0.0.1:$port

# 1. The OpenAPI document is valid OpenAPI 3.
curl -sf $base/api/v2/openapi.json > "$data/openapi.json"
"$bin/redocly" lint "$data/openapi.json" --format=stylish \
    --skip-rule=operation-4xx-response --skip-rule=info-license-url \
    --skip-rule=no-server-example.com --skip-rule=security-defined \
    --skip-rule=operation-summary --skip-rule=no-ambiguous-paths \
    --skip-rule=no-identical-paths --skip-rule=path-parameters-defined

# 2. The committed collection is what the generator makes from it.
node "$tools/postman/generate.mjs" "$data/openapi.json" "$data/fresh.json"
diff -q "$data/fresh.json" "$tools/postman/ripline.postman_collection.json"

# 3. Every request of the collection answers below 500 on a live server.
"$bin/newman" run "$tools/postman/ripline.postman_collection.json" \
    --env-var baseUrl=$base --env-var MisKey=$key --bail failure \
    --reporters cli --reporter-cli-no-summary >/dev/null

# 4. The docs page renders one entry per documented operation.
ops=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(m) for m in d["paths"].values()))' "$data/openapi.json")
dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" \
    --virtual-time-budget=5000 --dump-dom $base/api/v2/docs 2>/dev/null)
shown=$(grep -o 'data-route="' <<<"$dom" | wc -l)
echo "docs page shows $shown of $ops operations"
[ "$shown" -eq "$ops" ]
grep -q 'data-ready="true"' <<<"$dom"
