"""The database schema, as SQLAlchemy Core tables. Alembic migrations create and change it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()
# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets BIGINT.
Serial = BigInteger().with_variant(Integer(), "sqlite")

operation = Table(
    "operation",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

account = Table(
    "account",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("role", String(20), nullable=False),  # officer, analyst, admin
    Column("agency", String(20)),  # the agency an officer reports for
    Column("token_hash", String(64), nullable=False, unique=True),
    UniqueConstraint("operation_id", "name"),
)

report = Table(
    "report",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("agency", String(20), nullable=False),
    Column("client_id", String(200), nullable=False),  # the reporting agency's own id
    Column("account_id", ForeignKey("account.id"), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("body", JSON, nullable=False),  # as submitted
    Column("release", JSON),  # handling code, distribution, evaluation: travels with the data
    Column("answer", JSON, nullable=False),  # as acknowledged: a retry gets it back
    UniqueConstraint("operation_id", "agency", "client_id"),
)

entity = Table(
    "entity",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("report_id", ForeignKey("report.id"), nullable=False),
    Column("agency", String(20), nullable=False),
    Column("entity_id", String(200), nullable=False),  # the id the agency gave it
    Column("schema", String(50), nullable=False),
    Column("properties", JSON, nullable=False),
    Column("category", String(30)),  # data-subject category: suspect, smuggled_person, ...
    Column("profile", Text),  # its match profile, stored form (store/profiles.py); NULL: rebuilt
    UniqueConstraint("operation_id", "agency", "entity_id"),
    # A report's documents and addresses, for a profile rebuilt with them (migration 0009).
    Index("ix_entity_report", "report_id", "schema"),
)

match_key = Table(
    "match_key",
    metadata,
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("key", String(300), nullable=False),
    Column("entity_pk", ForeignKey("entity.id"), nullable=False),
    # Covering: a key's postings are read from the index alone (migration 0008).
    Index("ix_match_key_postings", "operation_id", "key", "entity_pk"),
)

value_count = Table(
    "value_count",
    metadata,
    Column("operation_id", ForeignKey("operation.id"), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("count", Integer, nullable=False),
)

hit = Table(
    "hit",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("left_pk", ForeignKey("entity.id"), nullable=False),  # the newer record
    Column("right_pk", ForeignKey("entity.id"), nullable=False),
    Column("score", Float, nullable=False),
    Column("decision", String(20), nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_hit_operation", "operation_id", "id"),
)

event = Table(  # the outbox: what each audience is told, in order; the SSE id is this id
    "event",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("audience", String(20), nullable=False),  # an agency code, or OC
    Column("type", String(20), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_event_audience", "operation_id", "audience", "id"),
)

audit = Table(  # append-only; each entry's hash covers its content and the previous hash
    "audit",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("account", String(100), nullable=False),
    Column("action", String(50), nullable=False),
    Column("target", String(500), nullable=False),
    Column("previous", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(  # the chain's last hash and length, updated with every entry
    "audit_head",
    metadata,
    Column("operation_id", ForeignKey("operation.id"), primary_key=True),
    Column("entries", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

lookout = Table(  # a standing watch: a later report that matches raises an urgent alert
    "lookout",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("agency", String(20), nullable=False),  # who issued it
    Column("kind", String(20), nullable=False),  # plate, phone, document, person
    Column("subject", JSON, nullable=False),  # the value, or a Person entity
    Column("countries", JSON, nullable=False),  # whom to alert
    Column("note", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

alert = Table(
    "alert",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("lookout_id", ForeignKey("lookout.id"), nullable=False),
    Column("entity_pk", ForeignKey("entity.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

alert_ack = Table(
    "alert_ack",
    metadata,
    Column("alert_id", ForeignKey("alert.id"), primary_key=True),
    Column("agency", String(20), primary_key=True),
    Column("account", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

data_request = Table(  # a party that learnt only "hit, ask X" asks X for the record
    "data_request",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("hit_id", ForeignKey("hit.id"), nullable=False),
    Column("entity_pk", ForeignKey("entity.id"), nullable=False),  # the withheld record
    Column("requester", String(20), nullable=False),
    Column("owner", String(20), nullable=False),
    Column("status", String(20), nullable=False),  # pending, granted, refused
    Column("reason", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
)

hit_review = Table(  # an analyst's or an owner's verdict on a hit: the latest one stands
    "hit_review",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operation.id"), nullable=False),
    Column("hit_id", ForeignKey("hit.id"), nullable=False),
    Column("verdict", String(20), nullable=False),  # confirmed, rejected
    Column("reviewer", String(100), nullable=False),  # the account's name
    Column("note", String(1000)),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_hit_review_hit", "hit_id", "id"),
)
