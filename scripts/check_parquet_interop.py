"""Reads newslens Parquet exports with pyarrow and DuckDB and checks them against the CSV export
of the same table: same rows, same columns, typed timestamps and list columns; and the GKG
export as GDELT files are read (27 tab-separated fields a line).

    python scripts/check_parquet_interop.py --newslens target/release/newslens --db news.db

Exits 1 with a message when a file does not read or disagrees. `.ci/run` runs it in a venv with
pyarrow and duckdb from PyPI, so a Parquet file no outside reader can open fails CI.
"""

import argparse
import csv
import subprocess
import sys
import tempfile
import pathlib

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("articles", "quotes", "entities", "mentions", "stories", "loaded")


def export(binary, db, table, fmt, out):
    subprocess.run(
        [binary, "export", "--db", db, "--table", table, "--format", fmt, "--out", str(out)],
        check=True,
        stderr=subprocess.DEVNULL,
    )


def fail(message):
    print(f"parquet interop: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--newslens", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        for table in TABLES:
            parquet_path = folder / f"{table}.parquet"
            csv_path = folder / f"{table}.csv"
            export(args.newslens, args.db, table, "parquet", parquet_path)
            export(args.newslens, args.db, table, "csv", csv_path)
            with open(csv_path, newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            header, records = rows[0], rows[1:]

            arrow_table = pq.read_table(parquet_path)
            if arrow_table.column_names != header:
                fail(f"{table}: pyarrow columns {arrow_table.column_names} != CSV header {header}")
            if arrow_table.num_rows != len(records):
                fail(f"{table}: pyarrow read {arrow_table.num_rows} rows, CSV has {len(records)}")
            first_column = arrow_table.column(0).to_pylist()
            if first_column != [record[0] for record in records]:
                fail(f"{table}: the first column differs between Parquet and CSV")
            for name in ("published", "first_seen"):
                if name in arrow_table.column_names:
                    kind = arrow_table.schema.field(name).type
                    if kind != pa.timestamp("us", tz="UTC"):
                        fail(f"{table}.{name} is {kind}, not timestamp[us, UTC]")

            ((n_duck,),) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parquet_path}')").fetchall()
            if n_duck != len(records):
                fail(f"{table}: DuckDB read {n_duck} rows, CSV has {len(records)}")
            print(f"  {table:<9} {len(records):>7} rows: pyarrow and DuckDB agree with the CSV export")

        # GKG the way GDELT's files are read: tab-separated, no header, no quoting, 27 fields.
        gkg_path = folder / "articles.gkg.tsv"
        export(args.newslens, args.db, "articles", "gkg", gkg_path)
        with open(gkg_path, newline="", encoding="utf-8") as handle:
            gkg = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        n_articles = pq.read_table(folder / "articles.parquet").num_rows
        if len(gkg) != n_articles or any(len(record) != 27 for record in gkg):
            fail(f"gkg: {len(gkg)} records for {n_articles} articles, or a record without 27 fields")
        print(f"  gkg       {len(gkg):>7} records of 27 tab-separated fields")

        quotes = folder / "quotes.parquet"
        speakers = duckdb.sql(
            f"SELECT speaker, count(*) AS n, sum(len(span_starts)) AS spans FROM read_parquet('{quotes}') "
            "WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY n DESC, speaker LIMIT 3"
        ).fetchall()
        print(f"  DuckDB, top speakers (list column summed): {speakers}")


if __name__ == "__main__":
    main()
