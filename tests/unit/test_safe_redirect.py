import pytest

from ideation.core.security import is_safe_path


@pytest.mark.parametrize("target", ["/", "/defis", "/compte?x=1", "/idees/3#commentaires"])
def test_same_site_paths_are_accepted(target):
    assert is_safe_path(target)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "https://evil.example/",
        "",
        None,
        "evil",
        "/\t/evil.example",
        "\\\\evil",
    ],
)
def test_other_targets_are_refused(target):
    assert not is_safe_path(target)
