#!/usr/bin/env bash
# What the talk.* meters cost per message: bench/MeterCost.java run against the packaged jar's classes
# and libraries, five rounds of 20 million messages on one thread. Build the jar first (./mvnw package).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -q "$root/target/talk-to-server.jar" 'BOOT-INF/lib/*' 'BOOT-INF/classes/*')
classpath="$work/BOOT-INF/classes:$(find "$work/BOOT-INF/lib" -name '*.jar' | paste -sd:)"
javac -cp "$classpath" -d "$work" "$root/bench/MeterCost.java"
java -cp "$work:$classpath" MeterCost
