"""Demo data for this app; see applications/management/commands/seed_demo.py.

seed_committees makes the 24 sub-fields of PROGRAMME.md, one committee each with a chair,
and an expert pool of 240 (10 per sub-field) from universities, research institutes and
companies. The demo expert and chair logins are experts in sub-field 1."""

import random

from django.contrib.auth.models import Group

from accounts.demo import business_number, demo_password_hash, ensure_verified_email, korean_name
from accounts.enums import Language, Role
from accounts.models import User

from .models import Committee, ExpertProfile, SubField

EXPERTS_PER_FIELD = 10

# number, Korean, English, keywords (Korean, English), typical departments
SUBFIELDS = [
    (
        1,
        "인공지능·데이터",
        "Artificial intelligence and data",
        [
            ("딥러닝", "deep learning"),
            ("컴퓨터비전", "computer vision"),
            ("자연어처리", "natural language processing"),
            ("빅데이터", "big data"),
            ("영상분석", "video analytics"),
            ("머신러닝", "machine learning"),
        ],
        ["인공지능학과", "데이터사이언스연구실", "지능정보연구본부"],
    ),
    (
        2,
        "소프트웨어·클라우드",
        "Software and cloud",
        [
            ("클라우드", "cloud computing"),
            ("마이크로서비스", "microservices"),
            ("가상화", "virtualisation"),
            ("전자정부", "e-government"),
            ("오픈소스", "open source"),
            ("데브옵스", "DevOps"),
        ],
        ["소프트웨어학과", "클라우드연구실", "SW품질연구센터"],
    ),
    (
        3,
        "정보통신·네트워크",
        "Communications and networks",
        [
            ("5G", "5G"),
            ("사물인터넷", "internet of things"),
            ("무선통신", "wireless communication"),
            ("광통신", "optical communication"),
            ("네트워크 보안", "network security"),
            ("위성통신", "satellite communication"),
        ],
        ["전자공학과", "통신연구실", "네트워크연구본부"],
    ),
    (
        4,
        "반도체·디스플레이",
        "Semiconductors and displays",
        [
            ("전력반도체", "power semiconductor"),
            ("시스템반도체", "system semiconductor"),
            ("OLED", "OLED"),
            ("마이크로LED", "micro LED"),
            ("패키징", "packaging"),
            ("센서칩", "sensor chip"),
        ],
        ["반도체공학과", "디스플레이연구실", "소자연구센터"],
    ),
    (
        5,
        "정보보호",
        "Cybersecurity",
        [
            ("침입탐지", "intrusion detection"),
            ("암호", "cryptography"),
            ("제로트러스트", "zero trust"),
            ("개인정보보호", "privacy protection"),
            ("보안관제", "security monitoring"),
            ("악성코드", "malware analysis"),
        ],
        ["정보보호학과", "보안기술연구실", "사이버보안연구센터"],
    ),
    (
        6,
        "바이오의약",
        "Biopharmaceuticals",
        [
            ("항체", "antibody"),
            ("백신", "vaccine"),
            ("세포치료", "cell therapy"),
            ("진단키트", "diagnostic kit"),
            ("신약개발", "drug discovery"),
            ("바이오공정", "bioprocessing"),
        ],
        ["약학과", "바이오신약연구실", "생명공학연구본부"],
    ),
    (
        7,
        "의료기기",
        "Medical devices",
        [
            ("영상진단", "medical imaging"),
            ("체외진단", "in vitro diagnostics"),
            ("수술로봇", "surgical robot"),
            ("생체신호", "biosignal"),
            ("재활기기", "rehabilitation device"),
            ("초음파", "ultrasound"),
        ],
        ["의공학과", "의료기기연구실", "임상시험센터"],
    ),
    (
        8,
        "디지털헬스케어",
        "Digital health",
        [
            ("원격의료", "telemedicine"),
            ("웨어러블", "wearable"),
            ("건강관리", "health management"),
            ("의료데이터", "medical data"),
            ("디지털치료제", "digital therapeutics"),
            ("돌봄", "care services"),
        ],
        ["의료정보학과", "디지털헬스연구실", "헬스케어사업부"],
    ),
    (
        9,
        "신재생에너지",
        "Renewable energy",
        [
            ("태양광", "photovoltaics"),
            ("풍력", "wind power"),
            ("연료전지", "fuel cell"),
            ("에너지저장", "energy storage"),
            ("지열", "geothermal"),
            ("바이오에너지", "bioenergy"),
        ],
        ["에너지공학과", "신재생에너지연구실", "태양광연구단"],
    ),
    (
        10,
        "이차전지·수소",
        "Batteries and hydrogen",
        [
            ("리튬이온", "lithium-ion"),
            ("전고체전지", "solid-state battery"),
            ("수전해", "electrolysis"),
            ("수소저장", "hydrogen storage"),
            ("배터리관리", "battery management"),
            ("충전", "charging"),
        ],
        ["화학공학과", "이차전지연구실", "수소연구단"],
    ),
    (
        11,
        "전력망·에너지효율",
        "Power grid and energy efficiency",
        [
            ("스마트그리드", "smart grid"),
            ("전력변환", "power conversion"),
            ("수요관리", "demand response"),
            ("고효율조명", "efficient lighting"),
            ("마이크로그리드", "microgrid"),
            ("변압기", "transformer"),
        ],
        ["전기공학과", "전력망연구실", "에너지효율센터"],
    ),
    (
        12,
        "첨단소재·화학",
        "Advanced materials and chemicals",
        [
            ("복합소재", "composite material"),
            ("고분자", "polymer"),
            ("촉매", "catalyst"),
            ("세라믹", "ceramics"),
            ("경량소재", "lightweight material"),
            ("친환경 화학", "green chemistry"),
        ],
        ["신소재공학과", "화학소재연구실", "소재연구본부"],
    ),
    (
        13,
        "나노",
        "Nanotechnology",
        [
            ("나노소재", "nanomaterial"),
            ("그래핀", "graphene"),
            ("나노코팅", "nano coating"),
            ("나노센서", "nanosensor"),
            ("나노입자", "nanoparticle"),
            ("박막", "thin film"),
        ],
        ["나노공학과", "나노소자연구실", "나노융합연구센터"],
    ),
    (
        14,
        "기계·로봇",
        "Machinery and robotics",
        [
            ("협동로봇", "collaborative robot"),
            ("서비스로봇", "service robot"),
            ("정밀기계", "precision machinery"),
            ("자율이동", "autonomous mobility"),
            ("로봇제어", "robot control"),
            ("유압", "hydraulics"),
        ],
        ["기계공학과", "로봇연구실", "지능로봇연구본부"],
    ),
    (
        15,
        "스마트제조",
        "Smart manufacturing",
        [
            ("디지털트윈", "digital twin"),
            ("스마트공장", "smart factory"),
            ("공정최적화", "process optimisation"),
            ("예지보전", "predictive maintenance"),
            ("3D프린팅", "3D printing"),
            ("품질검사", "quality inspection"),
        ],
        ["산업공학과", "제조혁신연구실", "스마트공장사업부"],
    ),
    (
        16,
        "자동차·모빌리티",
        "Automotive and mobility",
        [
            ("자율주행", "autonomous driving"),
            ("전기차", "electric vehicle"),
            ("차량통신", "V2X"),
            ("라이다", "lidar"),
            ("모빌리티 서비스", "mobility services"),
            ("차량안전", "vehicle safety"),
        ],
        ["자동차공학과", "모빌리티연구실", "자율주행연구센터"],
    ),
    (
        17,
        "항공우주·드론",
        "Aerospace and drones",
        [
            ("드론", "drone"),
            ("위성", "satellite"),
            ("항공전자", "avionics"),
            ("무인기", "unmanned aerial vehicle"),
            ("도심항공교통", "urban air mobility"),
            ("항법", "navigation"),
        ],
        ["항공우주공학과", "드론연구실", "위성연구본부"],
    ),
    (
        18,
        "조선·해양",
        "Shipbuilding and marine",
        [
            ("친환경선박", "green ship"),
            ("자율운항", "autonomous shipping"),
            ("해양플랜트", "offshore plant"),
            ("수중로봇", "underwater robot"),
            ("해양관측", "ocean observation"),
            ("선박설계", "ship design"),
        ],
        ["조선해양공학과", "해양기술연구실", "선박연구본부"],
    ),
    (
        19,
        "건설·인프라",
        "Construction and infrastructure",
        [
            ("스마트건설", "smart construction"),
            ("구조물 안전진단", "structural health monitoring"),
            ("BIM", "BIM"),
            ("터널", "tunnelling"),
            ("내진", "seismic design"),
            ("도로포장", "pavement"),
        ],
        ["건설환경공학과", "구조공학연구실", "인프라안전연구본부"],
    ),
    (
        20,
        "교통·물류",
        "Transport and logistics",
        [
            ("지능형교통", "intelligent transport"),
            ("물류자동화", "logistics automation"),
            ("철도", "railway"),
            ("교통신호", "traffic signal"),
            ("라스트마일", "last-mile delivery"),
            ("화물추적", "freight tracking"),
        ],
        ["교통공학과", "물류시스템연구실", "철도연구본부"],
    ),
    (
        21,
        "환경·기후",
        "Environment and climate",
        [
            ("수처리", "water treatment"),
            ("대기오염", "air pollution"),
            ("탄소포집", "carbon capture"),
            ("폐기물 자원화", "waste recycling"),
            ("미세먼지", "fine dust"),
            ("기후예측", "climate prediction"),
        ],
        ["환경공학과", "기후변화연구실", "환경기술연구본부"],
    ),
    (
        22,
        "재난안전",
        "Disaster safety and emergency response",
        [
            ("재난감지", "disaster detection"),
            ("화재", "fire safety"),
            ("지진", "earthquake"),
            ("홍수", "flood warning"),
            ("구조장비", "rescue equipment"),
            ("비상통신", "emergency communication"),
        ],
        ["소방방재학과", "재난안전연구실", "방재연구센터"],
    ),
    (
        23,
        "농림·식품",
        "Agriculture, food and emergency food supply",
        [
            ("스마트팜", "smart farm"),
            ("비상식량", "emergency food"),
            ("식품안전", "food safety"),
            ("종자", "seeds"),
            ("농업로봇", "agricultural robot"),
            ("식품가공", "food processing"),
        ],
        ["식품공학과", "스마트농업연구실", "식품연구본부"],
    ),
    (
        24,
        "스마트시티·공공서비스",
        "Smart cities and AI-based public services",
        [
            ("스마트시티", "smart city"),
            ("공공서비스", "public services"),
            ("디지털트윈 도시", "urban digital twin"),
            ("민원자동화", "civil petition automation"),
            ("스마트가로등", "smart streetlight"),
            ("주차관제", "parking management"),
        ],
        ["도시공학과", "스마트시티연구실", "공공혁신사업부"],
    ),
]

