"""The dashboard: a small FastAPI app on the loopback interface and one hand-made page.

Every answer comes from the same Python API the command line uses (``simulate``,
``lab.run``, ``run_validation``, ``recognize``) and the same figure functions as the
report (``report.figures``), sent as Plotly JSON; the page draws them with the copy
of plotly.js that ships inside the plotly package, served by this app. The page
makes no request to any other host: a diary's analysis stays on the machine.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import plotly
import plotly.io as pio
from fastapi import FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from empathica.errors import EmpathicaError
from empathica.recognize.limits import LIMITS, NOT_A_DIAGNOSIS

LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: Bounds of what one request may ask for.
MAX_DYADS, MAX_DAYS, MAX_UPLOAD_BYTES, MAX_STUDY_N, MAX_USER_PROFILES = 2000, 3650, 8 << 20, 5000, 64
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


class DyadRequest(BaseModel):
    profile_a: str = "bpd"
    profile_b: str = "secure"
    traits_a: dict[str, float] = Field(default_factory=dict)
    traits_b: dict[str, float] = Field(default_factory=dict)
    dyads: int = Field(100, ge=1, le=MAX_DYADS)
    days: int = Field(365, ge=1, le=MAX_DAYS)
    seed: int = Field(0, ge=0, le=2**63 - 1)


class StudyRequest(BaseModel):
    populations: list[str] = Field(
        default_factory=lambda: ["bpd_evidence", "population"], min_length=1, max_length=6
    )
    manipulation: str = "stress"
    strength: float = Field(0.6, ge=0, le=1)
    measure: str = "met"
    n: int = Field(100, ge=2, le=MAX_STUDY_N)
    seed: int = Field(0, ge=0, le=2**63 - 1)


class ValidateRequest(BaseModel):
    only: str = Field("A4,L5", max_length=500)


def _fig(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def _records(df) -> list[dict]:
    return json.loads(df.to_json(orient="records"))


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": str(message)}, status_code=status)


async def _read_upload(upload: UploadFile, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise EmpathicaError(
            f"{upload.filename}: larger than {limit >> 20} MiB; the dashboard takes files up to that"
        )
    return data


def create_app(max_upload_bytes: int = MAX_UPLOAD_BYTES, exposed: bool = False) -> FastAPI:
    """The dashboard's FastAPI app (no server started); ``exposed``: served on purpose on an
    address other than loopback (requests may then name other hosts)."""
    app = FastAPI(title="Empathica dashboard", docs_url=None, redoc_url=None, openapi_url=None)
    user_profiles: dict[str, Any] = {}
    lock = threading.Lock()

    @app.exception_handler(EmpathicaError)
    async def _empathica_error(request: Request, exc: EmpathicaError):
        return _error(str(exc))

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "bad request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error(f"{where}: {first.get('msg', 'bad value')}" if where else str(first.get("msg")))

    @app.middleware("http")
    async def _same_machine(request: Request, call_next):
        # Only pages of this server may call it: a request naming another host in its Host
        # header (DNS rebinding) is refused unless the dashboard was exposed on purpose.
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if not exposed and host not in LOOPBACK:
            return _error(f"this dashboard answers only on 127.0.0.1, not {host!r}", 403)
        return await call_next(request)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        text = resources.files("empathica.app").joinpath("page.html").read_text(encoding="utf-8")
        return text.replace("{{LIMITS}}", html.escape(LIMITS)).replace(
            "{{NOT_A_DIAGNOSIS}}", html.escape(NOT_A_DIAGNOSIS)
        )

    @app.get("/assets/plotly.min.js")
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    @app.get("/api/profiles")
    def profiles() -> dict:
        from empathica.model.profiles import builtin_profiles
        from empathica.model.traits import TRAIT_HELP, TRAIT_NAMES

        known = {**builtin_profiles(), **user_profiles}
        return {
            "traits": list(TRAIT_NAMES),
            "help": TRAIT_HELP,
            "profiles": {
                name: dict(zip(TRAIT_NAMES, p.means().round(3).tolist(), strict=True))
                for name, p in known.items()
            },
        }

    @app.post("/api/profiles")
    async def upload_profiles(file: Annotated[UploadFile, File()]) -> dict:
        from empathica.model.profiles import load_profile_file

        data = await _read_upload(file, max_upload_bytes)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "profiles.toml"
            path.write_bytes(data)
            try:
                loaded = load_profile_file(path)
            except EmpathicaError as exc:
                raise EmpathicaError(str(exc).replace(str(path), file.filename or "upload")) from None
        with lock:
            if len(user_profiles) + len(loaded) > MAX_USER_PROFILES:
                raise EmpathicaError(f"at most {MAX_USER_PROFILES} uploaded profiles per dashboard session")
            user_profiles.update(loaded)
        return {"loaded": sorted(loaded)}

    @app.post("/api/simulate")
    def simulate(req: DyadRequest) -> dict:
        import empathica
        from empathica.model.profiles import resolve_profile
        from empathica.report import figures

        sides = []
        for side, name, traits in (("a", req.profile_a, req.traits_a), ("b", req.profile_b, req.traits_b)):
            base = resolve_profile(name, user_profiles)
            prof = base.with_traits(**traits) if traits else base
            label = name if req.profile_a != req.profile_b else f"{name} {side}"  # distinct names in one run
            sides.append(prof.model_copy(update={"name": label}))
        res = empathica.simulate([tuple(sides)], dyads=req.dyads, days=req.days, seed=req.seed)
        tr, ep = res.trajectories, res.episodes
        daily = (
            tr.groupby("t")[
                ["affect_a", "affect_b", "trust_a", "trust_b", "satisfaction_a", "satisfaction_b", "together"]
            ]
            .mean()
            .reset_index()
        )
        summary = {
            "episodes": int(len(ep)),
            "breakups_per_dyad_year": float(tr["breakups"].sum() / req.dyads / (req.days / 365)),
            "reconciliations_per_dyad_year": float(
                tr["reconciliations"].sum() / req.dyads / (req.days / 365)
            ),
            "together": float(tr["together"].mean()),
            "mean_trust_a": float(tr["trust_a"].mean()),
            "mean_trust_b": float(tr["trust_b"].mean()),
        }
        return {
            "trajectories": _fig(figures.trajectory_figure(tr, per_pair=3)),
            "average": _fig(figures.average_figure(daily)),
            "responses": _fig(figures.response_figure(ep)) if len(ep) else None,
            "summary": summary,
        }

    @app.post("/api/study")
    def study(req: StudyRequest) -> dict:
        from empathica import lab
        from empathica.report import figures

        conditions = {
            "control": lab.Condition(),
            req.manipulation: lab.Condition([lab.Induction(req.manipulation, req.strength)]),
        }
        st = lab.Study(
            populations={p: p for p in req.populations},
            conditions=conditions,
            measures=[req.measure],
            n=req.n,
        )
        data = lab.run(st, seed=req.seed)
        measures = [c for c in data.columns if c not in ("participant", "population", "condition")]
        means = data.groupby(["population", "condition"], observed=True)[measures].mean().reset_index()
        effects = [
            lab.compare(
                data,
                m,
                a={"population": p, "condition": req.manipulation},
                b={"population": p, "condition": "control"},
            )
            for p in req.populations
            for m in measures
        ]
        import pandas as pd

        eff = pd.concat(effects, ignore_index=True)
        return {
            "figure": _fig(figures.study_figure(means, measures[0])),
            "effects": _records(eff),
            "means": _records(means),
        }

    @app.post("/api/validate")
    def validate(req: ValidateRequest) -> dict:
        from empathica.report import figures
        from empathica.validation.report import parse_only, run_validation

        df = run_validation(only=parse_only(req.only))
        cols = ["key", "profile_family", "basis", "value", "ci_low", "ci_high", "expected", "verdict"]
        return {"figure": _fig(figures.forest_figure(df)), "rows": _records(df[cols])}

    @app.post("/api/diary")
    async def diary(file: Annotated[UploadFile, File()]) -> dict:
        from empathica.recognize import read_diary, recognize
        from empathica.recognize.recognizer import INDEX_HELP
        from empathica.report import figures

        data = await _read_upload(file, max_upload_bytes)
        suffix = Path(file.filename or "diary.csv").suffix.lower()[:12] or ".csv"
        fd, tmp = tempfile.mkstemp(suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            try:
                episodes = read_diary(tmp, max_bytes=max_upload_bytes)
            except EmpathicaError as exc:
                raise EmpathicaError(str(exc).replace(tmp, file.filename or "diary")) from None
            result = recognize(episodes)
        finally:
            os.unlink(tmp)
        names = ["conditionality", "follow_through", "boundary_unobserved", "accuracy", "consistency"]
        shown = ["actor", "n_episodes", "n_unpaid", "n_paid", "p_conditional", "verdict", "note"]
        return {
            "figure": _fig(figures.indices_figure(result.actors, names)),
            "verdicts": _records(result.actors[shown]),
            "evidence": _records(result.evidence),
            "notes": list(result.notes),
            "help": {n: INDEX_HELP[n] for n in names},
            "limits": LIMITS,
        }

    return app


def serve(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the dashboard until Ctrl-C."""
    import uvicorn

    uvicorn.run(create_app(exposed=host not in LOOPBACK), host=host, port=port, log_level="warning")
