"""Votes in person: the channels a ballot comes by, paper sheets and their entries.

A ballot comes online (the voter's own phone or computer), at a voting desk (an
assessor records the ranking the participant gives, with their name), or on paper (an
anonymous sheet dropped in the desk's urn and entered twice after the desk closes).
Whoever voted in person is marked on the vote's list (émargement), once per vote: an
online ballot is then replaced (desk) or annulled (paper), and the person can no longer
vote online (docs/domain.md#votes-in-person).
"""

from __future__ import annotations

from enum import StrEnum

from ideation.domain.challenge_phases import N_


class Channel(StrEnum):
    ONLINE = "online"
    DESK = "desk"
    PAPER = "paper"


CHANNEL_LABELS = {
    Channel.ONLINE: N_("En ligne"),
    Channel.DESK: N_("Bureau de vote"),
    Channel.PAPER: N_("Papier"),
}
IN_PERSON = frozenset({Channel.DESK, Channel.PAPER})


class SheetStatus(StrEnum):
    """printed → first_entry → agreed | blank | spoilt | disputed → (third reading) …;
    a sheet never entered stays printed; `excess` is a sheet beyond the voters ticked."""

    PRINTED = "printed"  # printed, not entered (yet)
    FIRST_ENTRY = "first_entry"  # entered once: waits for a second, independent entry
    DISPUTED = "disputed"  # the two entries differ: waits for a third reading
    AGREED = "agreed"  # counted: its ballot is stored
    BLANK = "blank"  # blank sheet (recorded, not counted)
    SPOILT = "spoilt"  # spoilt sheet (nul: recorded, not counted)
    EXCESS = "excess"  # more sheets than voters ticked at the desk (reported, not counted)


class EntryKind(StrEnum):
    """What an assessor read on a sheet."""

    RANKED = "ranked"
    BLANK = "blank"
    SPOILT = "spoilt"
