#!/usr/bin/env python3
"""TPC-H: Strata against DuckDB and embedded ClickHouse (chdb), in one run, on the same tpchgen-cli data.

    python3 Benchmarks/tpch/tpch_bench.py [--sf 1] [--runs 5] [--data DIR] [--engines strata,duckdb,clickhouse]

Uses Benchmarks/peers/.venv (as compare.py does; adds tpchgen-cli to it) and generates the eight tables with
`tpchgen-cli csv -s SF` into DIR unless they are there. Each engine runs in its own process:

- Strata: `strata ingest` of each table with its plain spec (Benchmarks/tpch/specs: lineitem and orders
  partitioned by month of ship and order date, the six others without a time column), then for each query
  `strata query --format json --timing --repeat R+1` (the first run is the warm-up; times are the engine's).
- DuckDB: the tables as tpch_golden.py creates them (the spec's column types), in a database file, CHECKPOINT;
  each query once to warm up, then R times, fetching all rows.
- ClickHouse (chdb): MergeTree tables ordered by their first key; the same SQL text with correlated subqueries
  enabled (`allow_experimental_correlated_subqueries`); a query ClickHouse refuses is reported, not timed.

Strata's answers are checked against DuckDB's cell by cell (compare.py's rules: decimals to 1e-9 relative);
a wrong answer is reported and left out of the geometric mean. Ratios are Strata's median over DuckDB's.
"""

import argparse
import decimal
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "peers"))
import compare  # noqa: E402
import tpch_golden  # noqa: E402

TABLES = tpch_golden.TABLES


def ensure_data(args):
    if all(os.path.exists(os.path.join(args.data, t + ".csv")) for t in TABLES):
        return
    tool = os.path.join(os.path.dirname(sys.executable), "tpchgen-cli")
    if not os.path.exists(tool):
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "tpchgen-cli"])
    os.makedirs(args.data, exist_ok=True)
    subprocess.check_call([tool, "csv", "-s", str(args.sf), "--output-dir", args.data])


def queries():
    return tpch_golden.queries()


def worker_strata(args, qs):
    strata = compare.strata_binary(args)
    db = os.path.join(args.workdir, "strata")
    ingest = {"rows": 0, "seconds": 0.0}
    for table in TABLES:
        spec = os.path.join(HERE, "specs", table + ".json")
        part = compare.strata_ingest(strata, db, table, spec, [os.path.join(args.data, table + ".csv")])
        ingest["rows"] += part["rows"]
        ingest["seconds"] += part["seconds"]
    ingest["bytes"] = compare.directory_bytes(db)
    version = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    results, peak = compare.strata_queries(strata, db, qs, args.runs)
    return {"version": version.stdout.strip(), "ingest": ingest, "queries": results, "peak_queries": peak}


def worker_duckdb(args, qs):
    import duckdb

    path = os.path.join(args.workdir, "tpch.duckdb")
    con = duckdb.connect(path)
    start = time.perf_counter()
    tpch_golden.load(con, args.data)
    con.execute("CHECKPOINT")
    out = {"version": duckdb.__version__, "ingest": {"seconds": time.perf_counter() - start}, "queries": {}}
    for q in qs:
        try:
            times, rows = compare.timed_runs(lambda: con.execute(q["sql"]).fetchall(), args.runs)
            out["queries"][q["name"]] = {"times": times, "rows": [[exact(v) for v in r] for r in rows]}
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e)[:300]}
    return out


def exact(value):
    """A DECIMAL as its exact text marked for the comparison (JSON has no decimals)."""
    return {"decimal": str(value)} if isinstance(value, decimal.Decimal) else value


def comparable(value):
    """A cell as compare.py's rules compare it: a DECIMAL as the nearest double, like Strata's JSON number."""
    if isinstance(value, dict) and "decimal" in value:
        return float(decimal.Decimal(value["decimal"]))
    return value


CLICKHOUSE_TYPES = {"int64": "Int64", "string": "String", "timestamp": "DateTime64(3)", "date": "Date", "double": "Float64"}


def worker_clickhouse(args, qs):
    import chdb
    from chdb import session

    sess = session.Session(os.path.join(args.workdir, "chdb"))
    start = time.perf_counter()
    for table in TABLES:
        with open(os.path.join(HERE, "specs", table + ".json"), encoding="utf-8") as f:
            spec = json.load(f)
        columns = []
        if "timestamp" in spec:
            columns.append((spec["timestamp"]["column"], CLICKHOUSE_TYPES[spec["timestamp"].get("type", "timestamp")]))
        for c in spec["dimensions"] + spec["metrics"]:
            kind = "Decimal(%d, %d)" % (c["precision"], c["scale"]) if c["type"] == "decimal" else CLICKHOUSE_TYPES[c["type"]]
            columns.append((c["name"], kind))
        key = spec["dimensions"][0]["name"]
        sess.query("CREATE TABLE %s (%s) ENGINE = MergeTree ORDER BY %s" % (
            table, ", ".join("%s %s" % c for c in columns), key))
        sess.query("INSERT INTO %s SELECT %s FROM file('%s', 'CSVWithNames')" % (
            table, ", ".join(c[0] for c in columns), os.path.join(args.data, table + ".csv")))
        sess.query("OPTIMIZE TABLE %s FINAL" % table)
    out = {"version": str(sess.query("SELECT version()", "CSV")).strip().strip('"') + f" (chdb {chdb.__version__})",
           "ingest": {"seconds": time.perf_counter() - start}, "queries": {}}
    settings = "SETTINGS allow_experimental_correlated_subqueries = 1, output_format_json_quote_64bit_integers = 0"
    for q in qs:
        sql = q["sql"] + "\n" + settings
        try:
            times, result = compare.timed_runs(lambda: json.loads(sess.query(sql, "JSONCompact").bytes()), args.runs)
            out["queries"][q["name"]] = {"times": times, "rows": result["data"]}
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e).strip().splitlines()[0][:300]}
    sess.close()
    return out


WORKERS = {"strata": worker_strata, "duckdb": worker_duckdb, "clickhouse": worker_clickhouse}


def verdict(strata, duck):
    expected = [[comparable(v) for v in row] for row in duck["rows"]]
    diff = compare.difference(expected, strata["rows"], [])
    return "same as DuckDB" if diff is None else "DIFFERS: " + diff


def report(args, qs, results):
    compare.engines_report(
        f"# TPC-H SF {args.sf}, {args.runs} runs per query (median ms)", "query", "queries", [q["name"] for q in qs], results,
        verdict)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sf", default="1")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data")
    parser.add_argument("--workdir")
    parser.add_argument("--engines", default="strata,duckdb,clickhouse")
    parser.add_argument("--strata")
    parser.add_argument("--worker")
    parser.add_argument("--out")
    parser.add_argument("--report", help="print the report of an earlier run's WORKDIR (its engines' JSON)")
    args = parser.parse_args()
    if args.report:
        results = compare.load_engine_results(args.report)
        report(args, queries(), results)
        return
    compare.ensure_venv()
    args.data = args.data or f"/tmp/strata-tpch/sf{args.sf}"
    qs = queries()
    if args.worker:
        out = WORKERS[args.worker](args, qs)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(out, f, default=str)
        return
    ensure_data(args)
    args.workdir = args.workdir or f"/tmp/strata-tpch/work-{os.getpid()}"
    worker_args = ["--sf", args.sf, "--runs", str(args.runs), "--data", args.data] + (
        ["--strata", args.strata] if args.strata else [])
    results = compare.run_engine_workers(__file__, args.workdir, args.engines.split(","), worker_args)
    report(args, qs, results)


if __name__ == "__main__":
    main()
