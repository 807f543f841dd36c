import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirocco.match.dates import BirthDate, DateLevel, compare_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-03-04", BirthDate(1990, 3, 4)),
        ("04.03.1990", BirthDate(1990, 3, 4)),
        ("19900304", BirthDate(1990, 3, 4)),
        ("1990", BirthDate(1990)),
        ("1990-03", BirthDate(1990, 3)),
        ("1990-00-00", BirthDate(1990)),
        ("1990-03-04T00:00:00", BirthDate(1990, 3, 4)),
        ("1990/03/04", BirthDate(1990, 3, 4)),
        ("04-03-1990", BirthDate(1990, 3, 4)),
        ("1990.03.04.", BirthDate(1990, 3, 4)),  # Hungarian
        ("1990. 03. 04.", BirthDate(1990, 3, 4)),
        ("04.03.1990.", BirthDate(1990, 3, 4)),  # Serbian, Croatian
        ("4. 3. 1990", BirthDate(1990, 3, 4)),
        ("04 03 1990", BirthDate(1990, 3, 4)),
        ("03.1990", BirthDate(1990, 3)),
        ("XX.XX.1990", BirthDate(1990)),  # day and month unknown
        ("??.03.1990", BirthDate(1990, 3)),
        ("00.00.1990", BirthDate(1990)),
        # The month in words or Roman numerals, in the region's languages and scripts.
        ("04 MAR 1990", BirthDate(1990, 3, 4)),  # a passport's data page
        ("04 MAR/MARS 1990", BirthDate(1990, 3, 4)),  # ... in two languages
        ("04-Mar-1990", BirthDate(1990, 3, 4)),
        ("4 March 1990", BirthDate(1990, 3, 4)),
        ("March 4, 1990", BirthDate(1990, 3, 4)),
        ("4. März 1990", BirthDate(1990, 3, 4)),
        ("4. ožujka 1990.", BirthDate(1990, 3, 4)),  # Croatian, inflected
        ("4 studenoga 1990", BirthDate(1990, 11, 4)),
        ("04 март 1990", BirthDate(1990, 3, 4)),  # Serbian, Macedonian, Bulgarian Cyrillic
        ("4 юни 1985", BirthDate(1985, 6, 4)),
        ("1990. március 4.", BirthDate(1990, 3, 4)),  # Hungarian: the year first
        # Words around the date: an estimate, the year's own word, a day's ordinal suffix.
        ("ca. 1990", BirthDate(1990)),
        ("um 1990", BirthDate(1990)),
        ("около 1990", BirthDate(1990)),
        ("1990?", BirthDate(1990)),
        ("04.03.1990 г.", BirthDate(1990, 3, 4)),  # Bulgarian, Macedonian
        ("4. 3. 1990. godine", BirthDate(1990, 3, 4)),  # Serbian, Croatian
        ("4th March 1990", BirthDate(1990, 3, 4)),
        ("4 martie 1990", BirthDate(1990, 3, 4)),  # Romanian
        ("4 Ağustos 1990", BirthDate(1990, 8, 4)),  # Turkish
        ("04.III.1990", BirthDate(1990, 3, 4)),
        ("4. XII. 1990", BirthDate(1990, 12, 4)),
        ("Dez. 1979", BirthDate(1979, 12)),
        # Two-digit years: never in the future.
        ("04.03.90", BirthDate(1990, 3, 4)),
        ("4.3.90.", BirthDate(1990, 3, 4)),
        ("05.06.07", BirthDate(2007, 6, 5)),
        ("900304", BirthDate(1990, 3, 4)),  # a passport's machine-readable zone: YYMMDD
        ("040390", BirthDate(1990, 3, 4)),  # DDMMYY: the day 90 cannot be, so it is this
        ("311299", BirthDate(1999, 12, 31)),
    ],
)
def test_parse(text: str, expected: BirthDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1915-13-11", "1990-02-30", "yesterday", "0000-01-01", "13.1990", "31.02.1990",
        "4 Ju 1990",  # June or July: not said
        "04 MAR/AVR 1990",  # the two languages disagree
        "4 Marko 1990",
        "31 FEB 1990",
        "010203",  # 1 February 2003 or 3 February 2001: not said
        "123456",
    ],
)  # fmt: skip
def test_invalid_dates_say_what_is_wrong(text: str) -> None:
    with pytest.raises(ValueError, match=text):
        parse_date(text)


def test_levels() -> None:
    day = BirthDate(1990, 3, 4)
    assert compare_dates(day, BirthDate(1990, 3, 4)) is DateLevel.EXACT
    assert compare_dates(day, BirthDate(1990, 4, 3)) is DateLevel.SWAPPED
    assert compare_dates(day, BirthDate(1990, 3, 5)) is DateLevel.NEAR
    assert compare_dates(day, BirthDate(1990, 3, 3)) is DateLevel.NEAR
    assert compare_dates(BirthDate(1990, 3, 31), BirthDate(1990, 4, 1)) is DateLevel.NEAR
    assert compare_dates(day, BirthDate(1980, 3, 4)) is DateLevel.TYPO  # a decade apart
    assert compare_dates(day, BirthDate(1990, 8, 4)) is DateLevel.TYPO
    assert compare_dates(day, BirthDate(1990)) is DateLevel.YEAR
    assert compare_dates(day, BirthDate(1989, 7, 12)) is DateLevel.DISAGREE
    assert compare_dates(day, BirthDate(1985, 7, 12)) is DateLevel.FAR
    assert compare_dates(day, None) is DateLevel.MISSING


def test_first_of_january_is_a_placeholder_compared_as_a_year() -> None:
    placeholder = BirthDate(1990, 1, 1)
    assert placeholder.placeholder and not placeholder.full
    assert compare_dates(placeholder, BirthDate(1990, 1, 1)) is DateLevel.YEAR
    assert compare_dates(placeholder, BirthDate(1990, 6, 20)) is DateLevel.YEAR
    assert compare_dates(placeholder, BirthDate(1991, 6, 20)) is DateLevel.DISAGREE
    assert compare_dates(placeholder, BirthDate(2003, 6, 20)) is DateLevel.FAR


@given(st.dates())
def test_iso_round_trip(value: object) -> None:
    iso = str(value)
    if 1850 <= int(iso[:4]) <= 2100:
        assert parse_date(iso).iso() == iso


@given(
    st.integers(0, 12000),
    st.one_of(st.none(), st.integers(0, 120)),
    st.one_of(st.none(), st.integers(0, 120)),
)
def test_iso_writes_four_digit_years_and_two_digit_months_and_days(
    year: int, month: int | None, day: int | None
) -> None:
    birth = BirthDate(year, month, day if month is not None else None)
    written = f"{year:04d}"
    if birth.month is not None:
        written += f"-{birth.month:02d}"
        if birth.day is not None:
            written += f"-{birth.day:02d}"
    assert birth.iso() == written
