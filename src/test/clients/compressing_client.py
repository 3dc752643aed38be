"""Debian's python3-websockets, compression on as it is by default (permessage-deflate with context
takeover both ways, as browsers offer it). Sends the messages that a broken inflater once cut short to
/echo, one after another on one connection, and checks that each comes back byte for byte; then three
messages to /talk-to-server, each answered with the reply. Prints a line per check; exits 0 when all pass.

Usage: /usr/bin/python3 compressing_client.py ws://127.0.0.1:PORT on|off
  on: the server must accept permessage-deflate; off: it must decline it (and still talk).
"""
import asyncio
import os
import sys

import websockets

TIMEOUT = 20

MESSAGES = [
    ("1,000,000 random bytes", os.urandom(1_000_000)),
    ("1,040,000 bytes of one value", b"a" * 1_040_000),
    ("4 MiB of random bytes", os.urandom(4 * 1024 * 1024)),
    ("32,768 bytes of one value", b"a" * 32_768),
    ("4,096 random bytes", os.urandom(4096)),
    ("32,768 characters of text", "x" * 32_768),
]

failures = 0


def report(ok, what):
    global failures
    if not ok:
        failures += 1
    print(("ok " if ok else "FAIL ") + what, flush=True)


def check_extension(ws, path, expect):
    accepted = any(ext.name == "permessage-deflate" for ext in ws.extensions)
    report(accepted == (expect == "on"), f"{path}: permessage-deflate {'accepted' if accepted else 'declined'}")


async def main(base, expect):
    async with websockets.connect(base + "/echo", max_size=None, open_timeout=TIMEOUT) as echo:
        check_extension(echo, "/echo", expect)
        for name, payload in MESSAGES:
            await echo.send(payload)
            back = await asyncio.wait_for(echo.recv(), TIMEOUT)
            same = back == payload
            report(same, f"{name}: {len(back)} of {len(payload)} back, {'exact' if same else 'DIFFERENT'}")
    async with websockets.connect(base + "/talk-to-server", open_timeout=TIMEOUT) as talk:
        check_extension(talk, "/talk-to-server", expect)
        for i in range(1, 4):
            await talk.send(f"Hello from python3-websockets, {i}")
            reply = await asyncio.wait_for(talk.recv(), TIMEOUT)
            report(reply == "Hello from server!", f"/talk-to-server reply {i}: {reply}")


try:
    asyncio.run(main(sys.argv[1], sys.argv[2]))
except Exception as error:  # a refused handshake, a close before the echo, a timeout
    report(False, f"{type(error).__name__}: {error}")
print("all passed" if failures == 0 else f"{failures} failed")
sys.exit(0 if failures == 0 else 1)
