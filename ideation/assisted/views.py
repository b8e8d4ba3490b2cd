"""Assisted participation: a host opens an account for a present tenant and prints their
card; the tenant later takes the account over with the card's code; staff reset it in
person; hosts enter ideas, supports and comments at a workshop for present participants,
and open a device in workshop mode."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.assisted import services
from ideation.assisted.forms import (
    AssistedAccountForm,
    ClaimForm,
    OnBehalfCommentForm,
    OnBehalfIdeaForm,
    OnBehalfSupportForm,
)
from ideation.assisted.models import AssistedAccount
from ideation.auth.models import User
from ideation.auth.passwords import password_errors
from ideation.auth.sessions import start_session
from ideation.challenges.models import Challenge
from ideation.core.audit import audit
from ideation.core.forms import EmptyForm
from ideation.core.limits import WORKSHOP_COOKIE, workshop_mode, workshop_mode_value
from ideation.core.numbers import parse_id
from ideation.core.qr import qr_svg
from ideation.core.security import current_actor, require
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.assisted import CONSENT_WORDING, ON_BEHALF_WORDING, french_at
from ideation.extensions import db, limiter
from ideation.ideas.models import Idea
from ideation.ideas.services import IdeaData
from ideation.mail.links import external_url
from ideation.workshops import services as workshop_services
from ideation.workshops.models import Workshop

bp = Blueprint("assisted", __name__)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


@bp.app_template_global()
def entry_origin(item: object) -> dict | None:
    """For bylines: entered at a workshop by a host, or the workshop's own idea."""
    return services.entry_origin(item)


@bp.app_template_global()
def workshop_idea_label(workshop: Workshop) -> str:
    """« Idée de l'atelier du 12 mars aux Tilleuls »."""
    day = format_date(workshop.starts_at, "d MMMM")
    place = workshop.residence.name if workshop.residence else ""
    if not place:
        return _("Idée de l'atelier du %(date)s", date=day)
    if str(get_locale() or "fr").startswith("fr"):
        return _("Idée de l'atelier du %(date)s %(at_place)s", date=day, at_place=french_at(place))
    return _("Idée de l'atelier du %(date)s à %(place)s", date=day, place=place)


@bp.app_template_global()
def in_workshop_mode() -> bool:
    return workshop_mode() is not None


def _is_host(workshop: Workshop | None) -> bool:
    if workshop is None:
        return False
    return rules.can_run_workshop(current_actor(), workshop.host_ids, workshop.created_by_id)


def _workshop_arg() -> Workshop | None:
    raw = request.values.get("atelier", "")
    if not raw:
        return None
    workshop_id = parse_id(raw)
    if workshop_id is None:
        abort(404)
    return workshop_services.load_workshop(workshop_id)


def _card(account: AssistedAccount, code: str):  # type: ignore[no-untyped-def]
    """The printable participation card: shown once, right after the code was drawn."""
    claim_url = external_url("assisted.claim")
    return render_template(
        "assisted/card.html",
        account=account,
        user=account.user,
        code=code,
        claim_url=claim_url,
        # The claim page only, never the code: a QR code's URL ends up in logs and history.
        claim_qr=qr_svg(claim_url),
    )


# --- assisted accounts ----------------------------------------------------------------


@bp.route("/accompagnement/comptes/nouveau", methods=["GET", "POST"])
@login_required
def create_account():
    """A host (or staff at an office) opens the account of a present tenant without
    e-mail, with their agreement; the answer is the card to print."""
    workshop = _workshop_arg()
    require(rules.can_create_assisted_account(current_actor(), _is_host(workshop)))
    organisation = services.organisation_for(_me(), workshop)
    if organisation is None:
        abort(403)
    form = AssistedAccountForm()
    residences = services.residence_choices(organisation.id)
    form.residence_id.choices = [(0, _("— Choisissez —"))] + [(r.id, r.label) for r in residences]
    if request.method == "GET" and workshop is not None and workshop.residence_id:
        form.residence_id.data = workshop.residence_id
    if form.validate_on_submit():
        residence_id = form.residence_id.data or None
        if residence_id is not None and residence_id not in {r.id for r in residences}:
            form.residence_id.errors = [_("Choisissez une résidence de la liste.")]
        else:
            user, code = services.create_assisted_account(
                _me(),
                display_name=form.display_name.data.strip(),
                organisation=organisation,
                residence_id=residence_id,
                phone=(form.phone.data or "").strip(),
                workshop=workshop,
            )
            db.session.commit()
            return _card(services.load_account(user.id), code)
    status = 400 if form.is_submitted() else 200
    return (
        render_template(
            "assisted/new_account.html",
            form=form,
            workshop=workshop,
            organisation=organisation,
            consent_wording=CONSENT_WORDING,
        ),
        status,
    )


def _load_managed(user_id: int) -> AssistedAccount:
    account = services.load_account(user_id)
    require(
        rules.can_manage_assisted_account(
            current_actor(), account.user.organisation_id, account.created_by_id
        )
    )
    return account


