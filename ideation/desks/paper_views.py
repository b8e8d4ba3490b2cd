"""Paper ballots of a desk: print the sheets, enter each twice, the closure record.

Who may do what (ideation/domain/permissions.py): the desk's assessors and who manages
the challenge work the desk (open a sheet, enter it); only who manages the challenge
prints sheets and closes the count. The frozen record is published with the results.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.challenges.services import load_challenge
from ideation.core.qr import qr_svg
from ideation.core.security import current_actor, require
from ideation.desks import paper as services
from ideation.desks.models import PaperSheet, VoteDesk
from ideation.desks.paper_forms import (
    FindSheetForm,
    FreezeRecordForm,
    PrintSheetsForm,
    SheetEntryForm,
    read_box_fields,
)
from ideation.domain import paper as paper_rules
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import N_
from ideation.domain.desks import SheetStatus
from ideation.extensions import db
from ideation.mail.links import external_url
from ideation.voting import services as voting

bp = Blueprint("paper", __name__)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _desk_for_work(desk_id: int) -> VoteDesk:
    """The desk, for its assessors and who manages the challenge (403 otherwise)."""
    desk = services.load_desk(desk_id)
    require(rules.can_work_desk(current_actor(), desk.assessor_ids, desk.challenge.scope))
    return desk


def _may_manage(desk: VoteDesk) -> bool:
    return rules.can_manage_desk(current_actor(), desk.challenge.scope)


def _printings(desk: VoteDesk) -> list[tuple[int, int]]:
    """Each printing of the desk as (first sheet id, number of sheets)."""
    return [
        (int(first), int(count))
        for first, count in db.session.execute(
            select(func.min(PaperSheet.id), func.count())
            .where(PaperSheet.desk_id == desk.id)
            .group_by(PaperSheet.printed_at)
            .order_by(func.min(PaperSheet.id))
        )
    ]


@bp.route("/bureaux/<int:desk_id>/papier", methods=["GET", "POST"])
@login_required
def desk(desk_id: int):
    """The desk's paper ballots: print sheets (while the urn is open), then enter them."""
    desk = _desk_for_work(desk_id)
    manage = _may_manage(desk)
    form = PrintSheetsForm()
    if request.method == "POST":
        require(manage)
        if form.validate_on_submit():
            try:
                sheets = services.print_sheets(desk, int(form.count.data))
            except services.PaperRefused as refusal:
                form.count.errors.append(refusal.message)
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "%(num)d bulletin prêt à imprimer.",
                        "%(num)d bulletins prêts à imprimer.",
                        len(sheets),
                    ),
                    "success",
                )
                return redirect(
                    url_for(
                        "paper.print_sheets",
                        desk_id=desk.id,
                        first_id=sheets[0].id,
                        count=len(sheets),
                    )
                )
    return render_template(
        "desks/paper/desk.html",
        desk=desk,
        form=form,
        find_form=FindSheetForm(formdata=None, meta={"csrf": False}),
        manage=manage,
        printings=_printings(desk),
        record=services.live_record(desk),
        refusal=services.entry_refusal(desk),
        sheets=services.sheet_rows(desk),
        status_labels=STATUS_LABELS,
    ), (422 if form.errors else 200)


STATUS_LABELS = {
    SheetStatus.PRINTED: N_("Pas encore saisi"),
    SheetStatus.FIRST_ENTRY: N_("Saisi une fois"),
    SheetStatus.DISPUTED: N_("Saisies différentes : troisième lecture"),
    SheetStatus.AGREED: N_("Compté"),
    SheetStatus.BLANK: N_("Blanc"),
    SheetStatus.SPOILT: N_("Nul"),
    SheetStatus.EXCESS: N_("En trop"),
}


