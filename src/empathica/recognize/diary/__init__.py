"""Reading and validating an interaction diary.

A diary is a table of episodes with the observable columns of
:data:`empathica.model.schema.OBSERVABLE_COLUMNS`, kept by hand or written by the
simulator. It can be a CSV file, a JSON-lines file (one object per line) or a
Parquet file.

Only four columns are required, the minimum the practical test of claim A14 needs:

* ``actor`` - who could respond (an integer id or a name),
* ``responded`` - did they respond to the need at all,
* ``audience`` - was anyone else watching (or going to hear about it),
* ``benefit`` - did the actor stand to gain something by responding.

Every other observable column is optional. A missing optional column is left
out of the analysis (the recognizer says so in its notes). Hidden simulator
columns (``true_*``) are accepted and ignored; other unknown columns are ignored
with a note. A column with an empty header whose cells are all empty (trailing
``,,,`` left by a spreadsheet) is dropped.

Values:

* booleans: ``true/false``, ``yes/no``, ``y/n``, ``1/0`` (any case);
* ``t``: an integer day number or a date ``YYYY-MM-DD`` (dates become day
  numbers counted from the earliest date; the dates are kept in a ``date`` column);
* ``actor``, ``target``, ``dyad``: integers or names, kept exactly: ids become
  integers only when every id is an integer written plainly (``7``, not ``007``)
  that fits 64 bits, otherwise they stay text;
* ``intensity``, ``accuracy``, ``warmth``: numbers from 0 to 1;
* empty cells mean "not applicable / not known" and are allowed only where the
  column help says so (``accuracy`` and ``warmth`` without a response,
  ``followed_through`` without a promise, ``boundary_respected`` without a
  request, and the descriptive columns ``dyad``, ``target``, ``need``,
  ``intensity``).

In a CSV file, lines whose first non-blank character is ``#`` are comments and
are skipped, and so are empty lines; the template written by
``empathica diary-template`` uses this for its annotations. A line inside a
quoted field is never a comment. The delimiter is a comma; a header line with no
comma but with semicolons (or tabs) is read as semicolon- (or tab-) separated,
as spreadsheet programs write in many locales, and then a decimal comma
(``0,7``) is read as a decimal point. Spreadsheet files themselves (``.xlsx``,
``.xls``, ``.ods``) are refused with advice to save them as CSV.

Every problem is reported as a :class:`DiaryError` naming the file, the line
(CSV and JSON lines: the line number in the file; Parquet: the 1-based row) and
the column. The first line of the message is the first problem; the next ones
(up to ten in all) follow on indented lines, grouped by column. The input file
is only ever opened for reading, and only if it is a regular file of at most
:data:`MAX_DIARY_BYTES` (``read_diary(..., max_bytes=...)``).

The modules of this package, in the order a file passes through them:
:mod:`~empathica.recognize.diary.reading` (the file, its format),
:mod:`~empathica.recognize.diary.raw` (encodings, the raw table),
:mod:`~empathica.recognize.diary.csv_reader`,
:mod:`~empathica.recognize.diary.json_reader` and
:mod:`~empathica.recognize.diary.arrow` (the readers, Parquet included),
:mod:`~empathica.recognize.diary.checks` (``validate_episodes``),
:mod:`~empathica.recognize.diary.cells` (the per-column parsers),
:mod:`~empathica.recognize.diary.problems` (collecting problems into one message);
:mod:`~empathica.recognize.diary.columns`, :mod:`~empathica.recognize.diary.errors`
and :mod:`~empathica.recognize.diary.template` are shared by them.
"""

from empathica.recognize.diary.checks import validate_episodes
from empathica.recognize.diary.columns import (
    BOOL_COLUMNS,
    LABEL_COLUMNS,
    NULLABLE_BOOL_COLUMNS,
    NULLABLE_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    UNIT_COLUMNS,
)
from empathica.recognize.diary.errors import DiaryError, Locator
from empathica.recognize.diary.reading import (
    MAX_DIARY_BYTES,
    SPREADSHEET_SUFFIXES,
    SUFFIXES,
    read_diary,
)
from empathica.recognize.diary.template import diary_template

__all__ = [
    "BOOL_COLUMNS",
    "LABEL_COLUMNS",
    "MAX_DIARY_BYTES",
    "NULLABLE_BOOL_COLUMNS",
    "NULLABLE_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SPREADSHEET_SUFFIXES",
    "SUFFIXES",
    "UNIT_COLUMNS",
    "DiaryError",
    "Locator",
    "diary_template",
    "read_diary",
    "validate_episodes",
]
