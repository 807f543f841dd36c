"""The operational picture: pages for the browser, and the API they draw on.

Server-rendered pages (Jinja2) with a little JavaScript for what must be live or drawn: the feed
(Server-Sent Events), the network and the map. Every asset is served from here (no CDN, no tile
server). A browser signs in with its account's token, kept in an HttpOnly cookie; the API's
access rules apply unchanged, through ``sirocco.picture``.
"""

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
from fastapi import Body, Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine, select

from sirocco.match.profile import Profile
from sirocco.picture import (
    Picture,
    identity_of,
    map_data,
    network,
    network_json,
    network_summary,
    operation_figures,
    picture,
    search,
)
from sirocco.store.audit import append, record
from sirocco.store.candidates import ProfileCache
from sirocco.store.database import serialised
from sirocco.store.operations import OPERATIONAL_CENTRE, Account, authenticate
from sirocco.store.outbox import notify
from sirocco.store.tables import hit, hit_review, operation
from sirocco.ui.report import report_pdf

HERE = Path(__file__).resolve().parent
VERDICTS = ("confirmed", "rejected")
templates = Jinja2Templates(directory=HERE / "templates")


def normalised(profile: Profile | None) -> dict[str, str]:
    """How the matcher reads a record: the values it compares, as text for the review page."""
    if profile is None:
        return {}
    shown = {
        "names": " ".join(p.latin for p in profile.names),
        "name sounds": " ".join(p.skeleton for p in profile.names),
        "father's names": " ".join(p.latin for p in profile.fathers),
        "birth dates": ", ".join(b.iso() for b in profile.birth_dates),
        "nationality": ", ".join(sorted(profile.nationalities)),
        "gender": profile.gender or "",
        "documents": ", ".join(sorted(profile.documents)),
        "phones": ", ".join(sorted(profile.phones)),
        "plates": ", ".join(p.folded for p in profile.plates),
        "country": ", ".join(sorted(profile.country)),
        "address": profile.address,
    }
    return {k: v for k, v in shown.items() if v}


