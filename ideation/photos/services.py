"""What the photos area does: attach a checked photo to an owner, resize it, hide, erase, export.

The owner is named by a kind and an id (`PhotoOwner`), so this area imports none of the
areas whose things have photos. Each of those registers, when the app is built, how to
find out for a viewer whether the owner is visible, whose moderators look after it and
where its page is (`register_owner`); adding workshop minutes is one more registration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from ideation.auth.models import User
from ideation.core import images
from ideation.core.audit import audit
from ideation.core.images import ImageRefused, Prepared
from ideation.core.queue import enqueue_after_commit, task
from ideation.core.storage import StorageError, StorageFull, storage
from ideation.db_types import utcnow
from ideation.domain.permissions import Actor, Scope
from ideation.extensions import db
from ideation.photos.models import Photo, PhotoOwner, new_token

# How many photos one idea, one pilot update… may carry.
PHOTOS_PER_OWNER = 4

# Tests pause the resize job between two widths (tests/test_photo_worker.py kills it there).
PAUSE_HOOK: Callable[[str], None] | None = None


@dataclass(frozen=True)
class OwnerView:
    """What a photo illustrates, as one viewer sees it."""

    visible: bool  # the viewer may see the owner (its page)
    scope: Scope  # whose moderators look after it
    url: str  # the page that shows the photo


OwnerLookup = Callable[[Actor, int], OwnerView | None]
OWNERS: dict[PhotoOwner, OwnerLookup] = {}


def register_owner(kind: PhotoOwner, lookup: OwnerLookup) -> None:
    """Say how to see an owner of this kind (called by the app factory for each area)."""
    OWNERS[kind] = lookup


def owner_view(actor: Actor, photo: Photo) -> OwnerView | None:
    lookup = OWNERS.get(photo.owner_kind)
    return lookup(actor, photo.owner_id) if lookup is not None else None


def load_photo(token: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.token == token[:32]))


def get_photo(photo_id: int) -> Photo | None:
    return db.session.get(Photo, photo_id)


# --------------------------------------------------------------------------- words


def refusal_message(reason: str) -> str:
    """Why a file was refused, for the person who sent it."""
    limit = current_app.config["PHOTO_MAX_BYTES"] // (1024 * 1024)
    messages = {
        # A unit takes no plural ("10 Mo"): the size is not a count.
        ImageRefused.TOO_BIG: _(
            "La photo est trop lourde : %(size)d Mo au plus. Choisissez-en une autre "
            "ou envoyez votre texte sans photo.",
            size=limit,
        ),
        ImageRefused.NOT_AN_IMAGE: _(
            "Ce fichier n'est pas une photo. Choisissez une image JPEG, PNG ou WebP."
        ),
        ImageRefused.DAMAGED: _(
            "Cette photo est abîmée ou incomplète. Reprenez-la ou choisissez-en une autre."
        ),
        ImageRefused.TOO_MANY_PIXELS: _(
            "Cette image est beaucoup trop grande (en nombre de points). Choisissez une photo "
            "prise avec un téléphone ou un appareil photo."
        ),
        ImageRefused.NOT_ONLY_AN_IMAGE: _(
            "Ce fichier contient autre chose qu'une image. Choisissez une vraie photo."
        ),
    }
    return messages.get(reason, messages[ImageRefused.NOT_AN_IMAGE])


def storage_message(error: StorageError) -> str:
    if isinstance(error, StorageFull):
        return _(
            "Le serveur n'a plus de place pour les photos. Votre texte est gardé ci-dessous : "
            "envoyez-le sans photo, ou réessayez plus tard."
        )
    return _(
        "La photo n'a pas pu être enregistrée. Votre texte est gardé ci-dessous : "
        "réessayez dans un moment."
    )


# --------------------------------------------------------------------------- attach


def prepare(data: bytes) -> Prepared:
    """Check and re-encode an upload (ImageRefused says why not)."""
    return images.prepare(data, int(current_app.config["PHOTO_MAX_BYTES"]))


def count_of(kind: PhotoOwner, owner_id: int) -> int:
    return db.session.scalar(  # type: ignore[return-value]
        select(func.count(Photo.id)).where(Photo.owner_kind == kind, Photo.owner_id == owner_id)
    )


_WRITTEN = "fabrique.photo_folders_written"


def attach(
    kind: PhotoOwner, owner_id: int, uploader: User, prepared: Prepared, alt_text: str
) -> Photo:
    """Store a checked photo and its row; the smaller widths follow in a job.

    The file is written whole first (StorageFull / StorageError otherwise, and nothing is
    left); if the transaction then rolls back, the file is removed, so no file outlives
    its row and no row points to a missing file.
    """
    photo = Photo(
        owner_kind=kind,
        owner_id=owner_id,
        uploader_id=uploader.id,
        alt_text=alt_text.strip(),
        width=prepared.width,
        height=prepared.height,
        variant_widths="",
        token=new_token(),  # known before the insert: the file is written first
    )
    storage().put(photo.key(), prepared.data)
    session = db.session()
    session.info.setdefault(_WRITTEN, []).append(photo.folder)
    db.session.add(photo)
    db.session.flush()
    enqueue_after_commit(make_variants, photo.id)
    return photo


@event.listens_for(Session, "after_commit")
def _keep_written_files(session: Session) -> None:
    if session.get_nested_transaction() is None:
        session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_soft_rollback")
def _drop_written_files(session: Session, previous_transaction) -> None:  # type: ignore[no-untyped-def]
    if previous_transaction.parent is not None:
        return
    folders = session.info.pop(_WRITTEN, None)
    for folder in folders or ():
        _delete_folder(folder)


# --------------------------------------------------------------------------- variants


def finish_variants(photo: Photo) -> list[int]:
    """Make the smaller widths the store lacks. Run twice, or after a run killed midway,
    it ends with the same one set of files: each width is written whole under a fixed
    key or not at all, and leftovers of a cut write are swept first."""
    store = storage()
    store.sweep(photo.folder)
    present = set(store.keys(photo.folder))
    widths = images.widths_for(photo.width)
    full: bytes | None = None
    for width in widths:
        if photo.key(width) in present:
            continue
        if full is None:
            full = store.get(photo.key())
        if PAUSE_HOOK is not None:
            PAUSE_HOOK(f"variant-{width}")
        store.put(photo.key(width), images.variant(full, width))
    photo.variant_widths = ",".join(str(width) for width in widths)
    return widths


@task(retries=3, retry_delay=60)
def make_variants(photo_id: int) -> None:
    """The smaller widths of a new photo (served with srcset)."""
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        return  # erased meanwhile
    finish_variants(photo)
    db.session.commit()


def unfinished(older_than_seconds: int = 300) -> list[Photo]:
    """Photos whose resize job never finished (a worker killed, the queue lost)."""
    return list(
        db.session.scalars(
            select(Photo)
            .where(
                Photo.variant_widths == "",
                Photo.width > min(images.VARIANT_WIDTHS),
                Photo.created_at <= utcnow() - timedelta(seconds=older_than_seconds),
            )
            .order_by(Photo.id)
        )
    )


def finish_unfinished() -> int:
    """Run the resize again for every photo left unfinished; how many were finished."""
    done = 0
    for photo in unfinished():
        try:
            finish_variants(photo)
        except (StorageError, FileNotFoundError, OSError):
            current_app.logger.exception("photo %s: resize failed again", photo.id)
            continue
        db.session.commit()
        done += 1
    return done


# --------------------------------------------------------------------------- show


def photos_of(
    kind: PhotoOwner, owner_ids: Iterable[int], with_hidden: bool = False
) -> dict[int, list[Photo]]:
    """The photos of several owners of one kind, in one query, oldest first."""
    ids = list(owner_ids)
    found: dict[int, list[Photo]] = {owner_id: [] for owner_id in ids}
    if not ids:
        return found
    query = select(Photo).where(Photo.owner_kind == kind, Photo.owner_id.in_(ids))
    if not with_hidden:
        query = query.where(Photo.hidden_at.is_(None))
    for photo in db.session.scalars(query.order_by(Photo.id)):
        found[photo.owner_id].append(photo)
    return found


# --------------------------------------------------------------------------- moderate


def hide(actor: User, photo: Photo, reason: str, view: OwnerView) -> None:
    """Hide a photo from everyone but moderators, with the reason; audited."""
    photo.hidden_at = utcnow()
    photo.hidden_reason = reason.strip()
    photo.audit_organisation_id = view.scope.organisation_id  # type: ignore[attr-defined]
    audit(actor, "photo.hide", photo, reason)


def restore(actor: User, photo: Photo, view: OwnerView) -> None:
    photo.hidden_at = None
    photo.hidden_reason = None
    photo.audit_organisation_id = view.scope.organisation_id  # type: ignore[attr-defined]
    audit(actor, "photo.restore", photo)


# --------------------------------------------------------------------------- privacy


def _delete_folder(folder: str) -> None:
    store = storage()
    store.sweep(folder)
    for key in store.keys(folder):
        store.delete(key)


@task(retries=3, retry_delay=60)
def delete_files(folders: list[str]) -> None:
    """Remove the files of deleted photos (after the rows are gone); safe to run again."""
    for folder in folders:
        _delete_folder(folder)


def erase_photos_of(user_id: int) -> int:
    """Delete a person's photos: the rows now, the files once that commits."""
    photos = list(db.session.scalars(select(Photo).where(Photo.uploader_id == user_id)))
    if not photos:
        return 0
    folders = [photo.folder for photo in photos]
    db.session.execute(delete(Photo).where(Photo.id.in_([photo.id for photo in photos])))
    enqueue_after_commit(delete_files, folders)
    return len(photos)


def export_of(user_id: int) -> list[dict]:
    """The person's photos, for their RGPD export."""
    rows = db.session.scalars(select(Photo).where(Photo.uploader_id == user_id).order_by(Photo.id))
    return [
        {
            "id": photo.id,
            "on": photo.owner_kind.value,
            "on_id": photo.owner_id,
            "alt_text": photo.alt_text,
            "width": photo.width,
            "height": photo.height,
            "hidden": photo.is_hidden,
            "hidden_reason": photo.hidden_reason,
            "created_at": photo.created_at.isoformat(),
            "url": url_for("photos.serve", token=photo.token, width=photo.width),
        }
        for photo in rows
    ]
