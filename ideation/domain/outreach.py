"""Messages to a scope (issue 12): the kinds of message and of scope, as plain values."""

from __future__ import annotations

from enum import StrEnum

SUBJECT_MAX = 150
BODY_MAX = 3000


class MessageKind(StrEnum):
    # A service message: news about the platform's life; follows each person's
    # notification preferences (in the app always, by e-mail now, in the digest or never).
    SERVICE = "service"
    # The newsletter: e-mail only, to those who opted in, with one-click unsubscribe.
    NEWSLETTER = "newsletter"


class ScopeKind(StrEnum):
    """Who a message speaks to. Each kind is one entry of outreach.services.SCOPES."""

    ORGANISATION = "organisation"
    RESIDENCES = "residences"
    CHALLENGE = "defi"
    HOUSE = "maison"
