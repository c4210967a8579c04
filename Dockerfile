# One image for every Airflow component and the mirror: the project's locked environment
# (Airflow 3.3, Cosmos, dbt-duckdb, GX) plus the repo, with the dbt manifest built here so
# the DAG processor never runs dbt while parsing.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/edufig/.venv \
    PATH=/opt/edufig/.venv/bin:$PATH \
    AIRFLOW_HOME=/opt/airflow

RUN pip install --no-cache-dir uv \
    && useradd --uid 50000 --gid 0 --home-dir /opt/airflow --create-home airflow

WORKDIR /opt/edufig
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .
RUN uv sync --locked --no-dev \
    && dbt parse --project-dir dbt_project --profiles-dir dbt_project \
    && mkdir -p /opt/edufig/data /opt/airflow/logs \
    && chown -R airflow:0 /opt/edufig /opt/airflow

USER airflow
ENTRYPOINT ["airflow"]
CMD ["version"]
