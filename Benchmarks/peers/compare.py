#!/usr/bin/env python3
"""Strata against DuckDB and embedded ClickHouse (chdb), in one run, on the same CSV and the same SQL.

    python3 Benchmarks/peers/compare.py [--rows 10000000] [--runs 5] [--data DIR] [--engines strata,duckdb,clickhouse]

Creates Benchmarks/peers/.venv (gitignored) with `pip install duckdb chdb` on first use and re-runs itself
there. Generates the events CSV with `strata generate` unless DIR already holds the same rows (the marker
that `strata bench` writes), builds `strata` in release if it is missing, then runs each engine in its own
worker process (so that its load, memory and threads are its own):

- Strata: `strata ingest` of the CSV files (CSV parse + sort + encode + fsync), then for every query
  `strata query --format json --timing --repeat R+1` (the first run is the warm-up; times are the engine's:
  parse, plan, execute, materialize). The rolled-up copy (Benchmarks/queries/events_minutely-spec.json)
  is ingested into a second database and the `-- rollup: yes` queries run on it too.
- DuckDB: `CREATE TABLE events AS SELECT * FROM read_csv(...)` + `CHECKPOINT` into a database file; each
  query once to warm up, then R times, fetching all rows.
- ClickHouse (chdb): a MergeTree table, LowCardinality strings (user_id is a plain String), ORDER BY
  (experiment, ts); `INSERT INTO events SELECT * FROM file(...)`, then `OPTIMIZE TABLE events FINAL`
  (not counted in ingest: it only merges parts); queries as for DuckDB, rows as JSONCompact.

Answers are checked against DuckDB's cell by cell: integers and text exactly, doubles to 1e-9 relative,
timestamps as text with milliseconds. A query with "-- approximates: EXACT" is checked against DuckDB's
answer to the query EXACT instead: its approx_* columns within APPROX_BOUND (3%) of the exact counts. DuckDB's
own approx_count_distinct misses that bound (7.7% at 10M rows), so its error is reported, not failed.

Per-engine rewrites (REWRITES below), because ClickHouse names two aggregates differently:
    quantile_cont(x, q)        -> quantileExactInclusive(q)(x)   (same linear interpolation, R-7)
    approx_count_distinct(x)   -> uniqCombined(x)                (HyperLogLog-based, ~0.5% error)
    approx_quantile(x, q)      -> quantileDD(0.01, q)(x)         (DDSketch, 1% relative error)
Everything else is the same text on all three engines.
"""

import argparse
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
VENV = os.path.join(HERE, ".venv")
QUERIES = os.path.join(BENCH, "queries", "events.sql")
ROLLUP_SPEC = os.path.join(BENCH, "queries", "events_minutely-spec.json")
EVENTS_SPEC = os.path.join(ROOT, "Fixtures", "events-spec.json")
# --spec: the tuned spec (table dictionary for user_id, a sort key) or the one a user writes from the README.
SPECS = {"tuned": EVENTS_SPEC, "plain": os.path.join(BENCH, "queries", "events-plain-spec.json")}

APPROX_BOUND = 0.03

REWRITES = {
    "clickhouse": [
        (re.compile(r"quantile_cont\(\s*(\w+)\s*,\s*([0-9.]+)\s*\)"), r"quantileExactInclusive(\2)(\1)"),
        (re.compile(r"approx_count_distinct\("), "uniqCombined("),
        (re.compile(r"approx_quantile\(\s*(\w+)\s*,\s*([0-9.]+)\s*\)"), r"quantileDD(0.01, \2)(\1)"),
    ],
}

CLICKHOUSE_SCHEMA = """
CREATE TABLE events (
    ts DateTime64(3, 'UTC'), user_id String, event LowCardinality(String), experiment LowCardinality(String),
    variant LowCardinality(String), country LowCardinality(String), platform LowCardinality(String),
    app_version LowCardinality(String), revenue Float64, latency_ms Int64, is_new_user Bool
) ENGINE = MergeTree ORDER BY (experiment, ts)
"""


