"""The notification centre, e-mail preferences, and the one-click unsubscribe link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ideation.auth.models import User
from ideation.core.forms import EmptyForm
from ideation.core.loaders import or_404
from ideation.core.numbers import parse_page
from ideation.core.security import is_safe_path
from ideation.extensions import csrf, db
from ideation.notifications.forms import preferences_form
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import (
    ALL_KINDS,
    KIND_LABELS,
    mark_read,
    preferences_for,
    read_newsletter_token,
    read_unsubscribe_token,
    set_newsletter_consent,
    set_preference,
    unread_count,
)
from ideation.notifications.services import (
    unsubscribe as unsubscribe_user,
)

bp = Blueprint("notifications", __name__)

PER_PAGE = 20


@bp.app_context_processor
def unread_notifications() -> dict:
    """The unread count shown in the header, for logged-in users only: read with the
    account by the user loader (services.py), or one query when it was loaded otherwise."""
    if current_user and current_user.is_authenticated:
        known = current_user.facts.get("unread_notifications")
        return {"unread_notifications": unread_count(current_user.id) if known is None else known}
    return {"unread_notifications": 0}


@bp.route("/notifications")
@login_required
def index():
    """My notifications, newest first."""
    page = parse_page(request.args.get("page"))
    rows = db.paginate(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page=page,
        per_page=PER_PAGE,
    )
    return render_template("notifications/index.html", rows=rows, form=EmptyForm())


@bp.route("/notifications/lues", methods=["POST"])
@login_required
def mark_all_read():
    """Mark all my notifications as read."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    mark_read(current_user.id)
    db.session.commit()
    flash(_("Toutes vos notifications sont marquées comme lues."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/<int:notification_id>/ouvrir", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    """Mark one notification read and go to what it is about."""
    # Someone else's notification is "not found", like a missing one.
    note = or_404(db.session.get(Notification, notification_id))
    if note.user_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    mark_read(current_user.id, note.id)
    db.session.commit()
    return redirect(note.link if is_safe_path(note.link) else url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """Choose, for each kind of news, e-mail now, in a daily digest, or never."""
    current = preferences_for([current_user.id]).get(current_user.id, {})
    form = preferences_form(current)
    if not form.is_submitted():
        form.newsletter.data = current_user.newsletter_consent_at is not None
    if form.validate_on_submit():
        for kind in KIND_LABELS:
            value = getattr(form, f"kind_{kind.value}").data
            set_preference(current_user.id, kind, Delivery(value))
        set_newsletter_consent(current_user, bool(form.newsletter.data))
        db.session.commit()
        flash(_("Vos préférences sont enregistrées."), "success")
        return redirect(url_for("notifications.preferences"))
    fields = [getattr(form, f"kind_{k.value}") for k in KIND_LABELS]
    return render_template(
        "notifications/preferences.html",
        form=form,
        fields=fields,
        consent_at=current_user.newsletter_consent_at,
    )


@bp.route("/notifications/desabonner/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority; mail clients post here (RFC 8058)
def unsubscribe(token: str):
    """Stop e-mails of one kind (or all) without logging in."""
    data = read_unsubscribe_token(token)
    user = db.session.get(User, data[0]) if data else None
    if data is None or user is None:
        return render_template("auth/token_invalid.html"), 400
    kind = data[1]
    label = None if kind == ALL_KINDS else KIND_LABELS[NotificationKind(kind)]
    if request.method == "POST":
        unsubscribe_user(user.id, kind)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", label=label)
    return render_template("notifications/unsubscribe.html", label=label, token=token)


@bp.route("/lettre/desabonner/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority; mail clients post here (RFC 8058)
def newsletter_unsubscribe(token: str):
    """Stop the newsletter in one click, without logging in."""
    user = read_newsletter_token(token)
    if user is None:
        return render_template("auth/token_invalid.html"), 400
    if request.method == "POST":
        set_newsletter_consent(user, False)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", label=None)
    return render_template("notifications/newsletter_unsubscribe.html", token=token)
