"""Challenge forms (facilitators)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideation.core.forms import DATE_ERROR, REQUIRED, LineField, no_invisible_characters
from ideation.core.numbers import coerce_int
from ideation.domain.voting import registry

# The registry's French labels (marked N_ there) are the msgids.
VOTE_METHODS = [(m.name, _l(m.choice_label)) for m in registry.storable()]


class ChallengeForm(FlaskForm):
    title = LineField(
        _l("Titre du défi"),
        validators=[DataRequired(REQUIRED), Length(max=160), no_invisible_characters],
        description=_l(
            "Une question simple, par exemple « Comment mieux accueillir les nouveaux locataires ? »"
        ),
    )
    summary = TextAreaField(
        _l("Résumé en une ou deux phrases"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Mise en forme simple : **gras**, *italique*, listes avec « - », liens."),
    )
    theme_id = SelectField(_l("Maison"), coerce=coerce_int, validate_choice=False)
    organisation_id = SelectField(_l("Pour qui ?"), coerce=coerce_int, validate_choice=False)
    residence_ids = SelectMultipleField(
        _l("Seulement certaines résidences (facultatif)"),
        coerce=coerce_int,
        validate_choice=False,
        description=_l("Laissez vide pour toutes les résidences du bailleur."),
    )
    edition_id = SelectField(_l("Édition (facultatif)"), coerce=coerce_int, validate_choice=False)
    premoderation = BooleanField(_l("Vérifier chaque idée avant de la publier"), default=True)
    ideation_starts_on = DateField(
        _l("Début des idées"), validators=[Optional()], format="%Y-%m-%d"
    )
    ideation_ends_on = DateField(
        _l("Dernier jour pour proposer"), validators=[Optional()], format="%Y-%m-%d"
    )
    review_ends_on = DateField(
        _l("Fin de l'étude des idées"), validators=[Optional()], format="%Y-%m-%d"
    )
    voting_starts_on = DateField(
        _l("Premier jour du vote"), validators=[Optional()], format="%Y-%m-%d"
    )
    voting_ends_on = DateField(
        _l("Dernier jour du vote"), validators=[Optional()], format="%Y-%m-%d"
    )
    vote_method = SelectField(_l("Façon de compter les votes"), choices=VOTE_METHODS)
    vote_max_ranks = IntegerField(
        _l("Nombre maximum d'idées classées (facultatif)"),
        validators=[Optional(), NumberRange(1, 50, _l("Entre 1 et 50."))],
    )
    vote_verified_only = BooleanField(
        _l("Vote réservé aux foyers vérifiés"),
        description=_l(
            "Seuls les comptes rattachés à un logement (courrier du bailleur) ou vérifiés "
            "en personne pourront voter."
        ),
    )
    vote_winners = IntegerField(
        _l("Nombre d'idées lauréates"),
        default=3,
        validators=[InputRequired(REQUIRED), NumberRange(1, 20, _l("Entre 1 et 20."))],
    )

    def validate(self, extra_validators=None):  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        for name in (
            "ideation_starts_on",
            "ideation_ends_on",
            "review_ends_on",
            "voting_starts_on",
            "voting_ends_on",
        ):
            field = getattr(self, name)
            if field.errors:
                field.errors[:] = [DATE_ERROR]
        return ok


class PhaseForm(FlaskForm):
    """The facilitator's button that moves a challenge to its next phase."""

    target = HiddenField(validators=[DataRequired()])
