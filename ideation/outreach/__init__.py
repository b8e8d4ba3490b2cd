"""Messages to the participants of a scope: service messages and the newsletter (issue 12)."""
