#!/usr/bin/env bash
# Talks to the packaged server with wscat, the Node.js client that the README suggests and that shares
# no code with this project: starts target/talk-to-server.jar on a free port of 127.0.0.1, sends two
# messages to /talk-to-server and expects "Hello from server!" for each, checks that /echo echoes and
# that a handshake with another site's Origin is refused with 403, then stops the server (SIGTERM, by
# its PID, whatever happened) and expects a graceful exit. Then the same jar again with wss:// (a
# certificate made with keytool for this run) and a token: wscat, trusting that certificate with --ca,
# gets its replies with the token as a Bearer header and as the subprotocol pair (talk, bearer.TOKEN),
# gets 401 without it, and the token appears nowhere in the server's log.
#
# Usage: scripts/wscat-check.sh      (after ./mvnw package or ./mvnw verify)
# Environment (all optional):
#   JAR            the server jar (default: target/talk-to-server.jar)
#   WSCAT          a wscat to use, instead of installing wscat@6 from npm into a temporary folder
#   READY_TIMEOUT  seconds to wait for the server to be ready (default: 60)
# wscat reads standard input even with --execute, and exits as soon as it ends, before any reply has
# come (printing nothing, with status 0). So it is given a FIFO that this script holds open: stdin
# never ends, and wscat exits when --wait closes the connection. Without a terminal it prints each
# message received on a line of its own, and errors on stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

for arg in "$@"; do
  case $arg in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "wscat-check: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

jar=${JAR:-target/talk-to-server.jar}
ready_timeout=${READY_TIMEOUT:-60}
wscat_timeout=20
stop_timeout=30
reply="Hello from server!"
tmp=$(mktemp -d)
pid=

step() { echo "wscat-check: $*"; }

