#!/usr/bin/env bash
# Two jars (before and after a change) and gorilla, in turn, round after round, on one wsload rtt scenario:
# on these machines the speed drifts by a quarter within minutes, so one run of each in a row says less
# about a change than the medians of rounds taken side by side. Prints each run's line and, at the end,
# the medians of the ratios within each round.
#
#   bench/ab.sh [--rounds N] [--compress] BEFORE.jar AFTER.jar [wsload rtt flags]
#
#   --rounds    rounds of the three runs (default 3)
#   --compress  the jars with talk.compression.enabled=true and a compressing client (wsload -compress);
#               gorilla declines compression, so its runs stay uncompressed
# Example (the large-message rounds of docs/performance.md):
#   WSPATH=/echo bench/ab.sh /tmp/before.jar target/talk-to-server.jar -c 10 -size 65536 -expect '' -d 10s
# Environment: WSPATH (default /talk-to-server), RUNS (default /tmp/talk-ab-DATE), WAIT_IDLE (seconds to
# wait for an idle machine before each run, default 10). Everything runs on 127.0.0.1, one server at a time,
# each stopped by its PID (../shared/bench/run-peers.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench/run-peers.sh
rounds=3
compress=0
while (($#)); do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--compress) compress=1; shift ;;
	*) break ;;
	esac
done
if (($# < 2)); then
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
before=$1 after=$2
shift 2
export RUNS=${RUNS:-/tmp/talk-ab-$(date -u +%Y%m%d-%H%M%S)}
export WAIT_IDLE=${WAIT_IDLE:-10}
mkdir -p "$RUNS"
jar_flags=()
java_opts=${JAVA_OPTS:-}
if ((compress)); then
	jar_flags=(-compress)
	java_opts="$java_opts -Dtalk.compression.enabled=true"
fi

# Jars without their warm-up handshakes, as bench/run.sh runs them: the round trips are the measure.
# Every client is 127.0.0.1: the share per client is raised above any count of connections.
java_opts="$java_opts -Dtalk.warm-up.handshakes=0 -Dtalk.max-connections-per-client=20000"

for round in $(seq 1 "$rounds"); do
	LABEL=before-r$round JAVA_OPTS=$java_opts QUIET=1 "$peers" jar "$before" rtt "$@" ${jar_flags[@]+"${jar_flags[@]}"}
	LABEL=after-r$round JAVA_OPTS=$java_opts QUIET=1 "$peers" jar "$after" rtt "$@" ${jar_flags[@]+"${jar_flags[@]}"}
	LABEL=gorilla-r$round QUIET=1 "$peers" gorilla rtt "$@"
done

python3 - "$RUNS" "$rounds" <<'EOF'
import json, statistics, sys
runs, rounds = sys.argv[1], int(sys.argv[2])
def load(label):
    with open(f"{runs}/{label}.json") as f:
        d = json.load(f)
    return d["rt_per_s"], d["server_cpu_us_per_rt"]
rows = {k: [] for k in ("after/before rt/s", "after/before CPU", "before/gorilla rt/s", "after/gorilla rt/s",
                        "before/gorilla CPU", "after/gorilla CPU")}
for r in range(1, rounds + 1):
    (b, bc), (a, ac), (g, gc) = load(f"before-r{r}"), load(f"after-r{r}"), load(f"gorilla-r{r}")
    print(f"round {r}: rt/s before {b:,.0f} after {a:,.0f} gorilla {g:,.0f}; "
          f"server CPU us/rt before {bc:,.0f} after {ac:,.0f} gorilla {gc:,.0f}")
    for k, v in zip(rows, (a / b, ac / bc, b / g, a / g, bc / gc, ac / gc)):
        rows[k].append(v)
for k, v in rows.items():
    print(f"median {k}: {statistics.median(v):.2f}x  (rounds: {', '.join(f'{x:.2f}' for x in v)})")
EOF
