"""Shared form pieces: NFC-normalising fields and French messages."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from ideation.domain.text import clean_line, has_invisible_characters, normalise_text

# The messages every form shares, written once.
REQUIRED = _l("Ce champ est obligatoire.")
TOO_LONG = _l("%(max)d caractères au plus.")
DATE_ERROR = _l("Écrivez une date, par exemple 31/05/2026.")
NUMBER_ERROR = _l("Écrivez un nombre, par exemple 1250,50.")


@dataclass(frozen=True)
class FilterChoice:
    """One value a list's filter offers (a house, a residence, a landlord, an edition):
    what the filter form's template reads of it."""

    id: int
    label: str

    @property
    def name(self) -> str:
        return self.label


class LineField(StringField):
    """A one-line text field, normalised (NFC, trimmed, no control characters)."""

    def process_formdata(self, valuelist):  # type: ignore[no-untyped-def]
        super().process_formdata(valuelist)
        if self.data is not None:
            self.raw_text = normalise_text(self.data)
            self.data = clean_line(self.data)


def label_stem(label: str) -> str:
    """A field's label without its closing punctuation, to be followed by " : message".

    "Votre résidence ?" + " : " would print "Votre résidence ? : Choisissez…".
    """
    return label.rstrip().rstrip("?!:.\u00a0\u202f ").rstrip()


def no_invisible_characters(form, field):  # type: ignore[no-untyped-def]
    if has_invisible_characters(getattr(field, "raw_text", field.data or "")):
        raise ValidationError(_l("Ce champ contient des caractères invisibles non autorisés."))


def valid_email(form, field):  # type: ignore[no-untyped-def]
    """A syntactically valid address (no DNS lookup; .test addresses allowed for demos)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(field.data or "", check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        raise ValidationError(_l("Cette adresse e-mail n'est pas valide.")) from None


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for buttons that post."""
