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
import reprlib
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from j3490_desk.domain import claim as domain
from j3490_desk.domain import input_limits
from j3490_desk.errors import InvalidInputError
from j3490_desk.paths import resources_dir
from j3490_desk.services.input_files import regular_file_size

if TYPE_CHECKING:
    import jsonschema

FORMAT_VERSION = 1
SCHEMA_ID = "https://j3490-desk.invalid/schema/claim.schema.json"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
MAX_FILE_BYTES = 4_000_000  # 50 drug lines of full text fit in a tenth of this
_REPR = reprlib.Repr()  # a value as a message shows it: short, and never deep
_REPR.maxlevel, _REPR.maxstring, _REPR.maxlong, _REPR.maxother = 2, 60, 40, 60
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
    return claim_from_json(parse_json_document(read_claim_text(path), str(path)))


def read_claim_text(path: Path) -> str:
    """The file's text: only a regular file under MAX_FILE_BYTES (a FIFO or device would block
    or never end), decoded as UTF-8."""
    size = regular_file_size(path)
    if size > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{path} is {size:,} bytes; a claim file is at most {MAX_FILE_BYTES:,}.",
            "Check that this is a claim file exported by J3490 Desk.",
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"{path} cannot be read: {error.strerror}.") from error
    try:
        # Windows Notepad starts UTF-8 with a byte-order mark; it is not part of the JSON.
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{path} is not a text file in UTF-8.", "Export the claim as JSON and try again."
        ) from error


