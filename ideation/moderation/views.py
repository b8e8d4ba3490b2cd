"""Reports by participants; the facilitators' moderation queue, actions and audit log."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.comments import services as comment_services
from ideation.comments.models import Comment
from ideation.core import limits
from ideation.core.audit import ACTIONS, TARGET_TYPES, AuditEntry, journal_page
from ideation.core.forms import EmptyForm
from ideation.core.numbers import parse_page
from ideation.core.security import current_actor, require, require_participation, safe_next
from ideation.core.transitions import refusal_message
from ideation.domain import permissions as rules
from ideation.domain.idea_states import TransitionRefused
from ideation.extensions import db, login_manager
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea
from ideation.ideas.services import load_idea
from ideation.moderation import services
from ideation.moderation.forms import (
    AnswerForm,
    DismissForm,
    HideForm,
    MergeForm,
    RejectForm,
    ReportForm,
    RestoreForm,
    ShortlistForm,
)
from ideation.moderation.models import ReportReason, ReportStatus

bp = Blueprint("moderation", __name__)

AUDIT_PER_PAGE = 30


class QueueTab(StrEnum):
    """The tabs of the moderation queue. Code uses the English names; each value is the
    public URL word (`/moderation?onglet=attente`), French like the rest of the site's URLs."""

    PENDING = "attente"
    REPORTED = "signalements"
    HIDDEN = "masques"


def _page() -> int:
    return parse_page(request.args.get("page"))


# --- reports (participants) ------------------------------------------------------------


def _report(target, idea: Idea, author_id: int | None, back: str, what: str):  # type: ignore[no-untyped-def]
    require_participation(rules.can_report, author_id, idea.challenge.scope)
    form = ReportForm()
    if form.validate_on_submit():
        if limits.limit_reached("reports", current_user.id):
            form.form_errors.append(limits.message("reports"))
            return render_template(
                "moderation/report.html", form=form, idea=idea, target=target, what=what, back=back
            ), 429
        outcome = services.report(
            current_user, target, ReportReason(form.reason.data), form.details.data or ""
        )
        db.session.commit()
        if outcome.created:
            limits.count("reports", current_user.id)
            flash(_("Merci, votre signalement est transmis à l'équipe d'animation."), "success")
        else:
            flash(
                _("Vous aviez déjà signalé ce contenu : l'équipe d'animation est prévenue."), "info"
            )
        return redirect(back)
    return render_template(
        "moderation/report.html", form=form, idea=idea, target=target, what=what, back=back
    )


@bp.route("/idees/<int:idea_id>/signaler", methods=["GET", "POST"])
@login_required
def report_idea(idea_id: int):
    """Flag an idea to the facilitators, with a reason."""
    idea = load_idea(idea_id)
    require_participation(
        rules.can_report_idea, idea.status, idea.author_id, idea.challenge.scope, idea.is_hidden
    )
    return _report(idea, idea, idea.author_id, url_for("ideas.show", idea_id=idea.id), "idea")


@bp.route("/commentaires/<int:comment_id>/signaler", methods=["GET", "POST"])
@login_required
def report_comment(comment_id: int):
    """Flag a comment to the facilitators, with a reason."""
    comment, idea = comment_services.load_comment(comment_id)
    require_participation(
        rules.can_report_comment,
        comment.author_id,
        idea.challenge.scope,
        idea.is_public,
        comment.is_visible,
    )
    return _report(
        comment, idea, comment.author_id, comment_services.comment_link(comment), "comment"
    )


# --- the queue --------------------------------------------------------------------------


@bp.before_request
def _moderators_only_for_queue():
    """Everything under /moderation is for facilitators and admins."""
    if request.path.startswith("/moderation"):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        require(rules.can_open_moderation(current_actor()))
    return None


@bp.route("/moderation")
def queue():
    """What waits for a moderator: ideas to validate, reported items, hidden items."""
    actor = current_actor()
    try:
        tab = QueueTab(request.args.get("onglet", QueueTab.PENDING))
    except ValueError:
        tab = QueueTab.PENDING
    counts = services.queue_counts(actor)
    context: dict = {"tab": tab, "counts": counts, "form": EmptyForm()}
    if tab == QueueTab.PENDING:
        context["rows"] = services.pending_ideas(actor, _page())
        context["duplicates"] = services.likely_duplicates(list(context["rows"].items))
        context["mergeable"] = lifecycle.MERGE_TARGET_STATUSES
    elif tab == QueueTab.REPORTED:
        items, page, pages, total = services.reported_items(actor, _page())
        context.update(items=items, page=page, pages=pages, total=total)
    elif tab == QueueTab.HIDDEN:
        context["ideas"] = services.hidden_ideas(actor, _page())
        context["comments"] = services.hidden_comments(actor, _page())
    return render_template("moderation/queue.html", **context)


