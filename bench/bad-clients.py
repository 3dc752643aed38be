#!/usr/bin/env python3
"""Many bad clients at once against a running server, while a well-behaved client and a liveness probe
measure what everyone else gets. Raw WebSocket over asyncio (RFC 6455 by hand), loopback only, bounded
in count and time; it stops by itself and closes every connection it opened.

    bench/bad-clients.py --port PORT [--partial N] [--fragment BYTES] [--noread N] [--noread-messages N]
                         [--noread-echo N] [--noread-size BYTES] [--reconnect] [--compress N] [--flood N]
                         [--hold SECONDS] [--json]

Bad clients (each kind opened at up to --in-flight handshakes at a time, all kinds at once):
  --partial N    N connections to /talk-to-server, each sends the first --fragment bytes (default 60000)
                 of a text message (FIN clear) and never finishes it
  --noread N     N connections to /talk-to-server that send --noread-messages messages each (default
                 20000) as fast as they can and never read
  --noread-echo N  N connections to /echo that send binary messages of --noread-size bytes (default
                 1 MiB, random) as fast as they can, for as long as the run holds, and never read
  --reconnect    a non-reading client (--noread, --noread-echo) whose connection the server closes or
                 drops opens a new one at once and goes on, as an attacker would, until the hold ends
  --compress N   N connections that offer permessage-deflate (as browsers do), then stay idle
  --flood N      N handshakes to /talk-to-server, each closed at once once answered, as fast as they go
Meanwhile, every 0.5 s: GET /actuator/health/liveness (timeout 5 s) and one round trip on a connection
of its own to /talk-to-server (timeout 5 s; reconnects if it is closed). After --hold seconds (default
30) with everything opened, it reports: handshakes answered by status, closes received by code,
liveness answers (count, failures, slowest), the good client's round trips (count, failures, slowest),
and how often the non-readers reconnected.
Exit status 0; the numbers are for the caller to judge.
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import struct
import time
from collections import Counter

from rawws import HOST, handshake, masked_frame, read_frame


class Tally:
    def __init__(self):
        self.handshakes = Counter()
        self.closes = Counter()
        self.writers = []
        self.reconnects = 0


async def watch_close(reader, tally):
    """Reads until the server's close frame or the end, and counts how the connection ended."""
    try:
        while True:
            opcode, payload = await read_frame(reader)
            if opcode == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                tally.closes[str(code)] += 1
                return
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        tally.closes["dropped"] += 1


async def open_bad(kind, tally, gate, tasks):
    async with gate:
        try:
            path = "/echo" if kind in ("compress", "noread-echo") else "/talk-to-server"
            offer = "permessage-deflate; client_max_window_bits" if kind == "compress" else None
            status, reader, writer = await handshake(ARGS.port, path, offer)
        except (asyncio.TimeoutError, OSError) as error:
            tally.handshakes[type(error).__name__] += 1
            return
        tally.handshakes[str(status)] += 1
        if status != 101:
            writer.close()
            return
        tally.writers.append(writer)
        if kind == "partial":
            writer.write(masked_frame(0x1, b"x" * ARGS.fragment, fin=False))
        elif kind == "flood":
            writer.write(masked_frame(0x8, struct.pack(">H", 1000)))
        try:
            await writer.drain()
        except OSError:
            return
        if kind in ("noread", "noread-echo"):
            tasks.append(asyncio.ensure_future(blast(kind, writer, tally, gate, tasks)))
        else:
            tasks.append(asyncio.ensure_future(watch_close(reader, tally)))


async def blast(kind, writer, tally, gate, tasks):
    """Sends messages and never reads; ends after --noread-messages (or, on /echo, the hold), or when the
    server stops taking them for good. With --reconnect, a connection the server ends is replaced."""
    frames = SMALL_FRAMES if kind == "noread" else LARGE_FRAME
    try:
        sent = 0
        while not STOP.is_set() and (kind == "noread-echo" or ARGS.reconnect or sent < ARGS.noread_messages):
            writer.write(frames)
            await writer.drain()
            sent += 100
    except OSError:
        if ARGS.reconnect and not STOP.is_set():
            tally.reconnects += 1
            writer.close()
            await open_bad(kind, tally, gate, tasks)


