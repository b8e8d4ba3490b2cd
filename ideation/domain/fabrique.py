"""The Fabrique's own rules: house colours and pictograms, pilot maturity in the library.

Pure Python: plain values in, plain values out.
"""

from __future__ import annotations

import re
from enum import StrEnum

from ideation.domain.challenge_phases import N_
from ideation.domain.pilot_states import PilotStatus

# A colour goes into a style attribute: only "#" and six hexadecimal digits, so nothing
# a manager types can close the attribute or add a declaration.
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

# Pictograms are drawn by the site (static/img/houses/<key>.svg would do; today a
# character): a manager picks a key, never types markup.
PICTOGRAMS: dict[str, str] = {
    "palette": "🎨",
    "cle": "🔑",
    "outils": "🛠",
    "maison": "🏠",
    "feuille": "🌿",
    "poignee": "🤝",
    "livre": "📘",
    "recyclage": "♻",
}


def valid_colour(value: str | None) -> bool:
    """True for an empty colour or "#rrggbb"."""
    return not value or _COLOUR.fullmatch(value) is not None


def normal_colour(value: str | None) -> str | None:
    """The colour as stored (lowercase), None when empty; ValueError when invalid."""
    if not value:
        return None
    if not valid_colour(value):
        raise ValueError(value)
    return value.lower()


class Maturity(StrEnum):
    """Where a pilot stands, as the library of innovations files it."""

    EXPERIMENTING = "experimentation"
    EVALUATED = "evalue"
    GENERALISED = "generalise"
    ADOPTED = "repris"


MATURITY_LABELS = {
    Maturity.EXPERIMENTING: N_("En expérimentation"),
    Maturity.EVALUATED: N_("Évalué"),
    Maturity.GENERALISED: N_("Généralisé"),
    Maturity.ADOPTED: N_("Repris ailleurs"),
}

# The statuses behind each maturity (ADOPTED is about adoptions, not a status).
MATURITY_STATUSES: dict[Maturity, frozenset[PilotStatus]] = {
    Maturity.EXPERIMENTING: frozenset(
        {PilotStatus.PROPOSED, PilotStatus.PLANNED, PilotStatus.RUNNING}
    ),
    Maturity.EVALUATED: frozenset({PilotStatus.EVALUATING}),
    Maturity.GENERALISED: frozenset({PilotStatus.GENERALISED}),
}

# "Ce que nous avons appris" is written once the pilot is being evaluated, or after.
LESSON_STATUSES = frozenset({PilotStatus.EVALUATING, PilotStatus.GENERALISED, PilotStatus.STOPPED})


def maturity(status: PilotStatus, adoptions: int) -> Maturity | None:
    """The library's label: taken up elsewhere first, else by status (None: stopped)."""
    if adoptions > 0:
        return Maturity.ADOPTED
    for kind, statuses in MATURITY_STATUSES.items():
        if status in statuses:
            return kind
    return None


def participation_rate(participants: int, dwellings: int | None) -> float | None:
    """Participants per dwelling, in percent (one decimal); None when dwellings unknown."""
    if not dwellings:
        return None
    return round(participants * 100 / dwellings, 1)
