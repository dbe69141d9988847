"""caseflow under gunicorn against Flask's hello-world, in one run: req/s and their ratios.

    python bench/http_bench.py [--db URL] [--seconds 10] [--connections 8]

Both apps run under gunicorn on loopback with 2 sync workers; wrk (Debian's package) loads
them: hello-world first, then GET a household, the household list, POST a household and a
transition (start_review, one household each), then hello-world again. Targets (issue 12):
GET household at least 25% of hello-world, POST household and a transition at least 10%.
Heavy: run it under `flock /tmp/bench.lock`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench.http_world import prepare  # noqa: E402
from caseflow import create_app  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TARGETS = {"GET household": 0.25, "POST household": 0.10, "transition": 0.10}
#: one household per transition: wrk's threads take turns through the ids (Lua)
TRANSITION_LUA = """
local counter = 1
function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
end
local base, count = %d, %d
local body = '{"trigger": "start_review", "data": {"started_on": "%s"}}'
function init(args) n = first - 1 end
function request()
  n = n + 2  -- two threads take turns: one the odd households, the other the even ones
  local id = base + (n - 2) %% count
  return wrk.format("POST", "/api/v1/households/" .. id .. "/transitions", nil, body)
end
"""
POST_LUA = """
wrk.method = "POST"
wrk.body = '{"head_name": "Nguyễn Văn Bench", "unit_code": "C1", "village": "Thôn 1"}'
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--households", type=int, default=20_000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/http.sqlite"
    world = prepare(
        create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}), args.households
    )
    auth = f"Authorization: Bearer {world.token}"
    json_header = "Content-Type: application/json"
    hello, caseflow = free_port(), free_port()
    servers = [
        serve("bench.hello_app:app", hello, {}),
        serve("wsgi:app", caseflow, {"CASEFLOW_DATABASE_URL": url}),
    ]
    try:
        wait_for(hello, "/"), wait_for(caseflow, "/api/v1/openapi.json")
        base = f"http://127.0.0.1:{caseflow}"
        with tempfile.TemporaryDirectory() as folder:
            post = script(folder, "post.lua", POST_LUA)
            fire = script(folder, "fire.lua", transition_lua(world))
            runs = [
                ("hello-world", f"http://127.0.0.1:{hello}/", []),
                ("GET household", f"{base}/api/v1/households/{world.one}", ["-H", auth]),
                ("list (50)", f"{base}/api/v1/households?per_page=50", ["-H", auth]),
                ("POST household", f"{base}/api/v1/households",
                 ["-H", auth, "-H", json_header, "-s", post]),
                ("transition", base, ["-H", auth, "-H", json_header, "-s", fire]),
                ("hello-world again", f"http://127.0.0.1:{hello}/", []),
            ]  # fmt: skip
            results = {
                label: wrk(target, extra, args.seconds, args.connections)
                for label, target, extra in runs
            }
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    report(url, results, args)


def transition_lua(world) -> str:
    first, last = world.registered[0], world.registered[-1]
    assert last - first + 1 == len(world.registered), "the households' ids follow each other"
    return TRANSITION_LUA % (first, len(world.registered), world.started_on)


def script(folder: str, name: str, body: str) -> str:
    path = os.path.join(folder, name)
    with open(path, "w") as out:
        out.write(body)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app: str, port: int, env: dict) -> subprocess.Popen:
    environment = {
        **os.environ,
        "CASEFLOW_SECRET_KEY": "bench-" + "x" * 32,
        "CASEFLOW_SCHEDULER": "0",
        "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1",
        **env,
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return subprocess.Popen(
        [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=ROOT,
        env=environment,
    )


def wait_for(port: int, path: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no server on port {port}")


def wrk(target: str, extra: list[str], seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", *extra, target]
    printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", printed).group(1))
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", printed)
    total = int(re.search(r"(\d+) requests in", printed).group(1))
    return {"rate": rate, "failed": int(failed.group(1)) if failed else 0, "requests": total}


def report(url: str, results: dict, args) -> None:
    yardstick = (results["hello-world"]["rate"] + results["hello-world again"]["rate"]) / 2
    print(
        f"database: {url.split(':', 1)[0]}  gunicorn 2 workers, wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s; ratio against hello-world's mean of its two runs"
    )
    for label, found in results.items():
        ratio = found["rate"] / yardstick
        target = TARGETS.get(label)
        verdict = "" if target is None else ("  ok" if ratio >= target else "  BELOW TARGET")
        failed = f"  ({found['failed']} of {found['requests']} not 2xx)" if found["failed"] else ""
        print(f"{label:20} {found['rate']:9.1f} req/s  {ratio:6.1%}{verdict}{failed}")
    print(json.dumps({k: v["rate"] for k, v in results.items()}))


if __name__ == "__main__":
    main()
