"""Engine table URLs (`scheme://…#table`) in params: told apart from file paths, parsed, redacted.

Standard library only, so that the pipeline can validate params and describe inputs without importing
pandas or Ibis; `workbench.data.engines` opens and reads the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workbench.errors import DataValidationError

__all__ = ["ENGINE_SCHEMES", "TableSource", "is_engine_source", "parse_source", "redact"]

#: URL schemes read as engine tables, and the Ibis backend that serves each.
ENGINE_SCHEMES = {
    "duckdb": "duckdb",
    "spark": "pyspark",
    "sc": "pyspark",
    "postgres": "postgres",
    "postgresql": "postgres",
    "bigquery": "bigquery",
    "clickhouse": "clickhouse",
}

#: Query parameters that carry secrets; a URL holding one is refused.
_SECRET_KEYS = {"password", "pass", "pwd", "token", "secret", "key", "api_key", "access_token", "credentials"}


@dataclass(frozen=True)
class TableSource:
    """An input that lives on an engine: where (url, without secrets) and which table."""

    url: str
    table: str

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    @property
    def backend(self) -> str:
        return ENGINE_SCHEMES[self.scheme]

    def __str__(self) -> str:
        return f"{self.url}#{self.table}"


def is_engine_source(value: object) -> bool:
    """True for `scheme://…#table` strings whose scheme is an engine (files and '' are not)."""
    if not isinstance(value, str) or "://" not in value:
        return False
    return value.split("://", 1)[0].lower() in ENGINE_SCHEMES


def parse_source(value: str, key: str = "input") -> TableSource:
    """`duckdb:///path.duckdb#sessions` → TableSource; a clear error names the params key otherwise."""
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in ENGINE_SCHEMES:
        known = ", ".join(f"{s}://" for s in ENGINE_SCHEMES)
        raise DataValidationError(f"{key}: {value!r} is not an engine table URL; expected one of {known}")
    if not parts.fragment:
        raise DataValidationError(f"{key}: {value!r} names no table; add it after '#', e.g. {scheme}://…#sessions")
    if parts.password or any(k.lower() in _SECRET_KEYS for k, _ in parse_qsl(parts.query)):
        raise DataValidationError(
            f"{key}: the URL carries a secret; credentials come from the environment or the engine's own "
            "configuration (PGPASSWORD or ~/.pgpass, GOOGLE_APPLICATION_CREDENTIALS, CLICKHOUSE_PASSWORD, "
            "Spark cluster settings), never from a params file"
        )
    # the text before '#' as written: urlunsplit would fold duckdb:////abs (empty host) into duckdb://abs
    return TableSource(scheme + value[len(parts.scheme) :].split("#", 1)[0], parts.fragment)


def redact(url: str) -> str:
    """The URL as a manifest may record it: user names kept, passwords and secret query values removed."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _SECRET_KEYS])
    if not netloc:  # duckdb:////abs/path.duckdb: nothing secret, and urlunsplit would drop the empty host
        return f"{parts.scheme}://{parts.path}" + (f"?{query}" if query else "")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
