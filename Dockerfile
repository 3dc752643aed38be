# Container image of talk-to-server: the WebSocket server by default, the command-line client with
# `docker run IMAGE client ws://HOST:8080/talk-to-server`.
#
# Base images are build arguments so that machines without registry access can substitute local
# stand-ins (see scripts/container-smoke.sh --local-images); the defaults are the public images.
ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG BASE_IMAGE=eclipse-temurin:25-jre
# true: Spring AOT (the spring-aot Maven profile): the application context is planned at build time,
# about a third off the start-up time (docs/performance.md). A start with settings that would plan
# other beans (a management port of its own, other exposed endpoints, a profile) starts without the
# plan and says so in a WARN line (dev.talktoserver.aot.PlanCheck). false: no plan, planned at every start.
ARG SPRING_AOT=true
# Settings to plan for, as JVM options, e.g. "-Dmanagement.server.port=8081" for an actuator on a port of
# its own (the production checklist's advice): the plan, and the training run, are made with them.
# (Written "" rather than empty: Podman reports an empty default as a missing build argument.)
ARG SPRING_AOT_SETTINGS=""

FROM ${BUILD_IMAGE} AS build
ARG SPRING_AOT
ARG SPRING_AOT_SETTINGS
WORKDIR /build
# Build files first and sources last, so that a change to src/ invalidates only the layers from
# `COPY src/` on.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# The cache mount keeps the Maven repository, and the Maven the wrapper downloads into
# ~/.m2/wrapper, from one build to the next without putting either into a layer. (A separate
# dependency:go-offline step would gain nothing: its downloads land in the same mount, not a layer.)
# Tests run in CI with ./mvnw verify, not here.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests $([ "$SPRING_AOT" = true ] && echo -Pspring-aot) \
      ${SPRING_AOT_SETTINGS:+"-Dspring-boot.aot.jvmArguments=$SPRING_AOT_SETTINGS"} \
 && java -Djarmode=tools -jar target/talk-to-server.jar extract --layers --destination /extracted

FROM ${BASE_IMAGE}
ARG SPRING_AOT
ARG SPRING_AOT_SETTINGS
# Read by TalkApplication at start, by the training run below as by every later one.
ENV SPRING_AOT_ENABLED=${SPRING_AOT}
# A fixed numeric id, so that Kubernetes' runAsNonRoot can verify it; 10001 stays clear of the
# users base images ship (Ubuntu's has uid 1000). groupadd/useradd exist in Debian and Ubuntu alike.
# --no-log-init: no sparse lastlog/faillog entries sized by the high uid.
RUN groupadd --gid 10001 talk \
 && useradd --uid 10001 --gid talk --no-log-init --no-create-home --home-dir /app --shell /usr/sbin/nologin talk
WORKDIR /app
# One layer per Spring Boot layer, least often changed first, so that a code change rebuilds and
# ships only the last, small one. Together they make /app/talk-to-server.jar with lib/ beside it,
# which its manifest's Class-Path names. Owned by root: the application cannot rewrite itself.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# An AOT cache (JEP 483/514/515, Java 25) from a training run: the server starts and makes its warm-up
# handshakes to itself (talk.warm-up.handshakes), it reports itself ready, the image's own client talks
# to it (a handshake and two messages), then SIGTERM ends it and the JVM writes the cache. Classes come
# pre-parsed, pre-linked and pre-initialised, those of the handshakes included (a run that only started
# the context left them out: 0.1 s more to the first handshake), with the profiles of the warm-up's
# methods, and the server starts in about half the time. The client's run writes a cache of its own,
# client.aot (18 MB): a one-shot `docker run IMAGE client` takes about half the time it takes with the
# server's (docs/client.md). The port is the build's own, on loopback, and below the kernel's range of
# ephemeral ports (32768-60999 by default), which outgoing connections take theirs from: at 47080, CI saw
# "Port 47080 was already in use" once, right after the benchmark smoke's thousands of connections. The
# caches are written as root and read by the unprivileged user at every start. (Readiness is asked with
# bash's /dev/tcp: the JRE image has no curl.)
RUN java -XX:AOTCacheOutput=talk-to-server.aot $SPRING_AOT_SETTINGS -jar talk-to-server.jar \
      --server.address=127.0.0.1 --server.port=27080 --logging.level.root=warn & \
    server=$!; \
    for attempt in $(seq 1 600); do \
      kill -0 "$server" || break; \
      ready=$(bash -c 'exec 3<>/dev/tcp/127.0.0.1/27080 \
        && printf "GET /actuator/health/readiness HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3' 2>/dev/null); \
      case $ready in *" 200 "*) break ;; esac; \
      sleep 0.2; \
    done; \
    java -XX:AOTCacheOutput=client.aot -jar talk-to-server.jar client ws://127.0.0.1:27080/talk-to-server \
      -m training -m run >/dev/null 2>&1 \
      && trained=yes; \
    kill -TERM "$server"; wait "$server"; \
    [ "$trained" = yes ] && [ -s talk-to-server.aot ] && [ -s client.aot ] \
      || { echo "AOT training run failed" >&2; exit 1; }
USER 10001:10001
EXPOSE 8080
# The server, or the client with `client` first, each with its AOT cache; java becomes PID 1 (exec).
COPY src/main/docker/entrypoint.sh /app/
ENTRYPOINT ["/app/entrypoint.sh"]
