"""The dwelling letters' form (verified households, issue 13)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ideation.core.forms import REQUIRED
from ideation.core.numbers import coerce_int

MAX_DWELLINGS = 500  # one batch, one PDF: a large residence fits
REFERENCE_MAX = 60


class DwellingCodesForm(FlaskForm):
    residence_id = SelectField(_l("Résidence"), coerce=coerce_int)
    references = TextAreaField(
        _l("Logements"),
        validators=[DataRequired(REQUIRED), Length(max=40000)],
        description=_l(
            "Une référence de logement par ligne, par exemple « Bât. A – 12 ». Elle n'est "
            "pas imprimée : chaque courrier porte un numéro, repris dans la liste à l'écran."
        ),
    )

    def reference_list(self) -> list[str]:
        """The references typed, one per line, without blanks or repeats, in order."""
        seen: dict[str, None] = {}
        for line in (self.references.data or "").splitlines():
            line = " ".join(line.split())
            if line:
                seen.setdefault(line, None)
        return list(seen)
