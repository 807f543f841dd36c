"""Person and organisation names: parts, phonetic skeletons, keys and comparison.

A name is compared as an unordered set of parts (family name first or last, father's name
present or not). Each part carries its folded Latin form and a script-independent phonetic
skeleton, built so that the spellings of one name across the region's habits meet:
Мухамед / Muhamed / MOHAMMED / Mehmet -> ``mhmt``; Khalid / Chalid / Халид / Halid -> ``hlt``;
Al-Khatib / Alkhatib / El Hatib -> ``htb``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import JaroWinkler

from sirocco.match.text import tokens

# Letter groups that different orthographies write for one sound, folded before the letters are
# classed. Order matters: longer groups first. Each comes with the letters any of its matches
# holds (or, anchored, begins or ends with): most words hold few of the groups, and a pattern is
# only run on a word that holds its letters (``sound`` and ``skeleton`` a fifth faster).
_GROUPS: tuple[tuple[re.Pattern[str], str, tuple[str, ...], str], ...] = tuple(
    (re.compile(pattern), replacement, needles, anchor)
    for pattern, replacement, needles, anchor in (
        (r"tsch|tch", "c", ("tch", "tsch"), ""),  # German/English č
        (r"dsch", "j", ("dsch",), ""),  # German dž
        # French and Cyrillic w: Ouazzani / Уаззани / Wazzani
        (r"^ou(?=[aei])|^u(?=a)", "w", ("ou", "u"), "^"),
        (r"(?<=[ie])ch$", "c", ("ch",), "$"),  # Slavic -ić written -ich
        (r"(?<=[aeiou])h$", "", ("h",), "$"),  # Arabic final -ah: Khadijah / Khadija
        (r"sch", "s", ("sch",), ""),
        # dž (Hungarian dzs, Albanian xh), đ, ѓ, Hungarian gy
        (r"dzs|dzh|dz|dj|gj|gy|xh", "j", ("dz", "dj", "gj", "gy", "xh"), ""),
        (r"kj", "c", ("kj",), ""),  # ќ
        (r"kh|ch", "h", ("kh", "ch"), ""),  # Khalid / Chalid / Halid; Achmadi / Ahmadi
        (r"gh", "g", ("gh",), ""),
        (r"ph", "f", ("ph",), ""),
        (r"th", "t", ("th",), ""),
        (r"sh|zh|sz|zs", "s", ("sh", "zh", "sz", "zs"), ""),
        (r"cs|cz|ts|tz", "c", ("cs", "cz", "ts", "tz"), ""),  # Hungarian cs, Polish cz, German tz
        (r"ck|qu|q", "k", ("ck", "q"), ""),
        (r"x", "ks", ("x",), ""),
        (r"w", "v", ("w",), ""),
        (r"ny", "n", ("ny",), ""),
    )
)


def may_hold(word: str, needles: tuple[str, ...], anchor: str) -> bool:
    """Whether a word holds one of a group's letters: where it begins (``^``), where it ends
    (``$``), or anywhere. A word that does not cannot match the group's pattern."""
    if anchor == "^":
        return word.startswith(needles)
    if anchor == "$":
        return word.endswith(needles)
    return any(needle in word for needle in needles)


def _folded_groups(token: str) -> str:
    word = token
    for pattern, replacement, needles, anchor in _GROUPS:
        if may_hold(word, needles, anchor):
            word = pattern.sub(replacement, word)
    return word


_DOUBLED = re.compile(r"(.)\1")


# Consonant classes: voiced and voiceless pairs fold together (Mehmet/Mehmed, Habib/Habip).
_CLASSES = str.maketrans(
    {"p": "b", "d": "t", "g": "k", "v": "f", "z": "s", "y": None, "a": None, "e": None,
     "i": None, "o": None, "u": None}
)  # fmt: skip
_VOWELS = frozenset("aeiouy")
# Separate words that carry no identity: Arabic articles and nasab connectors.
_ARTICLES = frozenset({"al", "el", "ul"})
_CONNECTORS = frozenset({"bin", "ibn", "bint", "binti"})
_ABD = re.compile(r"^abd(?:[aeiou]l?|[aeiou]?(?=[a-z]))")


@lru_cache(maxsize=100_000)
def sound(token: str) -> str:
    """A folded part with its letter groups folded and vowels kept: Dschamal -> jamal.

    Spelling similarity is measured on this form too, so that two transcriptions of one sound
    (German dsch, Serbian dž, English j) do not look far apart.
    """
    word = _folded_groups(token)
    if word[:1] == "y" or (word[:1] == "i" and word[1:2] in ("a", "e", "o", "u")):
        word = "j" + word[1:]
    return _DOUBLED.sub(r"\1", word)


