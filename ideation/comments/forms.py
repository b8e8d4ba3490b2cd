"""Comment forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ideation.comments.models import BODY_MAX
from ideation.core.forms import TOO_LONG


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Votre commentaire"),
        validators=[
            DataRequired(_l("Écrivez votre commentaire avant de l'envoyer.")),
            Length(max=BODY_MAX, message=TOO_LONG),
        ],
        description=_l("Restez courtois."),
        render_kw={"data-editor": "simple"},
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Votre réponse"),
        validators=[
            DataRequired(_l("Écrivez votre réponse avant de l'envoyer.")),
            Length(max=BODY_MAX, message=TOO_LONG),
        ],
    )
