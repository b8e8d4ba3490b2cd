"""Where uploaded files live: one interface, a directory or an S3-compatible store.

`storage()` gives the app's store, chosen by PHOTO_STORAGE_URL:

- unset: a directory under instance/ (`instance/photos`), nothing to install;
- ``file:///srv/fabrique/photos``: a directory shared by several app servers (NFS…);
- ``s3://bucket/prefix``: an S3-compatible store (MinIO, Garage, OVH, Scaleway…),
  with S3_ENDPOINT_URL and the usual AWS_* variables read by boto3.

Every write is whole or absent: a directory write goes to a temporary file beside the
target, is flushed to disk, then renamed over it (atomic on POSIX); an S3 PUT is atomic
by itself. A full disk raises `StorageFull`, any other failure `StorageError`, with
nothing half-written left under the key. Keys are server-made (`[a-z0-9/._-]`), never a
user's file name.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from typing import Any, Protocol

from flask import current_app

try:  # boto3 is needed only for an S3 store (the `s3` extra).
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover - a directory store needs nothing
    boto3 = None
    BotoCoreError = ClientError = OSError  # type: ignore[assignment,misc]

__all__ = [
    "DirectoryStorage",
    "S3Storage",
    "Storage",
    "StorageError",
    "StorageFull",
    "storage",
    "storage_for",
]

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
# Leftovers of a write interrupted before its rename (a worker killed, a full disk).
TEMPORARY_PREFIX = ".part-"
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageError(Exception):
    """The store could not keep or give back a file."""


class StorageFull(StorageError):
    """No space left (disk full, quota reached)."""


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically (replacing what was there)."""

    def get(self, key: str) -> bytes:
        """The bytes under `key`; FileNotFoundError if there are none."""

    def delete(self, key: str) -> None:
        """Remove `key` if present."""

    def keys(self, prefix: str) -> list[str]:
        """Every stored key under `prefix` (a folder), sorted; no temporary file."""

    def sweep(self, prefix: str) -> int:
        """Remove the leftovers of interrupted writes under `prefix`; how many."""


def _check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class DirectoryStorage:
    """Files in a directory (the default under instance/, or a shared mount)."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)

    def _path(self, key: str) -> str:
        return os.path.join(self.root, *_check_key(key).split("/"))

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        folder = os.path.dirname(path)
        temporary = None
        try:
            os.makedirs(folder, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
            temporary = None
        except OSError as error:
            if error.errno in _FULL:
                raise StorageFull(str(error)) from error
            raise StorageError(str(error)) from error
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                    os.rmdir(folder)  # the folder this write made, if nothing else is in it
                except OSError:
                    pass

    def get(self, key: str) -> bytes:
        with open(self._path(key), "rb") as stored:
            return stored.read()

    def delete(self, key: str) -> None:
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            return
        folder = os.path.dirname(self._path(key))
        try:
            os.rmdir(folder)  # the photo's folder, once empty
        except OSError:
            pass

    def _names(self, prefix: str) -> list[str]:
        folder = self._path(prefix)
        try:
            return sorted(os.listdir(folder))
        except FileNotFoundError:
            return []

    def keys(self, prefix: str) -> list[str]:
        return [
            f"{prefix}/{name}"
            for name in self._names(prefix)
            if not name.startswith(TEMPORARY_PREFIX)
        ]

    def sweep(self, prefix: str) -> int:
        removed = 0
        for name in self._names(prefix):
            if name.startswith(TEMPORARY_PREFIX):
                try:
                    os.unlink(os.path.join(self._path(prefix), name))
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed


class S3Storage:
    """Objects in an S3-compatible bucket, for several app servers without a shared disk."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None, **options: Any) -> None:
        if client is None:
            if boto3 is None:
                raise RuntimeError("an s3:// store needs boto3: pip install 'fabrique[s3]'")
            client = boto3.client("s3", **options)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def _name(self, key: str) -> str:
        key = _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")  # type: ignore[union-attr]
            if code in {"EntityTooLarge", "QuotaExceeded", "InsufficientStorage"}:
                raise StorageFull(code) from error
            raise StorageError(str(error)) from error
        except BotoCoreError as error:
            raise StorageError(str(error)) from error

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")  # type: ignore[union-attr]
            if code in {"NoSuchKey", "404"}:
                raise FileNotFoundError(key) from error
            raise StorageError(str(error)) from error
        return answer["Body"].read()  # type: ignore[no-any-return]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self, prefix: str) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self._name(prefix) + "/")
        strip = len(self.prefix) + 1 if self.prefix else 0
        return sorted(item["Key"][strip:] for item in listed.get("Contents", []))

    def sweep(self, prefix: str) -> int:
        return 0  # a PUT is atomic: an interrupted one leaves nothing


def storage_for(url: str | None, instance_path: str, **s3_options: Any) -> Storage:
    """The store a PHOTO_STORAGE_URL names (None: `<instance>/photos`)."""
    if not url:
        return DirectoryStorage(os.path.join(instance_path, "photos"))
    if url.startswith("file://"):
        return DirectoryStorage(url[len("file://") :])
    if url.startswith("s3://"):
        bucket, _, prefix = url[len("s3://") :].partition("/")
        options = {name: value for name, value in s3_options.items() if value}
        return S3Storage(bucket, prefix, **options)
    raise ValueError(f"PHOTO_STORAGE_URL not understood: {url!r} (file:///… or s3://…)")


def storage() -> Storage:
    """The current app's store, built once per app."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("fabrique.storage")
    if found is None:
        found = storage_for(
            app.config.get("PHOTO_STORAGE_URL"),
            app.instance_path,
            endpoint_url=app.config.get("S3_ENDPOINT_URL"),
            region_name=app.config.get("S3_REGION"),
        )
        app.extensions["fabrique.storage"] = found
    return found  # type: ignore[no-any-return]