# Where experts work: (Korean, English-free display name used in the profile, kind)
EXPERT_ORGANISATIONS = [
    "서울대학교",
    "한국과학기술원",
    "포항공과대학교",
    "연세대학교",
    "고려대학교",
    "성균관대학교",
    "한양대학교",
    "부산대학교",
    "경북대학교",
    "전남대학교",
    "충남대학교",
    "광주과학기술원",
    "울산과학기술원",
    "대구경북과학기술원",
    "인하대학교",
    "아주대학교",
    "한국전자통신연구원",
    "한국과학기술연구원",
    "한국기계연구원",
    "한국생산기술연구원",
    "한국에너지기술연구원",
    "한국화학연구원",
    "한국건설기술연구원",
    "한국철도기술연구원",
    "한국전기연구원",
    "한국생명공학연구원",
    "한국식품연구원",
    "한국항공우주연구원",
    "선박해양플랜트연구소",
    "한국재료연구원",
    "정보통신산업진흥원",
    "한국산업기술시험원",
    "삼성전자",
    "LG전자",
    "현대자동차",
    "네이버클라우드",
    "SK텔레콤",
    "한화에어로스페이스",
]

TITLES = ("교수", "부교수", "조교수", "책임연구원", "선임연구원", "수석연구원")


def expert_email(field: int, i: int) -> str:
    return f"expert.f{field:02d}.{i:02d}@demo.ppir.kr"


