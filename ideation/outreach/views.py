"""Messages to a scope: write, preview with the recipient count, send; the list of sent ones."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideation.core.security import current_actor, require
from ideation.domain import permissions as rules
from ideation.domain.outreach import MessageKind, ScopeKind
from ideation.extensions import db
from ideation.outreach import services
from ideation.outreach.forms import MessageForm

bp = Blueprint("outreach", __name__)


def _ids(form: MessageForm, scope_kind: ScopeKind) -> list[int]:
    """The ids the form chose for this kind of scope (0 stands for "none")."""
    if scope_kind == ScopeKind.RESIDENCES:
        return sorted({i for i in form.residence_ids.data or [] if i})
    field = {
        ScopeKind.CHALLENGE: form.challenge_id,
        ScopeKind.HOUSE: form.house_id,
    }.get(scope_kind, form.organisation_id)
    return [field.data] if field.data else []


def _prepare(form: MessageForm, actor: rules.Actor) -> None:
    form.kind.choices = [(k.value, label) for k, label in services.KIND_LABELS.items()]
    form.scope_kind.choices = [(k.value, spec.label) for k, spec in services.SCOPES.items()]
    form.organisation_id.choices = [(0, _("— Choisir —"))] + services.SCOPES[
        ScopeKind.ORGANISATION
    ].choices(actor)
    form.residence_ids.choices = services.SCOPES[ScopeKind.RESIDENCES].choices(actor)
    form.challenge_id.choices = [(0, _("— Choisir —"))] + services.SCOPES[
        ScopeKind.CHALLENGE
    ].choices(actor)
    form.house_id.choices = [(0, _("— Choisir —"))] + services.SCOPES[ScopeKind.HOUSE].choices(
        actor
    )


@bp.route("/messages")
@login_required
def index():
    """The messages sent to the scopes the reader manages, newest first."""
    actor = current_actor()
    require(rules.can_write_messages(actor))
    return render_template(
        "outreach/index.html",
        messages=services.sent_messages(actor),
        kinds=services.KIND_LABELS,
    )


@bp.route("/messages/nouveau", methods=["GET", "POST"])
@login_required
def write():
    """Write to the participants of a scope one manages: preview and count, then send."""
    actor = current_actor()
    require(rules.can_write_messages(actor))
    form = MessageForm()
    _prepare(form, actor)
    preview = None
    if form.validate_on_submit():
        kind = MessageKind(form.kind.data)
        scope_kind = ScopeKind(form.scope_kind.data)
        ids = _ids(form, scope_kind)
        target = {
            ScopeKind.ORGANISATION: form.organisation_id,
            ScopeKind.RESIDENCES: form.residence_ids,
            ScopeKind.CHALLENGE: form.challenge_id,
            ScopeKind.HOUSE: form.house_id,
        }[scope_kind]
        if not ids:
            target.errors = [*target.errors, _("Choisissez à qui écrire.")]
        elif not services.may_send(actor, scope_kind, ids):
            # Checked on the server: a forged id is refused, nothing is written.
            target.errors = [
                *target.errors,
                _("Vous ne pouvez écrire qu'aux personnes des lieux et des défis que vous animez."),
            ]
        else:
            count = services.count_recipients(scope_kind, ids, kind)
            if form.send.data and count:
                services.create_message(
                    current_user,
                    kind=kind,
                    scope_kind=scope_kind,
                    ids=ids,
                    subject=form.subject.data,
                    body=form.body.data.replace("\r\n", "\n").strip(),
                )
                db.session.commit()
                flash(
                    ngettext(
                        "Message envoyé : %(num)d personne le recevra dans quelques minutes.",
                        "Message envoyé : %(num)d personnes le recevront dans quelques minutes.",
                        count,
                    ),
                    "success",
                )
                return redirect(url_for("outreach.index"))
            preview = {
                "count": count,
                "scope": services.SCOPES[scope_kind].describe(ids),
                "kind": services.KIND_LABELS[kind],
                "subject": form.subject.data,
                "body": form.body.data,
            }
            if form.send.data:
                form.form_errors.append(
                    _("Personne ne recevrait ce message : choisissez un autre public.")
                )
    return render_template("outreach/write.html", form=form, preview=preview)
