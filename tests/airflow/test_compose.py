"""docker-compose.yml: valid per the Compose specification, and every path it names exists.

No Docker engine runs here, so the file is checked statically. `compose_spec.json` is the
Compose specification's JSON schema as shipped in the `docker-compose` 1.29.2 wheel on
PyPI (compose/config/compose_spec.json, Apache-2.0), vendored unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
SCHEMA_FILE = Path(__file__).resolve().parent / "compose_spec.json"
CONTAINER_REPO = "/opt/edufig"
AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
)
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|KEY", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    lines = (REPO_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


def test_compose_file_matches_the_compose_specification(compose: dict) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = sorted(
        jsonschema.Draft201909Validator(schema).iter_errors(compose), key=lambda e: e.path
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_rejects_a_misspelt_service_key(compose: dict) -> None:
    """The validation above can fail: a typo in a service is caught."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(compose))
    broken["services"]["redis"]["helthcheck"] = broken["services"]["redis"].pop("healthcheck")
    with pytest.raises(jsonschema.ValidationError, match="helthcheck"):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft201909Validator)


def test_services_have_the_shape_of_the_official_airflow_compose(compose: dict) -> None:
    services = compose["services"]
    assert set(AIRFLOW_SERVICES) | {"postgres", "redis", "mailpit", "mirror"} <= set(services)
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker"
    assert "container_name" not in worker and "ports" not in worker, "blocks --scale"
    assert "edufig-data:/opt/edufig/data" in worker["volumes"]
    assert services["airflow-init"]["command"][-1].count("airflow db migrate") == 1


def test_notifications_reach_mailpit_through_an_smtp_connection(compose: dict) -> None:
    env = compose["services"]["airflow-worker"]["environment"]
    assert env["AIRFLOW_CONN_EDUFIG_SMTP"].startswith("smtp://mailpit:1025")
    assert "8025" in compose["services"]["mailpit"]["ports"][0]


def _bind_mounts(compose: dict) -> list[str]:
    mounts = []
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/")):
                mounts.append(source)
    return mounts


def test_every_referenced_host_path_exists(compose: dict) -> None:
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            context = REPO_ROOT / build["context"]
            assert context.is_dir(), f"{name}: build context {context}"
            assert (context / build.get("dockerfile", "Dockerfile")).is_file(), name
        for env_file in service.get("env_file", []):
            assert (REPO_ROOT / env_file).is_file(), f"{name}: env_file {env_file}"
    mounts = _bind_mounts(compose)
    assert mounts, "the DAG folder is mounted from the host"
    for source in mounts:
        assert (REPO_ROOT / source).exists(), f"mounted host path {source} does not exist"


def test_repo_files_named_inside_containers_exist() -> None:
    """Container paths under the image's copy of the repo point at files in this repo."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    referenced = set(re.findall(rf"{CONTAINER_REPO}/(dags/[\w./-]+)", text))
    assert "dags/edufig_airflow/pools.json" in referenced
    for relative in referenced:
        assert (REPO_ROOT / relative).exists(), relative


def test_dockerfile_copies_only_existing_files() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    for line in re.findall(r"^COPY (.+)$", dockerfile, flags=re.MULTILINE):
        *sources, _target = line.split()
        for source in sources:
            assert (REPO_ROOT / source).exists(), f"Dockerfile COPY {source}"


def test_every_variable_is_documented_in_env_example(
    compose: dict, env_example: dict[str, str]
) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    used = set(re.findall(r"(?<!\$)\$\{(\w+)", text))
    assert used, "compose reads its settings from .env"
    assert used <= set(env_example), f"undocumented: {sorted(used - set(env_example))}"


def test_env_example_holds_placeholders_only(env_example: dict[str, str]) -> None:
    secrets = {k: v for k, v in env_example.items() if SECRET_NAME.search(k)}
    assert {"POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_FERNET_KEY"} <= set(secrets)
    for key, value in secrets.items():
        assert value in ("", "change-me"), f"{key} in .env.example must be a placeholder"


def test_every_airflow_container_has_telemetry_off(
    compose: dict, env_example: dict[str, str]
) -> None:
    """Cosmos reads the setting when Airflow loads it as a provider: only the environment
    reaches that early."""
    for name in (*AIRFLOW_SERVICES, "mirror"):
        env = compose["services"][name]["environment"]
        assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False", name
        assert env["DBT_SEND_ANONYMOUS_USAGE_STATS"] == "false", name
    assert env_example["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False"
    docs = (REPO_ROOT / "docs" / "airflow.md").read_text(encoding="utf-8")
    assert "AIRFLOW__COSMOS__ENABLE_TELEMETRY=False" in docs, "the local path sets it too"


def test_airflow_and_mailpit_uis_listen_on_loopback_only(compose: dict) -> None:
    services = compose["services"]
    published = [p for name in ("airflow-apiserver", "mailpit") for p in services[name]["ports"]]
    assert published, "the UIs are published"
    assert all(str(p).startswith("127.0.0.1:") for p in published), published
