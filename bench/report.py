#!/usr/bin/env python3
"""The performance table of docs/performance.md from bench/run.sh's summary lines: medians over repeats, and each
peer's ratio against gorilla measured in the same run.

    report.py SUMMARY_FILE [STARTUP_FILE]
"""
import re
import statistics
import sys
from collections import defaultdict

runs = defaultdict(lambda: defaultdict(list))  # (peer, scenario) -> field -> values
startup = {}  # how it was started -> median seconds to the first handshake
if len(sys.argv) > 2:
    for line in open(sys.argv[2]):
        m = re.match(r"startup=(\S+) median_first_handshake_s=([\d.]+)", line)
        if m:
            startup[m.group(1)] = float(m.group(2))
for line in open(sys.argv[1]):
    fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    m = re.match(r"(jar|deflate|jetty|gorilla|node-ws)-(\w+?)(?:-r\d+|-smoke|-rsmoke)$", fields.get("label", ""))
    if not m:
        continue
    for key, value in fields.items():
        try:
            runs[(m.group(1), m.group(2))][key].append(float(value))
        except ValueError:
            pass


def median(peer, scenario, field):
    values = runs.get((peer, scenario), {}).get(field)
    return statistics.median(values) if values else None


def fmt(value, digits=1):
    return "" if value is None else f"{value:,.{digits}f}"


def ratio(peer, scenario, field, invert=False):
    mine, base = median(peer, scenario, field), median("gorilla", scenario, field)
    if mine is None or not base:
        return ""
    return f"{(base / mine if invert else mine / base):.2f}x"


# "deflate" is the jar with talk.compression.enabled=true, measured with compressing clients only.
peers = [p for p in ("jar", "deflate", "jetty", "gorilla", "node-ws") if any(k[0] == p for k in runs)]
rows = [
    ("round trips/s, 100 connections (logging on)", "rtt100", "rt_per_s", 0, False),
    ("server CPU µs per round trip, 100 connections", "rtt100", "server_cpu_us_per_rt", 1, False),
    ("p99 latency ms, 1000 connections", "rtt1000", "p99_ms", 2, False),
    ("round trips/s, 1000 connections", "rtt1000", "rt_per_s", 0, False),
    ("connections held (19,000 opened)", "conns19k", "replied", 0, False),
    ("server KB per idle connection", "conns19k", "server_kb_per_conn", 1, False),
    ("handshakes/s, 5,000 unpaced, first round after readiness", "hscold", "handshakes_per_s", 0, False),
    ("slowest handshake ms, first round after readiness", "hscold", "handshake_max_ms", 0, False),
    ("handshakes/s, 5,000 unpaced, third round (warm)", "hswarm", "handshakes_per_s", 0, False),
    ("slowest handshake ms, third round", "hswarm", "handshake_max_ms", 0, False),
    ("storm: s from SIGTERM to A until 5,000 clients talk to B", "storm", "all_back_s", 2, False),
    ("storm: B's handshake p99 ms", "storm", "handshake_p99_ms", 0, False),
    ("compressing clients: connections that negotiated compression, of 100", "rtt100z", "compressed", 0, False),
    ("compressing clients: round trips/s, 100 connections", "rtt100z", "rt_per_s", 0, False),
    ("compressing clients: server CPU µs per round trip, 100 connections", "rtt100z", "server_cpu_us_per_rt", 1,
     False),
    ("compressing clients: server KB per idle connection (5,000 held)", "conns5kz", "server_kb_per_conn", 1, False),
    ("others' CPU cores during rtt100 (noise; want ~0)", "rtt100", "others_cpu_cores", 2, False),
]
# Large messages, 10 connections; "z": a compressing client (only "deflate" accepts; gorilla declines).
for scenario, what in (("echo4k", "/echo 4 KiB"), ("echo64k", "/echo 64 KiB"), ("echo1m", "/echo 1 MiB"),
                       ("talk64k", "/talk-to-server 64 KiB")):
    for z, client in (("", ""), ("z", ", compressing client")):
        rows.append((f"{what}{client}: round trips/s", scenario + z, "rt_per_s", 0, False))
        rows.append((f"{what}{client}: server CPU µs per round trip", scenario + z, "server_cpu_us_per_rt", 0, False))
rows = [row for row in rows if any(k[1] == row[1] for k in runs)]
ratios = [p for p in ("jar", "deflate", "jetty") if p in peers]
print("| measure | " + " | ".join(peers) + " | " + " | ".join(f"{p} / gorilla" for p in ratios) + " |")
print("|---" * (len(peers) + len(ratios) + 1) + "|")
for title, scenario, field, digits, _ in rows:
    cells = [fmt(median(p, scenario, field), digits) for p in peers]
    cells += [ratio(p, scenario, field) for p in ratios]
    print(f"| {title} | " + " | ".join(cells) + " |")
STARTS = {
    "java-jar": "`java -jar` (Java 17)",
    "cds": "extracted, CDS archive (Java 17)",
    "aot-cache": "extracted, AOT cache (Java 25)",
    "cds+spring-aot": "extracted, CDS archive, Spring AOT (Java 17)",
    "aot-cache+spring-aot": "extracted, AOT cache, Spring AOT (Java 25)",
    "container": "container image (podman run, Java 25)",
}
for label, seconds in startup.items():
    cells = [fmt(seconds, 2) if p == "jar" else "" for p in peers] + [""] * len(ratios)
    name = STARTS.get(label) or label.replace("container:", "container image ")
    print(f"| start to first handshake, s: {name} | " + " | ".join(cells) + " |")
print()