def _any_open(reports: list) -> bool:
    """Whether the "dismiss the reports" card has anything to dismiss."""
    return any(r.status == ReportStatus.OPEN for r in reports)


def _idea_page(idea: Idea, status: int = 200, **forms):  # type: ignore[no-untyped-def]
    challenge = idea.challenge
    defaults: dict[str, Any] = {
        "reject_form": RejectForm(prefix="reject"),
        "hide_form": HideForm(prefix="hide"),
        "restore_form": RestoreForm(prefix="restore"),
        "dismiss_form": DismissForm(prefix="dismiss"),
        "merge_form": MergeForm(prefix="merge"),
        "shortlist_form": ShortlistForm(prefix="shortlist"),
        "answer_form": AnswerForm(prefix="answer"),
    }
    defaults.update(forms)
    targets = lifecycle.merge_targets(idea)
    defaults["merge_form"].target.choices = [(0, _("— Choisir —"))] + [
        (i.id, i.title) for i in targets
    ]
    answer = lifecycle.answer_of(idea.id)
    if answer and not defaults["answer_form"].is_submitted():
        defaults["answer_form"].answer.data = answer.body_source
    reports = services.reports_for(idea)
    return render_template(
        "moderation/idea.html",
        idea=idea,
        challenge=challenge,
        phase=challenge.current_phase(),
        reports=reports,
        open_reports=_any_open(reports),
        team_answer=answer,
        form=EmptyForm(),
        **defaults,
    ), status


def _load_moderated_idea(idea_id: int) -> Idea:
    idea = load_idea(idea_id)
    require(rules.can_moderate(current_actor(), idea.challenge.scope))
    return idea


@bp.route("/moderation/idees/<int:idea_id>")
def idea(idea_id: int):
    """One idea with its reports and every action the moderator may take."""
    idea = _load_moderated_idea(idea_id)
    require(rules.can_open_idea_moderation(current_actor(), idea.status, idea.challenge.scope))
    return _idea_page(idea)


def _back_to_queue(idea: Idea) -> str:
    """The queue, on the item that now comes first: the moderator goes on without a detour."""
    following = services.next_pending_id(current_actor(), exclude=idea.id)
    if following is None:
        return url_for("moderation.queue")
    return url_for("moderation.queue", onglet=QueueTab.PENDING.value, _anchor=f"idee-{following}")


def _done(idea: Idea, message: str):  # type: ignore[no-untyped-def]
    db.session.commit()
    flash(message, "success")
    # Back where the action was taken (the idea's page, the challenge's list), else to the
    # queue on its next item.
    return redirect(safe_next(_back_to_queue(idea)))


def _transition(idea: Idea, action, message: str, **forms):  # type: ignore[no-untyped-def]
    try:
        action()
    except TransitionRefused as refused:
        db.session.rollback()
        flash(refusal_message(refused), "error")
        return redirect(safe_next(url_for("moderation.idea", idea_id=idea.id)))
    return _done(idea, message)


@bp.route("/moderation/idees/<int:idea_id>/publier", methods=["POST"])
def publish(idea_id: int):
    """Publish an idea waiting for validation."""
    idea = _load_moderated_idea(idea_id)
    challenge = idea.challenge
    require(
        rules.can_publish_idea(
            current_actor(), challenge.current_phase(), idea.status, challenge.scope
        )
    )
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _transition(
        idea,
        lambda: lifecycle.publish(current_user, idea),
        _("Idée publiée : tout le monde peut la voir et la soutenir."),
    )


@bp.route("/moderation/idees/<int:idea_id>/refuser", methods=["POST"])
def reject(idea_id: int):
    """Refuse an idea waiting for validation, with a reason shown to its author."""
    idea = _load_moderated_idea(idea_id)
    challenge = idea.challenge
    require(
        rules.can_reject_idea(
            current_actor(), challenge.current_phase(), idea.status, challenge.scope
        )
    )
    form = RejectForm(prefix="reject")
    if not form.validate_on_submit():
        return _idea_page(idea, 400, reject_form=form)
    return _transition(
        idea,
        lambda: lifecycle.reject(current_user, idea, form.reason.data),
        _("Idée refusée. Son auteur·rice verra la raison."),
    )


