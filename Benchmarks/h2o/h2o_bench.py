#!/usr/bin/env python3
"""H2O.ai db-benchmark groupby (q1-q10): Strata against DuckDB and embedded ClickHouse (chdb), in one run.

    python3 Benchmarks/h2o/h2o_bench.py [--rows 10000000] [--runs 3] [--data DIR] [--workdir DIR]
                                         [--engines strata,duckdb,clickhouse]

The table is G1_<rows>_1e2_0_0 (100 groups per id1/id2/id4/id5, rows/100 per id3/id6, no NULLs, unsorted), written
as CSV by `generate` below: the db-benchmark's R generator's columns and ranges (id1, id2 'id001'..'id100', id3
'id0000000001'.., id4, id5 1..100, id6 1..rows/100, v1 1..5, v2 1..15, v3 uniform [0, 100) to 6 decimals), drawn
from DuckDB 2.0's hash() of the row number, so the file is the same on every machine.

- Strata: `strata ingest` with the plain spec `x-spec.json` (a table without a time column, as a user writes it);
  each question of `groupby-duckdb.sql` (DuckDB's published SQL, `CREATE TABLE ans AS …`) by `strata query
  --timing` (the engine's time, one process per run, `DROP TABLE ans` between runs).
- DuckDB: the CSV loaded into a database file (`CREATE TABLE x AS SELECT * FROM read_csv(…)`); the same SQL text.
- ClickHouse (chdb): a MergeTree table; ClickHouse's published SQL (`groupby-clickhouse.sql`, ENGINE = Memory).

One warm-up run, then --runs timed ones; ratios are medians. Strata's `ans` is checked against DuckDB's: every row
(both sorted) when there are at most 250,000, else a checksum (row count and the sum of every numeric column).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "peers"))
import compare  # noqa: E402

FULL_ROWS = 250_000


def read_queries(path):
    return [{"name": n, "sql": q.strip()} for n, q in re.findall(r"-- name: (\w+)\n(.*?);\n", open(path).read(), re.S)]


def csv_path(args):
    return os.path.join(args.data, f"G1_{args.rows}_1e2_0_0.csv")


def generate(args):
    import duckdb

    path = csv_path(args)
    if os.path.exists(path):
        return path
    os.makedirs(args.data, exist_ok=True)
    n, k = args.rows, 100
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT
        printf('id%03d', hash(i, 1) % {k} + 1) AS id1,
        printf('id%03d', hash(i, 2) % {k} + 1) AS id2,
        printf('id%010d', hash(i, 3) % {n // k} + 1) AS id3,
        (hash(i, 4) % {k} + 1)::BIGINT AS id4,
        (hash(i, 5) % {k} + 1)::BIGINT AS id5,
        (hash(i, 6) % {n // k} + 1)::BIGINT AS id6,
        (hash(i, 7) % 5 + 1)::BIGINT AS v1,
        (hash(i, 8) % 15 + 1)::BIGINT AS v2,
        round((hash(i, 9) % 100000000) / 1000000.0, 6) AS v3
        FROM range({n}) t(i)) TO '{path}.tmp' (HEADER, FORMAT csv)""")
    os.rename(path + ".tmp", path)
    return path


def check_query(columns, numeric):
    sums = ", ".join(f"sum({c})" for c, is_number in zip(columns, numeric) if is_number)
    return "SELECT count(*)" + (", " + sums if sums else "") + " FROM ans"


def worker_strata(args, qs):
    strata = compare.strata_binary(args)
    db = os.path.join(args.workdir, "strata")
    ingest = compare.strata_ingest(strata, db, "x", os.path.join(HERE, "x-spec.json"), [csv_path(args)])
    version = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    out = {"version": version.stdout.strip(), "ingest": ingest, "queries": {}}

    def sql(text, *extra):
        code, stdout, stderr, rss = compare.run_child([strata, "query", "--db", db, *extra, text])
        if code != 0:
            raise RuntimeError(stderr.strip().splitlines()[0] if stderr.strip() else f"exit {code}")
        return stdout, stderr, rss

    for q in qs:
        try:
            times, peak = [], 0
            for run in range(args.runs + 1):
                sql("DROP TABLE IF EXISTS ans")
                _, stderr, rss = sql(q["sql"], "--timing")
                peak = max(peak, rss)
                if run:
                    times.append(float(re.search(r"^time_ms=([0-9.]+)", stderr, re.M).group(1)))
            described = json.loads(sql("DESCRIBE ans", "--format", "json")[0])
            columns = [d["column_name"] for d in described]
            numeric = [d["column_type"] in ("BIGINT", "DOUBLE", "HUGEINT") or d["column_type"].startswith("DECIMAL")
                       for d in described]
            check = [list(r.values()) for r in json.loads(sql(check_query(columns, numeric), "--format", "json")[0])]
            entry = {"times": times, "peak": peak, "columns": columns, "check": check}
            if check[0][0] <= FULL_ROWS:
                entry["rows"] = [list(r.values()) for r in json.loads(sql("SELECT * FROM ans", "--format", "json")[0])]
            out["queries"][q["name"]] = entry
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e)[:300]}
    return out


