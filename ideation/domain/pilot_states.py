"""Pilot statuses: the machine as data, `next_status()` and the overdue rule.

    proposed → planned → running → evaluating → generalised
    any state but generalised/stopped → stopped   (with a reason)

Pure Python. A move not in the graph raises TransitionRefused (the same exception
as the idea machine, so views handle both alike) with a French source message
marked N_ and translated by the caller; the caller changes the model only after
`next_status` returned, so nothing is ever half-applied.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from ideation.domain.challenge_phases import N_
from ideation.domain.idea_states import TransitionRefused

__all__ = [
    "ALLOWED",
    "FINAL",
    "LABELS",
    "ORDER",
    "OVERDUE_STATUSES",
    "PilotStatus",
    "TransitionRefused",
    "check_budget",
    "check_dates",
    "check_progress",
    "is_overdue",
    "next_status",
    "next_choices",
]


class PilotStatus(StrEnum):
    PROPOSED = "proposed"
    PLANNED = "planned"
    RUNNING = "running"
    EVALUATING = "evaluating"
    GENERALISED = "generalised"
    STOPPED = "stopped"


P = PilotStatus

# The forward path, one step at a time.
ORDER: tuple[PilotStatus, ...] = (P.PROPOSED, P.PLANNED, P.RUNNING, P.EVALUATING, P.GENERALISED)
FINAL = frozenset({P.GENERALISED, P.STOPPED})

ALLOWED: dict[PilotStatus, frozenset[PilotStatus]] = {
    P.PROPOSED: frozenset({P.PLANNED, P.STOPPED}),
    P.PLANNED: frozenset({P.RUNNING, P.STOPPED}),
    P.RUNNING: frozenset({P.EVALUATING, P.STOPPED}),
    P.EVALUATING: frozenset({P.GENERALISED, P.STOPPED}),
    P.GENERALISED: frozenset(),
    P.STOPPED: frozenset(),
}

# A pilot is late when its planned end has passed and it has not yet reached evaluation.
OVERDUE_STATUSES = frozenset({P.PROPOSED, P.PLANNED, P.RUNNING})

LABELS: dict[PilotStatus, str] = {
    P.PROPOSED: N_("Proposé"),
    P.PLANNED: N_("Planifié"),
    P.RUNNING: N_("En cours"),
    P.EVALUATING: N_("En évaluation"),
    P.GENERALISED: N_("Généralisé"),
    P.STOPPED: N_("Arrêté"),
}

_FINAL_MESSAGES: dict[PilotStatus, str] = {
    P.GENERALISED: N_("Ce projet pilote est généralisé : son statut ne change plus."),
    P.STOPPED: N_("Ce projet pilote est arrêté : son statut ne change plus."),
}

PROGRESS_MIN = 0
PROGRESS_MAX = 100
BUDGET_MAX = Decimal("9999999999.99")  # Numeric(12, 2)


def next_status(
    current: PilotStatus, target: PilotStatus, reason: str | None = None
) -> PilotStatus:
    """Return `target` if the graph allows the move, else raise TransitionRefused."""
    current, target = PilotStatus(current), PilotStatus(target)
    if current == target:
        raise TransitionRefused(N_("Le projet pilote a déjà ce statut."))
    if current in FINAL:
        raise TransitionRefused(_FINAL_MESSAGES[current])
    if target not in ALLOWED[current]:
        if target in ORDER and ORDER.index(target) < ORDER.index(current):
            raise TransitionRefused(
                N_("Un projet pilote ne revient pas en arrière : il est déjà « %(current)s »."),
                current=LABELS[current],
            )
        expected = next(iter(ALLOWED[current] - {P.STOPPED}))
        raise TransitionRefused(
            N_(
                "Un projet pilote avance une étape à la fois : après « %(current)s » vient « %(expected)s »."
            ),
            current=LABELS[current],
            expected=LABELS[expected],
        )
    if target == P.STOPPED and not (reason and reason.strip()):
        raise TransitionRefused(
            N_("Indiquez pourquoi le projet pilote s'arrête : la raison sera publiée.")
        )
    return target


def next_choices(current: PilotStatus) -> list[PilotStatus]:
    """The statuses an update may move the pilot to, forward step first."""
    return sorted(ALLOWED[PilotStatus(current)], key=lambda s: (s == P.STOPPED, s))


def check_progress(value: int | None) -> int | None:
    """Progress is a whole percentage between 0 and 100 (None: unchanged)."""
    if value is None:
        return None
    if not PROGRESS_MIN <= value <= PROGRESS_MAX:
        raise TransitionRefused(N_("L'avancement est un pourcentage entre 0 et 100."))
    return value


def check_budget(planned: Decimal, spent: Decimal) -> None:
    """Amounts in euros, cents exact, never negative nor beyond the column's size."""
    for amount in (planned, spent):
        if amount < 0:
            raise TransitionRefused(N_("Un montant ne peut pas être négatif."))
        if amount > BUDGET_MAX:
            raise TransitionRefused(N_("Ce montant est trop grand."))
        if amount != amount.quantize(Decimal("0.01")):
            raise TransitionRefused(N_("Un montant s'écrit au centime près, par exemple 1250,50."))


def check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise TransitionRefused(N_("La fin prévue doit venir après le début prévu."))


def is_overdue(status: PilotStatus, planned_end: date | None, today: date) -> bool:
    """End date passed and the pilot is not yet being evaluated (nor closed)."""
    return (
        planned_end is not None and planned_end < today and PilotStatus(status) in OVERDUE_STATUSES
    )
