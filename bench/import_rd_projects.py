"""Benchmark of `manage.py import_rd_projects` on 60,000 NTIS-style rows (about two
participants each), on PostgreSQL (when DATABASE_URL points at one) and on SQLite.

    .venv/bin/python bench/import_rd_projects.py [--rows 60000]
    DATABASE_URL=postgres://postgres@127.0.0.1/ppir .venv/bin/python bench/import_rd_projects.py

Each backend runs in its own process on a fresh database (for PostgreSQL a scratch database
`<name>_bench` beside the one in DATABASE_URL, dropped afterwards): migrate, then time the
first import (all rows new) and a second import of the same file (all rows updated, their
participants replaced). Prints a table and lines `import_seconds_<backend>: X`."""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {"postgresql": 5.0, "sqlite": 15.0}


def business_number(n: int) -> str:
    from applications.validators import BRN_WEIGHTS

    body = f"{(n * 7919 + 1000003) % 10**9:09d}"
    nums = [int(c) for c in body]
    total = sum(a * w for a, w in zip(nums, BRN_WEIGHTS, strict=True)) + (nums[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


def generate(path: Path, rows: int, seed: int = 60_000) -> int:
    """Write `rows` valid projects; returns the number of participants written."""
    from applications.imports import COLUMNS

    rng = random.Random(seed)
    ministries = [
        "과학기술정보통신부",
        "산업통상자원부",
        "중소벤처기업부",
        "보건복지부",
        "국토교통부",
    ]
    grades = ["excellent", "successful", "successful", "ordinary", "failed", "ongoing"]
    topics = ["인공지능 기반 재난감지", "수소 충전 안전", "스마트팜 환경제어", "자율주행 셔틀"]
    participants = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for k in range(rows):
            year = 2016 + k % 10
            number = f"1711{k % 1_000_000:06d}" if year < 2022 else f"RS-{year}-{k:08d}"
            lead_bn = business_number(k % 5000)
            people = [
                f"lead_org|주식회사 연구{k % 5000}|{lead_bn}|||",
                f"pi|주식회사 연구{k % 5000}|{lead_bn}|연구소|연구자{k}|{20_000_000 + k}",
            ]
            participants += len(people)
            writer.writerow(
                [
                    number,
                    f"{rng.choice(topics)} 기술 개발 {k}",
                    rng.choice(ministries),
                    f"주식회사 연구{k % 5000}",
                    lead_bn,
                    f"{year}-03-01",
                    f"{year + rng.randint(1, 4)}-12-31",
                    rng.choice(grades),
                    ";".join(people),
                ]
            )
    return participants


def child(csv_path: str) -> None:
    """Runs inside the per-backend process: migrate, then time two imports."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppir.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from applications.imports import import_rd_projects

    call_command("migrate", verbosity=0)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        result = import_rd_projects(source=csv_path)
        timings.append((time.perf_counter() - started, result.created, result.updated))
    print(
        json.dumps(
            {
                "backend": connection.vendor,
                "first": timings[0][0],
                "second": timings[1][0],
                "created": timings[0][1],
                "updated": timings[1][2],
                "participants": result.participants,
            }
        )
    )


def run_backend(csv_path: Path, database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ppir.settings.test",
    }
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", str(csv_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark on {database_url.split('@')[-1]} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def scratch_postgres(url: str):
    """Create a scratch database beside the one in `url`; returns (its URL, a drop function)."""
    import psycopg

    parts = urlparse(url)
    name = (parts.path.lstrip("/") or "ppir") + "_bench"
    admin = urlunparse(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parts._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppir.settings.test")
    import django

    django.setup()  # for the column list and validators only: the parent touches no database

    with tempfile.TemporaryDirectory(prefix="ppir-bench-") as tmp:
        csv_path = Path(tmp) / "projects.csv"
        started = time.perf_counter()
        participants = generate(csv_path, args.rows)
        print(
            f"generated {args.rows} rows, {participants} participants "
            f"({csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
        results = []
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            scratch, drop = scratch_postgres(url)
            try:
                results.append(run_backend(csv_path, scratch))
            finally:
                drop()
        else:
            print("DATABASE_URL does not point at PostgreSQL: PostgreSQL skipped.")
        results.append(run_backend(csv_path, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))

    print()
    print(
        "| backend | rows | participants | first import (s) | re-import, all updates (s) | goal |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        goal = GOALS.get(r["backend"], 15.0)
        print(
            f"| {r['backend']} | {r['created']} | {r['participants']} | {r['first']:.2f} "
            f"| {r['second']:.2f} | < {goal:.0f} s |"
        )
    print()
    for r in results:
        print(f"import_seconds_{r['backend']}: {r['first']:.2f}")
        print(f"reimport_seconds_{r['backend']}: {r['second']:.2f}")


if __name__ == "__main__":
    main()
