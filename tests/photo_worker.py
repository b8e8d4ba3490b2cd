"""The worker of tests/test_photo_faults.py: `huey_consumer tests.photo_worker.huey`.

The real jobs of ideation.tasks, with one change when PHOTO_KILL_FLAG is set: the resize
job's rename of the 640 px file (its temporary file written, the rename not done) writes
the flag and waits, so the test kills the worker right in the middle of a write.
"""

from __future__ import annotations

import os
import time

from ideation.core import storage
from ideation.tasks import huey

__all__ = ["huey"]

_replace = os.replace


def _replace_slowly(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
    flag = os.environ.get("PHOTO_KILL_FLAG")
    if flag and str(target).endswith("w640.jpg"):
        with open(flag, "w") as out:
            out.write(str(source))
        time.sleep(300)  # the test sends SIGKILL now
    return _replace(source, target, *args, **kwargs)


storage.os.replace = _replace_slowly  # type: ignore[attr-defined]
