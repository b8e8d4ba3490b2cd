"""The photo fields a form adds (`PhotoFields`), read and checked by `read_photo`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ideation.core.forms import REQUIRED, TOO_LONG, LineField
from ideation.core.images import ImageRefused, Prepared
from ideation.core.uploads import body_too_large
from ideation.photos import services
from ideation.photos.models import ALT_MAX


class PhotoFields:
    """Mixed into a FlaskForm; the template puts these fields last (core/uploads.py says why)."""

    photo = FileField(
        _l("Photo (facultatif)"),
        description=_l(
            "Prenez une photo avec votre téléphone ou choisissez-en une (JPEG, PNG ou WebP, "
            "10 Mo au plus). Sa position GPS et ses autres informations sont effacées."
        ),
    )
    photo_alt = LineField(
        _l("Ce que montre la photo"),
        validators=[Optional(), Length(max=ALT_MAX, message=TOO_LONG)],
        description=_l(
            "Quelques mots pour les personnes qui ne voient pas l'image, par exemple "
            "« La porte du local à vélos, cassée »."
        ),
    )


@dataclass(frozen=True)
class PhotoUpload:
    prepared: Prepared
    alt_text: str


def read_photo(form: FlaskForm, already: int = 0) -> tuple[bool, PhotoUpload | None]:
    """Check the form's photo (if any) by its content; errors go on the photo fields.

    Returns (fine, upload): fine is False when something must be corrected; upload is the
    checked, re-encoded photo to attach, or None when none was sent.
    """
    photo_field, alt_field = form.photo, form.photo_alt  # type: ignore[attr-defined]
    if body_too_large():
        photo_field.errors = [*photo_field.errors, services.refusal_message(ImageRefused.TOO_BIG)]
        return False, None
    upload = photo_field.data
    if not isinstance(upload, FileStorage) or not upload.filename:
        return True, None
    if already >= services.PHOTOS_PER_OWNER:
        photo_field.errors = [
            *photo_field.errors,
            ngettext(
                "%(num)d photo au plus : celle-ci n'a pas été ajoutée.",
                "%(num)d photos au plus : celle-ci n'a pas été ajoutée.",
                services.PHOTOS_PER_OWNER,
            ),
        ]
        return False, None
    limit = int(current_app.config["PHOTO_MAX_BYTES"])
    data = upload.stream.read(limit + 1)
    fine = True
    prepared = None
    try:
        prepared = services.prepare(data)
    except ImageRefused as refused:
        photo_field.errors = [*photo_field.errors, services.refusal_message(refused.reason)]
        fine = False
    if not (alt_field.data or "").strip():
        alt_field.errors = [
            *alt_field.errors,
            _("Décrivez la photo en quelques mots : c'est ce que liront les personnes aveugles."),
        ]
        fine = False
    if not fine or prepared is None:
        return False, None
    return True, PhotoUpload(prepared, alt_field.data)


class HidePhotoForm(FlaskForm):
    reason = TextAreaField(
        _l("Pourquoi masquer cette photo ?"),
        validators=[DataRequired(REQUIRED), Length(max=1000, message=TOO_LONG)],
    )
