"""The registry of voting methods: the one list the app and the recount look methods up in.

Each shipped method is a module of this package exposing ``METHOD`` (a `VotingMethod`,
see `base.py`). `VoteMethod`, the enum stored in ``Challenge.vote_method``, is built
from the shipped list, so the two cannot disagree. `register` adds a method at run time
(a test's fake method, a plug-in); such a method can be counted, recounted and shown,
but a challenge can only be set to a shipped one (it must be storable).
"""

from __future__ import annotations

from enum import StrEnum

from . import borda, irv, schulze
from .base import VotingMethod

SHIPPED: tuple[VotingMethod, ...] = (schulze.METHOD, irv.METHOD, borda.METHOD)

_methods: dict[str, VotingMethod] = {method.name: method for method in SHIPPED}

# Member names are the upper-cased code values: VoteMethod(name) is VoteMethod[name.upper()].
# Built from SHIPPED so that adding a method cannot forget the enum; mypy cannot list
# members it does not see written, hence the ignore (no code names a member statically).
VoteMethod = StrEnum("VoteMethod", [(m.name.upper(), m.name) for m in SHIPPED])  # type: ignore[misc]

DEFAULT: VoteMethod = VoteMethod(SHIPPED[0].name)


def get(name: str) -> VotingMethod | None:
    """The method called `name`, or None when no method has that name."""
    return _methods.get(str(name))


def require(name: str) -> VotingMethod:
    """The method called `name`; ValueError (in French) when there is none."""
    method = get(name)
    if method is None:
        raise ValueError(f"méthode inconnue « {name} » (choisir parmi {', '.join(names())})")
    return method


def names() -> tuple[str, ...]:
    """Every registered method's code value, shipped ones first."""
    return tuple(_methods)


def storable() -> tuple[VotingMethod, ...]:
    """The methods a challenge can be set to (the members of `VoteMethod`), in order."""
    return tuple(_methods[member.value] for member in VoteMethod)


def register(method: VotingMethod) -> None:
    """Add a method; refuses a name already taken (a shipped method cannot be replaced)."""
    if method.name in _methods:
        raise ValueError(f"la méthode « {method.name} » existe déjà")
    _methods[method.name] = method


def unregister(name: str) -> None:
    """Remove a method added by `register`; the shipped ones stay."""
    if any(m.name == name for m in SHIPPED):
        raise ValueError(f"la méthode « {name} » est livrée avec la plateforme")
    _methods.pop(name, None)
