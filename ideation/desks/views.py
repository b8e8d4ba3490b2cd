"""Voting desk pages: open a desk, find a participant, record their ranking or tick them
for the paper urn, the receipt, the voters' list, close the urn.

Who may do what (ideation/domain/permissions.py): who manages the challenge opens desks
(while the vote is open), closes their urns and sees them all; a desk's assessors work
at their own desk only. The ranking is never audited nor shown on any list: the journal
says who recorded a ballot for whom, at which desk, and nothing of what it says.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideation.auth.models import User
from ideation.challenges.services import load_challenge
from ideation.core.audit import audit
from ideation.core.confirm import confirmation_page, confirmed
from ideation.core.security import current_actor, require
from ideation.desks import paper
from ideation.desks import services as desks
from ideation.desks.forms import CloseUrnForm, FindParticipantForm, OpenDeskForm
from ideation.desks.models import VoteDesk
from ideation.domain import permissions as rules
from ideation.domain.desks import CHANNEL_LABELS, Channel
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.voting import services as voting
from ideation.voting.forms import VoteForm, parse_ranks, rank_options

bp = Blueprint("desks", __name__)

RECEIPT_KEY = "desk_receipt"


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _desk_for_work(desk_id: int) -> VoteDesk:
    """The desk, for its assessors and who manages the challenge (403 otherwise)."""
    desk = paper.load_desk(desk_id)
    require(rules.can_work_desk(current_actor(), desk.assessor_ids, desk.challenge.scope))
    return desk


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.is_erased:
        abort(404)
    return person


# --- the vote's desks -------------------------------------------------------------------


@bp.route("/defis/<slug>/bureaux", methods=["GET", "POST"])
@login_required
def index(slug: str):
    """The vote's desks, and (while the vote is open) the form to open one."""
    challenge = load_challenge(slug)
    actor = current_actor()
    require(rules.can_manage_desk(actor, challenge.scope))
    phase = challenge.current_phase()
    may_open = rules.can_open_desk(actor, phase, challenge.scope)
    form = OpenDeskForm()
    workshops = desks.workshop_choices(challenge)
    assessors = desks.assessor_choices(challenge)
    form.workshop_id.choices = [(0, _("Aucun atelier"))] + [(w.id, w.title) for w in workshops]
    form.assessor_ids.choices = [(u.id, u.display_name) for u in assessors]
    if request.method == "POST":
        require(may_open)
        if form.validate_on_submit():
            chosen = set(form.assessor_ids.data or [])
            try:
                desk = desks.open_desk(
                    challenge,
                    _me(),
                    form.name.data or "",
                    form.place.data or "",
                    next((w for w in workshops if w.id == form.workshop_id.data), None),
                    [u for u in assessors if u.id in chosen],
                )
            except desks.DeskRefused as refused:
                form.form_errors.append(refused.message)
            else:
                audit(_me(), "desk.open", desk, details={"assessors": len(chosen)})
                db.session.commit()
                flash(_("Le bureau « %(name)s » est ouvert.", name=desk.name), "success")
                return redirect(url_for("desks.show", desk_id=desk.id))
    found = desks.desks_of(challenge.id)
    return render_template(
        "desks/index.html",
        challenge=challenge,
        desks=found,
        counts=desks.desk_counts([d.id for d in found]),
        form=form,
        may_open=may_open,
        assessors=assessors,
        Channel=Channel,
    ), (422 if form.errors or form.form_errors else 200)


# --- at the desk ------------------------------------------------------------------------


@bp.route("/bureaux/<int:desk_id>")
@login_required
def show(desk_id: int):
    """The assessor's page: find a participant and see whether they have voted."""
    desk = _desk_for_work(desk_id)
    challenge = desk.challenge
    residences = desks.residence_choices(challenge)
    form = FindParticipantForm(request.args, meta={"csrf": False})
    form.residence_id.choices = [(0, _("Toutes les résidences"))] + [
        (r.id, r.label) for r in residences
    ]
    standings = None
    if request.args and form.validate():
        people = desks.find_people(
            challenge,
            name=form.name.data or "",
            residence_id=form.residence_id.data or None,
            code=(form.code.data or "").strip(),
        )
        standings = desks.standings(challenge, people)
    return render_template(
        "desks/show.html",
        desk=desk,
        challenge=challenge,
        form=form,
        standings=standings,
        max_found=desks.MAX_FOUND,
        manage=rules.can_manage_desk(current_actor(), challenge.scope),
        counts=desks.desk_counts([desk.id])[desk.id],
        Channel=Channel,
        channel_labels=CHANNEL_LABELS,
    ), (422 if form.errors else 200)


