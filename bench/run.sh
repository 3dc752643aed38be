#!/usr/bin/env bash
# The standard performance scenarios of docs/performance.md, against this project's jar
# and the peers in ../shared/bench (the blog's Go server, gin + gorilla/websocket, and Node's ws), in
# one run, with a Markdown table of the results and their ratios against gorilla.
#
#   bench/run.sh [--smoke] [--no-build] [--image TAG] [PEER...]
#
#   PEER        jar gorilla node-ws (the default: all three), jetty (the jar built with -Pjetty: the
#               same service on Jetty instead of Tomcat). With jar, the compressing-client scenarios
#               also run as "deflate": the jar with talk.compression.enabled=true
#   --smoke     a few seconds of each scenario against the jar alone: proves the script works (CI)
#   --large     the large-message scenarios only (echo 4 KiB, 64 KiB, 1 MiB; 64 KiB on /talk-to-server)
#   --jwt       the handshake rounds only, the jar without a token against the jar checking a JWT (RS256,
#               its key from a key set served over HTTP on 127.0.0.1, as a provider's jwks_uri) on every
#               handshake, in turns, REPEAT times (default 3); the ratios of their medians go to results.md
#   --no-build  use the jars in target/ as they are
#   --image TAG also time the start of that container image to its first handshake (podman); repeatable
# Start-up is timed for `java -jar`, and for the jar extracted with a CDS archive (Java 17) and with an
# AOT cache (Java 25, when JAVA25 names one), each with and without Spring AOT (-Pspring-aot).
# Environment: REPEAT (default 2), WAIT_IDLE (seconds to wait for an idle machine before each run,
#   default 60), JAVA_OPTS (for the jar), RUNS (output folder, default /tmp/talk-bench-DATE),
#   JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
# Output: one summary line per run in $RUNS/summary.txt, start-up times in $RUNS/startup.txt, and the
# tables in $RUNS/results.md.
# Everything runs on 127.0.0.1, bounded in time; every server started is stopped by its PID.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$root/../shared/bench
smoke=0
large_only=0
jwt_only=0
build=1
images=()
peers=()
while (($#)); do
	case $1 in
	--smoke) smoke=1 ;;
	--large) large_only=1 ;;
	--jwt) jwt_only=1 ;;
	--no-build) build=0 ;;
	--image) images+=("${2:?--image needs a tag}"); shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	jar | gorilla | node-ws | jetty) peers+=("$1") ;;
	*) echo "bench: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
