"""Landing tables with realistic rows, written with plain SQL that DuckDB and PostgreSQL both run.

The rows restate real figures of the seed reports (楚雄州 2021 funding, the 杏花岭区
"十四五" plan with its text-versus-table disagreement) plus a statistical bulletin that
agrees or disagrees with them, so the marts can be checked against known answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

LANDING_TABLES = {
    "documents": (
        "doc_id varchar primary key, sha256 varchar not null, source varchar, url varchar, "
        "fetched_at timestamp, http_status integer, content_type varchar, encoding varchar, "
        "title varchar, publisher varchar, published_date date, doc_number varchar, "
        "index_number varchar, doc_type varchar, region_name varchar, region_code varchar, "
        "province varchar, parse_status varchar, parse_error varchar, text_chars integer, "
        "figure_count integer, extractor_version varchar, loaded_at timestamp not null, "
        "reference_year integer, reference_year_basis varchar"
    ),
    "figures": (
        "figure_id varchar primary key, doc_id varchar not null, doc_sha256 varchar not null, "
        "ordinal integer not null, metric varchar not null, level varchar not null, "
        "year integer, period_start integer, kind varchar not null, "
        "value double precision not null, unit varchar not null, qualifier varchar, "
        "yoy_change double precision, yoy_growth_pct double precision, region varchar, "
        "region_code varchar, text varchar, start_offset integer, end_offset integer, "
        "loaded_at timestamp not null, scope varchar, confidence double precision"
    ),
    "fetches": (
        "url varchar not null, source varchar, fetched_at timestamp not null, status integer, "
        "outcome varchar, sha256 varchar, bytes bigint, error varchar"
    ),
}

FIRST_LOAD = datetime(2026, 11, 20, 10, 0, 0)


@dataclass
class Fig:
    metric: str
    level: str
    year: int | None
    kind: str
    value: float
    unit: str
    text: str
    start: int
    qualifier: str = "exact"
    period_start: int | None = None
    yoy_change: float | None = None
    yoy_growth_pct: float | None = None
    region: str | None = None
    region_code: str | None = None
    scope: str | None = None
    confidence: float | None = 0.9


@dataclass
class Doc:
    doc_id: str
    title: str
    doc_type: str
    publisher: str
    published_date: date | None
    region_name: str
    region_code: str | None
    province: str
    url: str
    figures: list[Fig] = field(default_factory=list)
    version: str = "v1"
    reference_year: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(f"{self.doc_id}|{self.version}".encode()).hexdigest()


def figure_id(doc_id: str, sha256: str, ordinal: int) -> str:
    return hashlib.sha1(f"{doc_id}|{sha256}|{ordinal}".encode()).hexdigest()


def sql_literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"cast('{value.isoformat(sep=' ')}' as timestamp)"
    if isinstance(value, date):
        return f"cast('{value.isoformat()}' as date)"
    return "'" + str(value).replace("'", "''") + "'"


def _insert(schema: str, table: str, row: dict[str, object]) -> str:
    columns = ", ".join(row)
    values = ", ".join(sql_literal(v) for v in row.values())
    return f"insert into {schema}.{table} ({columns}) values ({values})"


def create_statements(schema: str = "landing") -> list[str]:
    return [f"create schema if not exists {schema}"] + [
        f"create table {schema}.{name} ({columns})" for name, columns in LANDING_TABLES.items()
    ]


def document_statements(doc: Doc, loaded_at: datetime, schema: str = "landing") -> list[str]:
    """Replace one document and its figures, as edufig.load does on a reload."""
    statements = [
        f"delete from {schema}.figures where doc_id = {sql_literal(doc.doc_id)}",
        f"delete from {schema}.documents where doc_id = {sql_literal(doc.doc_id)}",
        _insert(schema, "documents", _document_row(doc, loaded_at)),
    ]
    for ordinal, fig in enumerate(doc.figures):
        statements.append(_insert(schema, "figures", _figure_row(doc, ordinal, fig, loaded_at)))
    return statements


def _document_row(doc: Doc, loaded_at: datetime) -> dict[str, object]:
    return {
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "source": "fixture",
        "url": doc.url,
        "fetched_at": datetime(2026, 11, 19, 8, 30, 0),
        "http_status": 200,
        "content_type": "text/html",
        "encoding": "utf-8",
        "title": doc.title,
        "publisher": doc.publisher,
        "published_date": doc.published_date,
        "doc_number": None,
        "index_number": None,
        "doc_type": doc.doc_type,
        "region_name": doc.region_name,
        "region_code": doc.region_code,
        "province": doc.province,
        "parse_status": "ok",
        "parse_error": None,
        "text_chars": 12000,
        "figure_count": len(doc.figures),
        "extractor_version": "fixture-1",
        "loaded_at": loaded_at,
        "reference_year": doc.reference_year,
        "reference_year_basis": "title" if doc.reference_year else None,
    }


def _figure_row(doc: Doc, ordinal: int, fig: Fig, loaded_at: datetime) -> dict[str, object]:
    return {
        "figure_id": figure_id(doc.doc_id, doc.sha256, ordinal),
        "doc_id": doc.doc_id,
        "doc_sha256": doc.sha256,
        "ordinal": ordinal,
        "metric": fig.metric,
        "level": fig.level,
        "year": fig.year,
        "period_start": fig.period_start,
        "kind": fig.kind,
        "value": fig.value,
        "unit": fig.unit,
        "qualifier": fig.qualifier,
        "yoy_change": fig.yoy_change,
        "yoy_growth_pct": fig.yoy_growth_pct,
        "region": fig.region,
        "region_code": fig.region_code,
        "text": fig.text,
        "start_offset": fig.start,
        "end_offset": fig.start + len(fig.text),
        "loaded_at": loaded_at,
        "scope": fig.scope,
        "confidence": fig.confidence,
    }


def fetch_statements(schema: str = "landing") -> list[str]:
    rows = [
        (CHUXIONG_REPORT.url, "new", 200, None),
        (XINGHUALING_PLAN.url, "new", 200, None),
        ("http://jyj.example.gov.cn/missing.html", "failed", 404, "HTTP 404 Not Found"),
    ]
    return [
        _insert(
            schema,
            "fetches",
            {
                "url": url,
                "source": "fixture",
                "fetched_at": datetime(2026, 11, 19, 8, 30, i),
                "status": status,
                "outcome": outcome,
                "sha256": None,
                "bytes": 20480,
                "error": error,
            },
        )
        for i, (url, outcome, status, error) in enumerate(rows)
    ]


# fmt: off
CHUXIONG_SPENDING = (
    "2021年完成一般公共预算教育支出473813.97万元,同比增加11730.67万元,增长2.54%"
)

CHUXIONG_REPORT = Doc(
    doc_id="000_8ec6747b4fd94863",
    title="楚雄州人民政府履行教育职责工作情况报告",
    doc_type="履行教育职责自评报告",
    publisher="楚雄彝族自治州人民政府",
    published_date=date(2022, 6, 30),
    region_name="楚雄彝族自治州",
    region_code="532300",
    province="云南省",
    url="https://www.cxz.gov.cn/info/1001/report2022.htm",
    figures=[
        Fig(
            "edu_general_budget_expenditure", "all", 2021, "actual", 4738139700.0, "yuan",
            CHUXIONG_SPENDING, 743, yoy_change=117306700.0, yoy_growth_pct=2.54,
            region="楚雄彝族自治州", region_code="532300",
        ),
        Fig(
            "per_student_general_budget_expenditure", "preschool", 2021, "actual", 8079.84,
            "yuan", "幼儿园生均一般公共预算教育经费8079.84元,增长8.75%", 799,
            yoy_growth_pct=8.75,
        ),
        Fig(
            "per_student_general_budget_expenditure", "primary", 2021, "actual", 13421.51,
            "yuan", "普通小学生均13421.51元,增长4.86%", 830, yoy_growth_pct=4.86,
        ),
        Fig(
            "full_time_teachers", "all", 2021, "actual", 28000.0, "person",
            "全州共有专任教师2.8万人", 1500, qualifier="approx",
        ),
        Fig(
            "full_time_teachers", "all", 2021, "actual", 3100.0, "person",
            "其中民办学校专任教师3100人", 1512, scope="private",
        ),
        Fig(
            "edu_general_budget_expenditure", "all", 2021, "actual", 4738139700.0, "yuan",
            "全年一般公共预算教育支出473813.97万元", 5200,
        ),
        Fig(
            "students_enrolled", "compulsory", 2021, "actual", 61234.0, "person",
            "楚雄市义务教育在校生61234人", 2100, region="楚雄市", region_code="532301",
        ),
    ],
)

CHUXIONG_BULLETIN = Doc(
    doc_id="chuxiong_jyjf2021",
    title="楚雄州2021年教育经费执行情况统计公告",
    doc_type="教育经费执行情况统计公告(2021年度)",
    publisher="楚雄州教育体育局 楚雄州统计局 楚雄州财政局",
    published_date=date(2022, 3, 15),
    region_name="楚雄彝族自治州",
    region_code="532300",
    province="云南省",
    url="https://jyj.cxz.gov.cn/tjgg/2021jyjf.htm",
    figures=[
        Fig(
            "edu_general_budget_expenditure", "all", 2021, "actual", 4738139700.0, "yuan",
            "全州一般公共预算教育经费473813.97万元", 320,
        ),
        Fig(
            "full_time_teachers", "all", 2021, "actual", 28125.0, "person",
            "全州专任教师28125人", 610,
        ),
    ],
)

XINGHUALING_PLAN = Doc(
    doc_id="004_3bf94dc3a89a6442",
    title="太原市杏花岭区“十四五”教育事业发展规划",
    doc_type="“十四五”教育事业发展规划",
    publisher="太原市杏花岭区人民政府办公室",
    published_date=date(2022, 8, 25),
    region_name="杏花岭区",
    region_code="140107",
    province="山西省",
    url="http://www.xinghualing.gov.cn/zfxxgk/fdzdgknr/ghxx/202208/t20220825.shtml",
    figures=[
        Fig(
            "preschool_gross_enrollment_rate", "preschool", 2020, "actual", 98.5, "percent",
            "至2020年底,全区在册幼儿园100所,专任教师1696人,在园幼儿16760人,"
            "学前三年毛入园率达98.5%",
            1962,
        ),
        Fig(
            "students_enrolled", "compulsory", 2020, "actual", 52403.0, "person",
            "全区在校中小学生52403人(其中小学生48550人,初中生3853人)", 2270,
        ),
        Fig(
            "students_enrolled", "primary", 2020, "actual", 48550.0, "person",
            "全区在校中小学生52403人(其中小学生48550人,初中生3853人)", 2283,
        ),
        Fig(
            "students_enrolled", "junior_secondary", 2020, "actual", 3853.0, "person",
            "全区在校中小学生52403人(其中小学生48550人,初中生3853人)", 2292,
        ),
        Fig(
            "compulsory_retention_rate", "compulsory", 2020, "actual", 99.64, "percent",
            "小学、初中适龄儿童少年入学率均达100%,九年义务教育巩固率达99.64%", 2320,
        ),
        Fig(
            "preschool_gross_enrollment_rate", "preschool", 2025, "target", 99.0, "percent",
            "学前教育毛入园率达到99%", 3010,
        ),
        Fig(
            "compulsory_retention_rate", "compulsory", 2025, "target", 99.7, "percent",
            "九年义务教育巩固率达99.7%", 3105,
        ),
        Fig(
            "preschool_gross_enrollment_rate", "preschool", 2020, "actual", 98.91, "percent",
            "学前教育毛入园率(%) | 98.91 | 99 | 预期性", 3620,
        ),
        Fig(
            "preschool_gross_enrollment_rate", "preschool", 2025, "target", 99.0, "percent",
            "学前教育毛入园率(%) | 98.91 | 99 | 预期性", 3640,
        ),
        Fig(
            "compulsory_retention_rate", "compulsory", 2020, "actual", 99.64, "percent",
            "九年义务教育巩固率(%) | 99.64 | 100 | 预期性", 3700,
        ),
        Fig(
            "compulsory_retention_rate", "compulsory", 2025, "target", 100.0, "percent",
            "九年义务教育巩固率(%) | 99.64 | 100 | 预期性", 3712,
        ),
        Fig(
            "public_kindergarten_share", "preschool", 2020, "actual", 47.7, "percent",
            "公办园在园幼儿占比达47.7%", 2010,
        ),
        Fig(
            "schools", "compulsory", 2020, "actual", 64.0, "count",
            "全区义务教育阶段学校64所", 2200,
        ),
        Fig(
            "kindergarten_buses", "preschool", 2020, "actual", 12.0, "count",
            "校车12辆", 2500,
        ),
    ],
)

QIANJIANG_REPORT = Doc(
    doc_id="001_ef04078923eb82b2",
    title="潜江市履行教育职责自评报告",
    doc_type="履行教育职责自评报告",
    publisher="潜江市教育局",
    published_date=date(2021, 10, 18),
    region_name="潜江市",
    region_code=None,
    province="湖北省",
    url="http://www.hbqj.gov.cn/xxgk/jyj/202110/t20211018.shtml",
    figures=[
        Fig(
            "edu_general_budget_expenditure", "all", 2020, "actual", 1236000000.0, "yuan",
            "2020年全市一般公共预算教育支出12.36亿元", 880, region="潜江市", region_code="429005",
        ),
        Fig(
            "full_time_teachers", "all", 2020, "actual", 6012.0, "person",
            "全市共有专任教师6012人", 1210, region="潜江市", region_code="429005",
        ),
        Fig(
            "senior_gross_enrollment_rate", "senior_secondary", 2025, "target", 95.0,
            "percent", "到2025年高中阶段毛入学率达到95%以上", 4100, qualifier="at_least",
        ),
    ],
)

# fmt: on

BASE_DOCUMENTS = (CHUXIONG_REPORT, CHUXIONG_BULLETIN, XINGHUALING_PLAN)


def load_base_landing(execute: Callable[[str], object], schema: str = "landing") -> None:
    """Create the landing tables and load the three base documents."""
    for statement in create_statements(schema):
        execute(statement)
    for doc in BASE_DOCUMENTS:
        for statement in document_statements(doc, FIRST_LOAD, schema):
            execute(statement)
    for statement in fetch_statements(schema):
        execute(statement)
