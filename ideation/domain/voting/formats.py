"""Ballot files: PrefLib (.soc .soi .toc .toi), BLT (.blt) and the project's CSV (.csv).

Every reader returns a `BallotFile` whose `ballots` profile keeps the candidates in
file order, so that a recount from any of the three exports of the same ballots finds
the same digest and tie-break order (see `ballots.py`). Malformed input raises
`BallotFileError`, whose message gives the line and the reason in French, e.g.
``ligne 7 : candidat inconnu « 9 »``.

PrefLib (2023 format, https://www.preflib.org/format)
    ``# KEY: value`` header lines (``# DATA TYPE: toi``, ``# NUMBER ALTERNATIVES: 4``,
    ``# ALTERNATIVE NAME 1: Memphis`` …), then one line per distinct order:
    ``count: 1,2,{3,4}`` (1-based candidates, ties in braces, unranked omitted).
    ``NUMBER VOTERS`` and ``NUMBER UNIQUE ORDERS``, when present, are checked. A blank
    ballot (nothing ranked) is written ``count: {}``, an extension PrefLib itself never
    needs. The writer picks the narrowest data type (soc, soi, toc or toi).

BLT (OpenSTV / ERS)
    First line ``<candidates> <seats>``; an optional line of withdrawn candidates as
    negative numbers (``-2 -5``), which are left out of the count; ballot lines
    ``<weight> <c1> <c2> … 0`` with 1-based candidates, ``=`` joining tied
    candidates (``1 1=2 3 0``); a ``0`` line; the candidate names in double quotes (one
    per line); then the title in double quotes. ``\\"`` and ``\\\\`` escape a quote and a
    backslash inside a name. Weights must be whole numbers.

The project's CSV (UTF-8, written with Python's csv module, so names may hold commas
or quotes)
    Two sections. The first, with the header row ``receipt,channel,ranking``, has one
    row per ballot: the voter's receipt code (may be empty), the channel the ballot came
    by (``en ligne``, ``bureau`` or ``papier``: fixed words of the format, never
    translated) and the ranking, names joined by `` > `` and tied names by `` = ``:
    ``Memphis > Nashville = Chattanooga``. An empty ranking is a blank ballot. Files
    written before the channels existed have the header ``receipt,ranking`` and no
    channel column; both shapes are read. Rows are sorted by receipt, so the file order
    says nothing about when people voted. After one empty row, the second section, with the
    header row ``candidate``, lists every candidate, one per row, in the official order
    (this keeps candidates that nobody ranked). A file without the second section is
    read with the candidates in order of first appearance. Names cannot contain
    `` > `` or `` = `` (the writer refuses them).

Only the read and write helpers touch the file system.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..desks import Channel
from . import fastread
from .ballots import BallotError, Ballots, NamedRanking

__all__ = [
    "CSV_CHANNELS",
    "FORMATS",
    "BallotFile",
    "BallotFileError",
    "detect_format",
    "dumps",
    "dumps_blt",
    "dumps_csv",
    "dumps_preflib",
    "loads",
    "preflib_data_type",
    "read_ballots",
    "write_ballots",
]

FORMATS: tuple[str, ...] = ("preflib", "blt", "csv")
_EXTENSIONS = {
    ".soc": "preflib",
    ".soi": "preflib",
    ".toc": "preflib",
    ".toi": "preflib",
    ".blt": "blt",
    ".csv": "csv",
}
_CSV_HEADER = ["receipt", "ranking"]  # files published before the channel column
_CSV_HEADER_CHANNELS = ["receipt", "channel", "ranking"]
_CSV_CANDIDATES = "candidate"
# The channel column's words: part of the file format (a recount anywhere reads them),
# so French and fixed, never translated.
CSV_CHANNELS: dict[Channel, str] = {
    Channel.ONLINE: "en ligne",
    Channel.DESK: "bureau",
    Channel.PAPER: "papier",
}
_CHANNEL_OF_WORD = {word: channel for channel, word in CSV_CHANNELS.items()}


class BallotFileError(ValueError):
    """A ballot file that cannot be read; `line` is 1-based (None: the whole file)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"ligne {line} : {reason}" if line is not None else reason)


