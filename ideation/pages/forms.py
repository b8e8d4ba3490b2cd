"""The form an administrator rewrites a site page with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ideation.core.forms import REQUIRED, TOO_LONG, no_invisible_characters
from ideation.core.sanitize import MAX_SOURCE_LENGTH

TITLE_MAX = 120


class SitePageForm(FlaskForm):
    title = StringField(
        _l("Titre"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=TITLE_MAX, message=TOO_LONG),
            no_invisible_characters,
        ],
    )
    body = TextAreaField(
        _l("Texte"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_SOURCE_LENGTH, message=TOO_LONG)],
        description=_l(
            "Mise en forme : « ## » en début de ligne pour un intertitre, « - » pour une liste, "
            "**deux étoiles** autour d'un mot pour le mettre en gras."
        ),
    )
