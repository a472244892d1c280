"""`field__any_of=subquery`: the rows whose field is among a subquery's values, written so that the
database can combine it with other indexed conditions.

`field IN (SELECT …)` inside an OR (a directive's lead unit OR one of its co-operating units) is a
"hashed subplan" to PostgreSQL: it can use no index for that branch, so the whole OR is checked row by
row, and the planner guesses the branch's selectivity badly (a unit's 450 directives of 100,000 were
read through the deadline index, 67,000 rows, 130 ms). `field = ANY(ARRAY(SELECT …))` is computed once
and looked up by index, so the branches become one BitmapOr (15 ms). SQLite already reads an IN
subquery by index inside an OR (its MULTI-INDEX OR), and keeps `IN`.
"""

from __future__ import annotations

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
