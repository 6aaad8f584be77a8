#!/usr/bin/env python3
"""Derives the embedded default rate table (rules/rates/ecb-monthly.csv) from the
ECB reference-rate file: the first published day of each month, the columns
krfx needs by default (USD, JPY, CNY, GBP, HKD, KRW per 1 EUR), figures copied
unmodified. Usage: make_rate_table.py ../shared/rates/eurofxref-hist.csv > rules/rates/ecb-monthly.csv
"""
import csv
import sys

KEEP = ["USD", "JPY", "CNY", "GBP", "HKD", "KRW"]


def main(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    idx = {name: i for i, name in enumerate(header)}
    first_of_month = {}
    for row in rows[1:]:
        if not row or not row[0]:
            continue
        month = row[0][:7]
        if month not in first_of_month or row[0] < first_of_month[month][0]:
            first_of_month[month] = row
    out = sys.stdout
    out.write("# krfx default reference rates: units of each currency per 1 EUR on the first\n")
    out.write("# ECB publication day of each month. Source: ECB statistics (euro foreign exchange\n")
    out.write("# reference rates, eurofxref-hist.csv), figures unmodified; a subset of columns and days.\n")
    out.write("# Regenerate with tests/tools/make_rate_table.py. N/A: not published that day.\n")
    out.write("Date," + ",".join(KEEP) + "\n")
    for month in sorted(first_of_month, reverse=True):
        row = first_of_month[month]
        out.write(row[0] + "," + ",".join(row[idx[c]] for c in KEEP) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
