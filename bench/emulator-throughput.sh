#!/usr/bin/env bash
# Emulator throughput on loopback: starts `lineworks-sync emulator` under /usr/bin/time -v, logs in
# with curl (OAuth authorization code), uploads then downloads one file of SIZE_MIB MiB with curl,
# prints MB/s each way and the emulator's peak RSS.
# Usage: bench/emulator-throughput.sh [SIZE_MIB (default 1024)] [upload-only]
# Needs a built tree (npm run build), curl, sha256sum and /usr/bin/time.
set -euo pipefail

SIZE_MIB=${1:-1024}
MODE=${2:-both}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lwsync-bench-XXXXXX")
EMU_TIME_PID=
cleanup() {
  if [ -n "$EMU_TIME_PID" ]; then
    local child
    child=$(pgrep -P "$EMU_TIME_PID" || true)
    if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
    wait "$EMU_TIME_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP/data"
/usr/bin/time -v -o "$TMP/time.txt" node "$ROOT/bin/lineworks-sync.js" emulator --port 0 --data "$TMP/data" --rate-limit 0 \
  >"$TMP/emu.out" 2>"$TMP/emu.err" &
EMU_TIME_PID=$!
for _ in $(seq 1 100); do
  [ -s "$TMP/emu.out" ] && break
  sleep 0.1
done
URLS=$(head -n 1 "$TMP/emu.out")
field() { node -e 'const o=JSON.parse(process.argv[1]); process.stdout.write(String(o[process.argv[2]]))' "$1" "$2"; }
API=$(field "$URLS" api)
AUTH=$(field "$URLS" auth)
ADMIN=$(field "$URLS" admin)

REDIRECT='http://127.0.0.1:9/callback'
LOCATION=$(curl -s -o /dev/null -w '%{redirect_url}' \
  "$AUTH/authorize?client_id=emulator-client&redirect_uri=$REDIRECT&scope=file&response_type=code&state=bench")
CODE=$(node -e 'process.stdout.write(new URL(process.argv[1]).searchParams.get("code"))' "$LOCATION")
TOKEN_JSON=$(curl -s -X POST "$AUTH/token" \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$CODE" \
  --data-urlencode client_id=emulator-client --data-urlencode client_secret=emulator-secret \
  --data-urlencode "redirect_uri=$REDIRECT")
TOKEN=$(field "$TOKEN_JSON" access_token)

echo "creating a ${SIZE_MIB} MiB file of random bytes" >&2
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$TMP/src.bin"
SIZE=$(stat -c %s "$TMP/src.bin")
SRC_SHA=$(sha256sum "$TMP/src.bin" | cut -d' ' -f1)

UP_JSON=$(curl -s -X POST "$API/users/me/drive/files" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d "{\"fileName\":\"bench.bin\",\"fileSize\":$SIZE}")
UPLOAD_URL=$(field "$UP_JSON" uploadUrl)
UP=$(curl -s -o "$TMP/up.json" -w '%{http_code} %{time_total}' -X PUT -T "$TMP/src.bin" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' -H 'Expect:' "$UPLOAD_URL")
read -r UP_STATUS UP_SECS <<<"$UP"
[ "$UP_STATUS" = 201 ] || { echo "upload answered $UP_STATUS: $(cat "$TMP/up.json")" >&2; exit 1; }
FILE_ID=$(field "$(cat "$TMP/up.json")" fileId)
TREE_SHA=$(curl -s "$ADMIN/tree?drive=me" | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>process.stdout.write(String(JSON.parse(s)[0].sha256)))')
[ "$TREE_SHA" = "$SRC_SHA" ] || { echo "sha256 mismatch after upload" >&2; exit 1; }
mbps() { node -e 'process.stdout.write((Number(process.argv[1]) / 1e6 / Number(process.argv[2])).toFixed(1))' "$1" "$2"; }
echo "upload:   ${SIZE} bytes in ${UP_SECS}s = $(mbps "$SIZE" "$UP_SECS") MB/s"

if [ "$MODE" != upload-only ]; then
  LOC=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Authorization: Bearer $TOKEN" \
    "$API/users/me/drive/files/$FILE_ID/download")
  DOWN=$(curl -s -o "$TMP/dst.bin" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" "$LOC")
  read -r DOWN_STATUS DOWN_SECS <<<"$DOWN"
  [ "$DOWN_STATUS" = 200 ] || { echo "download answered $DOWN_STATUS" >&2; exit 1; }
  DST_SHA=$(sha256sum "$TMP/dst.bin" | cut -d' ' -f1)
  [ "$DST_SHA" = "$SRC_SHA" ] || { echo "sha256 mismatch after download" >&2; exit 1; }
  echo "download: ${SIZE} bytes in ${DOWN_SECS}s = $(mbps "$SIZE" "$DOWN_SECS") MB/s"
fi

CHILD=$(pgrep -P "$EMU_TIME_PID" || true)
[ -n "$CHILD" ] && kill -TERM "$CHILD"
wait "$EMU_TIME_PID" || true
EMU_TIME_PID=
RSS_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")
echo "emulator peak RSS: $((RSS_KB / 1024)) MiB ($RSS_KB kB, Maximum resident set size of /usr/bin/time -v)"
