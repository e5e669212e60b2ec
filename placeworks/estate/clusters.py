"""The vectorised core of the opportunity finder: numpy arrays in, ranked clusters out.

No Django here: ``find_clusters`` takes one array per asset attribute (coordinates in metres on
the British National Grid) so the benchmark and the tests drive it directly.

Method (docs/estate.md, "Opportunity finder"):

1. *Triggers* are assets that are under-used, surplus, being disposed of, in poor condition
   (C or D) or used under half their capacity.
2. Every trigger is an *anchor* of a star: itself and every asset within ``distance`` of it
   (a k-d tree's sparse distance matrix between the triggers and all assets — no Python loop
   over pairs). A star qualifies when it holds assets of at least two organisations.
3. Stars are scored ``need × combined running cost × releasable floor area`` and taken
   greedily, best first; a star whose anchor already belongs to a taken star is dropped, so
   neighbouring triggers join one cluster instead of repeating it.
4. Every asset near a taken anchor joins its nearest taken anchor, so clusters do not overlap
   and each member is within ``distance`` of its anchor (pairs within twice that). Single-linkage
   clustering (union-find over all pairs) is not used: in a town it chains every building into one
   cluster kilometres wide, which is not a walking-distance opportunity.
5. Clusters are scored again on their final members and ranked.

>>> import numpy as np
>>> x = np.array([0.0, 300.0, 5000.0]); y = np.zeros(3)
>>> result = find_clusters(x, y, owner=np.array([1, 2, 3]), trigger=np.array([True, False, False]),
...     running_cost=np.array([100.0, 50.0, 10.0]), releasable=np.array([200.0, 0.0, 0.0]),
...     need=np.ones(3), distance=800)
>>> result.members_of(0).tolist(), float(result.score[0])
([0, 1], 30000.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree


@dataclass
class Clusters:
    """Clusters ranked best first; members of cluster ``k`` are ``members_of(k)`` (indices)."""

    anchor: np.ndarray  # index of each cluster's anchor asset
    indptr: np.ndarray  # CSR offsets into ``members`` (len = clusters + 1)
    members: np.ndarray  # asset indices, grouped by cluster, anchor first
    owners: np.ndarray  # distinct owners per cluster
    need: np.ndarray  # mean need of the members with a known need (NaN when none)
    running_cost: np.ndarray
    releasable: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.anchor)

    def members_of(self, k: int) -> np.ndarray:
        return self.members[self.indptr[k] : self.indptr[k + 1]]


def _empty() -> Clusters:
    none_i = np.zeros(0, dtype=np.int64)
    none_f = np.zeros(0, dtype=float)
    return Clusters(
        none_i, np.zeros(1, dtype=np.int64), none_i, none_i, none_f, none_f, none_f, none_f
    )


def _group_stats(
    group: np.ndarray,
    member: np.ndarray,
    size: int,
    owner: np.ndarray,
    running_cost: np.ndarray,
    releasable: np.ndarray,
    need: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct owners, mean known need, running cost and releasable area per group."""
    if len(owner) and (owner.min() < 0 or owner.max() > 2**31):
        owner = np.unique(owner, return_inverse=True)[1]
    base = int(owner.max()) + 1 if len(owner) else 1
    # Distinct (group, owner) pairs by sorting one int64 key (faster than a hash-based unique).
    keys = np.sort(group.astype(np.int64) * base + owner[member].astype(np.int64))
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    owners = np.bincount(keys[first] // base, minlength=size)
    known = ~np.isnan(need[member])
    need_sum = np.bincount(group[known], weights=need[member][known], minlength=size)
    need_n = np.bincount(group[known], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_need = np.where(need_n > 0, need_sum / np.maximum(need_n, 1), np.nan)
    running = np.bincount(group, weights=running_cost[member], minlength=size)
    release = np.bincount(group, weights=releasable[member], minlength=size)
    return owners, mean_need, running, release


def find_clusters(
    x: np.ndarray,
    y: np.ndarray,
    *,
    owner: np.ndarray,
    trigger: np.ndarray,
    running_cost: np.ndarray,
    releasable: np.ndarray,
    need: np.ndarray,
    distance: float = 800.0,
    min_need: float = 0.0,
    min_owners: int = 2,
) -> Clusters:
    """Cross-organisation clusters around under-used, surplus or poor assets (see module doc).

    ``need`` is in [0, 1] (1 = highest need), NaN where unknown; clusters whose mean need is
    below ``min_need`` are left out (unknown need passes only when ``min_need`` is 0).
    ``running_cost`` and ``releasable`` (m²) count 0 where unknown.
    """
    n = len(x)
    triggers = np.flatnonzero(trigger)
    if n == 0 or len(triggers) == 0:
        return _empty()
    running_cost = np.nan_to_num(np.asarray(running_cost, dtype=float))
    releasable = np.nan_to_num(np.asarray(releasable, dtype=float))
    need = np.asarray(need, dtype=float)
    owner = np.asarray(owner)
    points = np.column_stack([x, y])

    # 2. Stars: directed edges anchor -> neighbour (the anchor itself included).
    everything = cKDTree(points)
    near = cKDTree(points[triggers]).sparse_distance_matrix(
        everything, distance, output_type="ndarray"
    )
    anchor = triggers[near["i"].astype(np.int64)]
    neighbour = near["j"].astype(np.int64)
    keep = anchor != neighbour
    anchor = np.concatenate([triggers, anchor[keep]])
    neighbour = np.concatenate([triggers, neighbour[keep]])
    order = np.argsort(anchor, kind="stable")
    anchor, neighbour = anchor[order], neighbour[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(anchor, minlength=n))])

    owners, star_need, running, release = _group_stats(
        anchor, neighbour, n, owner, running_cost, releasable, need
    )
    passes_need = star_need >= min_need if min_need > 0 else np.ones(n, dtype=bool)
    eligible = triggers[(owners[triggers] >= min_owners) & passes_need[triggers]]
    if len(eligible) == 0:
        return _empty()
    star_score = np.nan_to_num(star_need, nan=1.0 if min_need <= 0 else 0.0) * running * release

    # 3. Greedy choice, best star first (ties: more releasable area, then lower index).
    ranked = eligible[np.lexsort((eligible, -release[eligible], -star_score[eligible]))]
    claimed = np.zeros(n, dtype=bool)
    taken: list[int] = []
    for a in ranked.tolist():
        if claimed[a]:
            continue
        taken.append(a)
        claimed[neighbour[indptr[a] : indptr[a + 1]]] = True
    chosen = np.array(taken, dtype=np.int64)

    # 4. Each asset near a chosen anchor joins the nearest chosen anchor.
    candidates = np.flatnonzero(claimed)
    _, found = cKDTree(points[chosen]).query(points[candidates], k=1, distance_upper_bound=distance)
    nearest = np.asarray(found, dtype=np.int64)
    within = nearest < len(chosen)
    candidates, nearest = candidates[within], nearest[within]
    label = np.full(n, -1, dtype=np.int64)
    label[candidates] = nearest
    label[chosen] = np.arange(len(chosen))  # an anchor always leads its own cluster
    member = np.flatnonzero(label >= 0)
    group = label[member]

    # 5. Final scores on the final members.
    k = len(chosen)
    owners_k, need_k, running_k, release_k = _group_stats(
        group, member, k, owner, running_cost, releasable, need
    )
    ok = owners_k >= min_owners
    if min_need > 0:
        ok &= need_k >= min_need
    score_k = np.nan_to_num(need_k, nan=1.0 if min_need <= 0 else 0.0) * running_k * release_k
    keep_k = np.flatnonzero(ok)
    rank = keep_k[np.lexsort((chosen[keep_k], -release_k[keep_k], -score_k[keep_k]))]

    # Regroup members by rank, anchor first within each cluster.
    position = np.full(k, -1, dtype=np.int64)
    position[rank] = np.arange(len(rank))
    member_rank = position[group]
    valid = member_rank >= 0
    member, member_rank = member[valid], member_rank[valid]
    is_anchor = member == chosen[group[valid]]
    order = np.lexsort((member, ~is_anchor, member_rank))
    member, member_rank = member[order], member_rank[order]
    indptr_k = np.concatenate([[0], np.cumsum(np.bincount(member_rank, minlength=len(rank)))])
    return Clusters(
        anchor=chosen[rank],
        indptr=indptr_k,
        members=member,
        owners=owners_k[rank],
        need=need_k[rank],
        running_cost=running_k[rank],
        releasable=release_k[rank],
        score=score_k[rank],
    )
