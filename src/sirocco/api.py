"""The HTTP API (v1): reports in, hits out. OpenAPI at /openapi.json."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import orjson
from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.orm import aliased
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sirocco import __version__
from sirocco.access import Release, may_see
from sirocco.exchange import (
    ReportError,
    StoredEntity,
    granted_records,
    stored_entity,
    submit_report,
    view_of_hit,
)
from sirocco.fanout import PAGE, Fanout, read_outbox
from sirocco.lookouts import expiry, now_utc, subject_profile
from sirocco.match.model import Model
from sirocco.match.warmup import warm_up
from sirocco.pauses import ShortPauses
from sirocco.picture import operation_figures
from sirocco.store.audit import append, record
from sirocco.store.candidates import ProfileCache
from sirocco.store.checkpoints import Checkpointer
from sirocco.store.database import serialised
from sirocco.store.operations import OPERATIONAL_CENTRE, Account, SignedIn
from sirocco.store.outbox import notify
from sirocco.store.signal import CommitSignal
from sirocco.store.tables import alert_ack, data_request, entity, event, hit, lookout, report
from sirocco.sweep import OperationModels
from sirocco.ui.routes import mount_picture

SESSION_COOKIE = "sirocco_token"  # the browser's sign-in: the account's token, HttpOnly
MAX_BODY = 2 * 1024 * 1024  # bytes a request may carry
POLL_SECONDS = 0.5  # the outbox is read at each commit, and at least this often
HEARTBEAT_SECONDS = 15.0
_bearer = HTTPBearer(auto_error=False, description="The API token `sirocco init` wrote")


class BodyLimit:
    """Refuses a request body over ``MAX_BODY`` bytes (413), whether it states its length or
    comes in chunks. Plain ASGI, so a response (a stream's events) passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > MAX_BODY:
                await _too_large(scope, receive, send)
            else:  # the server holds the body to its stated length
                await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b""):
            await self.app(scope, receive, send)
            return
        body = bytearray()  # chunks: read (at most the limit) before the app sees any
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > MAX_BODY:
                await _too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        whole: list[Message] = [{"type": "http.request", "body": bytes(body), "more_body": False}]

        async def replay() -> Message:
            return whole.pop() if whole else await receive()

        await self.app(scope, replay, send)