def researcher_number(field: int, i: int) -> str:
    """국가연구자번호 of the i-th demo expert of a field (8 digits)."""
    return f"1{field:02d}{i:05d}"


def _keywords(rng: random.Random, pairs) -> str:
    chosen = rng.sample(pairs, 4)
    return ", ".join(word for pair in chosen for word in pair)


def seed_committees(ctx) -> None:
    """The 24 sub-fields, an expert pool of 10 per sub-field, and one committee per sub-field
    chaired by its first expert (in sub-field 1: the demo chair)."""
    rng = random.Random(2026_0001)
    subfields = {}
    for number, ko, en, *_ in SUBFIELDS:
        sf, _ = SubField.objects.get_or_create(
            number=number, defaults={"name_ko": ko, "name_en": en}
        )
        subfields[number] = sf

    users = ctx.objects.get("demo_users", {})
    plans = []  # (email, name, field, index)
    for number, *_ in SUBFIELDS:
        for i in range(EXPERTS_PER_FIELD):
            if number == 1 and i == 0 and "committee chair" in users:
                email, name = users["committee chair"].email, users["committee chair"].name
            elif number == 1 and i == 1 and "expert" in users:
                email, name = users["expert"].email, users["expert"].name
            else:
                email, name = expert_email(number, i), korean_name(rng)
            plans.append((email, name, number, i))

    existing = set(
        User.objects.filter(email__in=[p[0] for p in plans]).values_list("email", flat=True)
    )
    User.objects.bulk_create(
        [
            User(email=email, name=name, language=Language.KO, password=demo_password_hash())
            for email, name, _, _ in plans
            if email not in existing
        ]
    )
    by_email = {u.email: u for u in User.objects.filter(email__in=[p[0] for p in plans])}
    expert_group = Group.objects.get_or_create(name=Role.EXPERT)[0]
    expert_group.user_set.add(*by_email.values())
    ensure_verified_email(list(by_email.values()))

    with_profile = set(
        ExpertProfile.objects.filter(user__in=by_email.values()).values_list("user_id", flat=True)
    )
    new_profiles = []
    for email, _, number, i in plans:
        user = by_email[email]
        # Draw for every plan (not only missing ones) so a re-run sees the same sequence.
        org = rng.choice(EXPERT_ORGANISATIONS)
        fields = SUBFIELDS[number - 1]
        department = rng.choice(fields[4])
        title = rng.choice(TITLES)
        keywords = _keywords(rng, fields[3])
        max_load = rng.randint(4, 8)
        if number == 1 and i < 2:
            org, department = "한국전자통신연구원", "지능정보연구본부"
        if user.pk in with_profile:
            continue
        new_profiles.append(
            ExpertProfile(
                user=user,
                organisation_name=org,
                business_number=business_number(500 + EXPERT_ORGANISATIONS.index(org)),
                department=f"{department} ({title})",
                researcher_number=researcher_number(number, i),
                keywords=keywords,
                max_load=max_load,
            )
        )
    ExpertProfile.objects.bulk_create(new_profiles)
    profiles = {
        p.user.email: p
        for p in ExpertProfile.objects.filter(user__in=by_email.values()).select_related("user")
    }
    through = ExpertProfile.subfields.through
    linked = set(
        through.objects.filter(expertprofile__in=profiles.values()).values_list(
            "expertprofile_id", "subfield_id"
        )
    )
    links = []
    for email, _, number, i in plans:
        wanted = [number]
        # Every fourth expert also serves a neighbouring committee, as real panellists do.
        if i % 4 == 3:
            wanted.append(number % len(SUBFIELDS) + 1)
        for n in wanted:
            key = (profiles[email].pk, subfields[n].pk)
            if key not in linked:
                links.append(through(expertprofile_id=key[0], subfield_id=key[1]))
                linked.add(key)
    through.objects.bulk_create(links)

    for number, sf in subfields.items():
        chair = profiles[next(p[0] for p in plans if p[2] == number and p[3] == 0)]
        Committee.objects.get_or_create(subfield=sf, defaults={"chair": chair})

    ctx.objects["subfields"] = subfields
    ctx.objects["experts"] = profiles
    ctx.objects["expert_plans"] = plans


