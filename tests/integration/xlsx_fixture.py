#!/usr/bin/python3
"""xlsx_fixture: writes .xlsx workbooks with real spreadsheet writers from
Debian for test_import_formats.sh: openpyxl (python3-openpyxl, which writes
every text cell as an inline string) and XlsxWriter (python3-xlsxwriter, the
writer behind pandas, which writes a shared-strings table as Excel does).

  xlsx_fixture.py from-csv IN.csv OUT.xlsx [--writer openpyxl|xlsxwriter]
                  [--sheet NAME] [--before NAME]
      One sheet NAME (default "Vendors") holding IN.csv's rows as a person
      would type them: whole numbers and decimals as numbers (unless Excel
      would show them otherwise: "4.0" stays text), YYYY-MM-DD as
      date cells (shown yyyy-mm-dd), "YYYY-MM-DD HH:MM:SS" as date-times,
      TRUE/FALSE as booleans, other text as (shared) strings, empty fields as
      no cell at all (sparse rows); an empty row after the header.
      --before NAME puts a sheet NAME with other content first, so the
      catalog is not the first sheet.
      --writer picks the writer (default openpyxl).
  xlsx_fixture.py big N OUT.xlsx OUT.csv
      N vendor rows written by XlsxWriter (shared strings), and the same rows
      as CSV.
"""
import csv
import datetime
import re
import sys

import openpyxl
import xlsxwriter

INT = re.compile(r"-?[1-9][0-9]{0,14}$|0$")
DEC = re.compile(r"-?[0-9]+\.[0-9]+$")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")


def typed(v):
    """The cell a person would have typed for CSV text v."""
    if v == "":
        return None
    if INT.match(v):
        return int(v)
    if DEC.match(v) and "%.15g" % float(v) == v:
        return float(v)  # "4.0" stays text: Excel would show the number 4 as "4"
    if DATE.match(v):
        return datetime.date.fromisoformat(v)
    if DATETIME.match(v):
        return datetime.datetime.fromisoformat(v)
    if v in ("TRUE", "FALSE"):
        return v == "TRUE"
    return v


def read_csv(src):
    with open(src, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def from_csv_xlsxwriter(src, out, sheet="Vendors", before=None):
    rows = read_csv(src)
    wb = xlsxwriter.Workbook(out)  # default mode: shared strings
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    datetime_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    if before:
        notes = wb.add_worksheet(before)
        notes.write_row(0, 0, ["Notes", "not the catalog"])
        notes.write_row(1, 0, ["This sheet", "is not read"])
    ws = wb.add_worksheet(sheet)
    ws.write_row(0, 0, rows[0])
    for r, row in enumerate(rows[1:], start=2):  # row 2 (Excel's 2) stays empty
        for c, v in enumerate(row):
            t = typed(v)
            if t is None:
                continue
            if isinstance(t, bool):
                ws.write_boolean(r, c, t)
            elif isinstance(t, datetime.datetime):
                ws.write_datetime(r, c, t, datetime_fmt)
            elif isinstance(t, datetime.date):
                ws.write_datetime(r, c, datetime.datetime.combine(t, datetime.time()), date_fmt)
            elif isinstance(t, (int, float)):
                ws.write_number(r, c, t)
            else:
                ws.write_string(r, c, t)
    wb.close()


def from_csv(src, out, sheet="Vendors", before=None):
    wb = openpyxl.Workbook()
    first = wb.active
    if before:
        first.title = before
        first.append(["Notes", "not the catalog"])
        first.append(["This sheet", "is not read"])
        ws = wb.create_sheet(sheet)
    else:
        first.title = sheet
        ws = first
    rows = read_csv(src)
    ws.append(rows[0])
    ws.append([])  # an empty row: skipped like a blank line
    for r, row in enumerate(rows[1:], start=3):
        for c, v in enumerate(row, start=1):
            t = typed(v)
            if t is None:
                continue  # no cell: a sparse row
            cell = ws.cell(row=r, column=c, value=t)
            if isinstance(t, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(t, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    wb.save(out)


def big(n, out_xlsx, out_csv):
    header = ["id", "name", "website", "country", "services", "founded", "rating", "last_review"]
    wb = xlsxwriter.Workbook(out_xlsx, {"strings_to_urls": False})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Vendors")
    ws.write_row(0, 0, header)
    with open(out_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(1, n + 1):
            day = datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 1500)
            row = [f"B-{i:06d}", f"Vendor {i} Services", f"https://v{i}.example",
                   ["India", "USA", "Poland", "Philippines"][i % 4],
                   ["Call Center Services;Data Entry", "Investment Research", "Legal Research"][i % 3],
                   1990 + i % 30, [3.5, 4.2, 4.8][i % 3]]
            ws.write_row(i, 0, row)
            ws.write_datetime(i, 7, datetime.datetime.combine(day, datetime.time()), date_fmt)
            w.writerow(row + [day.isoformat()])
    wb.close()


def main(argv):
    if len(argv) >= 3 and argv[0] == "from-csv":
        opts = dict(zip(argv[3::2], argv[4::2]))
        write = from_csv_xlsxwriter if opts.get("--writer") == "xlsxwriter" else from_csv
        write(argv[1], argv[2], opts.get("--sheet", "Vendors"), opts.get("--before"))
    elif len(argv) == 4 and argv[0] == "big":
        big(int(argv[1]), argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