@dataclass(frozen=True)
class BallotFile:
    """What a ballot file holds: the profile plus the file's own metadata."""

    ballots: Ballots
    format: str
    title: str = ""
    seats: int | None = None
    receipts: tuple[str, ...] = ()
    # One per ballot row, beside `receipts`, when the file says them (the CSV's channel
    # column); None otherwise (PrefLib, BLT, a CSV of the older two-column shape).
    channels: tuple[Channel, ...] | None = None

    def channel_counts(self) -> dict[Channel, int] | None:
        """Ballots per channel (every channel, in a fixed order), None when unknown."""
        if self.channels is None:
            return None
        counts = Counter(self.channels)
        return {channel: counts.get(channel, 0) for channel in CSV_CHANNELS}


# -------------------------------------------------------------------- detection


def detect_format(name: str | None, text: str) -> str:
    """The format of a file, from its extension or else from its first lines."""
    if name:
        fmt = _EXTENSIONS.get(Path(name).suffix.lower())
        if fmt:
            return fmt
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("#"):
        return "preflib"
    header = first.replace(" ", "").lower()
    if header.startswith(("receipt,ranking", "receipt,channel,ranking")):
        return "csv"
    if re.fullmatch(r"\d+\s+\d+", first):
        return "blt"
    raise BallotFileError("format de fichier inconnu (attendu : PrefLib, BLT ou CSV)")


def loads(text: str, format: str | None = None, name: str | None = None) -> BallotFile:
    """Parse ballot-file text; `format` ("preflib", "blt", "csv") or guess it."""
    fmt = format or detect_format(name, text)
    if fmt == "preflib":
        return _read_preflib(text)
    if fmt == "blt":
        return _read_blt(text)
    if fmt == "csv":
        return _read_csv(text)
    raise ValueError(f"format inconnu « {fmt} »")


def read_ballots(path: str | Path, format: str | None = None) -> BallotFile:
    """Read a ballot file (UTF-8; a byte-order mark is ignored)."""
    path = Path(path)
    data = path.read_bytes()
    if (format or _EXTENSIONS.get(path.suffix.lower())) == "preflib":
        # A large PrefLib file is read from its bytes: only the header is decoded.
        fast = _fast_preflib_bytes(data)
        if fast is not None:
            return fast
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BallotFileError("le fichier n'est pas en UTF-8") from error
    return loads(text, format, path.name)


def dumps(ballots: Ballots, format: str, title: str = "") -> str:
    """Serialise a profile as "preflib", "blt" or "csv" text."""
    if format == "preflib":
        return dumps_preflib(ballots, title=title)
    if format == "blt":
        return dumps_blt(ballots, title=title)
    if format == "csv":
        return dumps_csv(ballots)
    raise ValueError(f"format inconnu « {format} »")


def write_ballots(
    ballots: Ballots, path: str | Path, format: str | None = None, title: str = ""
) -> None:
    """Write a profile to `path`, the format coming from its extension by default."""
    path = Path(path)
    fmt = format or _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"extension inconnue « {path.suffix} »")
    path.write_text(dumps(ballots, fmt, title=title), encoding="utf-8", newline="")


def _from_rows(
    candidates: Sequence[str], rows: list[list[int]], counts: list[int], line: int | None = None
) -> Ballots:
    """A profile from already validated rank rows (fast: no per-ranking Python checks)."""
    m = len(candidates)
    try:
        return Ballots(candidates, np.array(rows, dtype=np.int64).reshape(len(rows), m), counts)
    except BallotError as error:
        raise BallotFileError(str(error), line) from error


def _row(groups: Iterable[Iterable[int]], m: int) -> list[int]:
    row = [m] * m
    for position, group in enumerate(groups):
        for i in group:
            row[i] = position
    return row


def _check_twice(groups: Iterable[Iterable[int]], names: Sequence[str], line: int) -> None:
    """Refuse a candidate ranked twice, naming the line (the profile check cannot)."""
    seen: set[int] = set()
    for group in groups:
        for i in group:
            if i in seen:
                raise BallotFileError(f"candidat « {names[i]} » classé deux fois", line)
            seen.add(i)


