#!/usr/bin/env python3
"""Benchmark the Office.js path: `xlcnn serve` on loopback, round trips of real calls.

    XLWINGS_LICENSE_KEY=noncommercial .venv/bin/python scripts/bench_udfs.py [--calls 300]

Measures, in one run against the same server, the median round trip of a 5x5x3 CONV2D
call (two 3x3x3 filters, the practical's example) and of a scalar CONV_PARAMS call —
the server's own floor — shaped exactly as the add-in sends them. Aim (issue 6): the
CONV2D call within 1.5x that floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlcnn.handout.examples import load_example  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(name: str, args: list) -> bytes:
    return json.dumps({"client": "Office.js", "func_name": name, "args": args,
                       "caller_address": "[Book1.xlsx]Sheet1!H20", "session_id": "bench", "culture_info_name": "en-US",
                       "date_format": "M/d/yyyy", "version": "0.37.8", "runtime": "1.4"}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="calls of each kind (default 300)")
    args = parser.parse_args()
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise SystemExit("set XLWINGS_LICENSE_KEY (noncommercial for teaching) first")
    ex = load_example()
    x = [row for c in range(3) for row in ex.x2[:, :, c].tolist()]
    w = [row for k in range(2) for c in range(3) for row in ex.w2[:, :, c, k].tolist()]
    conv2d = body("CONV2D", [x, w, [[1]], [[0]], [ex.b2.tolist()], [[3]]])
    params = body("CONV_PARAMS", [[[3]], [[3]], [[2]]])
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "xlcnn.cli", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn = None
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/xlwings/custom-functions-meta.json")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("xlcnn serve did not start")

        def roundtrip(payload: bytes) -> float:
            t = time.perf_counter()
            conn.request("POST", "/xlwings/custom-functions-call", payload, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                raise SystemExit(f"call failed: {resp.status} {data[:200]!r}")
            return time.perf_counter() - t

        for _ in range(30):  # warm up both paths
            roundtrip(conv2d), roundtrip(params)
        t_conv, t_params = [], []
        for _ in range(args.calls):  # interleaved, so both see the same machine
            t_conv.append(roundtrip(conv2d))
            t_params.append(roundtrip(params))
        mc, mp = statistics.median(t_conv), statistics.median(t_params)
        print(f"xlcnn serve on 127.0.0.1, {args.calls} calls each, keep-alive connection, {os.cpu_count()} cores")
        print(f"  CONV_PARAMS (scalar, the floor) : median {mp * 1000:6.2f} ms")
        print(f"  CONV2D 5x5x3, two 3x3x3 filters : median {mc * 1000:6.2f} ms")
        print(f"  ratio                           : {mc / mp:6.2f}x  (aim: at most 1.5x)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
