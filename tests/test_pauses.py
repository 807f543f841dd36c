import gc

from sirocco.pauses import ShortPauses


def test_what_survives_is_frozen_now_and_then() -> None:
    pauses = ShortPauses(every=3)
    try:
        pauses.start()
        frozen = gc.get_freeze_count()
        kept = [[n] for n in range(1000)]  # long-lived objects made after the start
        pauses.wrote()
        pauses.wrote()
        assert gc.get_freeze_count() == frozen  # not yet due
        pauses.wrote()
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
