#!/usr/bin/env python3
"""Time from starting a server process to its first successful WebSocket handshake.

    first-handshake.py [--runs N] [--timeout S] PORT -- COMMAND [ARGS...]

Starts COMMAND (which must listen on 127.0.0.1:PORT and serve /talk-to-server), tries the opening
handshake every 5 ms until the server answers 101, prints the elapsed seconds, stops the process with
SIGTERM (SIGKILL after 10 s), and repeats N times. Prints one line per run and the median.
"""
import argparse
import base64
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def handshake_ok(port):
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /talk-to-server HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(request.encode())
            return s.recv(64).startswith(b"HTTP/1.1 101")
    except OSError:
        return False


def one_run(port, command, timeout):
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - start < timeout:
            if handshake_ok(port):
                return time.monotonic() - start
            if process.poll() is not None:
                sys.exit(f"first-handshake: the server exited with {process.returncode} before a handshake")
            time.sleep(0.005)
        sys.exit(f"first-handshake: no handshake within {timeout} s")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("port", type=int)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    times = [one_run(args.port, command, args.timeout) for _ in range(args.runs)]
    for t in times:
        print(f"first_handshake_s={t:.3f}")
    print(f"median_first_handshake_s={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
