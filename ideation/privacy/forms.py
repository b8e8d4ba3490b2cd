"""Privacy forms: erasing one's own account, and an administrator erasing one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length

from ideation.core.forms import REQUIRED

REASON_MAX = 500


class EraseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Mon mot de passe actuel"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        description=_l("Pour être sûr que c'est bien vous."),
    )
    confirm = BooleanField(
        _l("Je comprends que mon compte sera supprimé pour de bon."),
        validators=[DataRequired(_l("Cochez la case pour confirmer."))],
    )


class AdminEraseForm(FlaskForm):
    reason = TextAreaField(
        _l("Motif de la suppression"),
        validators=[DataRequired(REQUIRED), Length(max=REASON_MAX)],
        description=_l(
            "Par exemple : demande écrite reçue le 3 mars. N'écrivez ni nom ni adresse."
        ),
    )
    confirm = BooleanField(
        _l("Je confirme la suppression de ce compte."),
        validators=[DataRequired(_l("Cochez la case pour confirmer."))],
    )
