"""Operations and accounts: who takes part, and the tokens they sign in with."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select

from sirocco.store.tables import account, operation

OPERATIONAL_CENTRE = "OC"
ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    operation_id: int
    name: str
    role: str  # officer, analyst, admin
    agency: str | None

    @property
    def audience(self) -> str:
        """Whose events and alerts this account receives: its agency's, or the centre's."""
        return self.agency if self.role == "officer" and self.agency else OPERATIONAL_CENTRE

    @property
    def sees_everything(self) -> bool:
        """The operational centre and the administrator see every hit the handling codes allow."""
        return self.role in ("analyst", "admin")


def role_of(audience: str) -> str:
    """The role in which an audience reads what it is told."""
    return "analyst" if audience == OPERATIONAL_CENTRE else "officer"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_operation(engine: Engine, name: str, agencies: list[str]) -> dict[str, str]:
    """Create an operation with an officer per agency, an analyst (OC) and an admin.

    Returns the API tokens, which are stored only as hashes.
    """
    tokens: dict[str, str] = {}
    with engine.begin() as connection:
        operation_id = connection.execute(
            operation.insert().values(name=name, created_at=datetime.now(UTC))
        ).inserted_primary_key[0]  # type: ignore[index]
        people: list[tuple[str, str, str | None]] = [(code, "officer", code) for code in agencies]
        people += [(OPERATIONAL_CENTRE, "analyst", OPERATIONAL_CENTRE), (ADMIN, "admin", None)]
        for account_name, role, agency in people:
            token = secrets.token_urlsafe(32)
            tokens[account_name] = token
            connection.execute(
                account.insert().values(
                    operation_id=operation_id,
                    name=account_name,
                    role=role,
                    agency=agency,
                    token_hash=hash_token(token),
                )  # fmt: skip
            )
    return tokens


def authenticate(connection: Connection, token: str) -> Account | None:
    row = connection.execute(
        select(account).where(account.c.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    return Account(row.id, row.operation_id, row.name, row.role, row.agency)


class SignedIn:
    """The accounts of tokens recently presented, kept for ``seconds``: an account is never
    changed once created, so a request need not read it again (a token whose account is removed
    from the database stops working within that time). Unknown tokens are not kept."""

    def __init__(self, engine: Engine, seconds: float = 60.0, size: int = 10_000) -> None:
        self.engine = engine
        self.seconds = seconds
        self.size = size
        self._known: dict[str, tuple[float, Account]] = {}
        self._lock = threading.Lock()

    def account(self, token: str) -> Account | None:
        digest = hash_token(token)
        now = time.monotonic()
        with self._lock:
            found = self._known.get(digest)
        if found is not None and now - found[0] < self.seconds:
            return found[1]
        with self.engine.connect() as connection:
            signed_in = authenticate(connection, token)
        with self._lock:
            if signed_in is None:
                self._known.pop(digest, None)
            else:
                if len(self._known) >= self.size:
                    self._known.clear()
                self._known[digest] = (now, signed_in)
        return signed_in
