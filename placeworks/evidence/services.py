"""Writes for indicators and observations: every importer, page and command goes through here.

``write_observations`` is the one way observations change. It merges new values for one
indicator and period with what is stored, ranks every area within its comparison group (same
type and vintage, same region), refreshes the spread of values spine charts draw
(``Distribution``), and writes only what changed — inserts and updates in batches (COPY on
PostgreSQL, a staging table on SQLite), so a national file of 33,755 LSOAs writes in seconds
and re-importing the same file writes nothing. Values rolled up by Placeworks never overwrite
published ones. ``bulk_load`` wraps imports of national size.

``rollup_period`` aggregates small-area values up the geography (see ``aggregation``) for a set
of indicators and one period, including MHCLG's district summary measures for IoD ranks.

Callers open the transaction (the import core does; ``transaction.atomic`` otherwise).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from placeworks.audit.services import record
from placeworks.partners.permissions import Permission, has_permission, organisations_where
from placeworks.places.models import TYPE_ORDER, AreaType
from placeworks.themes.models import Theme
from placeworks.themes.services import ensure_default_themes

from . import aggregation
from .catalogue import POPULATION_CODE, IndicatorSpec
from .geography import Geography
from .models import (
    Basis,
    Distribution,
    Indicator,
    Observation,
    Polarity,
    SourceKind,
    Summary,
    ValueType,
)

FloatArray = np.ndarray
BATCH = 2000

# Stored fields a writer sets, in order; ``local_rank`` and ``local_count`` follow them.
FIELDS = (
    "value",
    "count",
    "denominator",
    "lower",
    "upper",
    "confidence",
    "rank",
    "rank_of",
    "decile",
    "suppressed",
    "provisional",
    "basis",
    "coverage",
    "note",
)
_FLOAT_FIELDS = {"value", "count", "denominator", "lower", "upper", "confidence", "coverage"}
_INT_FIELDS = {"rank", "rank_of", "decile"}
_BASIS = FIELDS.index("basis")
_VALUE = FIELDS.index("value")


def period_year(period: str) -> int:
    """The first year in a period label, for ordering (0 when it has none).

    >>> period_year("2021/22"), period_year("2018 - 20"), period_year("Q1")
    (2021, 2018, 0)
    """
    found = re.search(r"(19|20)\d\d", period)
    return int(found.group(0)) if found else 0


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ranked: int = 0  # rows whose only change was their rank within the region

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.ranked += other.ranked


def _nan(n: int) -> FloatArray:
    return np.full(n, np.nan)


@dataclass
class ObsFrame:
    """Observations of one indicator and period, as columns (NaN/empty = not given)."""

    area: np.ndarray  # area ids
    value: FloatArray
    count: FloatArray | None = None
    denominator: FloatArray | None = None
    lower: FloatArray | None = None
    upper: FloatArray | None = None
    confidence: FloatArray | None = None
    rank: FloatArray | None = None
    rank_of: FloatArray | None = None
    decile: FloatArray | None = None
    coverage: FloatArray | None = None
    suppressed: np.ndarray | None = None
    provisional: np.ndarray | None = None
    sex: Sequence[str] | str = "Persons"
    age: Sequence[str] | str = "All ages"
    note: Sequence[str] | str = ""

    def __len__(self) -> int:
        return int(np.asarray(self.area).size)

    def sorted(self) -> ObsFrame:
        """The same rows in area id order."""
        areas = np.asarray(self.area, dtype=np.int64)
        if areas.size < 2 or bool(np.all(areas[1:] >= areas[:-1])):
            return self
        order = np.argsort(areas, kind="stable")
        fields: dict[str, Any] = {}
        for name in (
            "area",
            "value",
            "count",
            "denominator",
            "lower",
            "upper",
            "confidence",
            "rank",
            "rank_of",
            "decile",
            "coverage",
            "suppressed",
            "provisional",
            "sex",
            "age",
            "note",
        ):
            value = getattr(self, name)
            if value is None or isinstance(value, str):
                fields[name] = value
            elif isinstance(value, np.ndarray):
                fields[name] = value[order]
            else:
                fields[name] = [value[i] for i in order]
        return ObsFrame(**fields)

    def column(self, name: str) -> Any:
        value = getattr(self, name)
        n = len(self)
        if value is None:
            if name in ("suppressed", "provisional"):
                return np.zeros(n, dtype=bool)
            return _nan(n)
        if isinstance(value, str):
            return [value] * n
        return value


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return bool(a == b)


def _higher_is_worse(polarity: str) -> bool:
    return polarity != Polarity.HIGHER_IS_BETTER


# --- indicators ---------------------------------------------------------------------------------


def ensure_indicators(specs: Iterable[IndicatorSpec], **source: str) -> dict[str, Indicator]:
    """Create or update the catalogue's indicators (idempotent); ``source`` sets publisher,
    source, source_url and licence. Returns ``{code: Indicator}``."""
    ensure_default_themes()
    themes = {t.slug: t for t in Theme.objects.all()}
    specs = list(specs)
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[s.code for s in specs])}
    result: dict[str, Indicator] = {}
    pending_summary: list[tuple[Indicator, str]] = []
    for spec in specs:
        fields = {
            "name": spec.name,
            "short_name": spec.short_name,
            "theme": themes.get(spec.theme) if spec.theme else None,
            "definition": spec.definition,
            "polarity": spec.polarity,
            "value_type": spec.value_type,
            "unit": spec.unit,
            "multiplier": spec.multiplier,
            "decimals": spec.decimals,
            "method": spec.method,
            "order": spec.order,
            "summary": spec.summary,
            "aggregate": spec.aggregate,
            "source_kind": SourceKind.OFFICIAL,
            **source,
        }
        indicator = existing.get(spec.code)
        if indicator is None:
            indicator = Indicator.objects.create(code=spec.code, **fields)
        else:
            changed = [k for k, v in fields.items() if getattr(indicator, k) != v]
            if changed:
                for key in changed:
                    setattr(indicator, key, fields[key])
                indicator.save(update_fields=[*changed, "updated_at"])
        result[spec.code] = indicator
        if spec.summary_of:
            pending_summary.append((indicator, spec.summary_of))
    for indicator, parent_code in pending_summary:
        parent = result.get(parent_code) or Indicator.objects.get(code=parent_code)
        if indicator.summary_of_id != parent.pk:
            indicator.summary_of = parent
            indicator.save(update_fields=["summary_of", "updated_at"])
    return result


def may_manage(user: Any, indicator: Indicator) -> bool:
    """Official indicators are platform reference data; a partner's indicator belongs to the
    editors of its organisation."""
    if user is None:
        return True  # the operator at the command line
    if indicator.source_kind == SourceKind.OFFICIAL or indicator.organisation_id is None:
        return has_permission(user, Permission.MANAGE_INDICATORS)
    return has_permission(user, Permission.UPLOAD_EVIDENCE, indicator)


def create_partner_indicator(
    *,
    by: Any,
    code: str,
    name: str,
    value_type: str,
    polarity: str = Polarity.NO_JUDGEMENT,
    theme: str | None = None,
    unit: str = "",
    multiplier: float = 1,
    definition: str = "",
    source: str = "",
    licence: str = "",
    organisation: Any = None,
) -> Indicator:
    """A partner's own indicator, maintained by their organisation (needs ``upload_evidence``
    there; platform administrators may create one for any organisation)."""
    if by is not None and not has_permission(by, Permission.UPLOAD_EVIDENCE):
        raise PermissionDenied("Only editors of a partner organisation can add indicators.")
    if organisation is None and by is not None:
        orgs = organisations_where(by, Permission.UPLOAD_EVIDENCE)
        if len(orgs) == 1:
            from placeworks.partners.models import Organisation

            organisation = Organisation.objects.get(pk=orgs[0])
    if by is not None and organisation is not None:
        allowed = has_permission(by, Permission.MANAGE_INDICATORS) or organisation.pk in (
            organisations_where(by, Permission.UPLOAD_EVIDENCE)
        )
        if not allowed:
            raise PermissionDenied(f"You cannot add indicators for {organisation}.")
    if value_type not in ValueType.values:
        raise ValidationError(f"value type must be one of {', '.join(ValueType.values)}")
    if polarity not in Polarity.values:
        raise ValidationError(f"polarity must be one of {', '.join(Polarity.values)}")
    ensure_default_themes()
    theme_obj = Theme.objects.filter(slug=theme).first() if theme else None
    if theme and theme_obj is None:
        raise ValidationError(f"there is no theme {theme!r}")
    indicator = Indicator.objects.create(
        code=code,
        name=name,
        short_name=name[:80],
        theme=theme_obj,
        definition=definition or name,
        polarity=polarity,
        value_type=value_type,
        unit=unit,
        multiplier=multiplier,
        decimals=1,
        method="Supplied by a partner; larger areas aggregated by Placeworks.",
        source_kind=SourceKind.PARTNER,
        organisation=organisation,
        publisher=str(organisation) if organisation else "",
        source=source,
        licence=licence,
    )
    record(by=by, action="create", obj=indicator, changes={"code": [None, code]})
    return indicator


# --- observations -------------------------------------------------------------------------------


# Inside ``bulk_load``: for each (indicator, period) that held no rows when the load first wrote
# it, the area types the load has written since. A later write of other types (the roll-up to
# wards and districts after the LSOA rows) then knows nothing is stored for it without asking:
# the question costs a join over the rows just written (50-90 ms on PostgreSQL, 186 times for
# IoD2019). Sound because the load holds the table's write lock until it commits.
_WRITTEN: ContextVar[dict[tuple[int, str], set[str]] | None] = ContextVar(
    "placeworks_observations_written", default=None
)


def _existing(
    indicator: Indicator, period: str, types: list[str]
) -> dict[tuple[int, str, str], tuple[Any, ...]]:
    written = _WRITTEN.get()
    pair = (indicator.pk, period)
    if written is not None and pair in written and written[pair].isdisjoint(types):
        return {}
    stored = Observation.objects.filter(indicator=indicator, period=period)
    if not stored.exists():  # a first import: no join with the areas to plan and run
        if written is not None:
            written[pair] = set()
        return {}
    rows = stored.filter(area__type__in=types).values_list(
        "id", "area_id", "sex", "age", *FIELDS, "local_rank", "local_count"
    )
    return {(row[1], row[2], row[3]): row for row in rows}


def _floats(values: Any, n: int) -> list[Any]:
    """A column as Python floats, None where missing (vectorised: no call per cell)."""
    array = np.asarray(values, dtype=np.float64).reshape(n)
    missing = np.isnan(array)
    if missing.all():
        return [None] * n
    if not missing.any():
        return array.tolist()
    result = array.astype(object)
    result[missing] = None
    return result.tolist()


def _ints(values: Any, n: int) -> list[Any]:
    array = np.asarray(values, dtype=np.float64).reshape(n)
    missing = np.isnan(array)
    if missing.all():
        return [None] * n
    whole = np.where(missing, 0, np.round(array)).astype(np.int64)
    if not missing.any():
        return whole.tolist()
    result = whole.astype(object)
    result[missing] = None
    return result.tolist()


def _columns_of(frame: ObsFrame, basis: str) -> list[list[Any]]:
    """The frame's stored fields as Python columns (None for missing), in ``FIELDS`` order."""
    n = len(frame)
    columns: list[list[Any]] = []
    for name in FIELDS:
        if name == "basis":
            columns.append([str(basis)] * n)
        elif name == "note":
            columns.append([str(note)[:300] for note in frame.column("note")])
        elif name in _FLOAT_FIELDS:
            columns.append(_floats(frame.column(name), n))
        elif name in _INT_FIELDS:
            columns.append(_ints(frame.column(name), n))
        else:
            columns.append(np.asarray(frame.column(name), dtype=bool).reshape(n).tolist())
    return columns


