from ideation.domain.text import clean_line, has_invisible_characters, normalise_text


def test_text_is_normalised_to_nfc():
    assert normalise_text("e\u0301te\u0301") == "été"


def test_direction_overrides_and_zero_width_are_detected_and_removed():
    name = "Ad\u202emin\u200b"
    assert has_invisible_characters(name)
    assert clean_line(name) == "Admin"


def test_control_characters_are_dropped_newlines_kept():
    assert normalise_text("a\x07b\r\nc") == "ab\nc"
