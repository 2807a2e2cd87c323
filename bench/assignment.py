"""Benchmark of reviewer assignment at national scale.

Builds a real database (a SQLite file by default, or PostgreSQL when DATABASE_URL is set)
with 3,000 experts in 24 committees, 2,000 applications in review needing 3 experts each,
expert loads of at most 6 and about 2% conflicted pairs (same organisation and department,
R&D project participation, declarations, accepted unsuitable-expert requests), then runs
the real Celery task code path (panels.assignment.execute_run) and reports:

- solve time (the min-cost flow alone) and end-to-end time (conflicts query, affinity,
  solve, writing the proposed rows and the report);
- the total affinity as a ratio of an independent LP optimum (SciPy's HiGHS on the same
  eligible pairs; the b-matching LP is integral, so this is the true optimum) and of a
  greedy baseline (best pair first while the application needs more and the expert has
  room).

Usage:  .venv/bin/python bench/assignment.py [--experts 3000] [--applications 2000] ...
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/ppir_x .venv/bin/python bench/...
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppir.settings.test")

VOCAB = {
    1: "인공지능 데이터 머신러닝 딥러닝 영상인식 자연어 추천 분석 AI data vision",
    2: "소프트웨어 클라우드 플랫폼 보안 가상화 컨테이너 오픈소스 SaaS cloud devops",
    3: "통신 네트워크 5G 무선 위성 광통신 안테나 IoT 라우터 network",
    4: "반도체 디스플레이 소자 공정 웨이퍼 패키징 OLED 메모리 칩 semiconductor",
    5: "정보보호 암호 인증 침입탐지 보안관제 악성코드 개인정보 블록체인 security",
    6: "바이오 의약 항체 백신 세포치료 신약 유전자 진단키트 임상 bio",
    7: "의료기기 영상진단 수술로봇 체외진단 재활 초음파 내시경 medical device",
    8: "디지털헬스 원격진료 웨어러블 건강관리 의료데이터 모바일헬스 health",
    9: "태양광 풍력 신재생 발전 지열 바이오매스 인버터 solar wind",
    10: "이차전지 배터리 수소 연료전지 충전 전해질 양극재 battery hydrogen",
    11: "전력망 에너지효율 스마트그리드 변압기 ESS 송배전 수요관리 grid",
    12: "소재 화학 고분자 복합재 촉매 코팅 세라믹 금속 materials",
    13: "나노 나노소재 그래핀 나노입자 박막 센서 나노공정 nano",
    14: "기계 로봇 협동로봇 자율주행로봇 정밀가공 구동기 감속기 robot",
    15: "스마트제조 공장자동화 디지털트윈 MES 예지정비 품질검사 manufacturing",
    16: "자동차 모빌리티 전기차 자율주행 차량부품 충전인프라 mobility",
    17: "항공 우주 드론 위성 무인기 비행제어 항법 drone aerospace",
    18: "조선 해양 선박 해양플랜트 친환경선박 수중 항만 marine",
    19: "건설 인프라 교량 터널 스마트건설 BIM 시공 구조물 construction",
    20: "교통 물류 철도 스마트물류 배송 신호제어 교통관제 logistics",
    21: "환경 기후 대기 수질 폐기물 탄소 재활용 미세먼지 climate",
    22: "재난 안전 화재 지진 감지 경보 구조 방재 disaster safety",
    23: "농업 식품 스마트팜 비상식량 축산 수산 식품가공 agriculture food",
    24: "스마트시티 공공서비스 행정 민원 AI 도시데이터 디지털정부 smart city",
}


def setup_database():
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = ROOT / "var" / "bench-assignment.sqlite3"
        path.parent.mkdir(exist_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(path)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection, old_name


def build(*, n_experts, n_apps, n_committees, k, max_load, conflict_rate, seed):  # noqa: C901
    """Bulk-insert the instance. Returns the round and the number of conflicts planted."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.enums import Role
    from accounts.models import Organisation, User
    from applications.enums import ApplicationState, ConflictScope, ParticipantRole
    from applications.models import Application, ProjectParticipant, RDProject, Round
    from panels.enums import RequestDecision
    from panels.models import (
        Committee,
        ConflictDeclaration,
        ExpertProfile,
        SubField,
        UnsuitableExpertRequest,
    )
    from tests.factories import make_business_number

    rng = random.Random(seed)
    now = timezone.now()
    subfields = SubField.objects.bulk_create(
        [
            SubField(number=i, name_ko=f"분야{i}", name_en=f"Field {i}")
            for i in range(1, n_committees + 1)
        ]
    )
    Committee.objects.bulk_create([Committee(subfield=sf) for sf in subfields])
    rnd = Round.objects.create(
        code="BENCH-1",
        title="벤치마크 회차",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
        reviewers_per_application=k,
        conflict_scope=ConflictScope.DEPARTMENT,
    )
    rnd.subfields.set(subfields)
    words = {sf.pk: VOCAB[(sf.number - 1) % 24 + 1].split() for sf in subfields}
    all_words = [w for ws in VOCAB.values() for w in ws.split()]

    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"expert{i}@bench.kr", name=f"전문가{i}", password=password)
            for i in range(n_experts)
        ],
        batch_size=1000,
    )
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=Role.EXPERT)
    group.user_set.add(*users)

    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"벤치기업{i}", business_number=make_business_number(500_000 + i))
            for i in range(n_apps)
        ],
        batch_size=1000,
    )
    app_sf = [subfields[i % n_committees] for i in range(n_apps)]
    rng.shuffle(app_sf)
    applications = Application.objects.bulk_create(
        [
            Application(
                round=rnd,
                subfield=app_sf[i],
                organisation=orgs[i],
                created_by=users[0],
                reference=f"BENCH-{i:05d}",
                product_name=" ".join(rng.sample(words[app_sf[i].pk], 3)) + f" 제품{i}",
                product_description=" ".join(
                    rng.sample(words[app_sf[i].pk], 4) + rng.sample(all_words, 2)
                ),
                state=ApplicationState.IN_REVIEW,
            )
            for i in range(n_apps)
        ],
        batch_size=1000,
    )
    projects = RDProject.objects.bulk_create(
        [
            RDProject(
                ntis_number=f"RS-2022-{i:08d}",
                title=" ".join(rng.sample(words[app_sf[i].pk], 3)) + " 실증 연구",
                ministry="과학기술정보통신부",
                lead_organisation=orgs[i].name,
                start_date=dt.date(2019, 1, 1),
                end_date=dt.date(2022, 12, 31),
                result_grade="successful",
            )
            for i in range(n_apps)
        ],
        batch_size=1000,
    )
    link = Application.rd_projects.through
    link.objects.bulk_create(
        [
            link(application_id=a.pk, rdproject_id=p.pk)
            for a, p in zip(applications, projects, strict=True)
        ],
        batch_size=2000,
    )

    # Experts: an even share per committee, 10% also in a second committee.
    expert_sf = [subfields[i % n_committees] for i in range(n_experts)]
    experts = ExpertProfile.objects.bulk_create(
        [
            ExpertProfile(
                user=users[i],
                organisation_name=f"연구기관{i % 400}",
                department=f"연구부{i % 7}",
                researcher_number=f"{20_000_000 + i}",
                keywords=", ".join(rng.sample(words[expert_sf[i].pk], 4)),
                max_load=rng.randint(max(1, max_load - 2), max_load),
            )
            for i in range(n_experts)
        ],
        batch_size=1000,
    )
    through = ExpertProfile.subfields.through
    memberships = [
        through(expertprofile_id=e.pk, subfield_id=expert_sf[i].pk) for i, e in enumerate(experts)
    ]
    for i, e in enumerate(experts):
        if rng.random() < 0.10:
            other = rng.choice(subfields)
            if other.pk != expert_sf[i].pk:
                memberships.append(through(expertprofile_id=e.pk, subfield_id=other.pk))
    through.objects.bulk_create(memberships, batch_size=5000)

    # Conflicts, about `conflict_rate` of the committee pairs, by every rule.
    members_of: dict[int, list] = {}
    for m in memberships:
        members_of.setdefault(m.subfield_id, []).append(m.expertprofile_id)
    by_pk = {e.pk: (i, e) for i, e in enumerate(experts)}
    pairs_total = sum(len(members_of[sf.pk]) for sf in app_sf)
    target = int(pairs_total * conflict_rate)
    participants, declarations, unsuitable = [], [], []
    org_moves: dict[int, tuple[int, str]] = {}
    planted = 0
    for i, app in enumerate(applications):
        if planted >= target:
            break
        pool = members_of[app_sf[i].pk]
        per_app = max(1, round(target / n_apps))
        chosen = rng.sample(pool, min(per_app, len(pool)))
        participants.append(
            ProjectParticipant(
                project=projects[i],
                role=ParticipantRole.LEAD_ORGANISATION,
                organisation_name=orgs[i].name,
                business_number=orgs[i].business_number,
                department="연구개발부",
            )
        )
        for j, expert_pk in enumerate(chosen):
            idx, e = by_pk[expert_pk]
            kind = j % 4
            if kind == 0 and expert_pk not in org_moves:
                org_moves[expert_pk] = (orgs[i].pk, "연구개발부")
            elif kind == 3:
                unsuitable.append(
                    UnsuitableExpertRequest(
                        application=app,
                        expert_name=users[idx].name,
                        expert_organisation=e.organisation_name,
                        reason="경쟁사 자문",
                        matched_expert_id=expert_pk,
                        decision=RequestDecision.ACCEPTED,
                    )
                )
            elif kind == 2:
                declarations.append(
                    ConflictDeclaration(expert_id=expert_pk, application=app, reason="공동연구")
                )
            else:
                participants.append(
                    ProjectParticipant(
                        project=projects[i],
                        role=ParticipantRole.RESEARCHER,
                        organisation_name=e.organisation_name,
                        researcher_name=users[idx].name,
                        researcher_number=e.researcher_number,
                    )
                )
            planted += 1
    ProjectParticipant.objects.bulk_create(participants, batch_size=2000)
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=2000)
    UnsuitableExpertRequest.objects.bulk_create(unsuitable, batch_size=2000)
    moved = []
    for expert_pk, (org_id, dept) in org_moves.items():
        _, e = by_pk[expert_pk]
        e.organisation_id, e.department = org_id, dept
        moved.append(e)
    ExpertProfile.objects.bulk_update(moved, ["organisation", "department"], batch_size=1000)
    return rnd, pairs_total