class FastJSON(JSONResponse):
    """JSON through orjson: a report's answer (every hit with its explanation) is encoded in the
    thread that stored it, while the hits wait to be streamed."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    error = {"error": {"field": "(body)", "message": f"larger than {MAX_BODY} bytes"}}
    await JSONResponse(error, 413)(scope, receive, send)


def create_app(engine: Engine, model: Model | None = None, sweeps: bool = True) -> FastAPI:
    """The API on ``engine``. ``model`` fixes the matching model (otherwise each operation's is
    estimated by its sweeps); ``sweeps`` starts a sweep in the background as records double."""
    models = OperationModels(engine, model, background=sweeps)
    committed = CommitSignal()
    committed.attach(engine)
    fanout = Fanout(engine, committed, POLL_SECONDS)

    pauses = ShortPauses()
    checkpoints = Checkpointer(engine)  # SQLite: the log is moved by a thread, not by commits

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(warm_up)  # before the first report, not during it
        pauses.start()
        checkpoints.start()
        yield
        await fanout.close()
        await run_in_threadpool(checkpoints.stop)
        committed.close()
        await run_in_threadpool(models.close)

    app = FastAPI(title="Sirocco", version=__version__, lifespan=lifespan,
                  description="Real-time exchange and live cross-matching for joint operations.")  # fmt: skip
    app.add_middleware(BodyLimit)
    profiles = ProfileCache()
    signed_in = SignedIn(engine)

    def current_account(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Account:
        """The caller, by bearer token or by the browser's sign-in cookie."""
        token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
        if not token:
            raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
        account = signed_in.account(token)
        if account is None:
            raise HTTPException(401, "unknown token", {"WWW-Authenticate": "Bearer"})
        return account

    Caller = Annotated[Account, Depends(current_account)]

    @app.post("/api/v1/reports", summary="Submit a report (idempotent by its id)")
    def post_report(account: Caller, body: Annotated[dict[str, Any], Body()]) -> JSONResponse:
        """A report: `{"id": ..., "entities": [FollowTheMoney entities]}`. Every entity is
        cross-matched before the answer; the answer lists the hits. A retry with the same id
        returns the first answer and stores nothing twice."""
        try:
            answer = submit_report(
                engine, account, body, models.for_operation(account.operation_id), profiles
            )
        except ReportError as error:
            return JSONResponse({"error": error.to_dict()}, 422)
        except PermissionError as error:
            raise HTTPException(403, str(error)) from None
        return FastJSON(answer, 201, background=BackgroundTask(pauses.wrote))

    @app.get("/api/v1/reports/{client_id}", summary="A report the caller may see")
    def get_report(account: Caller, client_id: str, agency: str | None = None) -> dict[str, Any]:
        """`agency` names the reporting agency (default: the caller's own); a report the
        caller's distribution excludes answers 404, as an absent one does."""
        wanted = agency or account.agency
        with engine.connect() as connection:
            row = connection.execute(
                select(report).where(
                    report.c.operation_id == account.operation_id,
                    report.c.agency == wanted,
                    report.c.client_id == client_id,
                )  # fmt: skip
            ).first()
        record(engine, account.operation_id, account.name, "report.read", f"{wanted}/{client_id}")
        release = Release.from_dict(row.release or {}) if row is not None else None
        if row is None or not may_see(account.agency, account.role, row.agency, release):  # type: ignore[arg-type]
            raise HTTPException(404, "no such report")  # the same answer whether absent or withheld
        return {"id": row.client_id, "agency": row.agency, "received_at": row.received_at.isoformat(),
                "body": row.body, "answer": row.answer, "release": row.release}  # fmt: skip

    @app.get("/api/v1/entities/{entity_id}", summary="An entity the caller may see")
    def get_entity(account: Caller, entity_id: str, agency: str | None = None) -> dict[str, Any]:
        """The entity as reported (FollowTheMoney shape) with its release and category. `agency`
        names the reporting agency (default: the caller's own)."""
        owner = agency or account.agency
        with engine.connect() as connection:
            granted = granted_records(connection, account.operation_id, account.agency)
            row = connection.execute(
                select(entity, report.c.release, report.c.client_id)
                .join(report, report.c.id == entity.c.report_id)
                .where(entity.c.operation_id == account.operation_id, entity.c.agency == owner,
                       entity.c.entity_id == entity_id)
            ).first()  # fmt: skip
        record(engine, account.operation_id, account.name, "entity.read", f"{owner}/{entity_id}")
        release = Release.from_dict(row.release or {}) if row is not None else Release()
        if row is None or (
            row.id not in granted and not may_see(account.agency, account.role, row.agency, release)
        ):
            raise HTTPException(404, "no such entity")  # the same answer whether absent or withheld
        return {"id": row.entity_id, "schema": row.schema, "properties": row.properties,
                "datasets": [row.agency], "category": row.category, "report": row.client_id,
                "release": release.to_dict()}  # fmt: skip

    @app.get("/api/v1/hits", summary="Hits the caller may see, oldest first")
    def list_hits(
        account: Caller,
        after: Annotated[int, Query(ge=0, description="the `next` cursor of the last page")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        left, right = aliased(entity), aliased(entity)
        left_report, right_report = aliased(report), aliased(report)
        query = (
            select(
                hit,
                left.c.agency.label("la"),
                left.c.entity_id.label("le"),
                left.c.category.label("lc"),
                left_report.c.release.label("lr"),
                right.c.agency.label("ra"),
                right.c.entity_id.label("re"),
                right.c.category.label("rc"),
                right_report.c.release.label("rr"),
            )  # fmt: skip
            .join(left, left.c.id == hit.c.left_pk)
            .join(right, right.c.id == hit.c.right_pk)
            .join(left_report, left_report.c.id == left.c.report_id)
            .join(right_report, right_report.c.id == right.c.report_id)
            .where(and_(hit.c.operation_id == account.operation_id, hit.c.id > after))
            .order_by(hit.c.id)
            .limit(limit)
        )
        if not account.sees_everything:  # hits go to the owners of the two records
            query = query.where(
                or_(left.c.agency == account.agency, right.c.agency == account.agency)
            )
        with engine.connect() as connection:
            rows = connection.execute(query).all()
            granted = granted_records(connection, account.operation_id, account.agency)
        hits = [
            view_of_hit(
                account.agency,
                account.role,
                row.id,
                StoredEntity(row.left_pk, row.la, row.le, Release.from_dict(row.lr or {}), row.lc),
                StoredEntity(row.right_pk, row.ra, row.re, Release.from_dict(row.rr or {}), row.rc),
                row.score,
                row.decision,
                row.explanation,
                granted,
            )  # fmt: skip
            for row in rows
        ]
        record(engine, account.operation_id, account.name, "hits.read",
               f"after={after} ids={','.join(str(h['id']) for h in hits)}")  # fmt: skip
        return {"hits": hits, "next": rows[-1].id if len(rows) == limit else None}

    @app.get("/api/v1/model", summary="The matching model's parameters for this operation")
    def get_model(account: Caller) -> dict[str, Any]:
        """m, u and prior per kind and feature: the basis of every score's explanation."""
        return models.for_operation(account.operation_id).to_dict()

    @app.post("/api/v1/sweep", summary="Match the operation's records all at once, now")
    def post_sweep(account: Caller) -> dict[str, Any]:
        """Runs the sweep (operational centre or admin): every stored record matched against all
        the others with a model estimated from all of them, as `sirocco xmatch` would. Pairs live
        matching missed are recorded, changed decisions revised, and pairs no longer judged the
        same marked `withdrawn`; each change is streamed under the hit's id. Answers when done."""
        if not account.sees_everything:
            raise HTTPException(403, "only the operational centre or an admin starts a sweep")
        result = models.start(account.operation_id, account.name, fresh=True).result()
        return result.to_dict()

    @app.post("/api/v1/lookouts", summary="Issue a lookout (hot pursuit)", status_code=201)
    def post_lookout(account: Caller, body: Annotated[dict[str, Any], Body()]) -> JSONResponse:
        """`{"kind": "plate"|"phone"|"document", "value": ...}` or `{"kind": "person", "entity":
        {FtM Person}}`, with `"countries": [...]` to alert, `"hours"` to watch and a `"note"`.
        Any later report that matches raises an urgent alert to the issuer, those countries, the
        reporting agency and the operational centre."""
        issuer = account.audience
        kind = body.get("kind")
        try:
            subject = body.get("entity") if kind == "person" else body.get("value")
            subject_profile(str(kind), subject, issuer)
            expires = expiry(now_utc(), body.get("hours", 24))
        except ValueError as error:
            field, _, message = str(error).partition(": ")
            return JSONResponse(
                {"error": {"record": "(lookout)", "field": field, "message": message}}, 422
            )
        countries = body.get("countries", [])
        if not isinstance(countries, list) or not all(
            isinstance(c, str) and 2 <= len(c) <= 3 for c in countries
        ):
            return JSONResponse({"error": {"record": "(lookout)", "field": "countries",
                                           "message": "a list of country codes to alert"}}, 422)  # fmt: skip
        note = body.get("note")
        with serialised(engine, account.operation_id) as connection:
            lookout_pk = connection.execute(
                lookout.insert().values(
                    operation_id=account.operation_id,
                    agency=issuer,
                    kind=kind,
                    subject=subject,
                    countries=sorted({c.upper() for c in countries}),
                    note=note if isinstance(note, str) else None,
                    created_at=now_utc(),
                    expires_at=expires,
                )  # fmt: skip
            ).inserted_primary_key[0]  # type: ignore[index]
            append(connection, account.operation_id, account.name, "lookout.issue", str(lookout_pk))
        return JSONResponse({"id": lookout_pk, "expires": expires.isoformat()}, 201)

    @app.get("/api/v1/alerts", summary="Alerts for the caller, with who acknowledged them")
    def list_alerts(account: Caller) -> dict[str, Any]:
        audience = account.audience
        with engine.connect() as connection:
            rows = connection.execute(
                select(event.c.payload).where(event.c.operation_id == account.operation_id,
                                              event.c.audience == audience, event.c.type == "alert")
                .order_by(event.c.id)
            ).scalars().all()  # fmt: skip
            acks = connection.execute(select(alert_ack)).all()
        acknowledged: dict[int, list[str]] = {}
        for ack in acks:
            acknowledged.setdefault(ack.alert_id, []).append(ack.agency)
        record(engine, account.operation_id, account.name, "alerts.read", f"{len(rows)} alerts")
        return {"alerts": [{**payload, "acknowledged_by": sorted(acknowledged.get(payload["id"], []))}
                           for payload in rows]}  # fmt: skip

    @app.post("/api/v1/alerts/{alert_id}/ack", summary="Acknowledge an alert")
    def acknowledge(account: Caller, alert_id: int) -> dict[str, Any]:
        audience = account.audience
        with serialised(engine, account.operation_id) as connection:
            told = connection.execute(
                select(event.c.payload).where(event.c.operation_id == account.operation_id,
                                              event.c.audience == audience, event.c.type == "alert")
            ).scalars().all()  # fmt: skip
            if not any(payload["id"] == alert_id for payload in told):
                raise HTTPException(404, "no such alert for this account")
            done = connection.execute(
                select(alert_ack).where(
                    alert_ack.c.alert_id == alert_id, alert_ack.c.agency == audience
                )
            ).first()
            if done is None:
                at = now_utc()
                connection.execute(alert_ack.insert().values(alert_id=alert_id, agency=audience,
                                                             account=account.name, at=at))  # fmt: skip
                payload = {"alert": alert_id, "by": audience, "at": at.isoformat()}
                notify(connection, account.operation_id, [OPERATIONAL_CENTRE], "ack", payload, at)
            append(connection, account.operation_id, account.name, "alert.ack", str(alert_id))
        return {"alert": alert_id, "acknowledged_by": audience}

    @app.post("/api/v1/hits/{hit_id}/requests", summary="Ask the owner for a withheld record")
    def request_record(
        account: Caller, hit_id: int, body: Annotated[dict[str, Any] | None, Body()] = None
    ) -> JSONResponse:
        """For a hit on one of the caller's records whose other record is withheld: ask its owner.
        The owner grants or refuses; the decision is recorded."""
        reason = (body or {}).get("reason")
        with serialised(engine, account.operation_id) as connection:
            row = connection.execute(
                select(hit.c.left_pk, hit.c.right_pk).where(
                    hit.c.id == hit_id, hit.c.operation_id == account.operation_id
                )
            ).first()
            sides = [stored_entity(connection, pk) for pk in (row or ())]
            mine = [s for s in sides if s.agency == account.agency]
            theirs = [s for s in sides if s.agency != account.agency]
            if row is None or not mine or not theirs:
                raise HTTPException(404, "no such hit on this agency's records")
            wanted = theirs[0]
            if may_see(account.agency, account.role, wanted.agency, wanted.release):
                raise HTTPException(409, "the record is not withheld from this agency")
            now = now_utc()
            request_pk = connection.execute(
                data_request.insert().values(
                    operation_id=account.operation_id,
                    hit_id=hit_id,
                    entity_pk=wanted.pk,
                    requester=account.agency,
                    owner=wanted.agency,
                    status="pending",
                    reason=reason if isinstance(reason, str) else None,
                    created_at=now,
                )  # fmt: skip
            ).inserted_primary_key[0]  # type: ignore[index]
            payload = {"request": request_pk, "hit": hit_id, "requester": account.agency,
                       "owner": wanted.agency, "reason": reason}  # fmt: skip
            audiences = (wanted.agency, OPERATIONAL_CENTRE)
            notify(connection, account.operation_id, audiences, "request", payload, now)
            append(
                connection, account.operation_id, account.name, "request.create", str(request_pk)
            )
        return JSONResponse({"id": request_pk, "status": "pending"}, 201)

    @app.post("/api/v1/requests/{request_id}/decision", summary="Grant or refuse a request")
    def decide(
        account: Caller, request_id: int, body: Annotated[dict[str, Any], Body()]
    ) -> dict[str, Any]:
        grant = body.get("grant")
        if not isinstance(grant, bool):
            raise HTTPException(422, "grant: true or false")
        with serialised(engine, account.operation_id) as connection:
            row = connection.execute(
                select(data_request).where(data_request.c.id == request_id,
                                           data_request.c.operation_id == account.operation_id)
            ).first()  # fmt: skip
            if row is None or row.owner != account.agency:
                raise HTTPException(404, "no such request to this agency")
            if row.status != "pending":
                raise HTTPException(409, f"already {row.status}")
            status, now = ("granted" if grant else "refused"), now_utc()
            connection.execute(data_request.update().where(data_request.c.id == request_id)
                               .values(status=status, decided_at=now))  # fmt: skip
            payload = {"request": request_id, "hit": row.hit_id, "status": status,
                       "owner": row.owner}  # fmt: skip
            audiences = (row.requester, OPERATIONAL_CENTRE)
            notify(connection, account.operation_id, audiences, "decision", payload, now)
            append(
                connection, account.operation_id, account.name, f"request.{status}", str(request_id)
            )
        return {"id": request_id, "status": status}

    @app.get("/api/v1/stats", summary="The operation's figures, per agency and per hour")
    def stats(account: Caller) -> dict[str, Any]:
        """Incidents, people arrested and smuggled persons intercepted, from the reports."""
        with engine.connect() as connection:
            return operation_figures(connection, account.operation_id)

    mount_picture(app, engine, current_account, profiles)

    @app.get(
        "/api/v1/stream",
        summary="Live events (Server-Sent Events): hits, alerts",
        response_class=StreamingResponse,
    )
    async def stream(
        account: Caller,
        last_event_id: Annotated[str | None, Header()] = None,
        after: Annotated[int, Query(ge=0, description="replay events after this id")] = 0,
        idle: Annotated[
            float | None, Query(gt=0, description="close after this many idle seconds")
        ] = None,
    ) -> StreamingResponse:
        """Each event has an `id:`; reconnecting with `Last-Event-ID` replays what was missed.
        Events come from the database's outbox, so every server process delivers the same."""
        audience = account.audience
        record(engine, account.operation_id, account.name, "stream.open", f"after={after}")
        start = int(last_event_id) if last_event_id and last_event_id.isdigit() else after

        def sent(row: Any) -> bytes:
            # As the outbox stored it (on PostgreSQL a payload is handed over as it was written,
            # not read back: keys that are not strings are written as the database has them).
            data = orjson.dumps(row.payload, option=orjson.OPT_NON_STR_KEYS)
            return b"id: %d\nevent: %s\ndata: %s\n\n" % (row.id, row.type.encode(), data)

        async def events() -> AsyncIterator[bytes]:
            # Subscribe first, then replay from the database: what the replay does not reach,
            # the fan-out hands over (an event both bring is sent once, by its id).
            subscription = await fanout.subscribe(account.operation_id, audience)
            since, quiet, beat, replaying = start, 0.0, 0.0, True
            try:
                yield b"retry: 2000\n\n"
                while idle is None or quiet < idle:
                    if replaying:
                        rows = await run_in_threadpool(
                            read_outbox, engine, account.operation_id, since, audience
                        )
                        replaying = len(rows) == PAGE
                    else:
                        subscription.ready.clear()
                        rows = list(subscription.rows)
                        subscription.rows.clear()
                        if subscription.overflowed:  # fell behind: the database has it all
                            subscription.overflowed, replaying, rows = False, True, []
                    fresh = [row for row in rows if row.id > since]
                    if fresh:  # what came at once goes out in one write
                        since = fresh[-1].id
                        yield b"".join(sent(row) for row in fresh)
                        quiet = beat = 0.0
                    if replaying or fresh:
                        continue
                    waited = time.monotonic()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(subscription.ready.wait(), POLL_SECONDS)
                    waited = time.monotonic() - waited
                    quiet += waited
                    beat += waited
                    if beat >= HEARTBEAT_SECONDS:  # keeps proxies and poor connections open
                        beat = 0.0
                        yield b": heartbeat\n\n"
            finally:
                fanout.unsubscribe(subscription)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})  # fmt: skip

    return app