def write_observations(
    indicator: Indicator,
    period: str,
    frame: ObsFrame,
    geography: Geography,
    *,
    basis: str = Basis.PUBLISHED,
    replace_basis: str | None = None,
) -> Counts:
    """Write one indicator's observations for one period (see the module docstring).

    Only the area types the frame holds are touched (their ranks and spreads are recomputed);
    ``replace_basis``: stored rows of that basis and those types which the frame does not
    mention are deleted (a roll-up replaces its earlier roll-up).
    """
    counts = Counts()
    frame = frame.sorted()  # area order: cheaper B-tree inserts
    areas = np.asarray(frame.area, dtype=np.int64)
    positions = geography.positions(areas)
    if np.any(positions < 0):
        raise ValueError("write_observations: area ids not in the loaded geography")
    types = sorted(set(geography.types[positions].tolist()))
    existing = _existing(indicator, period, types)
    written = _WRITTEN.get()
    if written is not None and (indicator.pk, period) in written:
        written[(indicator.pk, period)].update(types)
    sexes = [str(x) for x in frame.column("sex")]
    ages = [str(x) for x in frame.column("age")]
    columns = _columns_of(frame, basis)
    year = period_year(period)
    if not existing:
        # The common first import: everything is new, no merging, no comparing.
        values = np.asarray(frame.value, dtype=np.float64).reshape(len(frame))
        ranked = _rank(indicator, areas, sexes, ages, values, geography)
        n = len(frame)
        _insert(
            [
                [indicator.pk] * n,
                areas.tolist(),
                [period] * n,
                [year] * n,
                sexes,
                ages,
                *columns,
                ranked.ranks,
                ranked.sizes,
            ]
        )
        counts.created = n
        if n:
            _replace_distributions(indicator, period, types, ranked, geography)
            Indicator.objects.filter(pk=indicator.pk).update(updated_at=timezone.now())
        return counts
    keys = list(zip(areas.tolist(), sexes, ages, strict=True))
    desired: dict[tuple[int, str, str], tuple[Any, ...]] = {}
    protect = basis == Basis.ROLLUP
    for key, row in zip(keys, zip(*columns, strict=True), strict=True):
        if protect:
            old = existing.get(key)
            if old is not None and old[4 + _BASIS] != Basis.ROLLUP:
                continue  # never overwrite a published value with an aggregate
        desired[key] = row

    deleted: list[int] = []
    if replace_basis is not None:
        deleted = [
            old[0]
            for key, old in existing.items()
            if key not in desired and old[4 + _BASIS] == replace_basis
        ]
    gone = set(deleted)
    width = len(FIELDS)
    merged_keys = [k for k, old in existing.items() if k not in desired and old[0] not in gone]
    merged_values = [existing[k][4 : 4 + width] for k in merged_keys]
    merged_keys.extend(desired)
    merged_values.extend(desired.values())
    ranked = _rank(
        indicator,
        np.fromiter((k[0] for k in merged_keys), dtype=np.int64, count=len(merged_keys)),
        [k[1] for k in merged_keys],
        [k[2] for k in merged_keys],
        np.array([np.nan if r[_VALUE] is None else r[_VALUE] for r in merged_values], dtype=float),
        geography,
    )
    local_rank, local_count = ranked.ranks, ranked.sizes
    inserts_list: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    for index, key in enumerate(merged_keys):
        full = (*merged_values[index], local_rank[index], local_count[index])
        old = existing.get(key)
        if old is None:
            inserts_list.append((indicator.pk, key[0], period, year, key[1], key[2], *full))
            counts.created += 1
            continue
        stored = old[4:]
        if stored == full or all(_same(a, b) for a, b in zip(stored, full, strict=True)):
            if key in desired:
                counts.unchanged += 1
            continue
        updates.append((*full, old[0]))
        value_changed = not all(
            _same(a, b) for a, b in zip(stored[:width], full[:width], strict=True)
        )
        if key in desired and value_changed:
            counts.updated += 1
        elif key in desired:
            counts.unchanged += 1
            counts.ranked += 1
        else:
            counts.ranked += 1
    _delete(deleted)
    inserts_list.sort(key=lambda row: row[1])
    _insert([list(column) for column in zip(*inserts_list, strict=True)])
    _update(updates)
    if inserts_list or updates or deleted:
        _replace_distributions(indicator, period, types, ranked, geography)
        Indicator.objects.filter(pk=indicator.pk).update(updated_at=timezone.now())
    return counts