# ---------------------------------------------------------------------------------------
# Scoring and consensus (review-scoring work)
# ---------------------------------------------------------------------------------------

DEMO_EXPERT_EMAIL = "expert@demo.ppir.kr"

CRITERION_COMMENTS = {
    "high": [
        "근거 자료가 충실하고 기존 제품 대비 개선 효과가 분명함.",
        "공공기관 실증 결과가 우수하며 성능 지표가 명확히 제시됨.",
        "핵심 기술의 독창성이 높고 특허로 뒷받침됨.",
    ],
    "mid": [
        "기술적 장점은 인정되나 실증 자료가 일부 부족함.",
        "효과는 기대되나 정량적 근거 보완이 필요함.",
        "적용 분야는 적절하나 유지보수 계획이 구체적이지 않음.",
    ],
    "low": [
        "기존 제품과의 차별성이 뚜렷하지 않음.",
        "성능 시험 결과가 제출되지 않아 판단이 어려움.",
        "공공 수요처와 활용 방안이 불분명함.",
    ],
}
OPINIONS = [
    "공공기관 현장 적용 가능성이 높고 조달 혁신 효과가 기대됨.",
    "핵심 기술의 완성도는 높으나 시장 확산 계획 보완이 필요함.",
    "실증 실적이 있어 신뢰할 수 있으나 가격 경쟁력 검토가 필요함.",
    "제품의 혁신성은 있으나 공공 수요처가 제한적임.",
    "시험성적서와 인증이 갖추어져 있어 즉시 도입이 가능한 수준임.",
]


