"""The pilots area."""