def _candidates(desk: VoteDesk, person: User) -> list[Idea]:
    """The shortlist in the participant's own order (the one they see online)."""
    challenge = desk.challenge
    return voting.candidate_order(challenge, person.id, voting.shortlisted(challenge.id))


@bp.route("/bureaux/<int:desk_id>/votants/<int:user_id>", methods=["GET", "POST"])
@login_required
def participant(desk_id: int, user_id: int):
    """Record the ranking a participant gives at the desk (it replaces an online ballot)."""
    desk = _desk_for_work(desk_id)
    person = _person(user_id)
    challenge = desk.challenge
    [standing] = desks.standings(challenge, [person])
    candidates = _candidates(desk, person)
    form = VoteForm()
    chosen: dict[int, str] = {}
    errors: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        parsed = parse_ranks(
            request.form, [(i.id, i.title) for i in candidates], challenge.vote_max_ranks
        )
        chosen, errors = parsed.chosen, parsed.errors
        if not errors:
            try:
                receipt, replaced = desks.record_ballot(desk, person, parsed.ranking, _me())
            except (desks.DeskRefused, voting.BallotRefused, voting.AlreadyMarked) as refused:
                db.session.rollback()
                errors = _refusal_messages(refused)
            except voting.VoteClosed:
                db.session.rollback()
                errors = [_("Le vote est clos : ce bulletin n'a pas été enregistré.")]
            else:
                audit(
                    _me(),
                    "desk.ballot",
                    desk,
                    details={"voter_id": person.id, "replaced_online": replaced},
                )
                db.session.commit()
                session[RECEIPT_KEY] = {
                    "desk": desk.id,
                    "receipt": receipt,
                    "voter": person.id,
                    "replaced": replaced,
                }
                return redirect(url_for("desks.receipt", desk_id=desk.id))
        # The standing may have changed under us (a ballot online at the same moment).
        [standing] = desks.standings(challenge, [person])
    return render_template(
        "desks/participant.html",
        desk=desk,
        challenge=challenge,
        standing=standing,
        person=person,
        candidates=candidates,
        form=form,
        chosen=chosen,
        errors=errors,
        options=rank_options(len(candidates), challenge.vote_max_ranks),
        channel_labels=CHANNEL_LABELS,
        Channel=Channel,
    ), (422 if errors or form.errors else 200)


def _refusal_messages(refused: Exception) -> list[str]:
    if isinstance(refused, voting.BallotRefused):
        return list(refused.messages)
    if isinstance(refused, voting.AlreadyMarked):
        return [voting.in_person_message(refused.channel)]
    return [refused.message]  # type: ignore[attr-defined]


@bp.route("/bureaux/<int:desk_id>/votants/<int:user_id>/emargement", methods=["POST"])
@login_required
def tick(desk_id: int, user_id: int):
    """Tick a participant who drops a paper sheet in the urn (émargement)."""
    desk = _desk_for_work(desk_id)
    person = _person(user_id)
    form = VoteForm()
    back = url_for("desks.participant", desk_id=desk.id, user_id=person.id)
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré. Merci de le renvoyer."), "error")
        return redirect(back)
    try:
        annulled = desks.tick_paper_voter(desk, person, _me())
    except (desks.DeskRefused, voting.AlreadyMarked) as refused:
        db.session.rollback()
        flash(_refusal_messages(refused)[0], "error")
        return redirect(back)
    except voting.VoteClosed:
        db.session.rollback()
        flash(_("Le vote est clos : personne ne peut plus être émargé·e."), "error")
        return redirect(back)
    audit(_me(), "desk.tick", desk, details={"voter_id": person.id, "annulled_online": annulled})
    db.session.commit()
    message = _(
        "%(name)s est émargé·e : elle ou il peut déposer son bulletin dans l'urne.",
        name=person.display_name,
    )
    if annulled:
        message += " " + _("Son vote en ligne est annulé : le bulletin papier le remplace.")
    flash(message, "success")
    return redirect(url_for("desks.show", desk_id=desk.id))


