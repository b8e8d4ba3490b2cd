"""Comments: write, reply, correct within 15 minutes, delete one's own."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.comments import services
from ideation.comments.forms import CommentForm, ReplyForm
from ideation.comments.models import Comment
from ideation.core import limits
from ideation.core.confirm import confirmation_page, confirmed
from ideation.core.forms import EmptyForm
from ideation.core.security import current_actor, require, require_participation
from ideation.domain import permissions as rules
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.ideas.services import load_idea

bp = Blueprint("comments", __name__)


def _require_comment(idea: Idea) -> None:
    challenge = idea.challenge
    require_participation(
        rules.can_comment,
        challenge.current_phase(),
        idea.status,
        challenge.scope,
        hidden=idea.is_hidden,
    )


def _write(form, idea: Idea, parent: Comment | None, template: str, **context):  # type: ignore[no-untyped-def]
    """Shared by comments and replies: limit, save, notify, commit once, or the form again."""
    if form.validate_on_submit():
        if limits.limit_reached("comments", current_user.id):
            form.form_errors.append(limits.message("comments"))
            return render_template(template, form=form, idea=idea, parent=parent, **context), 429
        comment = services.add_comment(idea, current_user, form.body.data, parent=parent)
        db.session.commit()
        limits.count("comments", current_user.id)
        flash(
            _("Merci, votre réponse est publiée.")
            if parent
            else _("Merci, votre commentaire est publié."),
            "success",
        )
        return redirect(services.comment_link(comment))
    return render_template(template, form=form, idea=idea, parent=parent, **context)


@bp.route("/idees/<int:idea_id>/commentaires", methods=["GET", "POST"])
@login_required
def create(idea_id: int):
    """Comment on a published idea (the form is also on the idea page)."""
    idea = load_idea(idea_id)
    _require_comment(idea)
    return _write(CommentForm(), idea, None, "comments/form.html")


@bp.route("/commentaires/<int:comment_id>/repondre", methods=["GET", "POST"])
@login_required
def reply(comment_id: int):
    """Reply to a comment (one level: a reply to a reply joins the same conversation)."""
    comment, idea = services.load_comment(comment_id)
    _require_comment(idea)
    parent = comment if comment.parent_id is None else services.get_comment(comment.parent_id)
    if parent is None or not parent.is_visible:
        abort(404)
    return _write(ReplyForm(), idea, parent, "comments/form.html")


@bp.route("/commentaires/<int:comment_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    """The author corrects their comment within 15 minutes; it then shows "modifié"."""
    comment, idea = services.load_comment(comment_id)
    require(
        rules.can_edit_comment(
            current_actor(),
            comment.author_id,
            services.age_seconds(comment),
            idea.challenge.current_phase(),
            comment.is_deleted,
            comment.is_hidden,
        )
    )
    form = CommentForm()
    if not form.is_submitted():
        form.body.data = comment.body_source
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data)
        db.session.commit()
        flash(_("Votre commentaire est modifié."), "success")
        return redirect(services.comment_link(comment))
    return render_template("comments/edit.html", form=form, idea=idea, comment=comment)


@bp.route("/commentaires/<int:comment_id>/supprimer", methods=["POST"])
@login_required
def delete(comment_id: int):
    """The author deletes their comment; the replies stay. A page asks first."""
    comment, idea = services.load_comment(comment_id)
    require(rules.can_delete_comment(current_actor(), comment.author_id, comment.is_deleted))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmed():
        return confirmation_page(
            title=_("Supprimer mon commentaire"),
            question=_("Supprimer votre commentaire ? Ce n'est pas réversible."),
            details=[
                _("Votre commentaire : « %(text)s »", text=services.excerpt(comment)),
                _("Son texte est effacé ; les réponses restent."),
            ],
            action=url_for("comments.delete", comment_id=comment.id),
            cancel=services.comment_link(comment),
        )
    services.delete_comment(comment)
    db.session.commit()
    flash(_("Votre commentaire est supprimé."), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="commentaires"))
