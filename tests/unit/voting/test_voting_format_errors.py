"""Every refusal of the ballot-file readers, reached by a malformed file.

A recount is only trusted if a bad file says exactly what is wrong and where: each case
below is the smallest file that reaches one message, and the whole message (line
number included) is compared, so a reader that drifts to another branch or loses the
line fails here.
"""

from __future__ import annotations

import numpy as np
import pytest

from ideation.domain.voting import BallotError, Ballots, from_counts
from ideation.domain.voting.formats import (
    BallotFileError,
    detect_format,
    dumps,
    loads,
    read_ballots,
    write_ballots,
)

# PrefLib header: the ballots start on line 5.
H = "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n"
# BLT tail: the "0" end line then the names.
T = '0\n"A"\n"B"\n'

PREFLIB = [
    ("header_after_ballots", H + "1: 1\n# TITLE: x\n", "ligne 6 : en-tête après les bulletins"),
    ("no_alternatives", "# TITLE: x\n1: 1\n", "en-tête « # NUMBER ALTERNATIVES » manquant"),
    (
        "zero_alternatives",
        "# NUMBER ALTERNATIVES: 0\n",
        "ligne 1 : nombre de candidats invalide « 0 »",
    ),
    ("name_out_of_range", H + "# ALTERNATIVE NAME 4: D\n", "ligne 5 : candidat 4 hors de 1 à 3"),
    (
        "missing_names",
        "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n",
        "nom manquant pour le candidat 2, 3",
    ),
    ("unknown_number_strict", H + "1: 1,9\n", "ligne 5 : candidat inconnu « 9 »"),
    ("unknown_number_in_group", H + "1: {1,9}\n", "ligne 5 : candidat inconnu « 9 »"),
    ("unknown_token", H + "1: 1,a\n", "ligne 5 : candidat inconnu « a »"),
    ("ranked_twice", H + "1: 1,{1,2}\n", "ligne 5 : candidat « A » classé deux fois"),
    ("no_colon", H + "1 2 3\n", "ligne 5 : ligne de bulletin sans « : »"),
    ("count_not_a_number", H + "x: 1\n", "ligne 5 : nombre de bulletins invalide « x »"),
    ("count_zero", H + "0: 1\n", "ligne 5 : nombre de bulletins invalide « 0 »"),
    ("open_brace", H + "1: {1,2\n", "ligne 5 : accolade « { » non fermée"),
    ("char_after_group", H + "1: {1,2}x\n", "ligne 5 : caractère inattendu « x »"),
    ("trailing_comma", H + "1: 1,\n", "ligne 5 : virgule en fin de ligne"),
    (
        "voters_mismatch",
        H + "# NUMBER VOTERS: 5\n2: 1\n",
        "ligne 5 : nombre de votants annoncé 5, mais le fichier en contient 2",
    ),
    (
        "orders_mismatch",
        H + "# NUMBER UNIQUE ORDERS: 3\n2: 1\n",
        "ligne 5 : nombre de classements distincts annoncé 3, mais le fichier en contient 1",
    ),
    (
        "voters_not_a_number",
        H + "# NUMBER VOTERS: cinq\n2: 1\n",
        "ligne 5 : nombre de votants invalide « cinq »",
    ),
    (
        "duplicate_names",
        "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: A\n1: 1\n",
        "candidat « A » déclaré deux fois",
    ),
    (
        "empty_name",
        "# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: \n1: 1\n",
        "nom de candidat invalide : «  »",
    ),
]