@bp.route("/accompagnement/comptes/<int:user_id>")
@login_required
def account(user_id: int):
    """An assisted account for staff: who opened it, the consent, whether it was taken over."""
    found = _load_managed(user_id)
    return render_template("assisted/account.html", account=found, form=EmptyForm())


@bp.route("/accompagnement/comptes/<int:user_id>/nouveau-code", methods=["POST"])
@login_required
def reset(user_id: int):
    """In person: a new card with a new code; the old code and every session stop working."""
    found = _load_managed(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    code = services.reset_access(_me(), found)
    db.session.commit()
    return _card(found, code)


def _claim_limit() -> str:
    return current_app.config["RATELIMIT_CLAIM"]


def _failed(response) -> bool:  # type: ignore[no-untyped-def]
    # Only wrong tries count: a room of people claiming their cards on one Wi-Fi passes.
    return response.status_code != 302


@bp.route("/compte/reprendre", methods=["GET", "POST"])
@limiter.limit(_claim_limit, methods=["POST"], deduct_when=_failed)
def claim():
    """The tenant takes their account over with the card's code: their e-mail, their password."""
    if current_user.is_authenticated:
        return redirect(url_for("participation.index"))
    form = ClaimForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:20]
    if form.validate_on_submit():
        found = services.find_claimable(form.code.data or "")
        if found is None:
            form.code.errors = [_("Ce code n'est pas valable ou a déjà servi.")]
        else:
            errors = password_errors(
                form.password.data, found.user.display_name, form.email.data, None
            )
            if errors:
                form.password.errors = list(form.password.errors) + errors
            else:
                try:
                    user = services.claim(found, form.email.data, form.password.data)
                except services.EmailTaken:
                    form.email.errors = [
                        _("Cette adresse a déjà un compte. Choisissez-en une autre.")
                    ]
                except LookupError:
                    db.session.rollback()
                    form.code.errors = [_("Ce code n'est pas valable ou a déjà servi.")]
                else:
                    session.clear()
                    start_session(user)
                    db.session.commit()
                    flash(
                        _(
                            "Votre compte est à vous. Un e-mail vous attend pour confirmer "
                            "votre adresse."
                        ),
                        "success",
                    )
                    return redirect(url_for("participation.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("assisted/claim.html", form=form), status


# --- entries at a workshop ---------------------------------------------------------------


def _entry_workshop(workshop_id: int) -> Workshop:
    workshop = workshop_services.load_workshop(workshop_id)
    require(
        rules.can_enter_on_behalf(
            current_actor(),
            workshop.host_ids,
            workshop.created_by_id,
            workshop.started(utcnow()),
        )
    )
    return workshop


def _fill(
    workshop: Workshop,
    idea_form: OnBehalfIdeaForm,
    support_form: OnBehalfSupportForm,
    comment_form: OnBehalfCommentForm,
) -> tuple[dict[int, User], dict[int, Challenge], dict[int, Idea]]:
    people = {u.id: u for u in services.participants(workshop)}
    challenges = {c.id: c for c in services.challenges_open(workshop, utcnow())}
    ideas = {i.id: i for i in services.workshop_ideas(workshop)}
    person_choices = [(u.id, u.display_name) for u in people.values()]
    idea_form.person_id.choices = [(0, _("Tout l'atelier (idée de l'atelier)")), *person_choices]
    idea_form.challenge_id.choices = [(c.id, c.title) for c in challenges.values()]
    for form in (support_form, comment_form):
        form.person_id.choices = person_choices
        form.idea_id.choices = [(i.id, i.title) for i in ideas.values()]
    return people, challenges, ideas


def _entry_page(workshop, idea_form, support_form, comment_form, status=200):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "assisted/entries.html",
            workshop=workshop,
            idea_form=idea_form,
            support_form=support_form,
            comment_form=comment_form,
            ideas=services.workshop_ideas(workshop),
            wording=ON_BEHALF_WORDING,
            mode_form=EmptyForm(),
            ended=workshop.ended(utcnow()),
        ),
        status,
    )


def _forms() -> tuple[OnBehalfIdeaForm, OnBehalfSupportForm, OnBehalfCommentForm]:
    return (
        OnBehalfIdeaForm(prefix="idea"),
        OnBehalfSupportForm(prefix="support"),
        OnBehalfCommentForm(prefix="comment"),
    )


