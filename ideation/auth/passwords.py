"""Loads the shipped list of common passwords and turns problems into French messages."""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

from flask_babel import lazy_gettext as _l

from ideation.domain.passwords import PasswordProblem, check_password

# A few French favourites that English-language lists rank low.
_FRENCH_EXTRA = {
    "azertyuiop",
    "azertyuiop123",
    "motdepasse123",
    "motdepasse",
    "soleil123456",
    "bonjour12345",
    "jetaime123456",
    "marseille1234",
    "doudou123456",
    "chouchou1234",
    "azerty123456",
    "loulou123456",
    "fabrique2026",
    "fabriquedemo",
}

MESSAGES = {
    PasswordProblem.TOO_SHORT: _l("Le mot de passe doit faire au moins 12 caractères."),
    PasswordProblem.TOO_LONG: _l("Le mot de passe est trop long (256 caractères au plus)."),
    PasswordProblem.COMMON: _l(
        "Ce mot de passe est trop courant. Choisissez-en un autre, par exemple une phrase."
    ),
    PasswordProblem.PERSONAL: _l(
        "Le mot de passe ne doit pas reprendre votre nom ou votre e-mail."
    ),
    PasswordProblem.WEAK: _l(
        "Ce mot de passe est trop simple à deviner. Allongez-le ou variez les caractères."
    ),
}


@cache
def common_passwords() -> frozenset[str]:
    data = files("ideation").joinpath("data/common-passwords.txt.gz").read_bytes()
    words = gzip.decompress(data).decode("utf-8").split()
    return frozenset(w.strip().lower() for w in words) | frozenset(_FRENCH_EXTRA)


def password_errors(password: str, *personal: str | None) -> list[str]:
    problems = check_password(password, common=common_passwords(), personal=personal)
    return [str(MESSAGES[p]) for p in problems]
