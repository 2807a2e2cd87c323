"""Demo data for this app; see applications/management/commands/seed_demo.py.

Also holds the small generators the other demo steps share (Korean names, valid business
registration numbers, the one password hash every demo login uses)."""

import random
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from applications.validators import BRN_WEIGHTS

from .enums import Language, MembershipStatus, Role
from .models import Membership, Organisation, User

DEMO_PASSWORD = "ppir-demo-2026!"  # noqa: S105 - the documented demo password (README)

# Weighted roughly like the real distribution: 김, 이 and 박 are the most common.
SURNAMES = (
    "김김김김이이이박박최정강조윤장임한오서신권황안송류전홍"
    "고문양손배백허유남심노하곽성차주우구민진나"
)
# fmt: off
GIVEN = [
    "민서", "서준", "지우", "하은", "도윤", "서연", "예준", "지호", "수빈", "현우",
    "지민", "유진", "동현", "승민", "은지", "정훈", "혜진", "성호", "영수", "미경",
    "상철", "지영", "경민", "태희", "재원", "소연", "준혁", "나연", "형준", "보람",
    "진우", "수정", "민재", "가은", "석진", "윤아", "창민", "은영", "대현", "세희",
    "종현", "하늘", "우진", "다인", "기현", "예린", "병철", "선영", "현석", "주희",
]
# fmt: on

# The demo company of the demo applicant; seed_applications gives it applications.
DEMO_COMPANY = {
    "name": "주식회사 누리비전",
    "name_en": "Nuri Vision Inc.",
    "address": "대전광역시 유성구 대덕대로 512 누리타워 5층",
    "is_sme": True,
}

# (role label printed and shown in the README, e-mail, name, groups, is_staff, is_superuser)
DEMO_LOGINS = [
    ("applicant", "applicant@demo.ppir.kr", "김누리", [Role.APPLICANT], False, False),
    ("officer", "officer@demo.ppir.kr", "박정민", [Role.OFFICER], True, False),
    (
        "panel_secretariat",
        "secretariat@demo.ppir.kr",
        "이수진",
        [Role.PANEL_SECRETARIAT],
        True,
        False,
    ),
    ("expert", "expert@demo.ppir.kr", "최현우", [Role.EXPERT], False, False),
    ("committee chair", "chair@demo.ppir.kr", "정혜진", [Role.EXPERT], False, False),
    ("pps", "pps@demo.ppir.kr", "한도윤", [Role.PPS], False, False),
    ("superuser", "admin@demo.ppir.kr", "관리자", [], True, True),
]


@cache
def demo_password_hash() -> str:
    """Hash the demo password once: hundreds of demo users share it, and hashing each one
    separately would make the seed take minutes."""
    return make_password(DEMO_PASSWORD)


def korean_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def business_number(n: int) -> str:
    """A valid 사업자등록번호 derived from n: eight digits from n, a plausible corporate
    code in the middle, and the check digit computed."""
    head = f"{(n * 7919 + 104_37) % 900 + 100:03d}"
    middle = ("81", "86", "87", "88")[n % 4]
    serial = f"{(n * 3571 + 1234) % 10_000:04d}"
    body = head + middle + serial
    nums = [int(c) for c in body]
    total = sum(a * w for a, w in zip(nums, BRN_WEIGHTS, strict=True)) + (nums[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


def role_groups() -> dict[str, Group]:
    return {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}


def ensure_verified_email(users) -> None:
    """allauth requires a verified address before sign-in; demo addresses count as verified."""
    from allauth.account.models import EmailAddress

    known = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
            if u.pk not in known
        ]
    )


def seed_accounts(ctx) -> None:
    """The role groups, one login per role, and the demo applicant's company."""
    groups = role_groups()
    users = {}
    for label, email, name, roles, is_staff, is_superuser in DEMO_LOGINS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "language": Language.KO,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
                "password": demo_password_hash(),
            },
        )
        if created:
            user.groups.set([groups[r] for r in roles])
        users[label] = user
    ensure_verified_email(list(users.values()))

    company, _ = Organisation.objects.get_or_create(
        business_number=business_number(1),
        defaults={
            **DEMO_COMPANY,
            "contact_name": users["applicant"].name,
            "contact_email": users["applicant"].email,
            "contact_phone": "042-710-5120",
        },
    )
    Membership.objects.get_or_create(
        user=users["applicant"],
        organisation=company,
        defaults={"is_admin": True, "status": MembershipStatus.APPROVED},
    )

    ctx.objects["demo_users"] = users
    ctx.objects["demo_organisation"] = company
    ctx.objects["demo_accounts"] = [(label, email) for label, email, *_ in DEMO_LOGINS]
    ctx.objects["demo_password"] = DEMO_PASSWORD
