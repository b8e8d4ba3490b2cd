"""Ideas: write, check for similar ideas, send, edit, withdraw, support; facilitators publish and shortlist."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ideation.challenges.models import Challenge
from ideation.challenges.services import load_challenge, themes
from ideation.comments import services as comment_services
from ideation.comments.forms import CommentForm
from ideation.core import limits
from ideation.core.forms import EmptyForm
from ideation.core.numbers import parse_page
from ideation.core.security import current_actor, require, require_participation, safe_next
from ideation.core.storage import StorageError
from ideation.core.transitions import refusal_message
from ideation.core.uploads import accepts_upload, body_too_large
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.idea_states import IdeaStatus, TransitionRefused
from ideation.domain.permissions import Actor
from ideation.extensions import db
from ideation.ideas import lifecycle, services
from ideation.ideas.forms import IdeaForm, SupportForm
from ideation.ideas.models import Idea
from ideation.moderation import services as moderation
from ideation.orgs.models import Residence
from ideation.photos import services as photo_services
from ideation.photos.forms import PhotoUpload, read_photo
from ideation.photos.models import PhotoOwner
from ideation.pilots.services import pilot_of_idea
from ideation.pilots.views import volunteering

bp = Blueprint("ideas", __name__)


def _residence_choices(challenge: Challenge) -> list[Residence]:
    """The residences an idea may be about: the challenge's, or its landlord's, or the author's landlord's."""
    if challenge.residences:
        return list(challenge.residences)
    org_id = challenge.organisation_id or current_user.organisation_id
    query = select(Residence).order_by(Residence.name)
    if not (
        challenge.organisation_id is None
        and current_user.organisation
        and current_user.organisation.is_regional
    ):
        query = query.where(Residence.organisation_id == org_id)
    return list(db.session.scalars(query))


def _prepare(form: IdeaForm, challenge: Challenge) -> list[Residence]:
    form.theme_id.choices = [(0, _("— Choisir —"))] + [(t.id, t.name) for t in themes()]
    residences = _residence_choices(challenge)
    form.residence_id.choices = [(0, _("Aucune en particulier"))] + [
        (r.id, r.label) for r in residences
    ]
    return residences


def _checked(form: IdeaForm, residences: list[Residence]) -> bool:
    ok = True
    if form.theme_id.data not in [c[0] for c in form.theme_id.choices]:
        form.theme_id.errors.append(_("Choisissez dans la liste."))
        ok = False
    if form.residence_id.data and form.residence_id.data not in {r.id for r in residences}:
        form.residence_id.errors.append(_("Choisissez dans la liste."))
        ok = False
    return ok


def _data(form: IdeaForm) -> services.IdeaData:
    return services.IdeaData(
        title=form.title.data,
        summary=" ".join((form.summary.data or "").split()),
        body=(form.body.data or "").replace("\r\n", "\n").strip(),
        theme_id=form.theme_id.data or None,
        residence_id=form.residence_id.data or None,
    )


def _after_save(idea: Idea, form: IdeaForm):  # type: ignore[no-untyped-def]
    if idea.status == IdeaStatus.DRAFT and form.proceed.data:
        return redirect(url_for("ideas.check", idea_id=idea.id))
    if idea.status == IdeaStatus.DRAFT:
        flash(_("Brouillon enregistré. Vous pourrez l'envoyer plus tard."), "success")
    else:
        flash(_("Modifications enregistrées."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))


def _attach(idea: Idea, upload: PhotoUpload | None) -> None:
    if upload is not None:
        photo_services.attach(
            PhotoOwner.IDEA, idea.id, current_user, upload.prepared, upload.alt_text
        )


def _form_page(form: IdeaForm, challenge: Challenge, idea: Idea | None, status: int = 200):  # type: ignore[no-untyped-def]
    photos = photo_services.photos_of(PhotoOwner.IDEA, [idea.id])[idea.id] if idea else []
    if body_too_large():
        status = 413
    return render_template(
        "ideas/form.html", form=form, challenge=challenge, idea=idea, photos=photos
    ), status


def _storage_refused(form: IdeaForm, error: StorageError) -> None:
    db.session.rollback()
    form.photo.errors = [*form.photo.errors, photo_services.storage_message(error)]


@bp.route("/defis/<slug>/idees/nouvelle", methods=["GET", "POST"])
@login_required
@accepts_upload
def create(slug: str):
    """Write an idea for a challenge, maybe with a photo; it is kept as a draft until sent."""
    challenge = load_challenge(slug)
    require_participation(rules.can_submit_idea, challenge.current_phase(), challenge.scope)
    form = IdeaForm()
    residences = _prepare(form, challenge)
    if not form.is_submitted():
        # Start from what is known: the author's residence (when the challenge covers it)
        # and the challenge's house; both stay a choice.
        form.residence_id.data = (
            current_user.residence_id
            if current_user.residence_id in {r.id for r in residences}
            else 0
        )
        form.theme_id.data = (
            challenge.theme_id if challenge.theme_id in {c[0] for c in form.theme_id.choices} else 0
        )
        return _form_page(form, challenge, None)
    # Every problem in one pass: the text, the lists and the photo.
    valid = form.validate() and _checked(form, residences)
    photo_fine, upload = read_photo(form)
    if not (valid and photo_fine):
        return _form_page(form, challenge, None)
    if limits.limit_reached("ideas", current_user.id):
        form.form_errors.append(limits.message("ideas"))
        return _form_page(form, challenge, None, 429)
    try:
        idea = services.create_idea(challenge, current_user, _data(form))
        _attach(idea, upload)
    except StorageError as error:
        _storage_refused(form, error)
        return _form_page(form, challenge, None, 507)
    db.session.commit()
    limits.count("ideas", current_user.id)
    return _after_save(idea, form)


def _page_extras(idea: Idea, actor: Actor, page: int = 1) -> dict:
    """The comment thread, the team's answer and what the viewer already reported."""
    thread = comment_services.thread(idea.id, page)
    comment_ids = [c.id for c in thread.page.items] + [
        r.id for rs in thread.replies.values() for r in rs
    ]
    reported_comments = (
        moderation.has_reported(actor.id, comment_ids=comment_ids)
        if actor.is_authenticated
        else set()
    )
    reported_idea = (
        bool(moderation.has_reported(actor.id, idea_id=idea.id))
        if actor.is_authenticated
        else False
    )
    return {
        "thread": thread,
        "comment_form": CommentForm() if actor.is_authenticated else None,
        "reported_comments": reported_comments,
        "reported_idea": reported_idea,
        "team_answer": lifecycle.answer_of(idea.id),
        "now": utcnow(),
    }


