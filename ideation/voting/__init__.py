"""Ranked voting: ballots, closing, results (the tally itself is in ideation.domain.voting)."""
