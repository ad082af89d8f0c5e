"""Benchmark the index engine on synthetic data far larger than any municipality's.

100,000 initiatives, 500,000 benefit rows, 1,000,000 DiMiOS answers and 200,000 employee answers,
spread over ten years. Times ``compute_year`` (every figure of one year, with breakdowns,
previous-year changes and the portfolio) and prints it beside a bare pandas groupby that computes
only the headline numbers over the same frames. Optionally also times validation of the same
tables end to end (``--validate``): write them as CSV and time ``load_dataset``.

    python scripts/bench_index.py [--repeat 5] [--validate]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index_engine import (  # noqa: E402
    AREA_DIMENSION,
    AREAS,
    BENEFIT_KINDS,
    DEFAULT_OBJEKT,
    STATUSES,
    Dataset,
    compute_year,
    load_dataset,
)

N_INIT, N_BEN, N_DIM, N_EMP = 100_000, 500_000, 1_000_000, 200_000
YEARS = np.arange(2016, 2026)


def synthetic(seed: int = 7) -> Dataset:
    rng = np.random.default_rng(seed)
    ids = np.array([f"I{i:06d}" for i in range(N_INIT)], dtype=object)
    initiatives = pd.DataFrame(
        {
            "id": ids,
            "year": rng.choice(YEARS, N_INIT),
            "title": "Initiativ",
            "description": "",
            "objekt": np.array(DEFAULT_OBJEKT, dtype=object)[rng.integers(0, 10, N_INIT)],
            "status": np.array(STATUSES, dtype=object)[
                rng.choice(5, N_INIT, p=[0.05, 0.1, 0.75, 0.05, 0.05])
            ],
            "innovation_effektivitet": rng.integers(1, 6, N_INIT),
            "operativt_strategiskt": rng.integers(1, 6, N_INIT),
            "extern_intern": rng.integers(1, 6, N_INIT),
        }
    )
    expected = rng.uniform(10, 1000, N_BEN)
    baseline = np.where(rng.random(N_BEN) < 0.4, np.nan, rng.uniform(0, 5, N_BEN))
    measured = np.where(rng.random(N_BEN) < 0.05, np.nan, expected * rng.uniform(0.3, 1.3, N_BEN))
    benefits = pd.DataFrame(
        {
            "initiative_id": ids[rng.integers(0, N_INIT, N_BEN)],
            "year": rng.choice(YEARS, N_BEN),
            "kind": np.array(BENEFIT_KINDS, dtype=object)[rng.integers(0, 3, N_BEN)],
            "indicator": "Indikator",
            "unit": "",
            "baseline": baseline,
            "expected": expected,
            "measured": measured,
        }
    )
    # 1,000,000 answers = 10 years x 5,555 respondents x 18 statements (rounded)
    per_year = N_DIM // len(YEARS)
    n_resp = per_year // 18
    rows = n_resp * 18 * len(YEARS)
    area_idx = np.tile(np.repeat(np.arange(6), 3), n_resp * len(YEARS))
    areas = np.array(AREAS, dtype=object)[area_idx]
    resp_num = np.repeat(np.arange(n_resp * len(YEARS)), 18)
    verk = np.array([f"Verksamhet {i}" for i in range(40)], dtype=object)
    dimios = pd.DataFrame(
        {
            "year": np.repeat(YEARS, n_resp * 18),
            "respondent": np.array([f"R{i}" for i in range(n_resp * len(YEARS))], dtype=object)[
                resp_num
            ],
            "verksamhet": verk[(resp_num * 7) % 40],
            "dimension": np.array([AREA_DIMENSION[a] for a in AREAS], dtype=object)[area_idx],
            "area": areas,
            "statement": np.array([f"P{i}" for i in range(18)], dtype=object)[
                np.tile(np.arange(18), n_resp * len(YEARS))
            ],
            "score": rng.integers(1, 7, rows),
        }
    )
    recipients = pd.DataFrame({"year": YEARS, "recipients": np.full(len(YEARS), n_resp * 2)})
    employee = pd.DataFrame(
        {
            "year": rng.choice(YEARS, N_EMP),
            "verksamhet": verk[rng.integers(0, 40, N_EMP)],
            "score": rng.integers(1, 6, N_EMP),
        }
    )
    return Dataset(initiatives, benefits, dimios, recipients, employee, source="synthetic")


def bare_groupby(ds: Dataset) -> dict[str, pd.Series]:
    """Headline numbers only, the plainest pandas way (the floor to compare with)."""
    d = ds.dimios
    pct = (d["score"] - 1) * 20.0
    b = ds.benefits
    base = b["baseline"].fillna(0.0)
    ach = ((b["measured"] - base) / (b["expected"] - base)).clip(0, 1)
    return {
        "dimios": pct.groupby(d["year"]).mean(),
        "dimios_area": pct.groupby([d["year"], d["area"]]).mean(),
        "respondents": d.groupby("year")["respondent"].nunique(),
        "employee": ds.employee.groupby("year")["score"].mean(),
        "genomforande": (ds.initiatives["status"] == "genomförd")
        .groupby(ds.initiatives["year"])
        .mean(),
        "nytta": ach.groupby(b["year"]).mean(),
    }


def timed(fn, repeat: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Median wall time, best wall time, median CPU time of this process (the machine is shared)."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--validate", action="store_true", help="also time validation")
    args = parser.parse_args()

    t = time.perf_counter()
    ds = synthetic()
    build = time.perf_counter() - t
    print(f"cores: {os.cpu_count()}, pandas {pd.__version__}, numpy {np.__version__}")
    print(
        f"synthetic data: {len(ds.initiatives):,} initiatives, {len(ds.benefits):,} benefit rows, "
        f"{len(ds.dimios):,} DiMiOS answers, {len(ds.employee):,} employee answers "
        f"({len(YEARS)} years; built in {build:.1f} s)"
    )
    rep = compute_year(ds, args.year)  # warm-up, and a sanity check
    assert "index" in rep.figures, "synthetic data should give an index"
    med, best, cpu = timed(lambda: compute_year(ds, args.year), args.repeat)
    gmed, gbest, gcpu = timed(lambda: bare_groupby(ds), args.repeat)
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"compute_year({args.year}), all figures:  median {med:.3f} s wall "
        f"(best {best:.3f} s, CPU {cpu:.3f} s)"
    )
    print(
        f"bare pandas groupby (headlines):  median {gmed:.3f} s wall "
        f"(best {gbest:.3f} s, CPU {gcpu:.3f} s)"
    )
    print(
        f"ratio engine / bare groupby: {med / gmed:.1f}x; target <= 1 s: "
        f"{'OK' if med <= 1.0 else 'MISSED'}"
    )
    print(
        f"index {args.year}: {rep.figures['index'].display}, "
        f"{len(rep.figures)} figures, {len(rep.dimios.by_verksamhet)} verksamheter"
    )
    if args.validate:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            t = time.perf_counter()
            for name, frame in (
                ("initiativ", ds.initiatives),
                ("nyttoregister", ds.benefits),
                ("dimios_svar", ds.dimios),
                ("dimios_mottagare", ds.dimios_recipients),
                ("medarbetarenkat", ds.employee),
            ):
                frame.to_csv(folder / f"{name}.csv", sep=";", decimal=",", index=False)
            print(f"wrote the tables as CSV in {time.perf_counter() - t:.1f} s")
            t, c = time.perf_counter(), time.process_time()
            loaded = load_dataset(folder)
            print(
                f"load_dataset (read + validate every row): {time.perf_counter() - t:.2f} s wall, "
                f"CPU {time.process_time() - c:.2f} s"
            )
            t = time.perf_counter()
            again = compute_year(loaded, args.year)
            print(
                f"compute_year on the loaded data: {time.perf_counter() - t:.3f} s, "
                f"index {again.figures['index'].display}"
            )


if __name__ == "__main__":
    main()
