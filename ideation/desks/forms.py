"""Forms of a voting desk: open it, find a participant, close its urn. The ranking itself
is read as the online ballot's (`rang-<idea id>` selects: ideation/voting/forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideation.core.forms import REQUIRED
from ideation.core.numbers import coerce_int
from ideation.desks.paper_forms import MAX_HAND_COUNT


class OpenDeskForm(FlaskForm):
    name = StringField(
        _l("Nom du bureau"),
        validators=[DataRequired(REQUIRED), Length(max=160)],
        description=_l("Par exemple « Loge des Tilleuls » ou « Atelier du 12 mars »."),
    )
    place = StringField(
        _l("Lieu (facultatif)"),
        validators=[Optional(), Length(max=300)],
        description=_l("L'adresse ou la salle, telle que les votant·es la connaissent."),
    )
    workshop_id = SelectField(
        _l("Atelier où se tient le bureau (facultatif)"), coerce=coerce_int, validate_choice=False
    )
    assessor_ids = SelectMultipleField(_l("Assesseur·es"), coerce=coerce_int, validate_choice=False)

    def validate(self, extra_validators=None):  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        allowed = {value for value, _label in self.assessor_ids.choices or []}  # type: ignore[misc]
        chosen = set(self.assessor_ids.data or [])
        if not chosen:
            self.assessor_ids.errors = [_l("Choisissez au moins un·e assesseur·e.")]
            ok = False
        elif not chosen <= allowed:
            self.assessor_ids.errors = [_l("Choisissez les assesseur·es dans la liste.")]
            ok = False
        workshops = {value for value, _label in self.workshop_id.choices or []}  # type: ignore[misc]
        self.workshop_id.data = self.workshop_id.data or 0  # not shown when there is none
        if self.workshop_id.data not in workshops:
            self.workshop_id.errors = [_l("Choisissez un atelier de la liste.")]
            ok = False
        return ok


class FindParticipantForm(FlaskForm):
    """A GET form that only finds people (nothing changes): built with csrf off."""

    name = StringField(
        _l("Nom"),
        validators=[Optional(), Length(max=80)],
        description=_l("Le prénom, le nom, ou une partie."),
    )
    residence_id = SelectField(_l("Résidence"), coerce=coerce_int, validate_choice=False)
    code = StringField(
        _l("Ou le code de sa carte de participation"),
        validators=[Optional(), Length(max=40)],
    )

    def validate(self, extra_validators=None):  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        if ok and not (self.name.data or "").strip() and not self.residence_id.data:
            if not (self.code.data or "").strip():
                self.name.errors = [_l("Tapez un nom, choisissez une résidence ou tapez un code.")]
                ok = False
        return ok


class CloseUrnForm(FlaskForm):
    sheets_received = IntegerField(
        _l("Bulletins papier trouvés dans l'urne (comptés à la main)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=MAX_HAND_COUNT, message=_l("Un nombre de 0 à 100 000.")),
        ],
        description=_l("0 si personne n'a voté sur papier à ce bureau."),
    )