((${#peers[@]})) || peers=(jar gorilla node-ws)
((smoke)) && peers=(jar)
[[ -d $shared ]] || { echo "bench: $shared not found: the bench tools come from ../shared/bench" >&2; exit 1; }

export RUNS=${RUNS:-/tmp/talk-bench-$(date +%Y%m%d-%H%M%S)}
export BIN=${BIN:-/tmp/wsbench-bin}
mkdir -p "$RUNS"
touch "$RUNS/startup.txt" "$RUNS/summary.txt"
jar=$root/target/talk-to-server.jar
# Every client of these runs is 127.0.0.1, so the share per client (talk.max-connections-per-client, 500)
# would refuse the thousands of connections the scenarios open: raised above every count used here.
export JAVA_OPTS="${JAVA_OPTS:-} -Dtalk.max-connections-per-client=20000"
jetty_jar=$root/target/talk-to-server-jetty.jar
aot_jar=$root/target/talk-to-server-aot.jar
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
log() { echo "bench: $*" >&2; }

if ((build)); then
	# Variants first, each from a clean tree, and the shipped jar last, so that target/ ends as usual.
	if [[ " ${peers[*]} " == *" jetty "* ]]; then
		log "building the jar on Jetty"
		(cd "$root" && ./mvnw -B -q clean package -DskipTests -Pjetty)
		mv "$jetty_jar" "$RUNS/"
	fi
	if ((!smoke)); then
		log "building the jar with Spring AOT"
		(cd "$root" && ./mvnw -B -q clean package -DskipTests -Pspring-aot)
		mv "$jar" "$RUNS/talk-to-server-aot.jar"
	fi
	log "building the jar"
	(cd "$root" && ./mvnw -B -q clean package -DskipTests)
	for variant in "$RUNS/talk-to-server-jetty.jar" "$RUNS/talk-to-server-aot.jar"; do
		[[ -f $variant ]] && mv "$variant" "$root/target/"
	done
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
	[[ $peer == jetty ]] && spec=(jar "$jetty_jar")
	log "$label"
	# run-peers.sh starts the load once the port is open, which is before the jar's warm-up handshakes
	# are done: here, where the steady state is measured, the jar runs without them; the handshake
	# rounds and the storm below wait for readiness and measure the shipped warm-up.
	JAVA_OPTS="${JAVA_OPTS:-} -Dtalk.warm-up.handshakes=0" LABEL=$label "$shared/run-peers.sh" "${spec[@]}" "$@" \
		>/dev/null || log "$label: wsload exited $?"
}

# startup LABEL RUNS COMMAND...: time from COMMAND to the first handshake on $port, RUNS times; the
# median goes to startup.txt as "startup=LABEL median_first_handshake_s=S".
port=${PORT:-18097}
startup() {
	local label=$1 runs=$2
	shift 2
	local args=(--server.port="$port" --server.address=127.0.0.1)
	[[ $1 == podman ]] && args=()
	log "start-up: $label"
	python3 "$root/bench/first-handshake.py" --runs "$runs" "$port" -- "$@" "${args[@]}" |
		sed -n "s|^median_first_handshake_s=|startup=$label &|p" >>"$RUNS/startup.txt"
}

# startup_extracted JAR cds|aot-cache [spring-aot]: the jar extracted as Spring Boot recommends for
# production JVMs, a training run that writes the JVM's archive (Java 17's CDS, or Java 25's AOT cache)
# and exits once the context is up, then the timed starts with that archive.
startup_extracted() {
	local source=$1 kind=$2 aot=${3:-}
	local dir=$RUNS/extracted-$kind${aot:+-$aot} java=java archive=(-XX:SharedArchiveFile=app.jsa)
	local train=(-XX:ArchiveClassesAtExit=app.jsa)
	[[ $kind == aot-cache ]] && { java=$java25; archive=(-XX:AOTCache=app.aot); train=(-XX:AOTCacheOutput=app.aot); }
	local mode=()
	[[ -n $aot ]] && mode=(-Dspring.aot.enabled=true)
	rm -rf "$dir"
	java -Djarmode=tools -jar "$source" extract --destination "$dir" >/dev/null
	(cd "$dir" && "$java" "${train[@]}" "${mode[@]}" -Dspring.context.exit=onRefresh \
		-jar "$(basename "$source")" --server.port=0 --logging.level.root=warn >/dev/null 2>&1)
	(cd "$dir" && startup "$kind${aot:++$aot}" 5 "$java" "${archive[@]}" "${mode[@]}" -jar "$(basename "$source")")
}

# serve PEER PORT LOG: starts one instance of PEER on 127.0.0.1:PORT in the background, and waits until
# it answers (the jar: readiness, after its warm-up; the others: the port). Sets $served to its PID.
serve() {
	local peer=$1 p=$2 out=$3
	case $peer in
	jar) java ${JAVA_OPTS:-} -jar "$jar" --server.port="$p" --server.address=127.0.0.1 >"$out" 2>&1 & ;;
	gorilla) "$BIN/gorilla" -addr "127.0.0.1:$p" >"$out" 2>&1 & ;;
	node-ws) PORT=$p HOST=127.0.0.1 node "$BIN/node-ws/server.js" >"$out" 2>&1 & ;;
	esac
	served=$!
	local path=/talk-to-server
	[[ $peer == jar ]] && path=/actuator/health/readiness
	for _ in $(seq 1 600); do
		if [[ $peer == jar ]]; then
			curl -fs -o /dev/null "http://127.0.0.1:$p$path" && return 0
		else
			(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0
		fi
		kill -0 "$served" 2>/dev/null || { log "$peer on $p exited at start: see $out"; return 1; }
		sleep 0.1
	done
	log "$peer on $p not ready within 60 s"
	return 1
}

# unserve PID: TERM, then KILL after 10 s, of a server this script started.
unserve() {
	kill -TERM "$1" 2>/dev/null || return 0
	for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null || true
}