def _panel_members(application, k, demo_expert, taken_ids):
    """Active members of the application's committee, the chair excluded (the chair leads
    the consensus), the demo expert first for its fields, conflicted experts never."""
    from .enums import REVIEWING_ASSIGNMENT_STATES
    from .models import ConflictDeclaration, ExpertProfile

    committee = getattr(application.subfield, "committee", None)
    chair_id = committee.chair_id if committee else None
    declared = ConflictDeclaration.objects.filter(application=application).values("expert_id")
    candidates = list(
        ExpertProfile.objects.filter(subfields=application.subfield_id, is_active=True)
        .exclude(pk__in=declared)
        .exclude(pk__in=taken_ids)
        .exclude(pk=chair_id)
        .order_by("pk")
    )
    demo_has_room = demo_expert is not None and (
        demo_expert.assignments.filter(state__in=REVIEWING_ASSIGNMENT_STATES).count()
        < demo_expert.max_load
    )
    head = []
    if demo_expert in candidates:
        candidates.remove(demo_expert)
        if demo_has_room:
            head = [demo_expert]
    # Rotate the rest of the pool by the application so panels differ.
    if candidates:
        shift = application.pk % len(candidates)
        candidates = candidates[shift:] + candidates[:shift]
    return (head + candidates)[:k]


