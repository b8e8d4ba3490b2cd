"""The moderation area."""