# handshake_rounds PEER REP N [QUERY [NAME]]: one instance, just ready; three rounds of N unpaced
# handshakes (256 in flight, wsload conns -rate 0) one after another: the first is the storm a fresh
# instance gets, the third a warm one's. QUERY goes after the path (a token: ?access_token=...).
# Summary lines NAME-hscold-rREP and NAME-hswarm-rREP (NAME: PEER by default).
handshake_rounds() {
	local peer=$1 rep=$2 n=$3 query=${4:-} name=${5:-$1} p=$((port + 1))
	log "$name-handshakes-r$rep"
	serve "$peer" "$p" "$RUNS/$name-handshakes-r$rep.server.log" || return 0
	local pid=$served
	for round in 1 2 3; do
		local scenario=
		((round == 1)) && scenario=hscold
		((round == 3)) && scenario=hswarm
		"$BIN/wsload" conns -url "ws://127.0.0.1:$p/talk-to-server$query" -c "$n" -rate 0 -hold 1s -pid "$pid" \
			-json >"$RUNS/$name-handshakes-r$rep-round$round.json" 2>/dev/null || true
		[[ -n $scenario ]] && python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(f"{k}={d[k]}" for k in ("handshakes_per_s", "handshake_p99_ms", "handshake_max_ms", "opened") if k in d))' \
			"$RUNS/$name-handshakes-r$rep-round$round.json" | sed "s/^/label=$name-$scenario-r$rep /" >>"$RUNS/summary.txt"
	done
	unserve "$pid"
}

# storm PEER REP N: N clients on instance A; B started and ready; A gets SIGTERM (the jar closes them
# with 1001, the others drop them) and every client reconnects to B (bench/storm.py). Summary line
# PEER-storm-rREP: the time until all are back and talking, and B's handshake latencies.
storm() {
	local peer=$1 rep=$2 n=$3 a_port=$((port + 2)) b_port=$((port + 3))
	log "$peer-storm-r$rep"
	serve "$peer" "$a_port" "$RUNS/$peer-storm-a-r$rep.server.log" || return 0
	local a=$served
	serve "$peer" "$b_port" "$RUNS/$peer-storm-b-r$rep.server.log" || { unserve "$a"; return 0; }
	local b=$served
	python3 "$root/bench/storm.py" --from "$a_port" --to "$b_port" --pid "$a" -c "$n" --json \
		>"$RUNS/$peer-storm-r$rep.json" 2>"$RUNS/$peer-storm-r$rep.err" || log "$peer-storm-r$rep: storm.py failed"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(f"{k}={d[k]}" for k in ("all_back_s", "reconnects_per_s", "handshake_p99_ms", "handshake_max_ms", "back") if d.get(k) is not None))' \
		"$RUNS/$peer-storm-r$rep.json" 2>/dev/null | sed "s/^/label=$peer-storm-r$rep /" >>"$RUNS/summary.txt" || true
	unserve "$b"
	unserve "$a"
}

# large PEER REP WARM: round trips with large messages, 10 connections: 4 KiB, 64 KiB and 1 MiB on /echo (any
# reply accepted: the echo is checked by the tests), and 64 KiB on /talk-to-server (logged, as every message is).
# node-ws has no /echo. Then the same with a compressing client ("z"), which only the jar as "deflate"
# accepts (gorilla and ws decline); its text compresses well: those rows say what compression costs, not
# what a random payload would.
large() {
	local peer=$1 rep=$2 warm=$3
	local variants=("$peer" "$peer:z")
	[[ $peer == jar ]] && variants=(jar deflate:z)
	for variant in "${variants[@]}"; do
		local opts=${JAVA_OPTS:-} z=() tag=
		[[ $variant == deflate:z ]] && opts="$opts -Dtalk.compression.enabled=true"
		[[ $variant == *:z ]] && { z=(-compress); tag=z; variant=${variant%:z}; }
		if [[ $peer != node-ws ]]; then
			for size in 4096:echo4k 65536:echo64k 1048576:echo1m; do
				WSPATH=/echo JAVA_OPTS=$opts run "$variant-${size#*:}$tag-r$rep" "$peer" \
					rtt -c 10 -size "${size%%:*}" -expect '' -w "$warm" -d 20s "${z[@]}"
			done
		fi
		JAVA_OPTS=$opts run "$variant-talk64k$tag-r$rep" "$peer" rtt -c 10 -size 65536 -w "$warm" -d 20s "${z[@]}"
	done
}