BLT = [
    ("empty", "# rien\n", "fichier vide"),
    ("bad_first_line", "2\n", "ligne 1 : la première ligne doit être « candidats sièges »"),
    ("zero_candidates", "0 1\n0\n", "ligne 1 : la première ligne doit être « candidats sièges »"),
    ("no_end_line", "2 1\n1 1 2 0\n", "ligne « 0 » de fin des bulletins manquante"),
    ("unknown_withdrawn", "2 1\n-3\n" + T, "ligne 2 : candidat retiré inconnu « -3 »"),
    ("bad_weight", "2 1\nx 1 0\n" + T, "ligne 2 : poids de bulletin invalide « x »"),
    ("zero_weight", "2 1\n0 1 0\n1 1 0\n" + T, "ligne 2 : poids de bulletin invalide « 0 »"),
    ("id_without_weight", "2 1\n(b1)\n" + T, "ligne 2 : poids de bulletin invalide «  »"),
    ("no_final_zero", "2 1\n1 1 2\n" + T, "ligne 2 : un bulletin doit finir par 0"),
    ("unknown_candidate", "2 1\n1 1 7 0\n" + T, "ligne 2 : candidat inconnu « 7 »"),
    ("unknown_in_tie", "2 1\n1 1=x 0\n" + T, "ligne 2 : candidat inconnu « x »"),
    ("ranked_twice", "2 1\n1 1 1 0\n" + T, "ligne 2 : candidat « A » classé deux fois"),
    ("too_few_names", '2 1\n1 1 0\n0\n"A"\n', "2 noms de candidats attendus, 1 trouvés"),
    (
        "text_after_title",
        '2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"en trop"\n',
        "ligne 7 : texte en trop après le titre",
    ),
    ("all_withdrawn", '1 1\n-1\n0\n"A"\n', "tous les candidats sont retirés"),
    ("unquoted_name", "2 1\n1 1 0\n0\nA\n", "ligne 4 : un nom doit être entre guillemets"),
    ("open_quote", '2 1\n1 1 0\n0\n"A\n', "ligne 4 : guillemet non fermé"),
    ("duplicate_names", '2 1\n1 1 0\n0\n"A"\n"A"\n', "ligne 4 : candidat « A » déclaré deux fois"),
]

CSV = [
    (
        "bad_header",
        "bulletin,classement\nR1,A\n",
        "ligne 1 : la première ligne doit être « receipt,channel,ranking » "
        "(ou « receipt,ranking »)",
    ),
    (
        "two_columns_in_candidates",
        "receipt,ranking\nR1,A\n\ncandidate\nA,B\n",
        "ligne 5 : une seule colonne attendue dans la liste des candidats",
    ),
    (
        "three_columns",
        "receipt,ranking\nR1,A,B\n",
        "ligne 2 : deux colonnes attendues : receipt, ranking",
    ),
    ("empty", "\n\n", "fichier vide"),
    ("no_candidate", "receipt,ranking\n", "aucun candidat"),
    (
        "duplicate_candidates",
        "receipt,ranking\nR1,A\n\ncandidate\nA\nA\n",
        "candidat « A » déclaré deux fois",
    ),
    (
        "unknown_candidate",
        "receipt,ranking\nR1,A > B\nR2,A > Z\n\ncandidate\nA\nB\n",
        "ligne 3 : candidat inconnu « Z »",
    ),
    (
        "empty_name",
        "receipt,ranking\nR1,A >  = B\n\ncandidate\nA\nB\n",
        "ligne 2 : nom de candidat vide",
    ),
    (
        "ranked_twice",
        "receipt,ranking\nR1,B\nR2,A > A\n\ncandidate\nA\nB\n",
        "ligne 3 : candidat « A » classé deux fois",
    ),
    # The shape with the channel column (issue 14).
    (
        "unknown_channel",
        "receipt,channel,ranking\nR1,papier,A\nR2,courrier,B\n\ncandidate\nA\nB\n",
        "ligne 3 : canal inconnu « courrier » (attendu : « en ligne », « bureau » ou « papier »)",
    ),
    (
        "missing_channel",
        "receipt,channel,ranking\nR1,en ligne,A\nR2\n\ncandidate\nA\nB\n",
        "ligne 3 : canal manquant (attendu : « en ligne », « bureau » ou « papier »)",
    ),
    (
        "four_columns",
        "receipt,channel,ranking\nR1,bureau,A,B\n",
        "ligne 2 : trois colonnes attendues : receipt, channel, ranking",
    ),
    (
        "unknown_candidate_with_channels",
        "receipt,channel,ranking\nR1,bureau,A\nR2,papier,A > Z\n\ncandidate\nA\nB\n",
        "ligne 3 : candidat inconnu « Z »",
    ),
]

