#!/usr/bin/env python3
"""DuckDB's answers to the bench suites, for `strata bench --answers` (CI checks every answer).

    python3 Benchmarks/peers/bench_answers.py [--rows 1000000] [--data DIR] [--strata PATH] [--queries FILE ...]

Generates the events CSV with `strata generate` (seed 42, as `strata bench` does) unless --data already
holds it, loads it into DuckDB 2.0 (its own venv, as sql_golden.py) and runs every query of each suite file
(default Benchmarks/queries/events.sql and dashboard.sql, as `strata bench`). Writes one answers file per
suite file, Benchmarks/queries/STEM-answers-ROWS.json for STEM.sql:

    {"rows": ROWS, "suite": "STEM.sql", "duckdb": VERSION,
     "queries": {NAME: {"columns": [...], "rows": [[...]], "approximate": BOOL}}}

Cells are normalized as compare.py normalizes them (timestamps and dates as "YYYY-MM-DD HH:MM:SS.mmm",
DECIMAL as a number). An approximate query ("-- approximates: EXACT") holds the exact query's rows:
`strata bench` holds its approx_* columns to them within 3%, the suite's bound. A "-- check: shape" query
(SELECT * … LIMIT: no full order) holds DuckDB's rows too, but only their row and column counts are compared.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import sql_golden  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", help="CSV directory (default /tmp/strata-bench/events-ROWS)")
    parser.add_argument("--strata", help="strata binary (default .build/release/strata, built if missing)")
    parser.add_argument("--queries", action="append", help="a suite file; repeat for several "
                        "(default: events.sql and dashboard.sql of Benchmarks/queries)")
    parser.add_argument("--out", help="answers file, for a single --queries file "
                        "(default Benchmarks/queries/STEM-answers-ROWS.json)")
    args = parser.parse_args()
    args.queries = args.queries or [compare.QUERIES, os.path.join(compare.BENCH, "queries", "dashboard.sql")]
    if args.out and len(args.queries) > 1:
        parser.error("--out needs a single --queries file")
    args.data = args.data or f"/tmp/strata-bench/events-{args.rows}"
    sql_golden.ensure_duckdb()
    import duckdb

    files, _ = compare.ensure_data(args, compare.strata_binary(args))
    con = duckdb.connect()
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{args.data}/*.csv', header = true)")
    for path in args.queries:
        stem = os.path.splitext(os.path.basename(path))[0]
        out = args.out or os.path.join(compare.BENCH, "queries", f"{stem}-answers-{args.rows}.json")
        write_answers(con, duckdb.__version__, path, args.rows, out)
        print(f"wrote {out} ({len(files)} CSV files)", file=sys.stderr)


def write_answers(con, version, path, rows_count, out):
    queries = compare.read_queries(path)
    by_name = {q["name"]: q for q in queries}
    answers = {}
    for q in queries:
        source = by_name[q["exact"]] if q["exact"] else q
        cursor = con.execute(source["sql"])
        columns = [d[0] for d in cursor.description]
        rows = [[compare.normalize(v) for v in row] for row in cursor.fetchall()]
        if q["exact"]:
            columns = [d[0] for d in con.execute(q["sql"]).description]
        answers[q["name"]] = {"columns": columns, "rows": rows, "approximate": bool(q["exact"])}
        print(f"{q['name']}: {len(rows)} rows", file=sys.stderr)
    suite = os.path.basename(path)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"rows": rows_count, "suite": suite, "duckdb": version, "queries": answers}, f, indent=1,
                  default=str)
        f.write("\n")


if __name__ == "__main__":
    main()
