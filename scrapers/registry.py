"""The sources registry: one YAML entry per publisher column, validated on load.

Adding a site that follows a known platform template (TRS static lists, Hanweb XML
island + dataproxy, JSON listing, or plain link pages) is a registry entry, not code, so
the rules live here as data and every mistake is reported with file, entry and field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from edufig.core.divisions import divisions_by_code
from edufig.core.yaml_text import parse_yaml

PACKAGE_DIR = Path(__file__).resolve().parent
PRODUCTION_SOURCES = PACKAGE_DIR / "sources.yaml"
MIRROR_SOURCES = PACKAGE_DIR / "mirror" / "sources.yaml"

Family = Literal["trs", "hanweb", "json", "links"]
TRACKING_PARAMS = {"tdsourcetag", "spm", "from", "share_token", "timestamp"}


def canonical_url(url: str, host_aliases: dict[str, str] | None = None) -> str:
    """Scheme and host lowercased; fragment, default port, tracking parameters dropped.

    `host_aliases` maps a serving host to a stable name (the mirror's loopback ports change
    every run), so identities, validators and doc_ids survive a change of port or domain.
    """
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    if parts.scheme == "http":
        netloc = netloc.removesuffix(":80")
    netloc = (host_aliases or {}).get(netloc, netloc)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in TRACKING_PARAMS and not k.startswith("utm_")
    ]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def checked_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
    return value


def _check_absolute(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return url


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names file, entry and field."""


