"""Forms for workshops: the facilitators' form and the hosts' minutes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ideation.core.forms import DATE_ERROR, REQUIRED, LineField, no_invisible_characters
from ideation.core.numbers import coerce_int
from ideation.domain.workshops import CAPACITY_MAX
from ideation.photos.forms import PhotoFields

MARKDOWN_HINT = _l("Mise en forme simple : **gras**, *italique*, listes avec « - », liens.")
TIME_ERROR = _l("Écrivez une heure, par exemple 18:30.")


class WorkshopForm(FlaskForm):
    title = LineField(
        _l("Titre de l'atelier"),
        validators=[DataRequired(REQUIRED), Length(max=160), no_invisible_characters],
        description=_l("Par exemple « Atelier jardin partagé »."),
    )
    description = TextAreaField(
        _l("Présentation"), validators=[Optional(), Length(max=20000)], description=MARKDOWN_HINT
    )
    day = DateField(
        _l("Jour"),
        validators=[InputRequired(DATE_ERROR)],
        format="%Y-%m-%d",
    )
    starts = TimeField(_l("Heure de début"), validators=[InputRequired(TIME_ERROR)])
    ends = TimeField(_l("Heure de fin"), validators=[InputRequired(TIME_ERROR)])
    residence_id = SelectField(
        _l("Résidence (salle commune)"), coerce=coerce_int, validate_choice=False
    )
    room = LineField(
        _l("Salle"),
        validators=[Optional(), Length(max=160), no_invisible_characters],
        description=_l("Par exemple « Salle commune, rez-de-chaussée »."),
    )
    address = LineField(
        _l("Adresse (si ce n'est pas dans une résidence)"),
        validators=[Optional(), Length(max=300), no_invisible_characters],
    )
    capacity = IntegerField(
        _l("Nombre de places"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, CAPACITY_MAX, _l("Entre 1 et %(max)d.", max=CAPACITY_MAX)),
        ],
    )
    edition_id = SelectField(_l("Édition"), coerce=coerce_int, validate_choice=False)
    house_id = SelectField(_l("Maison"), coerce=coerce_int, validate_choice=False)
    challenge_ids = SelectMultipleField(
        _l("Défis que l'atelier nourrit"), coerce=coerce_int, validate_choice=False
    )
    host_ids = SelectMultipleField(
        _l("Qui anime (animateurs, équipes, partenaires)"), coerce=coerce_int, validate_choice=False
    )

    def validate_ends(self, field):  # type: ignore[no-untyped-def]
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError(_l("L'heure de fin vient après l'heure de début."))

    def validate_residence_id(self, field):  # type: ignore[no-untyped-def]
        # Here rather than on the address, whose Optional() ends its own checks when empty.
        if not field.data and not (self.address.data or "").strip():
            raise ValidationError(_l("Choisissez une résidence ou écrivez une adresse."))


class MinutesForm(PhotoFields, FlaskForm):
    minutes = TextAreaField(
        _l("Compte rendu"),
        validators=[Optional(), Length(max=50000)],
        description=MARKDOWN_HINT,
    )
