"""Vectorised group sums and weighted means, for rolling areas up a geography hierarchy.

One call rolls every LSOA up to its ward or district (OpenPrescribing's areas × periods matrices,
summed by group rather than by a query per area). ``groups`` holds one label per row — codes,
names or integers — and results come back in the sorted order of the unique labels.

Missing values: by default a NaN makes its group's result NaN, as in the arithmetic it stands
for. With ``skipna=True`` NaNs are left out; a group with nothing but NaNs still gives NaN,
because a missing total is not a total of 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from placeworks.stats._checks import FloatArray


def _values(name: str, values: ArrayLike, dimensions: tuple[int, ...]) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from None
    if array.ndim not in dimensions:
        raise ValueError(f"{name} has the wrong number of dimensions: shape {array.shape}")
    if np.any(np.isinf(array)):
        raise ValueError(f"{name} must not hold infinities")
    return array


def _groups(groups: ArrayLike, rows: int) -> tuple[NDArray[np.generic], NDArray[np.intp]]:
    labels = np.asarray(groups)
    if labels.shape != (rows,):
        raise ValueError(f"groups must hold one label per row ({rows}), got shape {labels.shape}")
    if labels.dtype.kind == "f" and np.any(np.isnan(labels)):
        raise ValueError("groups must not contain NaN labels")
    unique, inverse = np.unique(labels, return_inverse=True)
    return unique, inverse


def _sum_rows(
    matrix: FloatArray, inverse: NDArray[np.intp], count: int, skipna: bool
) -> FloatArray:
    """Sum the rows of ``matrix`` by group index: a (groups × columns) array."""
    totals = np.zeros((count, matrix.shape[1]))
    if not skipna:
        np.add.at(totals, inverse, matrix)
        return totals
    missing = np.isnan(matrix)
    np.add.at(totals, inverse, np.where(missing, 0.0, matrix))
    present = np.zeros(totals.shape, dtype=np.int64)
    np.add.at(present, inverse, ~missing)
    totals[present == 0] = np.nan
    return totals


def group_sum(
    values: ArrayLike, groups: ArrayLike, *, skipna: bool = False
) -> tuple[NDArray[np.generic], FloatArray]:
    """Sum ``values`` by group: the sorted unique labels and each group's total.

    Method: a group-sum (``np.add.at`` over the label index), the vectorised roll-up used for
    area hierarchies. See the module docstring for NaN handling.

    >>> labels, sums = group_sum([1, 2, 3, np.nan], ["b", "a", "b", "a"])
    >>> labels.tolist(), sums.tolist()
    (['a', 'b'], [nan, 4.0])
    >>> group_sum([1, 2, 3, np.nan], ["b", "a", "b", "a"], skipna=True)[1].tolist()
    [2.0, 4.0]
    """
    data = _values("values", values, (1,))
    labels, inverse = _groups(groups, data.size)
    return labels, _sum_rows(data[:, np.newaxis], inverse, labels.size, skipna)[:, 0]


def group_sum_2d(
    values: ArrayLike, groups: ArrayLike, *, skipna: bool = False
) -> tuple[NDArray[np.generic], FloatArray]:
    """Sum the rows of an areas × periods matrix by group: labels and a groups × periods matrix.

    Method: a group-sum over rows (``np.add.at``), as OpenPrescribing rolls areas × months up.
    ``groups`` labels each row; NaN handling as in the module docstring, column by column.

    >>> labels, sums = group_sum_2d([[1, 10], [2, 20], [3, 30]], [7, 9, 7])
    >>> labels.tolist(), sums.tolist()
    ([7, 9], [[4.0, 40.0], [2.0, 20.0]])
    """
    data = _values("values", values, (2,))
    labels, inverse = _groups(groups, data.shape[0])
    return labels, _sum_rows(data, inverse, labels.size, skipna)


def weighted_mean(
    values: ArrayLike, weights: ArrayLike, groups: ArrayLike, *, skipna: bool = False
) -> tuple[NDArray[np.generic], FloatArray]:
    """Weighted mean of ``values`` by group, e.g. a population-weighted mean of LSOA values.

    ``Σ wᵢ·vᵢ / Σ wᵢ`` within each group. ``values`` is one value per area or an areas × periods
    matrix; ``weights`` has one weight per area or the same shape as ``values``. Weights must be
    finite and not negative; a group whose weights total 0 gives NaN. With ``skipna=True`` an area
    with a missing value drops out of both sums for that period.

    >>> labels, means = weighted_mean([10, 20, 30], [1, 3, 2], ["x", "x", "y"])
    >>> labels.tolist(), means.tolist()
    (['x', 'y'], [17.5, 30.0])
    """
    data = _values("values", values, (1, 2))
    weight = _values("weights", weights, (1, 2))
    if weight.shape not in ((data.shape[0],), data.shape):
        raise ValueError(f"weights must have shape {data.shape[:1]} or {data.shape}")
    if np.any(np.isnan(weight)) or np.any(weight < 0):
        raise ValueError("weights must be numbers that are not negative (no NaN)")
    matrix = data.reshape(data.shape[0], -1)
    weight = np.broadcast_to(weight.reshape(data.shape[0], -1), matrix.shape)
    labels, inverse = _groups(groups, matrix.shape[0])
    if skipna:
        weight = np.where(np.isnan(matrix), 0.0, weight)
        matrix = np.nan_to_num(matrix, nan=0.0)
    numerator = _sum_rows(weight * matrix, inverse, labels.size, skipna=False)
    denominator = _sum_rows(weight, inverse, labels.size, skipna=False)
    means = np.full_like(numerator, np.nan)
    np.divide(numerator, denominator, out=means, where=denominator > 0)
    return labels, means.reshape((labels.size, *data.shape[1:]))
