"""Background tasks of the deployment tests: each writes what it did to a file, with its process."""

import os
import time


def record_run(path: str) -> int:
    """A scheduled job: one line per run."""
    with open(path, "a") as out:
        out.write(f"{os.getpid()}\n")
    return os.getpid()


def slow_task(path: str, seconds: float) -> str:
    """A task that takes a while: `path.started` when it begins, `path.finished` when it is done."""
    with open(f"{path}.started", "w") as out:
        out.write(str(os.getpid()))
    time.sleep(seconds)
    with open(f"{path}.finished", "w") as out:
        out.write(str(os.getpid()))
    return "finished"
