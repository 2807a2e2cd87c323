"""Demo data for this app; see applications/management/commands/seed_demo.py.

seed_projects_and_rounds: 1,200 national R&D projects (old 1711xxxxxx and new RS- numbers)
with their performers, some of them experts of the pool so that conflicts of interest exist;
one closed and one open round with the programme's rubric.

seed_applications: 35 companies with an applicant login each and 78 applications over every
state, each driven from draft through the real transition services so that its history is
the one the system itself would have written."""

import datetime as dt
import inspect
import random
import re
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import (
    DEMO_COMPANY,
    business_number,
    demo_password_hash,
    ensure_verified_email,
    korean_name,
)
from accounts.enums import Language, MembershipStatus, Role
from accounts.models import Membership, Organisation, User
from panels.demo import EXPERTS_PER_FIELD, SUBFIELDS, researcher_number
from panels.models import Committee, SubField

from . import services
from .demo_catalogue import (
    COMPANIES,
    DEMO_COMPANY_PRODUCTS,
    MINISTRIES_BY_FIELD,
    PRODUCTS,
    PROJECT_SUFFIXES,
    PROJECT_TOPICS,
    RESEARCH_ORGANISATIONS,
    SMALL_BUSINESS_MINISTRY,
)
from .enums import ApplicationState, DocumentKind, ParticipantRole, ResultGrade
from .models import (
    Application,
    ApplicationDocument,
    ProjectParticipant,
    RDProject,
    Round,
    RubricCriterion,
    RubricGate,
)
from .uploads import validate_upload

S = ApplicationState
PROJECTS_PER_FIELD = 50
ANCHORS_PER_COMPANY_FIELD = 2

# ---------------------------------------------------------------------------------------------
# Companies


def company_rows() -> list[dict]:
    """Every demo company, the demo applicant's first; business numbers are stable."""
    rows = [{**DEMO_COMPANY, "business_number": business_number(1), "field": 1, "slug": "nuri"}]
    for i, (name, name_en, field, address, is_sme) in enumerate(COMPANIES):
        rows.append(
            {
                "name": name,
                "name_en": name_en,
                "address": address,
                "is_sme": is_sme,
                "business_number": business_number(i + 2),
                "field": field,
                "slug": re.sub(r"[^a-z0-9]", "", name_en.lower().replace("co., ltd.", ""))[:20],
            }
        )
    return rows


def research_bn(i: int) -> str:
    return business_number(300 + i)


def anchor_plan() -> list[tuple[int, int]]:
    """(company index, sub-field) for every R&D project a company led that its applications
    link to: two per sub-field it has products in."""
    plan = []
    for ci, row in enumerate(company_rows()):
        fields = (
            sorted({f for _, _, f, _, _ in DEMO_COMPANY_PRODUCTS}) if ci == 0 else [row["field"]]
        )
        for field in fields:
            plan.extend([(ci, field)] * ANCHORS_PER_COMPANY_FIELD)
    return plan


# ---------------------------------------------------------------------------------------------
# R&D projects and rounds


def ntis_number(k: int, start_year: int) -> str:
    """The k-th demo project's number: the older 10-digit form before 2022, RS- after."""
    if start_year < 2022:
        return f"1711{100000 + k * 613:06d}"
    return f"RS-{start_year}-{(k * 7919 + 10_000_000) % 100_000_000:08d}"


def _grade(rng: random.Random, end: dt.date, today: dt.date) -> str:
    # Draw before looking at the date, so that the plans of a later day stay the same.
    grade = rng.choices(
        [
            ResultGrade.EXCELLENT,
            ResultGrade.SUCCESSFUL,
            ResultGrade.ORDINARY,
            ResultGrade.INSUFFICIENT,
            ResultGrade.FAILED,
        ],
        weights=[25, 50, 10, 7, 8],
    )[0]
    return ResultGrade.ONGOING if end >= today else grade


def _researcher(rng: random.Random, field: int, expert_share: float) -> tuple[str, str]:
    """(name, researcher number): sometimes an expert of the pool, so conflicts exist."""
    if rng.random() < expert_share:
        i = rng.randrange(2, EXPERTS_PER_FIELD)
        return "", researcher_number(field, i)
    return korean_name(rng), f"{rng.randrange(20_000_000, 29_999_999)}"