async def liveness(samples):
    while not STOP.is_set():
        start = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, ARGS.port), 5)
            writer.write(f"GET /actuator/health/liveness HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
                         .encode())
            line = await asyncio.wait_for(reader.readline(), 5)
            ok = b" 200 " in line
            writer.close()
        except (asyncio.TimeoutError, OSError):
            ok = False
        samples.append((ok, time.monotonic() - start))
        await asyncio.sleep(0.5)


async def good_client(samples):
    conn = None
    while not STOP.is_set():
        start = time.monotonic()
        try:
            if conn is None:
                status, reader, writer = await handshake(ARGS.port, "/talk-to-server", timeout=5)
                if status != 101:
                    raise OSError(f"HTTP {status}")
                conn = (reader, writer)
            reader, writer = conn
            writer.write(masked_frame(0x1, b"Hello from a good client"))
            while True:
                opcode, payload = await asyncio.wait_for(read_frame(reader), 5)
                if opcode == 0x1:
                    break
                if opcode == 0x8:
                    raise OSError("closed")
            ok = payload == b"Hello from server!"
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, OSError):
            ok = False
            conn = None
        samples.append((ok, time.monotonic() - start))
        await asyncio.sleep(0.5)


def summary(samples):
    failed = sum(1 for ok, _ in samples if not ok)
    slowest = max((t for _, t in samples), default=0)
    return {"count": len(samples), "failed": failed, "slowest_s": round(slowest, 3)}


async def probes(stop, results):
    """The liveness probe and the good client, until told to stop."""
    live, good = [], []
    await asyncio.gather(liveness(live), good_client(good), stop_when_told(stop))
    results.put({"liveness": summary(live), "good_client": summary(good)})


async def stop_when_told(stop):
    while not stop.is_set():
        await asyncio.sleep(0.1)
    STOP.set()


def run_probes(stop, results):
    asyncio.run(probes(stop, results))


async def main():
    tally = Tally()
    gate = asyncio.Semaphore(ARGS.in_flight)
    tasks = []
    # The probes run in a process of their own, so that the bad clients' work cannot delay them.
    results = multiprocessing.Queue()
    stop = multiprocessing.Event()
    prober = multiprocessing.Process(target=run_probes, args=(stop, results))
    prober.start()
    started = time.monotonic()
    opening = [open_bad(kind, tally, gate, tasks)
               for kind, n in (("partial", ARGS.partial), ("noread", ARGS.noread), ("noread-echo", ARGS.noread_echo),
                               ("compress", ARGS.compress), ("flood", ARGS.flood))
               for _ in range(n)]
    await asyncio.gather(*opening)
    opened_s = time.monotonic() - started
    await asyncio.sleep(ARGS.hold)
    STOP.set()
    stop.set()
    measured = results.get(timeout=15)
    prober.join(15)
    for writer in tally.writers:
        writer.close()
    for task in tasks:
        task.cancel()
    result = {"opened_in_s": round(opened_s, 1), "handshakes": dict(tally.handshakes), "closes": dict(tally.closes),
              "reconnects": tally.reconnects, **measured}
    print(json.dumps(result) if ARGS.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--partial", type=int, default=0)
    parser.add_argument("--fragment", type=int, default=60000)
    parser.add_argument("--noread", type=int, default=0)
    parser.add_argument("--noread-messages", type=int, default=20000)
    parser.add_argument("--noread-echo", type=int, default=0)
    parser.add_argument("--noread-size", type=int, default=1024 * 1024)
    parser.add_argument("--reconnect", action="store_true")
    parser.add_argument("--compress", type=int, default=0)
    parser.add_argument("--flood", type=int, default=0)
    parser.add_argument("--hold", type=float, default=30)
    parser.add_argument("--in-flight", type=int, default=256)
    parser.add_argument("--json", action="store_true")
    ARGS = parser.parse_args()
    multiprocessing.set_start_method("fork")
    total = ARGS.partial + ARGS.noread + ARGS.noread_echo + ARGS.compress + ARGS.flood
    if total > 18000:
        parser.error("at most 18,000 connections: one process holds at most about 19,700")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Masked once and sent again and again: what the server does with them is what is measured.
    SMALL_FRAMES = masked_frame(0x1, b"never reading") * 100
    LARGE_FRAME = masked_frame(0x2, os.urandom(ARGS.noread_size))
    STOP = asyncio.Event()
    asyncio.run(main())
