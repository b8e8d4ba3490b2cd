"""Forms for editions and houses (admins and facilitators)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ideation.core.forms import REQUIRED, LineField, no_invisible_characters
from ideation.core.numbers import coerce_int
from ideation.domain.fabrique import PICTOGRAMS, valid_colour

MARKDOWN_HINT = _l("Mise en forme simple : **gras**, *italique*, listes avec « - », liens.")


def colour_code(form, field):  # type: ignore[no-untyped-def]
    if not valid_colour(field.data):
        raise ValidationError(
            _l("Écrivez une couleur comme #1f6f5c (un dièse et six chiffres ou lettres de a à f).")
        )


class EditionForm(FlaskForm):
    name = LineField(
        _l("Nom de l'édition"),
        validators=[DataRequired(REQUIRED), Length(max=80), no_invisible_characters],
        description=_l("Par exemple « Fabrique 2026 »."),
    )
    starts_on = DateField(_l("Premier jour"), validators=[Optional()], format="%Y-%m-%d")
    ends_on = DateField(_l("Dernier jour"), validators=[Optional()], format="%Y-%m-%d")
    place = LineField(_l("Lieu"), validators=[Optional(), Length(max=160)])
    description = TextAreaField(
        _l("Présentation"), validators=[Optional(), Length(max=20000)], description=MARKDOWN_HINT
    )
    programme = TextAreaField(
        _l("Programme"), validators=[Optional(), Length(max=20000)], description=MARKDOWN_HINT
    )

    def validate_ends_on(self, field):  # type: ignore[no-untyped-def]
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Le dernier jour vient après le premier."))


class HouseForm(FlaskForm):
    edition_id = SelectField(_l("Édition"), coerce=coerce_int, validate_choice=False)
    name = LineField(
        _l("Nom de la maison"),
        validators=[DataRequired(REQUIRED), Length(max=120), no_invisible_characters],
    )
    description = TextAreaField(
        _l("Présentation"), validators=[Optional(), Length(max=20000)], description=MARKDOWN_HINT
    )
    colour = LineField(
        _l("Couleur (facultatif)"),
        validators=[Optional(), Length(max=7), colour_code],
        description=_l("Un code comme #1f6f5c."),
    )
    pictogram = SelectField(
        _l("Pictogramme (facultatif)"),
        choices=[("", _l("— Aucun —"))]
        + [(key, f"{sign} {key}") for key, sign in PICTOGRAMS.items()],
    )
    position = IntegerField(
        _l("Ordre d'affichage"),
        default=0,
        validators=[Optional(), NumberRange(0, 99, _l("Entre 0 et 99."))],
    )
    facilitator_ids = SelectMultipleField(
        _l("Animateurs et animatrices de la maison"), coerce=coerce_int, validate_choice=False
    )
    partner_ids = SelectMultipleField(_l("Partenaires"), coerce=coerce_int, validate_choice=False)
