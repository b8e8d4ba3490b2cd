"""Forms of assisted participation: the account a host opens, the claim, the entries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ideation.auth.forms import new_password_field, password_confirm_field
from ideation.core.forms import REQUIRED, TOO_LONG, LineField, no_invisible_characters, valid_email
from ideation.core.numbers import coerce_int
from ideation.ideas.models import SUMMARY_MAX, TITLE_MAX

CONSENT_REQUIRED = _l("Lisez la phrase à la personne et cochez la case si elle est d'accord.")


class AssistedAccountForm(FlaskForm):
    display_name = LineField(
        _l("Nom, comme la personne veut le voir affiché"),
        validators=[DataRequired(REQUIRED), Length(min=2, max=80), no_invisible_characters],
        description=_l("Par exemple « Fatima B. »."),
    )
    residence_id = SelectField(_l("Résidence"), coerce=coerce_int, validate_choice=False)
    phone = LineField(
        _l("Téléphone (facultatif)"),
        validators=[
            Optional(),
            Length(max=30),
            Regexp(
                r"^[0-9 +.()-]*$", message=_l("Des chiffres seulement, par exemple 06 12 34 56 78.")
            ),
        ],
    )
    consent = BooleanField(
        _l("La personne est d'accord"), validators=[DataRequired(CONSENT_REQUIRED)]
    )


class ClaimForm(FlaskForm):
    code = LineField(
        _l("Code de votre carte"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("Les 10 lettres et chiffres imprimés sur votre carte de participation."),
    )
    email = EmailField(
        _l("Votre adresse e-mail"),
        validators=[DataRequired(REQUIRED), valid_email, Length(max=254)],
    )
    password = new_password_field(_l("Choisissez un mot de passe"))
    password_confirm = password_confirm_field()


class OnBehalfIdeaForm(FlaskForm):
    challenge_id = SelectField(_l("Défi"), coerce=coerce_int, validate_choice=False)
    # 0: the workshop as a whole.
    person_id = SelectField(_l("Pour qui ?"), coerce=coerce_int, validate_choice=False)
    title = LineField(
        _l("Titre de l'idée"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=TITLE_MAX, message=TOO_LONG),
            no_invisible_characters,
        ],
    )
    summary = TextAreaField(
        _l("L'idée en deux phrases"),
        validators=[DataRequired(REQUIRED), Length(max=SUMMARY_MAX, message=TOO_LONG)],
    )
    body = TextAreaField(
        _l("Détails (facultatif)"), validators=[Optional(), Length(max=10000, message=TOO_LONG)]
    )
    consent = BooleanField(
        _l("La personne est présente et d'accord (ou : c'est l'idée de tout l'atelier)"),
        validators=[DataRequired(CONSENT_REQUIRED)],
    )


class OnBehalfSupportForm(FlaskForm):
    idea_id = SelectField(_l("Idée"), coerce=coerce_int, validate_choice=False)
    person_id = SelectField(_l("Qui la soutient ?"), coerce=coerce_int, validate_choice=False)
    consent = BooleanField(
        _l("La personne est présente et d'accord"), validators=[DataRequired(CONSENT_REQUIRED)]
    )


class OnBehalfCommentForm(FlaskForm):
    idea_id = SelectField(_l("Idée"), coerce=coerce_int, validate_choice=False)
    person_id = SelectField(_l("Qui parle ?"), coerce=coerce_int, validate_choice=False)
    body = TextAreaField(
        _l("Son commentaire"),
        validators=[DataRequired(REQUIRED), Length(max=5000, message=TOO_LONG)],
    )
    consent = BooleanField(
        _l("La personne est présente et d'accord"), validators=[DataRequired(CONSENT_REQUIRED)]
    )
