"""Roles and organisation kinds: plain enums shared by the domain and the models."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TENANT = "tenant"
    STAFF = "staff"
    FACILITATOR = "facilitator"
    BAILLEUR = "bailleur"  # landlord manager
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    REGIONAL = "regional"  # the regional association that federates landlords
    LANDLORD = "landlord"
    # An association, the Compagnons Bâtisseurs, a tenants' association, a local authority:
    # its members take part and carry its badge, but never run challenges or pilots.
    PARTNER = "partenaire"
