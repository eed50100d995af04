#!/usr/bin/env python3
"""Random DECIMAL/HUGEINT SQL, answered by DuckDB and by Strata's CLI, compared value and type.

    python Benchmarks/peers/decimal_fuzz.py expressions SEED COUNT   # constant expressions: text and typeof
    python Benchmarks/peers/decimal_fuzz.py lineitem SEED COUNT      # filters and aggregates on lineitem

Needs duckdb importable and a debug build of `strata` (.build/debug/strata). The lineitem mode loads
Fixtures/sql/lineitem.csv into a scratch Strata database first. Prints each mismatch and a count; known
differences are not reported: integer literals (DuckDB INTEGER, Strata BIGINT) and expressions with
CAST(… AS BIGINT), whose DECIMAL width Strata may compute larger.
One difference is reported: where DuckDB folds `x BETWEEN lo AND hi` to false without evaluating a `hi`
that fails (a CAST out of range), Strata evaluates it and reports the error.
"""

import csv
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STRATA = os.path.join(ROOT, ".build", "debug", "strata")
LINEITEM = os.path.join(ROOT, "Fixtures", "sql", "lineitem.csv")


def strata(db, sql):
    out = subprocess.run([STRATA, "query", "--db", db, "--format", "csv", sql], capture_output=True, text=True)
    if out.returncode:
        return "ERROR " + out.stderr.strip()[:200]
    return list(csv.reader(io.StringIO(out.stdout)))[1:]


def literal():
    if random.random() < 0.15:
        return str(random.randint(-1000, 1000))
    text = str(random.randint(0, 10 ** random.randint(0, 8))) + "."
    text += "".join(random.choice("0123456789") for _ in range(random.randint(1, 6)))
    return "(-" + text + ")" if random.random() < 0.3 else text


def expression(depth=0):
    if depth > 2 or random.random() < 0.3:
        return literal()
    r = random.random()
    if r < 0.6:
        op = random.choice(["+", "-", "*", "%"])
        return "(" + expression(depth + 1) + " " + op + " " + expression(depth + 1) + ")"
    if r < 0.75:
        p = random.randint(1, 38)
        return "CAST(%s AS DECIMAL(%d,%d))" % (expression(depth + 1), p, random.randint(0, min(p, 10)))
    if r < 0.85:
        return "round(%s, %d)" % (expression(depth + 1), random.randint(-2, 4))
    if r < 0.9:
        return "CAST(%s AS BIGINT)" % expression(depth + 1)
    if r < 0.95:
        return "coalesce(NULL, %s, %s)" % (expression(depth + 1), expression(depth + 1))
    return "%s(%s)" % (random.choice(["abs", "floor", "ceil"]), expression(depth + 1))


def expressions(count, db):
    con = duckdb.connect()
    bad = 0
    for _ in range(count):
        e = expression()
        if random.random() < 0.2:
            e = "(%s BETWEEN %s AND %s)" % (e, expression(), expression())
        elif random.random() < 0.1:
            e = "(CAST(%d AS HUGEINT) * %d + %s)" % (random.randint(-2**62, 2**62), random.randint(-2**62, 2**62), e)
        sql = "SELECT CAST(%s AS VARCHAR) AS v, typeof(%s) AS t" % (e, e)
        try:
            duck = [list(con.execute(sql).fetchone())]
        except duckdb.Error:
            duck = "ERROR"
        mine = strata(db, sql)
        if isinstance(duck, str) or isinstance(mine, str):
            same = isinstance(duck, str) and isinstance(mine, str)
        else:
            same = duck[0][0] == mine[0][0] and (duck[0][1] == mine[0][1] or duck[0][1] == "INTEGER" or "BIGINT)" in e)
        if not same:
            bad += 1
            print("MISMATCH", e, "\n  duckdb", duck, "\n  strata", mine)
    return bad


def lineitem(count, db):
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE lineitem AS SELECT * FROM read_csv(?, header = true, columns = {
            'l_shipdate': 'TIMESTAMP', 'l_orderkey': 'BIGINT', 'l_linenumber': 'BIGINT', 'l_returnflag': 'VARCHAR',
            'l_linestatus': 'VARCHAR', 'l_shipmode': 'VARCHAR', 'l_quantity': 'DECIMAL(15,2)',
            'l_extendedprice': 'DECIMAL(15,2)', 'l_discount': 'DECIMAL(15,2)', 'l_tax': 'DECIMAL(15,2)'})""",
        [LINEITEM],
    )
    ranges = {"l_quantity": (1, 50), "l_extendedprice": (900, 60000), "l_discount": (0, 0.1), "l_tax": (0, 0.08)}

    def constant(lo, hi):
        x = random.uniform(lo, hi)
        return random.choice([str(round(x, random.randint(0, 4))), str(int(x)), "'%s'" % round(x, 2)])

    def predicate():
        column = random.choice(list(ranges))
        lo, hi = ranges[column]
        r = random.random()
        if r < 0.5:
            return "%s %s %s" % (column, random.choice(["<", "<=", ">", ">=", "=", "<>"]), constant(lo, hi))
        if r < 0.7:
            return "%s BETWEEN %s AND %s" % (column, constant(lo, hi), constant(lo, hi))
        if r < 0.85:
            items = ", ".join(constant(lo, hi) for _ in range(3))
            return "%s %sIN (%s)" % (column, random.choice(["", "NOT "]), items)
        return "NOT (%s)" % predicate()

    def numbers(rows):
        if isinstance(rows, str):
            return "ERROR"
        out = []
        for row in rows:
            cells = []
            for v in row:
                try:
                    cells.append(round(float(v), 6))
                except (TypeError, ValueError):
                    cells.append("" if v is None else v)
            out.append(cells)
        return out

    bad = 0
    for _ in range(count):
        where = " AND ".join(predicate() for _ in range(random.randint(1, 3)))
        keys = random.choice(["", "l_returnflag", "l_discount", "l_linestatus, l_tax"])
        select = (keys + ", " if keys else "") + (
            "count(*) AS n, sum(l_extendedprice) AS s, min(l_quantity) AS lo, max(l_tax) AS hi, avg(l_discount) AS a"
        )
        sql = "SELECT %s FROM lineitem WHERE %s" % (select, where)
        if keys:
            sql += " GROUP BY %s ORDER BY %s" % (keys, keys)
        try:
            duck = con.execute(sql).fetchall()
        except duckdb.Error:
            duck = "ERROR"
        mine = strata(db, sql)
        if numbers(duck) != numbers(mine):
            bad += 1
            print("MISMATCH", sql, "\n  duckdb", str(duck)[:300], "\n  strata", str(mine)[:300])
    return bad


def main():
    mode, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    random.seed(seed)
    db = tempfile.mkdtemp(prefix="strata-decimal-fuzz-")
    try:
        spec = os.path.join(ROOT, "Fixtures", "lineitem-spec.json")
        subprocess.run(
            [STRATA, "ingest", "--db", db, "--table", "lineitem", "--spec", spec, LINEITEM],
            check=True, capture_output=True)
        bad = expressions(count, db) if mode == "expressions" else lineitem(count, db)
        print("%d mismatches of %d" % (bad, count))
    finally:
        shutil.rmtree(db, ignore_errors=True)


if __name__ == "__main__":
    main()
