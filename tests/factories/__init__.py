"""factory_boy factories for the core models. Each app's own factories live beside these."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.enums import MembershipStatus, Role
from accounts.models import Membership, Organisation, User
from applications.enums import ParticipantRole, ResultGrade
from applications.models import (
    Application,
    ProjectParticipant,
    RDProject,
    Round,
    RubricCriterion,
    RubricGate,
)
from panels.models import Committee, ExpertProfile, SubField

VALID_BRNS = ["1248100998", "1018212345", "2208162517", "1078155843", "2118700620"]


def make_business_number(n: int) -> str:
    """A valid 사업자등록번호 derived from n (the check digit computed)."""
    from applications.validators import BRN_WEIGHTS

    body = f"{(n * 7919 + 1000003) % 10**9:09d}"
    nums = [int(c) for c in body]
    total = sum(a * w for a, w in zip(nums, BRN_WEIGHTS, strict=True)) + (nums[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.kr")
    name = factory.Sequence(lambda n: f"사용자{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            group, _ = Group.objects.get_or_create(name=role)
            self.groups.add(group)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"혁신기업{n} 주식회사")
    name_en = factory.Sequence(lambda n: f"Innovate {n} Co., Ltd.")
    business_number = factory.Sequence(make_business_number)
    is_sme = True
    address = "세종특별자치시 갈매로 477"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, roles=[Role.APPLICANT])
    organisation = factory.SubFactory(OrganisationFactory)
    status = MembershipStatus.APPROVED
    is_admin = True


class SubFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubField
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 100 + n)
    name_ko = factory.Sequence(lambda n: f"분야{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("subfield",)

    subfield = factory.SubFactory(SubFieldFactory)


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=[Role.EXPERT])
    organisation_name = factory.Sequence(lambda n: f"한국연구원{n}")
    department = "연구개발부"
    researcher_number = factory.Sequence(lambda n: f"{11000000 + n}")
    keywords = "인공지능, 데이터, 영상분석"
    max_load = 6

    @factory.post_generation
    def subfields(self, create, extracted, **kwargs):
        if create and extracted:
            self.subfields.set(extracted)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"2026-R{n}")
    title = factory.Sequence(lambda n: f"2026년 제{n}차 혁신제품 지정")
    title_en = factory.Sequence(lambda n: f"2026 innovative product round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    reviewers_per_application = 3
    threshold = Decimal("70")

    @factory.post_generation
    def rubric(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for i, (code, label, label_en) in enumerate(
            [
                ("fit", "분야 적합성", "Fit to the field"),
                ("innovative", "혁신적 해결방안", "Innovative solution"),
            ]
        ):
            RubricGate.objects.create(
                round=self, order=i, code=code, label=label, label_en=label_en
            )
        for i, (code, label, label_en, weight) in enumerate(
            [
                ("novelty", "기술 혁신성", "Technological novelty", Decimal("30")),
                ("impact", "사회·경제적 파급효과", "Social/economic impact", Decimal("25")),
                (
                    "procurement",
                    "공공조달 혁신 가능성",
                    "Potential for innovating public procurement",
                    Decimal("25"),
                ),
                ("market", "시장 기여도", "Market contribution", Decimal("20")),
            ]
        ):
            RubricCriterion.objects.create(
                round=self,
                order=i,
                code=code,
                label=label,
                label_en=label_en,
                weight=weight,
                max_score=100,
            )

    @factory.post_generation
    def subfields(self, create, extracted, **kwargs):
        if create and extracted:
            self.subfields.set(extracted)


class RDProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RDProject

    ntis_number = factory.Sequence(lambda n: f"RS-2023-{n:08d}")
    title = factory.Sequence(lambda n: f"인공지능 기반 공공서비스 실증 과제 {n}")
    ministry = "과학기술정보통신부"
    lead_organisation = "한국과학기술연구원"
    start_date = dt.date(2020, 1, 1)
    end_date = dt.date(2023, 12, 31)
    result_grade = ResultGrade.SUCCESSFUL


class ProjectParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(RDProjectFactory)
    role = ParticipantRole.PARTICIPATING_ORGANISATION
    organisation_name = "참여기업"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application whose organisation has one approved applicant member."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    subfield = factory.SubFactory(SubFieldFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(
        lambda o: MembershipFactory(organisation=o.organisation).user
    )
    product_name = factory.Sequence(lambda n: f"스마트 재난감지 센서 {n}")
    product_name_en = factory.Sequence(lambda n: f"Smart disaster sensor {n}")
    product_description = "공공시설 재난 조기감지용 IoT 센서"
    intended_buyers = "지방자치단체"
    intended_use = "시설물 안전 감시"
    trl = 8
    indicative_price = 12_000_000
    declared_not_designated = True
    declared_truthful = True

    @factory.post_generation
    def rd_projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.rd_projects.set(extracted)