def parse_json_document(text: str, source: str) -> Any:
    """JSON with decimals kept exact (NaN and Infinity too, for the field's own check to
    refuse by name); integers of thousands of digits and deep nesting refused here."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=Decimal, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{source} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            "Fix the JSON syntax there (a missing comma or quote is the usual cause).",
        ) from error
    except RecursionError as error:
        raise InvalidInputError(
            f"{source} is nested too deeply to be a claim file.",
            "Check that this is a claim file exported by J3490 Desk.",
        ) from error


def _integer(text: str) -> int | Decimal:
    # Thousands of digits would hit int's own conversion limit (a ValueError with no field
    # name); as a Decimal, the field's own check refuses it by name.
    return int(text) if len(text) <= 40 else Decimal(text)


def claim_from_json(data: Any) -> domain.Claim:
    import jsonschema  # only when a file is read: it is slow to import, and start-up matters

    if not isinstance(data, dict):
        raise InvalidInputError(
            f"Claim field (the whole file): the file holds {_json_kind(data)}, not a claim.",
            'A claim file is one JSON object, {"format_version": 1, "patient": ...}; '
            "the format is described in resources/schema/claim.schema.json.",
        )
    validator = jsonschema.Draft202012Validator(load_schema())
    try:
        errors = sorted(validator.iter_errors(data), key=lambda e: _path_key(e.absolute_path))
    except RecursionError as error:
        raise InvalidInputError(
            "Claim field (the whole file): nested too deeply to be a claim.",
            "Check that this is a claim file exported by J3490 Desk.",
        ) from error
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


def _path_key(path: Any) -> list[tuple[int, Any]]:
    # Names and indexes do not compare with each other; keep each position's kind apart.
    return [(0, part) if isinstance(part, int) else (1, str(part)) for part in path]


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, bool) or value is None:
        return f"the value {json.dumps(value)}"
    return "a number"


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
            result: Any = Decimal(str(value))
        elif kind is datetime:
            result = datetime.fromisoformat(value)
        elif kind is date:
            result = date.fromisoformat(value)
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            return kind(value)
        else:
            result = value
    except (ValueError, InvalidOperation) as error:
        raise InvalidInputError(
            f"Claim field {where}: {_short(value)} is not a real {kind.__name__} ({error}).",
            "Dates are YYYY-MM-DD (e.g. 2026-03-31); times are like 2026-03-31T09:30:00-05:00.",
        ) from error
    problem = _limit_problem(kind, result, where.rsplit(".", 1)[-1].split("[")[0])
    if problem is not None:
        raise InvalidInputError(
            f"Claim field {where}: {problem}.",
            "Correct that field; the limits are described in resources/schema/claim.schema.json.",
        )
    return result


def _limit_problem(kind: Any, value: Any, field: str) -> str | None:
    """The bounds every claim field keeps (domain.input_limits), whoever wrote the file."""
    if kind is Decimal:
        return input_limits.amount_problem(field, value)
    if kind is datetime:
        return input_limits.date_problem(value.date())
    if kind is date:
        return input_limits.date_problem(value)
    if kind is int and not isinstance(value, bool):
        return input_limits.integer_problem(field, int(value))
    if kind is str:
        return input_limits.text_problem(field, value)
    return None


def _short(value: Any) -> str:
    """A value as it may appear in a message: never thousands of characters, never deep."""
    if isinstance(value, Decimal) and len(str(value)) > 40:
        return f"a {len(str(value)):,}-character number"
    return str(value) if isinstance(value, Decimal) else _REPR.repr(value)


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
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (
            f"{_short(extra[0]) if extra else 'a field'} is not a field of this part of a claim "
            "(check the spelling of the field name)"
        )
    if error.validator == "type" and isinstance(error.validator_value, str):
        return f"{_short(error.instance)} is not {_TYPE_WORDS[error.validator_value]}"
    if error.validator in ("pattern", "anyOf", "type"):
        return f"{_short(error.instance)} is not {_expected(error.schema)}"
    if error.validator == "maxItems":
        return f"holds {len(error.instance):,} entries; at most {error.validator_value} are allowed"
    if error.validator == "maxLength":
        return (
            f"is {len(error.instance):,} characters long; "
            f"at most {error.validator_value:,} are allowed"
        )
    if error.validator in ("minimum", "maximum"):
        return f"{_short(error.instance)} is not between {_bounds(error.schema)}"
    if error.validator in ("enum", "const"):
        return f"{_short(error.instance)} is not one of {_short(error.validator_value)}"
    return _short(error.message)


_TYPE_WORDS = {
    "object": "a JSON object {...}",
    "array": "a list [...]",
    "string": "text in quotes",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _bounds(schema: dict[str, Any]) -> str:
    return f"{schema.get('minimum')} and {schema.get('maximum')}"


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
    first = schema.get("anyOf", [schema])[0]
    if "minimum" in first:
        return f"a whole number between {_bounds(first)}{nullable}"
    return _TYPE_WORDS.get(first.get("type", ""), "of the type expected here") + nullable


# --- the schema ----------------------------------------------------------------------------


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return schema


def claim_schema() -> dict[str, Any]:
    """The JSON Schema, built from the domain dataclasses."""
    body = _schema_for(domain.Claim)
    body["properties"] = {
        "$schema": {"type": "string"},
        "format_version": {"const": FORMAT_VERSION, "description": "Version of this format."},
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
            "properties": {f.name: _limits_for(f.name, _schema_for(hints[f.name])) for f in fields},
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


def _limits_for(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The field's bounds from domain.input_limits, written into the schema for readers."""
    if name == "drug_lines":
        return {**schema, "maxItems": input_limits.MAX_DRUG_LINES}
    if name == "icd10_codes":
        return {**schema, "maxItems": input_limits.MAX_ICD10_CODES}
    if schema.get("type") == "string" and "pattern" not in schema:
        long_text = name in input_limits.LONG_TEXT_FIELDS
        limit = input_limits.LONG_TEXT_LIMIT if long_text else input_limits.TEXT_LIMIT
        return {**schema, "maxLength": limit}
    if name in input_limits.INTEGER_BOUNDS:
        low, high = input_limits.INTEGER_BOUNDS[name]
        if "anyOf" in schema:
            first, *rest = schema["anyOf"]
            return {"anyOf": [{**first, "minimum": low, "maximum": high}, *rest]}
        return {**schema, "minimum": low, "maximum": high}
    return schema