def mount_picture(
    app: FastAPI, engine: Engine, current_account: Callable[..., Account], profiles: ProfileCache
) -> None:
    Caller = Annotated[Account, Depends(current_account)]
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def seen_by(account: Account) -> Picture:
        with engine.connect() as connection:
            return picture(connection, account)

    def page(request: Request, account: Account, name: str, **context: Any) -> HTMLResponse:
        with engine.connect() as connection:
            title = connection.execute(
                select(operation.c.name).where(operation.c.id == account.operation_id)
            ).scalar()
        return templates.TemplateResponse(
            request, name, {"account": account, "operation": title, **context}
        )

    # The API the pages draw on ---------------------------------------------------------------

    @app.post("/api/v1/hits/{hit_id}/review", summary="Confirm or reject a hit")
    def review_hit(
        account: Caller, hit_id: int, body: Annotated[dict[str, Any], Body()]
    ) -> dict[str, Any]:
        """`{"verdict": "confirmed"|"rejected", "note": ...}` by the operational centre or an
        owner of one of the two records who may see both. The latest verdict stands: a confirmed
        hit joins the two records into one identity (profiles, network); a rejected one never
        links them, whatever a sweep scores."""
        verdict, note = body.get("verdict"), body.get("note")
        if verdict not in VERDICTS:
            return JSONResponse({"error": {"record": f"hit {hit_id}", "field": "verdict",
                                           "message": "confirmed or rejected"}}, 422)  # type: ignore[return-value]  # fmt: skip
        with serialised(engine, account.operation_id) as connection:
            row = connection.execute(
                select(hit).where(hit.c.id == hit_id, hit.c.operation_id == account.operation_id)
            ).first()
            seen = picture(connection, account) if row is not None else Picture()
            if row is None or not {row.left_pk, row.right_pk} <= seen.records.keys():
                raise HTTPException(404, "no such hit visible to this account")
            owners = {seen.records[row.left_pk].agency, seen.records[row.right_pk].agency}
            if not account.sees_everything and account.agency not in owners:
                raise HTTPException(403, "the operational centre or an owner reviews a hit")
            now = datetime.now(UTC)
            connection.execute(hit_review.insert().values(
                operation_id=account.operation_id, hit_id=hit_id, verdict=verdict,
                reviewer=account.name, note=note if isinstance(note, str) else None, at=now))  # fmt: skip
            payload = {"hit": hit_id, "verdict": verdict, "by": account.name, "at": now.isoformat()}
            notify(connection, account.operation_id, sorted({*owners, OPERATIONAL_CENTRE}),
                   "review", payload, now)  # fmt: skip
            append(connection, account.operation_id, account.name, f"hit.{verdict}", str(hit_id))
        return payload

    @app.get("/api/v1/network", summary="The network of what the caller may see")
    def get_network(account: Caller) -> dict[str, Any]:
        record(engine, account.operation_id, account.name, "network.read", "")
        return network_json(network(seen_by(account)))

    @app.get("/api/v1/network.{fmt}", summary="The network as GraphML or GEXF")
    def export_network(account: Caller, fmt: str) -> Response:
        if fmt not in ("graphml", "gexf"):
            raise HTTPException(404, "graphml or gexf")
        graph = network(seen_by(account))
        record(engine, account.operation_id, account.name, f"network.{fmt}", "")
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buffer)
        return Response(buffer.getvalue(), media_type="application/xml", headers={
            "Content-Disposition": f'attachment; filename="sirocco-network.{fmt}"'})  # fmt: skip

    @app.get("/api/v1/map", summary="Incidents and pursuit routes the caller may see")
    def get_map(account: Caller) -> dict[str, Any]:
        record(engine, account.operation_id, account.name, "map.read", "")
        with engine.connect() as connection:
            return map_data(connection, account, picture(connection, account))

    @app.get("/api/v1/search", summary="Search everything visible: names, plates, phones")
    def get_search(
        account: Caller, q: Annotated[str, Query(min_length=1, max_length=200)]
    ) -> dict[str, Any]:
        with engine.connect() as connection:
            found = search(connection, account, picture(connection, account), q, cache=profiles)
        record(engine, account.operation_id, account.name, "search", q)
        return {"results": [{"agency": r.agency, "id": r.entity_id, "schema": r.schema,
                             "label": r.label, "score": round(s, 3)} for r, s in found]}  # fmt: skip

    # Pages ----------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/", 303)

    @app.get("/ui/login", include_in_schema=False)
    def login_page(request: Request, failed: bool = False) -> HTMLResponse:
        return templates.TemplateResponse(request, "login.html", {"failed": failed})

    @app.post("/ui/login", include_in_schema=False)
    def login(token: Annotated[str, Form()]) -> RedirectResponse:
        with engine.connect() as connection:
            account = authenticate(connection, token.strip())
        if account is None:
            return RedirectResponse("/ui/login?failed=1", 303)
        record(engine, account.operation_id, account.name, "signin", "browser")
        response = RedirectResponse("/ui/", 303)
        response.set_cookie("sirocco_token", token.strip(), httponly=True, samesite="strict")
        return response

    @app.post("/ui/logout", include_in_schema=False)
    def logout() -> RedirectResponse:
        response = RedirectResponse("/ui/login", 303)
        response.delete_cookie("sirocco_token")
        return response

    @app.exception_handler(401)
    async def to_login(request: Request, error: Exception) -> Response:
        if request.url.path.startswith("/ui/"):
            return RedirectResponse("/ui/login", 303)
        detail = getattr(error, "detail", "unauthorised")
        return JSONResponse({"detail": detail}, 401, {"WWW-Authenticate": "Bearer"})

    @app.get("/ui/", include_in_schema=False)
    def feed_page(request: Request, account: Caller) -> HTMLResponse:
        return page(request, account, "feed.html")

    @app.get("/ui/hits/{hit_id}", include_in_schema=False)
    def hit_page(request: Request, account: Caller, hit_id: int) -> HTMLResponse:
        seen = seen_by(account)
        found = next((h for h in seen.hits if h.id == hit_id), None)
        if found is None:
            raise HTTPException(404, "no such hit visible to this account")
        sides = [seen.records[found.left], seen.records[found.right]]
        record(engine, account.operation_id, account.name, "hit.read", str(hit_id))
        return page(request, account, "hit.html", hit=found, sides=[
            (side, normalised(side.profile())) for side in sides])  # fmt: skip

    @app.get("/ui/entities/{agency}/{entity_id}", include_in_schema=False)
    def entity_page(request: Request, account: Caller, agency: str, entity_id: str) -> HTMLResponse:
        seen = seen_by(account)
        wanted = next((r for r in seen.records.values()
                       if r.agency == agency and r.entity_id == entity_id), None)  # fmt: skip
        if wanted is None:
            raise HTTPException(404, "no such record visible to this account")
        members = identity_of(seen, wanted.pk)
        pks = {m.pk for m in members}
        links = [h for h in seen.hits if h.left in pks or h.right in pks]
        record(engine, account.operation_id, account.name, "profile.read", f"{agency}/{entity_id}")
        return page(request, account, "entity.html", wanted=wanted, members=members,
                    links=links, records=seen.records)  # fmt: skip

    @app.get("/ui/network", include_in_schema=False)
    def network_page(request: Request, account: Caller) -> HTMLResponse:
        return page(request, account, "network.html")

    @app.get("/ui/map", include_in_schema=False)
    def map_page(request: Request, account: Caller) -> HTMLResponse:
        return page(request, account, "map.html")

    @app.get("/ui/figures", include_in_schema=False)
    def figures_page(request: Request, account: Caller) -> HTMLResponse:
        return page(request, account, "figures.html", figures=day_figures(account))

    @app.get("/ui/report", include_in_schema=False)
    def report_page(request: Request, account: Caller) -> HTMLResponse:
        return page(request, account, "report.html", **final_report(account))

    @app.get("/ui/report.pdf", include_in_schema=False)
    def report_pdf_page(account: Caller) -> Response:
        with engine.connect() as connection:
            title = connection.execute(
                select(operation.c.name).where(operation.c.id == account.operation_id)
            ).scalar()
        content = report_pdf(str(title), account.name, **final_report(account))
        record(engine, account.operation_id, account.name, "report.pdf", "")
        return Response(content, media_type="application/pdf", headers={
            "Content-Disposition": 'attachment; filename="sirocco-final-report.pdf"'})  # fmt: skip

    @app.get("/ui/search", include_in_schema=False)
    def search_page(request: Request, account: Caller, q: str = "") -> HTMLResponse:
        results: list[Any] = []
        if q.strip():
            with engine.connect() as connection:
                results = search(
                    connection, account, picture(connection, account), q[:200], cache=profiles
                )
            record(engine, account.operation_id, account.name, "search", q[:200])
        return page(request, account, "search.html", q=q, results=results)

    def day_figures(account: Account) -> dict[str, Any]:
        with engine.connect() as connection:
            return operation_figures(connection, account.operation_id)

    def final_report(account: Account) -> dict[str, Any]:
        seen = seen_by(account)
        graph = network(seen)
        statuses: dict[str, int] = {}
        for found in seen.hits:
            statuses[found.status] = statuses.get(found.status, 0) + 1
        with engine.connect() as connection:
            places = map_data(connection, account, seen)
        return {"figures": day_figures(account), "hits": statuses,
                "records": len(seen.records), "groups": network_summary(graph)[:10],
                "routes": places["routes"], "incidents": places["incidents"],
                "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}  # fmt: skip
