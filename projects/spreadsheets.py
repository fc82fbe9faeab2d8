"""Cell safety shared by every spreadsheet export and import (CSV injection, RELIABILITY D9).

An exported text cell that starts with ``= + - @``, a tab, a carriage return or NUL would
be run as a formula by a spreadsheet: it is prefixed with ``'``. Plain numbers such as
``-42`` or ``+84`` stay as they are. ``unescape_cell`` removes exactly that prefix on
re-import, so export → import gives back the same text.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?\Z")


def _runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text)


def escape_cell(value) -> str:
    text = "" if value is None else str(value).replace("\0", "")
    # Text that already looks escaped gets a second quote, so re-import is exact.
    if _runs_as_formula(text) or (text.startswith("'") and _runs_as_formula(text[1:])):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    if text.startswith("'") and (_runs_as_formula(text[1:]) or (text[1:2] == "'" and _runs_as_formula(text[2:]))):
        return text[1:]
    return text