@bp.route("/moderation/idees/<int:idea_id>/masquer", methods=["POST"])
def hide_idea(idea_id: int):
    """Hide a public idea, with a reason shown to its author."""
    idea = _load_moderated_idea(idea_id)
    require(rules.can_hide_idea(current_actor(), idea.status, idea.challenge.scope, idea.is_hidden))
    form = HideForm(prefix="hide")
    if not form.validate_on_submit():
        return _idea_page(idea, 400, hide_form=form)
    services.hide(current_user, idea, form.reason.data)
    return _done(idea, _("Idée masquée. Son auteur·rice est prévenu·e."))


@bp.route("/moderation/idees/<int:idea_id>/retablir", methods=["POST"])
def restore_idea(idea_id: int):
    """Show a hidden idea again."""
    idea = _load_moderated_idea(idea_id)
    require(rules.can_restore(current_actor(), idea.challenge.scope, idea.is_hidden))
    form = RestoreForm(prefix="restore")
    if not form.validate_on_submit():
        return _idea_page(idea, 400, restore_form=form)
    services.restore(current_user, idea, form.reason.data)
    return _done(idea, _("Idée rétablie : elle est de nouveau visible."))


@bp.route("/moderation/idees/<int:idea_id>/classer", methods=["POST"])
def dismiss_idea(idea_id: int):
    """Close the reports on an idea: nothing wrong (it is shown again if they had hidden it)."""
    idea = _load_moderated_idea(idea_id)
    form = DismissForm(prefix="dismiss")
    if not form.validate_on_submit():
        return _idea_page(idea, 400, dismiss_form=form)
    services.dismiss(current_user, idea, form.reason.data or "")
    return _done(idea, _("Signalements classés sans suite."))


@bp.route("/moderation/idees/<int:idea_id>/regrouper", methods=["POST"])
def merge(idea_id: int):
    """Merge an idea into another of the same challenge; its supporters follow."""
    idea = _load_moderated_idea(idea_id)
    challenge = idea.challenge
    require(
        rules.can_merge_idea(
            current_actor(), challenge.current_phase(), idea.status, challenge.scope
        )
    )
    form = MergeForm(prefix="merge")
    targets = {i.id: i for i in lifecycle.merge_targets(idea)}
    valid = form.validate_on_submit()
    if form.is_submitted() and form.target.data not in targets:
        form.target.errors = list(form.target.errors) + [
            _("Choisissez l'idée avec laquelle regrouper.")
        ]
        valid = False
    if not valid:
        return _idea_page(idea, 400, merge_form=form)
    target = targets[form.target.data]
    return _transition(
        idea,
        lambda: lifecycle.merge(current_user, idea, target, form.reason.data),
        _(
            "Idée regroupée. Ses soutiens comptent maintenant pour « %(title)s ».",
            title=target.title,
        ),
    )


@bp.route("/moderation/idees/<int:idea_id>/retenir", methods=["POST"])
def shortlist(idea_id: int):
    """Retain a published idea for the vote, with an optional public answer."""
    idea = _load_moderated_idea(idea_id)
    challenge = idea.challenge
    require(
        rules.can_shortlist_idea(
            current_actor(), challenge.current_phase(), idea.status, challenge.scope
        )
    )
    form = ShortlistForm(prefix="shortlist")
    if not form.validate_on_submit():
        return _idea_page(idea, 400, shortlist_form=form)
    return _transition(
        idea,
        lambda: lifecycle.shortlist(current_user, idea, form.answer.data or ""),
        _("Idée retenue pour le vote."),
    )


@bp.route("/moderation/idees/<int:idea_id>/reponse", methods=["POST"])
def answer(idea_id: int):
    """Publish or change the team's public answer on an idea."""
    idea = _load_moderated_idea(idea_id)
    require(rules.can_answer_idea(current_actor(), idea.status, idea.challenge.scope))
    form = AnswerForm(prefix="answer")
    if not form.validate_on_submit():
        return _idea_page(idea, 400, answer_form=form)
    lifecycle.set_answer(current_user, idea, form.answer.data)
    return _done(idea, _("La réponse de l'équipe est publiée sur la page de l'idée."))


# --- comments -----------------------------------------------------------------------------


def _load_moderated_comment(comment_id: int) -> tuple[Comment, Idea]:
    comment, idea = comment_services.load_comment(comment_id)
    require(rules.can_moderate(current_actor(), idea.challenge.scope))
    return comment, idea