def _write_review(assignment, *, rng, quality, submitted, when):
    from . import scoring
    from .enums import ReviewState
    from .models import CriterionScore, Review

    rnd = assignment.application.round
    criteria = list(rnd.criteria.all())
    gates = list(rnd.gates.all())
    review = Review.objects.create(
        assignment=assignment,
        state=ReviewState.SUBMITTED if submitted else ReviewState.DRAFT,
        gates={g.code: {"passed": True, "comment": ""} for g in gates},
        overall_opinion=rng.choice(OPINIONS) if submitted else "",
        submitted_at=when if submitted else None,
    )
    values = []
    for i, c in enumerate(criteria):
        if not submitted and i >= 2:
            # A draft: the expert has scored the first criteria only.
            CriterionScore.objects.create(review=review, criterion=c)
            continue
        pct = max(0, min(100, quality + rng.randint(-8, 8)))
        score = round(c.max_score * pct / 100)
        tone = "high" if pct >= 80 else "mid" if pct >= 60 else "low"
        CriterionScore.objects.create(
            review=review, criterion=c, score=score, comment=rng.choice(CRITERION_COMMENTS[tone])
        )
        values.append(scoring.CriterionValue(score=score, max_score=c.max_score, weight=c.weight))
    if submitted and len(values) == len(criteria):
        review.weighted_total = scoring.weighted_total(values)
        review.save(update_fields=["weighted_total"])
    return review


