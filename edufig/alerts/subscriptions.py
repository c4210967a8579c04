"""Who receives which flags, over which channels: the subscriptions YAML, validated.

The file is edited by hand by people who are not developers, so every error names the file,
the recipient entry and the field. Secrets (webhook URLs with their access tokens, signing
keys, SMTP passwords) are never written in the file: only the name of an environment
variable or of an Airflow connection that holds them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from edufig.core.catalog import load_metrics
from edufig.core.divisions import Division, load_divisions
from edufig.core.yaml_text import parse_yaml

DEFAULT_SUBSCRIPTIONS = Path(__file__).resolve().parent / "default_subscriptions.yaml"
ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"


class SubscriptionsError(ValueError):
    """The subscriptions file cannot be used; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_literal_secret(value: object) -> object:
    if isinstance(value, str):
        raise ValueError(
            "a webhook URL carries its access token: keep it out of this file, put it in an"
            " environment variable and write {secret_env: NAME} (or {airflow_conn: ID})"
        )
    return value


WebhookRef = Annotated["SecretRef", BeforeValidator(_no_literal_secret)]


class SecretRef(_Strict):
    """Where a secret lives at run time: an environment variable or an Airflow connection."""

    secret_env: Annotated[str, Field(pattern=ENV_NAME)] | None = None
    airflow_conn: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.secret_env is None) == (self.airflow_conn is None):
            raise ValueError("give exactly one of secret_env or airflow_conn")
        return self

    def describe(self) -> str:
        return f"env:{self.secret_env}" if self.secret_env else f"conn:{self.airflow_conn}"


class EmailChannel(_Strict):
    type: Literal["email"]
    address: EmailStr

    def key(self) -> str:
        return f"email:{self.address}"


class DingTalkChannel(_Strict):
    """A DingTalk group robot: the webhook URL (it carries the access token) and the
    signing secret (加签), both by reference."""

    type: Literal["dingtalk"]
    webhook: WebhookRef
    secret: SecretRef | None = None

    def key(self) -> str:
        return f"dingtalk:{self.webhook.describe()}"


class WeComChannel(_Strict):
    """A WeCom (企业微信) group robot; its webhook URL carries the key."""

    type: Literal["wecom"]
    webhook: WebhookRef

    def key(self) -> str:
        return f"wecom:{self.webhook.describe()}"


class OutboxChannel(_Strict):
    """Local delivery: .eml and .json files under the outbox folder (the embedded default)."""

    type: Literal["outbox"]

    def key(self) -> str:
        return "outbox"


Channel = Annotated[
    EmailChannel | DingTalkChannel | WeComChannel | OutboxChannel, Field(discriminator="type")
]


class Recipient(_Strict):
    """One subscriber: a province, optionally narrowed, and where to deliver."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    province: str | int
    prefectures: list[str | int] = []
    counties: list[str | int] = []
    domains: list[str] = []
    min_severity: Literal["info", "warning", "error"] = "warning"
    channels: Annotated[list[Channel], Field(min_length=1)]

    @field_validator("province")
    @classmethod
    def _known_province(cls, value: str | int) -> str | int:
        _province(str(value))
        return value

    @field_validator("prefectures", "counties")
    @classmethod
    def _places_in_province(cls, values: list[str | int], info: ValidationInfo) -> list:
        if "province" in info.data:
            province = _province(str(info.data["province"]))
            level = "prefecture" if info.field_name == "prefectures" else "county"
            for value in values:
                _division_in(province, str(value), level)
        return values

    @field_validator("domains")
    @classmethod
    def _known_domains(cls, values: list[str]) -> list[str]:
        known = sorted({m.domain for m in load_metrics().values()})
        unknown = [d for d in values if d not in known]
        if unknown:
            raise ValueError(f"unknown metric domain(s) {unknown}; known: {known}")
        return values

    @cached_property
    def province_code(self) -> str:
        return _province(str(self.province)).code

    @cached_property
    def region_codes(self) -> frozenset[str]:
        """Prefecture and county codes the recipient is narrowed to (empty: whole province)."""
        province = _province(str(self.province))
        return frozenset(
            [_division_in(province, str(n), "prefecture").code for n in self.prefectures]
            + [_division_in(province, str(n), "county").code for n in self.counties]
        )


class Fallback(_Strict):
    """Who receives the flags no recipient's scope covers (provinces without a subscriber,
    narrowed scopes, domains or severities nobody asked for), so every flag reaches someone.
    Their review links open the "unassigned" view of every province."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    channels: Annotated[list[Channel], Field(min_length=1)]

    @property
    def province_code(self) -> str:
        return "*"


