"""Posters to print (A4, one PDF per batch) and the short links they carry."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideation.auth.models import User
from ideation.challenges.services import load_challenge
from ideation.core.audit import audit
from ideation.core.security import current_actor, require
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.codes import read_short_code
from ideation.extensions import db
from ideation.orgs.services import issue_dwelling_codes, unused_dwelling_codes
from ideation.printed import services
from ideation.printed.forms import MAX_DWELLINGS, REFERENCE_MAX, DwellingCodesForm
from ideation.voting.services import close_if_due
from ideation.workshops.services import load_workshop

bp = Blueprint("printed", __name__)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


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


# --- verified households: the dwelling letters ----------------------------------------


@bp.route("/imprimer/logements", methods=["GET", "POST"])
@login_required
def dwelling_codes():
    """A landlord manager lists a residence's dwellings and gets one single-use code per
    dwelling, to print as letters for the letterboxes (one batch, one PDF)."""
    actor = current_actor()
    require(rules.can_open_dwelling_letters(actor))
    residences = services.residences_for(actor.organisation_id, rules.is_admin(actor))
    form = DwellingCodesForm()
    form.residence_id.choices = [(r.id, r.label) for r in residences]
    if form.validate_on_submit():
        residence = next(r for r in residences if r.id == form.residence_id.data)
        require(rules.can_issue_dwelling_codes(actor, residence.organisation_id))
        references = form.reference_list()
        if not references:
            form.references.errors.append(_("Saisissez au moins un logement."))
        elif len(references) > MAX_DWELLINGS:
            form.references.errors.append(
                ngettext(
                    "%(num)d logement au plus par envoi.",
                    "%(num)d logements au plus par envoi.",
                    MAX_DWELLINGS,
                )
            )
        elif any(len(r) > REFERENCE_MAX for r in references):
            form.references.errors.append(
                ngettext(
                    "Une référence tient en %(num)d caractère au plus.",
                    "Une référence tient en %(num)d caractères au plus.",
                    REFERENCE_MAX,
                )
            )
        else:
            codes = issue_dwelling_codes(residence.id, references, actor.id)
            audit(_me(), "dwelling_codes.issue", residence, details={"letters": len(codes)})
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d courrier prêt à imprimer.",
                    "%(num)d courriers prêts à imprimer.",
                    len(codes),
                ),
                "success",
            )
            return redirect(url_for("printed.dwelling_letters", residence_id=residence.id))
    return render_template("printed/dwelling_codes.html", form=form, residences=residences)


@bp.route("/imprimer/residences/<int:residence_id>/courriers")
@login_required
def dwelling_letters(residence_id: int):
    """The letters still to hand out for a residence: one A4 page each, one PDF for all;
    the dwelling's reference shows only on screen, beside the letter's number."""
    residence = services.load_residence(residence_id)
    require(rules.can_issue_dwelling_codes(current_actor(), residence.organisation_id))
    codes = unused_dwelling_codes(residence.id)
    return render_template(
        "printed/dwelling_letters.html",
        residence=residence,
        letters=[(code, services.sign_up_link_for(code.code)) for code in codes],
        max_accounts=current_app.config["DWELLING_MAX_ACCOUNTS"],
    )
