"""Voting desks (bureaux de vote): assessors, desk ballots, paper sheets, closure records."""
