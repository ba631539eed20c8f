#!/usr/bin/env python3
"""Writes the saved fuzz corpora tests/fuzz/corpus/<target>/: small real examples copied from
tests/data/xlsform/ plus hostile inputs generated here (zip bombs, billion laughs, 10,000-deep
nesting, huge single fields, truncated files). Re-running it rewrites the files it owns
(named seed_*/hostile_*); inputs found by the fuzzer (other names) are left alone."""
import io
import os
import shutil
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "xlsform")
EX = os.path.join(DATA, "example_xls")
EXPECTED = os.path.join(DATA, "test_expected_output")


def out(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def copy(target, src, prefix="seed_"):
    with open(src, "rb") as f:
        out(target, prefix + os.path.basename(src), f.read())


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- workbooks -------------------------------------------------------------------------------
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '</Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = '</sheetData></worksheet>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(sheet_xml, extra=None, level=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", level, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


SMALL_SHEET = (SHEET_HEAD + '<row r="1">' + inline("A1", "type") + inline("B1", "name") + inline("C1", "label") + '</row>'
               '<row r="2">' + inline("A2", "integer") + inline("B2", "age") + inline("C2", "Umur") + '</row>'
               '<row r="3"><c r="A3" t="inlineStr"><is><t>text</t></is></c><c r="B3" t="inlineStr"><is><t>nama</t></is></c>'
               '<c r="D3"><v>18.31</v></c></row>' + SHEET_TAIL)


def lying_sizes(data):
    """The same zip with every entry's declared uncompressed size set to 10 bytes."""
    b = bytearray(data)
    i = 0
    while True:
        i = b.find(b"PK\x03\x04", i)
        if i < 0:
            break
        struct.pack_into("<I", b, i + 22, 10)
        i += 4
    i = 0
    while True:
        i = b.find(b"PK\x01\x02", i)
        if i < 0:
            break
        struct.pack_into("<I", b, i + 24, 10)
        i += 4
    return bytes(b)


def hostile_workbooks():
    books = {}
    books["hostile_minimal.xlsx"] = xlsx(SMALL_SHEET)
    # 24 MB of sheet XML in ~25 KB: over the 200x ratio limit.
    bomb_sheet = SHEET_HEAD + " " * (24 << 20) + SHEET_TAIL
    books["hostile_zip_bomb.xlsx"] = xlsx(bomb_sheet)
    books["hostile_zip_bomb_lying_size.xlsx"] = lying_sizes(books["hostile_zip_bomb.xlsx"])
    # Below 1 MB but 1000x: the ratio only applies above 1 MB, this must still read fine.
    books["hostile_small_bomb.xlsx"] = xlsx(SHEET_HEAD + " " * (900 << 10) + SHEET_TAIL)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
              + ']>')
    books["hostile_billion_laughs.xlsx"] = xlsx(laughs + SHEET_HEAD.split("?>", 1)[1] + '<row r="1">'
                                               + inline("A1", "&lol9;") + '</row>' + SHEET_TAIL)
    books["hostile_deep_nesting.xlsx"] = xlsx(SHEET_HEAD + "<x>" * 10000 + "</x>" * 10000 + SHEET_TAIL)
    books["hostile_huge_cell.xlsx"] = xlsx(SHEET_HEAD + '<row r="1">' + inline("A1", "A" * (2 << 20)) + '</row>' + SHEET_TAIL)
    books["hostile_far_cell.xlsx"] = xlsx(SHEET_HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                          '<row r="1048577"><c r="XFE1"><v>2</v></c></row>' + SHEET_TAIL)
    books["hostile_shared_strings.xlsx"] = xlsx(
        SHEET_HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>99999999</v></c>'
        '<c r="C1" t="s"><v>-1</v></c><c r="D1" t="b"><v>1</v></c><c r="E1" s="7"><v>43000.5</v></c></row>' + SHEET_TAIL,
        {"xl/sharedStrings.xml": '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 '<si><r><t>type</t></r><r><t xml:space="preserve"> x</t></r></si></sst>'})
    books["hostile_stored.xlsx"] = xlsx(SMALL_SHEET, level=zipfile.ZIP_STORED)
    full = read(os.path.join(EX, "group.xlsx"))
    books["hostile_truncated_half.xlsx"] = full[: len(full) // 2]
    books["hostile_truncated_no_directory.xlsx"] = full[: full.rfind(b"PK\x01\x02")]
    return books


def hostile_xls():
    xls = {}
    full = read(os.path.join(EX, "gps.xls"))
    xls["hostile_truncated_header.xls"] = full[:512]
    xls["hostile_truncated_half.xls"] = full[: len(full) // 2]
    b = bytearray(full)
    struct.pack_into("<H", b, 30, 30)  # sector shift 2^30
    xls["hostile_sector_shift.xls"] = bytes(b)
    b = bytearray(full)
    struct.pack_into("<I", b, 48, 0xFFFFFFF0)  # directory start far away
    xls["hostile_directory_sector.xls"] = bytes(b)
    b = bytearray(full)
    struct.pack_into("<I", b, 76, 0)  # first FAT sector = the header's own sector 0: a loop
    xls["hostile_fat_loop.xls"] = bytes(b)
    b = bytearray(full)
    for i in range(512, len(b), 97):  # scattered damage in the body
        b[i] ^= 0xFF
    xls["hostile_damaged.xls"] = bytes(b)
    xls["hostile_signature_only.xls"] = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    return xls


# ---- XML -------------------------------------------------------------------------------------
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
          + ']>\n')
SUB_META = "<meta><instanceID>uuid:6f1c2a7e-0000-4000-8000-00000000000{}</instanceID></meta>"


def submission(body, n=1, root='keluarga id="survei_keluarga" version="2026112801"'):
    tag = root.split()[0]
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>{body}{SUB_META.format(n)}</{tag}>'


def main():
    for name in ("group.xlsx", "pull_data.xlsx", "field-list.xlsx", "text_and_integer.xlsx", "survey_no_name.xlsx",
                 "extra_sheet_names.xlsx", "or_other.xlsx", "include.xlsx"):
        copy("xlsx_reader", os.path.join(EX, name))
    for name in ("gps.xls", "group.xls", "calculate.xls", "include.xls", "choice_name_as_type.xls", "loop.xls",
                 "table-list.xls", "case_insensitivity.xls", "sms_info.xls"):
        copy("xls_reader", os.path.join(EX, name))
    for name in ("group.xlsx", "pull_data.xlsx", "field-list.xlsx", "or_other.xlsx", "gps.xls", "group.xls", "loop.xls",
                 "calculate.xls"):
        copy("convert", os.path.join(EX, name))
    for name in sorted(os.listdir(EX)):
        if name.endswith((".md", ".csv")):
            copy("convert", os.path.join(EX, name))

    books = hostile_workbooks()
    for name, data in books.items():
        out("xlsx_reader", name, data)
    for name in ("hostile_minimal.xlsx", "hostile_zip_bomb.xlsx", "hostile_billion_laughs.xlsx",
                 "hostile_deep_nesting.xlsx", "hostile_truncated_half.xlsx"):
        out("convert", name, books[name])
    for name, data in hostile_xls().items():
        out("xls_reader", name, data)
    out("convert", "hostile_truncated_half.xls", hostile_xls()["hostile_truncated_half.xls"])
    out("xls_reader", "hostile_a_zip.xls", books["hostile_minimal.xlsx"])
    out("xlsx_reader", "hostile_an_ole2.xlsx", read(os.path.join(EX, "gps.xls"))[:4096])

    # Text layouts: 10,000 nested groups, a huge single cell, ragged rows, only a header.
    deep = "| survey |\n||type|name|label|\n" + "||begin group|g|G|\n" * 1000 + "||text|q|Q|\n" + "||end group|||\n" * 1000
    out("convert", "hostile_deep_groups.md", deep)
    # 10,000 nested groups in a sheet: small once compressed.
    def cells(*values):  # cells without r= attributes, so the rows repeat and compress
        return "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values) + "</row>"
    sheet = (SHEET_HEAD + cells("type", "name", "label") + cells("begin group", "g", "G") * 10000
             + cells("text", "q", "Q") + cells("end group") * 10000 + SHEET_TAIL)
    out("convert", "hostile_deep_groups.xlsx", xlsx(sheet))
    out("convert", "hostile_huge_cell.md", "| survey |\n|  | type | name | label |\n|  | text | q | " + "x" * (40 << 10) + " |\n")
    out("convert", "hostile_huge_cell.xlsx", books["hostile_huge_cell.xlsx"])
    out("convert", "hostile_ragged.csv", '"survey",,,\n,"type","name"\n,"text","a","b","c","d","e"\n,"text\n,"unterminated')
    out("convert", "hostile_only_header.md", "| survey |\n|  | type | name | label |\n")
    out("convert", "hostile_bad_expressions.md",
        "| survey |\n|  | type | name | label | relevant | constraint | calculation |\n"
        "|  | integer | a | A | ${nope} > 1 | . > ‘1’ |  |\n"
        "|  | calculate | c |  |  |  | ((((((((((1 |\n"
        "|  | select_one yn | s | S | selected(${a}, |  |  |\n"
        "| choices |\n|  | list_name | name | label |\n|  | yn | yes | Ya |\n|  | yn | yes | Ya |\n")

    # ---- xpath ----
    exprs = [
        "/data/age >= 18 and selected(/data/roles, 'head')",
        ". > 10.51 and . < 18.39", ". >= today()", ". < 10", "not(selected(., 'c') and selected(., 'd'))",
        "pulldata('fruits', 'name','name', 'mango')", "2+2", "instance('districts')/root/item[province='jabar']/name",
        "regex(/data/name, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,4}')", "selected(../fav_color, 'other')",
        "count(/data/household/member[sex='f'])", "sum(/data/household/member/born) div 3",
        "format-date(today(), '%Y-%m-%d %H:%M')", "decimal-date-time(/data/start)", "area(/data/area)",
        "distance(/data/location)", "if(${age} > 17, 'adult', 'child')", "concat(${name}, ' - ', ${district})",
        "jr:choice-name(${sex}, '/data/household/member/sex')", "count-selected(${roles}) <= 2",
        "position(..) = 2", "indexed-repeat(/data/household/member/born, /data/household/member, 2)",
        "once(uuid())", "random() < 0.5", "string-length(/data/name) > 3 and starts-with(/data/name, 'Siti')",
        "digest('abc', 'SHA-256', 'hex')", "boolean-from-string('true') or true()", "coalesce(/data/empty, 'none')",
        "substr(/data/name, 0, 4)", "translate(/data/name, 'abc', 'ABC')", "round(/data/income, 1) * -1",
        "date('2026-02-29') + 1", "int(/data/income) mod 7", "join(' ', /data/household/member/sex)",
        "selected-at(/data/roles, 1)", "current()/sex = 'f'", "/data/household/member[@idx='2']/born",
        "//born | /data/age", "ancestor::*", "number('1e308') * 10", "1 div 0", "-(-(-1))",
        "pow(2, 1024)", "exp10(400)", "log(0)", "sqrt(-1)", "ends-with(${name}, 'yu')", "normalize-space('  a  b ')",
        "geofence(/data/location, /data/area)", "randomize(/data/household/member, 7)", "sin(pi())",
        "format-date-time(/data/start, '%b %e %a')", "${unknown} + 1", "'unterminated", "1 +", "((((1)))",
        "‘typographic quotes’", "instance('nope')/x", "/data/age[", "$x", "@@@", "count(1)",
    ]
    for i, e in enumerate(exprs):
        out("xpath", f"seed_{i:02d}.txt", e)
    out("xpath", "hostile_deep_parens.txt", "(" * 10000 + "1" + ")" * 10000)
    out("xpath", "hostile_deep_unary.txt", "-" * 10000 + "1")
    out("xpath", "hostile_deep_predicates.txt", "/data" + "[." * 5000 + "]" * 5000)
    out("xpath", "hostile_long_chain.txt", " + ".join(["1"] * 5000))
    out("xpath", "hostile_long_path.txt", "/data" + "/child" * 5000)
    out("xpath", "hostile_huge_literal.txt", "string-length('" + "x" * (30 << 10) + "')")
    out("xpath", "hostile_regex_backtracking.txt", "regex('" + "a" * 40 + "!', '^(a+)+$')")
    out("xpath", "hostile_regex_nested.txt", "regex(/data/name, '" + "(" * 2000 + "a" + ")*" * 2000 + "')")
    out("xpath", "hostile_many_args.txt", "concat(" + ",".join(["'a'"] * 5000) + ")")
    out("xpath", "hostile_nul_bytes.txt", b"1\x00+\x002\xff\xfe")

    # ---- schema ----
    for name in ("survey_no_name.xml", "default_time_demo.xml", "pull_data.xml", "or_other.xml", "xml_escaping.xml",
                 "repeat_date_test.xml", "table-list.xml"):
        copy("schema", os.path.join(EXPECTED, name))
    with open(os.path.join(HERE, "submission_fuzz.cpp"), encoding="utf-8") as f:
        src = f.read()
    form = src[src.index('R"XF(') + 5: src.index(')XF"')]
    out("schema", "seed_household_form.xml", form)
    head = form[: form.index("<h:html")]
    out("schema", "hostile_billion_laughs.xml", LAUGHS + form[form.index("<h:html"):].replace("<h:title>Survei keluarga", "<h:title>&lol9;"))
    out("schema", "hostile_deep_instance.xml", form.replace("<jumlah/>", "<jumlah/>" + "<d>" * 10000 + "</d>" * 10000))
    # (10,000-deep body nesting is refused by the same depth check as the instance.)
    out("schema", "hostile_bad_binds.xml", form.replace('type="int" calculate="count(/keluarga/anggota)"',
                                                         'type="int" constraint="((((" relevant="${x}" calculate="1 +"'))
    out("schema", "hostile_missing_node.xml", form.replace('nodeset="/keluarga/jumlah"', 'nodeset="/keluarga/nope"'))
    out("schema", "hostile_truncated.xml", form[: len(form) // 2])
    out("schema", "hostile_huge_label.xml", form.replace("Nama kepala keluarga", "N" * (30 << 10)))
    out("schema", "hostile_many_items.xml", form.replace("<item><label>Sumur</label><value>sumur</value></item>",
                                                         "<item><label>S</label><value>s</value></item>" * 500))
    out("schema", "hostile_external_entity.xml", head + '<!DOCTYPE h:html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + form[form.index("<h:html"):])

    # ---- submission ----
    full = ("<nama>Siti Rahayu</nama><umur>34</umur><desa>sukamaju</desa><air>sumur lain</air><air_lain>hujan</air_lain>"
            "<tanggal>2026-11-20</tanggal><lokasi>-6.9147 107.6098 700 5</lokasi><biaya>12500.50</biaya>"
            "<alat>cangkul pompa</alat><anggota><jk>p</jk><lahir>1990-01-02T03:04:05+07:00</lahir><sekolah>12</sekolah></anggota>"
            "<anggota><jk>l</jk><lahir/><sekolah>40</sekolah></anggota><jumlah>2</jumlah>")
    out("submission", "seed_complete.xml", submission(full, 1))
    out("submission", "seed_broken_rules.xml", submission(
        "<nama/><umur>200</umur><desa>jakarta</desa><air>lain</air><air_lain/><tanggal>2099-01-01</tanggal>"
        "<lokasi>north</lokasi><biaya>1.234</biaya><alat>cangkul traktor pompa</alat><anggota><jk/><sekolah>x</sekolah></anggota>", 2))
    out("submission", "seed_empty_fields.xml", submission("<nama/><umur/><desa/><air/><air_lain/><tanggal/>", 3))
    out("submission", "seed_edit.xml", submission(full, 4).replace(
        "</instanceID>", "</instanceID><deprecatedID>uuid:old</deprecatedID><instanceName>Rumah 1</instanceName>"))
    out("submission", "seed_other_form.xml", submission("<a>1</a>", 5, root='data id="other" version="1"'))
    out("submission", "seed_namespaces.xml", submission(full, 6, root='keluarga xmlns:jr="http://openrosa.org/javarosa" '
                                                        'xmlns:orx="http://openrosa.org/xforms" id="survei_keluarga"'
                                                        ).replace("<meta>", "<orx:meta>").replace("</meta>", "</orx:meta>"))
    out("submission", "seed_cdata_entities.xml", submission("<nama><![CDATA[<b>Siti</b> & co]]></nama><umur>&#x33;&#52;</umur>", 7))
    out("submission", "hostile_billion_laughs.xml", LAUGHS + submission("<nama>&lol9;</nama>").split("?>", 1)[1])
    out("submission", "hostile_deep_nesting.xml", submission("<x>" * 10000 + "</x>" * 10000, 8))
    out("submission", "hostile_deep_63.xml", submission("<x>" * 62 + "1" + "</x>" * 62, 9))
    out("submission", "hostile_huge_field.xml", submission("<nama>" + "A" * (30 << 10) + "</nama>", 1))
    out("submission", "hostile_many_repeats.xml", submission("<anggota><jk>x</jk><sekolah>1</sekolah></anggota>" * 500, 2))
    out("submission", "hostile_long_instance_id.xml", submission("", 3).replace("uuid:", "uuid:" + "f" * 300))
    out("submission", "hostile_no_instance_id.xml", '<keluarga id="survei_keluarga"><nama>x</nama></keluarga>')
    out("submission", "hostile_truncated.xml", submission(full, 4)[:200])
    out("submission", "hostile_not_xml.xml", b"\x00\xff\xfe<keluarga")
    out("submission", "hostile_many_attributes.xml", submission("<nama " + " ".join(f'a{i}="{i}"' for i in range(3000)) + ">x</nama>", 5))

    # ---- multipart: first line = Content-Type (or the boundary), then the body ----
    def mp(ctype, parts, boundary, close=True):
        body = "".join(f"--{boundary}\r\n{headers}\r\n\r\n{content}\r\n" for headers, content in parts)
        if close:
            body += f"--{boundary}--\r\n"
        return f"{ctype}\n{body}"
    B = "----gotongBoundary7MA4YWxkTrZu0gW"
    sub_xml = submission(full, 1)
    odk = [('Content-Disposition: form-data; name="xml_submission_file"; filename="submission.xml"\r\nContent-Type: text/xml', sub_xml),
           ('Content-Disposition: form-data; name="foto.jpg"; filename="foto.jpg"\r\nContent-Type: image/jpeg', "\xff\xd8\xff\xe0JFIF"),
           ('Content-Disposition: form-data; name="*isIncomplete*"', "yes")]
    out("multipart", "seed_odk_collect.txt", mp(f"multipart/form-data; boundary={B}", odk, B))
    out("multipart", "seed_quoted_boundary.txt", mp('multipart/form-data; boundary="a;b c"', odk[:1], "a;b c"))
    out("multipart", "seed_browser_upload.txt", mp("multipart/form-data; boundary=XyZ", [
        ('Content-Disposition: form-data; name="file"; filename="form.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
         "PK\x03\x04rest"), ('Content-Disposition: form-data; name="title"', "Survei"),
        ('Content-Disposition: form-data; name="empty"', "")], "XyZ"))
    out("multipart", "seed_raw_boundary.txt", mp("simple", [('Content-Disposition: form-data; name="a"', "1")], "simple"))
    out("multipart", "seed_preamble_epilogue.txt", "multipart/form-data; boundary=b\npreamble\r\n--b\r\n"
        "Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--\r\nepilogue")
    out("multipart", "hostile_unterminated.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data; name="a"', "x")], "b", close=False))
    out("multipart", "hostile_no_name.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data', "x")], "b"))
    out("multipart", "hostile_long_header.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data; name="' + "n" * 9000 + '"', "x")], "b"))
    out("multipart", "hostile_many_parts.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data; name="p"', "")] * 1100, "b"))
    out("multipart", "hostile_huge_part.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data; name="big"', "A" * (40 << 10))], "b"))
    out("multipart", "hostile_boundary_in_body.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data; name="a"', "--b--x\r\n--bb")], "b"))
    out("multipart", "hostile_empty_boundary.txt", "multipart/form-data; boundary=\n--\r\n\r\n--\r\n")
    out("multipart", "hostile_lf_only.txt", "multipart/form-data; boundary=b\n--b\nContent-Disposition: form-data; name=\"a\"\n\nx\n--b--\n")
    out("multipart", "hostile_unbalanced_quotes.txt", mp("multipart/form-data; boundary=b", [('Content-Disposition: form-data; name="a; filename="x', "x")], "b"))
    out("multipart", "hostile_truncated_header.txt", "multipart/form-data; boundary=b\n--b\r\nContent-Disposition: form-da")
    out("multipart", "hostile_not_multipart.txt", "application/json\n{}")

    # ---- json ----
    js = {
        "seed_object.json": '{"name":"Sukamaju","description":"Desa","count":12,"active":true,"id":"42"}',
        "seed_types.json": '{"name":"x","count":"12","active":"yes","id":-1,"nested":{"a":[1,2.5,-3e10,null,false]}}',
        "seed_unicode.json": '{"name":"Desa \\u00e9\\ud83d\\ude00 Mekar","description":"\\n\\t\\"","id":9007199254740993}',
        "seed_array.json": '[1,"two",{"three":3}]',
        "seed_scalar.json": '"just a string"',
        "seed_numbers.json": '{"count":1e400,"id":1.5,"a":-0,"b":0.0000000001,"c":18446744073709551616,"d":-9223372036854775809}',
        "seed_empty_name.json": '{"name":"   ","id":"0"}',
        "seed_duplicates.json": '{"name":"a","name":"b","id":"1","id":2}',
        "seed_comments.json": '{/* c */"name":"a"} // trailing',
        "seed_trailing_comma.json": '{"name":"a",}',
        "hostile_deep_arrays.json": "[" * 10000 + "]" * 10000,
        "hostile_deep_objects.json": '{"":' * 10000 + "1" + "}" * 10000,
        "hostile_depth_64.json": '{"a":' * 63 + "1" + "}" * 63,
        "hostile_huge_string.json": '{"name":"' + "x" * (40 << 10) + '"}',
        "hostile_truncated.json": '{"name":"Sukam',
        "hostile_bad_utf8.json": b'{"name":"\xff\xfe\xc0\xaf"}',
        "hostile_lone_surrogate.json": '{"name":"\\ud800"}',
        "hostile_nul.json": b'{"name":"a\x00b"}',
        "hostile_empty.json": "",
        "hostile_whitespace.json": " \t\r\n",
        "hostile_two_values.json": '{} {}',
    }
    for name, data in js.items():
        out("json", name, data)


if __name__ == "__main__":
    main()
