"""Demo data for the procurement stage; see applications/management/commands/seed_demo.py.

Uses what earlier steps made (accounts, sub-fields, rounds, applications) when it is there
and makes the little it needs otherwise, always through the real services, so the public
register shows a valid, an extended, an expired and a revoked certificate. Idempotent: each
demo product is looked up by its name and left alone once it exists."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import MembershipStatus, Role
from accounts.models import Membership, Organisation, User
from applications.enums import ApplicationState as S
from applications.enums import DocumentKind, ParticipantRole, ResultGrade
from applications.models import (
    Application,
    ApplicationDocument,
    ProjectParticipant,
    RDProject,
    Round,
    RubricCriterion,
    RubricGate,
)
from applications.services import application_submit, application_transition
from panels.models import Consensus, SubField

from . import services
from .enums import CertificateState
from .models import Certificate, seoul_today

# Demo accounts only: seed_demo refuses to run under production settings.
DEFAULT_PASSWORD = "ppir-demo-2026!"  # noqa: S105 - the published demo password, refused under production

SUBFIELDS = {
    1: ("인공지능·데이터", "Artificial intelligence and data"),
    9: ("신재생에너지", "Renewable energy"),
    14: ("기계·로봇", "Machinery and robotics"),
    21: ("환경·기후", "Environment and climate"),
    22: ("재난안전", "Disaster safety and emergency response"),
}

# (business number, name, English name) of the demo companies.
COMPANIES = [
    ("3148100422", "㈜세이프비전", "SafeVision Inc."),
    ("4158100778", "㈜로보클린", "RoboClean Co., Ltd."),
    ("5168101139", "㈜그린셀에너지", "GreenCell Energy Co., Ltd."),
    ("6178101596", "㈜아쿠아센스", "AquaSense Co., Ltd."),
]

# name, English name, company index, sub-field number, what happens to it.
PRODUCTS = [
    ("AI 재난 영상 분석 시스템", "AI disaster video analytics", 0, 22, "valid"),
    ("자율주행 제설 로봇", "Autonomous snow-clearing robot", 1, 14, "extended"),
    ("수소 연료전지 비상발전기", "Hydrogen fuel-cell emergency generator", 2, 9, "expired"),
    ("원격 수질 측정 센서", "Remote water-quality sensor", 3, 21, "revoked"),
    ("산불 조기감지 드론", "Early wildfire detection drone", 0, 22, "suitability"),
    ("AI 민원 상담 챗봇", "AI civil-service chatbot", 1, 1, "awaiting"),
    ("스마트 하천 범람 경보기", "Smart river-flood alarm", 3, 22, "rejected"),
]


def _user(ctx, email: str, name: str, role: str, listed: bool = False, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        password = ctx.objects.setdefault("demo_password", DEFAULT_PASSWORD)
        user = User.objects.create_user(email=email, password=password, name=name, **extra)
        if listed:
            ctx.objects.setdefault("demo_accounts", []).append((role, email))
        # Verified, so the demo accounts can sign in at once (verification is mandatory).
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _role_user(ctx, role: str, email: str, name: str, **extra) -> User:
    existing = User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()
    return existing or _user(ctx, email, name, role, listed=True, **extra)


def _round(ctx) -> Round:
    round_ = ctx.objects.get("round") or Round.objects.order_by("opens_at").first()
    if round_ is not None:
        return round_
    now = timezone.now()
    round_ = Round.objects.create(
        code="2026-1",
        title="2026년 제1차 우수연구개발 혁신제품 지정",
        title_en="2026 first round of innovative product designation",
        opens_at=now - dt.timedelta(days=120),
        closes_at=now - dt.timedelta(days=90),
    )
    for i, (code, label, label_en) in enumerate(
        [
            ("fit", "분야 적합성", "Fit to the field"),
            ("innovative", "혁신적 해결방안", "Innovative solution"),
        ]
    ):
        RubricGate.objects.create(round=round_, order=i, code=code, label=label, label_en=label_en)
    for i, (code, label, label_en, weight) in enumerate(
        [
            ("novelty", "기술 혁신성", "Technological novelty", 30),
            ("impact", "사회·경제적 파급효과", "Social/economic impact", 25),
            (
                "procurement",
                "공공조달 혁신 가능성",
                "Potential for innovating public procurement",
                25,
            ),
            ("market", "시장 기여도", "Market contribution", 20),
        ]
    ):
        RubricCriterion.objects.create(
            round=round_, order=i, code=code, label=label, label_en=label_en, weight=weight
        )
    return round_


EXPERTS = [
    ("expert.kim@ppir.example.kr", "김현우", "한국과학기술연구원"),
    ("expert.lee@ppir.example.kr", "이서연", "서울대학교 공과대학"),
    ("expert.park@ppir.example.kr", "박지훈", "한국전자통신연구원"),
]
COMMENTS = {
    "novelty": ["기존 제품 대비 탐지 정확도가 뚜렷이 높음", "핵심 알고리즘의 독창성이 인정됨"],
    "impact": ["재난 대응 시간 단축 효과가 기대됨", "지자체 현장 적용 사례가 설득력 있음"],
    "procurement": ["표준 규격화가 가능하여 조달 확산이 쉬움", "유지보수 체계 보완이 필요함"],
    "market": ["해외 시장 진출 계획이 구체적임", "가격 경쟁력 근거가 다소 부족함"],
}


def _reviews(ctx, application, subfield, low: bool = False) -> None:
    """Three submitted expert reviews, unless the scoring demo made some already."""
    from panels.demo import DEMO_EXPERT_EMAIL
    from panels.enums import AssignmentState, ReviewState
    from panels.models import Assignment, CriterionScore, ExpertProfile, Review

    if Review.objects.filter(assignment__application=application).exists():
        return
    # Three members of the sub-field's committee when the committees demo made them (not the
    # demo expert account, whose page shows its own committee's work); our own otherwise.
    experts = list(
        ExpertProfile.objects.filter(is_active=True, subfields=subfield)
        .exclude(user__email=DEMO_EXPERT_EMAIL)
        .order_by("pk")[:3]
    )
    if len(experts) < 3:
        experts = []
        for email, name, org_name in EXPERTS:
            user = _user(ctx, email, name, Role.EXPERT)
            expert, _ = ExpertProfile.objects.get_or_create(
                user=user, defaults={"organisation_name": org_name, "department": "연구기획실"}
            )
            experts.append(expert)
    for expert in experts:
        now = timezone.now()
        assignment, _ = Assignment.objects.get_or_create(
            application=application,
            expert=expert,
            defaults={
                "state": AssignmentState.ACCEPTED,
                "invited_at": now,
                "responded_at": now,
                "pledge_signed_at": now,
            },
        )
        review = Review.objects.create(
            assignment=assignment,
            state=ReviewState.SUBMITTED,
            gates={g.code: True for g in application.round.gates.all()},
            overall_opinion=ctx.rng.choice(
                ["공공 현장의 수요가 분명한 제품임", "실증 결과가 충분하여 지정을 권고함"]
            ),
            submitted_at=timezone.now(),
        )
        total = 0
        for criterion in application.round.criteria.all():
            # Below the round's threshold for the ones the panel did not recommend.
            score = ctx.rng.randrange(48, 68) if low else ctx.rng.randrange(72, 96)
            total += score * criterion.weight / criterion.max_score
            CriterionScore.objects.create(
                review=review,
                criterion=criterion,
                score=score,
                comment=ctx.rng.choice(COMMENTS.get(criterion.code, ["적정함"])),
            )
        review.weighted_total = round(total, 2)
        review.save(update_fields=["weighted_total"])


def _application(ctx, round_, org, owner, name, name_en, subfield, target: str) -> Application:
    application = Application.objects.filter(organisation=org, product_name=name).first()
    if application is not None:
        return application
    application = Application.objects.create(
        round=round_,
        subfield=subfield,
        organisation=org,
        created_by=owner,
        product_name=name,
        product_name_en=name_en,
        product_description=f"{name}: 공공 R&D 성과를 사업화한 제품",
        trl=8,
        indicative_price=ctx.rng.randrange(20, 300) * 1_000_000,
        intended_buyers="지방자치단체, 공공기관",
        intended_use="공공시설 현장 업무에 도입하여 공공서비스 품질을 높인다.",
        declared_not_designated=True,
        declared_truthful=True,
    )
    round_.subfields.add(subfield)
    # The R&D project behind the product, which the company led.
    project, _ = RDProject.objects.get_or_create(
        ntis_number=f"RS-2022-{97900000 + application.pk:08d}",
        defaults={
            "title": f"{name} 핵심기술 개발 및 실증",
            "ministry": "과학기술정보통신부",
            "lead_organisation": org.name,
            "lead_business_number": org.business_number,
            "start_date": dt.date(2022, 4, 1),
            "end_date": dt.date(2024, 12, 31),
            "result_grade": ResultGrade.SUCCESSFUL,
        },
    )
    ProjectParticipant.objects.get_or_create(
        project=project,
        business_number=org.business_number,
        defaults={
            "role": ParticipantRole.LEAD_ORGANISATION,
            "organisation_name": org.name,
        },
    )
    application.rd_projects.add(project)
    for kind, title, original, issued, expires in [
        (DocumentKind.SPECIFICATION, "제품 규격서", "제품규격서.pdf", None, None),
        (
            DocumentKind.CERTIFICATION,
            "KC 적합성평가 인증서",
            "KC인증서.pdf",
            dt.date(2025, 3, 1),
            dt.date(2028, 2, 29),
        ),
    ]:
        ApplicationDocument.objects.create(
            application=application,
            kind=kind,
            title=title,
            file=ContentFile(b"%PDF-1.4\n% demo\n", name="demo.pdf"),
            original_name=original,
            content_type="application/pdf",
            size=16,
            sha256="0" * 64,
            issue_date=issued,
            expiry_date=expires,
            uploaded_by=owner,
        )
    # Demo designations belong to rounds that have closed: submit as of the day before.
    application_submit(
        application=application,
        by=owner,
        as_of=min(timezone.now(), round_.closes_at - dt.timedelta(days=1)),
    )
    application_transition(application=application, by=None, transition="mark_eligible")
    _reviews(ctx, application, subfield, low=target == "rejected")
    application_transition(application=application, by=None, transition="open_consensus")
    Consensus.objects.create(
        application=application,
        score=ctx.rng.choice(["78.50", "82.25", "86.00", "91.75"]),
        opinion="기술 혁신성과 공공 수요가 분명하며 조달 적합성이 기대됨",
        recommended=target != "rejected",
    )
    if target == "rejected":
        application_transition(application=application, by=None, transition="not_recommend")
    else:
        application_transition(application=application, by=None, transition="recommend")
    return application


def _complete_earlier_steps(ctx, *, officer, pps, today) -> None:
    """Earlier demo steps move applications with the plain transition services; give them
    the records this stage keeps: a certificate for each certified application, a PPS
    review for each that passed suitability, an objection record for each in objection,
    and the demo company's results released so its applicant can read them."""
    from audit.models import AuditEvent

    from .enums import ObjectionDecision, ObjectionGround
    from .models import Objection, SuitabilityReview

    for application in Application.objects.filter(state=S.CERTIFIED, certificate__isnull=True):
        issued = (
            timezone.localtime(application.decided_at).date() if application.decided_at else today
        )
        Certificate.objects.create(
            number=services.next_certificate_number(issued.year),
            application=application,
            issued_on=issued,
            valid_until=issued.replace(year=issued.year + 3) - dt.timedelta(days=1),
        )
    events = AuditEvent.objects.filter(action="transition:record_suitability").select_related(
        "application", "actor"
    )
    for event in events:
        application = event.application
        if application is None or application.suitability_reviews.exists():
            continue
        SuitabilityReview.objects.create(
            application=application,
            reviewer=event.actor or pps,
            suitable=True,
            notes=event.comment or "조달 적합성 검토 결과 공공 구매에 적합함",
        )
    for application in Application.objects.filter(state=S.OBJECTION).select_related("round"):
        if application.objections.filter(decision=ObjectionDecision.PENDING).exists():
            continue
        filed = application.history.filter(action="transition:file_objection").first()
        Objection.objects.create(
            application=application,
            ground=ObjectionGround.EVALUATOR_ERROR,
            explanation=(filed.comment if filed else "") or "평가위원의 사실 오인이 있었습니다.",
            filed_by=(filed.actor if filed and filed.actor else application.created_by),
            deadline=timezone.now() + dt.timedelta(days=application.round.objection_days),
        )
    # Scores and a consensus for applications past the panel that have none, so results and
    # the PPS queue have something to show (the scoring demo's own reviews win when present).
    past_panel = (
        S.SUITABILITY_REVIEW,
        S.AWAITING_DECISION,
        S.CERTIFIED,
        S.REJECTED,
        S.OBJECTION,
    )
    for application in Application.objects.filter(state__in=past_panel).select_related(
        "round", "subfield"
    ):
        recommended = application.history.filter(action="transition:recommend").exists()
        _reviews(ctx, application, application.subfield, low=not recommended)
        if not Consensus.objects.filter(application=application).exists():
            Consensus.objects.create(
                application=application,
                score=ctx.rng.choice(["74.50", "81.25", "86.00"])
                if recommended
                else ctx.rng.choice(["58.75", "64.50"]),
                opinion="기술 혁신성과 공공 수요가 분명함"
                if recommended
                else "기존 조달 제품 대비 혁신성이 충분히 입증되지 않음",
                recommended=recommended,
            )
    company = ctx.objects.get("demo_organisation")
    if company is not None:
        for application in company.applications.filter(
            state__in=(S.CERTIFIED, S.REJECTED), result_released_at__isnull=True
        ):
            services.results_release(application=application, by=officer)


