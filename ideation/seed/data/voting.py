"""Who votes in the demo's votes. Plain data."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

# The demo tenant has not voted in the open vote: a newcomer can try the ballot.
NON_VOTER = "locataire@demo.fabrique.test"
# Most tenants in a vote's scope take part, not all of them.
SHARE_VOTING = Fraction(5, 6)
# One ballot after another from the vote's opening.
VOTE_INTERVAL = timedelta(minutes=37)
