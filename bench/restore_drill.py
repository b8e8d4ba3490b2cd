"""The restore drill: back up a demo installation, restore it elsewhere, find it identical.

    python bench/restore_drill.py                       # SQLite (the backup API)
    python bench/restore_drill.py --postgres URL        # PostgreSQL (pg_dump / pg_restore);
                                                        # URL of a server whose `postgres`
                                                        # database may create databases
    python bench/restore_drill.py --keep DIR            # keep the backup files in DIR

1. builds a demo installation: a fresh database, `flask db upgrade`, `flask seed-demo`,
   and an uploads directory (UPLOADS_DIR) with a few files in sub-directories;
2. reads it as a visitor would: every public page (home, challenges, ideas, results,
   pilot projects), every stored result, and the offline recount of each vote's ballot
   file (`python -m ideation.recount --json`);
3. backs it up exactly as docs/operations.md says (PostgreSQL: `pg_dump -Fc`; SQLite: the
   online backup API; the uploads: a tar archive);
4. restores into a fresh database and a fresh directory, and reads everything again.

Exits 1 (and says what differs) unless every page, result, recount and file is the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_flask(url: str, *args: str) -> None:
    env = dict(
        os.environ,
        FLASK_APP="wsgi:app",
        FLASK_CONFIG="development",
        DATABASE_URL=url,
        QUEUE_URL="memory://",
        QUEUE_IMMEDIATE="1",
        MAIL_CONSOLE="0",
    )
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def libpq(url: str) -> str:
    """The URL pg_dump understands (no SQLAlchemy driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


# ----------------------------------------------------------------------- what a visitor sees


def _normalise(page: str) -> str:
    # The nonce-free pages differ only by the tokens forms carry: drop those.
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def read_installation(url: str, uploads: Path) -> dict[str, str]:
    """Every public page, stored result and recount, and every uploaded file, by name."""
    from sqlalchemy import select

    from ideation import create_app
    from ideation.challenges.models import Challenge
    from ideation.extensions import db
    from ideation.ideas.models import Idea
    from ideation.pilots.models import Pilot
    from ideation.voting.models import VoteFile, VoteResult

    app = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url, "UPLOADS_DIR": str(uploads)}
    )
    seen: dict[str, str] = {}
    with app.app_context():
        paths = ["/", "/defis", "/projets-pilotes"]
        challenges = db.session.scalars(select(Challenge).order_by(Challenge.id)).all()
        for challenge in challenges:
            paths.append(f"/defis/{challenge.slug}")
        results = db.session.scalars(select(VoteResult).order_by(VoteResult.challenge_id)).all()
        for result in results:
            slug = result.challenge.slug
            paths.append(f"/defis/{slug}/resultats")
            seen[f"result:{slug}"] = json.dumps(
                {
                    "digest": result.digest,
                    "ranking": result.ranking,
                    "winners": result.winners,
                    "ballots": result.ballots_count,
                },
                sort_keys=True,
            )
            for vote_file in db.session.scalars(
                select(VoteFile).where(VoteFile.challenge_id == result.challenge_id)
            ):
                seen[f"file:{slug}:{vote_file.kind}"] = hashlib.sha256(vote_file.body).hexdigest()
                if vote_file.kind == "csv":
                    seen[f"recount:{slug}"] = _recount(vote_file.body, result)
        for idea_id in db.session.scalars(select(Idea.id).order_by(Idea.id)):
            paths.append(f"/idees/{idea_id}")
        for pilot_id in db.session.scalars(select(Pilot.id).order_by(Pilot.id)):
            paths.append(f"/projets-pilotes/{pilot_id}")
        db.session.remove()
    client = app.test_client()
    for path in paths:
        answer = client.get(path)
        seen[f"page:{path}"] = (
            f"{answer.status_code} "
            + hashlib.sha256(_normalise(answer.get_data(as_text=True)).encode()).hexdigest()
        )
    for file in sorted(p for p in uploads.rglob("*") if p.is_file()):
        seen[f"upload:{file.relative_to(uploads)}"] = hashlib.sha256(file.read_bytes()).hexdigest()
    with app.app_context():
        db.engine.dispose()
    return seen