if ((smoke)); then
	export WAIT_IDLE=0
	run "jar-rtt100-smoke" jar rtt -c 10 -w 1s -d 2s -max-err 0
	run "jar-conns-smoke" jar conns -c 200 -rate 1000 -hold 1s -max-err 0
	storm jar smoke 200
	JAVA_OPTS="${JAVA_OPTS:-} -Dtalk.compression.enabled=true" \
		run "deflate-rtt100z-smoke" jar rtt -c 10 -w 1s -d 2s -compress -max-err 0
	WSPATH=/echo run "jar-echo64k-smoke" jar rtt -c 2 -size 65536 -expect '' -w 1s -d 2s -max-err 0
	startup java-jar 1 java ${JAVA_OPTS:-} -jar "$jar"
elif ((jwt_only)); then
	# A key pair and one RS256 token signed with it, as an identity provider would issue (openssl only).
	b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$RUNS/jwt-private.pem" 2>/dev/null
	openssl pkey -in "$RUNS/jwt-private.pem" -pubout -out "$RUNS/jwt-public.pem"
	now=$(date +%s)
	signed="$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url).$(printf '{"sub":"bench","aud":"talk-bench","iat":%d,"nbf":%d,"exp":%d}' \
		"$now" "$now" $((now + 7200)) | b64url)"
	token="$signed.$(printf '%s' "$signed" | openssl dgst -sha256 -sign "$RUNS/jwt-private.pem" | b64url)"
	# The public key as a provider publishes it (a JWKS; openssl's exponent is 65537, AQAB), served by
	# Python's HTTP server: the service fetches it as it would from Keycloak.
	mkdir -p "$RUNS/provider"
	modulus=$(openssl rsa -pubin -in "$RUNS/jwt-public.pem" -noout -modulus | sed 's/^Modulus=//')
	python3 -c 'import base64, json, sys
n = base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1])).rstrip(b"=").decode()
print(json.dumps({"keys": [{"kty": "RSA", "kid": "bench", "alg": "RS256", "use": "sig", "e": "AQAB", "n": n}]}))' \
		"$modulus" >"$RUNS/provider/jwks.json"
	provider_port=$((port + 9))
	python3 -m http.server "$provider_port" --bind 127.0.0.1 --directory "$RUNS/provider" \
		>"$RUNS/provider.log" 2>&1 &
	provider=$!
	trap 'kill "$provider" 2>/dev/null || true' EXIT
	# Both as shipped, with their warm-up (the one with a JWT warms up with a JWT of its own).
	jwt_opts="-Dspring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:$provider_port/jwks.json"
	jwt_opts="$jwt_opts -Dspring.security.oauth2.resourceserver.jwt.audiences=talk-bench"
	for rep in $(seq 1 "${REPEAT:-3}"); do
		handshake_rounds jar "$rep" 5000 "" nojwt
		JAVA_OPTS="${JAVA_OPTS:-} $jwt_opts" handshake_rounds jar "$rep" 5000 "?access_token=$token" jwt
	done
	grep -q 'GET /jwks.json' "$RUNS/provider.log" || log "the provider's key set was never fetched: see $RUNS/provider.log"
	python3 - "$RUNS/summary.txt" >"$RUNS/results.md" <<-'EOF'
		import re, statistics, sys
		rates = {}
		for line in open(sys.argv[1]):
		    m = re.search(r"label=(nojwt|jwt)-(hscold|hswarm)-r\d+ .*?handshakes_per_s=([\d.]+).*?opened=(\d+)", line)
		    if m:
		        rates.setdefault((m[1], m[2]), []).append((float(m[3]), int(m[4])))
		print("| round | without a token, handshakes/s | with a JWT checked, handshakes/s | JWT / without |")
		print("| --- | --- | --- | --- |")
		for scenario in ("hscold", "hswarm"):
		    without = [r for r, _ in rates.get(("nojwt", scenario), [])]
		    jwt = [r for r, _ in rates.get(("jwt", scenario), [])]
		    if without and jwt:
		        a, b = statistics.median(without), statistics.median(jwt)
		        print(f"| {scenario} | {a:,.0f} ({', '.join(f'{r:,.0f}' for r in without)}) | "
		              f"{b:,.0f} ({', '.join(f'{r:,.0f}' for r in jwt)}) | {b / a:.2f}x |")
		print()
		print("opened per round:", {f"{k[0]}-{k[1]}": [o for _, o in v] for k, v in sorted(rates.items())})
	EOF
	cat "$RUNS/results.md"
	exit 0
