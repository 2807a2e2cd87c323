"""An expert signs in, signs the no-conflict pledge, scores an application and submits;
the committee chair records the panel consensus."""

import pytest
from allauth.account.models import EmailAddress

from applications.enums import ApplicationState as S
from panels.enums import ReviewState
from panels.models import Consensus, Review
from tests.factories.reviews import make_panel, submitted_review


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_expert_signs_the_pledge_scores_and_submits(page, screenshot):
    panel = make_panel(pledge=False)
    application = panel.application
    application.product_description = "IoT sensors that detect early signs of floods."
    application.save()
    gate = application.round.gates.first()
    gate.guidance = "The product belongs to this sub-field."
    gate.save()
    user = panel.assignments[0].expert.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto("/reviews/")
    screenshot("expert-dashboard")
    page.get_by_role("link", name="Sign the pledge").click()
    page.get_by_label("I confirm that none of the conflicts").check()
    page.get_by_role("button", name="Sign the pledge").click()
    page.get_by_text("IoT sensors that detect early signs of floods.").wait_for()
    page.get_by_role("link", name="Score this application").click()

    criteria = list(application.round.criteria.all())
    for g in application.round.gates.all():
        page.check(f"#id_gate_{g.code}_0")
    # A score above the maximum is refused beside the field; the rest stays as typed.
    for c, score in zip(criteria, ["150", "70", "90", "60"], strict=True):
        page.fill(f"#id_score_{c.pk}", score)
        page.fill(f"#id_comment_{c.pk}", f"Comment on {c.code}")
    page.fill("#id_overall_opinion", "A useful product for public buyers.")
    page.get_by_role("button", name="Submit review").click()
    error = page.locator(f"#id_score_{criteria[0].pk}_error")
    assert error.inner_text().strip() == "The score must be between 0 and 100."
    # The error summary takes the focus and links to the field.
    assert page.evaluate("document.activeElement.id") == "form-errors"
    page.get_by_role("link", name="The score must be between 0 and 100.").click()
    assert page.input_value(f"#id_comment_{criteria[1].pk}") == f"Comment on {criteria[1].code}"
    screenshot("expert-scoring-error")

    page.fill(f"#id_score_{criteria[0].pk}", "80")
    page.get_by_role("button", name="Submit review").click()
    page.get_by_text("Your review is submitted. Thank you.").wait_for()
    screenshot("expert-scoring-submitted")

    review = Review.objects.get(assignment=panel.assignments[0])
    assert (review.state, str(review.weighted_total)) == (ReviewState.SUBMITTED, "76.00")
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW  # two more experts to go


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_chair_records_the_panel_consensus(page, screenshot):
    panel = make_panel(state=S.CONSENSUS)
    for a, scores in zip(panel.assignments, ([80, 70, 90, 60], [100] * 4, [70] * 4), strict=True):
        submitted_review(a, scores)
    user = panel.chair.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto("/reviews/")
    page.get_by_role("link", name="Open the consensus").click()
    page.get_by_text("far from the others", exact=True).wait_for()
    assert page.input_value("#id_score") == "82.00"
    page.get_by_label("Recommended", exact=True).check()
    page.get_by_label("Consensus opinion").fill("The panel agrees the product is novel.")
    page.get_by_label("Interview or site visit", exact=True).select_option("site_visit")
    page.get_by_label("Date").fill("2026-03-15")
    screenshot("chair-consensus")
    page.get_by_role("button", name="Record the consensus").click()
    page.get_by_text("The panel consensus is recorded.").wait_for()

    panel.application.refresh_from_db()
    assert panel.application.state == S.SUITABILITY_REVIEW
    consensus = Consensus.objects.get(application=panel.application)
    assert (str(consensus.score), consensus.recommended, consensus.meeting_kind) == (
        "82.00",
        True,
        "site_visit",
    )