def _recount(body: bytes, result) -> str:  # type: ignore[no-untyped-def]
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(body)
        handle.flush()
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "ideation.recount",
                handle.name,
                "--json",
                "--method",
                str(result.method),
                "--winners",
                str(result.winners_count),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    recount = json.loads(out)
    return json.dumps(
        {"digest": recount.get("digest"), "winners": recount.get("winners")}, sort_keys=True
    )


# ----------------------------------------------------------------------- backup and restore


def back_up(url: str, uploads: Path, into: Path) -> None:
    """The documented backup: the database, then the uploads directory."""
    if url.startswith("sqlite:///"):
        source = sqlite3.connect(url[len("sqlite:///") :])
        target = sqlite3.connect(into / "fabrique.db")
        with target:
            source.backup(target)  # consistent even while the site writes
        target.close()
        source.close()
    else:
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(into / "fabrique.dump"), libpq(url)],
            check=True,
        )
    with tarfile.open(into / "uploads.tar.gz", "w:gz") as archive:
        archive.add(uploads, arcname="uploads")


def restore(backup: Path, url: str, uploads: Path) -> None:
    """Into an empty database and an empty directory."""
    if url.startswith("sqlite:///"):
        source = sqlite3.connect(backup / "fabrique.db")
        target = sqlite3.connect(url[len("sqlite:///") :])
        with target:
            source.backup(target)
        target.close()
        source.close()
    else:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "-d",
                libpq(url),
                str(backup / "fabrique.dump"),
            ],
            check=True,
        )
    with tarfile.open(backup / "uploads.tar.gz") as archive:
        archive.extractall(uploads.parent, filter="data")
    (uploads.parent / "uploads").rename(uploads) if uploads.name != "uploads" else None


def _new_database(server: str | None, work: Path, name: str) -> str:
    if server is None:
        return f"sqlite:///{work / (name + '.db')}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    database = f"drill_{name}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return sa.engine.make_url(server).set(database=database).render_as_string(hide_password=False)


def _drop(server: str | None, url: str) -> None:
    if server is None:
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)')
        )
    admin.dispose()


def drill(server: str | None, work: Path) -> list[str]:
    """The differences found (none: the restore is faithful)."""
    original = _new_database(server, work, "original")
    restored = _new_database(server, work, "restored")
    try:
        run_flask(original, "db", "upgrade")
        run_flask(original, "seed-demo")
        uploads = work / "uploads"
        for name, content in (
            ("ideas/12/banc.jpg", b"\xff\xd8photo-du-banc"),
            ("ideas/12/plan.pdf", b"%PDF-plan"),
            ("pilots/3/avant.png", b"\x89PNG-avant"),
        ):
            (uploads / name).parent.mkdir(parents=True, exist_ok=True)
            (uploads / name).write_bytes(content)
        before = read_installation(original, uploads)
        backup = work / "backup"
        backup.mkdir()
        back_up(original, uploads, backup)
        fresh_uploads = work / "restored-uploads"
        restore(backup, restored, fresh_uploads)
        after = read_installation(restored, fresh_uploads)
    finally:
        _drop(server, original)
        _drop(server, restored)
    differences = [
        key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)
    ]
    pages = sum(1 for key in before if key.startswith("page:"))
    print(
        f"read {pages} pages, {sum(k.startswith('result:') for k in before)} results, "
        f"{sum(k.startswith('recount:') for k in before)} recounts, "
        f"{sum(k.startswith('upload:') for k in before)} uploaded files, before and after"
    )
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server (its admin URL)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the backup")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="restore-drill-"))
    work.mkdir(parents=True, exist_ok=True)
    differences = drill(args.postgres, work)
    for key in differences[:20]:
        print("  DIFFERS", key)
    print("restore drill:", "FAILED" if differences else "everything is the same")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
