"""The challenges area."""
