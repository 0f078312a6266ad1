"""Text from data shown on a terminal: escaped, so data can neither style nor command it.

Names, paths, profile descriptions and diary cells are data. Printed raw they can
clear the screen (``ESC[2J``), set the window title (OSC 0), plant links (OSC 8),
reverse text (U+202E) or, through rich, become markup (``[link=...]``; ``[/]``
even crashes). Everything that comes from data goes through :func:`visible` (control,
format and separator characters made visible as escapes) and, where rich renders
it, :func:`markup` or :func:`cell` (markup escaped).
"""

from __future__ import annotations

import unicodedata
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Character categories that can act on a terminal or reorder text instead of showing:
# controls (C0, DEL, C1), format characters (bidi overrides, zero-width joiners),
# line and paragraph separators, and lone surrogates.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(value: Any) -> str:
    """``str(value)`` with every control, format or separator character as an escape."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case: nothing to do
        return text
    return "".join(_escape_char(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def markup(value: Any) -> str:
    """Data to embed in a rich markup string: made visible, then markup escaped."""
    from rich.markup import escape

    return escape(visible(value))


def cell(value: Any):
    """A rich ``Text`` for a table cell: shown literally, never parsed as markup."""
    from rich.text import Text

    return Text(visible(value))


def json_text(text: str) -> str:
    """JSON output safe for a terminal: ``json.dumps(..., ensure_ascii=False)`` keeps DEL,
    C1 controls, bidi and separator characters raw inside strings; escape them too
    (still valid JSON, the same values)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch != "\n" and unicodedata.category(ch) in _HIDDEN:
            code = ord(ch)
            if code >= 0x10000:  # JSON escapes are UTF-16 code units
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def console(stderr: bool = False, width: int | None = None):
    """A rich console that renders no emoji codes, adds no automatic highlighting, and ends
    quietly with exit code 0 when the reader of its output goes away (``| head``)."""
    return _console_class()(stderr=stderr, width=width, emoji=False, highlight=False)


def _console_class():
    import os
    import sys

    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except OSError:
                pass
            raise SystemExit(0)

    return QuietConsole
