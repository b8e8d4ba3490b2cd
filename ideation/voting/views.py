"""Vote pages: rank the shortlisted ideas, my ballot, close, results, ballot files, receipts."""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ideation.challenges.models import Challenge
from ideation.challenges.services import load_challenge
from ideation.core.confirm import confirmation_page, confirmed
from ideation.core.security import current_actor, require, require_participation
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.voting import registry
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.voting import services as voting
from ideation.voting.forms import CloseVoteForm, VoteForm, parse_ranks, rank_options
from ideation.voting.models import VoteResult

bp = Blueprint("voting", __name__)


def _lazy_close(challenge: Challenge) -> None:
    """The vote's end date has passed but nobody closed it: close it now (idempotent)."""
    if voting.close_if_due(challenge):
        db.session.commit()


def _candidates(challenge_id: int) -> list[Idea]:
    return list(
        db.session.scalars(
            select(Idea)
            .options(joinedload(Idea.author))
            .where(Idea.challenge_id == challenge_id, Idea.status == voting.IdeaStatus.SHORTLISTED)
            .order_by(Idea.id)
        )
    )


def _chosen_from_ballot(ballot) -> dict[int, str]:  # type: ignore[no-untyped-def]
    if ballot is None:
        return {}
    return {
        idea_id: str(place) for place, group in enumerate(ballot.ranking, 1) for idea_id in group
    }


@bp.app_template_global()
def vote_method_label(method: str) -> str:
    """The method's name in the reader's language (the registry's French label is the msgid)."""
    spec = registry.get(method)
    return _(spec.label) if spec else method


# --- voting ---------------------------------------------------------------------------


@bp.route("/defis/<slug>/vote", methods=["GET", "POST"])
@login_required
def vote(slug: str):
    """The ballot: rank the shortlisted ideas (cards, selects, drag and drop, buttons)."""
    challenge = load_challenge(slug)
    actor = current_actor()
    _lazy_close(challenge)
    phase = challenge.current_phase()
    require(rules.can_view_challenge(actor, phase, challenge.scope))
    if phase in (Phase.RESULTS, Phase.ARCHIVED):
        if request.method == "POST":
            flash(_("Le vote est clos : votre bulletin n'a pas été enregistré."), "error")
        else:
            flash(_("Le vote est clos. Voici les résultats."), "info")
        return redirect(url_for("voting.results", slug=slug))
    if rules.vote_needs_household(actor, phase, challenge.scope, challenge.vote_verified_only):
        # « Vote réservé aux foyers vérifiés »: the page says how to become one.
        return render_template("voting/household_needed.html", challenge=challenge), 403
    require_participation(rules.can_vote, phase, challenge.scope, challenge.vote_verified_only)
    # Each voter sees the shortlist in their own stable random order (display only).
    candidates = voting.candidate_order(challenge, actor.id, _candidates(challenge.id))
    ballot = voting.get_ballot(challenge.id, actor.id)
    form = VoteForm()
    chosen = _chosen_from_ballot(ballot)
    errors: list[str] = []
    if form.validate_on_submit():
        parsed = parse_ranks(
            request.form, [(i.id, i.title) for i in candidates], challenge.vote_max_ranks
        )
        chosen, errors = parsed.chosen, parsed.errors
        if not errors:
            try:
                # @login_required: the actor is signed in, so it has an id.
                voting.cast_ballot(challenge, cast(int, actor.id), parsed.ranking)
            except voting.BallotRefused as refused:
                db.session.rollback()
                errors = refused.messages
            except voting.VoteClosed:
                db.session.rollback()
                flash(_("Le vote est clos : votre bulletin n'a pas été enregistré."), "error")
                return redirect(url_for("voting.results", slug=slug))
            else:
                db.session.commit()
                return redirect(url_for("voting.confirmation", slug=slug))
    return render_template(
        "voting/vote.html",
        challenge=challenge,
        phase=phase,
        candidates=candidates,
        ballot=ballot,
        form=form,
        chosen=chosen,
        errors=errors,
        options=rank_options(len(candidates), challenge.vote_max_ranks),
        ballots_total=voting.ballots_count(challenge.id),
    )


def _ballot_page(slug: str, confirmation: bool):  # type: ignore[no-untyped-def]
    challenge = load_challenge(slug)
    actor = current_actor()
    _lazy_close(challenge)
    phase = challenge.current_phase()
    require(rules.can_view_challenge(actor, phase, challenge.scope))
    require(rules.in_vote_scope(actor, challenge.scope))
    ballot = voting.get_ballot(challenge.id, actor.id)
    if confirmation and ballot is None:
        return redirect(url_for("voting.vote", slug=slug))
    ideas = {}
    if ballot is not None:
        ids = [i for group in ballot.ranking for i in group]
        ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(ids)))}
    return render_template(
        "voting/my_ballot.html",
        challenge=challenge,
        phase=phase,
        ballot=ballot,
        ideas=ideas,
        confirmation=confirmation,
        can_change=rules.can_vote(actor, phase, challenge.scope, challenge.vote_verified_only),
    )