def _comment_page(comment: Comment, idea: Idea, status: int = 200, **forms):  # type: ignore[no-untyped-def]
    defaults = {
        "hide_form": HideForm(prefix="hide"),
        "restore_form": RestoreForm(prefix="restore"),
        "dismiss_form": DismissForm(prefix="dismiss"),
    }
    defaults.update(forms)
    reports = services.reports_for(comment)
    return render_template(
        "moderation/comment.html",
        comment=comment,
        idea=idea,
        reports=reports,
        open_reports=_any_open(reports),
        **defaults,
    ), status


def _comment_done(comment: Comment, message: str):  # type: ignore[no-untyped-def]
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("moderation.comment", comment_id=comment.id))


@bp.route("/moderation/commentaires/<int:comment_id>")
def comment(comment_id: int):
    """One comment with its reports and the moderator's actions."""
    comment, idea = _load_moderated_comment(comment_id)
    return _comment_page(comment, idea)


@bp.route("/moderation/commentaires/<int:comment_id>/masquer", methods=["POST"])
def hide_comment(comment_id: int):
    """Hide a comment, with a reason shown to its author; replies stay."""
    comment, idea = _load_moderated_comment(comment_id)
    require(rules.can_hide_comment(current_actor(), idea.challenge.scope, comment.is_visible))
    form = HideForm(prefix="hide")
    if not form.validate_on_submit():
        return _comment_page(comment, idea, 400, hide_form=form)
    services.hide(current_user, comment, form.reason.data)
    return _comment_done(comment, _("Commentaire masqué. Son auteur·rice est prévenu·e."))


@bp.route("/moderation/commentaires/<int:comment_id>/retablir", methods=["POST"])
def restore_comment(comment_id: int):
    """Show a hidden comment again."""
    comment, idea = _load_moderated_comment(comment_id)
    require(rules.can_restore(current_actor(), idea.challenge.scope, comment.is_hidden))
    form = RestoreForm(prefix="restore")
    if not form.validate_on_submit():
        return _comment_page(comment, idea, 400, restore_form=form)
    services.restore(current_user, comment, form.reason.data)
    return _comment_done(comment, _("Commentaire rétabli."))


@bp.route("/moderation/commentaires/<int:comment_id>/classer", methods=["POST"])
def dismiss_comment(comment_id: int):
    """Close the reports on a comment: nothing wrong."""
    comment, idea = _load_moderated_comment(comment_id)
    form = DismissForm(prefix="dismiss")
    if not form.validate_on_submit():
        return _comment_page(comment, idea, 400, dismiss_form=form)
    services.dismiss(current_user, comment, form.reason.data or "")
    return _comment_done(comment, _("Signalements classés sans suite."))


# --- the audit log ------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/moderation/journal")
def audit_log():
    """The moderation and administration journal, filtered; read only."""
    actor = current_actor()
    action = request.args.get("action") or ""
    action = action if action in ACTIONS else ""
    target_type = request.args.get("cible") or ""
    target_type = target_type if target_type in TARGET_TYPES else ""
    since, until = _day(request.args.get("du")), _day(request.args.get("au"))
    rows = journal_page(
        actor.organisation_id,
        everything=rules.moderates_everything(actor),
        action=action,
        target_type=target_type,
        since=since,
        until=until,
        page=_page(),
        per_page=AUDIT_PER_PAGE,
    )
    filters = {
        k: v
        for k, v in {
            "action": action,
            "cible": target_type,
            "du": since.isoformat() if since else "",
            "au": until.isoformat() if until else "",
        }.items()
        if v
    }
    return render_template(
        "moderation/audit.html",
        rows=rows,
        actions=ACTIONS,
        target_types=TARGET_TYPES,
        action=action,
        target_type=target_type,
        since=since,
        until=until,
        filters=filters,
    )


# --- template helpers (registered by the blueprint, like every area's) -------------------


@bp.app_template_global()
def audit_target_url(entry: AuditEntry) -> str | None:
    """Where an audit row's target can be seen (ideas and comments: their moderation page)."""
    if entry.target_id is None:
        return None
    if entry.target_type == "idea":
        return url_for("moderation.idea", idea_id=entry.target_id)
    if entry.target_type == "comment":
        return url_for("moderation.comment", comment_id=entry.target_id)
    return None


@bp.app_context_processor
def moderation_nav() -> dict:
    """The number beside "Modération" in the header: ideas to validate and reported items."""
    if (
        current_user
        and current_user.is_authenticated
        and rules.can_open_moderation(current_actor())
    ):
        return {"moderation_waiting": services.waiting_count(current_actor())}
    return {"moderation_waiting": 0}


@bp.app_template_global()
def reason_label(reason: ReportReason) -> str:
    """A report's reason in the reader's language."""
    return services.reason_label(reason)
