"""`make run`'s launcher: web server and worker start together and stop together."""

from __future__ import annotations

import sys
import time

from ideation import launcher


def test_when_one_process_stops_the_other_is_stopped_too():
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    failing = [sys.executable, "-c", "import time; time.sleep(0.5); raise SystemExit(3)"]
    started = time.monotonic()
    assert launcher.run([sleeper, failing]) == 3
    assert time.monotonic() - started < 60  # the sleeper did not run its two minutes


def test_a_clean_stop_exits_zero():
    quick = [sys.executable, "-c", "pass"]
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    assert launcher.run([sleeper, quick]) == 0


def test_make_run_starts_the_web_server_and_a_consumer_of_the_queue():
    web, worker = launcher.commands("127.0.0.1", 5123)
    assert web[1:] == ["-m", "flask", "run", "--host", "127.0.0.1", "--port", "5123"]
    assert worker[1:4] == ["-m", "huey.bin.huey_consumer", "ideation.tasks.huey"]
