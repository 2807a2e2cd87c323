"""The min-cost-flow solver against brute force and an LP oracle."""

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panels import solver
from panels.solver import LOADS_FULL, LOADS_TOO_LOW, SCALE, TOO_FEW_EXPERTS, solve


def _int_objective(pairs, aff_scaled, expert_of, current_load, balance_scaled, n_experts):
    added = np.bincount([expert_of[p] for p in pairs], minlength=n_experts)
    penalty = int((added * current_load + added * (added - 1) // 2).sum()) * balance_scaled
    return int(sum(aff_scaled[p] for p in pairs)) - penalty


def brute_force(n_apps, n_experts, pa, pe, aff, need, cap, load, balance_scaled, apps=None):
    """Best integer objective over every choice of exactly need[a] eligible experts for each
    application in `apps`, or None when no choice respects the capacities."""
    apps = list(range(n_apps)) if apps is None else list(apps)
    aff_scaled = solver.scaled(aff)
    options = []
    for a in apps:
        idx = [i for i in range(len(pa)) if pa[i] == a]
        options.append(list(itertools.combinations(idx, int(need[a]))))
    best = None
    for combo in itertools.product(*options):
        pairs = [p for group in combo for p in group]
        used = np.bincount([pe[p] for p in pairs], minlength=n_experts)
        if (used > cap).any():
            continue
        value = _int_objective(pairs, aff_scaled, pe, load, balance_scaled, n_experts)
        if best is None or value > best:
            best = value
    return best


def _check_solution(sol, n_apps, n_experts, pa, pe, need, cap):
    chosen = sol.chosen
    # No pair twice; only eligible pairs exist, so no conflicted pair can appear.
    assert len(set(chosen.tolist())) == len(chosen)
    per_app = np.bincount(pa[chosen], minlength=n_apps)
    for a in range(n_apps):
        expected = 0 if a in sol.infeasible else need[a]
        assert per_app[a] == expected
    assert (np.bincount(pe[chosen], minlength=n_experts) <= cap).all()


def _instance(seed, n_apps, n_experts, density, need_k, cap_hi):
    rng = np.random.default_rng(seed)
    mask = rng.random((n_apps, n_experts)) < density
    pa, pe = np.nonzero(mask)
    aff = rng.integers(0, 1000, size=pa.size) / 1000.0
    need = np.full(n_apps, need_k)
    cap = rng.integers(0, cap_hi + 1, size=n_experts)
    return pa, pe, aff, need, cap


def test_solver_small_known_optimum():
    # Two applications, three experts, k=1; expert 0 is best for both but holds one review.
    pa = np.array([0, 0, 1, 1])
    pe = np.array([0, 1, 0, 2])
    aff = np.array([0.9, 0.5, 0.8, 0.1])
    sol = solve(
        n_apps=2,
        n_experts=3,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=np.array([1, 1]),
        capacity=np.array([1, 1, 1]),
    )
    # 0.9 + 0.1 = 1.0 < 0.5 + 0.8 = 1.3: expert 0 goes to application 1.
    chosen = zip(pa[sol.chosen].tolist(), pe[sol.chosen].tolist(), strict=True)
    assert sorted(chosen) == [(0, 1), (1, 0)]
    assert sol.total_affinity == pytest.approx(1.3)
    assert sol.infeasible == {}


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("balance", [0.0, 0.05])
def test_solver_matches_brute_force_when_feasible(seed, balance):
    pa, pe, aff, need, cap = _instance(seed, n_apps=3, n_experts=5, density=0.8, need_k=2, cap_hi=2)
    cap = np.maximum(cap, 1)
    load = np.random.default_rng(seed + 1).integers(0, 3, size=5)
    bs = int(round(balance * SCALE))
    best = brute_force(3, 5, pa, pe, aff, need, cap, load, bs)
    sol = solve(
        n_apps=3,
        n_experts=5,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=need,
        capacity=cap,
        current_load=load,
        balance_cost=balance,
    )
    _check_solution(sol, 3, 5, pa, pe, need, cap)
    if best is None:
        assert sol.infeasible != {}
    else:
        assert sol.infeasible == {}
        got = _int_objective(sol.chosen.tolist(), solver.scaled(aff), pe, load, bs, 5)
        assert got == best


def test_solver_reports_too_few_experts_and_assigns_the_others():
    # Application 1 has only one eligible expert but needs two.
    pa = np.array([0, 0, 1])
    pe = np.array([0, 1, 2])
    aff = np.array([0.3, 0.4, 0.9])
    sol = solve(
        n_apps=2,
        n_experts=3,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=np.array([2, 2]),
        capacity=np.array([5, 5, 5]),
    )
    assert set(sol.infeasible) == {1}
    assert sol.infeasible[1].as_dict() == {
        "reason": TOO_FEW_EXPERTS,
        "needed": 2,
        "eligible_experts": 1,
        "experts_with_free_load": 1,
        "free_load": 5,
    }
    assert pe[sol.chosen].tolist() == [0, 1]


def test_solver_reports_loads_full():
    pa = np.array([0, 0, 1, 1])
    pe = np.array([0, 1, 0, 1])
    aff = np.array([0.3, 0.4, 0.5, 0.6])
    sol = solve(
        n_apps=2,
        n_experts=3,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=np.array([1, 2]),
        capacity=np.array([1, 0, 3]),
    )
    assert sol.infeasible[1].reason == LOADS_FULL
    assert sol.infeasible[1].experts_with_free_load == 1
    assert 0 not in sol.infeasible
    assert pe[sol.chosen].tolist() == [0]


def test_solver_reports_loads_too_low_when_applications_compete():
    # Three applications need two each from the same two experts, who hold 2 and 3 reviews:
    # only two applications can be staffed; the third is reported, the others assigned.
    pa = np.repeat([0, 1, 2], 2)
    pe = np.tile([0, 1], 3)
    aff = np.array([0.9, 0.8, 0.1, 0.2, 0.5, 0.5])
    sol = solve(
        n_apps=3,
        n_experts=2,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=np.array([2, 2, 2]),
        capacity=np.array([2, 3]),
    )
    assert len(sol.infeasible) == 1
    (dropped,) = sol.infeasible
    assert sol.infeasible[dropped].reason == LOADS_TOO_LOW
    assert sol.infeasible[dropped].free_load == 5
    _check_solution(sol, 3, 2, pa, pe, np.array([2, 2, 2]), np.array([2, 3]))
    staffed = [a for a in range(3) if a not in sol.infeasible]
    best = brute_force(
        3, 2, pa, pe, aff, np.array([2, 2, 2]), np.array([2, 3]), np.zeros(2, int), 0, apps=staffed
    )
    assert int(solver.scaled(aff[sol.chosen]).sum()) == best


def test_solver_puts_back_an_application_that_fits_after_others_are_dropped():
    # Capacity 7 for three applications needing 3 each from the same three experts: the
    # maximum flow may leave two applications short, but only one needs to go.
    pa = np.repeat([0, 1, 2], 3)
    pe = np.tile([0, 1, 2], 3)
    aff = np.linspace(0.1, 0.9, 9)
    sol = solve(
        n_apps=3,
        n_experts=3,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=np.array([3, 3, 3]),
        capacity=np.array([3, 2, 2]),
    )
    assert len(sol.infeasible) == 1
    assert len(sol.chosen) == 6


def test_solver_empty_instance():
    sol = solve(
        n_apps=0,
        n_experts=0,
        pair_app=np.array([], int),
        pair_expert=np.array([], int),
        affinity=np.array([]),
        need=np.array([], int),
        capacity=np.array([], int),
    )
    assert sol.chosen.tolist() == []
    assert sol.infeasible == {}


def _lp_optimum(n_apps, n_experts, pa, pe, aff, need, cap, apps):
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    keep = np.isin(pa, apps)
    idx = np.flatnonzero(keep)
    n = idx.size
    cols = np.arange(n)
    a_eq = csr_matrix((np.ones(n), (pa[idx], cols)), shape=(n_apps, n))
    a_ub = csr_matrix((np.ones(n), (pe[idx], cols)), shape=(n_experts, n))
    b_eq = np.where(np.isin(np.arange(n_apps), apps), need, 0)
    if n == 0:
        return SimpleNamespace(status=0 if not b_eq.any() else 2, fun=0.0)
    res = linprog(
        -solver.scaled(aff[idx]).astype(float),
        A_ub=a_ub,
        b_ub=cap,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=(0, 1),
        method="highs",
    )
    return res


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_apps=st.integers(1, 12),
    n_experts=st.integers(1, 15),
    density=st.floats(0.1, 1.0),
    k=st.integers(1, 4),
    cap_hi=st.integers(0, 4),
)
def test_solver_random_instances_against_lp(seed, n_apps, n_experts, density, k, cap_hi):
    pa, pe, aff, need, cap = _instance(seed, n_apps, n_experts, density, k, cap_hi)
    sol = solve(
        n_apps=n_apps,
        n_experts=n_experts,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=need,
        capacity=cap,
    )
    _check_solution(sol, n_apps, n_experts, pa, pe, need, cap)
    eligible = np.bincount(pa, minlength=n_apps)
    free = np.bincount(pa[cap[pe] > 0], minlength=n_apps)
    for a, info in sol.infeasible.items():
        if info.reason == TOO_FEW_EXPERTS:
            assert eligible[a] < need[a]
        elif info.reason == LOADS_FULL:
            assert eligible[a] >= need[a] > free[a]
        else:
            assert info.reason == LOADS_TOO_LOW
            assert free[a] >= need[a]
    staffed = [a for a in range(n_apps) if a not in sol.infeasible]
    # The bipartite b-matching polytope is integral: the LP optimum is the true optimum,
    # and the staffed set must be exactly staffable with the solver's total.
    res = _lp_optimum(n_apps, n_experts, pa, pe, aff, need, cap, staffed)
    assert res.status == 0
    assert int(solver.scaled(aff[sol.chosen]).sum()) == int(round(-res.fun))
    # Each application dropped for load is really unstaffable beside the staffed set.
    for a, info in sol.infeasible.items():
        if info.reason == LOADS_TOO_LOW:
            assert _lp_optimum(n_apps, n_experts, pa, pe, aff, need, cap, staffed + [a]).status == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_apps=st.integers(2, 14),
    n_experts=st.integers(2, 15),
    groups=st.integers(1, 3),
    k=st.integers(1, 3),
    cap_hi=st.integers(0, 3),
)
def test_solver_with_committee_groups_stays_valid_and_optimal(
    seed, n_apps, n_experts, groups, k, cap_hi
):
    # Experts may serve several groups (committees), so groups share load.
    pa, pe, aff, need, cap = _instance(seed, n_apps, n_experts, 0.6, k, cap_hi)
    app_group = np.random.default_rng(seed + 7).integers(0, groups, size=n_apps)
    sol = solve(
        n_apps=n_apps,
        n_experts=n_experts,
        pair_app=pa,
        pair_expert=pe,
        affinity=aff,
        need=need,
        capacity=cap,
        app_group=app_group,
    )
    _check_solution(sol, n_apps, n_experts, pa, pe, need, cap)
    staffed = [a for a in range(n_apps) if a not in sol.infeasible]
    res = _lp_optimum(n_apps, n_experts, pa, pe, aff, need, cap, staffed)
    assert res.status == 0
    assert int(solver.scaled(aff[sol.chosen]).sum()) == int(round(-res.fun))


def test_solver_balancing_spreads_the_load():
    # Two applications, one expert each; expert 0 is slightly better for both.
    pa = np.array([0, 0, 1, 1])
    pe = np.array([0, 1, 0, 1])
    aff = np.array([0.60, 0.55, 0.60, 0.55])
    kwargs = {
        "n_apps": 2,
        "n_experts": 2,
        "pair_app": pa,
        "pair_expert": pe,
        "affinity": aff,
        "need": np.array([1, 1]),
        "capacity": np.array([2, 2]),
    }
    assert pe[solve(**kwargs).chosen].tolist() == [0, 0]
    balanced = solve(**kwargs, balance_cost=0.1)
    assert sorted(pe[balanced.chosen].tolist()) == [0, 1]
    assert balanced.balance_penalty == 0.0
    assert balanced.total_affinity == pytest.approx(1.15)
