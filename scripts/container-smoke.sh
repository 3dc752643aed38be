#!/usr/bin/env bash
# Builds the container image from the Dockerfile and proves it works end to end: the server starts
# and becomes ready, the client inside the same image gets its reply (exit 0) and is refused on a
# wrong path (exit 4), the server logs the message, runs as a non-root user with java as PID 1, and
# shuts down gracefully on SIGTERM. The image runs from its Spring AOT plan, and a setting the plan was
# not made with (a management port of its own) makes it start without the plan, and say so.
#
# Usage: scripts/container-smoke.sh [--local-images] [--no-build] [--no-spring-aot]
#   --local-images  for machines that reach no container registry (like CI here): prepares podman with
#                   ../shared/container/local-images.sh and builds on its stand-in base images.
#                   The same as LOCAL_IMAGES=1.
#   --no-build      test the image as it is; do not build it first.
#   --no-spring-aot the image built with --build-arg SPRING_AOT=false (no Spring AOT; see
#                   docs/operations.md, Container image), tagged :smoke-plain, and a check that it runs so.
# Environment (all optional):
#   CONTAINER_ENGINE  docker or podman (default: podman if installed, else docker)
#   IMAGE             tag to build and test (default: localhost/talk-to-server:smoke)
#   PORT              port the server listens on, with host networking (default: 18080); the check of
#                     the plan's fallback also uses PORT+1 for the management port
#   BUILD_IMAGE, BASE_IMAGE  passed to the build as --build-arg when set
#   BUILD_TIMEOUT, READY_TIMEOUT  seconds (defaults: 1200, 60)
# Host networking throughout, and only 127.0.0.1: the default bridge network uses a private address
# range, which tests on these machines must never touch.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

local_images=${LOCAL_IMAGES:-0}
build=1
spring_aot=1
for arg in "$@"; do
  case $arg in
    --local-images) local_images=1 ;;
    --no-build) build=0 ;;
    --no-spring-aot) spring_aot=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "container-smoke: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

default_image=localhost/talk-to-server:smoke
[ "$spring_aot" = 1 ] || default_image=localhost/talk-to-server:smoke-plain
image=${IMAGE:-$default_image}
port=${PORT:-18080}
build_timeout=${BUILD_TIMEOUT:-1200}
ready_timeout=${READY_TIMEOUT:-60}
client_timeout=60
stop_grace=30
name=talk-smoke-$$
client_name=$name-client
fallback_name=$name-fallback
engine=

step() { echo "container-smoke: $*"; }
indent() { sed 's/^/  | /'; }

# The log of container $1 (default: the server).
server_logs() {
  [ -n "$engine" ] || return 0
  "$engine" logs "${1:-$name}" 2>&1 || true
}

# Whether the server's log (or container $3's) has a line matching $1 that contains $2. No grep -q in
# the pipe: quitting early would break the pipe, and pipefail would count that as no match.
logged() {
  server_logs "${3:-}" | grep -e "$1" | grep -F -e "$2" >/dev/null
}

# Waits until $1 answers 200, while container $2 runs.
await_ready() {
  local url=$1 container=$2 state since=$SECONDS
  until curl -fs --max-time 2 -o /dev/null "$url"; do
    state=$("$engine" container inspect --format '{{.State.Status}}' "$container" 2>/dev/null || echo missing)
    [ "$state" = running ] || fail "the server container $container is $state before it became ready"
    (( SECONDS - since < ready_timeout )) || fail "$url did not answer 200 within ${ready_timeout}s"
    sleep 1
  done
  step "ready after $((SECONDS - since))s ($url)"
}

