#!/usr/bin/env bash
# The standard performance scenarios of the README's "Performance" section, against this project's jar
# and the peers in ../shared/bench (the blog's Go server, gin + gorilla/websocket, and Node's ws), in
# one run, with a Markdown table of the results and their ratios against gorilla.
#
#   bench/run.sh [--smoke] [--no-build] [PEER...]      PEER: jar gorilla node-ws (default: all three)
#
#   --smoke     a few seconds of each scenario against the jar alone: proves the script works (CI)
#   --no-build  use target/talk-to-server.jar as it is
# Environment: REPEAT (default 2), WAIT_IDLE (seconds to wait for an idle machine before each run,
#   default 60), JAVA_OPTS (for the jar), RUNS (output folder, default /tmp/talk-bench-DATE).
# Output: one summary line per run in $RUNS/summary.txt, start-up times in $RUNS/startup.txt, and the
# tables in $RUNS/results.md.
# Everything runs on 127.0.0.1, bounded in time; every server started is stopped by its PID.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$root/../shared/bench
smoke=0
build=1
peers=()
for arg in "$@"; do
	case $arg in
	--smoke) smoke=1 ;;
	--no-build) build=0 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	jar | gorilla | node-ws) peers+=("$arg") ;;
	*) echo "bench: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
	esac
done
((${#peers[@]})) || peers=(jar gorilla node-ws)
((smoke)) && peers=(jar)
[[ -d $shared ]] || { echo "bench: $shared not found: the bench tools come from ../shared/bench" >&2; exit 1; }

export RUNS=${RUNS:-/tmp/talk-bench-$(date +%Y%m%d-%H%M%S)}
export BIN=${BIN:-/tmp/wsbench-bin}
mkdir -p "$RUNS"
touch "$RUNS/startup.txt"
jar=$root/target/talk-to-server.jar
log() { echo "bench: $*" >&2; }

if ((build)); then
	log "building the jar"
	(cd "$root" && ./mvnw -B -q package -DskipTests)
fi
[[ -x $BIN/wsload ]] || "$shared/wsload/build.sh" "$BIN" >&2
for peer in "${peers[@]}"; do
	case $peer in
	gorilla) [[ -x $BIN/gorilla ]] || "$shared/peers/gorilla/build.sh" "$BIN" >&2 ;;
	node-ws) [[ -f $BIN/node-ws/server.js ]] || "$shared/peers/node-ws/build.sh" "$BIN" >&2 ;;
	esac
done

# run LABEL PEER WSLOAD-ARGS...: one run-peers.sh run; a failed run is reported, not fatal.
run() {
	local label=$1 peer=$2
	shift 2
	local spec=("$peer")
	[[ $peer == jar ]] && spec=(jar "$jar")
	log "$label"
	LABEL=$label "$shared/run-peers.sh" "${spec[@]}" "$@" >/dev/null || log "$label: wsload exited $?"
}

if ((smoke)); then
	export WAIT_IDLE=0
	run "jar-rtt100-smoke" jar rtt -c 10 -w 1s -d 2s -max-err 0
	run "jar-conns-smoke" jar conns -c 200 -rate 1000 -hold 1s -max-err 0
	python3 "$root/bench/first-handshake.py" --runs 1 "${PORT:-18097}" -- java ${JAVA_OPTS:-} -jar "$jar" \
		--server.port="${PORT:-18097}" --server.address=127.0.0.1 >>"$RUNS/startup.txt"
else
	export WAIT_IDLE=${WAIT_IDLE:-60}
	for rep in $(seq 1 "${REPEAT:-2}"); do
		for peer in "${peers[@]}"; do
			# The JIT compiles the hot path during the first seconds: a longer warm-up for the JVM.
			warm=5s
			[[ $peer == jar ]] && warm=30s
			run "$peer-rtt100-r$rep" "$peer" rtt -c 100 -w "$warm" -d 20s
			run "$peer-rtt1000-r$rep" "$peer" rtt -c 1000 -w "$warm" -d 20s
			# 19,000 is above the shipped cap of 10,000 (talk.max-connections): raised for this run only.
			JAVA_OPTS="${JAVA_OPTS:-} -Dtalk.max-connections=19500" \
				run "$peer-conns19k-r$rep" "$peer" conns -c 19000 -rate 1000 -hold 20s
		done
	done
	if [[ " ${peers[*]} " == *" jar "* ]]; then
		python3 "$root/bench/first-handshake.py" --runs 5 "${PORT:-18097}" -- java ${JAVA_OPTS:-} -jar "$jar" \
			--server.port="${PORT:-18097}" --server.address=127.0.0.1 >>"$RUNS/startup.txt"
	fi
fi

python3 "$root/bench/report.py" "$RUNS/summary.txt" "$RUNS/startup.txt" >"$RUNS/results.md"
"$shared/table.sh" "$RUNS/summary.txt" >>"$RUNS/results.md"
cat "$RUNS/results.md"
if ((smoke)); then
	# The smoke run must have measured something, without a failed connection.
	grep -q 'label=jar-rtt100-smoke .*wsload_exit=0 ' "$RUNS/summary.txt" &&
		grep -q 'label=jar-conns-smoke .*wsload_exit=0 ' "$RUNS/summary.txt" &&
		grep -q '^median_first_handshake_s=' "$RUNS/startup.txt" ||
		{ log "smoke run failed: see $RUNS"; exit 1; }
	log "smoke run OK"
fi
