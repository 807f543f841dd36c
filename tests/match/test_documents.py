import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirocco.match.documents import DocumentLevel, compare_documents, normalise_document


def test_normalise() -> None:
    assert normalise_document("n 012-3456") == "N0123456"


def test_refuses_what_cannot_identify() -> None:
    with pytest.raises(ValueError, match="document number"):
        normalise_document("AB")


def test_levels() -> None:
    number = frozenset({"N0123456"})
    assert compare_documents(number, frozenset({"NO123456"})) is DocumentLevel.EXACT
    assert compare_documents(number, frozenset({"N0123465"})) is DocumentLevel.NEAR
    assert compare_documents(number, frozenset({"P9999999"})) is DocumentLevel.DISAGREE
    assert compare_documents(number, frozenset()) is DocumentLevel.MISSING


@given(st.text(alphabet="ABCNOPSZ0123456789 -/", min_size=1, max_size=14))
def test_normal_form_is_idempotent(text: str) -> None:
    try:
        number = normalise_document(text)
    except ValueError:
        return
    assert normalise_document(number) == number
    assert compare_documents(frozenset({number}), frozenset({number})) is DocumentLevel.EXACT
