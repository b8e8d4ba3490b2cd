"""Idea forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ideation.core.forms import REQUIRED, TOO_LONG, LineField, no_invisible_characters
from ideation.core.numbers import coerce_int
from ideation.ideas.models import SUMMARY_MAX, TITLE_MAX
from ideation.photos.forms import PhotoFields


class IdeaForm(PhotoFields, FlaskForm):
    title = LineField(
        _l("Titre de votre idée"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=TITLE_MAX, message=TOO_LONG),
            no_invisible_characters,
        ],
        description=_l(
            "Court et clair, par exemple « Un goûter d'accueil pour les nouveaux voisins »."
        ),
    )
    summary = TextAreaField(
        _l("Votre idée en deux phrases"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=SUMMARY_MAX, message=TOO_LONG),
        ],
        description=_l("300 caractères au plus. C'est ce que les autres liront d'abord."),
    )
    body = TextAreaField(
        _l("Détails (facultatif)"),
        validators=[Optional(), Length(max=10000, message=TOO_LONG)],
        description=_l("Comment ça marcherait ? Qui pourrait aider ?"),
        # Two small buttons (bold, list) are added by static/js/site.js; the plain
        # textarea stays the base, without any Markdown words shown.
        render_kw={"data-editor": "simple"},
    )
    theme_id = SelectField(_l("Thème"), coerce=coerce_int, validate_choice=False)
    residence_id = SelectField(_l("Résidence concernée"), coerce=coerce_int, validate_choice=False)
    save_draft = SubmitField(_l("Enregistrer le brouillon"))
    proceed = SubmitField(_l("Continuer"))


class SupportForm(FlaskForm):
    """Support on or off: an explicit action, so a double click never flips it back."""

    action = HiddenField(validators=[AnyOf(["add", "remove"])])
    next = HiddenField()
