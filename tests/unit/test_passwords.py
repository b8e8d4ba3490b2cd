import pytest

from ideation.domain.passwords import PasswordProblem, check_password, estimated_entropy

COMMON = frozenset({"azertyuiop", "motdepasse123", "123456789012", "password1234"})


def problems(pw, personal=()):
    return check_password(pw, common=COMMON, personal=personal)


def test_eleven_characters_are_refused():
    assert PasswordProblem.TOO_SHORT in problems("abcdefghijk")


def test_twelve_lowercase_letters_are_accepted():
    assert problems("kzqvwmrtplhx") == []


def test_no_composition_rule_a_long_passphrase_is_fine():
    assert problems("le chat de la voisine dort au soleil") == []


def test_common_password_is_refused_even_with_other_case():
    assert PasswordProblem.COMMON in problems("AzertyUIOP")


def test_common_password_with_digits_appended_is_refused():
    assert PasswordProblem.COMMON in problems("azertyuiop2026")


@pytest.mark.parametrize("pw", ["fatima.benali2026", "FatimaBenali!!!"])
def test_password_built_from_the_users_name_is_refused(pw):
    assert PasswordProblem.PERSONAL in problems(
        pw, personal=["Fatima Benali", "fatima@example.test"]
    )


def test_password_from_the_email_is_refused():
    assert PasswordProblem.PERSONAL in problems(
        "jean.dupont@exemple.fr", personal=["jean.dupont@exemple.fr"]
    )


def test_repeated_character_is_too_weak():
    assert PasswordProblem.WEAK in problems("aaaaaaaaaaaaaaaa")


def test_over_256_characters_is_refused_but_64_are_accepted():
    assert problems("x7" * 32 + "qz") == []
    assert PasswordProblem.TOO_LONG in problems("ab3" * 90)


def test_entropy_estimate_grows_with_alphabet():
    assert estimated_entropy("abcdefghijkl") < estimated_entropy("abcdEFGH12!?")


def test_shipped_list_has_at_least_ten_thousand_passwords(app):
    from ideation.auth.passwords import common_passwords

    passwords = common_passwords()
    assert len(passwords) >= 10_000
    assert "123456" in passwords and "azertyuiop" in passwords
