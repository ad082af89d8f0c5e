"""Write the illustrative sample tables to data/sample/ and check the published figures.

Deterministic (seeded): running it twice gives byte-identical files. The tables are written the
way a Swedish office exports them (semicolon, decimal comma, UTF-8). After writing, the tables are
loaded through ``index_engine`` and every figure the 2025 report publishes is asserted at one
decimal, with the unrounded value at least 0.01 away from a rounding boundary.

    python scripts/make_sample_data.py [--out data/sample]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_initiatives import INITIATIVES, OBJEKT_CODES, STATUS_CODES  # noqa: E402

from index_engine import (  # noqa: E402
    AREA_DIMENSION,
    DIMENSIONS,
    compute_year,
    fmt_number,
    load_dataset,
)
from index_engine.loaders import TABLE_COLUMNS  # noqa: E402

SEED = 20251
DELIM = ";"

# ---------------------------------------------------------------------------------------------
# Targets. Published values come from the 2025 report; the rest are illustrative choices
# (listed in data/sample/README.md).
# ---------------------------------------------------------------------------------------------
DIMIOS = {
    # year: (recipients, respondents, {dimension: target percent}, {area: offset in pct points})
    2022: (204, 149, {"Digital förmåga": 54.60, "Digitalt arv": 57.44}),
    2023: (210, 156, {"Digital förmåga": 58.90, "Digitalt arv": 62.30}),
    2024: (212, 138, {"Digital förmåga": 59.80, "Digitalt arv": 68.64}),
    2025: (220, 142, {"Digital förmåga": 61.50, "Digitalt arv": 68.74}),
}
AREA_OFFSETS = {
    "Effektivitet": 4.0,
    "Innovation": -5.0,
    "Balansering": 1.0,
    "Teknik": 3.0,
    "Användare": 0.5,
    "Organisation": -3.5,
}
STATEMENTS = {
    "Effektivitet": (
        "Vi använder digitala lösningar för att effektivisera våra arbetsprocesser",
        "Vi följer upp vilka effekter digitaliseringen ger i verksamheten",
        "Vi återanvänder lösningar och data mellan verksamheter",
    ),
    "Innovation": (
        "Vi har utrymme att pröva nya digitala arbetssätt",
        "Vi involverar invånare och användare när vi utvecklar tjänster",
        "Vi omvärldsbevakar och tar till oss ny teknik",
    ),
    "Balansering": (
        "Vi har en bra balans mellan förvaltning och utveckling",
        "Prioriteringen mellan digitala satsningar är tydlig",
        "Digitalisering samordnas över organisatoriska gränser",
    ),
    "Teknik": (
        "Våra system är flexibla och går att anpassa när behoven ändras",
        "Våra system är väl förvaltade och dokumenterade",
        "Informationssäkerheten i våra system är god",
    ),
    "Användare": (
        "Medarbetarna har den digitala kompetens som krävs",
        "Användarna får stöd när nya system införs",
        "Våra digitala tjänster är enkla att använda för invånarna",
    ),
    "Organisation": (
        "Roller och ansvar för digitalisering är tydliga",
        "Vi har en strategi för digital kompetensförsörjning",
        "Ledningen driver digitaliseringsfrågorna aktivt",
    ),
}
VERKSAMHETER = {
    # verksamhet: (share of respondents, offset in score points per year)
    "Kommunledning": (0.10, {2022: 0.45, 2023: 0.45, 2024: 0.45, 2025: 0.45}),
    "Kommunstyrelsens stab": (0.14, {2022: 0.30, 2023: 0.30, 2024: 0.35, 2025: 0.35}),
    "Social omsorg": (0.16, {2022: -0.10, 2023: -0.05, 2024: 0.00, 2025: -0.05}),
    "Välfärd skola": (0.16, {2022: -0.20, 2023: -0.15, 2024: -0.10, 2025: -0.15}),
    "Välfärd samhällsservice": (0.10, {2022: -0.25, 2023: -0.25, 2024: -0.20, 2025: 0.00}),
    "Utbildning och arbetsmarknad": (0.10, {2022: -0.35, 2023: -0.35, 2024: -0.30, 2025: 0.05}),
    "Natur och trafik": (0.08, {2022: -0.20, 2023: -0.20, 2024: -0.15, 2025: 0.05}),
    "Kultur och fritid": (0.06, {2022: -0.15, 2023: -0.10, 2024: -0.10, 2025: -0.10}),
    "Samhällsbyggnad": (0.10, {2022: 0.00, 2023: 0.05, 2024: 0.05, 2025: 0.00}),
}
EMPLOYEE = {
    # year: (answers, sum of scores) -> mean; 2024 and 2025 reproduce the published/implied means
    2023: (1160, 4292),  # 3.70 (illustrative)
    2024: (1200, 4512),  # 3.76 (implied by Förutsättningar ≈ 7,0)
    2025: (1250, 4650),  # 3.72 (published)
}
NYTTA_TARGET = {2023: 84.30, 2024: 88.04, 2025: 87.36}  # percent

PUBLISHED = [
    # (year, figure key, expected display)
    (2025, "index", "8,2"),
    (2025, "forutsattningar", "7,0"),
    (2025, "resultat", "8,8"),
    (2025, "nytta", "8,7"),
    (2025, "digital_mognad", "65,1 %"),
    (2025, "medarbetare_medel", "3,72"),
    (2025, "medarbetare", "74,4 %"),
    (2025, "dimios_mottagare", "220"),
    (2025, "dimios_svarsfrekvens", "64,5 %"),
    (2024, "index", "8,1"),
    (2024, "forutsattningar", "7,0"),
    (2024, "resultat", "8,5"),
    (2024, "nytta", "8,8"),
    (2024, "digital_mognad", "64,2 %"),
    (2023, "resultat", "9,2"),
    (2022, "digital_mognad", "56,0 %"),
    (2022, "dimios_mottagare", "204"),
    (2022, "dimios_svarsfrekvens", "73,0 %"),
]
#: Figures whose unrounded value is fixed by published integers (counts), exempt from the margin.
MARGIN_EXEMPT = {"dimios_svarsfrekvens", "dimios_mottagare", "medarbetare_medel", "medarbetare"}

# (initiative id, kind, indicator, unit, baseline, expected, fixed measured or None)
BENEFITS: dict[int, list[tuple[str, str, str, str, float | None, float, float | str | None]]] = {
    2023: [
        ("D2023-001", "omställning", "Frigjord handläggningstid", "timmar/år", None, 400, None),
        ("D2023-006", "omställning", "Frigjord tid i ekonomienheten", "timmar/år", None, 900, None),
        ("D2023-007", "kvalitativ", "Tid från beslut till besked", "dagar", 6, 2, None),
        ("D2023-008", "ekonomisk", "Kostnad för nyckelhantering", "kr/år", 850000, 300000, None),
        ("D2023-009", "omställning", "Minskad restid i hemtjänsten", "timmar/år", None, 5000, None),
        ("D2023-011", "kvalitativ", "Andel kompletta ansökningar", "procent", 55, 85, None),
        ("D2023-012", "omställning", "Frigjord handläggartid", "timmar/år", None, 1800, None),
        ("D2023-019", "omställning", "Samtal till expeditionerna", "samtal/vecka", 900, 200, None),
        ("D2023-023", "omställning", "Tid för schemaläggning", "timmar/termin", 600, 300, None),
        (
            "D2023-031",
            "ekonomisk",
            "Administrationskostnad för körjournaler",
            "kr/år",
            240000,
            60000,
            None,
        ),
        (
            "D2023-035",
            "ekonomisk",
            "Licens- och driftkostnad för kassor",
            "kr/år",
            410000,
            250000,
            None,
        ),
        (
            "D2023-038",
            "kvalitativ",
            "Andel ärenden som behöver kompletteras",
            "procent",
            60,
            35,
            None,
        ),
        (
            "D2023-047",
            "omställning",
            "Samtal om lösenord till IT-supporten",
            "samtal/månad",
            1400,
            300,
            None,
        ),
        (
            "D2023-042",
            "omställning",
            "Frigjord tid för fastighetsskötare",
            "timmar/år",
            None,
            1500,
            None,
        ),
    ],
    2024: [
        ("D2023-009", "omställning", "Minskad restid i hemtjänsten", "timmar/år", None, 5000, None),
        ("D2023-030", "kvalitativ", "Tid från felanmälan till åtgärd", "dagar", 14, 7, None),
        ("D2023-045", "kvalitativ", "Andel ärenden som startas digitalt", "procent", 35, 60, None),
        ("D2024-015", "omställning", "Frigjord handläggartid", "timmar/år", None, 600, None),
        ("D2024-010", "kvalitativ", "Tid till hjälp vid fall", "minuter", 45, 20, None),
        ("D2024-017", "kvalitativ", "Besök i jämförelsetjänsten", "besök/år", 40000, 60000, None),
        (
            "D2024-022",
            "kvalitativ",
            "Handläggningstid för serveringstillstånd",
            "dagar",
            60,
            30,
            None,
        ),
        ("D2024-030", "kvalitativ", "Kapade elevkonton", "antal/år", 120, 20, None),
        ("D2024-040", "omställning", "Tid för rapportering", "timmar/år", None, 700, None),
        ("D2024-045", "kvalitativ", "Öppettimmar per vecka", "timmar", 45, 90, None),
        ("D2024-054", "omställning", "Frigjord tid vid ronderingar", "timmar/år", None, 800, None),
        ("D2024-060", "omställning", "Ärenden lösta via självbetjäning", "procent", 5, 25, None),
        (
            "D2024-055",
            "ekonomisk",
            "Energikostnad i pilotbyggnaderna",
            "kr/år",
            3200000,
            2900000,
            None,
        ),
        ("D2024-032", "kvalitativ", "Andel elever som klarar kursen", "procent", 62, 70, None),
        ("D2024-043", "kvalitativ", "Andel bokad tid som används", "procent", 70, 85, None),
        ("D2023-006", "omställning", "Frigjord tid i ekonomienheten", "timmar/år", None, 900, None),
    ],
    2025: [
        ("D2025-012", "kvalitativ", "Tid från ansökan till beslut", "dagar", 3.2, 1, None),
        ("D2025-012", "omställning", "Frigjord handläggartid", "timmar/år", None, 1100, None),
        ("D2025-021", "kvalitativ", "Tid för att publicera en ändring", "minuter", 1440, 1, 0.1),
        (
            "D2025-003",
            "kvalitativ",
            "Andel dokument med känslighetsmärkning",
            "procent",
            None,
            90,
            None,
        ),
        (
            "D2025-009",
            "omställning",
            "Frigjord tid för leverantörskontroll",
            "timmar/år",
            None,
            350,
            None,
        ),
        (
            "D2025-011",
            "ekonomisk",
            "Kostnad för utskrift och porto av avtal",
            "kr/år",
            180000,
            40000,
            None,
        ),
        ("D2025-016", "kvalitativ", "Andel felaktiga fakturor", "procent", 4, 1, None),
        ("D2025-020", "omställning", "Dokumentationstid per utredning", "timmar", 12, 8, None),
        ("D2025-030", "omställning", "Frigjord tid för placering", "timmar/år", None, 500, None),
        (
            "D2025-040",
            "kvalitativ",
            "Besök i realtidsvyn för infartsparkering",
            "besök/månad",
            None,
            3000,
            None,
        ),
        ("D2025-044", "omställning", "Handläggningstid för föreningsbidrag", "dagar", 30, 10, None),
        ("D2024-015", "omställning", "Frigjord handläggartid", "timmar/år", None, 600, None),
        ("D2024-060", "omställning", "Ärenden lösta via självbetjäning", "procent", 5, 25, None),
        (
            "D2024-055",
            "ekonomisk",
            "Energikostnad i pilotbyggnaderna",
            "kr/år",
            3200000,
            2900000,
            None,
        ),
        (
            "D2025-042",
            "ekonomisk",
            "Kostnad för fakturakontroll av snöröjning",
            "kr/år",
            150000,
            50000,
            None,
        ),
        ("D2025-029", "omställning", "Tid för tillsynsförberedelse", "timmar/år", 900, 500, ""),
        ("D2025-051", "omställning", "Frigjord administrativ tid", "timmar/år", None, 600, None),
    ],
}


def num(x: float | int | None) -> str:
    """A number written with decimal comma (no thousands separator), '' for None."""
    if x is None:
        return ""
    if float(x).is_integer():
        return str(int(x))
    return repr(round(float(x), 4)).replace(".", ",")


def write_csv(path: Path, header: Sequence[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=DELIM, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def initiative_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for year, items in INITIATIVES.items():
        for i, (code, status, ie, os_, ei, title, desc) in enumerate(items, start=1):
            rows.append(
                [
                    f"D{year}-{i:03d}",
                    year,
                    title,
                    desc,
                    OBJEKT_CODES[code],
                    STATUS_CODES[status],
                    ie,
                    os_,
                    ei,
                ]
            )
    return rows


def adjust_sum(scores: list[int], target: int, low: int, high: int, rng: random.Random) -> None:
    """Move single answers up or down by one until the scores sum to ``target``."""
    total = sum(scores)
    idx = list(range(len(scores)))
    while total != target:
        step = 1 if total < target else -1
        rng.shuffle(idx)
        for i in idx:
            if low <= scores[i] + step <= high:
                scores[i] += step
                total += step
                if total == target:
                    break


def dimios_rows(rng: random.Random) -> tuple[list[list[object]], list[list[object]]]:
    answers: list[list[object]] = []
    recipients: list[list[object]] = []
    names = list(VERKSAMHETER)
    weights = [VERKSAMHETER[n][0] for n in names]
    for year, (n_rec, n_resp, dims) in DIMIOS.items():
        recipients.append([year, n_rec])
        people = [
            (f"R{year}-{i:03d}", rng.choices(names, weights)[0]) for i in range(1, n_resp + 1)
        ]
        person_offset = {p: rng.gauss(0, 0.45) for p, _v in people}
        for dim, dim_target in dims.items():
            for area in DIMENSIONS[dim]:
                target_pct = dim_target + AREA_OFFSETS[area]
                target_mean = target_pct / 20.0 + 1.0
                cells: list[tuple[str, str, str, int]] = []
                for statement in STATEMENTS[area]:
                    for person, verk in people:
                        latent = (
                            target_mean
                            + VERKSAMHETER[verk][1][year]
                            + person_offset[person]
                            + rng.gauss(0, 0.7)
                        )
                        cells.append((person, verk, statement, min(6, max(1, round(latent)))))
                scores = [c[3] for c in cells]
                adjust_sum(scores, round(target_mean * len(scores)), 1, 6, rng)
                for (person, verk, statement, _s), score in zip(cells, scores, strict=True):
                    answers.append(
                        [year, person, verk, AREA_DIMENSION[area], area, statement, score]
                    )
    answers.sort(key=lambda r: (r[0], r[1], list(STATEMENTS).index(str(r[4])), str(r[5])))
    return answers, recipients


def employee_rows(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    names = list(VERKSAMHETER)
    weights = [VERKSAMHETER[n][0] for n in names]
    for year, (n, total) in EMPLOYEE.items():
        mean = total / n
        scores = [min(5, max(1, round(rng.gauss(mean, 0.95)))) for _ in range(n)]
        adjust_sum(scores, total, 1, 5, rng)
        for s in scores:
            rows.append([year, rng.choices(names, weights)[0], s])
    return rows


def _measured_for(b: float, expected: float, a: float) -> float:
    value = b + a * (expected - b)
    return round(value) if abs(expected - b) >= 100 else round(value, 1)


def _achievement(b: float, expected: float, measured: float) -> float:
    return min(1.0, max(0.0, (measured - b) / (expected - b)))


def benefit_rows(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    for year, items in BENEFITS.items():
        free = [i for i, it in enumerate(items) if it[6] is None]
        last = max(i for i in free if items[i][4] is None)  # a large-range indicator closes the gap
        for _attempt in range(1000):
            measured: dict[int, float | str] = {}
            achieved = 0.0
            counted = 0
            for i, (_id, _k, _ind, _u, base, expected, fixed) in enumerate(items):
                if fixed == "":
                    measured[i] = ""  # not yet measured
                    continue
                counted += 1
                b = base or 0.0
                if i == last:
                    continue
                m = (
                    float(fixed)
                    if fixed is not None
                    else _measured_for(b, expected, rng.uniform(0.62, 1.18))
                )
                measured[i] = m
                achieved += _achievement(b, expected, m)
            need = NYTTA_TARGET[year] / 100.0 * counted - achieved
            if 0.45 <= need <= 0.97:
                b = items[last][4] or 0.0
                measured[last] = round(b + need * (items[last][5] - b), 2)
                break
        else:  # pragma: no cover
            raise SystemExit(f"could not reach the nytta target for {year}")
        for i, (iid, kind, indicator, unit, base, expected, _fixed) in enumerate(items):
            value = measured[i]
            rows.append(
                [
                    iid,
                    year,
                    kind,
                    indicator,
                    unit,
                    num(base),
                    num(expected),
                    "" if value == "" else num(float(value)),
                ]
            )
    return rows


def write_all(out: Path) -> None:
    """Write every table, with the loader's own column list as its header."""
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[list[object]]] = {
        "initiativ": initiative_rows(),
        "nyttoregister": benefit_rows(rng),
    }
    tables["dimios_svar"], tables["dimios_mottagare"] = dimios_rows(rng)
    tables["medarbetarenkat"] = employee_rows(rng)
    for name, rows in tables.items():
        write_csv(out / f"{name}.csv", TABLE_COLUMNS[name], rows)