CASES = (
    [pytest.param("preflib", text, msg, id=f"preflib-{name}") for name, text, msg in PREFLIB]
    + [pytest.param("blt", text, msg, id=f"blt-{name}") for name, text, msg in BLT]
    + [pytest.param("csv", text, msg, id=f"csv-{name}") for name, text, msg in CSV]
)


@pytest.mark.parametrize(("fmt", "text", "message"), CASES)
def test_a_malformed_file_names_the_line_and_the_reason(fmt, text, message):
    with pytest.raises(BallotFileError) as caught:
        loads(text, fmt)
    assert str(caught.value) == message


def test_every_reader_message_is_reached():
    """Each distinct reason above is a different branch of the readers (about 35)."""
    reasons = {msg.split(" : ", 1)[1] if msg.startswith("ligne") else msg for _, _, msg in CASES}
    assert len(reasons) >= 35


def test_an_unknown_format_is_refused():
    with pytest.raises(BallotFileError) as caught:
        detect_format(None, "bonjour\n")
    assert str(caught.value) == "format de fichier inconnu (attendu : PrefLib, BLT ou CSV)"
    with pytest.raises(ValueError, match="^format inconnu « xml »$"):
        loads("x", "xml")
    with pytest.raises(ValueError, match="^format inconnu « xml »$"):
        dumps(from_counts(["A"], [(("A",), 1)]), "xml")


def test_a_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "bulletins.csv"
    path.write_bytes("receipt,ranking\nR1,Café\n".encode("latin-1"))
    with pytest.raises(BallotFileError) as caught:
        read_ballots(path)
    assert str(caught.value) == "le fichier n'est pas en UTF-8" and caught.value.line is None


def test_writing_to_an_unknown_extension_is_refused(tmp_path):
    with pytest.raises(ValueError, match="^extension inconnue « .txt »$"):
        write_ballots(from_counts(["A"], [(("A",), 1)]), tmp_path / "bulletins.txt")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: from_counts([], []), "aucun candidat"),
        (lambda: from_counts(["A", 3], []), "nom de candidat invalide : 3"),
        (lambda: from_counts(["A "], []), "nom de candidat invalide : « A  »"),
        (lambda: from_counts(["A", "A"], []), "candidat « A » déclaré deux fois"),
        (lambda: from_counts(["A"], [(("A",), 0)]), "nombre de bulletins invalide : 0"),
        (lambda: from_counts(["A"], [(("A",), True)]), "nombre de bulletins invalide : True"),
        (lambda: from_counts(["A"], [("AB", 1)]), "classement invalide : 'AB'"),
        (lambda: from_counts(["A"], [(((),), 1)]), "groupe d'ex aequo vide dans un classement"),
        (lambda: from_counts(["A"], [(("Z",), 1)]), "candidat inconnu « Z »"),
        (lambda: from_counts(["A"], [((5,), 1)]), "candidat inconnu « 5 »"),
        (lambda: from_counts(["A"], [(((1.5,),), 1)]), "candidat inconnu « 1.5 »"),
        (lambda: from_counts(["A", "B"], [(("A", 0), 1)]), "candidat « A » classé deux fois"),
        (
            lambda: Ballots(["A", "B"], np.zeros((1, 3), dtype=int)),
            "la matrice des rangs doit avoir 2 colonnes",
        ),
        (
            lambda: Ballots(["A"], np.zeros((1, 1))),
            "la matrice des rangs doit contenir des entiers",
        ),
        (lambda: Ballots(["A"], np.array([[2]])), "un rang doit être compris entre 0 et 1"),
        (
            lambda: Ballots(["A"], np.array([[0]]), [1, 2]),
            "il faut un nombre de bulletins par classement",
        ),
        (
            lambda: Ballots(["A"], np.array([[0]]), [0]),
            "le nombre de bulletins doit être un entier positif",
        ),
        (
            lambda: Ballots([f"c{i}" for i in range(65535)], np.zeros((0, 65535), dtype=int)),
            "trop de candidats",
        ),
    ],
)
def test_a_profile_that_cannot_be_counted_says_why(build, message):
    with pytest.raises(BallotError) as caught:
        build()
    assert str(caught.value) == message
