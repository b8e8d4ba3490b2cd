"""Challenges: the list, one challenge with its ideas, and the facilitator's pages."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date, gettext, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ideation.challenges.forms import ChallengeForm, PhaseForm
from ideation.challenges.models import Challenge
from ideation.challenges.services import (
    ChallengeData,
    apply_challenge_data,
    create_challenge,
    load_challenge,
    move_challenge,
    themes,
    visible_challenges,
)
from ideation.core import cache as page_cache
from ideation.core.confirm import confirmation_page, confirmed
from ideation.core.forms import EmptyForm
from ideation.core.loaders import or_404
from ideation.core.numbers import parse_id, parse_page
from ideation.core.security import current_actor, require
from ideation.core.time import day_end, day_start, paris_day
from ideation.core.transitions import refusal_message
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import (
    LABELS,
    MOVE_LABELS,
    Phase,
    PhaseError,
    Schedule,
    next_phase,
)
from ideation.domain.idea_states import LABELS as STATUS_LABELS
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Scope
from ideation.extensions import db
from ideation.fabrique.services import editions
from ideation.ideas import list_fragment
from ideation.ideas import services as idea_services
from ideation.ideas.forms import SupportForm
from ideation.ideas.services import IdeaSort, public_idea_counts
from ideation.orgs.models import Organisation, Residence
from ideation.voting.services import ballots_count
from ideation.voting.views import confirm_close_page
from ideation.workshops.shared import upcoming_section

bp = Blueprint("challenges", __name__)

# --- words for templates --------------------------------------------------------------


@bp.app_template_global()
def vote_opening_note(challenge: Challenge, phase: Phase) -> str:
    """For the facilitators, in review: why the vote cannot open (by hand or by its date)."""
    if phase != Phase.REVIEW:
        return ""
    refused = challenge.opening_refusal()
    if refused is None:
        return ""
    message = refusal_message(refused)
    start = challenge.voting_starts_at or challenge.review_ends_at
    if start and start <= utcnow():
        return (
            _("La date d'ouverture du vote est passée, mais le vote reste fermé.") + " " + message
        )
    return message


@bp.app_template_global()
def phase_label(phase: Phase) -> str:
    return gettext(LABELS[Phase(phase)])


@bp.app_template_global()
def status_label(status: IdeaStatus) -> str:
    return gettext(STATUS_LABELS[IdeaStatus(status)])


@bp.app_template_global()
def end_day(moment: datetime) -> datetime:
    """End dates are stored as the midnight that closes the day: show the day itself."""
    return moment - timedelta(seconds=1)


def _days_left(end: datetime, now: datetime) -> int:
    return max(math.ceil((end - now).total_seconds() / 86400), 0)


@bp.app_template_global()
def deadline_words(challenge: Challenge, now: datetime | None = None) -> str:
    """The phase and its deadline in words: « encore 12 jours pour proposer »."""
    now = now or utcnow()
    phase = challenge.current_phase(now)
    if phase == Phase.IDEATION:
        if challenge.ideation_ends_at is None:
            return _("Vous pouvez proposer vos idées")
        days = _days_left(challenge.ideation_ends_at, now)
        if days <= 1:
            return _("Dernier jour pour proposer")
        return ngettext(
            "encore %(num)d jour pour proposer", "encore %(num)d jours pour proposer", days
        )
    if phase == Phase.REVIEW:
        start = challenge.voting_starts_at or challenge.review_ends_at
        if start:
            return _(
                "Idées à l'étude ; vote à partir du %(date)s", date=format_date(start, "d MMMM")
            )
        return _("Idées à l'étude, le vote arrive bientôt")
    if phase == Phase.VOTING:
        if challenge.voting_ends_at is None:
            return _("Le vote est ouvert")
        days = _days_left(challenge.voting_ends_at, now)
        if days <= 1:
            return _("Dernier jour pour voter")
        return ngettext("encore %(num)d jour pour voter", "encore %(num)d jours pour voter", days)
    if phase == Phase.RESULTS:
        return _("Les résultats sont publiés")
    if phase == Phase.ARCHIVED:
        return _("Défi terminé")
    return _("Brouillon : pas encore publié")


# --- public pages ---------------------------------------------------------------------


@bp.route("/defis")
def index():
    """Every challenge (or one edition's), the ones open now first, deadlines in words."""
    edition_id = parse_id(request.args.get("edition"))
    rows = visible_challenges(current_actor(), edition_id=edition_id)
    counts = public_idea_counts([c.id for c in rows])
    return render_template(
        "challenges/index.html",
        rows=rows,
        counts=counts,
        editions=editions(),
        edition_id=edition_id,
    )


def _filters_from_request() -> idea_services.IdeaFilters:
    args = request.args
    if not current_user.is_authenticated:
        seed = page_cache.visitor_seed()  # no cookie for visitors: their page can be shared
    else:
        if "order_seed" not in session:
            session["order_seed"] = idea_services.new_seed()
        seed = int(session["order_seed"])
    return idea_services.IdeaFilters(
        q=(args.get("q") or "").strip()[:200],
        theme=parse_id(args.get("theme")),
        status=args.get("status") or None,
        residence=parse_id(args.get("residence")),
        mine=args.get("mine") == "1",
        # A search is ordered by relevance unless the visitor chose another order.
        sort=IdeaSort.from_url(
            args.get("sort") or (IdeaSort.RELEVANCE if args.get("q") else IdeaSort.RANDOM),
            IdeaSort.RANDOM,
        ),
        page=parse_page(args.get("page")),
        seed=seed,
    )


@bp.route("/defis/<slug>")
def show(slug: str):
    """A challenge and its ideas: filters, search, sorts (random but stable by default), pages."""
    actor = current_actor()
    filters = _filters_from_request()
    # A member's shared idea list first, so that their supports among its ideas come with
    # the challenge in one query (ideas/list_fragment.py).
    found = list_fragment.lookup(slug, actor, filters)
    challenge = load_challenge(slug) if found is None else or_404(found.challenge)
    phase = challenge.current_phase()
    require(rules.can_view_challenge(actor, phase, challenge.scope))
    shared = list_fragment.shared_list(challenge, actor, phase, filters, found)
    cards = None
    if shared is not None:  # a member's list from the shared entry: one small query
        rows, sort, cards = shared.page, shared.sort, shared.cards
        supported: set[int] = set()
        values = shared.values
    else:
        rows, sort = idea_services.list_ideas(challenge, actor, filters)
        supported = idea_services.supported_ids(actor.id, [i.id for i in rows.items])
        values = idea_services.filter_values(challenge, actor, filters)
    args = {
        k: v
        for k, v in {
            "q": filters.q or None,
            "theme": filters.theme,
            "status": filters.status,
            "residence": filters.residence,
            "mine": "1" if filters.mine else None,
            "sort": sort if request.args.get("sort") else None,
        }.items()
        if v
    }
    return render_template(
        "challenges/show.html",
        challenge=challenge,
        phase=phase,
        rows=rows,
        sort=sort,
        filters=filters,
        args=args,
        supported=supported,
        cards=cards,
        themes=values.themes,
        residences=values.residences,
        statuses=values.statuses,
        # The filters open by themselves when the address uses one.
        filtering=bool(args),
        # Forms (and so a CSRF token and a cookie) only for members: visitors' pages are shared;
        # the shared list's cards come with their forms (list_fragment.py).
        support_form=SupportForm() if actor.is_authenticated and cards is None else None,
        # Only the facilitators see the phase button (a form costs ~1 ms to build).
        phase_form=PhaseForm() if rules.can_manage_challenge(actor, challenge.scope) else None,
        next_phase=next_phase(phase),
        move_labels=MOVE_LABELS,
        upcoming_section=upcoming_section(challenge.id),
    )


# --- facilitator pages ----------------------------------------------------------------


def _organisation_choices(actor) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """0 stands for "every organisation" (a regional challenge)."""
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    choices = []
    if rules.can_manage_challenge(actor, rules.REGIONAL):
        choices.append((0, _("Tous les bailleurs (défi régional)")))
    choices += [
        (o.id, o.name)
        for o in orgs
        if o.is_landlord and rules.can_manage_challenge(actor, Scope(organisation_id=o.id))
    ]
    return choices


def _prepare_form(form: ChallengeForm, actor) -> None:  # type: ignore[no-untyped-def]
    form.theme_id.choices = [(0, _("— Aucune —"))] + [(t.id, t.name) for t in themes()]
    form.edition_id.choices = [(0, _("— Aucune —"))] + [(e.id, e.name) for e in editions()]
    form.organisation_id.choices = _organisation_choices(actor)
    allowed_orgs = [c[0] for c in form.organisation_id.choices if c[0]]
    residences = db.session.scalars(
        select(Residence)
        .where(Residence.organisation_id.in_(allowed_orgs))
        .order_by(Residence.name)
    ).all()
    form.residence_ids.choices = [(r.id, r.label) for r in residences]
    form._residences = residences  # type: ignore[attr-defined]


def _validate_choices(form: ChallengeForm) -> bool:
    ok = True
    if form.organisation_id.data not in [c[0] for c in form.organisation_id.choices]:
        form.organisation_id.errors.append(_("Choisissez dans la liste."))
        ok = False
    if form.theme_id.data not in [c[0] for c in form.theme_id.choices]:
        form.theme_id.errors.append(_("Choisissez dans la liste."))
        ok = False
    if form.edition_id.data not in [c[0] for c in form.edition_id.choices]:
        form.edition_id.errors.append(_("Choisissez dans la liste."))
        ok = False
    org_id = form.organisation_id.data or None
    valid = {r.id for r in form._residences if r.organisation_id == org_id}  # type: ignore[attr-defined]
    if any(rid not in valid for rid in form.residence_ids.data or []):
        form.residence_ids.errors.append(_("Ces résidences doivent appartenir au bailleur choisi."))
        ok = False
    schedule = Schedule(
        ideation_ends_at=day_end(form.ideation_ends_on.data),
        voting_starts_at=day_start(form.voting_starts_on.data),
        voting_ends_at=day_end(form.voting_ends_on.data),
        review_ends_at=day_end(form.review_ends_on.data),
    )
    for message in schedule.errors():
        form.voting_starts_on.errors.append(gettext(message))
        ok = False
    return ok


def _data(form: ChallengeForm) -> ChallengeData:
    return ChallengeData(
        title=form.title.data,
        summary=" ".join((form.summary.data or "").split()),
        description=(form.description.data or "").replace("\r\n", "\n"),
        theme_id=form.theme_id.data or None,
        organisation_id=form.organisation_id.data or None,
        residence_ids=list(form.residence_ids.data or []),
        edition_id=form.edition_id.data or None,
        premoderation=bool(form.premoderation.data),
        ideation_starts_on=form.ideation_starts_on.data,
        ideation_ends_on=form.ideation_ends_on.data,
        review_ends_on=form.review_ends_on.data,
        voting_starts_on=form.voting_starts_on.data,
        voting_ends_on=form.voting_ends_on.data,
        vote_method=form.vote_method.data,
        vote_max_ranks=form.vote_max_ranks.data,
        vote_winners=form.vote_winners.data,
        vote_verified_only=bool(form.vote_verified_only.data),
    )


@bp.route("/defis/nouveau", methods=["GET", "POST"])
@login_required
def create():
    """A facilitator writes a new challenge; it stays a draft until published."""
    actor = current_actor()
    require(rules.can_create_challenge(actor))
    form = ChallengeForm()
    _prepare_form(form, actor)
    if form.validate_on_submit() and _validate_choices(form):
        data = _data(form)
        require(rules.can_create_challenge_for(actor, Scope(organisation_id=data.organisation_id)))
        challenge = create_challenge(data, current_user.id)
        db.session.commit()
        flash(_("Défi enregistré en brouillon. Relisez l'aperçu puis publiez-le."), "success")
        return redirect(url_for("challenges.preview", slug=challenge.slug))
    return render_template("challenges/form.html", form=form, challenge=None)


@bp.route("/defis/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """A facilitator changes a challenge's text, scope, dates and vote settings."""
    challenge = load_challenge(slug)
    actor = current_actor()
    require(rules.can_manage_challenge(actor, challenge.scope))
    form = ChallengeForm(obj=challenge)
    _prepare_form(form, actor)
    if request.method == "GET":
        form.description.data = challenge.description_source
        form.theme_id.data = challenge.theme_id or 0
        form.organisation_id.data = challenge.organisation_id or 0
        form.residence_ids.data = [r.id for r in challenge.residences]
        form.ideation_starts_on.data = paris_day(challenge.ideation_starts_at)
        form.ideation_ends_on.data = paris_day(challenge.ideation_ends_at, end=True)
        form.review_ends_on.data = paris_day(challenge.review_ends_at, end=True)
        form.voting_starts_on.data = paris_day(challenge.voting_starts_at)
        form.voting_ends_on.data = paris_day(challenge.voting_ends_at, end=True)
    if (
        form.validate_on_submit()
        and _validate_choices(form)
        and _vote_settings_unchanged_once_voted(form, challenge)
    ):
        data = _data(form)
        require(rules.can_manage_challenge(actor, Scope(organisation_id=data.organisation_id)))
        apply_challenge_data(challenge, data)
        db.session.commit()
        flash(_("Défi enregistré."), "success")
        return redirect(url_for("challenges.preview", slug=challenge.slug))
    return render_template("challenges/form.html", form=form, challenge=challenge)


def _vote_settings_unchanged_once_voted(form: ChallengeForm, challenge: Challenge) -> bool:
    """The method (and the rules of the count) cannot change once a ballot exists.

    See docs/domain.md#vote-settings.
    """
    if not ballots_count(challenge.id):
        return True
    ok = True
    for field, current in (
        (form.vote_method, challenge.vote_method),
        (form.vote_max_ranks, challenge.vote_max_ranks),
        (form.vote_winners, challenge.vote_winners),
        (form.vote_verified_only, challenge.vote_verified_only),
    ):
        if field.data != current:
            field.errors.append(
                _("Des bulletins sont déjà enregistrés : ce réglage du vote ne peut plus changer.")
            )
            ok = False
    return ok


@bp.route("/defis/<slug>/apercu")
@login_required
def preview(slug: str):
    """How the challenge will look to participants, with the button to publish or move it on."""
    challenge = load_challenge(slug)
    require(rules.can_manage_challenge(current_actor(), challenge.scope))
    phase = challenge.current_phase()
    return render_template(
        "challenges/preview.html",
        challenge=challenge,
        phase=phase,
        next_phase=next_phase(phase),
        move_labels=MOVE_LABELS,
        phase_form=PhaseForm(),
    )


@bp.route("/defis/<slug>/phase", methods=["POST"])
@login_required
def advance(slug: str):
    """A facilitator publishes the challenge or moves it to its next phase."""
    challenge = load_challenge(slug)
    require(rules.can_manage_challenge(current_actor(), challenge.scope))
    form = PhaseForm()
    if not form.validate_on_submit() or form.target.data not in {p.value for p in Phase}:
        abort(400)
    target = Phase(form.target.data)
    # Closing the vote and archiving cannot be undone: a page asks first.
    if (
        target in (Phase.RESULTS, Phase.ARCHIVED)
        and next_phase(challenge.current_phase()) == target
        and not confirmed()
    ):
        action = url_for("challenges.advance", slug=slug)
        if target == Phase.RESULTS:
            return confirm_close_page(challenge, action, {"target": target.value})
        return confirmation_page(
            title=_("Archiver le défi"),
            question=_(
                "Archiver « %(title)s » maintenant ? Ce n'est pas réversible.",
                title=challenge.title,
            ),
            details=[
                _("Le défi quitte la liste des défis en cours ; il reste lisible."),
                _("Il ne pourra plus changer de phase."),
            ],
            action=action,
            cancel=url_for("challenges.show", slug=slug),
            fields={"target": target.value},
        )
    try:
        phase = move_challenge(challenge, target)
    except PhaseError as refused:
        db.session.rollback()
        flash(refusal_message(refused), "error")
        return redirect(url_for("challenges.preview", slug=slug))
    db.session.commit()
    flash(_("Le défi est maintenant : %(phase)s.", phase=phase_label(phase)), "success")
    return redirect(url_for("challenges.show", slug=slug))


@bp.route("/defis/<slug>/gestion")
@login_required
def manage(slug: str):
    """A facilitator's view of a challenge's ideas, by status, with the allowed actions."""
    challenge = load_challenge(slug)
    actor = current_actor()
    require(rules.can_manage_challenge(actor, challenge.scope))
    counts = idea_services.ideas_by_status(challenge.id)
    wanted = request.args.get("status") or IdeaStatus.SUBMITTED.value
    status = (
        IdeaStatus(wanted)
        if wanted in {s.value for s in IdeaStatus if s != IdeaStatus.DRAFT}
        else IdeaStatus.SUBMITTED
    )
    rows = idea_services.ideas_with_status(
        challenge.id, status, parse_page(request.args.get("page"))
    )
    return render_template(
        "challenges/manage.html",
        challenge=challenge,
        phase=challenge.current_phase(),
        counts=counts,
        status=status,
        rows=rows,
        form=EmptyForm(),
        statuses=[s for s in IdeaStatus if s != IdeaStatus.DRAFT],
    )
