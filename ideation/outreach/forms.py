"""The message form: kind, scope, subject and text; previewed, then sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ideation.core.forms import REQUIRED, TOO_LONG, LineField, no_invisible_characters
from ideation.core.numbers import coerce_int
from ideation.domain.outreach import BODY_MAX, SUBJECT_MAX, MessageKind, ScopeKind


class MessageForm(FlaskForm):
    kind = RadioField(
        _l("Type de message"),
        choices=[(k.value, k.value) for k in MessageKind],  # labels set by the view
        default=MessageKind.SERVICE.value,
        validators=[DataRequired(REQUIRED)],
    )
    scope_kind = RadioField(
        _l("À qui ?"),
        choices=[(k.value, k.value) for k in ScopeKind],
        default=ScopeKind.ORGANISATION.value,
        validators=[DataRequired(REQUIRED)],
    )
    organisation_id = SelectField(_l("Organisation"), coerce=coerce_int, validate_choice=False)
    residence_ids = SelectMultipleField(_l("Résidences"), coerce=coerce_int, validate_choice=False)
    challenge_id = SelectField(_l("Défi"), coerce=coerce_int, validate_choice=False)
    house_id = SelectField(_l("Maison"), coerce=coerce_int, validate_choice=False)
    subject = LineField(
        _l("Objet"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=SUBJECT_MAX, message=TOO_LONG),
            no_invisible_characters,
        ],
    )
    body = TextAreaField(
        _l("Message"),
        description=_l("Des phrases courtes. %(max)d caractères au plus.", max=BODY_MAX),
        validators=[DataRequired(REQUIRED), Length(max=BODY_MAX, message=TOO_LONG)],
    )
    preview = SubmitField(_l("Voir l'aperçu"))
    send = SubmitField(_l("Envoyer"))
