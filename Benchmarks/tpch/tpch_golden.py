#!/usr/bin/env python3
"""Golden TPC-H answers from DuckDB for Strata's TPC-H suite.

Loads the eight tables of a tpchgen-cli CSV directory into DuckDB with the schema of Benchmarks/tpch/specs
(the same column types Strata stores, which are TPC-H's: BIGINT keys, DECIMAL(15,2) money, VARCHAR text, DATE
dates) and writes the answers of Benchmarks/tpch/queries/q01..q22.sql in
the golden format of Benchmarks/peers/sql_golden.py.

    python3 Benchmarks/tpch/tpch_golden.py DATA_DIR OUT.json     # DATA_DIR from `tpchgen-cli csv -s SF`
"""

import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "peers"))
import sql_golden  # noqa: E402

TABLES = ["region", "nation", "part", "supplier", "partsupp", "customer", "orders", "lineitem"]


def duckdb_type(column):
    kind = column["type"]
    if kind == "int64":
        return "BIGINT"
    if kind == "string":
        return "VARCHAR"
    if kind == "timestamp":
        return "TIMESTAMP"
    if kind == "date":
        return "DATE"
    if kind == "decimal":
        return "DECIMAL(%d,%d)" % (column["precision"], column["scale"])
    if kind == "double":
        return "DOUBLE"
    raise ValueError(kind)


def load(connection, data):
    """Each table with the columns in Strata's order (time, dimensions, metrics), so SELECT * agrees."""
    for table in TABLES:
        with open(os.path.join(HERE, "specs", table + ".json"), encoding="utf-8") as f:
            spec = json.load(f)
        columns = []
        if "timestamp" in spec:
            columns.append((spec["timestamp"]["column"], duckdb_type(spec["timestamp"])))
        columns += [(c["name"], duckdb_type(c)) for c in spec["dimensions"] + spec["metrics"]]
        types = ", ".join("'%s': '%s'" % c for c in columns)
        names = ", ".join(c[0] for c in columns)
        connection.execute(
            "CREATE TABLE %s AS SELECT %s FROM read_csv(?, header = true, types = {%s})" % (table, names, types),
            [os.path.join(data, table + ".csv")])


def queries():
    result = []
    for path in sorted(glob.glob(os.path.join(HERE, "queries", "q*.sql"))):
        with open(path, encoding="utf-8") as f:
            sql = f.read().strip().rstrip(";").strip()
        result.append({"name": os.path.basename(path)[:-4], "sql": sql})
    return result


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sql_golden.ensure_duckdb()
    import duckdb

    connection = duckdb.connect()
    load(connection, sys.argv[1])
    results = [sql_golden.answer(connection, query) for query in queries()]
    sql_golden.write_golden(sys.argv[2], results, dataset="tpchgen-cli csv " + os.path.basename(sys.argv[1]))


if __name__ == "__main__":
    main()