def _check_twice_lazy(
    groups: list[list[int]], names: Sequence[str], rows: list[tuple[str, str, int]], cell: str
) -> None:
    flat = [i for group in groups for i in group]
    if len(set(flat)) != len(flat):
        _check_twice(groups, names, _line_of(rows, cell))


# ---------------------------------------------------------------------- PrefLib


_PREFLIB_HEADER = re.compile(r"#\s*([^:]+?)\s*:\s?(.*)$")
_ALTERNATIVE = re.compile(r"ALTERNATIVE NAME (\d+)")


# Line breaks other than "\n" that `str.splitlines` honours: a file holding one is left
# to the line reader, so that line numbers are always counted the same way.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _read_preflib(text: str) -> BallotFile:
    """The vectorised reader when the file is regular, else the line reader."""
    return _fast_preflib(text) or _read_preflib_by_line(text)


def _fast_preflib_bytes(data: bytes) -> BallotFile | None:
    """`_fast_preflib` on the file's bytes (no copy of the body through `str`).

    The header ends at the first line that is neither blank (ASCII blanks) nor a "#"
    line; it alone is decoded. None as soon as anything is unusual (a header that is
    not UTF-8, a body that is not ASCII…): the caller then decodes the whole file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end].strip()
        if line and not line.startswith(b"#"):
            break
        start = end + 1
    body = data[start:]
    if not body.isascii():
        return None
    try:
        header = data[:start].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _fast_preflib(header, body)


def _fast_preflib(text: str, ascii_body: bytes | None = None) -> BallotFile | None:
    """PrefLib through `fastread`; None whenever the line reader must decide.

    With `ascii_body`, `text` is only the header and the order lines are those bytes.
    """
    headers: dict[str, str] = {}
    names: dict[int, str] = {}
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if line and not line.startswith("#"):
            if ascii_body is not None:
                return None  # the two ways of finding the header's end disagree
            break
        match = _PREFLIB_HEADER.match(line)
        if match:
            key, value = match.group(1).upper(), match.group(2).strip()
            alternative = _ALTERNATIVE.fullmatch(key)
            if alternative:
                names[int(alternative.group(1))] = value
            else:
                headers[key] = value
        start = end + 1
    # Other line breaks in the body are bytes the vectorised reader refuses (or not
    # ASCII); only the header needs looking at.
    if _OTHER_BREAKS.search(text, 0, start):
        return None
    if ascii_body is None:
        body = text[start:]
        if not body.isascii():
            return None
        ascii_body = body.encode("ascii")
    declared = headers.get("NUMBER ALTERNATIVES", "")
    if not declared.isascii() or not declared.isdigit() or b"#" in ascii_body:
        return None
    m = int(declared)
    if m == 0 or sorted(names) != list(range(1, m + 1)):
        return None
    parsed = fastread.preflib_rows(ascii_body, m)
    if parsed is None:
        return None
    try:
        ballots = Ballots([names[i] for i in range(1, m + 1)], *parsed)
    except BallotError:
        return None
    for key, actual in (
        ("NUMBER VOTERS", ballots.voters),
        ("NUMBER UNIQUE ORDERS", ballots.ranks.shape[0]),
    ):
        if key in headers and headers[key] != str(actual):
            return None
    return BallotFile(ballots=ballots, format="preflib", title=headers.get("TITLE", ""))


def _read_preflib_by_line(text: str) -> BallotFile:
    """The reference reader: every rule, every message with its line number."""
    headers: dict[str, tuple[str, int]] = {}
    names: dict[int, tuple[str, int]] = {}
    raw_orders: list[tuple[str, int]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if raw_orders:
                raise BallotFileError("en-tête après les bulletins", number)
            match = _PREFLIB_HEADER.match(line)
            if not match:
                continue  # a free comment
            key, value = match.group(1).upper(), match.group(2).strip()
            alternative = _ALTERNATIVE.fullmatch(key)
            if alternative:
                names[int(alternative.group(1))] = (value, number)
            else:
                headers[key] = (value, number)
            continue
        raw_orders.append((line, number))

    if "NUMBER ALTERNATIVES" not in headers:
        raise BallotFileError("en-tête « # NUMBER ALTERNATIVES » manquant")
    value, where = headers["NUMBER ALTERNATIVES"]
    m = _positive(value, where, "nombre de candidats")
    for i, (_, where) in names.items():
        if not 1 <= i <= m:
            raise BallotFileError(f"candidat {i} hors de 1 à {m}", where)
    missing = [str(i) for i in range(1, m + 1) if i not in names]
    if missing:
        raise BallotFileError("nom manquant pour le candidat " + ", ".join(missing))
    candidates = [names[i][0] for i in range(1, m + 1)]

    rows: list[list[int]] = []
    counts: list[int] = []
    for line, number in raw_orders:
        head, _, body = line.partition(":")
        quick = None
        if head.isdigit() and int(head) > 0 and "{" not in body:
            try:
                quick = [int(token) - 1 for token in body.split(",")]
            except ValueError:
                quick = None
        if (
            quick is not None
            and len(set(quick)) == len(quick)
            and 0 <= min(quick)
            and max(quick) < m
        ):
            # The usual strict line "count: a,b,c": no need for the general parser.
            row = [m] * m
            for position, i in enumerate(quick):
                row[i] = position
            rows.append(row)
            counts.append(int(head))
            continue
        ranking, count = _preflib_order(line, number)
        for group in ranking:
            for i in group:
                if not 1 <= i <= m:
                    raise BallotFileError(f"candidat inconnu « {i} »", number)
        indexed = tuple(tuple(i - 1 for i in group) for group in ranking)
        _check_twice(indexed, candidates, number)
        rows.append(_row(indexed, m))
        counts.append(count)
    ballots = _from_rows(candidates, rows, counts)

    for key, actual, what in (
        ("NUMBER VOTERS", ballots.voters, "nombre de votants"),
        ("NUMBER UNIQUE ORDERS", len(raw_orders), "nombre de classements distincts"),
    ):
        if key in headers:
            value, where = headers[key]
            declared = _positive(value, where, what, allow_zero=True)
            if declared != actual:
                raise BallotFileError(
                    f"{what} annoncé {declared}, mais le fichier en contient {actual}", where
                )
    title = headers.get("TITLE", ("", 0))[0]
    return BallotFile(ballots=ballots, format="preflib", title=title)


def _positive(value: str, line: int, what: str, allow_zero: bool = False) -> int:
    if not value.isdigit() or (int(value) == 0 and not allow_zero):
        raise BallotFileError(f"{what} invalide « {value} »", line)
    return int(value)


def _preflib_order(line: str, number: int) -> tuple[tuple[tuple[int, ...], ...], int]:
    if ":" not in line:
        raise BallotFileError("ligne de bulletin sans « : »", number)
    head, body = line.split(":", 1)
    count = _positive(head.strip(), number, "nombre de bulletins")
    body = body.replace(" ", "").replace("\t", "")
    if body in ("", "{}"):
        return (), count
    groups: list[tuple[int, ...]] = []
    i = 0
    while i < len(body):
        if body[i] == "{":
            end = body.find("}", i)
            if end < 0:
                raise BallotFileError("accolade « { » non fermée", number)
            tokens = body[i + 1 : end].split(",")
            i = end + 1
        else:
            end = body.find(",", i)
            end = len(body) if end < 0 else end
            tokens = [body[i:end]]
            i = end
        if i < len(body):
            if body[i] != ",":
                raise BallotFileError(f"caractère inattendu « {body[i]} »", number)
            i += 1
            if i == len(body):
                raise BallotFileError("virgule en fin de ligne", number)
        group = []
        for token in tokens:
            if not token.isdigit():
                raise BallotFileError(f"candidat inconnu « {token} »", number)
            group.append(int(token))
        groups.append(tuple(group))
    return tuple(groups), count


def preflib_data_type(ballots: Ballots) -> str:
    """soc, soi, toc or toi: the narrowest PrefLib type that describes the ballots."""
    ranks = ballots.ranks
    m = len(ballots.candidates)
    complete = bool((ranks < m).all()) if ranks.size else True
    strict = True
    for ranking, _ in ballots.rankings():
        if any(len(group) > 1 for group in ranking):
            strict = False
            break
    if ranks.shape[0] and bool((ranks >= m).all(axis=1).any()):
        complete = False
    return ("s" if strict else "t") + "o" + ("c" if complete else "i")


def dumps_preflib(ballots: Ballots, title: str = "", file_name: str = "") -> str:
    """PrefLib text of a profile; orders listed by decreasing count, as PrefLib does."""
    data_type = preflib_data_type(ballots)
    index = {name: i for i, name in enumerate(ballots.candidates, 1)}
    rankings = ballots.rankings()
    lines = [
        f"# FILE NAME: {file_name or 'bulletins.' + data_type}",
        f"# TITLE: {_one_line(title)}",
        "# DESCRIPTION: ",
        f"# DATA TYPE: {data_type}",
        "# MODIFICATION TYPE: original",
        "# RELATES TO: ",
        "# RELATED FILES: ",
        "# PUBLICATION DATE: ",
        "# MODIFICATION DATE: ",
        f"# NUMBER ALTERNATIVES: {len(ballots.candidates)}",
        f"# NUMBER VOTERS: {ballots.voters}",
        f"# NUMBER UNIQUE ORDERS: {len(rankings)}",
    ]
    lines += [f"# ALTERNATIVE NAME {i}: {name}" for name, i in index.items()]
    for ranking, count in sorted(rankings, key=lambda item: -item[1]):
        parts = []
        for group in ranking:
            numbers = sorted(index[name] for name in group)
            parts.append(
                str(numbers[0]) if len(numbers) == 1 else "{" + ",".join(map(str, numbers)) + "}"
            )
        lines.append(f"{count}: {','.join(parts) or '{}'}")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------- BLT


def _read_blt(text: str) -> BallotFile:
    lines = text.splitlines()
    number = 0

    def next_line() -> tuple[int, str] | None:
        nonlocal number
        while number < len(lines):
            number += 1
            stripped = lines[number - 1].split("#", 1)[0].strip()
            if stripped:
                return number, stripped
        return None

    first = next_line()
    if first is None:
        raise BallotFileError("fichier vide")
    where, line = first
    fields = line.split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields) or int(fields[0]) == 0:
        raise BallotFileError("la première ligne doit être « candidats sièges »", where)
    m, seats = int(fields[0]), int(fields[1])

    withdrawn: set[int] = set()
    ballots: list[tuple[tuple[tuple[int, ...], ...], int, int]] = []
    while True:
        item = next_line()
        if item is None:
            raise BallotFileError("ligne « 0 » de fin des bulletins manquante")
        where, line = item
        tokens = line.split()
        if tokens == ["0"]:
            break
        if not ballots and all(t.startswith("-") for t in tokens):
            for token in tokens:
                if not token[1:].isdigit() or not 1 <= int(token[1:]) <= m:
                    raise BallotFileError(f"candidat retiré inconnu « {token} »", where)
                withdrawn.add(int(token[1:]))
            continue
        if tokens[0].startswith("("):  # an optional ballot identifier, "(id) weight …"
            tokens = tokens[1:]
        if not tokens or not tokens[0].isdigit() or int(tokens[0]) == 0:
            raise BallotFileError(
                f"poids de bulletin invalide « {tokens[0] if tokens else ''} »", where
            )
        if tokens[-1] != "0":
            raise BallotFileError("un bulletin doit finir par 0", where)
        groups = []
        for token in tokens[1:-1]:
            group = []
            for part in token.split("="):
                if not part.isdigit() or not 1 <= int(part) <= m:
                    raise BallotFileError(f"candidat inconnu « {part} »", where)
                if int(part) not in withdrawn:
                    group.append(int(part) - 1)
            if group:
                groups.append(tuple(group))
        ballots.append((tuple(groups), int(tokens[0]), where))

    strings = _blt_strings(lines, number)
    if len(strings) < m:
        raise BallotFileError(f"{m} noms de candidats attendus, {len(strings)} trouvés")
    names = [name for name, _ in strings[:m]]
    title = strings[m][0] if len(strings) > m else ""
    if len(strings) > m + 1:
        raise BallotFileError("texte en trop après le titre", strings[m + 1][1])

    keep = [i for i in range(m) if i + 1 not in withdrawn]
    new_index = {old: new for new, old in enumerate(keep)}
    candidates = [names[i] for i in keep]
    if not candidates:
        raise BallotFileError("tous les candidats sont retirés")
    rows, counts = [], []
    for ranking, weight, where in ballots:
        renumbered = tuple(tuple(new_index[i] for i in group) for group in ranking)
        _check_twice(renumbered, candidates, where)
        rows.append(_row(renumbered, len(candidates)))
        counts.append(weight)
    profile = _from_rows(candidates, rows, counts, strings[0][1])
    return BallotFile(ballots=profile, format="blt", title=title, seats=seats)


def _blt_strings(lines: list[str], after: int) -> list[tuple[str, int]]:
    """The quoted strings after the ballots, with their line numbers."""
    found: list[tuple[str, int]] = []
    for number in range(after + 1, len(lines) + 1):
        line = lines[number - 1]
        i = 0
        while i < len(line):
            char = line[i]
            if char.isspace():
                i += 1
                continue
            if char == "#":
                break
            if char != '"':
                raise BallotFileError("un nom doit être entre guillemets", number)
            value = []
            i += 1
            while True:
                if i >= len(line):
                    raise BallotFileError("guillemet non fermé", number)
                if line[i] == "\\" and i + 1 < len(line):
                    value.append(line[i + 1])
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    value.append(line[i])
                    i += 1
            found.append(("".join(value), number))
    return found


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dumps_blt(ballots: Ballots, title: str = "", seats: int = 1) -> str:
    """BLT text of a profile (ties written with "=", one line per distinct ranking)."""
    index = {name: i for i, name in enumerate(ballots.candidates, 1)}
    lines = [f"{len(ballots.candidates)} {seats}"]
    for ranking, count in ballots.rankings():
        groups = ["=".join(str(n) for n in sorted(index[x] for x in g)) for g in ranking]
        lines.append(" ".join([str(count), *groups, "0"]))
    lines.append("0")
    lines += [_quote(name) for name in ballots.candidates]
    lines.append(_quote(_one_line(title)))
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------- CSV


def _read_csv(text: str) -> BallotFile:
    """The vectorised reader when the file is regular, else the line reader."""
    return _fast_csv(text) or _read_csv_by_line(text)


_CSV_START = "receipt,ranking\n"
_CSV_START_CHANNELS = "receipt,channel,ranking\n"
_CSV_LIST = "\n\ncandidate\n"
_NOT_SEPARATORS = bytes(set(range(256)) - set(b",\n"))
_CHANNEL_OF_BYTES = {word.encode("ascii"): channel for word, channel in _CHANNEL_OF_WORD.items()}


def _fast_csv(text: str) -> BallotFile | None:
    """The project's CSV as it writes it, through `fastread`; None for anything else.

    The shape: ``receipt,channel,ranking`` (or the older ``receipt,ranking``), one
    ``receipt,papier,A > B > C`` row per ballot (a channel word exactly as written;
    strict rankings, no quotes, no blanks around names), an empty line, ``candidate``
    and one name per line. Every name becomes ``\\x01<number>\\x02`` by a few `bytes.replace`
    over all cells at once (longest names first); once each cell is checked to be only
    such stand-ins between separators, the cells are PrefLib order lines that
    `fastread.preflib_rows` reads. Identical rankings are then collapsed in order of
    first appearance, as the line reader does. Ties (``=``), blank ballots, unknown or
    doubled names… all go to the line reader, for its messages and line numbers.
    """
    if text.startswith(_CSV_START_CHANNELS):
        start, columns = _CSV_START_CHANNELS, 3
    elif text.startswith(_CSV_START):
        start, columns = _CSV_START, 2
    else:
        return None
    split = text.find(_CSV_LIST)
    if split < 0:
        return None
    body = text[len(start) : split + 1]
    names = text[split + len(_CSV_LIST) :].split("\n")
    if names[-1] == "":
        names.pop()
    m = len(names)
    if (
        m == 0
        or not body
        or any(
            not name
            or name != name.strip()
            or name.isdigit()
            or any(c in name for c in ',"\r\x01\x02')
            or " > " in name
            or " = " in name
            for name in names
        )
        or any(c in body for c in '"\r\x01\x02')
        or " = " in body
    ):
        return None
    raw = body.encode("utf-8")
    lines = raw.count(b"\n")
    # Exactly one comma per column break: the separators alone read ",\n" (",,\n" with
    # the channel column) once per row.
    if raw.translate(None, _NOT_SEPARATORS) != (b"," * (columns - 1) + b"\n") * lines:
        return None
    parts = raw[:-1].replace(b",", b"\n").split(b"\n")
    receipts, cells = parts[0::columns], parts[columns - 1 :: columns]
    channels: tuple[Channel, ...] | None = None
    if columns == 3:
        words = parts[1::3]
        # Only the exact words; anything else (blanks, capitals…) goes to the line reader.
        if not set(words) <= _CHANNEL_OF_BYTES.keys():
            return None
        channels = tuple(map(_CHANNEL_OF_BYTES.__getitem__, words))
    ranking = b"\n" + b"\n".join(cells) + b"\n"
    for i in sorted(range(m), key=lambda i: -len(names[i].encode("utf-8"))):
        ranking = ranking.replace(names[i].encode("utf-8"), b"\x01%d\x02" % (i + 1))
    ranking = ranking.replace(b" > ", b",")
    # Each stand-in stands alone between separators, and nothing else remains.
    stand_ins = ranking.count(b"\x01")
    if (
        ranking.count(b",\x01") + ranking.count(b"\n\x01") != stand_ins
        or ranking.count(b"\x02,") + ranking.count(b"\x02\n") != stand_ins
        or ranking.count(b"\x02") != stand_ins
        or stand_ins != ranking.count(b",") + lines
    ):
        return None
    numbers = ranking[1:].translate(None, b"\x01\x02")
    order = b"1: " + numbers[:-1].replace(b"\n", b"\n1: ") + b"\n"
    parsed = fastread.preflib_rows(order, m)
    if parsed is None:
        return None
    ranks = parsed[0]
    keys = np.ascontiguousarray(ranks).view(np.dtype((np.void, ranks.shape[1] * ranks.itemsize)))
    _, first, counts = np.unique(keys.ravel(), return_index=True, return_counts=True)
    appearance = np.argsort(first, kind="stable")
    try:
        profile = Ballots(names, ranks[first[appearance]], counts[appearance])
    except BallotError:
        return None
    return BallotFile(
        ballots=profile,
        format="csv",
        receipts=tuple(map(str.strip, b"\n".join(receipts).decode("utf-8").split("\n"))),
        channels=channels,
    )


def _read_csv_by_line(text: str) -> BallotFile:
    """The reference reader: every rule, every message with its line number."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[str, str, int]] = []
    channels: list[Channel] | None = None  # a list once the header has the channel column
    declared: list[str] = []
    section = "start"
    columns = 2
    for row in reader:
        if (
            section == "ballots"
            and len(row) == columns
            and row[0].strip().lower() != _CSV_CANDIDATES
        ):
            rows.append((row[0].strip(), row[-1].strip(), reader.line_num))  # the usual row
            if channels is not None:
                channels.append(_csv_channel(row[1], reader.line_num))
            continue
        number = reader.line_num
        cells = [cell.strip() for cell in row]
        # An empty line separates the sections; a "," row in the ballots section is a
        # blank ballot without receipt, so only the candidate list skips empty cells.
        if not row or (section != "ballots" and not any(cells)):
            continue
        if section == "start":
            header = [c.lower() for c in cells]
            if header[:3] == _CSV_HEADER_CHANNELS:
                columns, channels = 3, []
            elif header[:2] != _CSV_HEADER:
                raise BallotFileError(
                    "la première ligne doit être « receipt,channel,ranking » "
                    "(ou « receipt,ranking »)",
                    number,
                )
            section = "ballots"
            continue
        if cells[0].lower() == _CSV_CANDIDATES and not any(cells[1:]):
            section = "candidates"
            continue
        if section == "candidates":
            if any(cells[1:]):
                raise BallotFileError(
                    "une seule colonne attendue dans la liste des candidats", number
                )
            declared.append(cells[0])
            continue
        if len(cells) > columns and any(cells[columns:]):
            if channels is None:
                raise BallotFileError("deux colonnes attendues : receipt, ranking", number)
            raise BallotFileError("trois colonnes attendues : receipt, channel, ranking", number)
        cells += [""] * (columns - len(cells))
        rows.append((cells[0], cells[columns - 1], number))
        if channels is not None:
            channels.append(_csv_channel(cells[1], number))
    if section == "start":
        raise BallotFileError("fichier vide")

    candidates = declared or _first_seen(rows)
    try:
        Ballots.from_counts(candidates, [])
    except BallotError as error:
        raise BallotFileError(str(error)) from error
    index = {name: i for i, name in enumerate(candidates)}
    m = len(candidates)
    # Identical ranking cells are parsed once: a large vote has few distinct rankings.
    distinct = Counter(cell for _, cell, _ in rows)
    matrix: list[list[int]] = []
    for cell in distinct:
        groups = []
        for group in _csv_groups(cell):
            members = []
            for name in group:
                i = index.get(name)
                if i is None:
                    reason = f"candidat inconnu « {name} »" if name else "nom de candidat vide"
                    raise BallotFileError(reason, _line_of(rows, cell))
                members.append(i)
            groups.append(members)
        _check_twice_lazy(groups, candidates, rows, cell)
        matrix.append(_row(groups, m))
    profile = _from_rows(candidates, matrix, list(distinct.values()))
    return BallotFile(
        ballots=profile,
        format="csv",
        receipts=tuple(receipt for receipt, _, _ in rows),
        channels=None if channels is None else tuple(channels),
    )


