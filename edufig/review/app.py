"""`edufig serve`: the review web application (FastAPI, server-rendered Jinja2, Chinese).

Reads the published snapshot and the pipeline's files; writes only the decisions store.
Every page needs the session a signed link opens; every POST must carry the session's
CSRF token; a reviewer sees and decides only flags of their province.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from edufig.alerts.flag_routing import Flag, uncovered
from edufig.alerts.render import KIND_ZH, http_url
from edufig.alerts.subscriptions import load_subscriptions
from edufig.core.config import Settings
from edufig.review import data, datadocs
from edufig.review.charts import Point, line_chart
from edufig.review.links import ALL_PROVINCES, LinkError, Reviewer, Signer, public_url
from edufig.review.store import DISMISS_REASONS, Decision, DecisionStore, decisions_path
from edufig.review.views import (
    ACTION_ZH,
    STATUS_FILTERS,
    check_title,
    computation,
    explanation,
    format_value,
    level_name,
    metric_name,
    summarize,
)
from scrapers.archive import Archive

HERE = Path(__file__).resolve().parent
COOKIE = "edufig_review"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self';"
    " script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ARCHIVE_TYPES = {"text/html", "text/plain", "application/pdf"}
ARCHIVE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class Forbidden(Exception):
    """The reviewer's scope does not cover what they asked for."""


class NotFound(Exception):
    """No such flag, document or region (in the latest snapshot)."""


