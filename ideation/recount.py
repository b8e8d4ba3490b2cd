"""Recount published ballots offline: ``python -m ideation.recount FILE``.

Reads a PrefLib (.soc .soi .toc .toi), BLT (.blt) or Fabrique CSV (.csv) ballot file,
counts it with the same code as the platform and prints a French report, or with
``--json`` the result object (method, candidates, ballots, ranking, winners,
tie_break, digest and the method's details). When the file says how each ballot came
(the CSV's channel column: en ligne, bureau, papier), the report gives the ballots per
channel; the JSON object stays the tally's own, the one the platform stores. A file that cannot be read prints the
line and the reason and exits with status 2.

This module must stay importable without Flask or SQLAlchemy: anyone should be able
to recount with numpy alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence

from ideation.domain.desks import Channel
from ideation.domain.voting import BallotError, TallyResult, registry, tally
from ideation.domain.voting.formats import CSV_CHANNELS, BallotFileError, read_ballots


def build_parser() -> argparse.ArgumentParser:
    """The command-line options (help texts in French)."""
    parser = argparse.ArgumentParser(
        prog="python -m ideation.recount",
        description="Recompter des bulletins publiés (PrefLib, BLT ou CSV Fabrique).",
    )
    parser.add_argument("file", metavar="FICHIER", help="fichier de bulletins")
    parser.add_argument(
        "--method",
        choices=registry.names(),
        default=str(registry.DEFAULT),
        help="méthode de dépouillement",
    )
    parser.add_argument(
        "--winners", type=int, default=1, metavar="K", help="nombre de gagnant·es (1)"
    )
    parser.add_argument(
        "--tie-break",
        metavar="NOMS",
        help="ordre de départage « nom1,nom2,… » (sinon, tiré de l'empreinte des bulletins)",
    )
    parser.add_argument("--json", action="store_true", help="résultat en JSON")
    return parser


def report(result: TallyResult, channels: Mapping[Channel, int] | None = None) -> str:
    """A readable French report of a tally (with the ballots per channel, when known)."""
    method = registry.require(result.method)
    lines = [f"Méthode : {method.label}", f"Nombre de bulletins : {result.ballots}"]
    if channels is not None:
        counts = ", ".join(f"{CSV_CHANNELS[c]} {channels.get(c, 0)}" for c in CSV_CHANNELS)
        lines.append(f"  par canal : {counts}")
    lines += [
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
    # The method's own details (matrices, rounds, points), as its module writes them.
    lines += method.report(result.to_json_dict())
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
        sys.stdout.write(report(result, loaded.channel_counts()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