def _project_plans(today: dt.date) -> list[dict]:
    rng = random.Random(2026_0003)
    companies = company_rows()
    anchors = anchor_plan()
    plans = []
    for k in range(PROJECTS_PER_FIELD * len(SUBFIELDS)):
        if k < len(anchors):
            ci, field = anchors[k]
            lead = (companies[ci]["name"], companies[ci]["business_number"])
            # Ended successfully within the last five years: eligible for linking.
            end = dt.date(rng.randint(2021, 2025), 6, 30)
            end = end if rng.random() < 0.5 else end.replace(month=12, day=31)
            # Within five years of this year's rounds' deadlines (the pre-check's rule).
            end = max(end, dt.date(today.year - 5, 12, 31))
            start = dt.date(end.year - rng.randint(2, 4), 1, 1)
            grade = rng.choice([ResultGrade.EXCELLENT, ResultGrade.SUCCESSFUL])
            expert_share = 1.0 if k % 2 == 0 else 0.0
        else:
            field = (k % len(SUBFIELDS)) + 1
            if rng.random() < 0.35:
                ci = rng.randrange(len(companies))
                lead = (companies[ci]["name"], companies[ci]["business_number"])
            else:
                ri = rng.randrange(len(RESEARCH_ORGANISATIONS))
                lead = (RESEARCH_ORGANISATIONS[ri], research_bn(ri))
            start = dt.date(rng.randint(2014, 2025), rng.choice([1, 3, 4, 7]), 1)
            end = dt.date(start.year + rng.randint(1, 5), 12, 31)
            grade = _grade(rng, end, today)
            expert_share = 0.15
        topic = rng.choice(PROJECT_TOPICS[field])
        suffix = rng.choice(PROJECT_SUFFIXES)
        ministry = rng.choice(MINISTRIES_BY_FIELD[field] + [SMALL_BUSINESS_MINISTRY])
        dept_pool = SUBFIELDS[field - 1][4]
        participants = [(ParticipantRole.LEAD_ORGANISATION, lead[0], lead[1], "", "", "")]
        for _ in range(rng.randint(1, 2)):
            ri = rng.randrange(len(RESEARCH_ORGANISATIONS))
            if RESEARCH_ORGANISATIONS[ri] != lead[0]:
                participants.append(
                    (
                        ParticipantRole.PARTICIPATING_ORGANISATION,
                        RESEARCH_ORGANISATIONS[ri],
                        research_bn(ri),
                        rng.choice(dept_pool),
                        "",
                        "",
                    )
                )
        name, number = _researcher(rng, field, expert_share)
        participants.append(
            (ParticipantRole.PRINCIPAL_INVESTIGATOR, lead[0], lead[1], "연구개발팀", name, number)
        )
        for _ in range(rng.randint(0, 1)):
            org = participants[-2] if len(participants) > 2 else participants[0]
            name, number = _researcher(rng, field, expert_share / 2)
            participants.append(
                (ParticipantRole.RESEARCHER, org[1], org[2], rng.choice(dept_pool), name, number)
            )
        plans.append(
            {
                "ntis_number": ntis_number(k, start.year),
                "title": f"{topic} {suffix}",
                "ministry": ministry,
                "lead_organisation": lead[0],
                "lead_business_number": lead[1],
                "start_date": start,
                "end_date": end,
                "result_grade": grade,
                "participants": participants,
                "field": field,
            }
        )
    return plans


