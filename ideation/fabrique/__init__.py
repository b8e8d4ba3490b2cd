"""The Fabrique itself: its editions (one biennial gathering) and their houses (maisons)."""