def _csv_channel(cell: str, line: int) -> Channel:
    """A channel word of the CSV (blanks and capitals do not matter)."""
    word = " ".join(cell.split()).lower()
    channel = _CHANNEL_OF_WORD.get(word)
    if channel is None:
        expected = "attendu : « en ligne », « bureau » ou « papier »"
        reason = f"canal inconnu « {cell.strip()} »" if word else "canal manquant"
        raise BallotFileError(f"{reason} ({expected})", line)
    return channel


def _line_of(rows: list[tuple[str, str, int]], cell: str) -> int:
    """The first line holding `cell`, looked up only when an error must name it."""
    return next(number for _, text, number in rows if text == cell)


def _csv_groups(cell: str) -> list[list[str]]:
    if not cell:
        return []
    return [[name.strip() for name in group.split(" = ")] for group in cell.split(" > ")]


def _first_seen(rows: list[tuple[str, str, int]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, cell, _ in rows:
        for group in _csv_groups(cell):
            for name in group:
                if name:
                    seen.setdefault(name, None)
    return list(seen)


def _csv_ranking(ranking: Sequence[Sequence[str]]) -> str:
    return " > ".join(" = ".join(group) for group in ranking)


def dumps_csv(
    ballots: Ballots,
    receipts: Iterable[tuple[str, NamedRanking]] | None = None,
    channels: Iterable[Channel] | None = None,
) -> str:
    """The project's CSV: one row per ballot, then the candidate list.

    With `receipts` ((receipt, ranking) pairs, one per voter) the rows carry them;
    otherwise each collapsed ranking is repeated `count` times with an empty receipt.
    With `channels` (one per receipt pair, in the same order) the file has the channel
    column; without, it has the older two-column shape.
    """
    for name in ballots.candidates:
        if " > " in name or " = " in name:
            raise ValueError(f"nom de candidat impossible à écrire en CSV : « {name} »")
    rows: list[tuple[str, ...]]
    if receipts is None:
        if channels is not None:
            raise ValueError("les canaux vont avec les codes de reçu")
        rows = [
            ("", _csv_ranking(ranking))
            for ranking, count in ballots.rankings()
            for _ in range(count)
        ]
    elif channels is None:
        rows = sorted((receipt, _csv_ranking(ranking)) for receipt, ranking in receipts)
    else:
        rows = sorted(
            (receipt, CSV_CHANNELS[Channel(channel)], _csv_ranking(ranking))
            for (receipt, ranking), channel in zip(receipts, channels, strict=True)
        )
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_HEADER if channels is None else _CSV_HEADER_CHANNELS)
    writer.writerows(rows)
    writer.writerow([])
    writer.writerow([_CSV_CANDIDATES])
    writer.writerows([name] for name in ballots.candidates)
    return out.getvalue()