fail() {
  echo "container-smoke: FAILED: $*" >&2
  if [ -n "$engine" ] && "$engine" container inspect "$name" >/dev/null 2>&1; then
    echo "container-smoke: ----- logs of container $name (last 200 lines) -----" >&2
    server_logs | tail -n 200 >&2
    echo "container-smoke: ----- end of logs -----" >&2
  fi
  exit 1
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$engine" ] || exit "$rc"
  # Only the containers this run started, by name; images stay.
  for c in "$client_name" "$fallback_name" "$name"; do
    if "$engine" container inspect "$c" >/dev/null 2>&1; then
      timeout 60 "$engine" stop -t 5 "$c" >/dev/null 2>&1 || true
      timeout 60 "$engine" rm -f "$c" >/dev/null 2>&1 || true
    fi
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "container-smoke: interrupted" >&2; exit 130' INT
trap 'echo "container-smoke: interrupted" >&2; exit 143' TERM

started=$SECONDS

if [ "$local_images" = 1 ]; then
  if [ -n "${CONTAINER_ENGINE:-}" ] && [ "$CONTAINER_ENGINE" != podman ]; then
    echo "container-smoke: --local-images needs podman, not CONTAINER_ENGINE=$CONTAINER_ENGINE" >&2
    exit 2
  fi
  local_images_script=${LOCAL_IMAGES_SCRIPT:-$root/../shared/container/local-images.sh}
  [ -f "$local_images_script" ] || { echo "container-smoke: $local_images_script not found" >&2; exit 2; }
  step "preparing podman and the local base images ($local_images_script)"
  # Not eval "$(...)" directly: that would hide the script's failure.
  exports=$(bash "$local_images_script") || { echo "container-smoke: local-images.sh failed" >&2; exit 1; }
  eval "$exports"
  CONTAINER_ENGINE=podman
  BUILD_IMAGE=${BUILD_IMAGE:-localhost/temurin-jdk:25}
  BASE_IMAGE=${BASE_IMAGE:-localhost/temurin-jre:25}
fi

if [ -n "${CONTAINER_ENGINE:-}" ]; then
  engine=$CONTAINER_ENGINE
elif command -v podman >/dev/null; then
  engine=podman
else
  engine=docker
fi
command -v "$engine" >/dev/null || { echo "container-smoke: $engine is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "container-smoke: curl is not installed" >&2; exit 2; }
# RUN --mount=type=cache needs BuildKit (the default since Docker 23); podman ignores this.
export DOCKER_BUILDKIT=1

if [ "$build" = 1 ]; then
  build_args=()
  [ -z "${BUILD_IMAGE:-}" ] || build_args+=(--build-arg "BUILD_IMAGE=$BUILD_IMAGE")
  [ -z "${BASE_IMAGE:-}" ] || build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  [ "$spring_aot" = 1 ] || build_args+=(--build-arg SPRING_AOT=false)
  step "building $image with $engine ${build_args[*]}"
  build_started=$SECONDS
  timeout "$build_timeout" "$engine" build --network host "${build_args[@]}" -t "$image" . \
    || fail "building $image failed (or took over ${build_timeout}s)"
  step "built $image in $((SECONDS - build_started))s"
fi
size=$("$engine" image inspect --format '{{.Size}}' "$image") || fail "no image $image"
step "image $image is $((size / 1000000)) MB"

# A server already on the port would answer the checks below in place of the container's.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "something already listens on 127.0.0.1:$port; choose another PORT"
fi

step "starting the server container $name on 127.0.0.1:$port"
"$engine" run -d --name "$name" --network host -e SERVER_PORT="$port" "$image" >/dev/null \
  || fail "could not start the server container"

await_ready "http://127.0.0.1:$port/actuator/health/readiness" "$name"
if [ "$spring_aot" = 1 ]; then
  logged 'TalkApplication' 'Starting AOT-processed' || fail "the image did not start from its Spring AOT plan"
  step "the server runs from its build-time (Spring AOT) plan"
else
  logged 'TalkApplication' 'Starting TalkApplication' || fail "the image built with SPRING_AOT=false started otherwise"
  step "the server runs without a Spring AOT plan"
fi
liveness=$(curl -fs --max-time 5 "http://127.0.0.1:$port/actuator/health/liveness") || fail "liveness did not answer 200"
[[ $liveness == *'"status":"UP"'* ]] || fail "liveness is not UP: $liveness"

# /proc/1 is the server process itself: checks what it runs as, not just what the image declares.
proc1=$("$engine" exec "$name" cat /proc/1/status) || fail "cannot exec into $name"
comm=$(awk '$1 == "Name:" { print $2 }' <<<"$proc1")
real_uid=$(awk '$1 == "Uid:" { print $2 }' <<<"$proc1")
effective_uid=$(awk '$1 == "Uid:" { print $3 }' <<<"$proc1")
[ "$comm" = java ] || fail "PID 1 is '$comm', not java: is the ENTRYPOINT still in exec form?"
[[ $real_uid =~ ^[0-9]+$ && $effective_uid =~ ^[0-9]+$ ]] || fail "cannot read the uid of PID 1"
if [ "$real_uid" = 0 ] || [ "$effective_uid" = 0 ]; then
  fail "the server runs as root (uid $real_uid, effective $effective_uid)"
fi
step "PID 1 is java, running as uid $effective_uid"

token="container-smoke-$$-$RANDOM"
url=ws://127.0.0.1:$port/talk-to-server
step "running the client in the image: client $url --message $token"
if out=$(timeout "$client_timeout" "$engine" run --rm --name "$client_name" --network host "$image" \
    client "$url" --message "$token" 2>&1); then rc=0; else rc=$?; fi
indent <<<"$out"
[ "$rc" = 0 ] || fail "the client exited with $rc, expected 0"
grep -qxF 'Received: Hello from server!' <<<"$out" || fail "the client did not print 'Received: Hello from server!'"

step "running the client against a wrong path (expecting exit code 4)"
if out=$(timeout "$client_timeout" "$engine" run --rm --name "$client_name" --network host "$image" \
    client "ws://127.0.0.1:$port/no-such-path" 2>&1); then rc=0; else rc=$?; fi
indent <<<"$out"
[ "$rc" = 4 ] || fail "the client exited with $rc on a wrong path, expected 4 (handshake refused)"

# The line is written before the reply is sent, but the engine's copy of the log may trail a moment.
for _ in $(seq 1 10); do
  logged 'talk\.messages' "$token" && break
  sleep 0.5
done
logged 'talk\.messages' "$token" || fail "the server's log has no talk.messages line with $token"
step "the server logged the message (talk.messages)"

step "stopping $name with SIGTERM ($engine stop -t $stop_grace)"
stop_started=$SECONDS
timeout $((stop_grace + 30)) "$engine" stop -t "$stop_grace" "$name" >/dev/null || fail "$engine stop failed"
exit_code=$("$engine" container inspect --format '{{.State.ExitCode}}' "$name")
case $exit_code in
  0|143) ;;
  137) fail "the server was killed (exit 137): it did not stop within ${stop_grace}s of SIGTERM" ;;
  *) fail "the server exited with $exit_code, expected 0 or 143" ;;