@bp.route("/defis/<slug>/vote/merci")
@login_required
def confirmation(slug: str):
    """After casting: the vote is recorded, here is the receipt code."""
    return _ballot_page(slug, confirmation=True)


@bp.route("/defis/<slug>/mon-vote")
@login_required
def my_ballot(slug: str):
    """My current ballot and its receipt; a link to change it until the close."""
    return _ballot_page(slug, confirmation=False)


@bp.route("/defis/<slug>/vote/cloturer", methods=["POST"])
@login_required
def close(slug: str):
    """A facilitator closes the vote now: the result is computed and published.

    The button asks first (a page, no JavaScript): only the confirmed POST closes.
    """
    challenge = load_challenge(slug)
    actor = current_actor()
    _lazy_close(challenge)
    phase = challenge.current_phase()
    require(rules.can_close_vote(actor, phase, challenge.scope))
    form = CloseVoteForm()
    if not form.validate_on_submit():
        abort(400)
    if not confirmed():
        return confirm_close_page(challenge, url_for("voting.close", slug=slug))
    try:
        voting.close_vote(challenge)
    except voting.CloseBlocked as blocked:
        # The desks are not done (ideation/desks/paper.py close_guard): say what waits.
        db.session.rollback()
        flash(
            _(
                "Le vote ne peut pas encore être clos. %(reasons)s",
                reasons=" ".join(blocked.messages),
            ),
            "error",
        )
        return redirect(url_for("challenges.show", slug=slug))
    db.session.commit()
    flash(_("Le vote est clos. Les résultats sont publiés."), "success")
    return redirect(url_for("voting.results", slug=slug))


def confirm_close_page(challenge: Challenge, action: str, fields=None):  # type: ignore[no-untyped-def]
    """The page that asks before a vote is closed by hand (also the phase form's)."""
    count = voting.ballots_count(challenge.id)
    return confirmation_page(
        title=_("Clôturer le vote"),
        question=ngettext(
            "Clôturer maintenant ? %(num)d bulletin ; ce n'est pas réversible.",
            "Clôturer maintenant ? %(num)d bulletins ; ce n'est pas réversible.",
            count,
        ),
        details=[
            _("Les résultats sont calculés et publiés tout de suite."),
            _("Plus personne ne pourra voter ni changer son vote."),
        ],
        action=action,
        cancel=url_for("challenges.show", slug=challenge.slug),
        fields=fields,
    )


# --- results --------------------------------------------------------------------------


def _ordinal(place: int) -> str:
    return _("1er") if place == 1 else _("%(num)de", num=place)


def _places(result: VoteResult, names: dict[int, str]) -> list[dict[str, Any]]:
    rows, place = [], 1
    for group in result.ranking:
        rows.append(
            {
                "place": place,
                "label": _ordinal(place),
                "ids": list(group),
                "tie": len(group) > 1,
                "winner": any(i in result.winners for i in group),
            }
        )
        place += len(group)
    return rows


def _chart(result: VoteResult, values: list[tuple[str, float]] | None) -> dict[str, Any] | None:
    """Lay out a method's bars (name, value) for the SVG chart, in the result's order."""
    if values is None:
        return None
    order = {cid: pos for pos, group in enumerate(result.ranking) for cid in group}
    ordered = sorted(
        zip(values, result.candidate_ids, strict=True), key=lambda v: order.get(v[1], 0)
    )
    top = max([float(v) for (_n, v), _c in ordered] + [1.0])
    bars = []
    for row, ((name, value), _cid) in enumerate(ordered):
        bars.append(
            {
                "name": name,
                "value": value,
                "y": 4 + row * 44,
                "width": round(320 * float(value) / top, 2),
            }
        )
    return {"bars": bars, "height": 8 + 44 * len(bars)}


