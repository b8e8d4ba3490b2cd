"""Posters to print (A4, one PDF per batch) and the short links they carry."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import login_required

from ideation.challenges.services import load_challenge
from ideation.core.security import current_actor, require
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.codes import read_short_code
from ideation.extensions import db
from ideation.printed import services
from ideation.voting.services import close_if_due
from ideation.workshops.services import load_workshop

bp = Blueprint("printed", __name__)


# --- short links: public, they only send on to the page -------------------------------


@bp.route("/d/<code>")
def challenge_link(code: str):
    """A challenge's short link (printed on its posters): on to the challenge page."""
    challenge_id = read_short_code(code)
    challenge = services.challenge_by_id(challenge_id) if challenge_id else None
    # A draft's slug is not given away: an unknown link and a hidden challenge look alike.
    if challenge is None or not rules.can_view_challenge(
        current_actor(), challenge.current_phase(), challenge.scope
    ):
        abort(404)
    return redirect(url_for("challenges.show", slug=challenge.slug))


@bp.route("/a/<code>")
def workshop_link(code: str):
    """A workshop's short link (printed on its poster): on to the workshop page."""
    workshop_id = read_short_code(code)
    if workshop_id is None or not services.workshop_exists(workshop_id):
        abort(404)
    return redirect(url_for("workshops.show", workshop_id=workshop_id))


# --- the posters -----------------------------------------------------------------------


@bp.route("/imprimer/invitations/<int:invitation_id>")
@login_required
def invitation_poster(invitation_id: int):
    """The entrance-hall poster of an invitation code: the code in big letters, a QR code
    to the sign-up page with the code filled in, three steps, the landlord's name."""
    invitation = services.load_invitation(invitation_id)
    require(
        rules.can_print_invitation_poster(
            current_actor(), invitation.organisation_id, partner=invitation.organisation.is_partner
        )
    )
    return render_template(
        "printed/invitation.html",
        invitation=invitation,
        link=services.sign_up_link(invitation),
        sign_up_words=services.sign_up_words(),
    )


def _challenge(slug: str):  # type: ignore[no-untyped-def]
    challenge = load_challenge(slug)
    if close_if_due(challenge):  # the end date passed and nobody closed it
        db.session.commit()
    return challenge, challenge.current_phase(utcnow())


@bp.route("/imprimer/defis/<slug>/vote")
@login_required
def vote_poster(slug: str):
    """« Votez jusqu'au … »: a challenge in its vote, with its short link and QR code."""
    challenge, phase = _challenge(slug)
    require(rules.can_print_vote_poster(current_actor(), phase, challenge.scope))
    return render_template(
        "printed/vote.html", challenge=challenge, link=services.challenge_link(challenge)
    )


@bp.route("/imprimer/defis/<slug>/resultats")
@login_required
def results_poster(slug: str):
    """The winners of a closed vote, for the hall."""
    challenge, phase = _challenge(slug)
    require(rules.can_print_results_poster(current_actor(), phase, challenge.scope))
    return render_template(
        "printed/results.html",
        challenge=challenge,
        winners=services.winners(challenge),
        link=services.challenge_link(challenge),
    )


@bp.route("/imprimer/ateliers/<int:workshop_id>")
@login_required
def workshop_poster(workshop_id: int):
    """A workshop's poster: title, date, place, QR code and short link to its page."""
    workshop = load_workshop(workshop_id)
    organisation_id = workshop.residence.organisation_id if workshop.residence else None
    require(
        rules.can_print_workshop_poster(
            current_actor(), workshop.host_ids, workshop.created_by_id, organisation_id
        )
    )
    return render_template(
        "printed/workshop.html", workshop=workshop, link=services.workshop_link(workshop)
    )
