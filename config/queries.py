"""Query shapes the ORM does not write by itself.

``ids_in(field, queryset)``: ``field IN (SELECT …)`` where the subquery is small and names one authority's rows
(its calls, its direct offers). PostgreSQL plans ``IN (SELECT …)`` as a join or a hashed subplan and, not
knowing how few rows the subquery gives, read every row of the big table to probe it (all the installation's
offers for one authority's 40 calls). Written as ``field = ANY(ARRAY(SELECT …))`` the subquery runs once first
(an InitPlan) and its ids become an index condition: only the authority's own rows are read (README, "Query
plans"). Elsewhere (SQLite) it is the plain ``IN``.
"""

from django.db.models import BooleanField, CharField, Expression, F, Func, OuterRef, Subquery, Sum


class _IdsIn(Expression):
    conditional = True
    output_field = BooleanField()

    def __init__(self, field, queryset):
        super().__init__()
        self.lhs = F(field) if isinstance(field, str) else field
        self.subquery = Subquery(queryset.order_by())  # a model's default order is no use in an array of ids

    def get_source_expressions(self):
        return [self.lhs, self.subquery]

    def set_source_expressions(self, expressions):
        self.lhs, self.subquery = expressions

    def as_sql(self, compiler, connection):
        field_sql, field_params = compiler.compile(self.lhs)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        return f"{field_sql} IN {subquery_sql}", (*field_params, *subquery_params)

    def as_postgresql(self, compiler, connection):
        field_sql, field_params = compiler.compile(self.lhs)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        return f"{field_sql} = ANY(ARRAY{subquery_sql})", (*field_params, *subquery_params)


def ids_in(field: str, queryset) -> _IdsIn:
    """A filter condition: ``field`` is one of the values ``queryset`` (one column) gives, the subquery run once."""
    return _IdsIn(field, queryset)


def sum_per_row(queryset, link: str, field: str, output_field) -> Subquery:
    """The sum of ``field`` over the rows of ``queryset`` whose ``link`` is the outer row, one value per outer row
    (``NULL`` when there are none). A subquery, not a join: a join would multiply other sums of the same query and
    group every outer row before a page of them is cut."""
    rows = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Subquery(rows.annotate(total=Sum(field)).values("total"), output_field=output_field)


class _Unindexed(Func):
    template = "(%(expressions)s || '')"


def unindexed(field: str) -> Func:
    """The text of ``field`` through an expression no index holds (``name || ''``): ordered by it, PostgreSQL sorts
    the rows a filter found instead of walking an index in that order and testing each row. After a name search the
    walk could read nearly every organisation when the matches sort late ("Uczniowski Klub…"; README, "Query
    plans"). Only for PostgreSQL."""
    return _Unindexed(F(field), output_field=CharField())
