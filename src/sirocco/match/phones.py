"""Phone numbers to E.164, read in the reporting agency's national format."""

from __future__ import annotations

import re

import phonenumbers

# Words after the number (``(Viber)``, ``WhatsApp``, ``mob.``): read as letters of a vanity
# number, they would make it another, impossible one.
_WORDS_AFTER = re.compile(r"(?<=\d)[^\d]*[^\W\d_][^\d]*$")


def normalise_phone(text: str, region: str | None) -> str:
    """E.164 form of a phone number; raise ValueError if it cannot be one.

    ``region`` is the ISO country of the reporting agency: ``06 30 123 4567`` from HU,
    ``0036301234567`` and ``+36 30 123 4567`` are one number.
    """
    raw = _WORDS_AFTER.sub("", text.strip())
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+"):
        raw = raw.replace("(0)", "")  # +36 (0) 30 ...: a trunk prefix written out of habit
    try:
        number = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number: {text!r} ({error})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"not a possible phone number: {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
