"""Workshops and meetings (ateliers, rencontres): places, registrations, attendance, minutes."""
