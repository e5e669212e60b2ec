"""Input checks shared by the statistics modules: each raises ValueError naming the argument."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]


def z_value(confidence: float) -> float:
    """The two-sided standard normal critical value for ``confidence`` (1.959964 for 0.95)."""
    return float(stats.norm.ppf(0.5 + check_confidence(confidence) / 2))


def check_confidence(confidence: float) -> float:
    """``confidence`` as a float strictly between 0 and 1 (0.95 for 95%)."""
    if not 0 < scalar("confidence", confidence) < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence!r}")
    return float(confidence)


def floats(name: str, values: ArrayLike, *, minimum: float | None = None) -> FloatArray:
    """``values`` as a float array, rejecting NaN, infinities and values below ``minimum``."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers (no NaN or infinity)")
    if minimum is not None and np.any(array < minimum):
        raise ValueError(f"{name} must not be below {minimum:g}")
    return array


def positive(name: str, values: ArrayLike) -> FloatArray:
    """``values`` as a float array of finite numbers greater than zero."""
    array = floats(name, values)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be greater than zero")
    return array


def vector(name: str, values: ArrayLike, length: int | None = None) -> FloatArray:
    """A one-dimensional float array, of ``length`` when given."""
    array = floats(name, values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if length is not None and array.size != length:
        raise ValueError(f"{name} has {array.size} values, expected {length}")
    return array


def scalar(name: str, value: float) -> float:
    """A single finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)
