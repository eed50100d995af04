#!/usr/bin/env python3
"""Checks `strata experiment` against DuckDB: the same per-variant sufficient statistics computed with SQL.

Both engines read the same `events` CSV files (`strata generate`), Strata after `strata ingest`. For each
experiment the script runs `strata experiment --format json` with a fixed set of metrics (count, sum,
binomial, ratio, a 7-day window, a CUPED covariate, an event-level quantile), then computes in DuckDB, the
slow and obvious way: each unit's first exposure and variant (units seen in more than one variant
excluded), per-unit sums over the unit's rows (any experiment tag) in the window after the exposure, then
per variant n, Σy, Σy² (and Σz, Σz², Σyz for ratios, Σx, Σx², Σxy for CUPED), and compares them at a
relative tolerance of 1e-9.

Usage (own virtual environment):
    python3 -m venv Benchmarks/peers/.venv && Benchmarks/peers/.venv/bin/pip install duckdb
    strata generate --rows 1000000 --out /tmp/events-csv
    strata ingest --db /tmp/events-db --table events --spec Fixtures/events-spec.json /tmp/events-csv/*.csv
    Benchmarks/peers/.venv/bin/python Benchmarks/peers/experiment_check.py \
        --csv /tmp/events-csv --db /tmp/events-db --strata .build/release/strata --experiments exp_000 exp_007

Exit status 0 when every statistic matches.
"""

import argparse
import json
import subprocess
import sys

import duckdb

DAY = "INTERVAL 1 DAY"

# name, strata metric, DuckDB per-unit expressions (y, z or None, x or None); `e` is the event row,
# `u.first_ts` the unit's first exposure. Aggregates run over the unit's LEFT JOINed rows.
POST = "e.ts >= u.first_ts"
WEEK = "e.ts >= u.first_ts AND e.ts < u.first_ts + INTERVAL 7 DAY"
PRE7 = "e.ts >= u.first_ts - INTERVAL 7 DAY AND e.ts < u.first_ts"
PURCHASE = "e.event = 'purchase'"

METRICS = [
    ("purchases", "purchases=count(event = 'purchase')",
     f"count(*) FILTER (WHERE {PURCHASE} AND {POST})", None, None),
    ("revenue", "revenue=sum(revenue)",
     f"coalesce(sum(e.revenue) FILTER (WHERE {POST}), 0)", None, None),
    ("converted", "converted=binomial(event = 'purchase')",
     f"CASE WHEN count(*) FILTER (WHERE {PURCHASE} AND {POST}) > 0 THEN 1 ELSE 0 END", None, None),
    ("aov", "aov=ratio(sum(revenue, event = 'purchase'), count(event = 'purchase'))",
     f"coalesce(sum(e.revenue) FILTER (WHERE {PURCHASE} AND {POST}), 0)",
     f"count(*) FILTER (WHERE {PURCHASE} AND {POST})", None),
    ("searches_7d", "searches_7d=count(event = 'search') window=0d..7d cuped=7d",
     f"count(*) FILTER (WHERE e.event = 'search' AND {WEEK})", None,
     f"count(*) FILTER (WHERE e.event = 'search' AND {PRE7})"),
    ("revenue_cuped", "revenue_cuped=sum(revenue) cuped=7d",
     f"coalesce(sum(e.revenue) FILTER (WHERE {POST}), 0)", None,
     f"coalesce(sum(e.revenue) FILTER (WHERE {PRE7}), 0)"),
]
QUANTILE = ("p90_search_latency", "p90_search_latency=quantile(latency_ms, 0.9, event = 'search')", 0.9)


