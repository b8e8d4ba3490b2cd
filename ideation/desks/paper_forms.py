"""Forms of the paper ballots: print sheets, open a sheet by its code, enter it, close
the count. The boxes of a sheet depend on the shortlist: the view reads them
(``case-<idea id>``) and checks them with the domain's rules (ideation/domain/paper.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ideation.core.forms import REQUIRED
from ideation.desks.paper import MAX_SHEETS_PER_BATCH

BOX_PREFIX = "case-"
MAX_HAND_COUNT = 100_000


class PrintSheetsForm(FlaskForm):
    count = IntegerField(
        _l("Nombre de bulletins à imprimer"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=1, max=MAX_SHEETS_PER_BATCH, message=_l("Entre 1 et 200 bulletins.")),
        ],
        description=_l(
            "Une page A4 par bulletin. Chaque bulletin a son propre code et son ordre des idées."
        ),
    )


class FindSheetForm(FlaskForm):
    """A GET form that only finds a sheet (nothing changes): built with csrf off."""

    code = StringField(
        _l("Code du bulletin"),
        validators=[DataRequired(REQUIRED), Length(max=12)],
        description=_l(
            "Il est imprimé en haut du bulletin, par exemple 3K7Q. Ou scannez le QR code."
        ),
    )


class SheetEntryForm(FlaskForm):
    """What the sheet is: read (ranked, or blank when no box is filled) or spoilt (nul)."""

    kind = RadioField(
        _l("Ce bulletin est"),
        choices=[
            ("read", _l("lisible : je recopie les chiffres des cases")),
            ("spoilt", _l("nul : il porte un signe, un nom, ou il est illisible")),
        ],
        default="read",
        validators=[InputRequired(REQUIRED)],
    )


class FreezeRecordForm(FlaskForm):
    sheets_received = IntegerField(
        _l("Bulletins trouvés dans l'urne (comptés à la main)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=MAX_HAND_COUNT, message=_l("Un nombre de 0 à 100 000.")),
        ],
    )
    set_aside = BooleanField(
        _l("Mettre de côté les bulletins non saisis (le procès-verbal le dira)")
    )


def read_box_fields(data: Mapping[str, str], candidate_ids: Sequence[int]) -> dict[int, str]:
    """The boxes typed, by idea id (only the sheet's ideas; anything else is ignored)."""
    return {idea_id: (data.get(f"{BOX_PREFIX}{idea_id}") or "")[:20] for idea_id in candidate_ids}
