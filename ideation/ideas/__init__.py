"""The ideas area."""
