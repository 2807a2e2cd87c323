"""Exact optimal reviewer assignment as a min-cost flow. Pure: numpy arrays in, chosen pairs
out; no Django here, so it can be tested against brute force and benchmarked on its own.

The network (OR-Tools SimpleMinCostFlow, arcs added in bulk from numpy arrays):

    source ──(need[a], 0)──▶ application a ──(1, SCALE − affinity·SCALE)──▶ expert e
    expert e ──▶ sink: one arc (capacity[e], 0) without load balancing, or, with a
    balancing cost b, capacity[e] unit arcs whose costs rise b·SCALE per review already
    held: (current_load[e] + j)·b·SCALE for the j-th extra review. Rising unit costs are a
    convex cost of the load, so the flow fills them in order and the optimum is exact.

Only eligible pairs (no conflict, not assigned before, member of the committee) are arcs,
so a conflicted pair can never be chosen. Costs are integers: affinity is scaled by SCALE
(10⁶) and the flow minimises Σ(SCALE − scaled affinity) + balancing, i.e. maximises total
affinity minus the balancing cost (every unit of flow crosses exactly one pair arc).

Exactly `need[a]` experts per application, or the application is reported infeasible and
gets none (an officer staffs it by hand):

1. an application with fewer eligible experts than it needs: TOO_FEW_EXPERTS; with enough
   eligible experts but too few of them with free load: LOADS_FULL;
2. the others are solved together with max-flow-then-min-cost. If the maximum flow staffs
   every application, that solution is optimal and final. Otherwise the applications left
   short are taken out (LOADS_TOO_LOW: the free load they need is taken by the others),
   each is then put back if a max-flow shows the set stays fully staffable, and the final
   set is solved again, so what is assigned is optimal for the set that is staffed.
   With `app_group` (the committee), a put-back check runs on the group's own network with
   the load other groups take from shared experts held fixed: small and fast, and an
   application it puts back is always staffable; it may miss one that only a re-routing
   across committees could staff. Without groups the check is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

SCALE = 1_000_000

TOO_FEW_EXPERTS = "too_few_experts"
LOADS_FULL = "loads_full"
LOADS_TOO_LOW = "loads_too_low"


class SolverError(RuntimeError):
    pass


@dataclass
class Infeasible:
    reason: str
    needed: int
    eligible_experts: int
    experts_with_free_load: int
    free_load: int

    def as_dict(self) -> dict:
        return {
            "reason": self.reason,
            "needed": self.needed,
            "eligible_experts": self.eligible_experts,
            "experts_with_free_load": self.experts_with_free_load,
            "free_load": self.free_load,
        }


@dataclass
class Solution:
    chosen: np.ndarray  # indices into the input pair arrays
    infeasible: dict[int, Infeasible] = field(default_factory=dict)
    total_affinity: float = 0.0
    balance_penalty: float = 0.0
    max_flow_checks: int = 0

    @property
    def objective(self) -> float:
        return self.total_affinity - self.balance_penalty


def scaled(affinity: np.ndarray) -> np.ndarray:
    return np.rint(np.asarray(affinity, dtype=np.float64) * SCALE).astype(np.int64)


class _Network:
    """The arrays of one network over a chosen set of applications."""

    def __init__(
        self,
        n_apps,
        n_experts,
        pair_app,
        pair_expert,
        pair_cost,
        need,
        capacity,
        current_load,
        balance_scaled,
        app_mask,
        candidates=None,
    ):
        self.n_apps, self.n_experts = n_apps, n_experts
        src, sink = 0, 1
        app_node = 2 + np.arange(n_apps, dtype=np.int64)
        exp_node = 2 + n_apps + np.arange(n_experts, dtype=np.int64)

        apps = np.flatnonzero(app_mask & (need > 0))
        # `candidates`: the pair indices worth looking at (a group's), to keep checks small.
        idx = np.arange(pair_app.size) if candidates is None else candidates
        keep = app_mask[pair_app[idx]] & (capacity[pair_expert[idx]] > 0)
        self.pair_index = idx[keep]
        p_app, p_exp = pair_app[self.pair_index], pair_expert[self.pair_index]

        tails = [np.full(apps.size, src, dtype=np.int64), app_node[p_app]]
        heads = [app_node[apps], exp_node[p_exp]]
        caps = [need[apps].astype(np.int64), np.ones(p_app.size, dtype=np.int64)]
        costs = [np.zeros(apps.size, dtype=np.int64), pair_cost[self.pair_index]]
        experts = np.unique(p_exp) if candidates is not None else np.flatnonzero(capacity > 0)
        if balance_scaled > 0:
            reps = capacity[experts].astype(np.int64)
            e_rep = np.repeat(experts, reps)
            # j = 0, 1, ... within each expert's run of unit arcs
            starts = np.repeat(np.cumsum(reps) - reps, reps)
            j = np.arange(e_rep.size, dtype=np.int64) - starts
            tails.append(exp_node[e_rep])
            heads.append(np.full(e_rep.size, sink, dtype=np.int64))
            caps.append(np.ones(e_rep.size, dtype=np.int64))
            costs.append((current_load[e_rep].astype(np.int64) + j) * balance_scaled)
        else:
            tails.append(exp_node[experts])
            heads.append(np.full(experts.size, sink, dtype=np.int64))
            caps.append(capacity[experts].astype(np.int64))
            costs.append(np.zeros(experts.size, dtype=np.int64))
        self.tails = np.concatenate(tails)
        self.heads = np.concatenate(heads)
        self.caps = np.concatenate(caps)
        self.costs = np.concatenate(costs)
        self.apps = apps
        self.n_source_arcs = apps.size
        self.pair_arcs = np.arange(apps.size, apps.size + p_app.size, dtype=np.int64)
        self.total_need = int(need[apps].sum())

    def max_flow(self) -> tuple[int, np.ndarray]:
        """(maximum flow, pair indices carrying it)."""
        smf = max_flow.SimpleMaxFlow()
        smf.add_arcs_with_capacity(self.tails, self.heads, self.caps)
        status = smf.solve(0, 1)
        if status != smf.OPTIMAL:
            raise SolverError(f"max flow failed: {status}")
        return int(smf.optimal_flow()), self.pair_index[smf.flows(self.pair_arcs) > 0]

    def min_cost(self) -> tuple[int, np.ndarray, np.ndarray]:
        """(flow, pair indices chosen, flow on each source arc)."""
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, self.caps, self.costs)
        smcf.set_nodes_supplies(
            np.array([0, 1], dtype=np.int64),
            np.array([self.total_need, -self.total_need], dtype=np.int64),
        )
        if self.total_need == 0:
            return 0, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        status = smcf.solve_max_flow_with_min_cost()
        if status != smcf.OPTIMAL:
            raise SolverError(f"min-cost flow failed: {status}")
        pair_flow = smcf.flows(self.pair_arcs)
        src_flow = smcf.flows(np.arange(self.n_source_arcs, dtype=np.int64))
        return int(smcf.maximum_flow()), self.pair_index[pair_flow > 0], src_flow


def solve(
    *,
    n_apps: int,
    n_experts: int,
    pair_app: np.ndarray,
    pair_expert: np.ndarray,
    affinity: np.ndarray,
    need: np.ndarray,
    capacity: np.ndarray,
    current_load: np.ndarray | None = None,
    balance_cost: float = 0.0,
    app_group: np.ndarray | None = None,
) -> Solution:
    """Choose pairs so that each application gets exactly `need[a]` experts from its
    eligible pairs, no expert more than `capacity[e]` new ones, maximising total affinity
    minus the balancing cost `balance_cost` × (load already held) per extra review.

    `pair_app`, `pair_expert`, `affinity` are parallel arrays of the eligible pairs (indices
    0..n_apps-1 and 0..n_experts-1; no duplicates). `app_group` (e.g. the committee of
    each application) bounds the put-back checks to one group's network at a time; without
    it the checks are on the whole network. Returns the chosen pair indices and, for each
    application that cannot be fully staffed, why."""
    pair_app = np.asarray(pair_app, dtype=np.int64)
    pair_expert = np.asarray(pair_expert, dtype=np.int64)
    affinity = np.asarray(affinity, dtype=np.float64)
    need = np.asarray(need, dtype=np.int64)
    capacity = np.maximum(np.asarray(capacity, dtype=np.int64), 0)
    if current_load is None:
        current_load = np.zeros(n_experts, dtype=np.int64)
    current_load = np.asarray(current_load, dtype=np.int64)
    if not (pair_app.size == pair_expert.size == affinity.size):
        raise ValueError("pair arrays differ in length")
    if need.size != n_apps or capacity.size != n_experts or current_load.size != n_experts:
        raise ValueError("need/capacity/current_load sizes do not match n_apps/n_experts")
    balance_scaled = int(round(balance_cost * SCALE))
    pair_cost = SCALE - scaled(affinity)

    # Step 1: applications that cannot be staffed whatever the others do.
    eligible = np.bincount(pair_app, minlength=n_apps)
    has_load = capacity[pair_expert] > 0
    eligible_free = np.bincount(pair_app[has_load], minlength=n_apps)
    free_load = np.bincount(
        pair_app[has_load], weights=capacity[pair_expert[has_load]], minlength=n_apps
    ).astype(np.int64)
    infeasible: dict[int, Infeasible] = {}

    def report(a: int, reason: str) -> Infeasible:
        return Infeasible(
            reason=reason,
            needed=int(need[a]),
            eligible_experts=int(eligible[a]),
            experts_with_free_load=int(eligible_free[a]),
            free_load=int(free_load[a]),
        )

    for a in np.flatnonzero((need > 0) & (eligible < need)):
        infeasible[int(a)] = report(int(a), TOO_FEW_EXPERTS)
    for a in np.flatnonzero((need > 0) & (eligible >= need) & (eligible_free < need)):
        infeasible[int(a)] = report(int(a), LOADS_FULL)

    active = need > 0
    if infeasible:
        active[list(infeasible)] = False

    def network(mask: np.ndarray) -> _Network:
        return _Network(
            n_apps,
            n_experts,
            pair_app,
            pair_expert,
            pair_cost,
            need,
            capacity,
            current_load,
            balance_scaled,
            mask,
        )

    # Step 2: solve the rest together; maximum flow first, at minimum cost.
    net = network(active)
    flow, chosen, src_flow = net.min_cost()
    checks = 0
    if flow < net.total_need:
        short = net.apps[src_flow < need[net.apps]]
        active[short] = False
        _, current, _ = network(active).min_cost()
        group = np.zeros(n_apps, dtype=np.int64) if app_group is None else np.asarray(app_group)
        # Put back, one at a time, those that fit beside the staffed set of their group,
        # holding fixed the load other groups' applications take from shared experts.
        for g in np.unique(group[short]):
            in_group = group == g
            outside = current[~in_group[pair_app[current]]]
            local_cap = capacity - np.bincount(pair_expert[outside], minlength=n_experts)
            local = active & in_group
            local_pairs = current[in_group[pair_app[current]]]
            group_pairs = np.flatnonzero(in_group[pair_app])
            for a in short[group[short] == g]:
                trial = local.copy()
                trial[a] = True
                trial_net = _Network(
                    n_apps,
                    n_experts,
                    pair_app,
                    pair_expert,
                    pair_cost,
                    need,
                    local_cap,
                    current_load,
                    0,
                    trial,
                    group_pairs,
                )
                checks += 1
                value, trial_pairs = trial_net.max_flow()
                if value == trial_net.total_need:
                    local, local_pairs = trial, trial_pairs
                    active[a] = True
                else:
                    infeasible[int(a)] = report(int(a), LOADS_TOO_LOW)
            # Later groups see the load this group's put-backs take from shared experts.
            current = np.concatenate([outside, local_pairs])
        net = network(active)
        flow, chosen, _ = net.min_cost()
        if flow < net.total_need:  # cannot happen: the set was checked staffable
            raise SolverError("staffable set lost its flow")

    chosen = np.sort(chosen)
    load_added = np.bincount(pair_expert[chosen], minlength=n_experts)
    # Penalty of the j-th extra review is (current_load + j) · b, j = 0..added-1.
    penalty_units = load_added * current_load + load_added * (load_added - 1) // 2
    return Solution(
        chosen=chosen,
        infeasible=infeasible,
        total_affinity=float(affinity[chosen].sum()),
        balance_penalty=float(balance_cost * penalty_units.sum()),
        max_flow_checks=checks,
    )