class ReviewApp:
    """The application's state: settings, signer, decisions store, templates."""

    def __init__(self, settings: Settings, signer: Signer) -> None:
        self.settings = settings
        self.signer = signer
        self.store = DecisionStore(decisions_path(settings))
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.templates.env.globals.update(
            metric_name=metric_name,
            level_name=level_name,
            kind_name=lambda kind: KIND_ZH.get(kind, kind),
            check_title=check_title,
            format_value=format_value,
        )

    def reviewer(self, request: Request) -> Reviewer:
        return self.signer.reviewer(request.cookies.get(COOKIE))

    def page(self, request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("reviewer", None)
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def visible_flags(self, reviewer: Reviewer) -> list[Flag]:
        return [f for f in data.current_flags(self.settings) if reviewer.may_see(f.province_code)]

    def flag(self, reviewer: Reviewer, flag_id: str) -> Flag:
        flag = next((f for f in data.current_flags(self.settings) if f.flag_id == flag_id), None)
        if flag is None:
            raise NotFound("此问题不在最新一次运行的结果中(可能已被处理或数据已更新)。")
        if not reviewer.may_see(flag.province_code):
            raise Forbidden("您的链接只能查看本省的问题。")
        return flag

    def document(self, reviewer: Reviewer, doc_id: str):
        """The parsed document, if the reviewer's province published it."""
        doc = data.load_document(self.settings, doc_id)
        if doc is None:
            raise NotFound("没有这份文档。")
        rows = data.query(
            self.settings, "SELECT province_code FROM marts.dim_document WHERE doc_id = ?", [doc_id]
        )
        if not reviewer.may_see(rows[0]["province_code"] if rows else None):
            raise Forbidden("您的链接只能查看本省的文档。")
        return doc

    def unassigned(self, flags: list[Flag]) -> list[Flag]:
        return uncovered(load_subscriptions(self.settings.subscriptions_file).recipients, flags)


def _evidence_items(flag: Flag) -> list[dict]:
    try:
        items = json.loads(flag.evidence_json or "[]")
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _located(doc, figures: list[data.DocumentFigure], item: dict) -> data.DocumentFigure | None:
    """The evidence's figure by id, else by finding its sentence in the text."""
    match = next((f for f in figures if f.figure_id == item.get("figure_id")), None)
    if match or not item.get("text"):
        return match
    start = doc.text.find(str(item["text"]))
    if start < 0:
        return None
    return data.DocumentFigure.sentence(start, start + len(str(item["text"])))


def evidence_views(settings: Settings, flag: Flag) -> list[dict]:
    views = []
    for n, item in enumerate(_evidence_items(flag)):
        doc = data.load_document(settings, str(item.get("doc_id") or ""))
        figures = data.document_figures(settings, doc) if doc else []
        figure = _located(doc, figures, item) if doc else None
        views.append(
            {
                "anchor": f"ev-{n}",
                "item": item,
                "url": http_url(str(item.get("url") or "")),
                "doc": doc,
                "figure": figure if figure and figure.ordinal >= 0 else None,
                "segments": data.highlight(doc.text, [figure]) if figure else None,
            }
        )
    return views


def _inbox_filters(request: Request) -> dict[str, str]:
    keys = ("severity", "region", "check", "status")
    return {k: request.query_params.get(k, "") for k in keys} | {
        "status": request.query_params.get("status", "open")
    }


def _matches(row, filters: dict[str, str]) -> bool:
    wanted = {
        "severity": row.flag.severity,
        "region": row.flag.region_code,
        "check": row.flag.check_name,
        "status": row.status,
    }
    return all(not filters[k] or filters[k] in ("all", v) for k, v in wanted.items())


def create_app(settings: Settings, signer: Signer) -> FastAPI:
    """The review application over `settings`' data; `signer` holds the link secret."""
    review = ReviewApp(settings, signer)
    app = FastAPI(title="EduFigures 审核", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _add_guards(app, review)
    _add_review_routes(app, review)
    _add_reading_routes(app, review)
    _add_data_docs_route(app, review)
    return app


def _add_guards(app: FastAPI, review: ReviewApp) -> None:
    """Security headers on every answer; refusals as Chinese error pages."""

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(LinkError)
    async def refused(request: Request, exc: LinkError) -> HTMLResponse:
        return review.page(request, "error.html", 403, title="无法访问", message=str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        return review.page(request, "error.html", 403, title="无权查看", message=str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> HTMLResponse:
        return review.page(request, "error.html", 404, title="未找到", message=str(exc))

    @app.exception_handler(data.NotPublished)
    async def not_published(request: Request, exc: data.NotPublished) -> HTMLResponse:
        return review.page(request, "error.html", 503, title="暂无数据", message=str(exc))


def _add_review_routes(app: FastAPI, review: ReviewApp) -> None:
    """Signed links, the inbox, the unassigned view, a flag and the decisions on it."""
    settings, signer = review.settings, review.signer

    @app.get("/r/{token}")
    def open_link(token: str) -> Response:
        reviewer, flag_id = signer.open_link(token)
        target = f"/flags/{flag_id}" if flag_id else "/inbox"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE,
            signer.session_cookie(reviewer),
            max_age=signer.max_age,
            httponly=True,
            samesite="lax",
            secure=public_url().startswith("https://"),
        )
        return response

    @app.get("/")
    def home() -> Response:
        return RedirectResponse("/inbox", status_code=303)

    @app.get("/inbox", response_class=HTMLResponse)
    def inbox(request: Request) -> HTMLResponse:
        reviewer = review.reviewer(request)
        flags = review.visible_flags(reviewer)
        latest = review.store.latest()
        seen = data.first_seen(settings)
        rows = [summarize(f, latest.get(f.flag_id), seen.get(f.flag_id)) for f in flags]
        filters = _inbox_filters(request)
        is_fallback = reviewer.province_code == ALL_PROVINCES
        decided = Counter(d.action for d in latest.values() if reviewer.may_see(d.province_code))
        return review.page(
            request,
            "inbox.html",
            reviewer=reviewer,
            rows=[r for r in rows if _matches(r, filters)],
            all_rows=rows,
            filters=filters,
            open_count=sum(1 for r in rows if r.status == "open"),
            decided=decided,
            regions=sorted({(r.flag.region_code, r.region) for r in rows}),
            checks=sorted({r.flag.check_name for r in rows}),
            statuses=STATUS_FILTERS,
            unassigned=len(review.unassigned(flags)) if is_fallback else None,
        )

    @app.get("/unassigned", response_class=HTMLResponse)
    def unassigned(request: Request) -> HTMLResponse:
        reviewer = review.reviewer(request)
        if reviewer.province_code != ALL_PROVINCES:
            raise Forbidden("“无人订阅”列表仅供兜底接收人查看。")
        latest = review.store.latest()
        seen = data.first_seen(settings)
        flags = review.unassigned(data.current_flags(settings))
        rows = [summarize(f, latest.get(f.flag_id), seen.get(f.flag_id)) for f in flags]
        return review.page(request, "unassigned.html", reviewer=reviewer, rows=rows)

    @app.get("/flags/{flag_id}", response_class=HTMLResponse)
    def flag_page(request: Request, flag_id: str, error: str = "") -> HTMLResponse:
        reviewer = review.reviewer(request)
        flag = review.flag(reviewer, flag_id)
        history = review.store.history(flag_id)
        return review.page(
            request,
            "flag.html",
            reviewer=reviewer,
            flag=flag,
            summary=summarize(flag, history[-1] if history else None, None),
            explanation=explanation(flag),
            computation=computation(flag),
            evidence=evidence_views(settings, flag),
            history=history,
            reasons=DISMISS_REASONS,
            actions=ACTION_ZH,
            saved=request.query_params.get("saved") == "1",
            error=error,
        )

    @app.post("/flags/{flag_id}/decision")
    async def decide(request: Request, flag_id: str) -> Response:
        reviewer = review.reviewer(request)
        form = await request.form()
        if not reviewer.csrf_ok(str(form.get("csrf_token") or "")):
            raise Forbidden("表单已失效(CSRF 校验失败),请刷新页面后重试。")
        flag = review.flag(reviewer, flag_id)
        try:
            review.store.record(decision_from_form(flag, reviewer, form))
        except ValueError as exc:
            query = urlencode({"error": str(exc)})
            return RedirectResponse(f"/flags/{flag_id}?{query}#decide", status_code=303)
        return RedirectResponse(f"/flags/{flag_id}?saved=1", status_code=303)


def _add_reading_routes(app: FastAPI, review: ReviewApp) -> None:
    """Documents, their archived copies, regions and Data Docs: read-only pages."""
    settings = review.settings

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        reviewer = review.reviewer(request)
        doc = review.document(reviewer, doc_id)
        figures = data.document_figures(settings, doc)
        return review.page(
            request,
            "document.html",
            reviewer=reviewer,
            doc=doc,
            url=http_url(doc.url),
            figures=figures,
            segments=data.highlight(doc.text, figures),
        )

    @app.get("/documents/{doc_id}/archive")
    def archived_copy(request: Request, doc_id: str) -> Response:
        doc = review.document(review.reviewer(request), doc_id)
        archive = Archive(settings.archive_dir)
        if not archive.has(doc.sha256):
            raise NotFound("归档副本不存在。")
        media = doc.content_type if doc.content_type in ARCHIVE_TYPES else "text/plain"
        if media.startswith("text/") and doc.encoding:
            media += f"; charset={doc.encoding}"
        return Response(archive.blob(doc.sha256), media_type=media, headers=ARCHIVE_HEADERS)

    @app.get("/regions/{region_code}", response_class=HTMLResponse)
    def region_page(request: Request, region_code: str) -> HTMLResponse:
        reviewer = review.reviewer(request)
        rows = data.query(
            settings,
            "SELECT * FROM marts.fct_best_value WHERE region_code = ? AND kind = 'actual'"
            " ORDER BY domain, metric, level, year",
            [region_code],
        )
        if not rows:
            raise NotFound("该地区暂无数据。")
        if not reviewer.may_see(rows[0]["province_code"]):
            raise Forbidden("您的链接只能查看本省的地区。")
        flags = [f for f in data.current_flags(settings) if f.region_code == region_code]
        return review.page(
            request,
            "region.html",
            reviewer=reviewer,
            region_name=rows[0]["region_name"],
            charts=region_charts(rows, flags),
            flags=flags,
        )


def _add_data_docs_route(app: FastAPI, review: ReviewApp) -> None:
    """Great Expectations Data Docs for engineers (links for every province), assets local."""
    settings = review.settings

    @app.get("/datadocs/{path:path}")
    def data_docs(request: Request, path: str) -> Response:
        if review.reviewer(request).province_code != ALL_PROVINCES:
            raise Forbidden("Data Docs 仅供数据工程师(全部省份的链接)查看。")
        target = datadocs.data_docs_file(settings.data_docs_dir, path)
        if target is None:
            raise NotFound("没有这个 Data Docs 页面。")
        if target.suffix != ".html":
            return FileResponse(target)
        page = datadocs.localize(target.read_text(encoding="utf-8"))
        return HTMLResponse(page, headers={"Content-Security-Policy": datadocs.DATA_DOCS_CSP})


def decision_from_form(flag: Flag, reviewer: Reviewer, form) -> Decision:
    """The decision a submitted form states, with the flag's key (ValueError if incomplete)."""
    action = str(form.get("action") or "")
    value_text = str(form.get("corrected_value") or "").strip()
    try:
        value = float(value_text) if value_text else None
    except ValueError as exc:
        raise ValueError(f"更正值必须是数字:{value_text[:40]}") from exc
    return Decision(
        flag_id=flag.flag_id,
        action=action,
        reviewer=reviewer.name,
        reason=str(form.get("reason") or "") or None if action == "dismiss" else None,
        note=str(form.get("note") or "")[:1000] or None,
        figure_id=str(form.get("figure_id") or "") or None,
        doc_id=None,
        corrected_value=value if action == "correct" else None,
        correction_source=str(form.get("correction_source") or "")[:500] or None,
        province_code=flag.province_code,
        region_code=flag.region_code,
        metric=flag.metric,
        level=flag.level,
        year=flag.year,
        kind=flag.kind,
        unit=(flag.values.get("unit") if isinstance(flag.values, dict) else None),
        flag_doc_ids=flag.doc_ids,
        values_json=flag.values_json,
    )


def region_charts(rows: list[dict], flags: list[Flag]) -> list:
    flagged = {(f.metric, f.level, f.year) for f in flags}
    series: dict[tuple[str, str, str], dict[int, Point]] = {}
    for row in rows:
        href = f"/documents/{row['doc_id']}#fig-{row['figure_id']}"
        point = Point(
            year=row["year"],
            value=row["value"],
            label=f"{row['year']}年:{format_value(row['value'], row['unit'])}",
            href=href,
            conflict=bool(row["has_conflict"]),
            flagged=(row["metric"], row["level"], row["year"]) in flagged,
            corrected=row.get("value_source") == "review",
        )
        series.setdefault((row["metric"], row["level"], row["unit"]), {}).setdefault(
            point.year, point
        )
    charts = [
        line_chart(
            f"{metric_name(metric)}({level_name(level)})",
            list(points.values()),
            lambda v, unit=unit: format_value(v, unit),
        )
        for (metric, level, unit), points in series.items()
    ]
    return sorted(charts, key=lambda chart: -len(chart.points))  # series over years first