esac
logged 'Graceful shutdown' 'complete' || fail "the log does not show a graceful shutdown"
step "stopped gracefully in $((SECONDS - stop_started))s, exit code $exit_code"

if [ "$spring_aot" = 1 ]; then
  # A management port of its own decides which beans exist: a plan made without one cannot honour it.
  management_port=$((port + 1))
  step "starting $fallback_name with MANAGEMENT_SERVER_PORT=$management_port, which the plan was not made with"
  "$engine" run -d --name "$fallback_name" --network host -e SERVER_PORT="$port" \
    -e MANAGEMENT_SERVER_PORT="$management_port" "$image" >/dev/null || fail "could not start $fallback_name"
  await_ready "http://127.0.0.1:$management_port/actuator/health/readiness" "$fallback_name"
  logged 'PlanCheck' 'Starting without the Spring AOT plan' "$fallback_name" \
    || fail "$fallback_name did not say that it starts without its Spring AOT plan"
  logged 'PlanCheck' "(management.server.port '$management_port')" "$fallback_name" \
    || fail "$fallback_name did not name the setting that set its plan aside"
  step "the actuator moved to port $management_port: the image started without its plan, and said why"
  timeout $((stop_grace + 30)) "$engine" stop -t "$stop_grace" "$fallback_name" >/dev/null \
    || fail "$engine stop $fallback_name failed"
fi

step "all checks passed in $((SECONDS - started))s"
echo "container-smoke: OK"
