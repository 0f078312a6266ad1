"""One self-contained HTML page: inline styles, inline Plotly, no fonts or requests from outside.

A report is a title, a line saying what it is and is not, and sections of prose,
figures and tables. Every string that comes from data (names, paths, notes) is
HTML-escaped, so a diary or a profile cannot inject markup or script.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from empathica.recognize.limits import NOT_A_DIAGNOSIS

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
.note{background:#fff8e1;border-left:4px solid #E69F00;padding:8px 12px;margin:12px 0}
.limits{background:#eef5fb;border-left:4px solid #0072B2;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;font-size:.85em;margin:8px 0;background:#fff}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.figure{background:#fff;margin:8px 0;border:1px solid #eee}
footer{color:#666;font-size:.8em;margin-top:2em}
"""


@dataclass
class Section:
    title: str
    prose: list[str] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    tables: list[pd.DataFrame] = field(default_factory=list)
    css_class: str = ""


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, na_rep="", float_format=lambda x: f"{x:.3g}", border=0)


def _figure(fig: go.Figure, n: int) -> str:
    spec = pio.to_json(fig, validate=False).replace("</", "<\\/")  # no "</script>" from data
    div = f"fig{n}"
    return (
        f'<div class="figure" id="{div}"></div>'
        f"<script>(function(){{var f={spec};Plotly.newPlot('{div}',f.data,f.layout,"
        f"{{displaylogo:false,responsive:true}});}})();</script>"
    )


def page(title: str, subtitle: str, sections: list[Section], footer: str = "") -> str:
    """The whole HTML document as a string."""
    parts = []
    n = 0
    for s in sections:
        cls = f' class="{s.css_class}"' if s.css_class else ""
        body = [f"<h2>{html.escape(s.title)}</h2>"] if s.title else []
        body += [f"<p{cls}>{html.escape(p)}</p>" for p in s.prose]
        for fig in s.figures:
            body.append(_figure(fig, n))
            n += 1
        body += [_table(t) for t in s.tables]
        parts.append("<section>" + "".join(body) + "</section>")
    meta = json.dumps({"generator": "empathica report", "figures": n})
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
        f"<script>{get_plotlyjs()}</script>"
        f"<script type='application/json' id='report-meta'>{meta}</script></head><body><main>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>"
        f"<p class='note'>{html.escape(NOT_A_DIAGNOSIS)}</p>"
        + "".join(parts)
        + f"<footer>{html.escape(footer)}</footer></main></body></html>"
    )