class SmtpSettings(_Strict):
    """An Airflow SMTP connection to use when EDUFIG_SMTP_HOST is not set."""

    airflow_conn: str | None = None


class Subscriptions(_Strict):
    recipients: list[Recipient]
    fallback: Fallback | None = None
    smtp: SmtpSettings = SmtpSettings()

    @model_validator(mode="after")
    def _unique_names(self) -> Subscriptions:
        names = [r.name for r in self.recipients] + ([self.fallback.name] if self.fallback else [])
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"recipient names must be unique; repeated: {duplicated}")
        return self


def _named(division: Division, text: str) -> bool:
    return text in (division.code, division.name, *division.aliases)


def find_province(text: str) -> Division | None:
    """The province named (name, short name or code) by `text`, if any."""
    for division in load_divisions():
        if division.level == "province" and _named(division, text.strip()):
            return division
    return None


def _province(text: str) -> Division:
    division = find_province(text)
    if division:
        return division
    raise ValueError(f"unknown province {text!r} (a name like 山西 or a GB/T 2260 code)")


def _division_in(province: Division, text: str, level: str) -> Division:
    matches = [
        d
        for d in load_divisions()
        if d.level == level and d.province_code == province.code and _named(d, text.strip())
    ]
    if not matches:
        raise ValueError(f"no {level} {text!r} in {province.name}")
    if len(matches) > 1:
        codes = ", ".join(d.code for d in matches)
        raise ValueError(f"{level} {text!r} is ambiguous in {province.name}: use a code ({codes})")
    return matches[0]


def _where(data: object, loc: tuple[int | str, ...]) -> str:
    """`recipients[1] (山西省教育厅).channels[0].address` from a pydantic error location."""
    text = ""
    node = data
    for item in loc:
        if isinstance(item, int):
            text += f"[{item}]"
            node = node[item] if isinstance(node, list) and item < len(node) else None
            if text.count("[") == 1 and isinstance(node, dict) and node.get("name"):
                text += f" ({node['name']})"
        else:
            text += ("." if text else "") + str(item)
            node = node.get(item) if isinstance(node, dict) else None
    return text


def _format_errors(path: Path, data: object, error: ValidationError) -> str:
    lines = [f"{path}: invalid subscriptions"]
    for item in error.errors():
        loc = tuple(x for x in item["loc"] if not (isinstance(x, str) and x in _CHANNEL_TAGS))
        lines.append(f"  {_where(data, loc) or '(top level)'}: {item['msg']}")
    return "\n".join(lines)


_CHANNEL_TAGS = {"email", "dingtalk", "wecom", "outbox"}


def load_subscriptions(path: Path | None = None) -> Subscriptions:
    """The subscriptions in `path`, or the embedded default (local outbox only) when None."""
    path = Path(path) if path else DEFAULT_SUBSCRIPTIONS
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SubscriptionsError(f"{path}: cannot read subscriptions: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SubscriptionsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SubscriptionsError(f"{path}: expected a mapping with a 'recipients' list")
    try:
        return Subscriptions.model_validate(data)
    except ValidationError as exc:
        raise SubscriptionsError(_format_errors(path, data, exc)) from None
