import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirocco.match.phones import normalise_phone


@pytest.mark.parametrize(
    ("text", "region"),
    [("06 30 123 4567", "HU"), ("0036301234567", "HU"), ("+36 30 123 4567", "HU"),
     ("0036301234567", "AT"), ("+36301234567", None), ("+36 30 123 4567 (Viber)", "AT"),
     ("06-30/123-4567 mob.", "HU"), ("+36 (0) 30 123 4567", "DE")],
)  # fmt: skip
def test_national_and_international_formats_meet(text: str, region: str | None) -> None:
    assert normalise_phone(text, region) == "+36301234567"


def test_reporting_country_decides_national_numbers() -> None:
    assert normalise_phone("064 123 4567", "RS") == "+381641234567"


@pytest.mark.parametrize("text", ["call me", "12", "+999 1"])
def test_impossible_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(text, "HU")


@given(st.integers(min_value=201_000_000, max_value=709_999_999))
def test_every_written_form_of_a_number_meets_its_e164(national: int) -> None:
    import phonenumbers

    e164 = f"+36{national}"
    number = phonenumbers.parse(e164)
    if not phonenumbers.is_possible_number(number):
        return
    national_form = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    assert normalise_phone(national_form, "HU") == e164
    assert normalise_phone(international, "DE") == e164
    assert normalise_phone("00" + e164[1:], "RS") == e164
