"""Knowledge tracing: blendcoach's tracer against pyBKT (standard BKT and BKT with forgets).

    python -m bench.knowledge_tracing TRAIN.csv TEST.csv --out F.json [--no-baselines]
    python -m bench.knowledge_tracing TRAIN.csv --tune     # validation inside TRAIN only

Both files are long format ``user_id,skill_name,correct`` with rows in time order per
learner. Every model is fitted on TRAIN and predicts each TEST row from that learner's
earlier TEST rows only; AUC, RMSE and log loss are computed the same way (scikit-learn) on
the same rows. ``fit_seconds`` times the fit on TRAIN.

blendcoach's hyperparameters (``recommender.mastery.KnowledgeTracer`` defaults) were chosen
with ``--tune``: fit on 80% of TRAIN's learners, scored on the other 20%. The test split is
never used for choosing anything.

pyBKT 1.4.3 runs in its own virtual environment, built on first use under
``~/.cache/blendcoach/pybkt-venv`` (``--pybkt-venv``): it does not import with numpy 2 or
recent scikit-learn, and without ``--no-build-isolation`` pip silently installs its pure-Python
fallback, hundreds of times slower. The benchmark checks that the C++ extension is in use.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, track
from sklearn.metrics import log_loss, mean_squared_error, roc_auc_score

from bench.common import console, print_table, write_json
from recommender.mastery import Attempts, KnowledgeTracer

METHODS = ("blendcoach", "pybkt", "pybkt_forgets")
DEFAULT_VENV = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "blendcoach" / "pybkt-venv"
)
PYBKT_PINS = ("numpy<2", "pandas<2.3", "scikit-learn<1.6")
TUNE_GRID: tuple[dict[str, Any], ...] = (
    {},
    {"trees": 200, "learning_rate": 0.1},
    {"forgets": False},
)

# Runs inside the pyBKT venv: fit on TRAIN, predict TEST, save predictions in TEST's row order.
PYBKT_SCRIPT = r"""
import json, sys, time
import numpy as np, pandas as pd
from pyBKT.fit import E_step
if not E_step.__file__.endswith((".so", ".pyd")):
    sys.exit("pyBKT's C++ extension is not in use: " + E_step.__file__)
from pyBKT.models import Model
train, test, out, forgets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
cols = ["user_id", "skill_name", "correct"]
dtypes = {"user_id": str, "skill_name": str}
tr = pd.read_csv(train, usecols=cols, dtype=dtypes)
te = pd.read_csv(test, usecols=cols, dtype=dtypes)
for d in (tr, te):
    d["order_id"] = np.arange(len(d))  # pyBKT sorts by it, then stably by learner
model = Model(seed=42, num_fits=5)
start = time.perf_counter()
model.fit(data=tr, forgets=forgets)
fit_seconds = time.perf_counter() - start
pred = model.predict(data=te.copy()).set_index("order_id").loc[np.arange(len(te))]
assert (pred["correct"].to_numpy() == te["correct"].to_numpy()).all(), "misaligned rows"
np.save(out, pred["correct_predictions"].to_numpy(dtype=float))
print(json.dumps({"fit_seconds": fit_seconds}))
"""


def metrics(y: npt.NDArray[Any], p: npt.NDArray[np.float64]) -> dict[str, float]:
    """AUC, RMSE and log loss of predicted probabilities ``p`` for outcomes ``y``."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return {
        "auc": float(roc_auc_score(y, p)),
        "rmse": float(np.sqrt(mean_squared_error(y, p))),
        "logloss": float(log_loss(y, p, labels=[0, 1])),
    }


def run_blendcoach(
    train: Attempts, test: Attempts, **params: Any
) -> tuple[npt.NDArray[np.float64], float]:
    start = time.perf_counter()
    tracer = KnowledgeTracer(**params).fit(train)
    fit_seconds = time.perf_counter() - start
    return tracer.predict_attempts(test), fit_seconds


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def _has_extension(python: Path) -> bool:
    check = (
        "from pyBKT.fit import E_step; import sys; sys.exit(not E_step.__file__.endswith('.so'))"
    )
    return subprocess.run([str(python), "-c", check], capture_output=True).returncode == 0