def _results_context(challenge: Challenge, result: VoteResult) -> dict[str, Any]:
    ideas = {
        i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(result.candidate_ids)))
    }
    names = dict(zip(result.candidate_ids, result.candidate_names, strict=True))
    # The method explains itself: its presenter builds the context of its partial.
    method = registry.get(result.method)
    explained = method.present(result.explanation) if method else {}
    command = (
        f"python -m ideation.recount {challenge.slug}-bulletins.csv "
        f"--method {result.method} --winners {result.winners_count} --json"
    )
    return {
        "result": result,
        "ideas": ideas,
        "names": names,
        "places": _places(result, names),
        "explained": explained,
        "chart": _chart(result, explained.get("chart")),
        "partial": f"voting/methods/{method.name}.html" if method else None,
        "command": command,
        "turnout": (result.ballots_count / result.eligible_count)
        if result.eligible_count
        else None,
        "participation": voting.turnout_tables(result),
    }


@bp.route("/defis/<slug>/resultats")
def results(slug: str):
    """The result of the vote, explained: order, winners, method details, ballots to recount."""
    challenge = load_challenge(slug)
    actor = current_actor()
    _lazy_close(challenge)
    phase = challenge.current_phase()
    require(rules.can_view_challenge(actor, phase, challenge.scope))
    if not rules.can_view_results(actor, phase, challenge.scope):
        return render_template(
            "voting/results_pending.html",
            challenge=challenge,
            phase=phase,
            ballots_total=voting.ballots_count(challenge.id) if phase == Phase.VOTING else None,
        )
    result = voting.get_result(challenge.id)
    context = _results_context(challenge, result) if result else {}
    return render_template(
        "voting/results.html", challenge=challenge, phase=phase, receipt="", **context
    )


def _published(slug: str) -> tuple[Challenge, VoteResult]:
    challenge = load_challenge(slug)
    actor = current_actor()
    _lazy_close(challenge)
    phase = challenge.current_phase()
    require(rules.can_view_challenge(actor, phase, challenge.scope))
    if not rules.can_view_results(actor, phase, challenge.scope):
        abort(404)
    result = voting.get_result(challenge.id)
    if result is None:
        abort(404)
    return challenge, result


@bp.route("/defis/<slug>/resultats/bulletins.<ext>")
def download(slug: str, ext: str):
    """The anonymised ballots as a file: the project's CSV (with receipts), PrefLib or BLT.

    The bytes were written once after the close (voting.write_files); served with an
    ETag, so a conditional GET answers 304 without sending them again.
    """
    challenge, result = _published(slug)
    if ext in ("csv", "blt"):
        kind = ext
    else:
        kind = "preflib"
    stored = voting.vote_file(challenge.id, kind)
    if stored is None:
        abort(404)
    db.session.commit()  # a file written now (the job had not run yet) is kept
    if kind == "preflib" and ext != stored.extension:
        if ext != "preflib":
            abort(404)
        # The PrefLib extension names the data type (soc, soi, toc, toi) of these ballots.
        return redirect(url_for("voting.download", slug=slug, ext=stored.extension))
    name = f"{challenge.slug}-bulletins.{ext}"
    response = Response(
        stored.body,
        mimetype="text/csv" if ext == "csv" else "text/plain",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    response.set_etag(stored.etag)
    # Revalidated each time (the 304 is cheap); private: a scoped vote's files are not
    # for a shared cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.route("/defis/<slug>/resultats/verifier")
def verify(slug: str):
    """Check a receipt code: is my ballot among the published ones, as I cast it?"""
    challenge, result = _published(slug)
    receipt = voting.normalise_receipt(request.args.get("recu"))
    found = None
    if receipt:
        found = voting.find_published(result, receipt)
    return render_template(
        "voting/verify.html",
        challenge=challenge,
        result=result,
        receipt=receipt,
        published=voting.published_receipt(receipt) if found is not None else "",
        found=found,
        asked=bool(receipt),
    )


@bp.app_template_global()
def vote_links(challenge: Challenge, phase: Phase) -> list[tuple[str, str, bool]]:
    """The vote's links for the challenge page: (label, url, primary)."""
    actor = current_actor()
    links = []
    if phase == Phase.VOTING:
        verified_only = challenge.vote_verified_only
        if rules.can_vote(actor, phase, challenge.scope, verified_only) or (
            rules.vote_needs_household(actor, phase, challenge.scope, verified_only)
        ):
            links.append((_("Voter"), url_for("voting.vote", slug=challenge.slug), True))
            links.append((_("Mon vote"), url_for("voting.my_ballot", slug=challenge.slug), False))
        elif not current_user.is_authenticated:
            links.append(
                (
                    _("Se connecter pour voter"),
                    url_for("auth.login", next=url_for("voting.vote", slug=challenge.slug)),
                    True,
                )
            )
    if phase in (Phase.RESULTS, Phase.ARCHIVED):
        links.append(
            (_("Voir les résultats du vote"), url_for("voting.results", slug=challenge.slug), True)
        )
    return links
