"""When the photo store fails (issue 16): a full disk for real, a worker killed in the
middle of a resize, and the S3-compatible store behind the same interface."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from ideation import routines
from ideation.core import queue
from ideation.core.storage import (
    TEMPORARY_PREFIX,
    DirectoryStorage,
    S3Storage,
    StorageFull,
    storage_for,
)
from ideation.dashboard import aggregates
from ideation.ideas.models import Idea
from ideation.photos import services as photo_services
from ideation.photos.models import Photo, PhotoOwner
from tests.factories import make_challenge, make_idea, make_org, make_residence, make_user
from tests.photo_files import jpeg, stored_files

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Un banc devant l'entrée"


def _use_store(apps, store):
    saved = [(a, a.extensions.get("fabrique.storage")) for a in apps]
    for a in apps:
        a.extensions["fabrique.storage"] = store
    return saved


def _restore(saved):
    for a, previous in saved:
        if previous is None:
            a.extensions.pop("fabrique.storage", None)
        else:
            a.extensions["fabrique.storage"] = previous


def _noisy_jpeg() -> bytes:
    """A photo whose re-encoding weighs far more than a few kilobytes (noise does not compress)."""
    image = Image.effect_noise((1200, 900), 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def tenant_on_a_challenge(db, login):
    org = make_org("Rhône Disque")
    residence = make_residence(org)
    make_challenge(phase="ideation", org=org, slug="defi-disque")
    tenant = make_user(org=org, residence=residence)
    db.session.commit()
    login(tenant)
    return tenant


def _post(client, photo: bytes):
    return client.post(
        "/defis/defi-disque/idees/nouvelle",
        data={
            "title": TITLE,
            "summary": "Pour attendre le bus à l'abri.",
            "theme_id": "0",
            "residence_id": "0",
            "save_draft": "1",
            "photo": (io.BytesIO(photo), "banc.jpg"),
            "photo_alt": "L'entrée sans banc",
        },
        content_type="multipart/form-data",
    )


# --------------------------------------------------------------------------- full disk


@pytest.fixture
def full_disk(tmp_path, app, data_app):
    """A real 1 MB tmpfs (root only), filled up but for one page, as the photo store."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        # Not root (CI runners): the ENOSPC test below covers the same path by injection.
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        filler = mount / "filler"
        descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(descriptor, b"\0" * 4096):
                pass
        except OSError as error:
            assert error.errno == errno.ENOSPC
        finally:
            os.close(descriptor)
        os.truncate(filler, filler.stat().st_size - 4096)
        store = DirectoryStorage(str(mount))
        saved = _use_store((app, data_app), store)
        yield store
        _restore(saved)
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_a_clear_form_error_keeps_the_text_and_leaves_nothing(
    client, db, tenant_on_a_challenge, full_disk
):
    response = _post(client, _noisy_jpeg())
    assert response.status_code == 507
    assert "Le serveur n'a plus de place pour les photos" in response.text.replace("&#39;", "'")
    assert TITLE.replace("'", "&#39;") in response.text  # the idea's text is kept
    db.session.rollback()
    assert db.session.scalar(select(func.count(Idea.id))) == 0
    assert db.session.scalar(select(func.count(Photo.id))) == 0
    assert stored_files(full_disk) == ["filler"]  # no temporary, no half file
    photos_dir = os.path.join(full_disk.root, "photos")
    assert not os.path.exists(photos_dir) or os.listdir(photos_dir) == []  # no photo folder
    # Room made again: the same form goes through.
    os.unlink(os.path.join(full_disk.root, "filler"))
    assert _post(client, _noisy_jpeg()).status_code == 302


def test_a_disk_that_fills_during_the_write_is_caught_too(tmp_path, monkeypatch):
    """Without root (no tmpfs): ENOSPC raised by fsync, after the bytes were written."""
    store = DirectoryStorage(str(tmp_path / "store"))

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageFull):
        store.put("photos/abc/full.jpg", b"x" * 10_000)
    assert stored_files(store) == []


# --------------------------------------------------------------------------- resize idempotent


def test_the_resize_job_run_twice_or_after_a_cut_write_leaves_one_set_of_files(
    db, tmp_path, app, data_app
):
    store = DirectoryStorage(str(tmp_path / "store"))
    saved = _use_store((app, data_app), store)
    try:
        idea = make_idea(make_challenge(), status="published")
        photo = photo_services.attach(
            PhotoOwner.IDEA, idea.id, idea.author, photo_services.prepare(jpeg(1200, 800)), "Vue"
        )
        db.session.commit()  # the job ran once (inline)
        first = {name: store.get(name) for name in stored_files(store)}
        assert len(first) == 4
        photo_services.make_variants(photo.id)  # and again
        assert {name: store.get(name) for name in stored_files(store)} == first
        # A run cut short: one width missing, a temporary file left by the killed write.
        os.unlink(os.path.join(store.root, photo.folder, "w1024.jpg"))
        with open(os.path.join(store.root, photo.folder, TEMPORARY_PREFIX + "x1"), "wb") as out:
            out.write(b"\xff\xd8half")
        photo_services.make_variants(photo.id)
        assert stored_files(store) == sorted(first)
    finally:
        _restore(saved)


