"""Idea statuses: the machine as data and `next_status()`.

    draft → submitted → published → shortlisted → selected → piloted
                      ↘ rejected    ↘ merged (into another idea)
                                    ↘ not_selected (after the vote)
    draft | submitted | published → withdrawn (by its author)

Pure Python. A move not in the graph raises TransitionRefused with a French source
message (marked N_, translated by the caller); nothing is half-applied because the
caller changes the model only after `next_status` returned.
"""

from __future__ import annotations

from enum import StrEnum

from ideation.domain.challenge_phases import N_


class IdeaStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    PILOTED = "piloted"
    REJECTED = "rejected"
    MERGED = "merged"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"


S = IdeaStatus

ALLOWED: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # A pending near copy of a public idea can be merged into it straight from the queue.
    S.SUBMITTED: frozenset({S.PUBLISHED, S.REJECTED, S.MERGED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.SHORTLISTED, S.MERGED, S.WITHDRAWN}),
    S.SHORTLISTED: frozenset({S.SELECTED, S.NOT_SELECTED}),
    S.SELECTED: frozenset({S.PILOTED}),
    S.PILOTED: frozenset(),
    S.REJECTED: frozenset(),
    S.MERGED: frozenset(),
    S.NOT_SELECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Moves that must carry a reason shown to the author.
NEEDS_REASON = frozenset({S.REJECTED, S.MERGED})

# Seen by everyone; the other statuses only by the author and the challenge's facilitators.
PUBLIC = frozenset({S.PUBLISHED, S.SHORTLISTED, S.SELECTED, S.PILOTED, S.NOT_SELECTED, S.MERGED})
# The author may still change the text ("until it is shortlisted").
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED, S.PUBLISHED})
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.PUBLISHED})
SUPPORTABLE = frozenset({S.PUBLISHED})

LABELS: dict[IdeaStatus, str] = {
    S.DRAFT: N_("Brouillon"),
    S.SUBMITTED: N_("En attente de validation"),
    S.PUBLISHED: N_("Publiée"),
    S.SHORTLISTED: N_("Retenue pour le vote"),
    S.SELECTED: N_("Lauréate"),
    S.PILOTED: N_("Devenue projet pilote"),
    S.REJECTED: N_("Refusée"),
    S.MERGED: N_("Regroupée avec une autre idée"),
    S.NOT_SELECTED: N_("Non retenue au vote"),
    S.WITHDRAWN: N_("Retirée par son auteur·rice"),
}

# Why a status is final, for the refusal message.
_FINAL_MESSAGES: dict[IdeaStatus, str] = {
    S.PILOTED: N_("Cette idée est devenue un projet pilote : son statut ne change plus."),
    S.REJECTED: N_("Cette idée a été refusée : son statut ne change plus."),
    S.MERGED: N_("Cette idée a été regroupée avec une autre : son statut ne change plus."),
    S.NOT_SELECTED: N_("Cette idée n'a pas été retenue au vote : son statut ne change plus."),
    S.WITHDRAWN: N_("Cette idée a été retirée : son statut ne change plus."),
}

# A specific explanation for the refused moves people actually try.
_REFUSALS: dict[tuple[IdeaStatus, IdeaStatus], str] = {
    (S.DRAFT, S.PUBLISHED): N_("Une idée doit d'abord être envoyée avant d'être publiée."),
    (S.SHORTLISTED, S.WITHDRAWN): N_("Une idée retenue pour le vote ne peut plus être retirée."),
    (S.SELECTED, S.WITHDRAWN): N_("Une idée lauréate ne peut plus être retirée."),
    (S.DRAFT, S.SHORTLISTED): N_("Seule une idée publiée peut être retenue pour le vote."),
    (S.SUBMITTED, S.SHORTLISTED): N_("Seule une idée publiée peut être retenue pour le vote."),
    (S.PUBLISHED, S.REJECTED): N_(
        "Une idée déjà publiée ne peut plus être refusée : regroupez-la ou laissez-la."
    ),
    (S.PUBLISHED, S.SELECTED): N_("Une idée doit être retenue pour le vote avant d'être lauréate."),
    (S.SHORTLISTED, S.PILOTED): N_("Seule une idée lauréate peut devenir un projet pilote."),
    (S.PUBLISHED, S.PILOTED): N_("Seule une idée lauréate peut devenir un projet pilote."),
}


class TransitionRefused(ValueError):
    """A refused status change; `message` is a French source string, `params` its values."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def next_status(current: IdeaStatus, target: IdeaStatus, reason: str | None = None) -> IdeaStatus:
    """Return `target` if the graph allows the move, else raise TransitionRefused."""
    if current == target:
        raise TransitionRefused(N_("L'idée a déjà ce statut."))
    if target not in ALLOWED[current]:
        if (current, target) in _REFUSALS:
            raise TransitionRefused(_REFUSALS[(current, target)])
        if current in _FINAL_MESSAGES:
            raise TransitionRefused(_FINAL_MESSAGES[current])
        raise TransitionRefused(
            N_("Impossible de passer une idée de « %(current)s » à « %(target)s »."),
            current=LABELS[current],
            target=LABELS[target],
        )
    if target in NEEDS_REASON and not (reason and reason.strip()):
        raise TransitionRefused(
            N_("Indiquez la raison : elle sera montrée à l'auteur·rice de l'idée.")
        )
    return target


def submission_path(premoderation: bool) -> tuple[IdeaStatus, ...]:
    """The statuses a draft goes through when its author sends it."""
    return (S.SUBMITTED,) if premoderation else (S.SUBMITTED, S.PUBLISHED)
