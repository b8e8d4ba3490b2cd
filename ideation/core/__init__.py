"""Shared helpers used by several areas (no area imports another through them)."""
