"""Pilot forms: promotion and edition, indicators, updates (points d'étape), follow."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import TextInput

from ideation.core.forms import (
    DATE_ERROR,
    NUMBER_ERROR,
    REQUIRED,
    LineField,
    no_invisible_characters,
)
from ideation.core.numbers import coerce_int
from ideation.domain.permissions import OFFER_MAX
from ideation.photos.forms import PhotoFields
from ideation.pilots.models import TITLE_MAX

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def amount_required(form, field):  # type: ignore[no-untyped-def]
    """An amount must be typed: spaces only leave no number (InputRequired would let them
    through, and 0 is a valid amount, so DataRequired cannot be used either)."""
    if field.data is None and not field.errors:
        raise StopValidation(REQUIRED)


class FrenchDecimalField(Field):
    """A number typed the French way (« 1 250,50 », « 1250.5 € »), kept as an exact Decimal.

    The typed text is shown back as it was when it is wrong, never a 500."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, places: int = 2, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.raw = ""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:.{self.places}f}".replace(".", ",")

    def process_formdata(self, valuelist):  # type: ignore[no-untyped-def]
        if not valuelist:
            return
        text = _SPACES.sub("", valuelist[0] or "").replace("€", "").replace(",", ".")
        if not text:
            self.data = None
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(NUMBER_ERROR) from None
        if not value.is_finite():
            self.data = None
            raise ValueError(NUMBER_ERROR)
        self.data = value


def _dates_in_french(form: FlaskForm, names: tuple[str, ...]) -> None:
    for name in names:
        field = getattr(form, name)
        if field.errors:
            field.errors[:] = [DATE_ERROR]


class PilotForm(FlaskForm):
    title = LineField(
        _l("Titre du projet pilote"),
        validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX), no_invisible_characters],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "Ce qui va changer, pour qui, comment. Mise en forme simple : **gras**, listes avec « - »."
        ),
    )
    organisation_id = SelectField(
        _l("Bailleur qui mène le projet"), coerce=coerce_int, validate_choice=False
    )
    residence_ids = SelectMultipleField(
        _l("Résidences concernées"),
        coerce=coerce_int,
        validate_choice=False,
        description=_l("Laissez vide si le projet concerne tout le bailleur."),
    )
    owner_id = SelectField(_l("Responsable du projet"), coerce=coerce_int, validate_choice=False)
    partner_ids = SelectMultipleField(
        _l("Partenaires qui mènent le projet avec le bailleur"),
        coerce=coerce_int,
        validate_choice=False,
        description=_l("Associations, Compagnons Bâtisseurs, amicales… (facultatif)."),
    )
    planned_start = DateField(_l("Début prévu"), validators=[Optional()], format="%Y-%m-%d")
    planned_end = DateField(_l("Fin prévue"), validators=[Optional()], format="%Y-%m-%d")
    budget_planned = FrenchDecimalField(
        _l("Budget prévu (en euros)"),
        validators=[amount_required],
        description=_l("Au centime près, par exemple 1250,50."),
    )
    budget_spent = FrenchDecimalField(_l("Budget dépensé (en euros)"), validators=[amount_required])
    grouped_ids = SelectMultipleField(
        _l("Autres idées lauréates réalisées par ce même projet (facultatif)"),
        coerce=coerce_int,
        validate_choice=False,
    )

    def validate(self, extra_validators=None):  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        _dates_in_french(self, ("planned_start", "planned_end"))
        return ok


class IndicatorForm(FlaskForm):
    name = LineField(
        _l("Nom de l'indicateur"),
        validators=[DataRequired(REQUIRED), Length(max=120), no_invisible_characters],
        description=_l("Par exemple « Taux de participation » ou « Pannes signalées »."),
    )
    unit = LineField(
        _l("Unité (facultatif)"),
        validators=[Optional(), Length(max=30)],
        description=_l("Par exemple « % », « personnes », « € »."),
    )
    baseline = FrenchDecimalField(_l("Valeur de départ (facultatif)"), validators=[Optional()])
    target = FrenchDecimalField(_l("Objectif (facultatif)"), validators=[Optional()])


class UpdateForm(PhotoFields, FlaskForm):
    happened_on = DateField(_l("Date"), validators=[InputRequired(REQUIRED)], format="%Y-%m-%d")
    body = TextAreaField(
        _l("Ce qui s'est passé"),
        validators=[DataRequired(REQUIRED), Length(max=10000)],
        description=_l("Quelques phrases simples pour les habitants qui suivent le projet."),
    )
    new_status = SelectField(_l("Nouveau statut (facultatif)"), validate_choice=False)
    reason = TextAreaField(
        _l("Raison de l'arrêt"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Obligatoire si le projet s'arrête : elle sera publiée."),
    )
    new_progress = IntegerField(
        _l("Avancement en % (facultatif)"),
        validators=[Optional(), NumberRange(0, 100, _l("Entre 0 et 100."))],
    )

    def validate(self, extra_validators=None):  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        _dates_in_french(self, ("happened_on",))
        if self.new_progress.errors:
            self.new_progress.errors[:] = [str(_l("Écrivez un nombre entier entre 0 et 100."))]
        return ok


def update_form_for(indicators) -> UpdateForm:  # type: ignore[no-untyped-def]
    """The update form with one optional value field per indicator of the pilot."""

    class _Form(UpdateForm):
        pass

    for indicator in indicators:
        label = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
        setattr(
            _Form, f"indicator_{indicator.id}", FrenchDecimalField(label, validators=[Optional()])
        )
    return _Form()


class FollowForm(FlaskForm):
    action = HiddenField(validators=[AnyOf(["follow", "unfollow"])])


class VolunteerForm(FlaskForm):
    """« Je veux aider »: a few words on what one can do."""

    what = TextAreaField(
        _l("Ce que je peux faire"),
        description=_l(
            "Quelques mots : « bricoler le samedi », « prêter ma salle », « traduire en arabe »… "
            "%(max)d caractères au plus.",
            max=OFFER_MAX,
        ),
        validators=[
            DataRequired(_l("Dites en quelques mots ce que vous pouvez faire.")),
            Length(
                max=OFFER_MAX,
                message=_l("C'est un peu long : %(max)d caractères au plus.", max=OFFER_MAX),
            ),
        ],
    )


class LessonsForm(FlaskForm):
    """ "Ce que nous avons appris", written at evaluation (Markdown, sanitised at save)."""

    lessons = TextAreaField(
        _l("Ce que nous avons appris"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Ce qui a marché, ce qui n'a pas marché, ce que vous feriez autrement."),
    )
    costs = TextAreaField(
        _l("Ce que cela a coûté"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Budget, temps des équipes, matériel, aides obtenues."),
    )
    conditions = TextAreaField(
        _l("Les conditions de la réussite"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Ce qu'il faut réunir pour que le projet marche ailleurs."),
    )
