"""Automatic eligibility pre-check: pure functions over an application.

Each rule reads the application (with its round, organisation, linked projects and their
participants, and documents, all prefetched by selectors.application_for_wizard) and returns
a RuleResult: the verdict, the reason a person reads, and whether an officer may judge it.
A failing rule an officer may not judge blocks submission; a failing rule an officer may
judge is flagged for screening instead. Nothing here writes to the database."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import SUCCESSFUL_GRADES, ApplicationState, DocumentKind
from .validators import normalise_business_number

YEARS_SINCE_PROJECT_END = 5


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool
    reason: str
    officer_may_judge: bool = False
    evidence: list = field(default_factory=list)
    # The applicant has simply not reached this part yet (shown as "still to do").
    incomplete: bool = False

    @property
    def blocks_submission(self) -> bool:
        return not self.passed and not self.officer_may_judge

    @property
    def flagged(self) -> bool:
        return not self.passed and self.officer_may_judge


def deadline_date(application) -> dt.date:
    """The round's deadline as a calendar date in server time (Asia/Seoul)."""
    return timezone.localtime(application.round.closes_at).date()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _current_documents(application) -> list:
    return [d for d in application.documents.all() if d.is_current]


def qualifying_projects(application) -> list:
    """Linked projects that ended successfully within 5 years before the round's deadline."""
    deadline = deadline_date(application)
    earliest = _years_before(deadline, YEARS_SINCE_PROJECT_END)
    return [
        p
        for p in application.rd_projects.all()
        if p.result_grade in SUCCESSFUL_GRADES and earliest <= p.end_date <= deadline
    ]


def organisation_took_part(project, business_number: str) -> bool:
    """The organisation led the project or is one of its participants (by business number)."""
    if not business_number:
        return False
    if normalise_business_number(project.lead_business_number) == business_number:
        return True
    return any(
        normalise_business_number(p.business_number) == business_number
        for p in project.participants.all()
    )


def rule_project_successful(application) -> RuleResult:
    label = _("Linked R&D project ended successfully within 5 years")
    projects = list(application.rd_projects.all())
    if not projects:
        return RuleResult(
            "project_successful",
            label,
            False,
            str(_("No R&D project is linked yet.")),
            incomplete=True,
        )
    good = qualifying_projects(application)
    if good:
        names = ", ".join(p.ntis_number for p in good)
        return RuleResult(
            "project_successful",
            label,
            True,
            str(
                _("%(projects)s ended successfully within 5 years before the deadline.")
                % {"projects": names}
            ),
            evidence=[p.ntis_number for p in good],
        )
    deadline = deadline_date(application)
    return RuleResult(
        "project_successful",
        label,
        False,
        str(
            _(
                "None of the linked projects ended with a successful grade between %(start)s "
                "and the round's deadline %(end)s."
            )
            % {"start": _years_before(deadline, YEARS_SINCE_PROJECT_END), "end": deadline}
        ),
        evidence=[p.ntis_number for p in projects],
    )


def rule_participation(application) -> RuleResult:
    """Business numbers change with mergers and licence terms need reading, so an officer
    may judge this one."""
    label = _("Your organisation took part in the project or holds a licence")
    brn = normalise_business_number(application.organisation.business_number)
    projects = qualifying_projects(application) or list(application.rd_projects.all())
    took_part = [p.ntis_number for p in projects if organisation_took_part(p, brn)]
    if took_part:
        return RuleResult(
            "participation",
            label,
            True,
            str(
                _("Your organisation took part in %(projects)s.")
                % {"projects": ", ".join(took_part)}
            ),
            officer_may_judge=True,
            evidence=took_part,
        )
    licences = [d for d in _current_documents(application) if d.kind == DocumentKind.LICENCE]
    if licences:
        return RuleResult(
            "participation",
            label,
            True,
            str(_("A licence from the R&D performer is attached.")),
            officer_may_judge=True,
            evidence=[d.original_name for d in licences],
        )
    return RuleResult(
        "participation",
        label,
        False,
        str(
            _(
                "Your organisation is not among the project's performers and no licence "
                "document is attached. An officer will check this."
            )
        ),
        officer_may_judge=True,
    )


def rule_not_designated(application) -> RuleResult:
    from .models import Application

    label = _("The product has not been designated before")
    if not application.declared_not_designated:
        return RuleResult(
            "not_designated",
            label,
            False,
            str(_("Confirm in the declarations that the product has not been designated before.")),
            incomplete=True,
        )
    earlier = list(
        Application.objects.filter(
            organisation_id=application.organisation_id,
            product_name__iexact=application.product_name.strip(),
            state=ApplicationState.CERTIFIED,
        )
        .exclude(pk=application.pk)
        .values_list("reference", flat=True)
    )
    if earlier:
        return RuleResult(
            "not_designated",
            label,
            False,
            str(
                _("A product of the same name was already certified: %(refs)s.")
                % {"refs": ", ".join(r or "—" for r in earlier)}
            ),
            evidence=earlier,
        )
    return RuleResult(
        "not_designated",
        label,
        True,
        str(_("Declared, and no earlier certification of this product was found.")),
    )


def rule_certifications(application) -> RuleResult:
    """Not every product needs a KC mark, so a missing certification is for an officer to
    judge; an expired one is not."""
    label = _("Mandatory certifications present and unexpired")
    deadline = deadline_date(application)
    certs = [d for d in _current_documents(application) if d.kind == DocumentKind.CERTIFICATION]
    if not certs:
        return RuleResult(
            "certifications",
            label,
            False,
            str(
                _(
                    "No certification (such as the KC mark) is attached. If your product "
                    "needs none, an officer will confirm this."
                )
            ),
            officer_may_judge=True,
        )
    expired = [d for d in certs if d.expiry_date and d.expiry_date < deadline]
    if expired:
        return RuleResult(
            "certifications",
            label,
            False,
            str(
                _("Expired before the round's deadline (%(deadline)s): %(names)s.")
                % {"deadline": deadline, "names": ", ".join(d.original_name for d in expired)}
            ),
            evidence=[d.original_name for d in expired],
        )
    return RuleResult(
        "certifications",
        label,
        True,
        str(_("%(count)d certification(s) attached and valid.") % {"count": len(certs)}),
        evidence=[d.original_name for d in certs],
    )


def rule_documents_dated(application) -> RuleResult:
    label = _("Documents issued no later than the round's deadline")
    deadline = deadline_date(application)
    late = [d for d in _current_documents(application) if d.issue_date and d.issue_date > deadline]
    if late:
        return RuleResult(
            "documents_dated",
            label,
            False,
            str(
                _("Issued after the deadline %(deadline)s: %(names)s.")
                % {"deadline": deadline, "names": ", ".join(d.original_name for d in late)}
            ),
            evidence=[d.original_name for d in late],
        )
    return RuleResult(
        "documents_dated",
        label,
        True,
        str(_("Every document was issued on or before %(deadline)s.") % {"deadline": deadline}),
    )


RULES: list[Callable] = [
    rule_project_successful,
    rule_participation,
    rule_not_designated,
    rule_certifications,
    rule_documents_dated,
]

RULE_LABELS = {
    "project_successful": _("Linked R&D project ended successfully within 5 years"),
    "participation": _("Your organisation took part in the project or holds a licence"),
    "not_designated": _("The product has not been designated before"),
    "certifications": _("Mandatory certifications present and unexpired"),
    "documents_dated": _("Documents issued no later than the round's deadline"),
}


def check(application) -> list[RuleResult]:
    return [rule(application) for rule in RULES]


def blocking(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if r.blocks_submission]