@dataclass
class _Ranked:
    ranks: list[int | None]
    sizes: list[int | None]
    groups: np.ndarray  # group code of each row (-1: not ranked)
    values: FloatArray
    breakdowns: dict[int, tuple[str, str]]  # code → (sex, age)
    width: int  # group code = geography group × width + breakdown code


def _rank(
    indicator: Indicator,
    area_ids: np.ndarray,
    sexes: list[str],
    ages: list[str],
    values: FloatArray,
    geography: Geography,
) -> _Ranked:
    """Ranks within (type, vintage, region, sex, age) groups, vectorised."""
    n = area_ids.size
    if n == 0:
        return _Ranked([], [], np.zeros(0, dtype=np.int64), _nan(0), {}, 1)
    positions = geography.positions(area_ids)
    pairs = np.array([f"{s}\x1f{a}" for s, a in zip(sexes, ages, strict=True)], dtype=object)
    if len(set(sexes)) == 1 and len(set(ages)) == 1:
        names = np.array([pairs[0]], dtype=object)
        breakdown = np.zeros(n, dtype=np.int64)
    else:
        names, breakdown = np.unique(pairs, return_inverse=True)
    width = max(names.size, 1)
    group = geography.group[np.where(positions >= 0, positions, 0)]
    codes = np.where(positions >= 0, group * width + breakdown, -1)
    _, inverse = np.unique(codes, return_inverse=True)
    ranks, sizes = aggregation.group_ranks(
        values, inverse.astype(np.int64), higher_is_worse=_higher_is_worse(indicator.polarity)
    )
    has_value = ~np.isnan(values) & (codes >= 0)
    local_rank = ranks.astype(object)
    local_rank[~has_value] = None
    local_count = sizes.astype(object)
    local_count[~has_value] = None
    return _Ranked(
        local_rank.tolist(),
        local_count.tolist(),
        np.where(has_value, codes, -1),
        values,
        {i: tuple(str(name).split("\x1f", 1)) for i, name in enumerate(names.tolist())},  # type: ignore[misc]
        width,
    )


