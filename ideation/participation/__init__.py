"""My space: what a participant wrote, supported, voted and follows, and what is left to do."""
