#!/usr/bin/env python3
"""A reconnect storm, as in a drain: N clients talk to instance A; A gets SIGTERM; every client whose
connection ends (close 1001, or a dropped connection) reconnects at once to instance B, at most
--in-flight handshakes at a time (as wsload and browsers' reconnect loops do), and sends one message
there. Reports the time from the SIGTERM until all are back and talking, and B's handshake latencies.
Raw WebSocket over asyncio (bench/rawws.py), loopback only, bounded in time.

    bench/storm.py --from PORT_A --to PORT_B --pid PID_A [-c 5000] [--in-flight 256] [--timeout 60] [--json]

PID_A must be a server this run started: it is the one process this script signals.
"""
import argparse
import asyncio
import json
import os
import resource
import signal
import statistics
import time

from rawws import handshake, masked_frame, read_frame

MESSAGE = masked_frame(0x1, b"Hello from a client that moved")


async def talk(reader, writer):
    """Sends one message and waits for its answer (any data frame)."""
    writer.write(MESSAGE)
    await writer.drain()
    while True:
        opcode, _ = await read_frame(reader)
        if opcode in (0x1, 0x2):
            return
        if opcode == 0x8:
            raise ConnectionError("closed")


async def client(index, gate, opened, back, stats):
    async with gate:
        status, reader, writer = await handshake(ARGS.from_port, "/talk-to-server")
        if status != 101:
            raise ConnectionError(f"A answered {status}")
        await talk(reader, writer)
    opened.release()
    try:
        while True:  # until A closes or drops the connection
            opcode, payload = await read_frame(reader)
            if opcode == 0x8:
                stats["closed_1001" if payload[:2] == b"\x03\xe9" else "closed_other"] += 1
                break
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        stats["dropped"] += 1
    writer.close()
    while True:
        async with gate:
            start = time.monotonic()
            try:
                status, reader, writer = await handshake(ARGS.to_port, "/talk-to-server")
                took = time.monotonic() - start
                if status == 101:
                    await talk(reader, writer)
                    stats["handshakes"].append(took)
                    back.append(time.monotonic())
                    break
                stats[f"refused_{status}"] += 1
                writer.close()
            except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, OSError):
                stats["reconnect_errors"] += 1
        await asyncio.sleep(0.1)
    await STOP.wait()
    writer.close()


async def main():
    gate = asyncio.Semaphore(ARGS.in_flight)
    opened = asyncio.Semaphore(0)
    back = []
    stats = {"handshakes": [], "closed_1001": 0, "closed_other": 0, "dropped": 0, "reconnect_errors": 0}
    stats.update({f"refused_{s}": 0 for s in (503, 400, 403)})
    tasks = [asyncio.ensure_future(client(i, gate, opened, back, stats)) for i in range(ARGS.c)]
    for _ in range(ARGS.c):
        await asyncio.wait_for(opened.acquire(), ARGS.timeout)
    signalled = time.monotonic()
    os.kill(ARGS.pid, signal.SIGTERM)
    deadline = signalled + ARGS.timeout
    while len(back) < ARGS.c and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    STOP.set()
    await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    latencies = sorted(stats.pop("handshakes"))

    def quantile(q):
        return round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1) if latencies else None

    result = {"clients": ARGS.c, "back": len(back),
              "all_back_s": round(max(back) - signalled, 2) if len(back) == ARGS.c else None,
              "reconnects_per_s": round(len(back) / (max(back) - signalled), 1) if back else None,
              "handshake_p50_ms": quantile(0.5), "handshake_p99_ms": quantile(0.99),
              "handshake_max_ms": round(1000 * latencies[-1], 1) if latencies else None,
              "handshake_mean_ms": round(1000 * statistics.mean(latencies), 1) if latencies else None, **stats}
    print(json.dumps(result) if ARGS.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="from_port", type=int, required=True)
    parser.add_argument("--to", dest="to_port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("-c", type=int, default=5000)
    parser.add_argument("--in-flight", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--json", action="store_true")
    ARGS = parser.parse_args()
    if ARGS.c > 18000:
        parser.error("at most 18,000 clients: one process holds at most about 19,700 connections")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    STOP = asyncio.Event()
    asyncio.run(main())
