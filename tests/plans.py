"""What PostgreSQL did to answer a statement, for tests about how a query grows with the data."""

from django.db import connection


def rows_read(sql: str, table: str) -> int:
    """How many rows of `table` PostgreSQL read to answer `sql`: those it returned from each scan
    and those its filters dropped (EXPLAIN ANALYZE), planned with the table's statistics fresh,
    as autovacuum would have them after the test's inserts."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()[0]

    def read(node: dict) -> int:
        here = 0
        if node.get("Relation Name") == table:
            here = node["Actual Rows"] * node["Actual Loops"] + node.get("Rows Removed by Filter", 0)
        return here + sum(read(child) for child in node.get("Plans", []))

    return read(plan["Plan"])