def ensure_pybkt(venv: Path) -> Path:
    """The venv's Python with pyBKT 1.4.3 and its compiled extension (built when missing)."""
    python = venv / "bin" / "python"
    if python.exists() and _has_extension(python):
        return python
    base = shutil.which("python3.11")
    if base is None:
        raise SystemExit("python3.11 is needed to build the pyBKT environment")
    console.print(f"building the pyBKT environment in {venv} (once, about a minute)")
    _run([base, "-m", "venv", "--clear", str(venv)])
    pip = [str(python), "-m", "pip", "install", "-q"]
    _run([*pip, "--upgrade", "pip", "wheel", "setuptools>=65,<75", *PYBKT_PINS])
    _run([*pip, "--no-build-isolation", "--no-cache-dir", "--no-binary", "pyBKT", "pyBKT==1.4.3"])
    if not _has_extension(python):
        raise SystemExit(
            f"pyBKT's C++ extension did not build in {venv}: refusing the slow fallback"
        )
    return python


def run_pybkt(
    python: Path, train: Path, test: Path, *, forgets: bool
) -> tuple[npt.NDArray[np.float64], float]:
    with tempfile.TemporaryDirectory(prefix="blendcoach-pybkt-") as tmp:
        out = Path(tmp) / "pred.npy"
        cmd = [str(python), "-c", PYBKT_SCRIPT, str(train), str(test), str(out), str(int(forgets))]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"pyBKT failed:\n{done.stderr[-3000:]}")
        fit_seconds = float(json.loads(done.stdout.strip().splitlines()[-1])["fit_seconds"])
        return np.load(out), fit_seconds


def benchmark(
    train_csv: Path, test_csv: Path, *, baselines: bool, venv: Path
) -> dict[str, dict[str, float] | None]:
    train, test = Attempts.read_csv(train_csv), Attempts.read_csv(test_csv)
    results: dict[str, dict[str, float] | None] = dict.fromkeys(METHODS)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("blendcoach: fit and predict", total=len(METHODS))
        pred, fit_seconds = run_blendcoach(train, test)
        results["blendcoach"] = {**metrics(test.correct, pred), "fit_seconds": fit_seconds}
        progress.advance(task)
        if baselines:
            progress.update(task, description="pyBKT: environment")
            python = ensure_pybkt(venv)
            for name, forgets in (("pybkt", False), ("pybkt_forgets", True)):
                progress.update(task, description=f"{name}: fit and predict")
                pred, fit_seconds = run_pybkt(python, train_csv, test_csv, forgets=forgets)
                if len(pred) != len(test):
                    raise SystemExit(f"{name}: {len(pred)} predictions for {len(test)} rows")
                results[name] = {**metrics(test.correct, pred), "fit_seconds": fit_seconds}
                progress.advance(task)
    return results


def tune(train_csv: Path) -> list[list[Any]]:
    """Score each grid point on 20% of TRAIN's learners after fitting on the other 80%."""
    train = Attempts.read_csv(train_csv)
    held = np.array([zlib.crc32(u.encode()) % 5 == 0 for u in train.user.tolist()])
    fit_part, val_part = train.take(~held), train.take(held)
    rows = []
    for params in track(TUNE_GRID, description="validation grid", console=console):
        pred, fit_seconds = run_blendcoach(fit_part, val_part, **params)
        m = metrics(val_part.correct, pred)
        rows.append([json.dumps(params), m["auc"], m["rmse"], m["logloss"], fit_seconds])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("test", type=Path, nargs="?")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-baselines", action="store_true", help="skip pyBKT (keys are null)")
    parser.add_argument("--pybkt-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--tune", action="store_true", help="validation grid inside TRAIN")
    args = parser.parse_args(argv)
    if args.tune:
        rows = tune(args.train)
        print_table(
            "validation (held-out learners of TRAIN)",
            ["params", "auc", "rmse", "logloss", "fit s"],
            rows,
        )
        return 0
    if args.test is None or args.out is None:
        parser.error("TEST and --out are required (unless --tune)")
    results = benchmark(
        args.train, args.test, baselines=not args.no_baselines, venv=args.pybkt_venv
    )
    rows = [
        [name, *(k[m] for m in ("auc", "rmse", "logloss", "fit_seconds"))]
        for name, k in results.items()
        if k is not None
    ]
    print_table(
        f"knowledge tracing: {args.test.name}", ["model", "auc", "rmse", "logloss", "fit s"], rows
    )
    write_json(args.out, dict(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
