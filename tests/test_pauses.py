import gc

from sirocco.pauses import ShortPauses


def _walked(obj: object) -> bool:
    """Whether the collector's walks still see ``obj`` (frozen objects are out of them)."""
    return any(o is obj for o in gc.get_objects())


def test_what_survives_is_frozen_now_and_then() -> None:
    pauses = ShortPauses(every=3)
    try:
        pauses.start()
        kept = [[n] for n in range(10)]  # long-lived objects made after the start
        pauses.wrote()
        pauses.wrote()
        assert _walked(kept[0])  # not yet due
        pauses.wrote()
        assert not _walked(kept[0])
    finally:
        gc.unfreeze()
