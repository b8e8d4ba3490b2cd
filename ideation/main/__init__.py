"""The main area."""
