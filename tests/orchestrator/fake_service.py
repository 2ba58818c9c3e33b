"""A stand-in service for the supervisor's tests: `/ready` after a delay, a child process, a start log.

Environment: FAKE_NAME, FAKE_PORT_ENV (the variable holding its port), FAKE_READY_AFTER_S, FAKE_LOG
(a file it appends "name start pid time" to), FAKE_CHILD_PIDS (a file it writes a child's pid to).
"""

from __future__ import annotations

import os
import subprocess
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

name = os.environ["FAKE_NAME"]
port = int(os.environ[os.environ["FAKE_PORT_ENV"]])
ready_at = time.time() + float(os.environ.get("FAKE_READY_AFTER_S", "0"))
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(f"{name} start {os.getpid()} {time.time()}\n")
if os.environ.get("FAKE_CHILD_PIDS"):
    child = subprocess.Popen(["sleep", "600"])
    with open(os.environ["FAKE_CHILD_PIDS"], "a") as pids:
        pids.write(f"{child.pid}\n")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        ok = self.path == "/ready" and time.time() >= ready_at
        if ok:
            with open(os.environ["FAKE_LOG"], "a") as log:
                log.write(f"{name} ready {os.getpid()} {time.time()}\n")
        self.send_response(200 if ok else 503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


print(f"{name} listening on {port}", flush=True)
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
