"""Per-field rules, compiled once per run into fast closures.

``compile_checker(spec, refs)`` returns ``check(value) -> None | (kind, message)`` for a
value that is already trimmed and NFC-normalised. One error per field at most, in this
order: required, max length, formula, type/format/choice/date, min/max, check digit,
reference. References to the same object are resolved later, in SQL, against the whole
file and the staged records (``deferred`` is set on the spec).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress, repeat
from operator import add, mul

REQUIRED = "This field is required."
TOO_LONG = "Longer than {max} characters."
FORMULA = "Formulas are not accepted; enter the value itself."
NOT_INT = "Not a whole number."
NOT_DECIMAL = "Not a number (use digits and a '.' for decimals)."
NOT_BOOL = "Not a yes/no value (use true or false)."
NOT_DATE = "Not a valid date (YYYY-MM-DD)."
NOT_EMAIL = "Not a valid e-mail address."
NOT_CHOICE = "Not one of the allowed values."
NO_MATCH = "Does not match the expected format{hint}."
BELOW_MIN = "Less than the minimum {min}."
ABOVE_MAX = "More than the maximum {max}."
BAD_EAN = "Not a 13-digit EAN code."
BAD_CHECK_DIGIT = "Wrong check digit."
UNKNOWN_REFERENCE = "No {object} with {field} {value!r}."
DUPLICATE_KEY = "Repeats the key of row {row}."

TRUE_VALUES = frozenset({"true", "1", "yes", "y", "x", "có", "co", "t"})
FALSE_VALUES = frozenset({"false", "0", "no", "n", "không", "khong", "f"})

_INT = re.compile(r"[-+]?\d+\Z")
_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+\Z")
_DIGITS13 = re.compile(r"\d{13}\Z")


@dataclass
class FieldSpec:
    """What the engine needs of a ``FieldDefinition`` (also built from plain data)."""

    name: str
    type: str = "str"
    required: bool = False
    unique: bool = False
    max_length: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    regex: str = ""
    choices: list = field(default_factory=list)
    check: str = ""
    reference_object: str = ""  # object name; the same object's name means a deferred check
    reference_field: str = "code"
    deferred: bool = False
    description: str = ""

    @classmethod
    def from_definition(cls, definition, *, own_object_id: int):
        ref = definition.reference_object
        return cls(
            name=definition.name,
            type=definition.type,
            required=definition.required,
            unique=definition.unique,
            max_length=definition.max_length,
            min_value=definition.min_value,
            max_value=definition.max_value,
            regex=definition.regex,
            choices=list(definition.choices or []),
            check=definition.check_digit,
            reference_object=ref.name if ref else "",
            reference_field=definition.reference_field or "code",
            deferred=bool(ref and ref.pk == own_object_id),
            description=definition.description,
        )


def ean13_ok(digits: str) -> bool:
    return not (sum(digits[0:12:2].encode()) + 3 * sum(digits[1:12:2].encode()) + int(digits[12]) - 1152) % 10


def _number_bounds(spec: FieldSpec, convert):
    low = convert(spec.min_value) if spec.min_value is not None else None
    high = convert(spec.max_value) if spec.max_value is not None else None
    low_msg = BELOW_MIN.format(min=_plain(spec.min_value)) if low is not None else ""
    high_msg = ABOVE_MAX.format(max=_plain(spec.max_value)) if high is not None else ""
    return low, high, low_msg, high_msg


def _plain(number) -> str:
    text = format(Decimal(number), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _type_check(spec: FieldSpec, refs: dict[str, frozenset]):
    """The type-specific part: ``fn(value) -> None | (kind, message)``."""
    kind = spec.type
    if kind == "int":
        low, high, low_msg, high_msg = _number_bounds(spec, lambda v: int(Decimal(v)))

        def check_int(v, _m=_INT.match):
            if _m(v) is None:
                return ("type", NOT_INT)
            if low is not None or high is not None:
                n = int(v)
                if low is not None and n < low:
                    return ("min_value", low_msg)
                if high is not None and n > high:
                    return ("max_value", high_msg)
            return None

        return check_int
    if kind == "decimal":
        low, high, low_msg, high_msg = _number_bounds(spec, Decimal)

        def check_decimal(v, _m=_DECIMAL.match):
            if _m(v) is None:
                return ("type", NOT_DECIMAL)
            if low is not None or high is not None:
                try:
                    n = Decimal(v)
                except InvalidOperation:  # pragma: no cover - the pattern already refused it
                    return ("type", NOT_DECIMAL)
                if low is not None and n < low:
                    return ("min_value", low_msg)
                if high is not None and n > high:
                    return ("max_value", high_msg)
            return None

        return check_decimal
    if kind == "bool":

        def check_bool(v):
            low_v = v.lower()
            if low_v in TRUE_VALUES or low_v in FALSE_VALUES:
                return None
            return ("type", NOT_BOOL)

        return check_bool
    if kind == "date":
        fromiso = datetime.date.fromisoformat

        def check_date(v, _m=_DATE.match):
            if _m(v) is None:
                return ("date", NOT_DATE)
            try:
                fromiso(v)
            except ValueError:
                return ("date", NOT_DATE)
            return None

        return check_date
    if kind == "email":

        def check_email(v, _m=_EMAIL.match):
            return None if _m(v) else ("format", NOT_EMAIL)

        return check_email
    if kind == "choice":
        allowed = frozenset(str(c) for c in spec.choices)

        def check_choice(v):
            return None if v in allowed else ("choice", NOT_CHOICE)

        return check_choice
    if kind == "reference" and not spec.deferred:
        known = refs.get(spec.reference_object, frozenset())
        target, target_field = spec.reference_object, spec.reference_field

        def check_reference(v):
            if v in known:
                return None
            return ("reference", UNKNOWN_REFERENCE.format(object=target, field=target_field, value=v))

        return check_reference
    return None


def compile_checker(spec: FieldSpec, refs: dict[str, frozenset]):
    """``check(value)`` for one field, or ``None`` when any value passes."""
    rules = []
    if spec.max_length:
        max_length = spec.max_length
        too_long = ("max_length", TOO_LONG.format(max=max_length))
        rules.append(lambda v: too_long if len(v) > max_length else None)
    if spec.type in ("str", "reference", "choice", "email"):
        formula = ("format", FORMULA)
        rules.append(lambda v: formula if v[0] == "=" else None)
    typed = _type_check(spec, refs)
    if typed is not None and spec.type != "reference":
        rules.append(typed)
    if spec.regex:
        pattern = re.compile(spec.regex)
        hint = f" ({spec.description})" if spec.description else ""
        no_match = ("format", NO_MATCH.format(hint=hint))
        rules.append(lambda v, _m=pattern.fullmatch: None if _m(v) else no_match)
    if spec.check == "ean13":
        bad_ean, bad_digit = ("format", BAD_EAN), ("checksum", BAD_CHECK_DIGIT)
        rules.append(lambda v, _m=_DIGITS13.match: bad_ean if _m(v) is None else None if ean13_ok(v) else bad_digit)
    if typed is not None and spec.type == "reference":
        rules.append(typed)
    required = ("required", REQUIRED) if spec.required else None

    if not rules:
        if required is None:
            return None
        return lambda v: required if not v else None
    if len(rules) == 1:
        only = rules[0]
        return lambda v: required if not v else only(v)

    def check(v):
        if not v:
            return required
        for rule in rules:
            problem = rule(v)
            if problem is not None:
                return problem
        return None

    return check


# --- column-wise checking -------------------------------------------------------------
#
# A chunk is checked column by column. ``compile_column_checker`` returns
# ``bad_values(distinct) -> {value: (kind, message)}``: it first tries to prove a whole
# column good with C-speed operations (set inclusion, one multi-line regex over the joined
# values, ``max(map(len, ...))``, ``map(Decimal, ...)``) and only when that fails runs the
# per-value ``check`` to find which values are at fault.

_VALUE_PATTERNS = {
    "int": r"[-+]?\d+",
    "decimal": r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)",
    "date": r"\d{4}-\d{2}-\d{2}",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s.]+",
}


def ean13_all_ok(values) -> bool:
    return not any((sum(v[0:12:2].encode()) + 3 * sum(v[1:12:2].encode()) + int(v[12]) - 1152) % 10 for v in values)


def ean13_bad(values: list[str]) -> list[str]:
    """The 13-digit values whose check digit is wrong, computed on byte slices (C speed)."""
    data = "".join(values).encode()
    odd = map(sum, zip(*(data[k::13] for k in range(0, 12, 2)), strict=True))
    even = map(sum, zip(*(data[k::13] for k in range(1, 12, 2)), strict=True))
    totals = map(add, map(add, odd, map(mul, even, repeat(3))), data[12::13])
    return list(compress(values, map((10).__rmod__, totals)))


def _pattern_finder(pattern: str):
    """Suspects of a regex rule: one pass over the joined column; per value only if it fails."""
    each = re.compile(rf"(?:{pattern})\Z").match
    whole = re.compile(rf"(?:{pattern})(?:\n(?:{pattern}))*").fullmatch

    def find(distinct, joined):
        if whole(joined):
            return ()
        return [v for v in distinct if each(v) is None]

    return find


def _suspect_finders(spec: FieldSpec, refs: dict[str, frozenset]) -> list:
    """Functions ``(distinct, joined) -> suspects``: a superset of the values a rule refuses."""
    finders = []
    if spec.max_length:
        limit = spec.max_length
        finders.append(lambda d, j: [v for v in d if len(v) > limit] if max(map(len, d)) > limit else ())
    if spec.type in ("str", "reference", "choice", "email"):
        finders.append(lambda d, j: [v for v in d if v[0] == "="] if "\n=" in "\n" + j else ())
    kind = spec.type
    if kind in _VALUE_PATTERNS:
        finders.append(_pattern_finder(_VALUE_PATTERNS[kind]))
    if kind == "date":
        fromiso = datetime.date.fromisoformat

        def bad_dates(d, j):
            try:
                list(map(fromiso, d))
            except ValueError:
                return d
            return ()

        finders.append(bad_dates)
    if kind in ("int", "decimal") and (spec.min_value is not None or spec.max_value is not None):
        low, high = spec.min_value, spec.max_value
        if low == 0 and high is None:
            finders.append(lambda d, j: [v for v in d if v[0] == "-"] if "\n-" in "\n" + j else ())
        else:

            def out_of_bounds(d, j):
                try:
                    numbers = list(map(Decimal, d))
                except InvalidOperation:
                    return d
                if (low is None or min(numbers) >= low) and (high is None or max(numbers) <= high):
                    return ()
                return d

            finders.append(out_of_bounds)
    if kind == "bool":
        allowed_bool = TRUE_VALUES | FALSE_VALUES
        finders.append(lambda d, j: [v for v in d if v.lower() not in allowed_bool])
    if kind == "choice":
        allowed = frozenset(str(c) for c in spec.choices)
        finders.append(lambda d, j: d - allowed)
    if kind == "reference" and not spec.deferred:
        known = refs.get(spec.reference_object, frozenset())
        finders.append(lambda d, j: d - known)
    if spec.regex:
        finders.append(_pattern_finder(spec.regex))
    if spec.check == "ean13":
        digits13 = _pattern_finder(r"\d{13}")

        def bad_ean(d, j):
            if digits13(d, j):
                wellformed = [v for v in d if len(v) == 13 and v.isdigit()]
                return [v for v in d if len(v) != 13 or not v.isdigit()] + ean13_bad(wellformed)
            return ean13_bad(list(d))

        finders.append(bad_ean)
    return finders


def compile_column_checker(spec: FieldSpec, refs: dict[str, frozenset]):
    """``bad_values(values) -> {value: (kind, message)}`` for one column, or ``None``."""
    check = compile_checker(spec, refs)
    if check is None:
        return None
    finders = _suspect_finders(spec, refs)
    required = ("required", REQUIRED) if spec.required else None

    def bad_values(values) -> dict:
        distinct = set(values)
        bad = {}
        if "" in distinct:
            distinct.discard("")
            if required is not None:
                bad[""] = required
        if not distinct:
            return bad
        joined = "\n".join(distinct)
        if joined.count("\n") != len(distinct) - 1:  # a value holds a line break: check each value
            suspects = distinct
        else:
            suspects = set()
            for find in finders:
                found = find(distinct, joined)
                if found:
                    suspects.update(found)
        for value in suspects:
            problem = check(value)
            if problem is not None:
                bad[value] = problem
        return bad

    return bad_values