GATES = [
    ("fit", "분야 적합성", "Fit to the field", "신청 제품이 해당 분과의 기술 분야에 속하는가?"),
    (
        "innovative",
        "혁신적 해결방안",
        "Innovative solution",
        "공공 수요에 대해 기존 제품과 다른 혁신적인 해결방안을 제시하는가?",
    ),
    (
        "readiness",
        "기술 성숙도",
        "Technology readiness",
        "제품이 공공기관이 바로 구매·사용할 수 있는 수준(TRL 8 이상 권장)인가?",
    ),
    ("safety", "안전성", "Safety", "사용자와 공공에 대한 안전 위험이 관리되고 있는가?"),
    (
        "regulation",
        "규제 적합성",
        "Regulation",
        "필수 인증(KC 등)과 관련 법령의 요건을 충족하는가?",
    ),
]
CRITERIA = [
    (
        "novelty",
        "기술 혁신성",
        "Technological novelty",
        Decimal("30"),
        "핵심 기술의 독창성과 기존 기술 대비 개선 정도를 평가합니다.",
    ),
    (
        "impact",
        "사회·경제적 파급효과",
        "Social/economic impact",
        Decimal("25"),
        "공공서비스 품질, 국민 안전, 비용 절감 등 사회·경제적 효과를 평가합니다.",
    ),
    (
        "procurement",
        "공공조달 혁신 가능성",
        "Potential for innovating public procurement",
        Decimal("25"),
        "공공기관의 구매로 공공 문제를 해결하고 조달을 혁신할 가능성을 평가합니다.",
    ),
    (
        "market",
        "시장 기여도",
        "Market contribution",
        Decimal("20"),
        "국내외 시장 확대와 중소기업 성장에 대한 기여를 평가합니다.",
    ),
]


def round_specs(now: dt.datetime) -> list[dict]:
    year = timezone.localtime(now).year
    closed_closes = now - dt.timedelta(days=120)
    return [
        {
            "code": f"{year}-1",
            "title": f"{year}년 상반기 혁신제품 지정",
            "title_en": f"{year} first-half innovative product designation",
            "description": "우수연구개발 혁신제품 지정 상반기 공고입니다. 접수가 마감되었습니다.",
            "opens_at": closed_closes - dt.timedelta(days=42),
            "closes_at": closed_closes,
            # Expert review of this round is still under way: its deadline is ahead, so the
            # demo expert sees days left, not a review long overdue.
            "review_deadline": now + dt.timedelta(days=10),
        },
        {
            "code": f"{year}-2",
            "title": f"{year}년 하반기 혁신제품 지정",
            "title_en": f"{year} second-half innovative product designation",
            "description": (
                "우수연구개발 혁신제품 지정 하반기 공고입니다. 24개 분과 전체를 대상으로 합니다."
            ),
            "opens_at": now - dt.timedelta(days=14),
            "closes_at": now + dt.timedelta(days=21),
            "review_deadline": now + dt.timedelta(days=80),
        },
    ]


def seed_projects_and_rounds(ctx) -> None:
    """1,200 R&D projects with their participants (bulk), and the two rounds with rubric."""
    today = timezone.localdate()
    plans = _project_plans(today)
    existing = set(
        RDProject.objects.filter(ntis_number__in=[p["ntis_number"] for p in plans]).values_list(
            "ntis_number", flat=True
        )
    )
    new = [p for p in plans if p["ntis_number"] not in existing]
    created = RDProject.objects.bulk_create(
        [
            RDProject(
                **{k: v for k, v in p.items() if k not in ("participants", "field")},
            )
            for p in new
        ],
        batch_size=500,
    )
    if created and created[0].pk is None:  # a backend that does not return keys
        by_number = dict(
            RDProject.objects.filter(ntis_number__in=[p["ntis_number"] for p in new]).values_list(
                "ntis_number", "pk"
            )
        )
    else:
        by_number = {p.ntis_number: p.pk for p in created}
    ProjectParticipant.objects.bulk_create(
        [
            ProjectParticipant(
                project_id=by_number[p["ntis_number"]],
                role=role,
                organisation_name=org,
                business_number=bn,
                department=dept,
                researcher_name=name,
                researcher_number=number,
            )
            for p in new
            for role, org, bn, dept, name, number in p["participants"]
        ],
        batch_size=1000,
    )
    _fill_expert_names()

    subfields = list(SubField.objects.order_by("number"))
    now = timezone.now()
    rounds = {}
    for spec in round_specs(now):
        rnd, created_round = Round.objects.get_or_create(
            code=spec["code"],
            defaults={**spec, "reviewers_per_application": 3, "threshold": Decimal("70")},
        )
        if created_round:
            rnd.subfields.set(subfields)
            RubricGate.objects.bulk_create(
                RubricGate(round=rnd, order=i, code=c, label=ko, label_en=en, guidance=g)
                for i, (c, ko, en, g) in enumerate(GATES)
            )
            RubricCriterion.objects.bulk_create(
                RubricCriterion(
                    round=rnd, order=i, code=c, label=ko, label_en=en, weight=w, guidance=g
                )
                for i, (c, ko, en, w, g) in enumerate(CRITERIA)
            )
        rounds[spec["code"]] = rnd
    ctx.objects["rounds"] = rounds
    ctx.objects["project_plans"] = plans