def lp_optimum(problem, staffed) -> float:
    """Maximum total affinity by linear programming (HiGHS), independent of OR-Tools, over
    the applications the solver staffed (all of them when the instance is feasible)."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    keep = staffed[problem.pair_app]
    pa, pe, aff = problem.pair_app[keep], problem.pair_expert[keep], problem.pair_aff[keep]
    n = pa.size
    cols = np.arange(n)
    n_apps, n_experts = len(problem.apps), len(problem.expert_ids)
    a_eq = csr_matrix((np.ones(n), (pa, cols)), shape=(n_apps, n))
    a_ub = csr_matrix((np.ones(n), (pe, cols)), shape=(n_experts, n))
    res = linprog(
        -aff,
        A_ub=a_ub,
        b_ub=problem.capacity,
        A_eq=a_eq,
        b_eq=np.where(staffed, problem.need, 0),
        bounds=(0, 1),
        method="highs",
    )
    if res.status != 0:
        raise SystemExit(f"LP failed: {res.message}")
    return float(-res.fun)


def greedy(problem) -> tuple[float, int]:
    """Best pair first. Returns (total affinity, applications left short)."""
    import numpy as np

    need = problem.need.copy()
    cap = problem.capacity.copy()
    total = 0.0
    for p in np.argsort(-problem.pair_aff, kind="stable"):
        a, e = problem.pair_app[p], problem.pair_expert[p]
        if need[a] > 0 and cap[e] > 0:
            need[a] -= 1
            cap[e] -= 1
            total += problem.pair_aff[p]
    return total, int((need > 0).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=3000)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--committees", type=int, default=24)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--max-load", type=int, default=6)
    parser.add_argument("--conflict-rate", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=20260126)
    args = parser.parse_args()

    connection, old_name = setup_database()
    try:
        import numpy as np
        from django.db import transaction

        from panels.assignment import execute_run, load_problem
        from panels.conflicts import conflict_rows
        from panels.models import Assignment, AssignmentRun

        t = time.perf_counter()
        with transaction.atomic():
            rnd, pairs_total = build(
                n_experts=args.experts,
                n_apps=args.applications,
                n_committees=args.committees,
                k=args.k,
                max_load=args.max_load,
                conflict_rate=args.conflict_rate,
                seed=args.seed,
            )
        build_s = time.perf_counter() - t

        run = AssignmentRun.objects.create(round=rnd)
        # The instance as the task will see it, read first for the independent checks.
        problem = load_problem(run)
        t = time.perf_counter()
        solution = problem.solve()
        solve_s = time.perf_counter() - t
        conflicts = len(
            {(e, a) for e, a, _ in conflict_rows(application_ids=[a["pk"] for a in problem.apps])}
        )

        t = time.perf_counter()
        run = execute_run(run_id=run.pk)
        end_to_end = time.perf_counter() - t
        if run.state != "proposed":
            raise SystemExit(f"run {run.state}: {run.error}")
        rows = Assignment.objects.filter(run=run).count()

        staffed = np.ones(len(problem.apps), dtype=bool)
        staffed[list(solution.infeasible)] = False
        lp = lp_optimum(problem, staffed)
        greedy_total, greedy_short = greedy(problem)
        timings = run.report["timings"]
        totals = run.report["totals"]
        engine = connection.vendor

        print()
        print(f"Reviewer assignment benchmark ({engine}, {os.cpu_count()} CPUs)")
        print("-" * 64)
        table = [
            ("experts / committees", f"{args.experts} / {args.committees}"),
            ("applications x experts each", f"{args.applications} x {args.k}"),
            ("committee (expert, application) pairs", f"{pairs_total}"),
            ("conflicted pairs (rules fired)", f"{conflicts} ({conflicts / pairs_total:.2%})"),
            ("eligible pairs (solver arcs)", f"{problem.pair_app.size}"),
            ("build instance (s)", f"{build_s:.2f}"),
            ("load scope (s)", f"{timings['load']:.3f}"),
            ("conflicts query (s)", f"{timings['conflicts']:.3f}"),
            ("affinity (s)", f"{timings['affinity']:.3f}"),
            ("solve in task (s)", f"{timings['solve']:.3f}"),
            ("write rows + report (s)", f"{timings['write']:.3f}"),
            ("end to end (s)", f"{end_to_end:.3f}"),
            ("applications staffed / infeasible", f"{totals['staffed']} / {totals['infeasible']}"),
            ("rows written", f"{rows}"),
            ("total affinity (min-cost flow)", f"{solution.total_affinity:.6f}"),
            ("total affinity (LP optimum, HiGHS)", f"{lp:.6f}"),
            ("total affinity (greedy)", f"{greedy_total:.6f} ({greedy_short} short)"),
        ]
        width = max(len(a) for a, _ in table)
        for label, value in table:
            print(f"{label:<{width}}  {value}")
        print("-" * 64)
        print(f"solve_seconds: {solve_s:.3f}")
        print(f"end_to_end_seconds: {end_to_end:.3f}")
        print(f"ratio_to_optimum: {solution.total_affinity / lp:.6f}")
        print(f"ratio_greedy_to_optimum: {greedy_total / lp:.6f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