def seed_reviews(ctx) -> None:
    """Reviews for the demo applications (idempotent: only missing rows are written).

    - every application in review or later gets its panel (the assignment step's rows if
      present, otherwise accepted assignments from its committee, the chair excepted);
    - IN_REVIEW: reviews in progress (some submitted, some drafts, some not started); the
      demo expert has one of each where there are enough applications;
    - CONSENSUS and later: every review submitted (one panel has a score far from the rest);
    - SUITABILITY_REVIEW and later: the chair's consensus row."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.utils import timezone

    from applications.enums import ApplicationState as S
    from applications.models import Application

    from . import scoring
    from .enums import REVIEWING_ASSIGNMENT_STATES, AssignmentState, ReviewState
    from .models import Assignment, Consensus, ExpertProfile, Review

    consensus_states = (S.SUITABILITY_REVIEW, S.AWAITING_DECISION, S.CERTIFIED, S.REJECTED)
    complete_states = (S.CONSENSUS, *consensus_states, S.OBJECTION)
    applications = list(
        Application.objects.filter(
            state__in=(S.IN_REVIEW, *complete_states), subfield__isnull=False
        )
        .select_related("round", "subfield__committee__chair")
        .order_by("pk")
    )
    if not applications:
        ctx.say("seed_reviews: no demo application in review yet; nothing to add.")
        return
    demo_expert = ExpertProfile.objects.filter(user__email=DEMO_EXPERT_EMAIL).first()
    now = timezone.now()
    demo_in_review = 0
    made = {"assignments": 0, "reviews": 0, "consensus": 0, "opened": 0}
    # The demo chair needs a panel awaiting consensus: when the applications step left none in
    # committee 1, the last of its applications in review gets all its reviews and moves on
    # the way it would in use (the system opens the consensus).
    chair_field_apps = [a for a in applications if a.subfield.number == 1]
    finish = None
    if not any(a.state == S.CONSENSUS for a in chair_field_apps):
        in_review = [a for a in chair_field_apps if a.state == S.IN_REVIEW]
        if (
            len(in_review) >= 2
            and not Review.objects.filter(assignment__application=in_review[-1]).exists()
        ):
            finish = in_review[-1]

    for application in applications:
        # Seeded per application so a second run draws the same and the shared ctx.rng
        # (used by later steps) is left alone.
        rng = random.Random(application.pk * 7919 + 20260126)
        rnd = application.round
        k = rnd.reviewers_per_application
        panel = list(
            application.assignments.filter(state__in=REVIEWING_ASSIGNMENT_STATES)
            .select_related("expert")
            .order_by("pk")
        )
        if len(panel) < k:
            taken = [a.expert_id for a in application.assignments.all()]
            for expert in _panel_members(application, k - len(panel), demo_expert, taken):
                invited = now - dt.timedelta(days=12)
                assignment, created = Assignment.objects.get_or_create(
                    application=application,
                    expert=expert,
                    defaults={
                        "state": AssignmentState.ACCEPTED,
                        "invited_at": invited,
                        "respond_by": invited + dt.timedelta(days=5),
                        "responded_at": invited + dt.timedelta(days=1),
                        "affinity": round(rng.uniform(0.3, 0.9), 3),
                    },
                )
                made["assignments"] += created
                panel.append(assignment)
        if not panel:
            continue
        deadline = rnd.review_deadline or now
        quality = rng.randint(55, 92)
        complete = application.state in complete_states or application == finish
        for i, assignment in enumerate(panel):
            is_demo = demo_expert is not None and assignment.expert_id == demo_expert.pk
            if complete:
                plan = "submitted"
            elif is_demo:
                plan = ("pledge_only", "draft", "submitted", "none")[demo_in_review % 4]
                demo_in_review += 1
            else:
                # Never the whole panel: an IN_REVIEW application still waits for someone.
                plan = ("submitted", "draft", "none")[(i + application.pk) % 3]
                if i == len(panel) - 1:
                    plan = "none"
            if plan != "none" and assignment.pledge_signed_at is None:
                assignment.pledge_signed_at = assignment.responded_at or now
                assignment.save(update_fields=["pledge_signed_at"])
            if (
                plan in ("none", "pledge_only")
                or Review.objects.filter(assignment=assignment).exists()
            ):
                continue
            submitted = plan == "submitted"
            late = rng.random() < 0.2
            when = deadline + dt.timedelta(days=rng.randint(1, 3)) if late else deadline
            when = min(when - dt.timedelta(hours=rng.randint(1, 72)), now)
            # One expert on the first complete panel scores far from the others.
            q = quality - 25 if complete and i == 0 and application.pk % 3 == 0 else quality
            _write_review(assignment, rng=rng, quality=q, submitted=submitted, when=when)
            made["reviews"] += 1

        if application == finish:
            from applications.services import application_open_consensus

            application_open_consensus(application=application, by=None)
            made["opened"] += 1
        if application.state in consensus_states and not application.consensus_records.exists():
            totals = list(
                Review.objects.filter(
                    assignment__in=panel,
                    state=ReviewState.SUBMITTED,
                    weighted_total__isnull=False,
                ).values_list("weighted_total", flat=True)
            )
            agg = scoring.aggregate(totals, trim_min=rnd.trim_min_scores, threshold=rnd.threshold)
            score = agg.panel_score if agg.panel_score is not None else Decimal("70.00")
            recommended = application.state in (S.SUITABILITY_REVIEW, S.CERTIFIED) or (
                application.state == S.AWAITING_DECISION and bool(agg.recommended)
            )
            committee = getattr(application.subfield, "committee", None)
            Consensus.objects.create(
                application=application,
                chair=committee.chair if committee else None,
                score=score,
                opinion=(
                    "위원 전원이 혁신성과 공공 활용 가능성을 인정하여 지정을 추천함."
                    if recommended
                    else "시장 기여도와 실증 근거가 부족하여 추천하지 않음."
                ),
                recommended=recommended,
            )
            made["consensus"] += 1
    ctx.say(
        "seed_reviews: {assignments} assignments, {reviews} reviews, {consensus} consensus "
        "records added; {opened} panel moved to consensus.".format(**made)
    )