def skeleton(token: str) -> str:
    """Script-independent phonetic skeleton of one folded name part.

    A leading vowel becomes ``a`` (Ibrahim / Ebrahim); other vowels and a non-initial y/j drop
    (Huseyin / Husein); letter groups and voicing pairs fold; doubled consonants collapse.
    """
    if not token:
        return ""
    word = _folded_groups(token)
    if word[0] in "jy" or (word[0] == "i" and word[1:2] in ("a", "e", "o", "u")):
        head = "j"  # Yusuf / Jusuf / Iusuf
    elif word[0] in _VOWELS:
        head = "a"
    else:
        head = ""
    body = word[1:] if head else word
    body = body.replace("j", "").translate(_CLASSES)
    out: list[str] = [head] if head else []
    for char in body:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True, slots=True, eq=False)
class NamePart:
    """One part of a name: its folded form, its skeleton, and spelling variants.

    The skeleton and the variants follow from the folded form, so two parts are equal when their
    folded forms are (and hash as fast as a string: names are dictionary keys on the hot path).
    """

    latin: str
    skeleton: str
    variants: tuple[tuple[str, str], ...] = ()  # (latin, skeleton) alternatives, e.g. no article

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NamePart):
            return NotImplemented
        return self.latin == other.latin

    def __hash__(self) -> int:
        return hash(self.latin)

    def forms(self) -> tuple[tuple[str, str], ...]:
        return ((self.latin, self.skeleton), *self.variants)


# Names whose spellings no letter rule sorts apart or together. Muhammad and Mahmud share a
# skeleton (m-h-m-d) and their spellings are as alike as Muhammad's own (Mohammed, Mahmud), so
# only knowing which name a spelling is of tells Muhammad Yilmaz from Mahmud Yilmaz, and that
# Mehmet is Muhammad. Turkish c and Albanian xh are the English j (Hatice is Khadija), and Ayşe
# is Aisha. A spelling listed here agrees with the spellings of its own name and with no other
# listed name.
_NAME_OF = {
    **dict.fromkeys(("muhammad", "muhammed", "mohammad", "mohammed", "mohamad", "mohamed",
                     "muhamad", "muhamed", "mouhamed", "mohamud", "muhamet",
                     "mohamet", "mukhammad", "mukhamed", "mehmet", "mehmed"), "muhammad"),
    **dict.fromkeys(("mahmud", "mahmoud", "mahmood", "mehmood", "mahmut", "machmud",
                     "mahmout", "makhmud"), "mahmud"),
    **dict.fromkeys(("uthman", "othman", "osman", "usman", "otman", "utman"), "uthman"),
    **dict.fromkeys(("jamal", "dzemal", "cemal", "xhemal", "djamal", "gamal"), "jamal"),
    **dict.fromkeys(("jamil", "dzemil", "cemil", "xhemil", "djamil", "gamil"), "jamil"),
    **dict.fromkeys(("jalal", "dzelal", "celal", "xhelal", "djalal"), "jalal"),
    **dict.fromkeys(("jafar", "dzafer", "cafer", "xhafer", "djafar", "jafer"), "jafar"),
    **dict.fromkeys(("khadija", "khadijah", "khadidja", "hadija", "hadidja", "hadidza",
                     "hadidzsa", "hadidscha", "chadidscha", "chadidja", "kadija", "kadidja",
                     "hatice", "hadice", "hatidza", "hatidze", "hatixhe"), "khadija"),
    **dict.fromkeys(("aisha", "aysha", "ayesha", "aischa", "aicha", "aisa", "ajsa", "ayse",
                     "aise", "aishe", "ajse", "ajshe", "aysa", "aesha"), "aisha"),
    **dict.fromkeys(("ayyub", "ayub", "ayoub", "ayoob", "ajub", "ajjub", "eyup", "eyyup",
                     "ejup", "ejub", "eyub"), "ayyub"),
}  # fmt: skip
SAME_NAME = 0.95  # two listed spellings of one name: as alike as equal skeletons
OTHER_NAME = 0.5  # two listed spellings of different names: never aligned


@lru_cache(maxsize=100_000)
def make_part(latin: str) -> NamePart:
    """The part of one folded word (shared: parts are immutable, and names repeat)."""
    variants: list[tuple[str, str]] = []
    if len(latin) >= 5 and latin[:2] in ("al", "el"):  # Alkhatib -> Khatib, Alali -> Ali
        stripped = latin[2:]
        variants.append((stripped, skeleton(stripped)))
    if len(latin) >= 5 and latin[:2] == "ch":  # English ch is č: Chaudhry / Čaudhri
        english = "c" + latin[2:]
        variants.append((english, skeleton(english)))
    return NamePart(latin, skeleton(latin), tuple(variants))