def _fill_expert_names() -> None:
    """Participants who are experts of the pool carry the expert's own name."""
    from panels.models import ExpertProfile

    names = dict(
        ExpertProfile.objects.filter(researcher_number__startswith="1")
        .values_list("researcher_number", "user__name")
        .iterator()
    )
    unnamed = ProjectParticipant.objects.filter(researcher_name="").exclude(researcher_number="")
    updates = []
    for part in unnamed.only("pk", "researcher_number"):
        if part.researcher_number in names:
            part.researcher_name = names[part.researcher_number]
            updates.append(part)
    ProjectParticipant.objects.bulk_update(updates, ["researcher_name"], batch_size=500)


# ---------------------------------------------------------------------------------------------
# Applications


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, ASCII text) with a correct cross-reference."""

    def esc(text: str) -> str:
        ascii_text = text.encode("ascii", "replace").decode("ascii")
        return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = [f"BT /F1 16 Tf 56 780 Td ({esc(title)}) Tj ET"]
    for i, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 56 {750 - 18 * i} Td ({esc(line)}) Tj ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


# How many applications end in each state (72 from the companies, 6 from the demo company).
STATE_COUNTS = {
    S.DRAFT: 7,
    S.SUBMITTED: 7,
    S.SUPPLEMENT_REQUESTED: 5,
    S.INELIGIBLE: 5,
    S.IN_REVIEW: 11,
    S.CONSENSUS: 6,
    S.SUITABILITY_REVIEW: 6,
    S.AWAITING_DECISION: 5,
    S.CERTIFIED: 11,
    S.REJECTED: 4,
    S.OBJECTION: 3,
    S.WITHDRAWN: 2,
}
DEMO_COMPANY_STATES = [
    S.DRAFT,
    S.SUBMITTED,
    S.SUPPLEMENT_REQUESTED,
    S.IN_REVIEW,
    S.CERTIFIED,
    S.REJECTED,
]
PINNED_STATES = {1: [S.IN_REVIEW, S.CONSENSUS, S.IN_REVIEW]}
OPEN_ROUND_STATES = {S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED}

SUPPLEMENT = "KC 인증서 사본과 시험성적서(공인시험기관 발행)를 보완 제출해 주십시오."
SUPPLEMENT_ANSWER = "요청하신 KC 인증서 사본과 공인시험성적서를 첨부하였습니다."
INELIGIBLE = (
    "연계된 국가연구개발과제의 최종평가 결과가 접수 마감일 기준 5년 이내 성공 판정이 아닙니다."
)
ELIGIBLE = "신청 자격 요건(과제 성공 판정, 수행기관 여부, 필수 인증)을 확인하였습니다."
VERDICT = "제출 서류 원본을 확인한 결과 요건을 충족함"
RECOMMEND = "기술 혁신성과 공공 활용 가능성이 높아 지정을 추천합니다."
NOT_RECOMMEND = "기존 조달 제품 대비 혁신성이 충분히 입증되지 않아 추천하지 않습니다."
SUITABLE = "조달 적합성 검토 결과 공공 구매에 적합합니다. 가격 산정 근거를 확인하였습니다."
CERTIFY = "전문가 평가와 조달 적합성 검토 결과에 따라 혁신제품으로 지정합니다."
REJECT = "평가 점수가 기준(70점)에 미달하여 지정하지 않습니다. 항목별 의견을 참고하십시오."
OBJECT = "평가위원의 사실 오인이 있었습니다: 제출한 시험성적서의 성능 수치가 반영되지 않았습니다."
ACCEPT_OBJECTION = "이의신청을 인용하여 원 평가위원을 제외한 위원회에서 재평가합니다."
WITHDRAW = "제품 사양 변경으로 이번 차수 신청을 철회합니다."


def path_to(state: str, variant: int) -> list[tuple[str, str, str]]:
    """The transitions (name, actor, text) that take a draft to `state`. Variants add the
    detours real applications take: a supplement round trip, an objection re-review."""
    detour = [
        ("request_supplement", "officer", SUPPLEMENT),
        ("answer_supplement", "owner", SUPPLEMENT_ANSWER),
    ]
    submit = [("submit", "owner", "")] + (detour if variant % 3 == 0 else [])
    review = submit + [("mark_eligible", "officer", ELIGIBLE)]
    consensus = review + [("open_consensus", "system", "")]
    recommended = consensus + [("recommend", "chair", RECOMMEND)]
    decided_yes = recommended + [("record_suitability", "pps", SUITABLE)]
    decided_no = consensus + [("not_recommend", "chair", NOT_RECOMMEND)]
    rejected = decided_no + [("reject", "officer", REJECT)]
    objection = rejected + [("file_objection", "owner", OBJECT)]
    return {
        S.DRAFT: [],
        S.SUBMITTED: submit,
        S.SUPPLEMENT_REQUESTED: [("submit", "owner", ""), detour[0]],
        S.INELIGIBLE: submit + [("mark_ineligible", "officer", INELIGIBLE)],
        S.IN_REVIEW: (
            objection + [("accept_objection", "officer", ACCEPT_OBJECTION)]
            if variant % 4 == 1
            else review
        ),
        S.CONSENSUS: consensus,
        S.SUITABILITY_REVIEW: recommended,
        S.AWAITING_DECISION: decided_yes if variant % 2 == 0 else decided_no,
        S.CERTIFIED: decided_yes + [("certify", "officer", CERTIFY)],
        S.REJECTED: rejected,
        S.OBJECTION: objection,
        S.WITHDRAWN: (submit if variant % 2 else []) + [("withdraw", "owner", WITHDRAW)],
    }[state]


def _apply(application: Application, transition: str, by, text: str) -> None:
    """Call the named service for a transition where one exists, else the gate itself."""
    service = getattr(services, f"application_{transition}", None)
    if service is None:
        services.application_transition(
            application=application, by=by, transition=transition, comment=text
        )
        return
    if transition == "mark_eligible":
        # The officer's own verdict, with its reason, on each rule the checks could not pass.
        for flag in application.eligibility_flags.all():
            if not flag.effective_passed:
                services.eligibility_override(
                    application=application, by=by, rule=flag.rule, passed=True, reason=VERDICT
                )
    params = inspect.signature(service).parameters
    kwargs = {"application": application, "by": by}
    for name in ("reason", "comment"):
        if name in params and (text or params[name].default is inspect.Parameter.empty):
            kwargs[name] = text
            break
    if transition == "submit" and not application.round.is_open:
        # Applications in the closed round were submitted while it was open.
        kwargs["as_of"] = application.round.closes_at - dt.timedelta(days=1)
    service(**kwargs)


def _application_plans(rng: random.Random) -> list[dict]:
    companies = company_rows()
    by_field: dict[int, list[int]] = {}
    for ci, row in enumerate(companies[1:], start=1):
        by_field.setdefault(row["field"], []).append(ci)
    states = [s for s, n in STATE_COUNTS.items() for _ in range(n)]
    # Committee 1 is the demo expert's and the demo chair's: it gets work in review and a
    # panel waiting for the chair's consensus, whatever the shuffle gives the others.
    for state in PINNED_STATES.values():
        for st in state:
            states.remove(st)
    rng.shuffle(states)
    plans = []
    for ci, (name, name_en, field, desc, buyers) in enumerate(DEMO_COMPANY_PRODUCTS):
        plans.append(
            {
                "company": 0,
                "field": field,
                "product": (name, name_en, desc, buyers),
                "state": DEMO_COMPANY_STATES[ci],
                "variant": ci,
            }
        )
    for field in sorted(PRODUCTS):
        for pi, product in enumerate(PRODUCTS[field]):
            owners = by_field[field]
            plans.append(
                {
                    "company": owners[pi % len(owners)],
                    "field": field,
                    "product": product,
                    "state": (PINNED_STATES[field][pi] if field in PINNED_STATES else states.pop()),
                    "variant": len(plans),
                }
            )
    for p in plans:
        p["trl"] = rng.choice([7, 8, 8, 9, 9])
        p["price"] = rng.randrange(500, 45_000) * 10_000
        p["doc_days"] = rng.randint(30, 400)
    return plans


def _ensure_companies(rng: random.Random) -> tuple[list[Organisation], dict[int, User]]:
    """The companies and one approved applicant login per company (the demo company's is
    the demo applicant)."""
    rows = company_rows()
    known = set(
        Organisation.objects.filter(
            business_number__in=[r["business_number"] for r in rows]
        ).values_list("business_number", flat=True)
    )
    contact_names = [korean_name(rng) for _ in rows]
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=r["name"],
                name_en=r["name_en"],
                business_number=r["business_number"],
                is_sme=r["is_sme"],
                address=r["address"],
                contact_name=contact_names[i],
                contact_email=f"ceo@{r['slug']}.demo.ppir.kr",
                contact_phone=f"02-{1000 + i * 37:04d}-{2000 + i * 91:04d}",
            )
            for i, r in enumerate(rows)
            if r["business_number"] not in known
        ]
    )
    orgs_by_bn = {
        o.business_number: o
        for o in Organisation.objects.filter(
            business_number__in=[r["business_number"] for r in rows]
        )
    }
    orgs = [orgs_by_bn[r["business_number"]] for r in rows]

    emails = ["applicant@demo.ppir.kr"] + [f"ceo@{r['slug']}.demo.ppir.kr" for r in rows[1:]]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(
                email=e, name=contact_names[i], language=Language.KO, password=demo_password_hash()
            )
            for i, e in enumerate(emails)
            if e not in have
        ]
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    Group.objects.get_or_create(name=Role.APPLICANT)[0].user_set.add(*users.values())
    ensure_verified_email(list(users.values()))
    members = set(
        Membership.objects.filter(organisation__in=orgs).values_list("user_id", "organisation_id")
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=users[e],
                organisation=orgs[i],
                is_admin=True,
                status=MembershipStatus.APPROVED,
                decided_at=timezone.now(),
            )
            for i, e in enumerate(emails)
            if (users[e].pk, orgs[i].pk) not in members
        ]
    )
    return orgs, {i: users[e] for i, e in enumerate(emails)}


def _attach_documents(application: Application, owner: User, plan: dict, today: dt.date) -> None:
    name_en = application.product_name_en
    issued = today - dt.timedelta(days=plan["doc_days"])
    # Evidence must be issued by the round's deadline (the eligibility pre-check refuses
    # later documents), so a closed round's documents predate its deadline.
    deadline = timezone.localtime(application.round.closes_at).date()
    issued = min(issued, deadline - dt.timedelta(days=plan["doc_days"] % 60 + 5))
    docs = [
        (
            DocumentKind.SPECIFICATION,
            "제품 사양서",
            "product-specification.pdf",
            [f"Product specification: {name_en}", f"TRL {application.trl}"],
            None,
        ),
        (
            DocumentKind.CERTIFICATION if plan["variant"] % 2 else DocumentKind.TEST_REPORT,
            "KC 인증서" if plan["variant"] % 2 else "공인시험성적서",
            "kc-certificate.pdf" if plan["variant"] % 2 else "test-report.pdf",
            [f"Certificate / test report for {name_en}", f"Issued {issued.isoformat()}"],
            issued + dt.timedelta(days=3 * 365) if plan["variant"] % 2 else None,
        ),
    ]
    for kind, title, filename, lines, expiry in docs:
        # The same checks as an upload through the site: type by content, size, hash, scan.
        upload = ContentFile(tiny_pdf(title=f"{name_en}", lines=lines), name=filename)
        checked = validate_upload(upload)
        doc = ApplicationDocument(
            application=application,
            kind=kind,
            title=title,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            issue_date=issued,
            expiry_date=expiry,
            uploaded_by=owner,
        )
        doc.file.save(filename, upload, save=False)
        doc.save()


def seed_applications(ctx) -> None:
    """Companies with their applicant logins, then 78 applications in every state, each
    driven through the transition services by the people who would act in real life."""
    rng = random.Random(2026_0004)
    today = timezone.localdate()
    orgs, owners = _ensure_companies(rng)
    plans = _application_plans(rng)

    year = timezone.localtime().year
    rounds = {r.code: r for r in Round.objects.filter(code__in=[f"{year}-1", f"{year}-2"])}
    closed_round, open_round = rounds[f"{year}-1"], rounds[f"{year}-2"]
    subfields = {sf.number: sf for sf in SubField.objects.all()}
    chairs = {
        c.subfield.number: c.chair.user
        for c in Committee.objects.select_related("subfield", "chair__user")
        if c.chair is not None
    }
    staff = {
        u.email: u for u in User.objects.filter(email__endswith="@demo.ppir.kr", is_staff=True)
    }
    officer = staff.get("officer@demo.ppir.kr")
    pps = User.objects.filter(email="pps@demo.ppir.kr").first()

    anchors: dict[tuple[int, int], list[str]] = {}
    for k, key in enumerate(anchor_plan()):
        # Recompute the anchor projects' numbers from their plans rather than storing them.
        anchors.setdefault(key, []).append(k)
    project_plans = ctx.objects.get("project_plans") or _project_plans(today)
    numbers = {key: [project_plans[k]["ntis_number"] for k in ks] for key, ks in anchors.items()}
    projects = {
        p.ntis_number: p
        for p in RDProject.objects.filter(
            ntis_number__in=[n for ns in numbers.values() for n in ns]
        )
    }

    done = set(
        Application.objects.filter(organisation__in=orgs).values_list(
            "organisation_id", "product_name"
        )
    )
    made = []
    for plan in plans:
        org = orgs[plan["company"]]
        name, name_en, desc, buyers = plan["product"]
        if (org.pk, name) in done:
            continue
        owner = owners[plan["company"]]
        rnd = open_round if plan["state"] in OPEN_ROUND_STATES else closed_round
        if plan["state"] in (S.INELIGIBLE, S.WITHDRAWN) and plan["variant"] % 2:
            rnd = open_round
        application = Application.objects.create(
            round=rnd,
            subfield=subfields[plan["field"]],
            organisation=org,
            created_by=owner,
            product_name=name,
            product_name_en=name_en,
            product_description=desc,
            trl=plan["trl"],
            intended_buyers=buyers,
            intended_use=f"{buyers}의 현장 업무에 도입하여 공공서비스 품질을 높인다.",
            indicative_price=plan["price"],
            declared_not_designated=True,
            declared_truthful=plan["state"] != S.DRAFT,
        )
        linked = numbers[(plan["company"], plan["field"])]
        application.rd_projects.set([projects[n] for n in linked[: 1 + plan["variant"] % 2]])
        _attach_documents(application, owner, plan, today)
        actors = {
            "owner": owner,
            "officer": officer,
            "chair": chairs.get(plan["field"]),
            "pps": pps,
            "system": None,
        }
        for transition, actor, text in path_to(plan["state"], plan["variant"]):
            _apply(application, transition, actors[actor], text)
        made.append(application)

    _mark_demo_mail_delivered(made)
    ctx.objects["applications"] = made


def _mark_demo_mail_delivered(applications: list[Application]) -> None:
    """The demo's history happened "in the past": its e-mails count as delivered, so loading
    the demo does not print a hundred messages to the console. In-app notices stay unread."""
    from notifications.enums import DeliveryState
    from notifications.models import Notification

    Notification.objects.filter(
        application__in=applications, email_state=DeliveryState.PENDING
    ).update(email_state=DeliveryState.SENT, sent_at=timezone.now())
