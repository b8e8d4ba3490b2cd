"""Notification preference form: one choice per kind."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField

from ideation.notifications.models import Delivery, NotificationKind
from ideation.notifications.services import DELIVERY_LABELS, KIND_LABELS


def preferences_form(current: dict[NotificationKind, Delivery]) -> FlaskForm:
    """A form class built from the kinds, so a new kind needs no form change."""

    class PreferencesForm(FlaskForm):
        pass

    choices = [(d.value, label) for d, label in DELIVERY_LABELS.items()]
    for kind, label in KIND_LABELS.items():
        setattr(
            PreferencesForm,
            f"kind_{kind.value}",
            SelectField(label, choices=choices, default=current.get(kind, Delivery.DIGEST).value),
        )
    # Unchecked unless the person asked for it (opt-in, RGPD): the view fills it.
    PreferencesForm.newsletter = BooleanField(  # type: ignore[attr-defined]
        _l("Je veux recevoir la lettre d'information de la Fabrique (quelques fois par an)")
    )
    return PreferencesForm()