def seed_procurement(ctx) -> None:
    officer = _role_user(
        ctx, Role.OFFICER, "officer@ppir.example.kr", "김담당 (과기정통부)", is_staff=True
    )
    pps = _role_user(ctx, Role.PPS, "pps@ppir.example.kr", "이조달 (조달청)")
    round_ = _round(ctx)
    today = seoul_today()

    orgs = []
    for i, (brn, name, name_en) in enumerate(COMPANIES):
        org, _ = Organisation.objects.get_or_create(
            business_number=brn, defaults={"name": name, "name_en": name_en}
        )
        owner_email = f"applicant{i + 1}@ppir.example.kr"
        owner = _user(ctx, owner_email, f"{name} 담당자", Role.APPLICANT)
        Membership.objects.get_or_create(
            user=owner,
            organisation=org,
            defaults={"status": MembershipStatus.APPROVED, "is_admin": True},
        )
        orgs.append((org, owner))

    _complete_earlier_steps(ctx, officer=officer, pps=pps, today=today)

    for n, (name, name_en, org_i, sf_number, target) in enumerate(PRODUCTS):
        ko, en = SUBFIELDS[sf_number]
        subfield, _ = SubField.objects.get_or_create(
            number=sf_number, defaults={"name_ko": ko, "name_en": en}
        )
        org, owner = orgs[org_i]
        application = _application(ctx, round_, org, owner, name, name_en, subfield, target)
        start = S.AWAITING_DECISION if target == "rejected" else S.SUITABILITY_REVIEW
        if target == "suitability" or application.state != start:
            continue  # left in the PPS queue, or already taken further by an earlier run
        if target == "rejected":
            services.application_reject(
                application=application,
                by=officer,
                reason="공공 수요처의 구매 의향 근거가 부족하고 시장 기여도 점수가 기준에 미달함",
            )
            services.results_release(application=application, by=officer)
            continue
        services.suitability_record(
            application=application,
            by=pps,
            suitable=True,
            notes="공공기관 수요가 확인되며 조달 규격화가 가능함",
        )
        if target == "awaiting":
            continue
        # The extended and expired ones were designated three years ago, in an earlier round.
        issued_on = {
            "extended": today.replace(year=today.year - 3) + dt.timedelta(days=30),
            "expired": today.replace(year=today.year - 3) - dt.timedelta(days=20),
        }.get(target)
        certificate = services.application_certify(
            application=application,
            by=officer,
            reason="전문가 심사 및 조달 적합성 검토 결과 적합",
            issued_on=issued_on,
        )
        services.results_release(application=application, by=officer)
        if target in ("valid", "extended"):
            services.catalogue_register(
                application=application,
                by=pps,
                classification_number=["43211503", "24101601"][n % 2],
                product_identification_number=f"{24170000 + n * 17}",
                unit_price=application.indicative_price or 50_000_000,
                supplier_contact=f"{org.name} 공공영업팀 02-555-01{n:02d}",
            )
        if target == "valid":
            services.pilot_purchase_record(
                application=application,
                by=pps,
                public_body="행정안전부 국립재난안전연구원",
                purchased_on=today - dt.timedelta(days=40),
                quantity=3,
                amount=(application.indicative_price or 50_000_000) * 3,
                feedback="현장 CCTV와 연동이 쉽고 오탐이 적어 상황실 운영에 도움이 됨",
                rating=5,
            )
        elif target == "extended":
            # Its first extension (+1 year) is what keeps it valid now.
            request = services.certificate_request_extension(
                certificate=certificate, by=owner, reason="지자체 추가 구매 수요가 이어지고 있음"
            )
            services.certificate_decide_extension(
                extension=request, by=officer, approve=True, reason="시범구매 만족도가 높음"
            )
        elif target == "expired":
            services.certificates_expire(today=today)
        elif target == "revoked":
            services.certificate_revoke(
                certificate=certificate,
                by=officer,
                reason="제출한 시험성적서가 위조된 것으로 확인됨",
            )

    for certificate in Certificate.objects.all():
        services.certificate_pdf_store(certificate=certificate)
    counts = {s: Certificate.objects.with_status(s).count() for s in CertificateState.values}
    ctx.say(
        "procurement: certificates valid {valid}, expired {expired}, revoked {revoked}".format(
            **counts
        )
    )