@bp.route("/idees/<int:idea_id>")
def show(idea_id: int):
    """One idea: its text, status in words, author, supports and the actions the viewer may take."""
    idea = services.load_idea(idea_id)
    actor = current_actor()
    challenge = idea.challenge
    require(
        rules.can_view_idea(
            actor, idea.status, idea.author_id, challenge.scope, hidden=idea.is_hidden
        )
    )
    supported = bool(services.supported_ids(actor.id, [idea.id]))
    photos = photo_services.photos_of(
        PhotoOwner.IDEA, [idea.id], with_hidden=rules.can_moderate(actor, challenge.scope)
    )[idea.id]
    extras = _page_extras(idea, actor, parse_page(request.args.get("page")))
    return render_template(
        "ideas/show.html",
        idea=idea,
        challenge=challenge,
        phase=challenge.current_phase(),
        supported=supported,
        photos=photos,
        # Forms (and so a CSRF token and a cookie) only for members: visitors' pages are shared.
        support_form=SupportForm() if actor.is_authenticated else None,
        form=EmptyForm() if actor.is_authenticated else None,
        # The pilot the idea became, loaded here (one query) rather than by the template.
        idea_pilot=pilot_of_idea(idea.id) if idea.status == IdeaStatus.PILOTED else None,
        **extras,
        **volunteering(actor, idea=idea),
    )