def _replace_distributions(
    indicator: Indicator,
    period: str,
    types: list[str],
    ranked: _Ranked,
    geography: Geography,
) -> None:
    Distribution.objects.filter(indicator=indicator, period=period, area_type__in=types).delete()
    ok = ranked.groups >= 0
    if not ok.any():
        return
    objects = []
    unique, inverse = np.unique(ranked.groups[ok], return_inverse=True)
    kept = ranked.values[ok]
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(unique.size + 1))
    for index, code in enumerate(unique.tolist()):
        data = kept[order[bounds[index] : bounds[index + 1]]]
        kind, vintage, region = geography.group_info[code // ranked.width]
        sex, age = ranked.breakdowns[code % ranked.width]
        q = np.percentile(data, [0, 25, 50, 75, 100])
        objects.append(
            Distribution(
                indicator=indicator,
                period=period,
                sex=sex,
                age=age,
                area_type=kind,
                vintage=vintage,
                group_id=region or None,
                count=int(data.size),
                minimum=float(q[0]),
                q1=float(q[1]),
                median=float(q[2]),
                q3=float(q[3]),
                maximum=float(q[4]),
            )
        )
    Distribution.objects.bulk_create(objects, batch_size=500)


_INSERT_COLUMNS = (
    "indicator_id",
    "area_id",
    "period",
    "year",
    "sex",
    "age",
    *FIELDS,
    "local_rank",
    "local_count",
)


_STAGE = "placeworks_observation_stage"
_STAGE_FROM = 200  # rows: below this, a plain multi-row insert is as quick
_BULK_FROM = 500_000  # rows an import writes: from here, ``bulk_load`` defers index and keys


def _table() -> str:
    return connection.ops.quote_name(Observation._meta.db_table)


def _insert(columns: Sequence[list[Any]]) -> None:
    """Insert rows given column by column, in ``_INSERT_COLUMNS`` order.

    PostgreSQL takes them with COPY. SQLite's cost is binding values one row at a time (21
    values a row, over a million rows for a national release), and most columns hold one value
    for the whole batch (the indicator, period, sex, age, basis, …): only the columns that vary
    are staged, row by row, in a temporary table, and one ``INSERT … SELECT`` binds the others
    once and copies the rows across inside SQLite, in the staged order. That takes about a third
    of the time of binding every column (a national IoD2025 import went from 22 s to 11 s)."""
    n = len(columns[0]) if columns else 0
    if not n:
        return
    if len(columns) != len(_INSERT_COLUMNS) or any(len(column) != n for column in columns):
        raise ValueError("_insert: one column of equal length per inserted field")
    names = ", ".join(connection.ops.quote_name(c) for c in _INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY is the fast path for many rows
            with raw.copy(f"COPY {_table()} ({names}) FROM STDIN") as copy:
                for row in zip(*columns, strict=True):
                    copy.write_row(row)
            return
        constant = {i for i, column in enumerate(columns) if column.count(column[0]) == n}
        varying = [i for i in range(len(columns)) if i not in constant]
        if n < _STAGE_FROM or not varying:
            placeholders = ", ".join(["%s"] * len(columns))
            # Table and column names are the model's own, quoted; values are parameters.
            sql = f"INSERT INTO {_table()} ({names}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, list(zip(*columns, strict=True)))
            return
        cursor.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
        cursor.execute(f"CREATE TEMP TABLE {_STAGE} ({', '.join(f'c{i}' for i in varying)})")
        staged = ", ".join(["%s"] * len(varying))
        rows = list(zip(*(columns[i] for i in varying), strict=True))
        for start in range(0, n, 20 * BATCH):
            cursor.executemany(
                f"INSERT INTO temp.{_STAGE} VALUES ({staged})",  # noqa: S608
                rows[start : start + 20 * BATCH],
            )
        picked = ", ".join("%s" if i in constant else f"c{i}" for i in range(len(columns)))
        cursor.execute(
            f"INSERT INTO {_table()} ({names}) "  # noqa: S608
            f"SELECT {picked} FROM temp.{_STAGE} ORDER BY rowid",
            [columns[i][0] for i in sorted(constant)],
        )
        cursor.execute(f"DROP TABLE temp.{_STAGE}")


@contextmanager
def bulk_load(rows: int) -> Iterator[None]:
    """Around an import of national size (``_BULK_FROM`` rows or more): what every row would
    otherwise pay for is done once at the end, in the same transaction.

    - The (area, indicator) index is dropped while the rows go in and rebuilt from the finished
      table. Rows arrive indicator by indicator, so each would land at a random place in it.
    - On PostgreSQL, the two foreign keys (area, indicator) are dropped too and added back with
      the same names and the same deferred checking. Added back, each is validated by one join
      over the table; left in place, every row queues a check that runs at commit — over a million
      for a national release, half the import's time (PostgreSQL's "Populating a Database"
      advice). (The import core then refreshes the planner's statistics: ``ANALYZE``.)

    The unique index (indicator, period, area, …) stays, and the import's own reads use it. A
    failure rolls everything back with the rows. On PostgreSQL the table is locked against reads
    until the import commits (seconds for a national file); SQLite readers keep their snapshot.
    """
    if rows < _BULK_FROM or not connection.in_atomic_block:
        yield
        return
    table = _table()
    index = Observation._meta.indexes[0]
    index_name = connection.ops.quote_name(index.name)
    # The index is on two foreign keys: (area, indicator).
    index_columns = ", ".join(connection.ops.quote_name(f"{name}_id") for name in index.fields)
    keys: list[tuple[str, str, str, str]] = []  # (name, column, table, column) of each FK
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            constraints = connection.introspection.get_constraints(
                cursor, Observation._meta.db_table
            )
            for name, info in sorted(constraints.items()):
                if info["foreign_key"]:
                    keys.append((name, info["columns"][0], *info["foreign_key"]))
            # Checks already queued in this transaction (areas just loaded, say) run now:
            # PostgreSQL alters no table that has some pending. Django's keys are all
            # deferrable and initially deferred, so deferring again restores the default.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name, *_ in keys:
                cursor.execute(
                    f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
        cursor.execute(f"DROP INDEX {index_name}")
    token = _WRITTEN.set({})
    try:
        yield
    finally:
        _WRITTEN.reset(token)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {index_name} ON {table} ({index_columns})")
        for name, column, target, target_column in keys:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} FOREIGN KEY ({quote(column)}) "
                f"REFERENCES {quote(target)} ({quote(target_column)}) "
                "DEFERRABLE INITIALLY DEFERRED"
            )
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # anything queued during the load
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _update(rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    names = [*FIELDS, "local_rank", "local_count"]
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in names)
    sql = f"UPDATE {_table()} SET {assignments} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20 * BATCH):
            cursor.executemany(sql, rows[start : start + 20 * BATCH])


def _delete(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        Observation.objects.filter(pk__in=ids[start : start + 500]).delete()


def delete_observations(*, by: Any, indicator: Indicator, period: str | None = None) -> int:
    """Remove an indicator's observations (all, or one period), recording who did it."""
    if not may_manage(by, indicator):
        raise PermissionDenied("You cannot change this indicator's data.")
    with transaction.atomic():
        rows = Observation.objects.filter(indicator=indicator)
        if period is not None:
            rows = rows.filter(period=period)
        deleted, _ = rows.delete()
        Distribution.objects.filter(indicator=indicator).filter(
            **({"period": period} if period is not None else {})
        ).delete()
        record(
            by=by, action="delete observations", obj=indicator, changes={"period": [period, None]}
        )
        Indicator.objects.filter(pk=indicator.pk).update(updated_at=timezone.now())
    return deleted


# --- roll-up ------------------------------------------------------------------------------------

_ORDER = {str(t): i for i, t in enumerate(TYPE_ORDER)}
# England is never rolled up from loaded areas (they are a part of it): its figures come from a
# national file, or from the source.
NOT_ROLLED_UP_TO = frozenset({AreaType.COUNTRY})
PARTIAL_BELOW = 0.95  # loaded population under this share of an area's own: partial coverage


def _weights(members: np.ndarray, period: str, geography: Geography) -> tuple[FloatArray, str]:
    """Population weights of the member areas, and a note saying which populations they are.

    The release's own denominators (the IoD total population, when loaded for this period) come
    first, then the areas' populations from the geography; with neither, equal weights."""
    ids = geography.ids[members]
    own = np.full(ids.size, np.nan)
    rows = Observation.objects.filter(
        indicator__code=POPULATION_CODE, period=period, value__isnull=False
    ).values_list("area_id", "value")
    found = np.array(list(rows), dtype=np.float64).reshape(-1, 2)
    if found.size and ids.size:
        wanted = found[:, 0].astype(np.int64)
        index = np.clip(np.searchsorted(ids, wanted), 0, ids.size - 1)
        hit = ids[index] == wanted
        own[index[hit]] = found[hit, 1]
    if ids.size and not np.isnan(own).any():
        return own, "the release's own population denominators"
    people = geography.populations[members]
    known = ~np.isnan(people)
    if known.size and known.mean() >= 0.99:
        filled = np.where(known, people, np.nanmedian(people) if known.any() else 1.0)
        sources = sorted({str(s) for s in geography.population_notes[members] if s})
        source = "; ".join(sources[:2]) if sources else "the areas' population estimates"
        return filled, f"populations from the geography ({source})"
    return np.ones(members.size), "equal weights (no populations loaded)"


@dataclass
class _Base:
    """The small areas of one type and vintage, and every larger area containing them."""

    base_type: str
    members: np.ndarray  # geography positions, sorted
    member_index: np.ndarray  # geography position → member index (-1: not a member)
    ancestors: np.ndarray  # geography positions of the larger areas
    pair_ancestor: np.ndarray  # index into ``ancestors``
    pair_member: np.ndarray  # index into ``members``
    matrix: Any
    loaded_share: FloatArray  # share of each ancestor's own population that is loaded
    weights: FloatArray
    weight_note: str


def _base(base_type: str, vintage: str, period: str, geography: Geography) -> _Base | None:
    members = np.flatnonzero((geography.types == base_type) & (geography.vintages == vintage))
    member_index = np.full(geography.ids.size, -1, dtype=np.int64)
    member_index[members] = np.arange(members.size)
    base_order = _ORDER.get(base_type, 99)
    order_of_type = {t: _ORDER.get(str(t), 99) for t in set(geography.types.tolist())}
    ancestor_types = geography.types[geography.link_ancestor]
    larger = np.fromiter(
        (order_of_type[t] > base_order and t not in NOT_ROLLED_UP_TO for t in ancestor_types),
        dtype=bool,
        count=ancestor_types.size,
    )
    pick = larger & (member_index[geography.link_descendant] >= 0)
    if not pick.any():
        return None
    ancestors, pair_ancestor = np.unique(geography.link_ancestor[pick], return_inverse=True)
    pair_member = member_index[geography.link_descendant[pick]]
    matrix = aggregation.membership(pair_ancestor, pair_member, ancestors.size, members.size)
    people = geography.populations[members]
    loaded = matrix @ np.where(np.isnan(people), 0.0, people)
    own = geography.populations[ancestors]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where((own > 0) & (loaded > 0), np.minimum(1.0, loaded / own), 1.0)
    # Populations of two LSOA vintages, or of two years, differ by a few per cent: only a clear
    # shortfall means part of the area is missing.
    share = np.where(share >= PARTIAL_BELOW, 1.0, share)
    weights, note = _weights(members, period, geography)
    return _Base(
        base_type,
        members,
        member_index,
        ancestors,
        pair_ancestor.astype(np.int64),
        pair_member,
        matrix,
        share,
        weights,
        note,
    )


_ROLLUP_FIELDS = ("area_id", "value", "count", "denominator", "rank_of")


def _base_rows(
    indicator: Indicator, period: str, sex: str | None = None, age: str | None = None
) -> np.ndarray:
    """(area id, value, count, denominator, rank_of) of the values an indicator rolls up from.

    An IoD rank indicator whose LSOA ranks are stored on the LSOA scores (the importer keeps
    one row per LSOA and measure) reads them from there."""
    if indicator.value_type == ValueType.RANK and indicator.code.endswith("-rank"):
        score_code = indicator.code[: -len("-rank")] + "-score"
        from_scores = Observation.objects.filter(
            indicator__code=score_code,
            period=period,
            area__type=AreaType.LSOA,
            rank__isnull=False,
        )
        if sex is not None:
            from_scores = from_scores.filter(sex=sex, age=age)
        rows = np.array(
            list(from_scores.values_list("area_id", "rank", "count", "denominator", "rank_of")),
            dtype=np.float64,
        ).reshape(-1, 5)
        if rows.size:
            return rows
    found = Observation.objects.filter(indicator=indicator, period=period).exclude(
        basis=Basis.ROLLUP
    )
    if sex is not None:
        found = found.filter(sex=sex, age=age)
    return np.array(list(found.values_list(*_ROLLUP_FIELDS)), dtype=np.float64).reshape(-1, 5)


def rollup_period(
    indicators: Sequence[Indicator],
    period: str,
    geography: Geography,
    *,
    frames: dict[int, ObsFrame] | None = None,
) -> Counts:
    """Aggregate the indicators' small-area values for ``period`` to every larger area that
    contains them (except England), replacing earlier roll-ups (see the module docstring).

    One indicator at a time (memory stays small at national scale); the membership matrix of
    each base type and vintage is built once. ``frames`` may give an indicator's small-area
    values (one breakdown) that were just written, to save reading them back."""
    counts = Counts()
    wanted = [i for i in indicators if i.aggregate]
    summaries_of: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(summary_of__in=wanted):
        if indicator.summary_of_id is not None:
            summaries_of[indicator.summary_of_id].append(indicator)
    bases: dict[tuple[str, str], _Base | None] = {}
    for indicator in wanted:
        given = (frames or {}).get(indicator.pk)
        if given is not None and isinstance(given.sex, str) and isinstance(given.age, str):
            rows = np.column_stack(
                [
                    np.asarray(given.area, dtype=np.float64),
                    *(
                        np.asarray(given.column(name), dtype=np.float64)
                        for name in _ROLLUP_FIELDS[1:]
                    ),
                ]
            )
            counts.add(
                _rollup_column(
                    indicator, rows, given.sex, given.age, period, geography, bases, summaries_of
                )
            )
            continue
        breakdowns = list(
            Observation.objects.filter(indicator=indicator, period=period)
            .exclude(basis=Basis.ROLLUP)
            .values_list("sex", "age")
            .distinct()
        ) or [("Persons", "All ages")]
        for sex, age in breakdowns:
            rows = (
                _base_rows(indicator, period)
                if len(breakdowns) == 1
                else _base_rows(indicator, period, sex, age)
            )
            counts.add(
                _rollup_column(indicator, rows, sex, age, period, geography, bases, summaries_of)
            )
    return counts


def _rollup_column(
    indicator: Indicator,
    rows: np.ndarray,
    sex: str,
    age: str,
    period: str,
    geography: Geography,
    bases: dict[tuple[str, str], _Base | None],
    summaries_of: dict[int, list[Indicator]],
) -> Counts:
    counts = Counts()
    positions = geography.positions(rows[:, 0].astype(np.int64))
    rows, positions = rows[positions >= 0], positions[positions >= 0]
    if not positions.size:
        return counts
    types = geography.types[positions]
    finest = str(min(set(types.tolist()), key=lambda t: _ORDER.get(str(t), 99)))
    keep = types == finest
    rows, positions = rows[keep], positions[keep]
    vintage = str(geography.vintages[positions[0]])
    key = (finest, vintage)
    if key not in bases:
        bases[key] = _base(finest, vintage, period, geography)
    base = bases[key]
    if base is None:
        return counts
    where = base.member_index[positions]
    ok = where >= 0

    def column(index: int) -> FloatArray:
        full = np.full((base.members.size, 1), np.nan)
        full[where[ok], 0] = rows[ok, index]
        return full

    rolled = aggregation.rollup(
        base.matrix,
        column(1),
        value_types=[indicator.value_type],
        multipliers=[indicator.multiplier],
        weights=base.weights,
        count=column(2),
        denominator=column(3),
    )
    method = rolled.methods[0]
    if method != aggregation.NOT_AGGREGATED:
        counts.add(_write_rolled(indicator, period, sex, age, base, method, rolled, geography))
    summary_indicators = summaries_of.get(indicator.pk, [])
    totals = rows[:, 4][~np.isnan(rows[:, 4])]
    if summary_indicators and finest == AreaType.LSOA and totals.size:
        result = aggregation.summaries(
            base.pair_ancestor,
            base.pair_member,
            base.ancestors.size,
            column(1)[:, 0],
            base.weights,
            total_areas=int(totals.max()),
        )
        by_summary: dict[str, FloatArray] = {
            Summary.EXTENT: result.extent,
            Summary.LOCAL_CONCENTRATION: result.local_concentration,
            Summary.MOST_DEPRIVED_10PCT: result.most_deprived_10pct,
        }
        note = (
            "MHCLG summary measure computed from the LSOA ranks (IoD2019 Technical Report 3.8). "
            f"Weights: {base.weight_note}."
        )
        # MHCLG summarises districts and larger areas; for a ward of a handful of LSOAs the
        # "most deprived LSOAs holding 10% of its population" is a fraction of one LSOA.
        large = np.array(
            [
                _ORDER.get(str(t), 99) >= _ORDER[AreaType.LAD]
                for t in geography.types[base.ancestors]
            ],
            dtype=bool,
        )
        for summary_indicator in summary_indicators:
            values = by_summary.get(summary_indicator.summary)
            if values is None:
                continue
            has = ~np.isnan(values) & large
            frame = ObsFrame(
                area=geography.ids[base.ancestors][has],
                value=values[has],
                coverage=result.coverage[has],
                sex=sex,
                age=age,
                note=note,
            )
            counts.add(
                write_observations(
                    summary_indicator,
                    period,
                    frame,
                    geography,
                    basis=Basis.ROLLUP,
                    replace_basis=Basis.ROLLUP,
                )
            )
    return counts


_BASE_LABELS: dict[str, str] = {
    AreaType.LSOA: "LSOA",
    AreaType.WARD: "ward",
    AreaType.LAD: "district",
}


def _write_rolled(
    indicator: Indicator,
    period: str,
    sex: str,
    age: str,
    base: _Base,
    method: str,
    rolled: aggregation.Rolled,
    geography: Geography,
) -> Counts:
    values = rolled.value[:, 0]
    has = ~np.isnan(values)
    note = (
        f"Aggregated from {_BASE_LABELS.get(base.base_type, base.base_type)} values. "
        f"{aggregation.METHOD_NOTES[method]}"
    )
    if method == aggregation.WEIGHTED:
        note += f" Weights: {base.weight_note}."
    partial = geography.partial[base.ancestors][has]
    shares = base.loaded_share[has]
    notes = [
        f"{note} Only part of this area is loaded: the figure covers the loaded part."
        if is_partial
        else note
        if share >= 1
        else f"{note} Covers only the loaded {share:.0%} of this area's population."
        for share, is_partial in zip(shares, partial, strict=True)
    ]
    lower = rolled.lower[has, 0]
    frame = ObsFrame(
        area=geography.ids[base.ancestors][has],
        value=values[has],
        count=rolled.count[has, 0],
        denominator=rolled.denominator[has, 0],
        lower=lower,
        upper=rolled.upper[has, 0],
        confidence=np.where(np.isnan(lower), np.nan, 0.95),
        coverage=rolled.coverage[has, 0] * shares,
        sex=sex,
        age=age,
        note=notes,
    )
    return write_observations(
        indicator, period, frame, geography, basis=Basis.ROLLUP, replace_basis=Basis.ROLLUP
    )
