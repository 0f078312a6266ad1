"""The dashboard and the reports in a real browser: Debian's chromium driven by Playwright.

The browser is never downloaded: it is /usr/bin/chromium (``.ci/run`` installs it with
apt and sets EMPATHICA_REQUIRE_BROWSER=1, so that a missing browser fails CI instead of
skipping). Every request the page makes is intercepted: any host other than the
dashboard's own loopback server (or, for a report, any request at all) fails the test.
Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

if not CHROMIUM.exists() or not __import__("importlib").util.find_spec("playwright"):
    if os.environ.get("EMPATHICA_REQUIRE_BROWSER") == "1":
        raise RuntimeError("browser tests need /usr/bin/chromium and playwright (apt install chromium)")
    pytest.skip("no /usr/bin/chromium or playwright here", allow_module_level=True)

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from empathica.app import create_app  # noqa: E402
from empathica.recognize.limits import LIMITS  # noqa: E402

UPLOAD_LIMIT = 256 << 10  # a small limit, so that "a huge file" stays small here


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    config = uvicorn.Config(
        create_app(max_upload_bytes=UPLOAD_LIMIT), host="127.0.0.1", port=port, log_level="error"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    start = time.perf_counter()
    thread.start()
    while not srv.started:
        time.sleep(0.02)
        assert time.perf_counter() - start < 30, "the dashboard did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Guard:
    """Records every request; lets through only the allowed origin."""

    def __init__(self, page, allowed: str | None):
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.allowed = urlparse(allowed).netloc if allowed else None
        page.route("**/*", self._route)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme == "file" or (self.allowed and url.netloc == self.allowed and url.scheme == "http"):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()


@pytest.fixture
def page(browser, server):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    guard = Guard(pg, server)
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=30000)
    yield pg, guard
    assert guard.foreign == [], f"the page asked other hosts: {guard.foreign}"
    assert guard.errors == [], guard.errors
    pg.close()


def _plot_data(pg, div: str) -> str:
    return pg.evaluate(f"JSON.stringify(document.getElementById('{div}').data.map(t => [t.x, t.y]))")


def _wait_version(pg, div: str, version: int, timeout: float = 60.0) -> None:
    """Wait until the figure ``div`` has been drawn ``version`` times (polled from here: the
    page's Content-Security-Policy forbids the eval that ``wait_for_function`` uses)."""
    end = time.perf_counter() + timeout
    script = f"Number(document.getElementById('{div}').dataset.version || 0)"
    while pg.evaluate(script) < version:
        assert time.perf_counter() < end, f"{div} was not drawn {version} time(s)"
        pg.wait_for_timeout(50)


def _set_slider(pg, element_id: str, value: float) -> None:
    pg.evaluate(
        f"""() => {{ const i = document.getElementById('{element_id}'); i.value = '{value}';
        i.dispatchEvent(new Event('input')); }}"""
    )


def test_run_a_dyad_move_a_slider_and_the_figure_changes(page):
    pg, _ = page
    pg.fill("#dyads", "100")
    pg.fill("#days", "365")
    started = time.perf_counter()
    pg.click("#run")
    _wait_version(pg, "plot-average", 1)
    first_seconds = time.perf_counter() - started
    assert pg.locator("#plot-average .main-svg").count() > 0
    before = _plot_data(pg, "plot-average")
    _set_slider(pg, "trait-a-emotion_regulation", 0.9)
    assert pg.inner_text("#sliders-a").count("0.90") >= 1  # the value shown follows the slider
    pg.click("#run")
    _wait_version(pg, "plot-average", 2)
    assert _plot_data(pg, "plot-average") != before
    assert "done in" in pg.inner_text("#dyad-status")
    pg.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=False)
    (ARTIFACTS / "timings.txt").write_text(f"first run of 100 dyads x 365 days: {first_seconds:.2f} s\n")