@bp.route("/bureaux/<int:desk_id>/recu")
@login_required
def receipt(desk_id: int):
    """The receipt of the ballot just recorded, to print or show (kept for a reload)."""
    desk = _desk_for_work(desk_id)
    shown = session.get(RECEIPT_KEY) or {}
    if shown.get("desk") != desk.id:
        return redirect(url_for("desks.show", desk_id=desk.id))
    person = db.session.get(User, shown.get("voter"))
    return render_template(
        "desks/receipt.html",
        desk=desk,
        challenge=desk.challenge,
        code=shown.get("receipt", ""),
        person=person,
        replaced=shown.get("replaced", False),
    )


@bp.route("/bureaux/<int:desk_id>/emargement")
@login_required
def voters(desk_id: int):
    """The desk's voters' list: who voted here, how, when, ticked by whom."""
    desk = _desk_for_work(desk_id)
    return render_template(
        "desks/voters.html",
        desk=desk,
        challenge=desk.challenge,
        lines=desks.voters_list(desk),
        channel_labels=CHANNEL_LABELS,
    )


@bp.route("/bureaux/<int:desk_id>/cloture", methods=["GET", "POST"])
@login_required
def close(desk_id: int):
    """Close the urn: no more ballots here; the paper sheets are then entered twice."""
    desk = _desk_for_work(desk_id)
    require(rules.can_manage_desk(current_actor(), desk.challenge.scope))
    if not desk.is_open:
        flash(_("Ce bureau est déjà clos."), "info")
        return redirect(url_for("paper.desk", desk_id=desk.id))
    form = CloseUrnForm()
    counts = desks.desk_counts([desk.id])[desk.id]
    if request.method == "POST" and form.validate_on_submit():
        received = int(form.sheets_received.data)
        if not confirmed():
            return confirmation_page(
                title=_("Clôturer le bureau"),
                question=_(
                    "Clôturer le bureau « %(name)s » maintenant ? Ce n'est pas réversible.",
                    name=desk.name,
                ),
                details=[
                    ngettext(
                        "%(num)d vote enregistré au bureau",
                        "%(num)d votes enregistrés au bureau",
                        counts.get(Channel.DESK, 0),
                    ),
                    ngettext(
                        "%(num)d votant·e émargé·e pour l'urne",
                        "%(num)d votant·es émargé·es pour l'urne",
                        counts.get(Channel.PAPER, 0),
                    ),
                    ngettext(
                        "%(num)d bulletin trouvé dans l'urne",
                        "%(num)d bulletins trouvés dans l'urne",
                        received,
                    ),
                ],
                action=url_for("desks.close", desk_id=desk.id),
                cancel=url_for("desks.show", desk_id=desk.id),
                fields={"sheets_received": str(received)},
            )
        try:
            desks.close_urn(desk, _me(), received)
        except desks.DeskRefused as refused:
            db.session.rollback()
            flash(refused.message, "info")
            return redirect(url_for("paper.desk", desk_id=desk.id))
        audit(_me(), "desk.close", desk, details={"sheets_received": received})
        db.session.commit()
        flash(
            _("Le bureau est clos. Saisissez maintenant les bulletins papier, deux fois chacun."),
            "success",
        )
        return redirect(url_for("paper.desk", desk_id=desk.id))
    return render_template(
        "desks/close.html",
        desk=desk,
        challenge=desk.challenge,
        form=form,
        counts=counts,
        Channel=Channel,
    ), (422 if form.errors else 200)


@bp.app_template_global()
def desks_for_me(challenge_id: int) -> list[VoteDesk]:
    """For the challenge page: the open desks of this vote I work at (a link to each)."""
    if not current_user.is_authenticated:
        return []
    return desks.my_open_desks(challenge_id, current_user.id)
