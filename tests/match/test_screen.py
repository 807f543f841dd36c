from datetime import date, timedelta

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sirocco.match.compare import compare
from sirocco.match.dates import DateLevel, compare_dates
from sirocco.match.engine import Thresholds, name_bound
from sirocco.match.estimate import estimate_model
from sirocco.match.index import MemoryIndex
from sirocco.match.model import Model
from sirocco.match.profile import Kind
from sirocco.match.screen import SLACK, Screen
from sirocco.xmatch import match_range
from tests.match.test_engine import person, synth_index

LEAST = Thresholds().possible_weight


def written(day: date, precision: str) -> str:
    """A date as a record may give it: to the day, the month, the year, or as a placeholder."""
    return {
        "day": day.isoformat(),
        "month": day.isoformat()[:7],
        "year": str(day.year),
        "placeholder": f"{day.year}-01-01",
    }[precision]


@st.composite
def date_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two birth dates, often close: a day or two apart, a digit of the year or month off,
    day and month swapped, or the same."""
    first = draw(st.dates(date(1940, 1, 1), date(2012, 12, 31)))
    other = draw(
        st.one_of(
            st.dates(date(1940, 1, 1), date(2012, 12, 31)),
            st.integers(-3, 3).map(lambda n: first + timedelta(days=n)),
            st.sampled_from([-20, -10, -2, -1, 1, 2, 10, 20]).map(
                lambda n: first.replace(year=first.year + n, day=min(first.day, 28))
            ),
            st.just(first.replace(month=first.day, day=first.month) if first.day <= 12 else first),
        )
    )
    precisions = st.sampled_from(["day", "day", "month", "year", "placeholder"])
    return written(first, draw(precisions)), written(other, draw(precisions))


@settings(max_examples=300, deadline=None)
@given(date_pairs())
@example(("1990-03-31", "1990-04-01"))  # a day apart, over the month's end
@example(("1999-12-31", "2000-01-01"))
@example(("1990-03-19", "1990-03-20"))  # a day apart, two digits off
@example(("1990-03-04", "1990-04-03"))  # day and month swapped
@example(("1985-03-04", "1995-03-04"))  # a digit of the year
@example(("1990-03-04", "1992-03-05"))
@example(("1990-03", "1990-04-01"))
def test_the_screen_levels_birth_dates_as_the_comparison_does(pair: tuple[str, str]) -> None:
    left = person("at-1", "AT", name=["Ali Rahimi"], birthDate=[pair[0]])
    right = person("hu-1", "HU", name=["Ali Rahimi"], birthDate=[pair[1]])
    index = MemoryIndex()
    index.add(left)
    index.add(right)
    screen = Screen.of(index.profiles, Model.default(), index.frequencies, LEAST)
    (level,) = screen.date_levels(np.array([0]), np.array([1]))
    expected = compare_dates(left.birth_dates[0], right.birth_dates[0])
    assert list(DateLevel)[level] is expected


def test_records_without_a_date_or_with_several_are_marked() -> None:
    index = MemoryIndex()
    index.add(person("at-1", "AT", name=["Ali Rahimi"], birthDate=["1990-03-04"]))
    index.add(person("hu-1", "HU", name=["Ali Rahimi"]))
    index.add(person("de-1", "DE", name=["Ali Rahimi"], birthDate=["1990-03-04", "1991"]))
    screen = Screen.of(index.profiles, Model.default(), index.frequencies, LEAST)
    levels = screen.date_levels(np.array([0, 0, 1]), np.array([1, 2, 2]))
    assert levels.tolist() == [list(DateLevel).index(DateLevel.MISSING), -1, -1]
    assert np.isinf(screen.most(np.array([0]), np.array([2]))).all()  # judged as it is


def test_no_pair_weighs_more_than_the_screen_says() -> None:
    """For every candidate pair of people, and the default and an estimated model: the most
    the screen gives is at least what the comparison weighs with the lesser of the two
    records' own name bounds in place of the name, and the name never weighs more than that;
    the most it gives apart from the name is at least what the other features weigh."""
    index = synth_index(400, 0, seed=5)
    index.add(person("at-7", "AT", name=["Ahmad Rahimi"], phone=["+43 664 1234567"],
                     birthDate=["1990-02-03"], address=["Hauptstrasse 1, Wien"]))  # fmt: skip
    index.add(person("de-7", "DE", name=["Achmad Rahimi"], phone=["0043 664 1234567"],
                     birthDate=["1961-11-30"], address=["Hauptstraße 1 Wien"]))  # fmt: skip
    # Passports a typo apart (two digits swapped): another number that may still be theirs.
    index.add(person("hr-8", "HR", name=["Karim Nazari"], passportNumber=["P1234567"],
                     birthDate=["1980-05-06"]))  # fmt: skip
    index.add(person("si-8", "SI", name=["Karim Nazari"], passportNumber=["P1234576"],
                     birthDate=["2001-09-10"]))  # fmt: skip
    positions = range(len(index))
    for model in (Model.default(), estimate_model(index)):
        person_model = model.kinds[Kind.PERSON]
        screen = Screen.of(index.profiles, model, index.frequencies, LEAST)
        lefts, rights, weights, aparts = [], [], [], []
        for i in positions:
            profile = index.profiles[i]
            if profile.kind is not Kind.PERSON:
                continue
            bound = name_bound(model, profile, index.frequencies)
            for j in index.candidate_positions(profile):
                other = index.profiles[j]
                both = min(bound, name_bound(model, other, index.frequencies))
                full = compare(profile, other, index.frequencies, explain=False)
                name = next(o for o in full if o.feature == "name")
                assert person_model.bits(name) <= both + 1e-9
                apart = person_model.weight(o for o in full if o.feature != "name")
                lefts.append(i)
                rights.append(j)
                weights.append(apart + both)
                aparts.append(apart)
        most = screen.most(np.array(lefts), np.array(rights))
        assert len(weights) > 1000
        assert (most + SLACK >= np.array(weights)).all()
        most_apart = screen.most_apart_from_name(np.array(lefts), np.array(rights))
        assert (most_apart + SLACK >= np.array(aparts)).all()


def test_screened_matching_finds_the_same_hits_judging_a_fraction_of_the_pairs() -> None:
    index = synth_index(600, 100, seed=3)
    model = estimate_model(index)
    thresholds = Thresholds()
    screen = Screen.of(index.profiles, model, index.frequencies, thresholds.possible_weight)
    plain = match_range(index, model, thresholds, 0, len(index))
    screened = match_range(index, model, thresholds, 0, len(index), screen)
    assert screened == plain and len(plain) > 100
    lefts, rights = zip(
        *(
            (i, j)
            for i in range(len(index))
            for j in index.candidate_positions(index.profiles[i])
            if index.profiles[i].kind is index.profiles[j].kind is Kind.PERSON
        ),
        strict=True,
    )
    passed = screen.passes(np.array(lefts), np.array(rights))
    assert passed.sum() < len(passed) / 2  # the test would notice a screen that passes all


def test_the_screen_is_the_same_worked_out_by_one_process_or_by_workers() -> None:
    import dataclasses

    import sirocco.xmatch as xmatch

    index = synth_index(300, 50, seed=9)
    model = estimate_model(index)
    one = Screen.of(index.profiles, model, index.frequencies, LEAST)
    size, xmatch.RANGE = xmatch.RANGE, 64
    try:
        shared = Screen.of(index.profiles, model, index.frequencies, LEAST, xmatch.ranges_shared(2))
    finally:
        xmatch.RANGE = size
    assert len(index) > 4 * 64 and one.name_most.max() > 0 and one.dates.year_bits.any()
    for name in ("person", "gender", "nationalities", "phone_most", "phone", "document",
                 "name_most"):  # fmt: skip
        assert np.array_equal(getattr(one, name), getattr(shared, name), equal_nan=True), name
    for name in (f.name for f in dataclasses.fields(one.dates)):
        assert np.array_equal(getattr(one.dates, name), getattr(shared.dates, name)), name
    assert {k: v.tolist() for k, v in one.held.items()} == {
        k: v.tolist() for k, v in shared.held.items()
    }