fail() {
  echo "wscat-check: FAILED: $*" >&2
  if [ -f "$tmp/server.log" ]; then
    echo "wscat-check: ----- server log (last 50 lines) -----" >&2
    tail -n 50 "$tmp/server.log" >&2
    echo "wscat-check: ----- end of server log -----" >&2
  fi
  exit 1
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  exec 3>&-
  # Only the server this run started, by its PID.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((stop_timeout * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "wscat-check: interrupted" >&2; exit 130' INT
trap 'echo "wscat-check: interrupted" >&2; exit 143' TERM

[ -f "$jar" ] || { echo "wscat-check: $jar not found; run ./mvnw package first" >&2; exit 2; }
command -v curl >/dev/null || { echo "wscat-check: curl is not installed" >&2; exit 2; }

if [ -z "${WSCAT:-}" ]; then
  command -v npm >/dev/null || { echo "wscat-check: npm is not installed (apt-get install nodejs npm)" >&2; exit 2; }
  step "installing wscat@6 into a temporary folder"
  timeout 300 npm install --prefix "$tmp/npm" --no-audit --no-fund --no-update-notifier --loglevel=error \
    wscat@6 >/dev/null || fail "npm install wscat@6 failed"
  WSCAT=$tmp/npm/node_modules/.bin/wscat
fi
step "using wscat $("$WSCAT" --version) ($WSCAT), node $(node --version)"

# start_server SCHEME [ARGS...]: the jar on a free port of 127.0.0.1 (port 0: the server takes one and
# says which in its log), until its readiness probe answers; sets pid and port.
start_server() {
  local scheme=$1
  shift
  step "starting $jar on 127.0.0.1 ($scheme)"
  java -jar "$jar" --server.address=127.0.0.1 --server.port=0 "$@" >"$tmp/server.log" 2>&1 &
  pid=$!
  port=
  local deadline=$((SECONDS + ready_timeout))
  until [ -n "$port" ] && curl -sf --cacert "$tmp/talk.pem" "$scheme://localhost:$port/actuator/health/readiness" >/dev/null
  do
    kill -0 "$pid" 2>/dev/null || fail "the server exited before it was ready"
    [ "$SECONDS" -lt "$deadline" ] || fail "the server was not ready within ${ready_timeout}s"
    sleep 0.2
    port=$(sed -n 's/.*Tomcat started on port \([0-9][0-9]*\).*/\1/p' "$tmp/server.log" | head -n 1)
  done
  step "server ready on port $port (PID $pid)"
}

# stop_server: SIGTERM, and a graceful exit (143) expected.
stop_server() {
  step "stopping the server (SIGTERM to PID $pid)"
  kill -TERM "$pid"
  local status=0
  timeout "$stop_timeout" tail --pid="$pid" -f /dev/null || fail "the server did not stop within ${stop_timeout}s"
  wait "$pid" || status=$?
  pid=
  [ "$status" = 143 ] || fail "the server exited with $status after SIGTERM, expected 143 (graceful shutdown)"
}

# A self-signed certificate for localhost, for the wss:// part (curl's --cacert needs a file before).
keytool -genkeypair -alias talk -keyalg EC -groupname secp256r1 -validity 2 -dname CN=localhost \
  -ext SAN=dns:localhost,ip:127.0.0.1 -keystore "$tmp/talk.p12" -storetype PKCS12 -storepass changeit \
  >/dev/null 2>&1 || fail "keytool could not make a certificate"
keytool -exportcert -rfc -alias talk -keystore "$tmp/talk.p12" -storepass changeit -file "$tmp/talk.pem" \
  >/dev/null 2>&1 || fail "keytool could not export the certificate"

start_server http

mkfifo "$tmp/stdin"
exec 3<>"$tmp/stdin"

# Runs wscat against PATH (on $scheme://localhost) with the given options; its output goes to $tmp/out
# and $tmp/err.
scheme=ws
wscat_run() {
  local path=$1
  shift
  timeout "$wscat_timeout" "$WSCAT" --connect "$scheme://localhost:$port$path" "$@" <&3 >"$tmp/out" 2>"$tmp/err"
}

step "/talk-to-server: two messages"
wscat_run /talk-to-server --execute "Hello from wscat" --execute "Hello again" --wait 2 \
  || fail "wscat exited with $?: $(cat "$tmp/err")"
expected=$(printf '%s\n%s' "$reply" "$reply")
[ "$(cat "$tmp/out")" = "$expected" ] \
  || fail "expected two lines of '$reply' from /talk-to-server, got: '$(cat "$tmp/out")' $(cat "$tmp/err")"
grep -F 'sent 16 chars: "Hello from wscat"' "$tmp/server.log" >/dev/null \
  || fail "the server did not log the message from wscat"

step "/echo: a message comes back as it was sent"
wscat_run /echo --execute "echo, échó" --wait 2 || fail "wscat exited with $?: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "echo, échó" ] || fail "expected 'echo, échó' from /echo, got: '$(cat "$tmp/out")'"

step "a handshake with another site's Origin is refused with 403"
if wscat_run /talk-to-server --origin https://evil.example --execute "let me in" --wait 2; then
  fail "the handshake with Origin https://evil.example was accepted"
fi
grep -F "Unexpected server response: 403" "$tmp/err" >/dev/null \
  || fail "expected wscat to report 403, got: $(cat "$tmp/err")"

stop_server

token=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
start_server https --server.ssl.bundle=talk --spring.ssl.bundle.jks.talk.keystore.location="file:$tmp/talk.p12" \
  --spring.ssl.bundle.jks.talk.keystore.password=changeit --spring.ssl.bundle.jks.talk.keystore.type=PKCS12 \
  --talk.auth.tokens="$token"
scheme=wss

step "wss:// with the token as a Bearer header"
wscat_run /talk-to-server --ca "$tmp/talk.pem" -H "Authorization: Bearer $token" --execute "over TLS" --wait 2 \
  || fail "wscat exited with $?: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "$reply" ] || fail "expected '$reply' over wss://, got: '$(cat "$tmp/out")' $(cat "$tmp/err")"

step "wss:// with the token as a subprotocol beside talk, as a browser sends it"
wscat_run /talk-to-server --ca "$tmp/talk.pem" -s talk -s "bearer.$token" --execute "from a page" --wait 2 \
  || fail "wscat exited with $?: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "$reply" ] || fail "expected '$reply' with the subprotocol token, got: '$(cat "$tmp/out")' $(cat "$tmp/err")"

step "wss:// without a token is refused with 401"
if wscat_run /talk-to-server --ca "$tmp/talk.pem" --execute "let me in" --wait 2; then
  fail "the handshake without a token was accepted"
fi
grep -F "Unexpected server response: 401" "$tmp/err" >/dev/null \
  || fail "expected wscat to report 401, got: $(cat "$tmp/err")"

step "the token is nowhere in the server's log"
if grep -F "$token" "$tmp/server.log" >/dev/null; then
  fail "the server's log shows the token"
fi
stop_server

step "OK"
