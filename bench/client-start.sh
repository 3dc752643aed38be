#!/usr/bin/env bash
# How long the client's one-shot run takes, against `java -version` in the same run: the packaged
# server is started on a free port of 127.0.0.1, then each command runs in turn, N times, and the table
# gives each one's median, its range, and its median over that of `java -version` (the goal of
# docs/client.md: at most 10x).
#
#   bench/client-start.sh [--runs N] [--image TAG] [--java25]
#
#   --runs N     runs of each command (default 10)
#   --image TAG  also `podman run --rm --network host TAG client URL`, against
#                `podman run ... --entrypoint java TAG -version` (the engine's own time is in both)
#   --java25     also the jar on Java 25 (JAVA25), with and without an AOT cache of a client run
# Environment: JAVA (default java), JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
#   JAR (default target/talk-to-server.jar: ./mvnw package first), CONTAINER_ENGINE (default podman).
# Everything runs on 127.0.0.1, bounded in time; the server is stopped by its PID at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=10
image=
java25_too=0
while (($#)); do
	case $1 in
	--runs) runs=${2:?--runs needs a number}; shift ;;
	--image) image=${2:?--image needs a tag}; shift ;;
	--java25) java25_too=1 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "client-start: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
java=${JAVA:-java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jar=${JAR:-$root/target/talk-to-server.jar}
engine=${CONTAINER_ENGINE:-podman}
[ -f "$jar" ] || { echo "client-start: no $jar: run ./mvnw package first" >&2; exit 1; }
work=$(mktemp -d)
server=
cleanup() {
	[ -z "$server" ] || { kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; } || true
	rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$java" -jar "$jar" --server.address=127.0.0.1 --server.port="$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
	curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
	sleep 0.2
done
url=ws://127.0.0.1:$port/talk-to-server

names=("java -version" "java -jar JAR client")
commands=("$java -version" "$java -jar $jar client $url")
if ((java25_too)); then
	"$java25" -XX:AOTCacheOutput="$work/client.aot" -jar "$jar" client "$url" >/dev/null 2>&1
	names+=("java 25 -version" "java 25 -jar JAR client" "java 25 + client AOT cache")
	commands+=("$java25 -version" "$java25 -jar $jar client $url" "$java25 -XX:AOTCache=$work/client.aot -jar $jar client $url")
fi
if [ -n "$image" ]; then
	names+=("$engine run java -version" "$engine run IMAGE client")
	commands+=("$engine run --rm --network host --entrypoint java $image -version"
		"$engine run --rm --network host $image client $url")
fi

# Each command once, to check that it works and to warm the file cache; then the timed runs, in turn.
for command in "${commands[@]}"; do
	$command >"$work/out" 2>&1 || { echo "client-start: '$command' failed:" >&2; cat "$work/out" >&2; exit 1; }
done
for ((run = 0; run < runs; run++)); do
	for i in "${!commands[@]}"; do
		start=$EPOCHREALTIME
		${commands[$i]} >/dev/null 2>&1
		end=$EPOCHREALTIME
		awk -v i="$i" -v s="$start" -v e="$end" 'BEGIN { printf "%d %.3f\n", i, e - s }' >>"$work/times"
	done
done

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $runs runs each"
echo
echo "| command | median s | min-max s | x its java -version |"
echo "| --- | --- | --- | --- |"
for i in "${!commands[@]}"; do
	sort -n <(awk -v i="$i" '$1 == i { print $2 }' "$work/times") >"$work/sorted"
	median=$(awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }' "$work/sorted")
	range=$(awk 'NR == 1 { min = $1 } { max = $1 } END { printf "%.2f-%.2f", min, max }' "$work/sorted")
	echo "$i $median" >>"$work/medians"
	case ${names[$i]} in
	*-version) baseline=$median; ratio= ;;
	*) ratio=$(awk -v m="$median" -v b="$baseline" 'BEGIN { printf "%.1fx", m / b }') ;;
	esac
	echo "| ${names[$i]} | $median | $range | $ratio |"
done
