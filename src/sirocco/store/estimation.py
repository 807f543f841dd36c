"""The live server's model, estimated from the operation's own records, as ``xmatch`` does.

Estimated once an operation holds enough records, and again each time its records double, so
that an action day's parameters follow its data without re-estimating on every report.
"""

import threading

from sqlalchemy import Engine, func, select

from sirocco.match.estimate import estimate_model
from sirocco.match.index import MemoryIndex
from sirocco.match.model import Model
from sirocco.store.candidates import profile_of_row
from sirocco.store.tables import entity

MIN_RECORDS = 200  # below this, the default parameters serve better


def estimate_operation(engine: Engine, operation_id: int) -> tuple[int, Model]:
    """The model for an operation's records, and how many records it was estimated from."""
    index = MemoryIndex()
    with engine.connect() as connection:
        for row in connection.execute(select(entity).where(entity.c.operation_id == operation_id)):
            profile = profile_of_row(row)
            if profile is not None:
                index.add(profile)
    return len(index), estimate_model(index)


class OperationModels:
    """One model per operation, re-estimated when the operation's records have doubled."""

    def __init__(self, engine: Engine, fixed: Model | None = None) -> None:
        self.engine = engine
        self.fixed = fixed
        self._models: dict[int, tuple[int, Model]] = {}
        self._lock = threading.Lock()

    def for_operation(self, operation_id: int) -> Model:
        if self.fixed is not None:
            return self.fixed
        with self.engine.connect() as connection:
            held = connection.execute(
                select(func.count())
                .select_from(entity)
                .where(entity.c.operation_id == operation_id)
            ).scalar_one()
        with self._lock:
            estimated, model = self._models.get(operation_id, (0, Model.default()))
            if held >= MIN_RECORDS and held >= 2 * max(estimated, MIN_RECORDS // 2):
                self._models[operation_id] = estimate_operation(self.engine, operation_id)
                estimated, model = self._models[operation_id]
        return model
