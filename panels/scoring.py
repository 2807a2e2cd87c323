"""Score arithmetic for expert review: pure functions over Decimals, no database.

Rules (also shown to officers on the consensus page):

- An expert's weighted total is Σ(score / max_score × weight) over the round's criteria;
  the weights add up to 100, so the total lies between 0 and 100.
- An application's panel score is the mean of its experts' totals; when there are at least
  `trim_min` totals (the round's `trim_min_scores`, 5 by default), the single highest and the
  single lowest are dropped first (the usual Korean practice).
- A total is flagged as far from the others when it differs from the median of all the
  application's totals by more than OUTLIER_POINTS (15 points on the 0-100 scale). A fixed
  distance is used rather than a multiple of the MAD because panels have 3 to 5 scores, and
  with so few a MAD is often 0 and would flag every score that is not identical.
- Calibration: an expert's bias is the mean, over the applications they scored, of
  (their total − that application's mean). The adjusted figure of an application is the mean
  of (total − the expert's bias) over its experts.
- The panel score at or above the round's threshold means "recommended".

Every figure is rounded once, at the end, to 2 decimal places (half up)."""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

OUTLIER_POINTS = Decimal("15")
CENT = Decimal("0.01")
# Enough digits that score/max_score (e.g. 7/9) carries no visible rounding before the end.
_PRECISION = 40


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionValue:
    score: int
    max_score: int
    weight: Decimal


def weighted_total(values: Iterable[CriterionValue]) -> Decimal:
    """Σ(score / max_score × weight), rounded to 2 places."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        total = sum(
            (Decimal(v.score) * Decimal(v.weight) / Decimal(v.max_score) for v in values),
            Decimal(0),
        )
    return _round(total)


def _exact_mean(values: Sequence[Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return sum(values, Decimal(0)) / Decimal(len(values))


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return _round(_exact_mean(values))


def median(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return _round((ordered[mid - 1] + ordered[mid]) / 2)


def trimmed_mean(values: Sequence[Decimal], *, trim_min: int) -> Decimal | None:
    """The mean without the single highest and lowest value, when there are at least
    `trim_min` values (and at least 3, so something is left); otherwise None."""
    if len(values) < max(trim_min, 3):
        return None
    ordered = sorted(values)
    return _round(_exact_mean(ordered[1:-1]))


def outlier_flags(values: Sequence[Decimal]) -> list[bool]:
    """For each value, whether it is more than OUTLIER_POINTS from the median."""
    if len(values) < 3:
        # With two scores there is no "others" to stand apart from.
        return [False] * len(values)
    mid = median(values)
    return [abs(v - mid) > OUTLIER_POINTS for v in values]


@dataclass(frozen=True)
class PanelAggregate:
    totals: list[Decimal]
    mean: Decimal | None
    trimmed_mean: Decimal | None
    median: Decimal | None
    flags: list[bool]
    panel_score: Decimal | None
    recommended: bool | None


def aggregate(totals: Sequence[Decimal], *, trim_min: int, threshold: Decimal) -> PanelAggregate:
    """Everything the consensus page shows for one application's submitted totals."""
    m = mean(totals)
    t = trimmed_mean(totals, trim_min=trim_min)
    panel = t if t is not None else m
    return PanelAggregate(
        totals=list(totals),
        mean=m,
        trimmed_mean=t,
        median=median(totals),
        flags=outlier_flags(totals),
        panel_score=panel,
        recommended=None if panel is None else panel >= Decimal(threshold),
    )


def expert_biases(
    totals: Iterable[tuple[Hashable, Hashable, Decimal]],
) -> dict[Hashable, Decimal]:
    """Each expert's mean deviation from the panel means across their applications.

    `totals` holds (expert, application, weighted total) for submitted reviews. An
    application scored by a single expert says nothing about calibration and is skipped."""
    by_app: dict[Hashable, list[tuple[Hashable, Decimal]]] = defaultdict(list)
    for expert, app, total in totals:
        by_app[app].append((expert, Decimal(total)))
    deviations: dict[Hashable, list[Decimal]] = defaultdict(list)
    for rows in by_app.values():
        if len(rows) < 2:
            continue
        app_mean = _exact_mean([t for _, t in rows])
        for expert, total in rows:
            deviations[expert].append(total - app_mean)
    return {expert: _round(_exact_mean(devs)) for expert, devs in deviations.items()}


def adjusted_score(
    rows: Iterable[tuple[Hashable, Decimal]], biases: dict[Hashable, Decimal]
) -> Decimal | None:
    """The mean of (total − expert's bias) over an application's (expert, total) rows."""
    adjusted = [Decimal(t) - biases.get(expert, Decimal(0)) for expert, t in rows]
    return mean(adjusted)
