"""Keep the French catalogue to what French needs from it: its plural rule.

French is the source language, so `_()` needs no French catalogue; but without one,
gettext applies the English rule (n != 1) and prints "0 soutiens". This catalogue holds
only the plural messages, each translated by itself, under French's own rule (n > 1:
0 and 1 are singular). `make extract-messages` runs it after `pybabel update`.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "ideation" / "translations"
TEMPLATE = ROOT / "messages.pot"
FRENCH = ROOT / "fr" / "LC_MESSAGES" / "messages.po"
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"


def build() -> Catalog:
    with TEMPLATE.open("rb") as f:
        template = read_po(f)
    catalog = Catalog(locale="fr", project="Fabrique", fuzzy=False)
    catalog._num_plurals, catalog._plural_expr = 2, "(n > 1)"
    for message in template:
        if message.id and message.pluralizable:
            catalog.add(
                message.id,
                string=tuple(message.id),
                flags=message.flags - {"fuzzy"},
                context=message.context,
            )
    return catalog


def main() -> None:
    FRENCH.parent.mkdir(parents=True, exist_ok=True)
    with FRENCH.open("wb") as f:
        write_po(f, build(), width=100, omit_header=False, include_previous=False)


if __name__ == "__main__":
    main()