# MARK: Setup


def ensure_venv():
    try:
        import duckdb  # noqa: F401
        import chdb  # noqa: F401

        return
    except ImportError:
        pass
    if os.environ.get("COMPARE_IN_VENV"):
        # chdb may not install everywhere: go on with what imports, the workers skip the rest.
        return
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    for package in ("duckdb", "chdb"):
        check = subprocess.run([python, "-c", f"import {package}"], capture_output=True)
        if check.returncode != 0:
            result = subprocess.run([python, "-m", "pip", "install", "--quiet", package], capture_output=True, text=True)
            if result.returncode != 0:
                print(f"pip install {package} failed:\n{result.stdout}{result.stderr}", file=sys.stderr)
    env = dict(os.environ, COMPARE_IN_VENV="1")
    os.execve(python, [python] + sys.argv, env)


def read_queries(path):
    queries = []
    name, rollup, exact, shape, lines = None, False, None, False, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-- name:"):
                name, rollup, exact, shape, lines = line.split(":", 1)[1].strip(), False, None, False, []
                continue
            if name is None:
                continue
            if line.startswith("--") and not lines:
                if line.startswith("-- rollup:"):
                    rollup = line.split(":", 1)[1].strip() == "yes"
                if line.startswith("-- approximates:"):
                    exact = line.split(":", 1)[1].strip()
                if line.startswith("-- check:"):
                    shape = line.split(":", 1)[1].strip() == "shape"
                continue
            lines.append(line)
            if line.rstrip().endswith(";"):
                sql = "".join(lines).strip().rstrip(";").strip()
                queries.append({"name": name, "sql": sql, "rollup": rollup, "exact": exact, "shape": shape})
                name = None
    return queries


def rewrite(sql, engine):
    for pattern, replacement in REWRITES.get(engine, []):
        sql = pattern.sub(replacement, sql)
    return sql


def strata_binary(args):
    path = args.strata or os.path.join(ROOT, ".build", "release", "strata")
    if not os.path.exists(path):
        print("== building strata (release)", file=sys.stderr)
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "strata"], cwd=ROOT)
    return path


def ensure_data(args, strata):
    marker = os.path.join(args.data, ".strata-bench")
    expected = f"rows={args.rows} seed=42\n"
    files = csv_files(args.data)
    if os.path.exists(marker) and open(marker).read() == expected and len(files) == 30:
        return files, False
    print(f"== generating {args.rows} rows of CSV into {args.data}", file=sys.stderr)
    subprocess.check_call([strata, "generate", "--rows", str(args.rows), "--out", args.data], stdout=subprocess.DEVNULL)
    with open(marker, "w") as f:
        f.write(expected)
    return csv_files(args.data), True


def csv_files(directory):
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".csv"))


def directory_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for base, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(base, f))
    return total


def peak_rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def median(xs):
    s = sorted(xs)
    n = len(s)
    return None if n == 0 else s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


# MARK: Workers (one process per engine)


def timed_runs(run, runs):
    """One warm-up run, then `runs` timed ones; returns (times in ms, last rows)."""
    rows = run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - start) * 1000)
    return times, rows