elif ((large_only)); then
	export WAIT_IDLE=${WAIT_IDLE:-60}
	for rep in $(seq 1 "${REPEAT:-2}"); do
		for peer in "${peers[@]}"; do
			warm=5s
			[[ $peer == jar || $peer == jetty ]] && warm=15s
			large "$peer" "$rep" "$warm"
		done
	done
else
	export WAIT_IDLE=${WAIT_IDLE:-60}
	for rep in $(seq 1 "${REPEAT:-2}"); do
		for peer in "${peers[@]}"; do
			# The JIT compiles the hot path during the first seconds: a longer warm-up for the JVM.
			warm=5s
			[[ $peer == jar || $peer == jetty ]] && warm=30s
			run "$peer-rtt100-r$rep" "$peer" rtt -c 100 -w "$warm" -d 20s
			run "$peer-rtt1000-r$rep" "$peer" rtt -c 1000 -w "$warm" -d 20s
			# 19,000 is above the shipped cap of 10,000 (talk.max-connections): raised for this run only.
			JAVA_OPTS="${JAVA_OPTS:-} -Dtalk.max-connections=19500" \
				run "$peer-conns19k-r$rep" "$peer" conns -c 19000 -rate 1000 -hold 20s
			# Clients that offer permessage-deflate, as browsers do (gorilla's client, without context
			# takeover): the jar with its shipped setting declines it, as gorilla and ws do; "deflate" is
			# the jar with talk.compression.enabled=true, which accepts it.
			variants=("$peer")
			[[ $peer == jar ]] && variants=(jar deflate)
			handshake_rounds "$peer" "$rep" 5000
			storm "$peer" "$rep" 5000
			for variant in "${variants[@]}"; do
				opts=${JAVA_OPTS:-}
				[[ $variant == deflate ]] && opts="$opts -Dtalk.compression.enabled=true"
				JAVA_OPTS=$opts run "$variant-rtt100z-r$rep" "$peer" rtt -c 100 -w "$warm" -d 20s -compress
				JAVA_OPTS=$opts run "$variant-conns5kz-r$rep" "$peer" conns -c 5000 -rate 1000 -hold 10s -compress
			done
			large_warm=5s
			[[ $peer == jar || $peer == jetty ]] && large_warm=15s
			large "$peer" "$rep" "$large_warm"
		done
	done
	if [[ " ${peers[*]} " == *" jar "* ]]; then
		startup java-jar 5 java ${JAVA_OPTS:-} -jar "$jar"
		startup_extracted "$jar" cds
		[[ -x $java25 ]] && startup_extracted "$jar" aot-cache
		if [[ -f $aot_jar ]]; then
			startup_extracted "$aot_jar" cds spring-aot
			[[ -x $java25 ]] && startup_extracted "$aot_jar" aot-cache spring-aot
		fi
		for image in "${images[@]}"; do
			startup "container:$image" 5 podman run --rm --network host -e SERVER_PORT="$port" "$image"
		done
	fi
fi

python3 "$root/bench/report.py" "$RUNS/summary.txt" "$RUNS/startup.txt" >"$RUNS/results.md"
"$shared/table.sh" "$RUNS/summary.txt" >>"$RUNS/results.md"
cat "$RUNS/results.md"
if ((smoke)); then
	# The smoke run must have measured something, without a failed connection.
	grep -q 'label=jar-rtt100-smoke .*wsload_exit=0 ' "$RUNS/summary.txt" &&
		grep -q 'label=jar-conns-smoke .*wsload_exit=0 ' "$RUNS/summary.txt" &&
		grep -q 'label=deflate-rtt100z-smoke .*wsload_exit=0 .*compressed=10 ' "$RUNS/summary.txt" &&
		grep -q 'label=jar-storm-rsmoke all_back_s=' "$RUNS/summary.txt" &&
		grep -q 'label=jar-echo64k-smoke .*wsload_exit=0 ' "$RUNS/summary.txt" &&
		grep -q '^startup=java-jar median_first_handshake_s=' "$RUNS/startup.txt" ||
		{ log "smoke run failed: see $RUNS"; exit 1; }
	log "smoke run OK"
fi
