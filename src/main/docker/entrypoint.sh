#!/bin/sh
# The image's entry point: the server, or, with `client` as the first argument, the command-line
# client; each with the AOT cache of its own training run (see the Dockerfile). The client's cache holds
# the classes a one-shot run uses, and the run takes about half the time it takes with the server's
# (docs/client.md). exec: java becomes PID 1 and gets the SIGTERM of `docker stop` (graceful shutdown).
# MaxRAMPercentage: the server's heap may take three quarters of the container's memory limit, not the
# JVM's default quarter.
if [ "$1" = client ]; then
  exec java -XX:AOTCache=client.aot -jar talk-to-server.jar "$@"
fi
exec java -XX:AOTCache=talk-to-server.aot -XX:MaxRAMPercentage=75 -jar talk-to-server.jar "$@"