def check(out: Path) -> None:
    ds = load_dataset(out)
    problems: list[str] = []
    reports = {y: compute_year(ds, y) for y in ds.years()}
    for year, key, expected in PUBLISHED:
        fig = reports[year].figures.get(key)
        if fig is None:
            problems.append(f"{year} {key}: missing")
            continue
        if fig.display != expected:
            problems.append(f"{year} {key}: {fig.display} != {expected} ({fig.value})")
        if key not in MARGIN_EXEMPT and fig.value is not None:
            scale = 1.0
            frac = (fig.value * 10 / scale) % 1.0
            if abs(frac - 0.5) < 0.1:  # within 0.01 of a boundary at one decimal
                problems.append(f"{year} {key}: {fig.value} too close to a rounding boundary")
    for year, rep in sorted(reports.items()):
        figs = rep.figures
        shown = ", ".join(
            f"{k}={figs[k].display}"
            for k in (
                "index",
                "forutsattningar",
                "resultat",
                "nytta",
                "digital_mognad",
                "medarbetare",
            )
            if k in figs
        )
        p = rep.portfolio
        avg = {k[:4]: round(v, 2) for k, v in p.average.items()}
        print(f"{year}: {shown}")
        print(
            f"      portfölj {p.count} ({p.change_in_count}), medel {avg}, "
            f"extern/intern { ({k: fmt_number(v) for k, v in p.extern_intern.items()}) }, "
            f"objekt {list(p.per_objekt.items())[:3]}"
        )
    p25 = reports[2025].portfolio
    top = list(p25.per_objekt)[:3]
    if top != ["Ledning och styrning", "Social omsorg", "Välfärd samhällsservice"]:
        problems.append(f"2025 objekt order {top}")
    if len(set(list(p25.per_objekt.values())[:4])) != 4:
        problems.append("2025: the top four objekt counts must differ")
    if p25.change_in_count != -3:
        problems.append(f"2025 change in count {p25.change_in_count}")
    if problems:
        raise SystemExit("Sample data does not reproduce the report:\n  " + "\n  ".join(problems))
    print("OK: every published figure is reproduced.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "sample")
    args = parser.parse_args()
    write_all(args.out)
    check(args.out)


if __name__ == "__main__":
    main()
