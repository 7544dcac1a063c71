#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# HTTPS: the server given a certificate answers over TLS (and not in clear).
set -euo pipefail
server=$1
command -v openssl >/dev/null && command -v curl >/dev/null || exit 77
data=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$data/key.pem" -out "$data/cert.pem" 2>/dev/null
key=$("$server" admin create-account tls --data "$data" | sed -n 's/^MisKey: //p')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --data "$data" --listen 127.0.0.1:$port --access-log off --no-rip \
    --tls-cert "$data/cert.pem" --tls-key "$data/key.pem" &
pid=$!
for _ in $(seq 100); do
    curl -skf https://127.0.0.1:$port/api/v2 >/dev/null 2>&1 && break
    sleep 0.1
done
[ "$(curl -sk https://127.0.0.1:$port/api/v2)" = '"Logging Server is running."' ]
[ "$(curl -sk -o /dev/null -w '%{http_code}' -X POST -H "MisKey: $key" \
    -H 'Content-Type: application/json' --data '{}' \
    https://127.0.0.1:$port/api/v2/job/list)" = 200 ]
! curl -sf --max-time 2 http://127.0.0.1:$port/api/v2 >/dev/null
echo "TLS ok"