@bp.route("/idees/<int:idea_id>/modifier", methods=["GET", "POST"])
@login_required
@accepts_upload
def edit(idea_id: int):
    """The author changes their idea (until it is shortlisted), maybe adds a photo; each change is kept."""
    idea = services.load_idea(idea_id)
    challenge = idea.challenge
    require(
        rules.can_edit_idea(current_actor(), challenge.current_phase(), idea.status, idea.author_id)
    )
    form = IdeaForm(obj=idea)
    residences = _prepare(form, challenge)
    if not form.is_submitted():
        form.body.data = idea.body_source
        form.theme_id.data = idea.theme_id or 0
        form.residence_id.data = idea.residence_id or 0
        return _form_page(form, challenge, idea)
    valid = form.validate() and _checked(form, residences)
    photo_fine, upload = read_photo(form, photo_services.count_of(PhotoOwner.IDEA, idea.id))
    if not (valid and photo_fine):
        return _form_page(form, challenge, idea)
    try:
        services.update_idea(idea, current_user, _data(form))
        _attach(idea, upload)
    except StorageError as error:
        _storage_refused(form, error)
        return _form_page(form, challenge, idea, 507)
    db.session.commit()
    return _after_save(idea, form)


@bp.route("/idees/<int:idea_id>/verifier")
@login_required
def check(idea_id: int):
    """Before sending: ideas of the same challenge that look alike, to support one instead."""
    idea = services.load_idea(idea_id)
    challenge = idea.challenge
    actor = current_actor()
    require_participation(
        rules.can_send_idea, challenge.current_phase(), idea.status, idea.author_id, challenge.scope
    )
    similar = services.similar_ideas(idea)
    supported = services.supported_ids(actor.id, [i.id for i in similar])
    return render_template(
        "ideas/check.html",
        idea=idea,
        challenge=challenge,
        similar=similar,
        pending_alike=services.similar_pending_count(idea),
        supported=supported,
        form=EmptyForm(),
        support_form=SupportForm(),
    )


@bp.route("/idees/<int:idea_id>/envoyer", methods=["POST"])
@login_required
def submit(idea_id: int):
    """The author sends their draft: pending validation, or published at once."""
    idea = services.load_idea(idea_id)
    challenge = idea.challenge
    require_participation(
        rules.can_send_idea, challenge.current_phase(), idea.status, idea.author_id, challenge.scope
    )
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        status = lifecycle.send(idea, current_user)
    except TransitionRefused as refused:
        db.session.rollback()
        flash(refusal_message(refused), "error")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    db.session.commit()
    if status == IdeaStatus.SUBMITTED:
        flash(
            _(
                "Merci ! Votre idée est envoyée. Elle est en attente de validation : "
                "elle sera visible par tous dès qu'un·e animateur·rice l'aura relue."
            ),
            "success",
        )
    else:
        flash(_("Merci ! Votre idée est publiée."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.route("/idees/<int:idea_id>/retirer", methods=["POST"])
@login_required
def withdraw(idea_id: int):
    """The author withdraws their own idea."""
    idea = services.load_idea(idea_id)
    require(rules.can_withdraw_idea(current_actor(), idea.status, idea.author_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    lifecycle.withdraw(idea, current_user)
    db.session.commit()
    flash(_("Votre idée est retirée. Elle n'est plus visible par les autres."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.route("/idees/<int:idea_id>/soutien", methods=["POST"])
@login_required
def support(idea_id: int):
    """Support an idea, or take the support back (works without JavaScript)."""
    idea = services.load_idea(idea_id)
    challenge = idea.challenge
    require_participation(
        rules.can_support_idea,
        challenge.current_phase(),
        idea.status,
        idea.author_id,
        challenge.scope,
    )
    form = SupportForm()
    if not form.validate_on_submit():
        abort(400)
    on = form.action.data == "add"
    services.set_support(idea, current_user.id, on)
    db.session.commit()
    flash(
        _("Merci, vous soutenez cette idée.") if on else _("Votre soutien est retiré."), "success"
    )
    return redirect(safe_next(url_for("ideas.show", idea_id=idea.id)))
