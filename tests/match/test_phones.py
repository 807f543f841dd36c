import pytest

from sirocco.match.phones import normalise_phone


@pytest.mark.parametrize(
    ("text", "region"),
    [("06 30 123 4567", "HU"), ("0036301234567", "HU"), ("+36 30 123 4567", "HU"),
     ("0036301234567", "AT"), ("+36301234567", None)],
)  # fmt: skip
def test_national_and_international_formats_meet(text: str, region: str | None) -> None:
    assert normalise_phone(text, region) == "+36301234567"


def test_reporting_country_decides_national_numbers() -> None:
    assert normalise_phone("064 123 4567", "RS") == "+381641234567"


@pytest.mark.parametrize("text", ["call me", "12", "+999 1"])
def test_impossible_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(text, "HU")
