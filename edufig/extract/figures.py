"""Assembling a document's figures from prose and tables into spec records."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from edufig.core.catalog import load_metrics
from edufig.core.records import Figure, ParsedDocument
from edufig.extract.confidence import confidence
from edufig.extract.context import DocumentContext, document_context
from edufig.extract.periods import find_year_marks
from edufig.extract.prose import Draft, ProseReader
from edufig.extract.publisher_region import document_region, place_name_spans, sub_region
from edufig.extract.sentences import split_sentences
from edufig.extract.spans import Spans
from edufig.extract.tables import read_tables
from edufig.extract.textview import TextView, make_view
from edufig.extract.timeline import Timeline, When, find_sections

PLANNED_DOCUMENT = re.compile(r"民生实事")
HEADING_CHARS = 200


def _planned(doc: ParsedDocument, text: str) -> bool:
    """A list of planned projects (`民生实事` tables): every figure in it is a target."""
    return bool(PLANNED_DOCUMENT.search(f"{doc.title or ''} {text[:HEADING_CHARS]}"))


FLOW_METRICS = ("students_aided", "teachers_recruited", "teachers_rotated", "new_school_places")


def counted_when(metric: str, when: When) -> When:
    """A school year dates a stock (schools, pupils, teachers, rates) by its start, when the
    autumn statistics are taken; a flow (money, aid, hires) keeps the span it covers."""
    if not when.school_year or when.period_start is None:
        return when
    flow = metric in FLOW_METRICS or load_metrics()[metric].unit in ("yuan", "person_time")
    return when if flow else When(when.period_start, None, when.target)


def _figure(
    doc: ParsedDocument,
    view: TextView,
    draft: Draft,
    region: tuple[str | None, str | None],
    places: Spans,
) -> Figure:
    start = view.source_offset(draft.start)
    end = view.source_end(draft.end)
    evidence = draft.evidence or (draft.start, draft.end)
    first, last = view.source_offset(evidence[0]), view.source_end(evidence[1])
    when = counted_when(draft.metric, draft.when)
    named = [view.text[a:b] for a, b in places.within(draft.start, draft.quantity.start)]
    region = sub_region(region[1], named) or region
    return Figure(
        doc_id=doc.doc_id,
        metric=draft.metric,
        level=draft.level,
        year=when.year,
        period_start=when.period_start,
        kind="target" if when.target else "actual",
        value=round(draft.quantity.value, 6),
        unit=load_metrics()[draft.metric].unit,
        qualifier=draft.quantity.qualifier,
        yoy_change=draft.yoy_change,
        yoy_growth_pct=draft.yoy_growth_pct,
        region=region[0],
        region_code=region[1],
        text=doc.text[first:last].strip(),
        start=start,
        end=end,
        scope=draft.scope,
        confidence=confidence(draft.cues),
    )


@dataclass(frozen=True)
class Explained:
    """A document's context and each figure with the cues that decided its fields."""

    context: DocumentContext | None
    figures: list[tuple[Figure, dict[str, str]]]


def explain_figures(doc: ParsedDocument) -> Explained:
    """Figures with their cues (`edufig extract --explain`): what an analyst needs to see
    why a field came out as it did."""
    if not doc.text:
        return Explained(None, [])
    view = make_view(doc.text)
    context = document_context(doc, view.text)
    doc_year = context.now_year
    marks = find_year_marks(view.text, doc_year)
    plan_base = context.reference_year if context.basis == "plan_period" else None
    sections = find_sections(view.text, doc_year, plan_base)
    timeline = Timeline(view.text, marks, sections, doc_year, context.reference_year)
    tables, table_spans = read_tables(view.text, timeline)
    sentences = split_sentences(view.text)
    if table_spans:
        covered = Spans(table_spans)
        sentences = [s for s in sentences if s.start not in covered]
    places = Spans(place_name_spans(view.text))
    drafts = ProseReader(view.text, timeline, places).read(sentences) + tables
    drafts.sort(key=lambda d: (d.start, d.quantity.start))
    if _planned(doc, view.text):
        for draft in drafts:
            draft.when = replace(draft.when, target=True)
            draft.cues["kind"] = "a list of planned projects (民生实事)"
    region = document_region(doc) if drafts else (doc.region_name, doc.region_code)
    figures = [(_figure(doc, view, draft, region, places), draft.cues) for draft in drafts]
    return Explained(context, figures)


def extract_figures(doc: ParsedDocument) -> list[Figure]:
    """Every catalog figure in `doc.text`, in text order, with evidence offsets into it."""
    return [figure for figure, _ in explain_figures(doc).figures]