def strata_report(args, experiment):
    command = [args.strata, "experiment", "--db", args.db, "--table", args.table, "--experiment", experiment,
               "--format", "json"]
    for _, metric, *_ in METRICS:
        command += ["--metric", metric]
    command += ["--metric", QUANTILE[1]]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def duckdb_statistics(con, experiment):
    per_unit = ",\n".join(
        f"{y} AS {name}_y" + (f", {z} AS {name}_z" if z else "") + (f", {x} AS {name}_x" if x else "")
        for name, _, y, z, x in METRICS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE units AS
        SELECT user_id, min(ts) AS first_ts, min(variant) AS variant
        FROM events WHERE experiment = ? AND event = 'exposure'
        GROUP BY user_id HAVING count(DISTINCT variant) = 1""", [experiment])
    excluded = con.execute(f"""
        SELECT count(*) FROM (SELECT user_id FROM events WHERE experiment = ? AND event = 'exposure'
                              GROUP BY user_id HAVING count(DISTINCT variant) > 1)""", [experiment]).fetchone()[0]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE per_unit AS
        SELECT u.user_id, u.variant, {per_unit}
        FROM units u LEFT JOIN events e ON e.user_id = u.user_id
        GROUP BY u.user_id, u.variant""")
    stats = {}
    for name, _, _, z, x in METRICS:
        cols = [f"count(*)", f"sum({name}_y)", f"sum({name}_y * {name}_y)"]
        keys = ["units", "sum", "sum_squares"]
        if z:
            cols += [f"sum({name}_z)", f"sum({name}_z * {name}_z)", f"sum({name}_y * {name}_z)"]
            keys += ["denominator_sum", "denominator_sum_squares", "sum_products"]
        if x:
            cols += [f"sum({name}_x)", f"sum({name}_x * {name}_x)", f"sum({name}_x * {name}_y)"]
            keys += ["covariate_sum", "covariate_sum_squares", "covariate_sum_products"]
        rows = con.execute(f"SELECT variant, {', '.join(cols)} FROM per_unit GROUP BY variant").fetchall()
        stats[name] = {r[0]: dict(zip(keys, (float(v) for v in r[1:]))) for r in rows}
    # Event-level quantile: every matching event of the variant's units in the window, pooled.
    name, _, level = QUANTILE
    rows = con.execute(f"""
        SELECT u.variant, count(*), quantile_cont(e.latency_ms, {level})
        FROM units u JOIN events e ON e.user_id = u.user_id
        WHERE e.event = 'search' AND e.ts >= u.first_ts AND e.latency_ms IS NOT NULL
        GROUP BY u.variant""").fetchall()
    stats[name] = {r[0]: {"events": float(r[1]), "quantile": float(r[2])} for r in rows}
    return stats, excluded


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", required=True, help="directory of events-*.csv")
    parser.add_argument("--db", required=True, help="Strata database holding the same files")
    parser.add_argument("--table", default="events")
    parser.add_argument("--strata", default=".build/release/strata")
    parser.add_argument("--experiments", nargs="+", default=["exp_000"])
    args = parser.parse_args()

    con = duckdb.connect()
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{args.csv}/events-*.csv', header = true)")
    total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"DuckDB {duckdb.__version__}: {total} rows from {args.csv}")
    failures = 0
    checked = 0
    for experiment in args.experiments:
        report = strata_report(args, experiment)
        expected, excluded = duckdb_statistics(con, experiment)
        if report["excluded_units"] != excluded:
            print(f"MISMATCH {experiment} excluded_units: strata {report['excluded_units']}, duckdb {excluded}")
            failures += 1
        for metric in report["metrics"]:
            for variant in metric["variants"]:
                want = expected[metric["name"]].get(variant["variant"])
                if want is None:
                    print(f"MISMATCH {experiment} {metric['name']} {variant['variant']}: not in DuckDB's answer")
                    failures += 1
                    continue
                for key, value in want.items():
                    checked += 1
                    if not close(float(variant[key]), value):
                        failures += 1
                        print(f"MISMATCH {experiment} {metric['name']} {variant['variant']} {key}: "
                              f"strata {variant[key]!r}, duckdb {value!r}")
        units = ", ".join(f"{k} {v}" for k, v in report["units"].items())
        print(f"{experiment}: units {units}; excluded {report['excluded_units']}; "
              f"srm p {report['srm_p_value']:.4f}")
    print(f"{checked} statistics compared, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
