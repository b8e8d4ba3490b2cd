"""Administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ideation.core.forms import REQUIRED, LineField
from ideation.core.numbers import coerce_int
from ideation.domain.roles import OrganisationKind, Role

ROLE_LABELS = {
    Role.TENANT: _l("Locataire"),
    Role.STAFF: _l("Salarié·e"),
    Role.FACILITATOR: _l("Animateur·rice"),
    Role.BAILLEUR: _l("Responsable bailleur"),
    Role.ADMIN: _l("Administrateur·rice"),
}
KIND_LABELS = {
    OrganisationKind.REGIONAL: _l("Association régionale"),
    OrganisationKind.LANDLORD: _l("Bailleur"),
    OrganisationKind.PARTNER: _l("Partenaire"),
}


class OrganisationForm(FlaskForm):
    name = LineField(_l("Nom"), validators=[DataRequired(REQUIRED), Length(max=160)])
    slug = LineField(
        _l("Identifiant court"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=80),
            Regexp(
                r"^[a-z0-9-]+$", message=_l("Lettres minuscules, chiffres et tirets seulement.")
            ),
        ],
    )
    kind = SelectField(_l("Type"), choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    partner_label = LineField(
        _l("Pour un partenaire : sa nature (facultatif)"),
        description=_l("Par exemple : association, amicale de locataires, collectivité."),
        validators=[Optional(), Length(max=60)],
    )


class ResidenceForm(FlaskForm):
    # Checked by the view, which says why: residences belong to landlords only.
    organisation_id = SelectField(_l("Bailleur"), coerce=coerce_int, validate_choice=False)
    name = LineField(
        _l("Nom de la résidence"), validators=[DataRequired(REQUIRED), Length(max=160)]
    )
    city = LineField(_l("Ville"), validators=[DataRequired(REQUIRED), Length(max=120)])
    quartier = LineField(_l("Quartier"), validators=[Optional(), Length(max=120)])
    dwellings = IntegerField(
        _l("Nombre de logements (facultatif)"),
        validators=[Optional(), NumberRange(0, 100000, _l("Entre 0 et 100 000."))],
        description=_l("Sert à calculer le taux de participation de la résidence."),
    )


class UserAdminForm(FlaskForm):
    role = SelectField(_l("Rôle"), choices=[(k.value, v) for k, v in ROLE_LABELS.items()])
    organisation_id = SelectField(_l("Organisation"), coerce=coerce_int)
    active = BooleanField(_l("Compte actif"))


class InvitationForm(FlaskForm):
    # Admins only (the view removes the field for others): a readable code for a poster.
    code = LineField(
        _l("Code choisi (facultatif)"),
        validators=[Optional(), Length(max=32)],
        description=_l(
            "Un mot facile à lire, par exemple COMPAGNONS26 : 6 à 20 lettres sans accent "
            "ou chiffres de 2 à 9. Laissez vide pour un code tiré au hasard."
        ),
    )
    organisation_id = SelectField(_l("Organisation"), coerce=coerce_int)
    residence_id = SelectField(
        _l("Résidence (facultatif)"), coerce=coerce_int, validate_choice=False
    )
    role = SelectField(_l("Rôle donné"))
    max_uses = IntegerField(
        _l("Nombre d'utilisations"),
        default=50,
        validators=[InputRequired(REQUIRED), NumberRange(1, 10000, _l("Entre 1 et 10 000."))],
    )
    days_valid = IntegerField(
        _l("Valable pendant (jours)"),
        default=90,
        validators=[InputRequired(REQUIRED), NumberRange(1, 730, _l("Entre 1 et 730 jours."))],
    )