def worker_duckdb(args, queries, files):
    import duckdb

    path = os.path.join(args.workdir, "events.duckdb")
    con = duckdb.connect(path)
    start = time.perf_counter()
    con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{args.data}/*.csv', header = true)")
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
    out = {
        "version": duckdb.__version__,
        "ingest": {"rows": rows, "seconds": seconds, "bytes": directory_bytes(path), "peak": peak_rss()},
        "queries": {},
    }
    out["peak_reset"] = reset_peak()
    for q in queries:
        sql = rewrite(q["sql"], "duckdb")
        try:
            times, result = timed_runs(lambda: con.execute(sql).fetchall(), args.runs)
            columns = [d[0] for d in con.execute(sql).description]
            out["queries"][q["name"]] = {"times": times, "rows": [list(r) for r in result], "columns": columns}
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e)}
    out["peak_queries"] = peak_rss()
    return out


def worker_clickhouse(args, queries, files):
    import chdb
    from chdb import session

    path = os.path.join(args.workdir, "chdb")
    sess = session.Session(path)
    settings = "SETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_denormals = 1"
    sess.query(CLICKHOUSE_SCHEMA)
    start = time.perf_counter()
    sess.query(f"INSERT INTO events SELECT * FROM file('{args.data}/*.csv', 'CSVWithNames')")
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    sess.query("OPTIMIZE TABLE events FINAL")
    optimize = time.perf_counter() - start
    rows = int(str(sess.query("SELECT count() FROM events", "CSV")).strip())
    size = int(
        str(sess.query("SELECT sum(bytes_on_disk) FROM system.parts WHERE table = 'events' AND active", "CSV")).strip()
    )
    out = {
        "version": str(sess.query("SELECT version()", "CSV")).strip().strip('"') + f" (chdb {chdb.__version__})",
        "ingest": {"rows": rows, "seconds": seconds, "bytes": size, "optimize_seconds": optimize, "peak": peak_rss()},
        "queries": {},
    }
    out["peak_reset"] = reset_peak()
    for q in queries:
        sql = rewrite(q["sql"], "clickhouse") + "\n" + settings
        try:
            times, result = timed_runs(lambda: json.loads(sess.query(sql, "JSONCompact").bytes()), args.runs)
            columns = [c["name"] for c in result["meta"]]
            out["queries"][q["name"]] = {"times": times, "rows": result["data"], "columns": columns}
        except Exception as e:  # noqa: BLE001
            out["queries"][q["name"]] = {"error": str(e).strip()[:500]}
    out["peak_queries"] = peak_rss()
    sess.close()
    return out



def run_engine_workers(script, workdir, engines, worker_args):
    """Runs `script --worker ENGINE --out WORKDIR/ENGINE.json --workdir WORKDIR/ENGINE WORKER_ARGS` for each engine,
    each in its own process (its memory and threads its own); returns {engine: its JSON} for those that finished."""
    results = {}
    for engine in engines:
        os.makedirs(os.path.join(workdir, engine), exist_ok=True)
        out = os.path.join(workdir, engine + ".json")
        command = [sys.executable, script, "--worker", engine, "--out", out,
                   "--workdir", os.path.join(workdir, engine)] + worker_args
        if subprocess.run(command).returncode != 0:
            print(f"{engine} worker failed", file=sys.stderr)
            continue
        with open(out, encoding="utf-8") as f:
            results[engine] = json.load(f)
    return results


def load_engine_results(workdir):
    """The engines' JSON of an earlier run's WORKDIR (for --report)."""
    results = {}
    for engine in ("strata", "duckdb", "clickhouse"):
        path = os.path.join(workdir, engine + ".json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                results[engine] = json.load(f)
    return results


def engines_report(title, noun, nouns, names, results, verdict):
    """The table of a peer run (TPC-H, H2O): each engine's median per query, Strata's ratio to DuckDB and
    `verdict(strata_entry, duckdb_entry)` (a text starting "same" when Strata's answer is DuckDB's), then the
    geometric means (Strata's over the queries answered as DuckDB does) and every engine's errors."""
    engines = [e for e in ("strata", "duckdb", "clickhouse") if e in results]
    print(title)
    for e in engines:
        print(f"- {e}: {results[e].get('version', '?')}, load {results[e]['ingest']['seconds']:.1f} s")
    print()
    print(f"| {noun} | " + " | ".join(engines) + " | strata / duckdb | answer |")
    print("|---|" + "---|" * (len(engines) + 2))
    ratios = []
    duck = results.get("duckdb", {}).get("queries", {})
    for name in names:
        cells = []
        for e in engines:
            r = results[e]["queries"].get(name, {})
            cells.append("error" if "error" in r else fmt_ms(median(r["times"])))
        s = results.get("strata", {}).get("queries", {}).get(name, {})
        d = duck.get(name, {})
        ratio, answer = "—", "—"
        if "times" in s and "times" in d:
            answer = verdict(s, d)
            r = median(s["times"]) / median(d["times"])
            ratio = f"{r:.2f}"
            if answer.startswith("same"):
                ratios.append(r)
        elif "error" in s:
            answer = "strata error: " + s["error"][:120]
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} | {answer} |")
    g = geomean(ratios)
    print()
    print(f"geometric mean strata/duckdb over {len(ratios)} {nouns} answered as DuckDB does: "
          + (f"{g:.2f}; worst {max(ratios):.2f}" if g else "—"))
    clickhouse = results.get("clickhouse", {}).get("queries", {})
    peer = [median(clickhouse[n]["times"]) / median(duck[n]["times"])
            for n in names if "times" in clickhouse.get(n, {}) and "times" in duck.get(n, {})]
    if peer:
        print(f"geometric mean clickhouse/duckdb over {len(peer)} {nouns} (times only; answers not compared): "
              f"{geomean(peer):.2f}")
    for e in engines:
        for name, r in results[e]["queries"].items():
            if "error" in r:
                print(f"- {e} {name}: {r['error']}")

def run_child(command):
    """Runs a command; returns (exit code, stdout, stderr, peak RSS bytes) from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode(), err.read().decode(), usage.ru_maxrss * 1024


def strata_ingest(strata, db, table, spec, files):
    start = time.perf_counter()
    code, out, err, peak = run_child([strata, "ingest", "--db", db, "--table", table, "--spec", spec] + files)
    seconds = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"strata ingest failed: {err}")
    stored = sum(int(m.group(1)) for m in re.finditer(r"^ok .*: (\d+) rows stored", out, re.M))
    return {"rows": stored, "seconds": seconds, "bytes": directory_bytes(db), "peak": peak}


def strata_queries(strata, db, queries, runs, table=None):
    results, peak = {}, 0
    for q in queries:
        sql = q["sql"] if table is None else re.sub(r"\bFROM events\b", "FROM " + table, q["sql"])
        code, out, err, rss = run_child(
            [strata, "query", "--db", db, "--format", "json", "--timing", "--repeat", str(runs + 1), sql]
        )
        peak = max(peak, rss)
        if code != 0:
            results[q["name"]] = {"error": err.strip().splitlines()[0] if err.strip() else f"exit {code}"}
            continue
        times = [float(m) for m in re.findall(r"^time_ms=([0-9.]+)", err, re.M)][1:]
        records = json.loads(out)
        rows = [list(r.values()) for r in records]
        results[q["name"]] = {"times": times, "rows": rows, "columns": list(records[0].keys()) if records else [],
                              "peak": rss}
    return results, peak


def worker_strata(args, queries, files):
    strata = strata_binary(args)
    db = os.path.join(args.workdir, "strata")
    out = {"version": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True).stdout.strip()}
    spec = SPECS.get(args.worker.partition("-")[2] or "tuned")
    out["spec"] = os.path.relpath(spec, ROOT)
    out["ingest"] = strata_ingest(strata, db, "events", spec, files)
    out["queries"], out["peak_queries"] = strata_queries(strata, db, queries, args.runs)
    if not any(q["rollup"] for q in queries):
        return out
    rollup_db = os.path.join(args.workdir, "strata-rollup")
    out["rollup_ingest"] = strata_ingest(strata, rollup_db, "events_minutely", ROLLUP_SPEC, files)
    rows = run_child([strata, "query", "--db", rollup_db, "--format", "json",
                      "SELECT count(*) AS n FROM (SELECT ts FROM events_minutely) AS t"])[1]
    out["rollup_ingest"]["stored_rows"] = json.loads(rows)[0]["n"] if rows.strip() else None
    out["rollup_queries"], _ = strata_queries(
        strata, rollup_db, [q for q in queries if q["rollup"]], args.runs, table="events_minutely"
    )
    return out


WORKERS = {"strata": worker_strata, "strata-plain": worker_strata, "strata-tuned": worker_strata,
           "duckdb": worker_duckdb, "clickhouse": worker_clickhouse}


# MARK: Comparing answers

TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(\.\d+)?)?$")


def normalize(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    if isinstance(value, str):
        m = TIMESTAMP.match(value)
        if m:
            fraction = (m.group(3) or ".0")[1:]
            return f"{m.group(1)} {m.group(2) or '00:00:00'}.{(fraction + '000')[:3]}"
    if hasattr(value, "is_finite"):  # Decimal
        return float(value)
    return value


def cells_agree(a, b, approximate, bound=APPROX_BOUND):
    a, b = normalize(a), normalize(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int) and not approximate:
            return a == b
        if a == b:
            return True
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= (bound if approximate else 1e-9) * max(abs(a), abs(b))
    return a == b


def difference(expected, actual, columns):
    if len(expected) != len(actual):
        return f"{len(actual)} rows, expected {len(expected)}"
    for r, (want, got) in enumerate(zip(expected, actual)):
        if len(want) != len(got):
            return f"row {r + 1}: {len(got)} columns, expected {len(want)}"
        for c, (x, y) in enumerate(zip(want, got)):
            approximate = c < len(columns) and columns[c].startswith("approx_")
            if not cells_agree(x, y, approximate):
                return f"row {r + 1}, column {c + 1}: {y!r}, expected {x!r}"
    return None


def max_error(exact_rows, result, rows):
    """The largest relative difference of approx_* cells from the exact answer's cells."""
    columns = output_columns(result)
    worst = 0.0
    for want, got in zip(exact_rows, rows):
        for c, (x, y) in enumerate(zip(want, got)):
            if c < len(columns) and columns[c].startswith("approx_") and x:
                worst = max(worst, abs(y - x) / abs(x))
    return worst


def output_columns(result):
    """The result's column names (approx_* columns compare within 5%)."""
    return result.get("columns", [])


# MARK: Report


def fmt_ms(value):
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def report(args, queries, results, data_bytes):
    engines = [e for e in ("strata", "strata-plain", "strata-tuned", "duckdb", "clickhouse") if e in results]
    stratas = [e for e in engines if e.startswith("strata")]
    peers = [e for e in engines if not e.startswith("strata")]
    reference = "duckdb" if "duckdb" in results else engines[0]
    lines = []
    p = lines.append
    p(f"{args.rows:,} events rows; {args.runs} timed runs per query after one warm-up; medians in ms.")
    p("Engines: " + ", ".join(f"{e} {results[e].get('version', '')}" for e in engines))
    if all("load" in results[e] for e in engines):
        p("1-minute load average before/after each engine's run (2 cores): "
          + ", ".join(f"{e} {results[e]['load'][0]:.1f}/{results[e]['load'][1]:.1f}" for e in engines))
    p("")
    header = "| query | " + " | ".join(engines)
    header += "".join(f" | {NAMES[s]}/{NAMES[e]}" for s in stratas for e in peers)
    p(header + " |")
    p("|---" + "|---:" * (header.count("|") - 1) + "|")
    medians = {e: {} for e in engines}
    mismatches, notes = [], []
    for q in queries:
        name = q["name"]
        cells = []
        for e in engines:
            r = results[e]["queries"].get(name, {})
            if "error" in r:
                cells.append("error")
                mismatches.append(f"{e} {name}: ERROR {r['error']}")
                continue
            m = median(r["times"])
            medians[e][name] = m
            cells.append(fmt_ms(m))
            expected = results[reference]["queries"].get(q["exact"] or name, {})
            if (e != reference or q["exact"]) and "rows" in expected:
                if q["shape"]:
                    # No full order: only the numbers of rows and columns must agree.
                    shape = (len(r["rows"]), len(output_columns(r)))
                    want = (len(expected["rows"]), len(output_columns(expected)))
                    diff = None if shape == want else f"{shape[0]} rows of {shape[1]} columns, expected {want}"
                else:
                    diff = difference(expected["rows"], r["rows"], output_columns(r))
                if q["exact"]:
                    notes.append(f"{NAMES[e]} {name}: largest error {max_error(expected['rows'], r, r['rows']):.2%} "
                                 f"of the exact {q['exact']}")
                if diff and e == reference:
                    notes[-1] += f" (outside the {APPROX_BOUND:.0%} bound: {NAMES[e]}'s own estimator)"
                elif diff:
                    cells[-1] += " ≠"
                    mismatches.append(f"{e} {name}: {diff}")
        for st in stratas:
            for e in peers:
                s, o = medians[st].get(name), medians[e].get(name)
                cells.append(f"{s / o:.2f}" if s and o else "—")
        p(f"| {name} | " + " | ".join(cells) + " |")
    common = [q["name"] for q in queries if all(q["name"] in medians[e] for e in engines)]
    gm = {e: geomean([medians[e][n] for n in common]) for e in engines}
    row = "| **geometric mean** | " + " | ".join(f"**{fmt_ms(gm[e])}**" for e in engines)
    for st in stratas:
        for e in peers:
            row += f" | **{gm[st] / gm[e]:.2f}**" if gm[st] and gm[e] else " | —"
    p(row + " |")
    p("")
    p(f"(CSV: {data_bytes:,} bytes in 30 files. ≠ marks an answer that differs from {NAMES[reference]}'s.)")
    p("")
    p("| engine | ingest s | ingest rows/s | on disk | peak memory, ingest | peak memory, queries |")
    p("|---|---:|---:|---:|---:|---:|")
    for e in engines:
        i = results[e]["ingest"]
        p(
            f"| {NAMES[e]} | {i['seconds']:.1f} | {i['rows'] / i['seconds'] / 1e6:.2f}M | {i['bytes'] / 1e6:.1f} MB"
            f" | {mib(i.get('peak'))} | {mib(results[e].get('peak_queries'))} |"
        )
    if "clickhouse" in results:
        p(f"(ClickHouse: OPTIMIZE TABLE FINAL afterwards took {results['clickhouse']['ingest']['optimize_seconds']:.1f}"
          " s, not counted.)")
    if "strata" in results and "rollup_queries" in results["strata"]:
        s = results["strata"]
        ri = s["rollup_ingest"]
        p("")
        p(
            f"Strata on the rolled-up copy (events_minutely: {ri.get('stored_rows') or 0:,} rows stored of "
            f"{ri['rows']:,}, {ri['bytes'] / 1e6:.1f} MB, ingest {ri['rows'] / ri['seconds'] / 1e6:.2f}M rows/s):"
        )
        p("")
        p("| query | Strata rollup | Strata table | " + " | ".join(NAMES[e] for e in engines if e != "strata") + " |")
        p("|---|---:|---:|" + "---:|" * (len(engines) - 1))
        for q in queries:
            if not q["rollup"]:
                continue
            r = s["rollup_queries"].get(q["name"], {})
            if "error" in r:
                cell = "gap"
                mismatches.append(f"strata rollup {q['name']}: gap: {r['error']}")
            else:
                cell = fmt_ms(median(r["times"]))
                # An approximate query is held to the exact answer (within the bound), as on the table, and
                # its estimates must equal the table's: merged sketches are the sketches of all the rows.
                expected = results[reference]["queries"].get(q["exact"] or q["name"], {})
                diff = "rows" in expected and difference(expected["rows"], r["rows"], output_columns(r))
                table_rows = s["queries"].get(q["name"], {}).get("rows")
                if q["exact"] and not diff and table_rows is not None:
                    if table_rows != r["rows"]:
                        diff = "estimates differ from the table's"
                    else:
                        notes.append(f"Strata rollup {q['name']}: the same estimates as on the table")
                if diff:
                    cell += " ≠"
                    mismatches.append(f"strata rollup {q['name']}: {diff}")
            others = " | ".join(fmt_ms(medians[e].get(q["name"])) for e in engines if e != "strata")
            p(f"| {q['name']} | {cell} | {fmt_ms(medians['strata'].get(q['name']))} | {others} |")
    p("")
    for n in notes:
        p(f"- {n}")
    if notes:
        p("")
    if mismatches:
        p("Differences, errors and gaps:")
        for m in mismatches:
            p(f"- {m}")
    else:
        p(f"All answers agree with {NAMES[reference]}'s.")
    return "\n".join(lines), [m for m in mismatches if ": gap: " not in m]


NAMES = {"strata": "Strata", "strata-plain": "Strata plain", "strata-tuned": "Strata tuned", "duckdb": "DuckDB",
         "clickhouse": "ClickHouse"}


def mib(value):
    return f"{value / 1048576:.0f} MiB" if value else "—"


# MARK: Main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", help="CSV directory (default /tmp/strata-bench/events-ROWS)")
    parser.add_argument("--engines", default="strata,duckdb,clickhouse")
    parser.add_argument("--queries", default=QUERIES)
    parser.add_argument("--spec", default="tuned",
                        help="Strata's table spec: tuned, plain, or both as plain,tuned (two Strata runs)")
    parser.add_argument("--filter", help="only queries whose name contains this")
    parser.add_argument("--strata", help="strata binary (default .build/release/strata, built if missing)")
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--report-from", help="print the report of a previous run's --json file (no runs)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.data = args.data or f"/tmp/strata-bench/events-{args.rows}"
    queries = read_queries(args.queries)
    if args.filter:
        queries = [q for q in queries if args.filter in q["name"]]

    if args.worker:
        result = WORKERS[args.worker](args, queries, csv_files(args.data))
        with open(args.out, "w") as f:
            json.dump(result, f, default=str)
        return

    if args.report_from:
        with open(args.report_from) as f:
            saved = json.load(f)
        text, failures = report(args, queries, saved["engines"], saved["data_bytes"])
        print(text)
        sys.exit(1 if failures else 0)

    ensure_venv()
    strata = strata_binary(args)
    files, _ = ensure_data(args, strata)
    data_bytes = sum(os.path.getsize(f) for f in files)
    results = {}
    specs = args.spec.split(",")
    engines = []
    for engine in args.engines.split(","):
        if engine == "strata" and specs != ["tuned"]:
            engines += ["strata-" + spec for spec in specs]
        else:
            engines.append(engine)
    for engine in engines:
        if not engine.startswith("strata"):
            module = "chdb" if engine == "clickhouse" else engine
            try:
                __import__(module)
            except ImportError as e:
                print(f"== {engine}: skipped, {module} cannot be imported here ({e})", file=sys.stderr)
                continue
        workdir = tempfile.mkdtemp(prefix=f"compare-{engine}-", dir=os.path.dirname(args.data.rstrip("/")))
        out = os.path.join(workdir, "result.json")
        print(f"== {engine}", file=sys.stderr)
        command = [sys.executable, os.path.abspath(__file__), "--worker", engine, "--workdir", workdir, "--out", out,
                   "--rows", str(args.rows), "--runs", str(args.runs), "--data", args.data, "--queries", args.queries,
                   "--strata", strata]
        if args.filter:
            command += ["--filter", args.filter]
        try:
            load_before = os.getloadavg()[0]
            subprocess.check_call(command)
            with open(out) as f:
                results[engine] = json.load(f)
            # The machine is shared: the 1-minute load average around each engine's run says how quiet it was.
            results[engine]["load"] = [load_before, os.getloadavg()[0]]
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    text, failures = report(args, queries, results, data_bytes)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"engines": results, "data_bytes": data_bytes, "rows": args.rows, "runs": args.runs}, f,
                      default=str, indent=1)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
