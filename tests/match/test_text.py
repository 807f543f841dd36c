from hypothesis import given
from hypothesis import strategies as st

from sirocco.match.text import fold, tokens


def test_cyrillic_and_latin_spellings_meet() -> None:
    assert fold("Живко Ђорђевић") == fold("Živko Đorđević") == "zivko djordjevic"
    assert fold("Čolak") == fold("Чолак") == "colak"


def test_other_scripts_fold_to_ascii() -> None:
    assert fold("Hüseyin Yılmaz") == "huseyin yilmaz"
    assert fold("محمد").isascii()


def test_punctuation_and_mrz_fillers_separate_tokens() -> None:
    assert tokens("AHMADI<<MOHAMMED") == ["ahmadi", "mohammed"]
    assert tokens("Al-Khatib, Khalid") == ["al", "khatib", "khalid"]


@given(st.text())
def test_fold_is_ascii_lowercase_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(folded) == folded
