"""The worker's jobs with a pause inside the vote-closed announcement, for the kill test.

    huey_consumer tests.faults.paused_tasks.huey      (FAULTS_PAUSE_FILE=/tmp/…)

When the announcement has claimed the result and written every notification but not yet
committed, it touches FAULTS_PAUSE_FILE and sleeps: the test then SIGKILLs the worker.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ideation.tasks import huey
from ideation.voting import services


def _pause(point: str) -> None:
    if point == "announce":
        Path(os.environ["FAULTS_PAUSE_FILE"]).touch()
        time.sleep(300)


services.PAUSE_HOOK = _pause

__all__ = ["huey"]
