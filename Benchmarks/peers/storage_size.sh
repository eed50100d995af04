#!/usr/bin/env bash
# On-disk size of the events dataset: Strata (strata-storage-size) against DuckDB, in one run.
#
#   Benchmarks/peers/storage_size.sh [ROWS]        # default 10000000
#
# Environment: CODECS (default "lz4 zstd"), DATA (CSV directory, default /tmp/ev$ROWS; generated
# with `strata generate` if missing), KEEP_DATA=1 keeps the CSV and the DuckDB file afterwards.
# DuckDB is installed into Benchmarks/peers/.venv (gitignored) on first use.
set -euo pipefail

ROWS=${1:-10000000}
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=$(dirname "$HERE")
ROOT=$(dirname "$BENCH")
VENV=$HERE/.venv
DATA=${DATA:-/tmp/ev$ROWS}
CODECS=${CODECS:-lz4 zstd}
OUT=$(mktemp -d /tmp/strata-peers-XXXXXX)

cleanup() {
    rm -rf "$OUT"
    if [ "${KEEP_DATA:-0}" != 1 ] && [ "${GENERATED:-0}" = 1 ]; then rm -rf "$DATA"; fi
}
trap cleanup EXIT

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c 'import duckdb' 2>/dev/null || "$VENV/bin/pip" install --quiet duckdb

echo "== building (release)"
(cd "$ROOT" && swift build -c release --product strata >/dev/null)
(cd "$BENCH" && swift build -c release --product strata-storage-size >/dev/null)
STRATA=$ROOT/.build/release/strata
SIZE_TOOL=$BENCH/.build/release/strata-storage-size

if [ ! -d "$DATA" ]; then
    echo "== generating $ROWS rows of CSV into $DATA"
    "$STRATA" generate --rows "$ROWS" --out "$DATA"
    GENERATED=1
fi
echo "CSV: $(du -sb "$DATA" | cut -f1) bytes in $(ls "$DATA"/*.csv | wc -l) files"

for codec in $CODECS; do
    echo
    echo "== Strata, codec $codec"
    "$SIZE_TOOL" --rows "$ROWS" --codec "$codec" --dir "$OUT/strata-$codec"
done

echo
echo "== DuckDB $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
"$VENV/bin/python" - "$DATA" "$OUT/events.duckdb" <<'PY'
import os, sys, time, duckdb
data, path = sys.argv[1], sys.argv[2]
con = duckdb.connect(path)
start = time.perf_counter()
con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{data}/*.csv')")
con.execute("CHECKPOINT")
elapsed = time.perf_counter() - start
rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
con.close()
size = os.path.getsize(path) + (os.path.getsize(path + ".wal") if os.path.exists(path + ".wal") else 0)
print(f"rows:          {rows}")
print(f"load:          {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s, CREATE TABLE AS read_csv + CHECKPOINT)")
print(f"on disk:       {size / 1e6:.1f} MB ({size} bytes)")
print(f"bytes per row: {size / rows:.2f}")
con = duckdb.connect(path, read_only=True)
print()
print("compression per column (pragma_storage_info; DuckDB does not report per-column bytes):")
for name, schemes in con.execute("""
    SELECT column_name, string_agg(DISTINCT compression, ', ' ORDER BY compression)
    FROM pragma_storage_info('events') WHERE segment_type <> 'VALIDITY'
    GROUP BY column_name, column_id ORDER BY column_id""").fetchall():
    print(f"  {name:<14} {schemes}")
PY
