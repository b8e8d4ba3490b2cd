"""Account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ideation.core.forms import REQUIRED, LineField, no_invisible_characters, valid_email
from ideation.core.numbers import coerce_int


def new_password_field(label: object) -> PasswordField:
    """A new password field, with the rule in words under it."""
    return PasswordField(
        label,
        validators=[DataRequired(REQUIRED)],
        description=_l(
            "12 caractères au moins. Une petite phrase facile à retenir convient très bien."
        ),
    )


def password_confirm_field() -> PasswordField:
    """The same password typed again; must follow a `password` field."""
    return PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(REQUIRED), Length(max=256)]
    )
    remember = BooleanField(_l("Rester connecté·e sur cet appareil"))


class RegisterForm(FlaskForm):
    code = LineField(
        _l("Code d'invitation"),
        validators=[Optional(), Length(max=32)],
        description=_l("Il figure sur l'affiche ou le courrier de votre bailleur."),
    )
    organisation = SelectField(
        _l("Votre bailleur"), coerce=coerce_int, validate_choice=False, validators=[Optional()]
    )
    display_name = LineField(
        _l("Nom affiché"),
        validators=[DataRequired(REQUIRED), Length(min=2, max=80), no_invisible_characters],
        description=_l("Par exemple « Fatima B. » : c'est ce que les autres verront."),
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(REQUIRED), valid_email, Length(max=254)],
    )
    password = new_password_field(_l("Mot de passe"))
    password_confirm = password_confirm_field()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("Nouveau mot de passe"))
    password_confirm = password_confirm_field()


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(REQUIRED)])


class ProfileForm(FlaskForm):
    display_name = LineField(
        _l("Nom affiché"),
        validators=[DataRequired(REQUIRED), Length(min=2, max=80), no_invisible_characters],
    )
    residence = SelectField(_l("Ma résidence"), coerce=coerce_int, validate_choice=False)
    locale = SelectField(_l("Langue"), choices=[("fr", "Français"), ("en", "English")])


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres"),
        validators=[DataRequired(REQUIRED), Length(max=12)],
        description=_l("Ouvrez votre application d'authentification et tapez le code affiché."),
    )


class DisableSecondFactorForm(SecondFactorForm):
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(REQUIRED)])