def worker_duckdb(args, qs):
    import duckdb

    con = duckdb.connect(os.path.join(args.workdir, "x.duckdb"))
    start = time.perf_counter()
    con.execute("CREATE TABLE x AS SELECT * FROM read_csv(?)", [csv_path(args)])
    con.execute("CHECKPOINT")
    out = {"version": duckdb.__version__, "ingest": {"seconds": time.perf_counter() - start}, "queries": {}}
    for q in qs:
        try:
            times = []
            for run in range(args.runs + 1):
                con.execute("DROP TABLE IF EXISTS ans")
                t = time.perf_counter()
                con.execute(q["sql"])
                if run:
                    times.append((time.perf_counter() - t) * 1000)
            described = con.execute("DESCRIBE ans").fetchall()
            columns = [d[0] for d in described]
            numeric = [d[1] in ("BIGINT", "DOUBLE", "HUGEINT", "INTEGER") or d[1].startswith("DECIMAL") for d in described]
            check = [list(r) for r in con.execute(check_query(columns, numeric)).fetchall()]
            entry = {"times": times, "columns": columns, "check": check}
            if check[0][0] <= FULL_ROWS:
                entry["rows"] = [list(r) for r in con.execute("SELECT * FROM ans").fetchall()]
            out["queries"][q["name"]] = entry
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e)[:300]}
    return out


def worker_clickhouse(args, qs):
    import chdb
    from chdb import session

    sess = session.Session(os.path.join(args.workdir, "chdb"))
    start = time.perf_counter()
    sess.query("CREATE TABLE x (id1 String, id2 String, id3 String, id4 Int64, id5 Int64, id6 Int64, v1 Int64, "
               "v2 Int64, v3 Float64) ENGINE = MergeTree ORDER BY tuple()")
    sess.query(f"INSERT INTO x SELECT * FROM file('{csv_path(args)}', 'CSVWithNames')")
    sess.query("OPTIMIZE TABLE x FINAL")
    out = {"version": str(sess.query("SELECT version()", "CSV")).strip().strip('"') + f" (chdb {chdb.__version__})",
           "ingest": {"seconds": time.perf_counter() - start}, "queries": {}}
    for q in read_queries(os.path.join(HERE, "groupby-clickhouse.sql")):
        try:
            times = []
            for run in range(args.runs + 1):
                sess.query("DROP TABLE IF EXISTS ans")
                t = time.perf_counter()
                sess.query(q["sql"])
                if run:
                    times.append((time.perf_counter() - t) * 1000)
            out["queries"][q["name"]] = {"times": times}
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e).strip().splitlines()[0][:300]}
    sess.close()
    return out


WORKERS = {"strata": worker_strata, "duckdb": worker_duckdb, "clickhouse": worker_clickhouse}


def sort_key(row):
    return [(v is None, str(type(v)), v if v is not None else 0) for v in row]


def difference(expected, actual):
    """compare.difference, but doubles within 1e-12 of each other also agree: q9's r2 is corr² of uncorrelated
    columns in some groups, rounding noise near 0 (1e-34) that no two engines compute alike."""
    if len(expected) == len(actual):
        for want, got in zip(expected, actual):
            for c, (x, y) in enumerate(zip(want, got)):
                if isinstance(x, float) and isinstance(y, float) and abs(x - y) <= 1e-12:
                    got[c] = x
    return compare.difference(expected, actual, [])


def verdict(strata, duck):
    diff = difference(duck["check"], strata["check"])
    if diff:
        return "DIFFERS (checksum): " + diff
    if "rows" in strata and "rows" in duck:
        diff = difference(sorted(duck["rows"], key=sort_key), sorted(strata["rows"], key=sort_key))
        if diff:
            return "DIFFERS: " + diff
        return "same rows as DuckDB"
    return "same checksum as DuckDB"


def report(args, qs, results):
    compare.engines_report(
        f"# H2O groupby G1_{args.rows}_1e2_0_0, {args.runs} runs per question (median ms, CREATE TABLE ans AS)",
        "question", "questions", [q["name"] for q in qs], results, verdict)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default="/tmp/strata-h2o")
    parser.add_argument("--workdir")
    parser.add_argument("--engines", default="strata,duckdb,clickhouse")
    parser.add_argument("--strata")
    parser.add_argument("--worker")
    parser.add_argument("--out")
    parser.add_argument("--report", help="print the report of an earlier run's WORKDIR (its engines' JSON)")
    args = parser.parse_args()
    qs = read_queries(os.path.join(HERE, "groupby-duckdb.sql"))
    if args.report:
        results = compare.load_engine_results(args.report)
        report(args, qs, results)
        return
    compare.ensure_venv()
    if args.worker:
        out = WORKERS[args.worker](args, qs)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(out, f, default=str)
        return
    generate(args)
    args.workdir = args.workdir or f"/tmp/strata-h2o/work-{os.getpid()}"
    worker_args = ["--rows", str(args.rows), "--runs", str(args.runs), "--data", args.data] + (
        ["--strata", args.strata] if args.strata else [])
    results = compare.run_engine_workers(__file__, args.workdir, args.engines.split(","), worker_args)
    report(args, qs, results)


if __name__ == "__main__":
    main()
