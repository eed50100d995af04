#!/usr/bin/env python3
"""Golden SQL answers from DuckDB for Strata's SQL suite.

Runs every query of Fixtures/sql/queries.sql (and of each queries-TOPIC.sql) on DuckDB over Fixtures/sql/events.csv (table `events`) and
Fixtures/sql/lineitem.csv (table `lineitem`, a 500-row sample of TPC-H lineitem at scale 0.001 from
tpchgen-cli) and writes Fixtures/sql/golden.json (golden-TOPIC.json), which `swift test` (SQLGoldenTests) compares with
Strata's answers cell by cell.

    python3 Benchmarks/peers/sql_golden.py            # creates its own venv with DuckDB on first run

Values are written as JSON: integers and doubles as numbers, NULL as null, booleans as true/false,
DECIMAL as its exact text ("0.07", "1.50"), integers outside 64 bits (HUGEINT) as text, TIMESTAMP as text
the way DuckDB casts it to VARCHAR ("2026-10-01 12:34:56.7"), DATE as "YYYY-MM-DD".
"""

import datetime
import decimal
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV = os.path.join(HERE, ".venv-sql-golden")
DUCKDB_VERSION = "2.0.0"


def ensure_duckdb():
    try:
        import duckdb  # noqa: F401

        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.environ.get("SQL_GOLDEN_IN_VENV"):
        sys.exit("duckdb is not importable inside " + VENV)
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "duckdb==" + DUCKDB_VERSION])
    env = dict(os.environ, SQL_GOLDEN_IN_VENV="1")
    os.execve(python, [python] + sys.argv, env)


def read_queries(path):
    queries = []
    name = None
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-- name:"):
                name = line.split(":", 1)[1].strip()
                lines = []
                continue
            if name is None or (line.startswith("--") and not lines):
                continue
            lines.append(line)
            if line.rstrip().endswith(";"):
                sql = "".join(lines).strip().rstrip(";").strip()
                queries.append({"name": name, "sql": sql})
                name = None
                lines = []
    return queries


def timestamp_text(value):
    # Not strftime: glibc's %Y does not pad years before 1000, DuckDB writes four digits ("0001-01-01").
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (
        value.year, value.month, value.day, value.hour, value.minute, value.second)
    if value.microsecond:
        text += ("." + "%06d" % value.microsecond).rstrip("0")
    return text


def cell(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        # Beyond 64 bits a JSON reader would round it: exact text instead.
        return value if -(2**63) <= value < 2**63 else str(value)
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return timestamp_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError("unexpected value %r" % (value,))


def connect():
    """An in-memory DuckDB connection holding the fixture tables `events` and `lineitem`."""
    import duckdb

    connection = duckdb.connect()
    csv = os.path.join(ROOT, "Fixtures", "sql", "events.csv")
    connection.execute(
        # Columns in the order of Strata's table (time, dimensions, metrics), so SELECT * agrees.
        """CREATE TABLE events AS SELECT ts, user_id, event, experiment, variant, country, platform, app_version,
               is_new_user, revenue, latency_ms
           FROM read_csv(?, header = true, columns = {
            'ts': 'TIMESTAMP', 'user_id': 'VARCHAR', 'event': 'VARCHAR', 'experiment': 'VARCHAR',
            'variant': 'VARCHAR', 'country': 'VARCHAR', 'platform': 'VARCHAR', 'app_version': 'VARCHAR',
            'revenue': 'DOUBLE', 'latency_ms': 'BIGINT', 'is_new_user': 'BOOLEAN'})""",
        [csv],
    )
    lineitem = os.path.join(ROOT, "Fixtures", "sql", "lineitem.csv")
    connection.execute(
        # Strata's order again: l_shipdate is the table's timestamp (Fixtures/lineitem-spec.json).
        """CREATE TABLE lineitem AS SELECT l_shipdate, l_orderkey, l_linenumber, l_returnflag, l_linestatus,
               l_shipmode, l_quantity, l_extendedprice, l_discount, l_tax
           FROM read_csv(?, header = true, columns = {
            'l_shipdate': 'TIMESTAMP', 'l_orderkey': 'BIGINT', 'l_linenumber': 'BIGINT', 'l_returnflag': 'VARCHAR',
            'l_linestatus': 'VARCHAR', 'l_shipmode': 'VARCHAR', 'l_quantity': 'DECIMAL(15,2)',
            'l_extendedprice': 'DECIMAL(15,2)', 'l_discount': 'DECIMAL(15,2)', 'l_tax': 'DECIMAL(15,2)'})""",
        [lineitem],
    )
    return connection


def answer(connection, query):
    """DuckDB's answer to one query ({"name", "sql"}) as a golden entry: columns, types and rows, or error."""
    import duckdb

    entry = {"name": query["name"], "sql": query["sql"]}
    try:
        cursor = connection.execute(query["sql"])
        entry["columns"] = [d[0] for d in cursor.description]
        entry["types"] = [str(d[1]) for d in cursor.description]
        entry["rows"] = [[cell(v) for v in row] for row in cursor.fetchall()]
    except duckdb.Error as error:
        entry["error"] = str(error)
    return entry


def write_golden(out, results, dataset="Fixtures/sql/events.csv, Fixtures/sql/lineitem.csv"):
    """Writes golden answers in the format SQLGoldenTests reads."""
    import duckdb

    golden = {
        "duckdb": duckdb.__version__,
        "dataset": dataset,
        "queries": results,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1, ensure_ascii=False)
        f.write("\n")
    failed = [r["name"] for r in results if "error" in r]
    print("wrote %s: %d queries%s" % (out, len(results), ", DuckDB failed: " + ", ".join(failed) if failed else ""))


def query_files():
    """Fixtures/sql/queries.sql -> golden.json, and each queries-TOPIC.sql -> golden-TOPIC.json (one file per
    feature family, so work on different families never edits the same golden file)."""
    folder = os.path.join(ROOT, "Fixtures", "sql")
    pairs = [("queries.sql", "golden.json")]
    for name in sorted(os.listdir(folder)):
        if name.startswith("queries-") and name.endswith(".sql"):
            pairs.append((name, "golden-" + name[len("queries-"):-len(".sql")] + ".json"))
    return [(os.path.join(folder, q), os.path.join(folder, g)) for q, g in pairs]


def main():
    ensure_duckdb()
    for source, out in query_files():
        # A fresh connection per file: a file's statements may change the tables (DDL, DML, settings).
        connection = connect()
        results = [answer(connection, query) for query in read_queries(source)]
        write_golden(out, results)


if __name__ == "__main__":
    main()