def test_only_photos_left_unfinished_for_a_while_are_picked_up_again(db, tmp_path, app, data_app):
    store = DirectoryStorage(str(tmp_path / "store"))
    saved = _use_store((app, data_app), store)
    try:
        idea = make_idea(make_challenge(), status="published")
        old, fresh, small = (
            photo_services.attach(PhotoOwner.IDEA, idea.id, idea.author, prepared, "Vue")
            for prepared in (
                photo_services.prepare(jpeg(1200, 800)),
                photo_services.prepare(jpeg(1200, 800)),
                photo_services.prepare(jpeg(300, 200)),
            )
        )
        db.session.commit()  # the jobs ran inline
        for photo in (old, fresh, small):
            photo.variant_widths = ""  # as if every job was lost
        old.created_at -= timedelta(minutes=10)
        small.created_at -= timedelta(minutes=10)
        db.session.commit()
        assert [p.id for p in photo_services.unfinished()] == [old.id]
        assert routines.finish_photos() == 1
        db.session.expire_all()
        assert db.session.get(Photo, old.id).widths == [320, 640, 1024, 1200]
        assert db.session.get(Photo, fresh.id).variant_widths == ""
    finally:
        _restore(saved)


def _consumer(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "huey.bin.huey_consumer",
            "tests.photo_worker.huey",
            "-w",
            "1",
            "-n",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL reaches it and only it
    )


def _wait(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_in_the_middle_of_a_resize_leaves_one_set_once_run_again(
    db, database_url, tmp_path, app, data_app, monkeypatch
):
    # Only the resize job in the queue's file (a new idea also asks for a dashboard refresh).
    monkeypatch.setattr(aggregates, "request_refresh", lambda: None)
    store_dir = tmp_path / "store"
    store = DirectoryStorage(str(store_dir))
    saved = _use_store((app, data_app), store)
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    previous_queue = queue.huey.storage_url
    queue.configure(queue_url, immediate=False)
    flag = tmp_path / "killed-here"
    env = {
        **os.environ,
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": database_url,
        "QUEUE_URL": queue_url,
        "QUEUE_IMMEDIATE": "0",
        "PHOTO_STORAGE_URL": f"file://{store_dir}",
    }
    worker = None
    try:
        idea = make_idea(make_challenge(), status="published")
        photo = photo_services.attach(
            PhotoOwner.IDEA, idea.id, idea.author, photo_services.prepare(jpeg(1200, 800)), "Vue"
        )
        db.session.commit()  # the resize job is now in the queue's file
        photo_id, folder = photo.id, photo.folder
        assert queue.huey.pending_count() == 1

        worker = _consumer({**env, "PHOTO_KILL_FLAG": str(flag)})
        assert _wait(flag.exists), "the worker never reached the 640 px write"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        cut = stored_files(store)
        # Killed between writing the 640 px file and renaming it: a temporary file is left.
        assert f"{folder}/full.jpg" in cut and f"{folder}/w320.jpg" in cut
        assert f"{folder}/w640.jpg" not in cut
        assert any(TEMPORARY_PREFIX in name for name in cut), cut
        db.session.expire_all()
        assert db.session.get(Photo, photo_id).variant_widths == ""
        # Huey does not hand a dead worker's job back (the worker's own start-up catch-up
        # may still wait in the queue: only the resize is looked for).
        assert [t.name for t in queue.huey.pending() if "variants" in t.name] == []

        # Run again, as the ten-minute job does for photos left unfinished.
        worker = _consumer(env)
        photo_services.make_variants(photo_id)  # enqueued in the file
        assert _wait(
            lambda: db.session.expire_all() or db.session.get(Photo, photo_id).variant_widths
        ), worker
        assert stored_files(store) == sorted(
            f"{folder}/{name}" for name in ("full.jpg", "w320.jpg", "w640.jpg", "w1024.jpg")
        )
        for name in stored_files(store):
            Image.open(io.BytesIO(store.get(name))).load()  # every file whole
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.communicate(timeout=30)
        queue.configure(previous_queue, immediate=True)
        _restore(saved)


# --------------------------------------------------------------------------- S3


@pytest.fixture(scope="module")
def s3_server():
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_store(s3_server, monkeypatch, app, data_app):
    boto3 = pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3")
    bucket = f"fabrique-{os.getpid()}-{time.monotonic_ns()}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    store = storage_for(
        f"s3://{bucket}/photos-prod", "/unused", endpoint_url=s3_server, region_name="eu-west-3"
    )
    assert isinstance(store, S3Storage)
    saved = _use_store((app, data_app), store)
    yield store
    _restore(saved)


def test_the_s3_store_keeps_gives_back_lists_and_deletes(s3_store):
    s3_store.put("photos/abc/full.jpg", b"one")
    s3_store.put("photos/abc/w320.jpg", b"two")
    s3_store.put("photos/abc/full.jpg", b"three")  # replaced whole
    assert s3_store.get("photos/abc/full.jpg") == b"three"
    assert s3_store.keys("photos/abc") == ["photos/abc/full.jpg", "photos/abc/w320.jpg"]
    s3_store.delete("photos/abc/w320.jpg")
    assert s3_store.keys("photos/abc") == ["photos/abc/full.jpg"]
    with pytest.raises(FileNotFoundError):
        s3_store.get("photos/abc/w320.jpg")
    with pytest.raises(ValueError):
        s3_store.put("../escape", b"x")


def test_a_photo_goes_through_an_s3_compatible_store(client, db, tenant_on_a_challenge, s3_store):
    assert _post(client, jpeg(1200, 800)).status_code == 302
    photo = db.session.scalar(select(Photo))
    assert s3_store.keys(photo.folder) == sorted(
        f"{photo.folder}/{name}" for name in ("full.jpg", "w1024.jpg", "w320.jpg", "w640.jpg")
    )
    served = client.get(f"/photos/{photo.token}/640.jpg")
    assert served.status_code == 200 and Image.open(io.BytesIO(served.data)).width == 640
