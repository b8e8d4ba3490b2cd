"""`make run`: the web server and a queue worker in one command, stopped together.

`python -m ideation.launcher [--host H] [--port P]` starts `flask run` and
`huey_consumer ideation.tasks.huey` as child processes; when either stops (or on
Ctrl-C) the other is stopped too, so no worker is left behind. Production runs them
as two services instead (deploy/).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

STOP_TIMEOUT_SECONDS = 10


def commands(host: str, port: int) -> list[list[str]]:
    """The web server (Flask's development server) and one consumer with two threads.
    --flush-locks: with a single consumer, a lock left by a killed run is stale."""
    return [
        [sys.executable, "-m", "flask", "run", "--host", host, "--port", str(port)],
        [
            sys.executable,
            "-m",
            "huey.bin.huey_consumer",
            "ideation.tasks.huey",
            "--workers",
            "2",
            "--worker-type",
            "thread",
            "--flush-locks",
        ],
    ]


def run(argv_list: Sequence[Sequence[str]]) -> int:
    """Start every command; return when the first one stops, after stopping the others.
    The exit code is the first failure among them, else 0."""
    children = [subprocess.Popen(list(argv)) for argv in argv_list]
    stopped: set[int] = set()  # the children we stopped: their exit code is no failure
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
    except KeyboardInterrupt:
        stopped.update(range(len(children)))  # the terminal sent SIGINT to the children too
    finally:
        for index, child in enumerate(children):
            if child.poll() is None:
                stopped.add(index)
                # SIGINT: the consumer's graceful stop (jobs in progress finish first).
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return next(
        (c.returncode for i, c in enumerate(children) if i not in stopped and c.returncode), 0
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fabrique : site web et file de tâches.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    return run(commands(args.host, args.port))


if __name__ == "__main__":
    sys.exit(main())
