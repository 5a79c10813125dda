"""The claim interchange format: JSON that mirrors `domain.claim.Claim` field for field.

One description of the format serves three jobs: `claim_schema()` builds the JSON Schema
(committed at resources/schema/claim.schema.json; a test keeps the two equal),
`claim_to_json` writes a claim and `claim_from_json` reads one back. Everything is derived
from the dataclasses' type hints, so a field added to the domain appears in all three.

Conventions: dates are "YYYY-MM-DD"; times are ISO 8601 with their UTC offset; amounts and
money are decimal strings (numbers are accepted too); enumerations use their lower-case values.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from j3490_desk.domain import claim as domain
from j3490_desk.errors import InvalidInputError
from j3490_desk.paths import resources_dir

if TYPE_CHECKING:
    import jsonschema

FORMAT_VERSION = 2
# Version 1 lacks the 837P fields (patient details, frequency, documents sent); they read as
# their defaults, and what an 837P then misses is a finding (domain.electronic_claim).
READABLE_VERSIONS = (1, 2)
SCHEMA_ID = "https://j3490-desk.invalid/schema/claim.schema.json"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
# Fields of Claim that the store assigns; an imported file may carry them, but they are ignored.
STORE_OWNED = ("id",)


def schema_path() -> Path:
    return resources_dir() / "schema" / "claim.schema.json"


# --- writing -------------------------------------------------------------------------------


def claim_to_json(claim: domain.Claim) -> dict[str, Any]:
    data = _dump(claim)
    assert isinstance(data, dict)
    return {"format_version": FORMAT_VERSION, **data}


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_dump(item) for item in value]
    return value


# --- reading -------------------------------------------------------------------------------


def load_claim_file(path: Path) -> domain.Claim:
    """Read and validate a claim file; any problem raises InvalidInputError naming the field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InvalidInputError(f"{path} does not exist.", "Check the file name.") from error
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{path} is not a text file in UTF-8.", "Export the claim as JSON and try again."
        ) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            "Fix the JSON syntax there (a missing comma or quote is the usual cause).",
        ) from error
    return claim_from_json(data)


def claim_from_json(data: Any) -> domain.Claim:
    import jsonschema  # only when a file is read: it is slow to import, and start-up matters

    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        more = f" ({len(errors) - 1} more problem(s) after this one)" if len(errors) > 1 else ""
        field, problem = _describe(first)
        raise InvalidInputError(
            f"Claim field {field}: {problem}{more}.",
            "Correct that field; the format is described in resources/schema/claim.schema.json.",
        )
    body = {k: v for k, v in data.items() if k not in ("format_version", "$schema", *STORE_OWNED)}
    result = _load(domain.Claim, body, "")
    assert isinstance(result, domain.Claim)
    return result


def _load(kind: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _load(inner, value, where)
    if origin is tuple:
        item_kind = typing.get_args(kind)[0]
        return tuple(_load(item_kind, item, f"{where}[{i}]") for i, item in enumerate(value))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                name: _load(hints[name], item, f"{where}.{name}" if where else name)
                for name, item in value.items()
            }
        )
    return _scalar(kind, value, where)


def _scalar(kind: Any, value: Any, where: str) -> Any:
    try:
        if kind is Decimal:
            return Decimal(str(value))
        if kind is datetime:
            return datetime.fromisoformat(value)
        if kind is date:
            return date.fromisoformat(value)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return kind(value)
    except (ValueError, InvalidOperation) as error:
        raise InvalidInputError(
            f"Claim field {where}: {value!r} is not a real {kind.__name__} ({error}).",
            "Dates are YYYY-MM-DD (e.g. 2026-03-31); times are like 2026-03-31T09:30:00-05:00.",
        ) from error
    return value


def _field_name(path: Any) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(the whole file)"


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """The field's dotted name and what is wrong with it."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return _field_name([*path, missing[0]]), "is required but missing"
    return _field_name(path), _explain(error)


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message} (check the spelling of the field name)"
    if error.validator in ("pattern", "anyOf", "type"):
        return f"{error.instance!r} is not {_expected(error.schema)}"
    return str(error.message)


def _expected(schema: dict[str, Any]) -> str:
    text = json.dumps(schema)
    nullable = " (or null)" if '"null"' in text else ""
    for pattern, words in (
        (DECIMAL_PATTERN, "a number such as 12.5"),
        (DATETIME_PATTERN, "a date and time with its UTC offset, like 2026-03-31T09:30:00-05:00"),
        (DATE_PATTERN, "a date written YYYY-MM-DD, like 2026-03-31"),
    ):
        if json.dumps(pattern) in text:
            return words + nullable
    return f"of type {schema.get('type', 'expected here')}{nullable}"


# --- the schema ----------------------------------------------------------------------------


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return schema


def claim_schema() -> dict[str, Any]:
    """The JSON Schema, built from the domain dataclasses."""
    body = _schema_for(domain.Claim)
    body["properties"] = {
        "$schema": {"type": "string"},
        "format_version": {
            "enum": list(READABLE_VERSIONS),
            "description": f"Version of this format; {FORMAT_VERSION} is written.",
        },
        **body["properties"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "J3490 Desk claim",
        **body,
    }


def _schema_for(kind: Any) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return {"anyOf": [_schema_for(inner), {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _schema_for(typing.get_args(kind)[0])}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = dataclasses.fields(kind)
        schema: dict[str, Any] = {
            "type": "object",
            "description": " ".join((kind.__doc__ or kind.__name__).split()),
            "properties": {f.name: _schema_for(hints[f.name]) for f in fields},
            "additionalProperties": False,
        }
        required = [
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
        if required:
            schema["required"] = required
        return schema
    return _scalar_schema(kind)


def _scalar_schema(kind: Any) -> dict[str, Any]:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [member.value for member in kind]}
    if kind is Decimal:
        return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_PATTERN}]}
    if kind is datetime:
        return {"type": "string", "pattern": DATETIME_PATTERN}
    if kind is date:
        return {"type": "string", "pattern": DATE_PATTERN}
    simple = {str: "string", int: "integer", bool: "boolean"}
    return {"type": simple[kind]}