@bp.route("/bureaux/<int:desk_id>/papier/lot/<int:first_id>/<int:count>")
@login_required
def print_sheets(desk_id: int, first_id: int, count: int):
    """The sheets of one printing, one A4 page each (the browser prints them or saves a
    PDF): code, QR code, the shortlist in the sheet's own order, boxes, receipt stub."""
    desk = services.load_desk(desk_id)
    require(_may_manage(desk))
    sheets = services.batch(desk, first_id, count)
    if not sheets:
        abort(404)
    challenge = desk.challenge
    shortlist = voting.shortlisted(challenge.id)
    pages = []
    for sheet in sheets:
        code = services.sheet_code(sheet)
        entry_url = external_url("paper.entry", desk_id=desk.id, code=code)
        pages.append(
            {
                "sheet": sheet,
                "code": code,
                "qr": qr_svg(entry_url),
                "ideas": services.sheet_candidates(challenge.id, code, shortlist),
            }
        )
    verify_url = external_url("voting.verify", slug=challenge.slug)
    return render_template(
        "desks/paper/print.html",
        desk=desk,
        challenge=challenge,
        pages=pages,
        verify_words=verify_url.split("://", 1)[-1],
    )


@bp.route("/bureaux/<int:desk_id>/papier/saisie")
@login_required
def find_sheet(desk_id: int):
    """Open a sheet by its code (typed, or read from its QR code) to enter it."""
    desk = _desk_for_work(desk_id)
    form = FindSheetForm(request.args, meta={"csrf": False})
    if request.args and form.validate():
        sheet = services.sheet_by_code(desk, form.code.data or "")
        if sheet is not None:
            return redirect(
                url_for("paper.entry", desk_id=desk.id, code=services.sheet_code(sheet))
            )
        form.code.errors.append(_("Aucun bulletin de ce bureau n'a ce code. Vérifiez-le."))
    return render_template(
        "desks/paper/find.html", desk=desk, form=form, refusal=services.entry_refusal(desk)
    ), (422 if form.errors else 200)


def _boxes_context(desk: VoteDesk, code: str) -> list:
    return services.sheet_candidates(desk.challenge_id, code)


@bp.route("/bureaux/<int:desk_id>/papier/feuilles/<code>", methods=["GET", "POST"])
@login_required
def entry(desk_id: int, code: str):
    """Enter one sheet: copy the numbers of its boxes, in the sheet's own order. The
    person never sees an earlier entry of the sheet (each reading is independent)."""
    desk = _desk_for_work(desk_id)
    sheet = services.sheet_by_code(desk, code)
    if sheet is None:
        abort(404)
    code = services.sheet_code(sheet)
    me = _me()
    refusal = services.entry_refusal(desk) or services.reader_refusal(sheet, me.id)
    ideas = _boxes_context(desk, code)
    form = SheetEntryForm()
    typed: dict[int, str] = {}
    messages: list[str] = []
    if request.method == "POST":
        if refusal:
            flash(refusal, "error")
            return redirect(url_for("paper.desk", desk_id=desk.id))
        candidate_ids = [idea.id for idea in ideas]
        typed = read_box_fields(request.form, candidate_ids)
        if form.validate_on_submit():
            spoilt = form.kind.data == "spoilt"
            max_ranks = desk.challenge.vote_max_ranks
            if not spoilt:
                wrong, ranked = paper_rules.mark_problems(typed, candidate_ids, max_ranks)
                titles = {idea.id: idea.title for idea in ideas}
                for idea_id in wrong:
                    messages.append(
                        _(
                            "Case « %(idea)s » : « %(mark)s » n'est pas un rang (un nombre de 1 "
                            "à %(highest)s). Si le bulletin porte cette marque, il est nul.",
                            idea=titles[idea_id],
                            mark=typed[idea_id],
                            highest=len(candidate_ids),
                        )
                    )
                if not wrong and max_ranks is not None and ranked > max_ranks:
                    messages.append(
                        ngettext(
                            "Le vote permet de classer %(num)d idée au plus : ce bulletin en "
                            "classe plus, il est nul.",
                            "Le vote permet de classer %(num)d idées au plus : ce bulletin en "
                            "classe plus, il est nul.",
                            max_ranks,
                        )
                    )
            if not messages:
                reading = paper_rules.read_boxes(typed, candidate_ids, max_ranks, spoilt=spoilt)
                try:
                    entered = services.enter_sheet(desk.id, sheet.id, me.id, reading)
                except services.PaperRefused as refused:
                    db.session.rollback()
                    flash(refused.message, "error")
                    return redirect(url_for("paper.desk", desk_id=desk.id))
                db.session.commit()
                flash(_entered_message(code, entered), "success")
                return redirect(url_for("paper.find_sheet", desk_id=desk.id))
    status = 422 if (messages or form.errors) else 200
    return render_template(
        "desks/paper/entry.html",
        desk=desk,
        sheet=sheet,
        code=code,
        ideas=ideas,
        form=form,
        typed=typed,
        messages=messages,
        refusal=refusal,
    ), status


