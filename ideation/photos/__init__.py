"""Photos: attached to an owner of any kind (an idea, a pilot update, later workshop minutes), checked, re-encoded, resized, served, hidden, erased."""
