import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirocco.match.plates import (
    PlateLevel,
    compare_plates,
    fold_plate,
    normalise_plate,
    parse_plate,
)


def test_cyrillic_lookalikes_and_spacing() -> None:
    assert normalise_plate("ВG 1234 АВ") == normalise_plate("bg-1234-ab") == "BG1234AB"


@pytest.mark.parametrize(
    ("a", "b"), [("BG1234AB", "8G1234A8"), ("SO 520", "S0 52O"), ("ZI 11", "2111")]
)
def test_camera_misreads_fold_together(a: str, b: str) -> None:
    assert fold_plate(a) == fold_plate(b)


def test_levels() -> None:
    plate = parse_plate("BG 123-AB")
    assert compare_plates(plate, parse_plate("BG123AB")) is PlateLevel.EXACT
    assert compare_plates(plate, parse_plate("8G 123-A8")) is PlateLevel.FOLDED
    assert compare_plates(plate, parse_plate("SRB BG-123-AB")) is PlateLevel.FOLDED
    assert compare_plates(plate, parse_plate("BG 124-AB")) is PlateLevel.NEAR
    assert compare_plates(plate, parse_plate("NS 777-XY")) is PlateLevel.DISAGREE
    assert compare_plates(plate, None) is PlateLevel.MISSING


def test_country_sign_is_recognised_only_when_separated() -> None:
    assert parse_plate("H-ABC-123").sign_country == "hu"
    assert parse_plate("HABC123").sign_country is None


@pytest.mark.parametrize(
    ("written", "unmarked", "country"),
    [
        ("HU ABC-123", "ABC 123", "hu"),
        ("ABC-123 (HU)", "ABC123", "hu"),
        ("AT: W 12345 X", "W-12345X", "at"),
        ("DEU B-AB 1234", "B AB 1234", "de"),
    ],
)
def test_an_iso_code_written_as_a_sign_is_read_as_one(
    written: str, unmarked: str, country: str
) -> None:
    plate = parse_plate(written)
    assert plate.sign_country == country
    assert compare_plates(plate, parse_plate(unmarked)) is PlateLevel.FOLDED


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError, match="not a registration plate"):
        parse_plate("-")


def test_country_sign_in_parentheses_before_or_after() -> None:
    assert (
        parse_plate("(SRB) BG 123-AB").without_sign == parse_plate("BG 123-AB (SRB)").without_sign
    )
    assert parse_plate("BG 123-AB (SRB)").sign_country == "rs"


@pytest.mark.parametrize(
    ("written", "country"),
    [("SK 1234 AB NMK", "mk"), ("BG 123-AB SRB", "rs"), ("W 12345X AUT", "at")],
)
def test_a_sign_of_three_letters_after_the_plate(written: str, country: str) -> None:
    plate = parse_plate(written)
    assert plate.sign_country == country
    unmarked = written.rsplit(" ", 1)[0]
    assert compare_plates(plate, parse_plate(unmarked)) is PlateLevel.FOLDED


def test_two_letters_after_the_plate_are_the_plates_own() -> None:
    assert parse_plate("NS 1234 SK").sign_country is None
    assert parse_plate("B 123 ABC").sign_country is None  # a Romanian plate's three letters


plate_text = st.text(alphabet="ABCEHKMOPTXYZ0123456789АВЕКМНОРСТУХ -·", min_size=2, max_size=12)


@given(plate_text)
def test_normal_forms_are_idempotent_latin(text: str) -> None:
    written = normalise_plate(text)
    assert written == normalise_plate(written)
    assert written.isascii() and written == written.upper()
    assert fold_plate(fold_plate(text)) == fold_plate(text)


@given(plate_text, plate_text)
def test_comparison_is_symmetric(a: str, b: str) -> None:
    try:
        left, right = parse_plate(a), parse_plate(b)
    except ValueError:
        return
    assert compare_plates(left, right) is compare_plates(right, left)
    assert compare_plates(left, left) is PlateLevel.EXACT