def test_sample_diary_gives_a_verdict_with_the_readme_wording(page, tmp_path):
    from empathica.recognize import synthetic_diary

    pg, _ = page
    path = tmp_path / "sample_diary.csv"
    synthetic_diary(n_actors=4, episodes=60, seed=3).to_csv(path, index=False)
    pg.click("nav button[data-tab='diary']")
    assert " ".join(pg.inner_text("#tab-diary .limits").split()) == " ".join(LIMITS.split())
    pg.set_input_files("#diary-file", str(path))
    pg.wait_for_selector("#diary-verdicts table", timeout=60000)
    text = pg.inner_text("#diary-verdicts")
    assert any(v in text for v in ("genuine", "conditional", "uncertain"))
    _wait_version(pg, "plot-diary", 1)
    pg.screenshot(path=str(ARTIFACTS / "diary.png"), full_page=False)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("diary.xlsx", b"PK\x03\x04 not really a workbook", "spreadsheet"),
        ("huge.csv", b"actor,responded,audience,benefit\n" + b"a,1,0,0\n" * 40000, "larger than"),
        ("broken.csv", b"actor,responded,audience,benefit\nann,maybe,0,0\n", "responded"),
        ("columns.csv", b"who,what\nx,y\n", "missing required columns"),
    ],
)
def test_bad_uploads_get_a_message_in_the_page(page, tmp_path, name, content, message):
    pg, _ = page
    path = tmp_path / name
    path.write_bytes(content)
    pg.click("nav button[data-tab='diary']")
    pg.set_input_files("#diary-file", str(path))
    pg.wait_for_selector("#diary-status.error", timeout=30000)
    assert message in pg.inner_text("#diary-status")
    assert pg.locator("#diary-verdicts table").count() == 0


def test_lab_study_and_validation_subset(page):
    pg, _ = page
    pg.click("nav button[data-tab='study']")
    pg.fill("#study-n", "60")
    pg.click("#study-run")
    _wait_version(pg, "plot-study", 1)
    assert "met_cognitive" in pg.inner_text("#study-table")
    pg.click("nav button[data-tab='validation']")
    pg.fill("#val-only", "A4")
    pg.click("#val-run")
    _wait_version(pg, "plot-validation", 1)
    assert "A4" in pg.inner_text("#val-table")


def test_a_bad_request_is_one_line_in_the_page(page):
    pg, _ = page
    pg.fill("#dyads", "100000")
    pg.click("#run")
    pg.wait_for_selector("#dyad-status.error", timeout=30000)
    assert "dyads" in pg.inner_text("#dyad-status") and "2000" in pg.inner_text("#dyad-status")


def test_reports_render_with_the_network_blocked(browser, tmp_path):
    import empathica
    from empathica.recognize import synthetic_diary
    from empathica.report import build, write_html
    from empathica.validation.report import run_validation, write

    run = tmp_path / "run"
    empathica.simulate(["bpd:secure", "npd:secure"], dyads=20, days=120, seed=1).save(run)
    val = tmp_path / "val"
    write(run_validation(only="A4,L2"), val)
    diary = tmp_path / "diary.csv"
    synthetic_diary(n_actors=3, episodes=50, seed=1).to_csv(diary, index=False)
    reports = {
        "run": build(source=run),
        "validation": build(source=val),
        "diary": build(diary=diary),
    }
    for name, rep in reports.items():
        html_path = write_html(rep, tmp_path / f"{name}.html")
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        guard = Guard(pg, None)
        pg.goto(html_path.as_uri())
        pg.wait_for_selector(".figure .main-svg", timeout=30000)
        assert pg.locator(".figure .main-svg").count() >= 1
        assert guard.foreign == [] and guard.errors == []
        if name == "diary":
            assert " ".join(LIMITS.split()) in " ".join(pg.inner_text("body").split())
        pg.screenshot(path=str(ARTIFACTS / f"report_{name}.png"), full_page=False)
        pg.close()
