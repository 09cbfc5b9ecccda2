"""Queries the ORM builds and compiles once per shape; each request only fills in the values (``Prepared``).

On the heaviest pages most of a request's work was Django building and compiling querysets, not PostgreSQL
running them: the office search's four groups, each with its subqueries, cost about 37 000 of its 57 000 Python
calls (README, "Region scale"). The SQL of such a query depends only on its *shape* (which conditions it has,
how many ids) and the database, never on the words or numbers typed; so ``Prepared`` asks the ORM for the SQL
once per shape and database connection, with stand-in values, and records where each value goes among the
parameters. A later request with the same shape runs that SQL with its own values.

The ORM stays the one place a query is written: ``build(shape, **values)`` returns an ordinary ``values()``
queryset, and ``tests/config/test_prepared.py`` compares what ``Prepared`` runs with what the ORM compiles for
the real values. The rules ``build`` must keep:

- It branches only on ``shape`` (a tuple the caller makes of everything that changes the query's structure),
  never on a value: it is called with stand-ins.
- Values are ints, strings or lists of them (a list's length is part of the shape by itself). A value the ORM
  transforms for ``LIKE`` (``icontains``: ``%`` around it, ``\\``, ``%`` and ``_`` escaped) is transformed the same
  way when filled in; any other transformation (a word cut, a number padded) is made by the caller, before.
- A value must end up a parameter, never inlined into the SQL, and reach it as given: not converted by a field (an
  int for a text column), not outside its field's range (where Django drops or empties the condition).
- Nothing else may vary between requests (the time, the language): the plan keeps what the first request built.

Each new plan is checked once, when it is made: filled with that request's values, it must give exactly what the ORM
compiles for them, or ``Prepared`` refuses it (``ValueError``) rather than run a query that differs.

Results are dicts keyed as ``values()`` names them, with the same conversions the ORM applies (``Decimal`` on
SQLite, say). The queries go through Django's cursor, so they are counted and logged like any other.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections

_INT_BASE = 2_000_000_000  # within every integer field's range but the small ones, and no real id here
_MARK = "\x1e"  # a stand-in string: \x1e<n>_\x1e ("_" so that LIKE escaping shows)


def _int_stand_in(number: int) -> int:
    return _INT_BASE + number


def _str_stand_in(number: int) -> str:
    return f"{_MARK}{number}_{_MARK}"


@dataclass(frozen=True)
class _Slot:
    name: str
    index: int | None  # the position in a list value, None for a single value
    like: bool  # escaped for LIKE


@dataclass(frozen=True)
class _Pieces:
    """A parameter with values inside it (text pieces and _Slots), as a LIKE pattern is: ``%`` + value + ``%``."""

    parts: tuple


@dataclass
class _Plan:
    sql: str | None  # None: the ORM found the query can match nothing
    steps: list  # per parameter: a constant, a _Slot or _Pieces
    names: list[str]
    converters: dict

    def params(self, values: dict, connection) -> list:
        escape = connection.ops.prep_for_like_query

        def value_of(slot: _Slot):
            value = values[slot.name] if slot.index is None else values[slot.name][slot.index]
            return escape(value) if slot.like else value

        params = []
        for step in self.steps:
            if isinstance(step, _Slot):
                params.append(value_of(step))
            elif isinstance(step, _Pieces):
                params.append("".join(value_of(p) if isinstance(p, _Slot) else p for p in step.parts))
            else:
                params.append(step)
        return params

    def rows(self, values: dict, connection) -> list[dict]:
        if self.sql is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(values, connection))
            rows = cursor.fetchall()
        if self.converters:
            converted = []
            for row in rows:
                row = list(row)
                for position, (functions, expression) in self.converters.items():
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


def _stand_ins(values: dict) -> tuple[dict, dict]:
    """Stand-in values of the same types, and what each stand-in stands for."""
    fake, meaning, number = {}, {}, 0

    def one(value, name, index):
        nonlocal number
        number += 1
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"Prepared: value {name!r} must be an int, a str or a list of them, not {value!r}")
        stand_in = _int_stand_in(number) if isinstance(value, int) else _str_stand_in(number)
        meaning[stand_in] = (name, index)
        return stand_in

    for name, value in values.items():
        if isinstance(value, list | tuple):
            fake[name] = [one(item, name, index) for index, item in enumerate(value)]
        else:
            fake[name] = one(value, name, None)
    return fake, meaning


def _plan(queryset, meaning: dict, connection, using: str) -> _Plan:
    query = queryset.query
    if not query.values_select and not query.annotation_select:
        raise TypeError("Prepared: build() must return a values() queryset")
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    compiler = query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Plan(None, [], names, {})
    escape = connection.ops.prep_for_like_query
    texts = {s: slot for s, slot in meaning.items() if isinstance(s, str)}
    found = {}  # the stand-in as it appears in a parameter -> its slot
    for stand_in, (name, index) in texts.items():
        found[stand_in] = _Slot(name, index, like=False)
        found[escape(stand_in)] = _Slot(name, index, like=True)
    pattern = re.compile("|".join(re.escape(text) for text in sorted(found, key=len, reverse=True))) if found else None
    for stand_in in meaning:
        if str(stand_in) in sql:
            raise ValueError(f"Prepared: a value was written into the SQL, not passed as a parameter: {sql}")
    steps = []
    for param in params:
        if isinstance(param, int) and not isinstance(param, bool) and param in meaning:
            steps.append(_Slot(*meaning[param], like=False))
        elif isinstance(param, str) and pattern is not None and pattern.search(param):
            if param in found:
                steps.append(found[param])
            else:
                parts, last = [], 0
                for match in pattern.finditer(param):
                    parts += [param[last : match.start()], found[match.group()]]
                    last = match.end()
                parts.append(param[last:])
                steps.append(_Pieces(tuple(part for part in parts if part != "")))
        else:
            steps.append(param)
    expressions = [column[0] for column in compiler.select[0 : compiler.col_count]]
    return _Plan(sql, steps, names, compiler.get_converters(expressions))


class Prepared:
    """``Prepared(build).rows(shape, **values)``: the rows (dicts) of ``build(shape, **values)``, compiled once
    per shape, value types and list lengths, and database connection."""

    def __init__(self, build):
        self.build = build
        self.key = f"{build.__module__}.{build.__qualname__}"  # for messages; plans are keyed by the object

    def rows(self, shape: tuple = (), /, *, using: str = "default", **values) -> list[dict]:
        connection = connections[using]
        plans = connection.__dict__.setdefault("_portal_prepared", {})
        key = (self, shape, tuple((name, _kind(value)) for name, value in values.items()))
        plan = plans.get(key)
        if plan is None:
            plan = self._plan(shape, values, using)
            expected = _compiled(self.build(shape, **values), using)
            if (plan.sql, plan.params(values, connection)) != expected:
                raise ValueError(
                    f"Prepared {self.key}: the plan made with stand-ins does not give what the ORM compiles for the "
                    "values (a value converted by its field or outside its range, or something else that varies)"
                )
            plans[key] = plan
        return plan.rows(values, connection)

    def sql_with_params(self, shape: tuple = (), /, *, using: str = "default", **values) -> tuple[str | None, list]:
        """What ``rows`` would run (for tests: compared with the ORM's own compilation of the real values)."""
        plan = self._plan(shape, values, using)
        return plan.sql, plan.params(values, connections[using])

    def _plan(self, shape: tuple, values: dict, using: str) -> "_Plan":
        """The plan of ``build`` for this shape, made with stand-ins for ``values``."""
        fake, meaning = _stand_ins(values)
        return _plan(self.build(shape, **fake), meaning, connections[using], using)


def _compiled(queryset, using: str) -> tuple[str | None, list]:
    """What the ORM compiles for a queryset; (None, []) when it knows the queryset matches nothing."""
    try:
        sql, params = queryset.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        return None, []
    return sql, list(params)


def _kind(value):
    if isinstance(value, list | tuple):
        return (len(value), *(type(item).__name__ for item in value))
    return type(value).__name__
