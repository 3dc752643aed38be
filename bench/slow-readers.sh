#!/usr/bin/env bash
# Clients that send as fast as they can and never read, against the packaged jar at the pod's heap
# (-Xmx384m), reconnecting whenever the server drops them, as an attacker would; meanwhile a well-behaved
# client's round trip and the liveness probe are timed every 0.5 s from a process of their own
# (bench/bad-clients.py). One fresh server per count and endpoint: /echo gets 1 MiB binary messages,
# /talk-to-server small text messages, pipelined.
#
#   bench/slow-readers.sh [--jar JAR] [--java JAVA] [--counts "8 300 1000"] [--hold SECONDS] [--smoke]
#
#   --jar     the jar to run (default target/talk-to-server.jar, built by ./mvnw package)
#   --java    the java to run it with (default: java on the PATH); repeatable, each gets every run
#   --counts  numbers of non-reading clients (default "8 300 1000")
#   --hold    seconds each run holds them (default 30)
#   --smoke   8 clients for 3 s on each endpoint: proves the script works (CI)
# Environment: JAR_ARGS, more arguments for the jar (for a comparison: --spring.threads.virtual.enabled=true),
#   RUNS (output folder, default /tmp/talk-slow-readers-DATE).
# The goal (docs/performance.md, Slow readers): liveness and the good client's round trip each under
# 500 ms at worst, none failed, no OutOfMemoryError. Exit status 1 when a run misses it, 0 otherwise.
# Output: one JSON line per run in $RUNS/slow-readers.jsonl, a Markdown table on stdout.
# Everything on 127.0.0.1, bounded in time; each server started is stopped by its PID.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$root/target/talk-to-server.jar
javas=()
counts="8 300 1000"
hold=30
while (($#)); do
	case $1 in
	--jar) jar=${2:?}; shift ;;
	--java) javas+=("${2:?}"); shift ;;
	--counts) counts=${2:?}; shift ;;
	--hold) hold=${2:?}; shift ;;
	--smoke) counts=8; hold=3 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "slow-readers: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
((${#javas[@]})) || javas=(java)
[[ -f $jar ]] || { echo "slow-readers: $jar not found: ./mvnw package first" >&2; exit 1; }
export RUNS=${RUNS:-/tmp/talk-slow-readers-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RUNS"
log() { echo "slow-readers: $*" >&2; }
# The probes' open files, and the non-readers' (up to 1,000 at once, and as many reconnecting).
ulimit -n "$(ulimit -Hn)"

server=
stop_server() {
	[[ -n $server ]] || return 0
	kill -TERM "$server" 2>/dev/null || true
	for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
	server=
}
trap stop_server EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

missed=0
echo "| java | endpoint | non-readers | liveness: answers, failed, slowest | good client: round trips, failed, slowest | reconnects | OutOfMemoryError | goal |"
echo "|---|---|---|---|---|---|---|---|"
for java in "${javas[@]}"; do
	version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
	for path in /echo /talk-to-server; do
		for n in $counts; do
			label="java$(echo "$version" | cut -d. -f1)-${path#/}-$n"
			port=$(free_port)
			# Every client here is 127.0.0.1: the share per client is raised to the cap for these runs.
			# shellcheck disable=SC2086 # JAR_ARGS is a list of arguments
			"$java" -Xmx384m -jar "$jar" --server.port="$port" --server.address=127.0.0.1 \
				--talk.max-connections-per-client=10000 ${JAR_ARGS:-} \
				>"$RUNS/$label.server.log" 2>&1 &
			server=$!
			for _ in $(seq 1 1200); do
				curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" && break
				kill -0 "$server" 2>/dev/null || break
				sleep 0.1
			done
			kind=(--noread "$n")
			[[ $path == /echo ]] && kind=(--noread-echo "$n")
			log "$label: $n non-readers on $path for $hold s"
			python3 "$root/bench/bad-clients.py" --port "$port" "${kind[@]}" --reconnect --hold "$hold" --json \
				>"$RUNS/$label.json" 2>"$RUNS/$label.err" || log "$label: bad-clients.py failed (see $RUNS/$label.err)"
			stop_server
			ooms=$(grep -c 'OutOfMemoryError' "$RUNS/$label.server.log" || true)
			line=$(python3 - "$RUNS/$label.json" "$label" "$version" "$path" "$n" "$ooms" <<'EOF'
import json, sys
path, label, version, endpoint, n, ooms = sys.argv[1:]
try:
    r = json.load(open(path))
except (OSError, ValueError):
    print(json.dumps({"label": label, "error": "no result"})); sys.exit()
r.update(label=label, java=version, endpoint=endpoint, non_readers=int(n), ooms=int(ooms))
live, good = r["liveness"], r["good_client"]
r["goal_met"] = (live["failed"] == 0 and good["failed"] == 0 and live["slowest_s"] < 0.5
                 and good["slowest_s"] < 0.5 and int(ooms) == 0 and live["count"] > 0 and good["count"] > 0)
print(json.dumps(r))
EOF
			)
			echo "$line" >>"$RUNS/slow-readers.jsonl"
			python3 - "$line" <<'EOF'
import json, sys
r = json.loads(sys.argv[1])
if "error" in r:
    print(f"| {r['label']} | | | {r['error']} | | | | missed |"); sys.exit()
live, good = r["liveness"], r["good_client"]
print(f"| {r['java']} | {r['endpoint']} | {r['non_readers']} | {live['count']}, {live['failed']}, "
      f"{live['slowest_s'] * 1000:.0f} ms | {good['count']}, {good['failed']}, {good['slowest_s'] * 1000:.0f} ms | "
      f"{r['reconnects']} | {r['ooms']} | {'met' if r['goal_met'] else 'missed'} |")
EOF
			grep -q '"goal_met": true' <<<"$line" || missed=1
		done
	done
done
log "runs in $RUNS"
exit "$missed"