def _entered_message(code: str, status: SheetStatus) -> str:
    if status == SheetStatus.FIRST_ENTRY:
        return _(
            "Bulletin %(code)s : première saisie enregistrée. Une autre personne doit le "
            "saisir à son tour.",
            code=code,
        )
    if status == SheetStatus.DISPUTED:
        return _(
            "Bulletin %(code)s : les deux saisies diffèrent. Une troisième personne doit le "
            "relire et le saisir.",
            code=code,
        )
    words = {
        SheetStatus.AGREED: _("les saisies concordent, le bulletin est compté."),
        SheetStatus.BLANK: _("les saisies concordent, le bulletin est blanc."),
        SheetStatus.SPOILT: _("le bulletin est nul."),
        SheetStatus.EXCESS: _(
            "les saisies concordent, mais il y a plus de bulletins que de votant·es "
            "émargé·es : ce bulletin n'est pas compté (le procès-verbal le dira)."
        ),
    }
    return _("Bulletin %(code)s : %(result)s", code=code, result=words[status])


@bp.route("/bureaux/<int:desk_id>/proces-verbal", methods=["GET", "POST"])
@login_required
def record(desk_id: int):
    """The desk's closure record as it stands; who manages the challenge closes the count
    and freezes it (sheets still waiting can be set aside, and the record says so)."""
    desk = _desk_for_work(desk_id)
    manage = _may_manage(desk)
    form = FreezeRecordForm(
        data={"sheets_received": desk.sheets_received} if request.method == "GET" else None
    )
    if request.method == "POST":
        require(manage)
        if form.validate_on_submit():
            try:
                services.freeze_record(
                    desk.id, _me().id, int(form.sheets_received.data), bool(form.set_aside.data)
                )
            except services.PaperRefused as refused:
                db.session.rollback()
                form.form_errors.append(refused.message)
            else:
                db.session.commit()
                flash(_("Le procès-verbal est clos. Il sera publié avec les résultats."), "success")
                return redirect(url_for("paper.record", desk_id=desk.id))
    record = services.live_record(desk)
    return render_template(
        "desks/paper/record.html",
        desk=desk,
        challenge=desk.challenge,
        record=record,
        names=services.people_names(record.get("people", [])),
        form=form,
        manage=manage,
        published=False,
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/defis/<slug>/resultats/bureaux/<int:desk_id>")
def published_record(slug: str, desk_id: int):
    """A desk's frozen closure record, published with the results (printable)."""
    challenge = load_challenge(slug)
    actor = current_actor()
    phase = challenge.current_phase()
    require(rules.can_view_challenge(actor, phase, challenge.scope))
    desk = db.session.get(VoteDesk, desk_id)
    if (
        desk is None
        or desk.challenge_id != challenge.id
        or desk.record is None
        or not rules.can_view_results(actor, phase, challenge.scope)
        or not services.vote_counted(challenge.id)
    ):
        abort(404)
    return render_template(
        "desks/paper/record.html",
        desk=desk,
        challenge=challenge,
        record=desk.record,
        names=services.people_names(desk.record.get("people", [])),
        form=None,
        manage=False,
        published=True,
    )


@bp.app_template_global()
def published_desk_records(challenge_id: int) -> list[VoteDesk]:
    """The results page's list of desks with their frozen record (one link each)."""
    return services.frozen_desks(challenge_id)


@bp.app_template_global()
def desks_holding_count(challenge_id: int) -> list[str]:
    """Why a vote that is over is not counted yet (its desks are not done), if so."""
    return services.close_guard(challenge_id)
