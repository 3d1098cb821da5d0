#!/usr/bin/env bash
# The README's emulator curl session, run for real: starts `lineworks-sync emulator --port 0`, then
# follows the reference (lineworks-drive-api.md) with curl: authorize → token → createfolder →
# upload URL → upload (multipart Filedata) → list → download 302 → storage GET with Range → delete.
# Prints each command as the README shows it ("$ …", variables unexpanded) and its real output, and
# exits non-zero as soon as a status or body differs from the reference.
# Usage: bench/emulator-curl-session.sh        (needs a built tree: npm run build; curl; node)
# test/emulator/curl-session.test.ts runs it and checks that the README shows the same commands.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lwsync-curl-XXXXXX")
EMU_PID=
cleanup() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP"

# Prints the command as typed, then runs it in this shell (so assignments stay).
step() {
  printf '$ %s\n' "$1"
  eval "$1"
}
fail() {
  echo "emulator-curl-session: $*" >&2
  exit 1
}
# The status on the last line of `out` (curl -w '\n%{http_code}\n') must be $1.
expect_status() {
  local got
  got=$(tail -n 1 out)
  [ "$got" = "$1" ] || fail "expected HTTP $1, got $got: $(head -n 1 out)"
}

printf '$ %s\n' 'node bin/lineworks-sync.js emulator --port 0 > emu.out &'
node "$ROOT/bin/lineworks-sync.js" emulator --port 0 >emu.out &
EMU_PID=$!
for _ in $(seq 1 100); do
  [ -s emu.out ] && break
  sleep 0.1
done
step 'head -1 emu.out'
step "j() { node -pe \"JSON.parse(require('fs').readFileSync(0, 'utf8'))\$1\"; }   # a tiny JSON picker"
step 'API=$(head -1 emu.out | j .api); AUTH=$(head -1 emu.out | j .auth)'

# 1. OAuth authorization code (reference §1): immediate consent, 302 to the loopback redirect.
step 'curl -s -o /dev/null -w '\''%{http_code} %{redirect_url}\n'\'' "$AUTH/authorize?client_id=emulator-client&redirect_uri=http://127.0.0.1:8765/callback&scope=file&response_type=code&state=s1" | tee out'
grep -q '^302 http://127.0.0.1:8765/callback?code=.*&state=s1$' out || fail "authorize: $(cat out)"
step 'CODE=$(sed '\''s/.*code=\([^&]*\).*/\1/'\'' out)'
step 'curl -s -w '\''\n%{http_code}\n'\'' "$AUTH/token" -d grant_type=authorization_code -d "code=$CODE" -d client_id=emulator-client -d client_secret=emulator-secret -d redirect_uri=http://127.0.0.1:8765/callback | tee out'
expect_status 200
[ "$(head -n 1 out | j .expires_in)" = 86400 ] || fail 'token: expires_in'
head -n 1 out | grep -q '"expires_in":"86400"' || fail 'token: expires_in is not a string'
step 'AUTHZ="Authorization: Bearer $(head -1 out | j .access_token)"'

# 2. Create a folder in My Drive's root (reference §4): 201 File.
step 'curl -s -w '\''\n%{http_code}\n'\'' -X POST "$API/users/me/drive/files/createfolder" -H "$AUTHZ" -H '\''Content-Type: application/json'\'' -d '\''{"fileName":"docs"}'\'' | tee out'
expect_status 201
[ "$(head -n 1 out | j .fileType)" = FOLDER ] || fail 'createfolder: fileType'
step 'FOLDER=$(head -1 out | j .fileId)'

# 3. Create the upload URL in that folder (reference §5 step 1): 200 {uploadUrl, offset}.
step 'printf '\''Hello, LINE WORKS Drive!\n'\'' > hello.txt'
step 'curl -s -w '\''\n%{http_code}\n'\'' -X POST "$API/users/me/drive/files/$FOLDER" -H "$AUTHZ" -H '\''Content-Type: application/json'\'' -d '\''{"fileName":"hello.txt","fileSize":25,"modifiedTime":"2024-05-01T10:00:00+09:00"}'\'' | tee out'
expect_status 200
[ "$(head -n 1 out | j .offset)" = 0 ] || fail 'upload URL: offset'
step 'UPLOAD_URL=$(head -1 out | j .uploadUrl)'

# 4. Send the bytes to the storage host (reference §5 step 2): multipart part `Filedata`, 201 File.
step 'curl -s -w '\''\n%{http_code}\n'\'' -H "$AUTHZ" -F Filedata=@hello.txt "$UPLOAD_URL" | tee out'
expect_status 201
[ "$(head -n 1 out | j .filePath)" = /docs/hello.txt ] || fail 'upload: filePath'
[ "$(head -n 1 out | j .modifiedTime)" = 2024-05-01T10:00:00+09:00 ] || fail 'upload: modifiedTime'
step 'FILE=$(head -1 out | j .fileId)'

# 5. List the folder's children (reference §4): 200 {files, responseMetaData}, no nextCursor at the end.
step 'curl -s -w '\''\n%{http_code}\n'\'' -H "$AUTHZ" "$API/users/me/drive/files/$FOLDER/children?count=20&orderBy=fileName%20asc" | tee out'
expect_status 200
[ "$(head -n 1 out | j '.files.map(f => f.fileName).join()')" = hello.txt ] || fail 'list: files'
[ "$(head -n 1 out | j '.responseMetaData.nextCursor')" = undefined ] || fail 'list: nextCursor'

# 6. Download (reference §6): exactly 302 to the storage origin.
step 'curl -s -o /dev/null -w '\''%{http_code} %{redirect_url}\n'\'' -H "$AUTHZ" "$API/users/me/drive/files/$FILE/download" | tee out'
STORAGE=$(head -n 1 emu.out | j .storage)
grep -q "^302 $STORAGE/download/" out || fail "download: $(cat out)"
step 'LOCATION=$(cut -d'\'' '\'' -f2 out)'

# 7. GET the storage URL with Authorization again and a Range: 206 Partial Content.
step 'curl -s -i -H "$AUTHZ" -H '\''Range: bytes=7-'\'' "$LOCATION" | tr -d '\''\r'\'' | grep -v -i -e ^date: -e ^connection: -e ^keep-alive: | tee out'
grep -q '^HTTP/1.1 206 Partial Content$' out || fail 'range: status'
grep -q -i '^content-range: bytes 7-24/25$' out || fail 'range: Content-Range'
[ "$(tail -n 1 out)" = 'LINE WORKS Drive!' ] || fail 'range: body'

# 8. Delete (reference §4): 204, the file goes to the trash and leaves the listing.
step 'curl -s -o /dev/null -w '\''%{http_code}\n'\'' -X DELETE -H "$AUTHZ" "$API/users/me/drive/files/$FILE" | tee out'
[ "$(cat out)" = 204 ] || fail "delete: $(cat out)"
step 'curl -s -w '\''\n%{http_code}\n'\'' -H "$AUTHZ" "$API/users/me/drive/files/$FOLDER/children" | tee out'
expect_status 200
[ "$(head -n 1 out)" = '{"files":[],"responseMetaData":{}}' ] || fail 'list after delete'

printf '$ %s\n' 'kill %1'
kill "$EMU_PID"
wait "$EMU_PID" || fail "the emulator exited with $? on SIGTERM"
EMU_PID=
[ -s "$TMP/emu.out" ] && [ "$(wc -l <emu.out)" = 1 ] || fail 'the emulator printed more than its URL line'
