#!/usr/bin/env python3
"""Builds data/demo/household_survey.xlsx (the demo's XLSForm) from the readable CSV files in
data/demo/household_survey/ (survey.csv, choices.csv, settings.csv), which are the source of truth.

Python standard library only: the workbook is written by hand as SpreadsheetML (shared strings,
a bold frozen header row) inside a zip whose entries carry a fixed date, so the same CSVs always
give the same bytes and the committed .xlsx only changes when the form does.

    python3 scripts/make_demo_form.py            # rewrite the .xlsx
    python3 scripts/make_demo_form.py --check    # exit 1 if the .xlsx is out of date
"""
import csv
import io
import os
import sys
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "data", "demo", "household_survey")
TARGET = os.path.join(ROOT, "data", "demo", "household_survey.xlsx")
SHEETS = ("survey", "choices", "settings")
FIXED_DATE = (2025, 3, 1, 0, 0, 0)  # zip entry dates: reproducible output


def read_sheet(name):
    with open(os.path.join(SOURCE, name + ".csv"), newline="", encoding="utf-8") as f:
        rows = [row for row in csv.reader(f)]
    width = max(len(r) for r in rows)
    for i, row in enumerate(rows):
        if len(row) != width:
            sys.exit("%s.csv:%d: %d cells, the header has %d" % (name, i + 1, len(row), width))
    return rows


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def text(value):
    # Leading/trailing spaces would be dropped by readers without xml:space.
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return "<t%s>%s</t>" % (space, escape(value))


class SharedStrings:
    def __init__(self):
        self.index, self.order, self.uses = {}, [], 0

    def add(self, value):
        self.uses += 1
        if value not in self.index:
            self.index[value] = len(self.order)
            self.order.append(value)
        return self.index[value]

    def xml(self):
        items = "".join("<si>%s</si>" % text(v) for v in self.order)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
                'uniqueCount="%d">%s</sst>' % (self.uses, len(self.order), items))


def sheet_xml(rows, strings):
    widths = []
    for c in range(len(rows[0])):
        longest = max(len(r[c]) for r in rows)
        widths.append(min(60, max(8, longest + 2)))
    cols = "".join('<col min="%d" max="%d" width="%d" customWidth="1"/>' % (i + 1, i + 1, w)
                   for i, w in enumerate(widths))
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if value == "":
                continue
            style = ' s="1"' if r == 0 else ""
            cells.append('<c r="%s%d" t="s"%s><v>%d</v></c>' % (column_letter(c), r + 1, style, strings.add(value)))
        out.append('<row r="%d">%s</row>' % (r + 1, "".join(cells)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>'
            '<cols>%s</cols><sheetData>%s</sheetData></worksheet>' % (cols, "".join(out)))


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
          '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill>'
          '<fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
          '</styleSheet>')


def workbook_bytes():
    strings = SharedStrings()
    sheets = [(name, sheet_xml(read_sheet(name), strings)) for name in SHEETS]
    ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ns_pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct_main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = []
    overrides = "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="%s.worksheet+xml"/>'
                        % (i + 1, ct_main) for i in range(len(sheets)))
    parts.append(("[Content_Types].xml",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/xl/workbook.xml" ContentType="%s.sheet.main+xml"/>%s'
                  '<Override PartName="/xl/sharedStrings.xml" ContentType="%s.sharedStrings+xml"/>'
                  '<Override PartName="/xl/styles.xml" ContentType="%s.styles+xml"/></Types>'
                  % (ct_main, overrides, ct_main, ct_main)))
    parts.append(("_rels/.rels",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
                  'Target="xl/workbook.xml"/></Relationships>' % (ns_pkg, ns_rel)))
    sheet_list = "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (name, i + 1, i + 1)
                         for i, (name, _) in enumerate(sheets))
    parts.append(("xl/workbook.xml",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="%s">'
                  '<sheets>%s</sheets></workbook>' % (ns_rel, sheet_list)))
    rels = "".join('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>'
                   % (i + 1, ns_rel, i + 1) for i in range(len(sheets)))
    n = len(sheets)
    rels += '<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % (n + 1, ns_rel)
    rels += '<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>' % (n + 2, ns_rel)
    parts.append(("xl/_rels/workbook.xml.rels",
                  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Relationships xmlns="%s">%s</Relationships>' % (ns_pkg, rels)))
    for i, (_, xml) in enumerate(sheets):
        parts.append(("xl/worksheets/sheet%d.xml" % (i + 1), xml))
    parts.append(("xl/sharedStrings.xml", strings.xml()))
    parts.append(("xl/styles.xml", STYLES))

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, content.encode("utf-8"), compresslevel=9)
    return buf.getvalue()


def main():
    data = workbook_bytes()
    if "--check" in sys.argv[1:]:
        try:
            with open(TARGET, "rb") as f:
                same = f.read() == data
        except FileNotFoundError:
            same = False
        if not same:
            sys.exit("%s is out of date: run python3 scripts/make_demo_form.py" % os.path.relpath(TARGET, ROOT))
        return
    with open(TARGET, "wb") as f:
        f.write(data)
    print("wrote %s (%d bytes)" % (os.path.relpath(TARGET, ROOT), len(data)))


if __name__ == "__main__":
    main()
