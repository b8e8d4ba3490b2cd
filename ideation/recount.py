"""Recount published ballots offline: ``python -m ideation.recount FILE``.

Reads a PrefLib (.soc .soi .toc .toi), BLT (.blt) or Fabrique CSV (.csv) ballot file,
counts it with the same code as the platform and prints a French report, or with
``--json`` the result object (method, candidates, ballots, ranking, winners,
tie_break, digest and the method's details). A file that cannot be read prints the
line and the reason and exits with status 2.

This module must stay importable without Flask or SQLAlchemy: anyone should be able
to recount with numpy alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ideation.domain.voting import METHODS, BallotError, TallyResult, tally
from ideation.domain.voting.formats import BallotFileError, read_ballots

METHOD_NAMES = {
    "schulze": "méthode de Schulze",
    "irv": "vote alternatif (second tour instantané)",
    "borda": "méthode de Borda",
}


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (help texts in French)."""
    parser = argparse.ArgumentParser(
        prog="python -m ideation.recount",
        description="Recompter des bulletins publiés (PrefLib, BLT ou CSV Fabrique).",
    )
    parser.add_argument("file", metavar="FICHIER", help="fichier de bulletins")
    parser.add_argument(
        "--method", choices=METHODS, default="schulze", help="méthode de dépouillement"
    )
    parser.add_argument(
        "--winners", type=int, default=1, metavar="K", help="nombre de gagnant·es (1)"
    )
    parser.add_argument(
        "--tie-break",
        metavar="NOMS",
        help="ordre de départage « nom1,nom2,… » (sinon, tiré de l'empreinte des bulletins)",
    )
    parser.add_argument("--json", action="store_true", help="résultat en JSON")
    return parser


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            str(cell).ljust(widths[0]) if i == 0 else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}".replace(".", ",")


def report(result: TallyResult) -> str:
    """A readable French report of a tally."""
    lines = [
        f"Méthode : {METHOD_NAMES[result.method]}",
        f"Nombre de bulletins : {result.ballots}",
        f"Candidat·es : {len(result.candidates)}",
        f"Empreinte SHA-256 des bulletins : {result.digest}",
        "",
        "Classement :",
    ]
    place = 1
    for group in result.ranking:
        tie = " (ex aequo)" if len(group) > 1 else ""
        lines.append(f"  {place}. {', '.join(group)}{tie}")
        place += len(group)
    label = "Gagnant·e" if len(result.winners) == 1 else "Gagnant·es"
    lines += ["", f"{label} : {', '.join(result.winners)}"]
    used = "utilisé" if result.tie_break_used else "pas utilisé"
    lines.append(f"Ordre de départage ({used}) : {', '.join(result.tie_break)}")
    lines.append("")
    names = result.candidates
    short = [str(i) for i in range(1, len(names) + 1)]
    legend = [f"  {i}. {name}" for i, name in zip(short, names, strict=True)]
    if result.method == "schulze" and result.pairwise and result.strongest_paths:
        lines.append("Duels : nombre de votant·es qui placent la ligne devant la colonne")
        lines += _table(
            ["", *short],
            [[f"{i}", *map(str, row)] for i, row in zip(short, result.pairwise, strict=True)],
        )
        lines += ["", "Chemins les plus forts (0 : aucun chemin)"]
        lines += _table(
            ["", *short],
            [
                [f"{i}", *map(str, row)]
                for i, row in zip(short, result.strongest_paths, strict=True)
            ],
        )
        lines += ["", *legend]
    elif result.method == "irv" and result.rounds:
        header = ["", *[f"tour {i}" for i in range(1, len(result.rounds) + 1)]]
        rows = [
            [
                name,
                *[
                    _number(r["counts"][name]) if name in r["counts"] else "—"
                    for r in result.rounds
                ],
            ]
            for name in names
        ]
        rows.append(["bulletins épuisés", *[str(r["exhausted"]) for r in result.rounds]])
        rows.append(["éliminé·e", *[", ".join(r["eliminated"]) or "—" for r in result.rounds]])
        lines.append("Tours :")
        lines += _table(header, rows)
    elif result.method == "borda" and result.scores is not None:
        lines.append("Points :")
        ordered = sorted(names, key=lambda n: -result.scores[n])  # type: ignore[index]
        lines += _table(["", "points"], [[n, str(result.scores[n])] for n in ordered])
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the recount; returns the exit status (0, or 2 for unreadable input)."""
    args = build_parser().parse_args(argv)
    try:
        loaded = read_ballots(args.file)
        tie_break = None
        if args.tie_break is not None:
            tie_break = [name.strip() for name in args.tie_break.split(",")]
        result = tally(loaded.ballots, args.method, args.winners, tie_break)
    except BallotFileError as error:
        print(f"{args.file} : {error}", file=sys.stderr)
        return 2
    except (BallotError, ValueError) as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"impossible de lire {args.file} : {error.strerror or error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_json_dict(), ensure_ascii=False))
    else:
        sys.stdout.write(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
