"""Report and moderation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ideation.core.forms import TOO_LONG
from ideation.core.numbers import coerce_int
from ideation.moderation.models import DETAILS_MAX, REASON_MAX, ReportReason
from ideation.moderation.services import REASON_LABELS


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Pourquoi signalez-vous ce contenu ?"),
        choices=[(r.value, REASON_LABELS[r]) for r in ReportReason],
        validators=[DataRequired(_l("Choisissez une raison."))],
    )
    details = TextAreaField(
        _l("Précisions (facultatif)"),
        validators=[Optional(), Length(max=DETAILS_MAX, message=TOO_LONG)],
        description=_l("Ce que l'équipe d'animation doit savoir. Seule elle lira ce texte."),
    )


def _reason_field(label, description=None):  # type: ignore[no-untyped-def]
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Indiquez la raison : elle sera montrée à l'auteur·rice.")),
            Length(max=REASON_MAX, message=TOO_LONG),
        ],
        description=description,
    )


class RejectForm(FlaskForm):
    reason = _reason_field(
        _l("Raison du refus"),
        _l("Elle sera montrée à l'auteur·rice. Soyez clair·e et bienveillant·e."),
    )


class HideForm(FlaskForm):
    reason = _reason_field(_l("Raison du masquage"), _l("Elle sera montrée à l'auteur·rice."))


class RestoreForm(FlaskForm):
    reason = TextAreaField(
        _l("Pourquoi rétablir ?"),
        validators=[
            DataRequired(_l("Indiquez pourquoi vous rétablissez ce contenu.")),
            Length(max=REASON_MAX, message=TOO_LONG),
        ],
        description=_l("Pour le journal de modération."),
    )


class DismissForm(FlaskForm):
    reason = TextAreaField(
        _l("Note pour le journal (facultatif)"),
        validators=[Optional(), Length(max=REASON_MAX, message=TOO_LONG)],
    )


class MergeForm(FlaskForm):
    target = SelectField(_l("Regrouper avec l'idée"), coerce=coerce_int, validate_choice=False)
    reason = _reason_field(
        _l("Raison du regroupement"),
        _l("Elle sera montrée à l'auteur·rice, par exemple « Cette idée propose la même chose »."),
    )


class ShortlistForm(FlaskForm):
    answer = TextAreaField(
        _l("Réponse de l'équipe (facultatif)"),
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
        description=_l("Elle sera publique, sur la page de l'idée."),
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Réponse de l'équipe"),
        validators=[
            DataRequired(_l("Écrivez la réponse avant de l'envoyer.")),
            Length(max=5000, message=TOO_LONG),
        ],
        description=_l(
            "Elle sera publique, sur la page de l'idée. Mise en forme simple : **gras**, listes."
        ),
    )
