"""Challenge phases: the machine as data, manual moves and moves by the calendar.

    draft → ideation → review → voting → results → archived

Pure Python. A facilitator moves a challenge on by hand (one step forward at a time);
the scheduled dates move it on by themselves: `scheduled_phase` is evaluated on every
read (so a phase ends on time even if nobody clicks) and `flask challenges advance`
stores the result for cron. A draft never opens by itself: publishing is a human act.
A vote opens only with more shortlisted ideas than winners (`vote_opening_refusal`):
neither a facilitator nor the calendar opens it otherwise; the calendar then leaves the
challenge in review until the shortlist or the number of winners is put right.
Messages are French source strings marked with N_ for extraction; views translate them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


def N_(message: str) -> str:  # noqa: N802  (gettext marker, translated by the caller)
    return message


class Phase(StrEnum):
    DRAFT = "draft"
    IDEATION = "ideation"
    REVIEW = "review"
    VOTING = "voting"
    RESULTS = "results"
    ARCHIVED = "archived"


ORDER: tuple[Phase, ...] = tuple(Phase)

# Each phase may only move to the next one.
ALLOWED: dict[Phase, frozenset[Phase]] = {
    phase: frozenset({ORDER[i + 1]}) if i + 1 < len(ORDER) else frozenset()
    for i, phase in enumerate(ORDER)
}

LABELS: dict[Phase, str] = {
    Phase.DRAFT: N_("Brouillon"),
    Phase.IDEATION: N_("Idées ouvertes"),
    Phase.REVIEW: N_("Étude des idées"),
    Phase.VOTING: N_("Vote ouvert"),
    Phase.RESULTS: N_("Résultats"),
    Phase.ARCHIVED: N_("Terminé"),
}

# Verb on the facilitator's button that moves a challenge INTO that phase.
MOVE_LABELS: dict[Phase, str] = {
    Phase.IDEATION: N_("Publier et ouvrir aux idées"),
    Phase.REVIEW: N_("Clore les idées et passer à l'étude"),
    Phase.VOTING: N_("Ouvrir le vote"),
    Phase.RESULTS: N_("Clore le vote et publier les résultats"),
    Phase.ARCHIVED: N_("Archiver le défi"),
}

# Lists show the live challenges first.
LIST_RANK: dict[Phase, int] = {
    Phase.IDEATION: 0,
    Phase.VOTING: 1,
    Phase.REVIEW: 2,
    Phase.RESULTS: 3,
    Phase.DRAFT: 4,
    Phase.ARCHIVED: 5,
}


class PhaseError(ValueError):
    """A refused move; `message` is a French source string for the user."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True, slots=True)
class Schedule:
    """The dates that move a challenge on by themselves (all optional, aware UTC)."""

    ideation_ends_at: datetime | None = None
    voting_starts_at: datetime | None = None
    voting_ends_at: datetime | None = None
    review_ends_at: datetime | None = None

    def errors(self) -> list[str]:
        """Dates that contradict each other, as French source strings."""
        found = []
        if (
            self.ideation_ends_at
            and self.voting_starts_at
            and self.voting_starts_at < self.ideation_ends_at
        ):
            found.append(N_("Le vote ne peut pas commencer avant la fin des idées."))
        if (
            self.voting_starts_at
            and self.voting_ends_at
            and self.voting_ends_at <= self.voting_starts_at
        ):
            found.append(N_("La fin du vote doit venir après son début."))
        if (
            self.ideation_ends_at
            and self.review_ends_at
            and self.review_ends_at < self.ideation_ends_at
        ):
            found.append(N_("L'étude des idées ne peut pas finir avant la fin des idées."))
        return found


def vote_opening_refusal(shortlisted: int, winners: int) -> PhaseError | None:
    """Why a vote may not open, or None: it needs more shortlisted ideas than winners.

    With as many ideas as winners (or fewer) every idea "wins" whatever the ballots
    say: the vote would decide nothing.
    """
    if shortlisted > winners:
        return None
    return PhaseError(
        N_(
            "Le vote ne peut pas s'ouvrir : il faut plus d'idées sélectionnées que de "
            "gagnantes, sinon toutes les idées gagnent. Idées sélectionnées : "
            "%(shortlisted)s ; gagnantes prévues : %(winners)s. Sélectionnez d'autres "
            "idées, ou réduisez le nombre de gagnantes dans les réglages du défi."
        ),
        shortlisted=shortlisted,
        winners=winners,
    )


def next_phase(current: Phase) -> Phase | None:
    following = ALLOWED[current]
    return next(iter(following)) if following else None


def opens_vote(current: Phase, reached: Phase) -> bool:
    """Whether going from `current` to `reached` passes the opening of the vote."""
    return ORDER.index(current) < ORDER.index(Phase.VOTING) <= ORDER.index(reached)


def move(current: Phase, target: Phase) -> Phase:
    """A manual move by a facilitator: only one step forward."""
    if target == current:
        raise PhaseError(N_("Le défi est déjà dans cette phase."))
    if target in ALLOWED[current]:
        return target
    if current == Phase.ARCHIVED:
        raise PhaseError(N_("Un défi archivé ne change plus de phase."))
    if ORDER.index(target) < ORDER.index(current):
        raise PhaseError(N_("Un défi ne revient jamais à une phase passée."))
    raise PhaseError(
        N_("Un défi passe par chaque phase, une à la fois : il ne peut pas en sauter.")
    )


def _due(
    current: Phase, schedule: Schedule, now: datetime, vote_ready: bool = True
) -> Phase | None:
    """The phase the calendar moves `current` into now, or None."""
    if current == Phase.IDEATION and schedule.ideation_ends_at and now >= schedule.ideation_ends_at:
        return Phase.REVIEW
    if current == Phase.REVIEW:
        start = schedule.voting_starts_at or schedule.review_ends_at
        if start and now >= start and vote_ready:
            return Phase.VOTING
    if current == Phase.VOTING and schedule.voting_ends_at and now >= schedule.voting_ends_at:
        return Phase.RESULTS
    return None


def scheduled_phase(
    current: Phase, schedule: Schedule, now: datetime, vote_ready: bool = True
) -> Phase:
    """The phase a challenge is really in at `now`: several steps may have passed.

    `vote_ready` False (see `vote_opening_refusal`): the calendar stops at review.
    """
    # One step per phase at most: a bound, so that no calendar can make this loop forever.
    for _ in Phase:
        due = _due(current, schedule, now, vote_ready)
        if due is None:
            break
        current = due
    return current