class Region(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    code: str | None = None
    province: str | None = None


class DocTypeRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str
    doc_type: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return checked_regex(value)


class Options(BaseModel):
    """Transport limits; tests shrink them so fault cases stay fast."""

    model_config = ConfigDict(extra="forbid")

    connect_timeout: float = Field(10.0, gt=0)
    read_timeout: float = Field(30.0, gt=0)
    fetch_deadline: float = Field(60.0, gt=0)  # connect to last byte, wall clock
    max_bytes: int = Field(20_000_000, gt=0)
    retries: int = Field(3, ge=0, le=10)
    backoff: float = Field(1.0, ge=0)
    max_retry_after: float = Field(60.0, ge=0)
    max_redirects: int = Field(5, ge=0)
    blocked_retry_hours: float = Field(24.0, ge=0)
    gone_retry_hours: float = Field(24.0, ge=0)


class Source(BaseModel):
    """One publisher column: where its lists are, which links are articles, which count."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    publisher: str
    enabled: bool = True
    # A column that may legitimately list no report; otherwise zero links is an error.
    expect_empty: bool = False
    region: Region = Field(default_factory=Region)
    family: Family = "trs"
    start_urls: list[str] = Field(min_length=1)
    # The site's sitemap, if it publishes one: known reports it dates after our last check
    # are asked again at once (scrapers/sitemap.py).
    sitemap: str | None = None
    allowed_hosts: list[str] = Field(default_factory=list)
    article_pattern: str
    attachment_pattern: str = r"\.(pdf|docx|doc|wps|xls|xlsx)(\?|$)|downfile\.jsp"
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    doc_types: list[DocTypeRule] = Field(default_factory=list)
    max_pages: int = Field(20, ge=1)
    page_size: int = Field(15, ge=1)
    crawl_delay: float = Field(1.0, ge=0)
    # A known article is asked again (conditionally) once its last check is this old, at
    # most `revalidate_per_run` of them per run, oldest first; new links are always fetched.
    revalidate_days: float = Field(30.0, ge=0)
    revalidate_per_run: int = Field(50, ge=0)
    # Every this many days paging ignores the all-known stop and walks the whole list once
    # (conditionally), catching a report inserted below page one with an older date.
    relist_days: float = Field(7.0, ge=0)
    user_agent: str = (
        "EduFiguresBot/0.1 (+https://github.com/edufigures/edufigures; research crawler)"
    )
    options: Options = Field(default_factory=Options)
    host_aliases: dict[str, str] = Field(default_factory=dict)

    @field_validator("article_pattern", "attachment_pattern")
    @classmethod
    def _regex(cls, value: str) -> str:
        return checked_regex(value)

    @field_validator("include", "exclude")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        return [checked_regex(value) for value in values]

    @field_validator("start_urls")
    @classmethod
    def _absolute(cls, urls: list[str]) -> list[str]:
        for url in urls:
            _check_absolute(url)
        return urls

    @field_validator("sitemap")
    @classmethod
    def _absolute_sitemap(cls, url: str | None) -> str | None:
        return None if url is None else _check_absolute(url)

    def model_post_init(self, _context: object) -> None:
        if not self.allowed_hosts:
            self.allowed_hosts = sorted({urlsplit(u).netloc for u in self.start_urls})

    def identity(self, url: str) -> str:
        """The stable URL used for doc_ids, crawl state and logs."""
        return canonical_url(url, self.host_aliases)

    def fetchable(self, identity: str) -> str:
        """A URL to request for a stored identity: the host alias mapped back to the host
        that serves it now (the mirror's loopback port of this run)."""
        parts = urlsplit(identity)
        serving = {alias: host for host, alias in self.host_aliases.items()}
        host = serving.get(parts.netloc)
        return urlunsplit(parts._replace(netloc=host)) if host else identity

    def is_allowed(self, url: str) -> bool:
        return urlsplit(url).netloc in self.allowed_hosts

    def wants(self, title: str) -> bool:
        """An education report by its title: an include pattern matches, no exclude does."""
        if any(re.search(pattern, title) for pattern in self.exclude):
            return False
        return any(re.search(pattern, title) for pattern in self.include)


def _substitute(value: object, substitutions: dict[str, str]) -> object:
    if isinstance(value, str):
        for key, replacement in substitutions.items():
            value = value.replace("${" + key + "}", replacement)
        return value
    if isinstance(value, list):
        return [_substitute(v, substitutions) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, substitutions) for k, v in value.items()}
    return value


def _read_yaml(path: Path) -> dict:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read sources file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise RegistryError(f"{path}: expected a mapping with a 'sources' list")
    return data


def _entry_label(index: int, entry: object) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"entry {index} ({name})" if name else f"entry {index}"


def _check_region(region: Region) -> str | None:
    """The problem with a region, if any, against GB/T 2260 (JioNLP divisions)."""
    if region.code is None:
        return None
    division = divisions_by_code().get(region.code)
    if division is None:
        return f"region.code: {region.code!r} is not a GB/T 2260 division code"
    if region.name and region.name not in (division.name, *division.aliases):
        return f"region.name: {region.name!r} does not match code {region.code} ({division.name})"
    if region.province and region.province != division.province_name:
        return f"region.province: {region.province!r} is not {division.province_name}"
    return None


def _build_source(path: Path, label: str, entry: dict, defaults: dict) -> Source:
    try:
        source = Source.model_validate({**defaults, **entry})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(entry)"
        raise RegistryError(f"{path}: {label}: field {field}: {first['msg']}") from exc
    problem = _check_region(source.region)
    if problem:
        raise RegistryError(f"{path}: {label}: field {problem}")
    return source


def load_sources(path: Path, substitutions: dict[str, str] | None = None) -> list[Source]:
    """Sources from a registry file; `${key}` placeholders are replaced first (mirror ports)."""
    path = Path(path)
    data = _substitute(_read_yaml(path), substitutions or {})
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise RegistryError(f"{path}: 'defaults' must be a mapping")
    sources: list[Source] = []
    for index, entry in enumerate(data["sources"]):
        label = _entry_label(index, entry)
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}: {label}: expected a mapping")
        sources.append(_build_source(path, label, entry, defaults))
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RegistryError(f"{path}: field name: duplicate source names {duplicates}")
    return sources
