from decimal import Decimal as D

import pytest

from panels import scoring
from panels.scoring import CriterionValue as V
from panels.selectors import expert_label, panel_view
from tests.factories.reviews import make_panel, submitted_review


def test_weighted_total_of_the_standard_rubric_is_exact():
    values = [V(80, 100, D(30)), V(70, 100, D(25)), V(90, 100, D(25)), V(60, 100, D(20))]
    assert scoring.weighted_total(values) == D("76.00")


def test_weighted_total_rounds_only_at_the_end():
    # 7/9 × 30 = 23.333…, 2/3 × 70 = 46.666…: rounding each part first would give 70.00
    # only by luck; the exact sum is 70.
    assert scoring.weighted_total([V(7, 9, D(30)), V(2, 3, D(70))]) == D("70.00")
    assert scoring.weighted_total([V(1, 3, D(50)), V(0, 5, D(50))]) == D("16.67")


def test_weighted_total_of_full_and_zero_scores():
    assert scoring.weighted_total([V(5, 5, D(60)), V(10, 10, D(40))]) == D("100.00")
    assert scoring.weighted_total([V(0, 5, D(60)), V(0, 10, D(40))]) == D("0.00")


def test_mean_rounds_half_up_to_cents():
    assert scoring.mean([D("76.00"), D("80.00"), D("71.00")]) == D("75.67")
    assert scoring.mean([D("70.005")]) == D("70.01")
    assert scoring.mean([]) is None


def test_median_odd_and_even():
    assert scoring.median([D(90), D(60), D(62)]) == D(62)
    assert scoring.median([D(70), D(71)]) == D("70.50")


def test_trimmed_mean_drops_highest_and_lowest_from_five():
    values = [D(60), D(95), D(70), D(80), D(75)]
    assert scoring.trimmed_mean(values, trim_min=5) == D("75.00")


def test_trimmed_mean_not_applied_below_the_minimum():
    assert scoring.trimmed_mean([D(60), D(70), D(80), D(90)], trim_min=5) is None


def test_trimmed_mean_with_a_lower_minimum():
    assert scoring.trimmed_mean([D(60), D(70), D(100)], trim_min=3) == D("70.00")
    # Never trims two values down to nothing.
    assert scoring.trimmed_mean([D(60), D(70)], trim_min=2) is None


def test_outlier_flag_beyond_fifteen_points_from_the_median():
    assert scoring.outlier_flags([D(60), D(62), D(90)]) == [False, False, True]


def test_outlier_flag_not_raised_at_exactly_fifteen_points():
    assert scoring.outlier_flags([D(50), D(65), D(80)]) == [False, False, False]


def test_outlier_flag_needs_three_scores():
    assert scoring.outlier_flags([D(10), D(90)]) == [False, False]


def test_aggregate_recommends_at_or_above_the_threshold():
    agg = scoring.aggregate([D("76.00"), D("80.00"), D("71.00")], trim_min=5, threshold=D(70))
    assert (agg.mean, agg.trimmed_mean, agg.panel_score, agg.recommended) == (
        D("75.67"),
        None,
        D("75.67"),
        True,
    )
    at = scoring.aggregate([D(70), D(70), D(70)], trim_min=5, threshold=D(70))
    assert at.recommended is True
    below = scoring.aggregate([D("69.99"), D(70), D("69.98")], trim_min=5, threshold=D(70))
    assert (below.panel_score, below.recommended) == (D("69.99"), False)


def test_aggregate_uses_trimmed_mean_from_five_scores():
    agg = scoring.aggregate([D(60), D(95), D(70), D(80), D(75)], trim_min=5, threshold=D(76))
    assert (agg.mean, agg.trimmed_mean, agg.panel_score, agg.recommended) == (
        D("76.00"),
        D("75.00"),
        D("75.00"),
        False,
    )
    assert agg.flags == [False, True, False, False, False]  # median 75: 60 is 15 away, 95 is 20


def test_aggregate_of_no_scores():
    agg = scoring.aggregate([], trim_min=5, threshold=D(70))
    assert (agg.mean, agg.panel_score, agg.recommended, agg.flags) == (None, None, None, [])


def test_expert_biases_are_mean_deviations_from_panel_means():
    rows = [
        ("x", 1, D(80)),
        ("y", 1, D(70)),
        ("z", 1, D(75)),
        ("x", 2, D(70)),
        ("y", 2, D(60)),
        ("x", 3, D(99)),  # alone on application 3: says nothing about calibration
    ]
    assert scoring.expert_biases(rows) == {"x": D("5.00"), "y": D("-5.00"), "z": D("0.00")}


def test_adjusted_score_removes_each_experts_bias():
    biases = {"x": D(5), "y": D(-5)}
    assert scoring.adjusted_score([("x", D(80)), ("y", D(70)), ("z", D(75))], biases) == D("75.00")


def test_expert_labels():
    assert [expert_label(i) for i in (0, 1, 2, 25, 26, 27)] == ["A", "B", "C", "Z", "AA", "AB"]


@pytest.mark.django_db
def test_panel_view_of_an_application_with_exact_figures():
    panel = make_panel()
    a, b, c = panel.assignments
    submitted_review(a, [80, 70, 90, 60])  # 76.00
    submitted_review(b, [100, 100, 100, 100])  # 100.00
    submitted_review(c, [70, 70, 70, 70])  # 70.00
    view = panel_view(application=panel.application)
    assert [r.total for r in view.rows] == [D("76.00"), D("100.00"), D("70.00")]
    assert [r.label for r in view.rows] == ["A", "B", "C"]
    assert view.aggregate.mean == D("82.00")
    assert view.aggregate.median == D("76.00")
    assert [r.flagged for r in view.rows] == [False, True, False]
    assert view.aggregate.recommended is True
    assert view.criterion_means == [D("83.33"), D("80.00"), D("86.67"), D("76.67")]
    assert view.all_submitted is True


@pytest.mark.django_db
def test_panel_view_calibration_across_two_applications():
    first = make_panel()
    second = make_panel(subfield=first.application.subfield, round=first.application.round)
    # The same three experts sit on the second panel.
    for assignment, expert in zip(second.assignments, first.experts, strict=True):
        assignment.expert = expert
        assignment.save()
    scores_first = ([80] * 4, [70] * 4, [75] * 4)  # totals 80, 70, 75: mean 75
    scores_second = ([70] * 4, [60] * 4, [65] * 4)  # totals 70, 60, 65: mean 65
    for a, s in zip(first.assignments, scores_first, strict=True):
        submitted_review(a, s)
    for a, s in zip(second.assignments, scores_second, strict=True):
        submitted_review(a, s)
    view = panel_view(application=first.application, with_calibration=True)
    assert [r.bias for r in view.rows] == [D("5.00"), D("-5.00"), D("0.00")]
    assert [r.adjusted for r in view.rows] == [D("75.00"), D("75.00"), D("75.00")]
    assert view.adjusted_score == D("75.00")