@bp.route("/ateliers/<int:workshop_id>/saisie", methods=["GET", "POST"])
@login_required
def entries(workshop_id: int):
    """The hosts' entry page: an idea for a present participant, or the workshop's own."""
    workshop = _entry_workshop(workshop_id)
    idea_form, support_form, comment_form = _forms()
    people, challenges, _ideas = _fill(workshop, idea_form, support_form, comment_form)
    if not idea_form.is_submitted():
        return _entry_page(workshop, idea_form, support_form, comment_form)
    if idea_form.validate_on_submit():
        challenge = challenges.get(idea_form.challenge_id.data)
        person_id = idea_form.person_id.data or 0
        person = people.get(person_id)
        if challenge is None:
            idea_form.challenge_id.errors = [_("Choisissez un défi ouvert aux idées.")]
        elif person_id and person is None:
            idea_form.person_id.errors = [_("Choisissez une personne présente.")]
        else:
            data = IdeaData(
                title=idea_form.title.data.strip(),
                summary=idea_form.summary.data.strip(),
                body=(idea_form.body.data or "").replace("\r\n", "\n"),
                theme_id=challenge.theme_id,
                residence_id=workshop.residence_id,
            )
            services.enter_idea(_me(), workshop, challenge, person, data)
            db.session.commit()
            flash(_("L'idée est enregistrée."), "success")
            return redirect(url_for("assisted.entries", workshop_id=workshop.id))
    return _entry_page(workshop, idea_form, support_form, comment_form, 400)


@bp.route("/ateliers/<int:workshop_id>/saisie/soutien", methods=["POST"])
@login_required
def enter_support(workshop_id: int):
    """A present participant backs one of the workshop's ideas; the host enters it."""
    workshop = _entry_workshop(workshop_id)
    idea_form, support_form, comment_form = _forms()
    people, _challenges, ideas = _fill(workshop, idea_form, support_form, comment_form)
    if support_form.validate_on_submit():
        person = people.get(support_form.person_id.data or 0)
        idea = ideas.get(support_form.idea_id.data or 0)
        if (
            person is None
            or idea is None
            or not rules.can_support_idea(
                person.actor,
                idea.challenge.current_phase(utcnow()),
                idea.status,
                idea.author_id,
                idea.challenge.scope,
            )
        ):
            support_form.idea_id.errors = [_("Ce soutien ne peut pas être enregistré.")]
        else:
            services.enter_support(_me(), workshop, idea, person)
            db.session.commit()
            flash(_("Le soutien est enregistré."), "success")
            return redirect(url_for("assisted.entries", workshop_id=workshop.id))
    return _entry_page(workshop, idea_form, support_form, comment_form, 400)


@bp.route("/ateliers/<int:workshop_id>/saisie/commentaire", methods=["POST"])
@login_required
def enter_comment(workshop_id: int):
    """A present participant's comment on one of the workshop's ideas, entered by a host."""
    workshop = _entry_workshop(workshop_id)
    idea_form, support_form, comment_form = _forms()
    people, _challenges, ideas = _fill(workshop, idea_form, support_form, comment_form)
    if comment_form.validate_on_submit():
        person = people.get(comment_form.person_id.data or 0)
        idea = ideas.get(comment_form.idea_id.data or 0)
        if (
            person is None
            or idea is None
            or not rules.can_comment(
                person.actor,
                idea.challenge.current_phase(utcnow()),
                idea.status,
                idea.challenge.scope,
            )
        ):
            comment_form.idea_id.errors = [_("Ce commentaire ne peut pas être enregistré.")]
        else:
            services.enter_comment(_me(), workshop, idea, person, comment_form.body.data)
            db.session.commit()
            flash(_("Le commentaire est enregistré."), "success")
            return redirect(url_for("assisted.entries", workshop_id=workshop.id))
    return _entry_page(workshop, idea_form, support_form, comment_form, 400)


# --- workshop mode -------------------------------------------------------------------------


@bp.route("/ateliers/<int:workshop_id>/mode-atelier", methods=["POST"])
@login_required
def open_mode(workshop_id: int):
    """A host opens this device in workshop mode until the workshop's end: a room on one
    Wi-Fi is not stopped by the limits meant for attackers."""
    workshop = workshop_services.load_workshop(workshop_id)
    now = utcnow()
    require(
        rules.can_open_workshop_mode(
            current_actor(), workshop.host_ids, workshop.created_by_id, workshop.ended(now)
        )
    )
    if not EmptyForm().validate_on_submit():
        abort(400)
    audit(_me(), "workshop.mode_on", workshop)
    db.session.commit()
    flash(_("Mode atelier ouvert sur cet appareil jusqu'à la fin de l'atelier."), "success")
    response = redirect(url_for("workshops.attendance", workshop_id=workshop.id))
    response.set_cookie(
        WORKSHOP_COOKIE,
        workshop_mode_value(workshop.id, _me().id, workshop.ends_at),
        max_age=max(int((workshop.ends_at - now) / timedelta(seconds=1)), 1),
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.route("/ateliers/<int:workshop_id>/mode-atelier/fin", methods=["POST"])
@login_required
def close_mode(workshop_id: int):
    """The host ends workshop mode on this device (it also ends with the workshop)."""
    workshop = workshop_services.load_workshop(workshop_id)
    require(rules.can_run_workshop(current_actor(), workshop.host_ids, workshop.created_by_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    audit(_me(), "workshop.mode_off", workshop)
    db.session.commit()
    flash(_("Mode atelier fermé sur cet appareil."), "success")
    response = redirect(url_for("workshops.attendance", workshop_id=workshop.id))
    response.delete_cookie(WORKSHOP_COOKIE)
    return response
