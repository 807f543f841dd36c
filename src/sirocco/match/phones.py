"""Phone numbers to E.164, read in the reporting agency's national format."""

from __future__ import annotations

import phonenumbers


def normalise_phone(text: str, region: str | None) -> str:
    """E.164 form of a phone number; raise ValueError if it cannot be one.

    ``region`` is the ISO country of the reporting agency: ``06 30 123 4567`` from HU,
    ``0036301234567`` and ``+36 30 123 4567`` are one number.
    """
    raw = text.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number: {text!r} ({error})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a possible phone number: {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