def _canonical_tokens(words: Sequence[str]) -> list[str]:
    """Drop articles and connectors, join 'Abd al-Rahman' forms into one canonical token."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in _CONNECTORS:
            i += 1
            continue
        if word in _ARTICLES or (
            len(word) == 2 and word[0] in "aeu" and following[:1] == word[1]
        ):  # al-, el-, and sun-letter articles: ar-Rashid, as-Sayed
            i += 1
            continue
        if word in ("abd", "abdul", "abdel", "abdal", "abdu", "abdoul") and following:
            if following in _ARTICLES and i + 2 < len(words):
                i += 1  # Abd al-Rahman
            word, i = "abd" + words[i + 1], i + 1  # Abdul Rahman -> Abdulrahman
        if word.startswith("abd") and len(word) > 5:
            word = "abd" + _ABD.sub("", word)  # Abdulrahman / Abdurrahman -> abdrahman
        out.append(word)
        i += 1
    return out


# The name line of a passport's machine-readable zone: document code, issuing state, then names.
_MRZ_LINE = re.compile(r"^P<[A-Z<]{3}(?=[A-Z]+<<)")


def name_parts(names: Iterable[str]) -> tuple[NamePart, ...]:
    """The distinct parts of one or more written names, in first-seen order."""
    seen: dict[str, NamePart] = {}
    for name in names:
        name = _MRZ_LINE.sub("", name.strip())
        for word in _canonical_tokens(tokens(name)):
            if word not in seen and not word.isdigit():
                seen[word] = make_part(word)
    return tuple(seen.values())


def part_similarity(a: NamePart, b: NamePart) -> float:
    """How alike two parts are, in [0, 1]: equal skeletons count as near-equal."""
    if a.latin == b.latin:
        return 1.0
    key = (a.latin, b.latin) if a.latin < b.latin else (b.latin, a.latin)  # alike either way
    found = _SIMILARITIES.get(key)
    if found is None:
        if len(_SIMILARITIES) > 1_000_000:
            _SIMILARITIES.clear()
        found = _SIMILARITIES[key] = _similarity(a, b)
    return found


PART_AGREES = 0.86  # parts at least this alike are aligned
SAME_SOUND = 0.95  # equal skeletons and similar spelling
SIMILAR_SPELLING = 0.8  # how alike in spelling parts of equal skeletons are to be SAME_SOUND


# A part's variants follow from its folded form, so the pair of folded forms is a sound key.
_SIMILARITIES: dict[tuple[str, str], float] = {}


def _as_listed(a: NamePart, b: NamePart) -> float | None:
    """How alike two parts are when both are listed spellings (``_NAME_OF``); else None."""
    name_a, name_b = _NAME_OF.get(a.latin), _NAME_OF.get(b.latin)
    if name_a is None or name_b is None:
        return None
    return SAME_NAME if name_a == name_b else OTHER_NAME


def _similarity(a: NamePart, b: NamePart) -> float:
    # ``alike_in_sound`` says whether this reaches SAME_SOUND without working it out: the two
    # weigh a pair of forms alike.
    listed = _as_listed(a, b)
    if listed is not None:
        return listed
    best = 0.0
    for latin_a, skel_a in a.forms():
        for latin_b, skel_b in b.forms():
            if latin_a == latin_b:
                return 1.0
            jaro = max(
                JaroWinkler.similarity(latin_a, latin_b),
                JaroWinkler.similarity(sound(latin_a), sound(latin_b)),
            )
            if skel_a == skel_b and (len(skel_a) >= 3 or jaro >= 0.75):
                # Alike in sound; alike in spelling too makes it near-equal, otherwise it is a
                # weaker agreement (Mahmud and Mohammad sound alike and are different names).
                jaro = max(jaro, SAME_SOUND if jaro >= SIMILAR_SPELLING else PART_AGREES + 0.02)
            best = max(best, jaro)
    return best


class NameLevel(StrEnum):
    """How two names agree, strongest first."""

    EXACT = "exact"  # the same parts, letter for letter
    FULL = "full"  # every part of the shorter name found in the other, by sound or spelling
    FULL_FUZZY = "full_fuzzy"  # as FULL, but some part only by a close spelling
    PARTIAL = "partial"  # at least two parts agree, some parts disagree
    ONE = "one"  # one part agrees (a shared family name, a shared given name)
    NONE = "none"  # no part agrees
    MISSING = "missing"


class NameComparison(NamedTuple):
    """A tuple, not a dataclass: made for every pair of names compared."""

    level: NameLevel
    pairs: tuple[tuple[NamePart, NamePart, float], ...]  # aligned parts with their similarity
    # One part agrees and each name has another that does not: a relative's name (Omar and
    # Tarik Karimi), or the same person's written beyond recognition.
    relative: bool = False


def _align(left: Sequence[NamePart], right: Sequence[NamePart]) -> list[tuple[int, int, float]]:
    scored = sorted(
        ((part_similarity(a, b), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
        reverse=True,
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for similarity, i, j in scored:
        if similarity < PART_AGREES:
            break
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j, similarity))
    return pairs


def _joined_matches(
    left: Sequence[NamePart], right: Sequence[NamePart], pairs: list[tuple[int, int, float]]
) -> int:
    """Count parts of one side that equal two unmatched parts of the other written as one."""
    if len(pairs) == min(len(left), len(right)):
        return 0  # the shorter side is all matched: it has no part left to join or to split
    found = 0
    for one, two, flip in ((left, right, False), (right, left, True)):
        used_one = {p[1] if flip else p[0] for p in pairs}
        used_two = {p[0] if flip else p[1] for p in pairs}
        free_two = [k for k in range(len(two)) if k not in used_two]
        for i, part in enumerate(one):
            if i in used_one or len(part.latin) < 6:
                continue
            for x in free_two:
                for y in free_two:
                    if x != y and _written_as_one(two[x], two[y], part):
                        found += 1
                        used_two.update((x, y))
                        free_two = [k for k in free_two if k not in (x, y)]
                        break
                else:
                    continue
                break
    return found


def _written_as_one(first: NamePart, second: NamePart, whole: NamePart) -> bool:
    """Whether two parts are one name written apart: Abu Bakr / Abubakar, Nour Eddine /
    Noureddine (letter for letter, or alike in sound and spelling once joined)."""
    joined = first.latin + second.latin
    return joined == whole.latin or alike_in_sound(make_part(joined), whole)


def alike_in_sound(a: NamePart, b: NamePart) -> bool:
    """Whether ``part_similarity(a, b) >= SAME_SOUND``, found sooner and not kept: asked of
    every two parts of a name joined, which are almost never alike (39 of 587,000 at 1M
    records) and mostly met once (kept, they would crowd out the pairs names repeat)."""
    listed = _as_listed(a, b)
    if listed is not None:
        return listed >= SAME_SOUND
    for latin_a, skel_a in a.forms():
        for latin_b, skel_b in b.forms():
            if latin_a == latin_b:
                return True
            # As ``_similarity`` weighs them: equal skeletons need only a similar spelling.
            least = SIMILAR_SPELLING if skel_a == skel_b else SAME_SOUND
            if JaroWinkler.similarity(latin_a, latin_b, score_cutoff=least) or (
                JaroWinkler.similarity(sound(latin_a), sound(latin_b), score_cutoff=least)
            ):
                return True
    return False


def compare_names(
    left: Sequence[NamePart],
    right: Sequence[NamePart],
    left_extra: Sequence[NamePart] = (),
    right_extra: Sequence[NamePart] = (),
) -> NameComparison:
    """Align two names part by part, order-free.

    ``left_extra``/``right_extra`` are parts that may be present or not (father's names): a part
    of one name that matches only the other's optional parts is neither counted nor held against.
    """
    if not left or not right:
        return NameComparison(NameLevel.MISSING, ())
    pairs = _align(left, right)
    matched = len(pairs) + _joined_matches(left, right, pairs)
    aligned = tuple((left[i], right[j], s) for i, j, s in pairs)
    shorter = min(
        len(left) - _explained(left, {i for i, _, _ in pairs}, right_extra),
        len(right) - _explained(right, {j for _, j, _ in pairs}, left_extra),
    )
    if matched == 0:
        return NameComparison(NameLevel.NONE, aligned)
    if matched >= 2 and matched >= shorter:
        if all(s == 1.0 for _, _, s in aligned) and len(left) == len(right) == matched:
            return NameComparison(NameLevel.EXACT, aligned)
        if all(s >= SAME_SOUND for _, _, s in aligned):
            return NameComparison(NameLevel.FULL, aligned)
        return NameComparison(NameLevel.FULL_FUZZY, aligned)
    if matched >= 2:
        return NameComparison(NameLevel.PARTIAL, aligned)
    return NameComparison(NameLevel.ONE, aligned, relative=shorter >= 2)


def _explained(parts: Sequence[NamePart], matched: set[int], optional: Sequence[NamePart]) -> int:
    """How many of the parts not matched are accounted for by the other side's optional parts."""
    if not optional or len(matched) == len(parts):
        return 0
    return sum(
        1
        for k, p in enumerate(parts)
        if k not in matched and any(part_similarity(p, q) >= 0.9 for q in optional)
    )
