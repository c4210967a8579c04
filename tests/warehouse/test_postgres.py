"""Portability proof: the same dbt project builds on PostgreSQL (dbt-postgres) and gives
the same answers, in a throwaway database dropped afterwards."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from edufig.dbt_build import WAREHOUSE_SELECTION, run_dbt
from tests.warehouse.conftest import new_settings
from tests.warehouse.landing_fixture import (
    FIRST_LOAD,
    QIANJIANG_REPORT,
    document_statements,
    load_base_landing,
)

pytestmark = pytest.mark.slow

psycopg2 = pytest.importorskip("psycopg2")

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PREFIX = "edufig"


def _admin_connection():
    try:
        conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **PG)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432: {exc}".strip())
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module")
def pg_database():
    admin = _admin_connection()
    name = f"edufig_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f"create database {name}")
    try:
        with psycopg2.connect(dbname=name, **PG) as conn, conn.cursor() as cur:
            load_base_landing(cur.execute, schema=f"{PREFIX}_landing")
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"drop database if exists {name} with (force)")
        admin.close()


@pytest.fixture(scope="module")
def pg_build(pg_database, tmp_path_factory):
    settings = new_settings(tmp_path_factory.mktemp("postgres"))
    mp = pytest.MonkeyPatch()
    mp.setenv("EDUFIG_PG_DATABASE", pg_database)
    mp.setenv("EDUFIG_PG_SCHEMA_PREFIX", PREFIX)
    args = ["build", "--target", "postgres", "--select", WAREHOUSE_SELECTION]
    try:
        first = run_dbt(settings, args)
        with psycopg2.connect(dbname=pg_database, **PG) as conn, conn.cursor() as cur:
            for statement in document_statements(
                QIANJIANG_REPORT, FIRST_LOAD + timedelta(days=1), schema=f"{PREFIX}_landing"
            ):
                cur.execute(statement)
        second = run_dbt(settings, args)
    finally:
        mp.undo()
    return first, second


def pg_query(database: str, sql: str) -> list[tuple]:
    with psycopg2.connect(dbname=database, **PG) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_project_builds_and_tests_pass_on_postgres(pg_build):
    for run in pg_build:
        assert run.success, [(n.unique_id, n.message) for n in run.failed_nodes]
        assert run.count("model", "success") >= 17
        tests = run.count("test")
        assert tests > 30 and run.count("test", "pass") + run.count("test", "warn") == tests


def test_mart_contracts_are_constraints_on_postgres_too(pg_build, pg_database):
    checks = pg_query(
        pg_database,
        "select c.check_clause from information_schema.check_constraints as c "
        "join information_schema.table_constraints as t using (constraint_schema, constraint_name) "
        f"where t.table_schema = '{PREFIX}_marts' and t.table_name = 'fct_funding' "
        "and c.check_clause like '%qualifier%'",
    )
    assert len(checks) == 1 and "at_least" in checks[0][0]


def test_postgres_marts_give_the_same_answers(pg_build, pg_database):
    assert all(run.success for run in pg_build)
    funding = pg_query(
        pg_database,
        f"select region_code, province_code, province_name, value, yoy_growth_pct, n_mentions "
        f"from {PREFIX}_marts.fct_funding where metric = 'edu_general_budget_expenditure' "
        f"and doc_id = '000_8ec6747b4fd94863'",
    )
    assert funding == [("532300", "530000", "云南省", 4738139700.0, 2.54, 2)]
    conflict = pg_query(
        pg_database,
        f"select value, n_distinct_values, has_conflict from {PREFIX}_marts.fct_best_value "
        f"where region_code = '140107' and year = 2020 "
        f"and metric = 'preschool_gross_enrollment_rate'",
    )
    assert conflict == [(98.5, 2, True)]
    assert pg_query(pg_database, f"select count(*) from {PREFIX}_marts.dim_region") == [(3385,)]


def test_postgres_incremental_build_adds_the_new_report(pg_build, pg_database):
    assert all(run.success for run in pg_build)
    rows = pg_query(
        pg_database,
        f"select value_key, n_sources from {PREFIX}_marts.fct_best_value "
        f"where region_code = '429005' order by value_key",
    )
    assert rows == [
        ("429005|2020|edu_general_budget_expenditure|all|actual|", 1),
        ("429005|2020|full_time_teachers|all|actual|", 1),
        ("429005|2025|senior_gross_enrollment_rate|senior_secondary|target|", 1),
    ]
    staffing = pg_query(pg_database, f"select count(*) from {PREFIX}_marts.fct_staffing")
    assert staffing == [(4,)]  # three whole-population head counts and one private subset
