"""Every migration timed on a large PostgreSQL installation, with its write-blocking locks.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/big python bench/migration_locks.py
    python bench/migration_locks.py --down-to 0003     # the default

The database must hold the large installation at the head revision (`flask db upgrade`,
`flask seed-demo`, `flask seed-demo --scale 1`). The script steps down one revision at a
time to --down-to, then up again one revision at a time (each step is `flask db upgrade
REV` in its own process, so each migration is one transaction, as in an upgrade of a
real site), and prints for each step its time and, per table, how long the migration
held a lock that blocks writes (SHARE, SHARE ROW EXCLUSIVE, EXCLUSIVE or ACCESS
EXCLUSIVE), sampled every 20 ms from pg_locks by a second connection. Tables a migration
creates are listed too (nobody writes them yet). Going down loses what the dropped
columns held; going up recomputes it, so the upgrade figures are the real ones.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BLOCKING = ("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock")
APP_NAME = "fabrique_migration"


def revisions() -> list[str]:
    names = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("[0-9]*.py"))
    return [name.split("_", 1)[0] for name in names]


class LockWatch:
    """Polls pg_locks for the migrating backend; per table, first and last sighting."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        self.seen: dict[str, list[float]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        query = sa.text(
            "select c.relname, l.mode from pg_locks l"
            " join pg_stat_activity a on a.pid = l.pid"
            " join pg_class c on c.oid = l.relation"
            " where a.application_name = :app and l.granted and l.locktype = 'relation'"
            " and c.relkind in ('r', 'p') and l.mode = any(:modes)"
        )
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                now = time.monotonic()
                for table, _mode in conn.execute(query, {"app": APP_NAME, "modes": list(BLOCKING)}):
                    span = self.seen.setdefault(table, [now, now])
                    span[1] = now
                time.sleep(0.02)

    def __enter__(self) -> LockWatch:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.engine.dispose()

    def holds(self) -> dict[str, float]:
        return {table: last - first + 0.02 for table, (first, last) in self.seen.items()}


def step(url: str, command: str, revision: str) -> tuple[float, dict[str, float]]:
    sep = "&" if "?" in url else "?"
    env = dict(os.environ, DATABASE_URL=f"{url}{sep}application_name={APP_NAME}")
    env.setdefault("FLASK_CONFIG", "development")
    env.setdefault("QUEUE_URL", "memory://")
    env["FLASK_APP"] = "wsgi:app"
    flask = str(Path(sys.executable).parent / "flask")
    with LockWatch(url) as watch:
        started = time.monotonic()
        subprocess.run(
            [flask, "db", command, revision],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.monotonic() - started
    return elapsed, watch.holds()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down-to", default="0003")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    revs = revisions()
    head = revs[-1]
    lower = revs.index(args.down_to)
    started = time.monotonic()
    step(url, "upgrade", head)  # nothing to do: the cost of starting `flask` itself
    start_cost = time.monotonic() - started
    print(f"starting flask costs {start_cost:.1f} s: the times below include it once each")
    print(f"down from {head} to {args.down_to}, then up again, one revision a step")
    for index in range(len(revs) - 1, lower, -1):
        elapsed, _holds = step(url, "downgrade", revs[index - 1])
        print(f"  down {revs[index]} -> {revs[index - 1]}: {elapsed:.1f} s")
    print("| migration | time (s) | longest write-blocking lock (table, s) |")
    print("| --- | ---: | --- |")
    worst = 0.0
    for index in range(lower + 1, len(revs)):
        elapsed, holds = step(url, "upgrade", revs[index])
        ordered = sorted(holds.items(), key=lambda item: -item[1])
        worst = max([worst, *holds.values()])
        shown = ", ".join(f"{t} {s:.1f}" for t, s in ordered[:3]) or "none"
        print(f"| {revs[index]} | {elapsed:.1f} | {shown} |")
    print(f"longest write-blocking lock of any migration: {worst:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
