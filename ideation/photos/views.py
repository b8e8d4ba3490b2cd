"""Photos: served from our origin (never as a page), hidden and restored by moderators."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.core.forms import EmptyForm
from ideation.core.loaders import or_404
from ideation.core.security import current_actor, require
from ideation.core.storage import StorageError, storage
from ideation.domain import permissions as rules
from ideation.extensions import db
from ideation.photos import services
from ideation.photos.forms import HidePhotoForm
from ideation.photos.models import Photo

bp = Blueprint("photos", __name__)

# Nothing in an image response may run or load anything, even if a browser sniffed it.
IMAGE_POLICY = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


@bp.route("/photos/<token>/<int:width>.jpg")
def serve(token: str, width: int):
    """One photo at one width, as a JPEG: only to whoever may see it and what it illustrates."""
    photo = or_404(services.load_photo(token))
    actor = current_actor()
    view = services.owner_view(actor, photo)
    require(
        view is not None and rules.can_view_photo(actor, view.visible, view.scope, photo.is_hidden)
    )
    if width not in photo.widths:
        abort(404)
    etag = f"{photo.token}-{width}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        try:
            data = storage().get(photo.key(width))
        except (FileNotFoundError, StorageError):
            abort(404)
        response = Response(data, mimetype="image/jpeg")
    response.set_etag(etag)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="photo-{photo.id}-{width}.jpg"'
    response.headers["Content-Security-Policy"] = IMAGE_POLICY
    # Revalidated each time (cheap: 304), so a photo hidden now is hidden at once.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _moderated(photo_id: int) -> tuple[Photo, services.OwnerView]:
    photo = or_404(services.get_photo(photo_id))
    view = services.owner_view(current_actor(), photo)
    if view is None:
        abort(404)
    return photo, view


@bp.route("/photos/<int:photo_id>/masquer", methods=["POST"])
@login_required
def hide(photo_id: int):
    """A moderator hides a photo from everyone else, saying why (audited)."""
    photo, view = _moderated(photo_id)
    require(rules.can_hide_photo(current_actor(), view.scope, photo.is_hidden))
    form = HidePhotoForm()
    if not form.validate_on_submit():
        flash(_("Pour masquer une photo, écrivez pourquoi."), "error")
        return redirect(f"{view.url}#photo-{photo.id}")
    services.hide(current_user, photo, form.reason.data, view)
    db.session.commit()
    flash(_("La photo est masquée. Seule l'équipe de modération la voit encore."), "success")
    return redirect(f"{view.url}#photo-{photo.id}")


@bp.route("/photos/<int:photo_id>/retablir", methods=["POST"])
@login_required
def restore(photo_id: int):
    """A moderator shows a hidden photo again (audited)."""
    photo, view = _moderated(photo_id)
    require(rules.can_restore(current_actor(), view.scope, photo.is_hidden))
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.restore(current_user, photo, view)
    db.session.commit()
    flash(_("La photo est de nouveau visible."), "success")
    return redirect(f"{view.url}#photo-{photo.id}")
