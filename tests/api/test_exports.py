"""Exports of a form's submissions through the API: the CSV zip laid out like ODK Central's (main
file, one file per repeat joined by KEY / PARENT_KEY, RFC 4180, UTF-8 with a BOM), the XLSX
workbook, the JSON array; labels in each form language, split select_multiple, filters; deleted
submissions left out; who may export; organisation isolation."""

import csv
import io
import json
import re
import unittest
import uuid
import xml.etree.ElementTree as ET
import zipfile

import support

ORG = "/api/v1/orgs/demo"

# Two languages, a select_one and a select_multiple, a group holding a repeat of members with a
# nested repeat of visits.
XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
        xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Kunjungan rumah</h:title><model>
  <itext>
   <translation lang="English (en)" default="true()">
    <text id="w-piped"><value>Piped water</value></text><text id="w-well"><value>Well</value></text>
    <text id="a-food"><value>Food, rice</value></text><text id="a-cash"><value>Cash</value></text>
   </translation>
   <translation lang="Bahasa Indonesia (id)">
    <text id="w-piped"><value>Air leding</value></text><text id="w-well"><value>Sumur</value></text>
    <text id="a-food"><value>Sembako</value></text><text id="a-cash"><value>Tunai</value></text>
   </translation>
  </itext>
  <instance><data id="%(id)s" version="1">
   <village/><water/><aid/>
   <household><size/>
    <member jr:template=""><name/><age/><visit jr:template=""><date/><reason/></visit></member>
   </household>
   <note/>
   <meta><instanceID/></meta>
  </data></instance>
  <bind nodeset="/data/village" type="string"/>
  <bind nodeset="/data/household/size" type="int"/>
  <bind nodeset="/data/household/member/age" type="int"/>
  <bind nodeset="/data/household/member/visit/date" type="date"/>
  <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
 </model></h:head>
 <h:body>
  <input ref="/data/village"><label>Desa</label></input>
  <select1 ref="/data/water"><label>Air</label>
   <item><label ref="jr:itext('w-piped')"/><value>piped</value></item>
   <item><label ref="jr:itext('w-well')"/><value>well</value></item>
  </select1>
  <select ref="/data/aid"><label>Bantuan</label>
   <item><label ref="jr:itext('a-food')"/><value>food</value></item>
   <item><label ref="jr:itext('a-cash')"/><value>cash</value></item>
  </select>
  <group ref="/data/household"><input ref="/data/household/size"/>
   <group ref="/data/household/member"><repeat nodeset="/data/household/member">
    <input ref="/data/household/member/name"/><input ref="/data/household/member/age"/>
    <group ref="/data/household/member/visit"><repeat nodeset="/data/household/member/visit">
     <input ref="/data/household/member/visit/date"/><input ref="/data/household/member/visit/reason"/>
    </repeat></group>
   </repeat></group>
  </group>
  <input ref="/data/note"><label>Catatan</label></input>
 </h:body>
</h:html>"""

MAIN_HEADERS = ["SubmissionDate", "village", "water", "aid", "household-size", "note", "meta-instanceID", "KEY",
                "SubmitterID", "SubmitterName", "DeviceID", "ReviewState", "FormVersion", "IssueCount"]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def instance(key, iid, village, water="", aid="", size="", members=(), note=""):
    """members: [(name, age, [(date, reason), ...]), ...]"""
    m = "".join("<member><name>%s</name><age>%s</age>%s</member>" % (
        esc(n), a, "".join("<visit><date>%s</date><reason>%s</reason></visit>" % (d, esc(r)) for d, r in visits))
        for n, a, visits in members)
    return ('<data id="%s" version="1"><village>%s</village><water>%s</water><aid>%s</aid>'
            '<household><size>%s</size>%s</household><note>%s</note><meta><instanceID>%s</instanceID></meta></data>'
            % (key, esc(village), water, aid, size, m, esc(note), iid)).encode()


def multipart_file(name, data):
    boundary = "gotong" + uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
            "Content-Type: application/xml\r\n\r\n" % (boundary, name)).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


def publish(client, key):
    body, ctype = multipart_file(key + ".xml", (XFORM % {"id": key}).encode())
    st, _, raw = client.raw("POST", ORG + "/forms", body, {"Content-Type": ctype})
    assert st == 201, raw
    fid = json.loads(raw)["id"]
    st, _, pub = client.post(ORG + "/forms/%s/publish" % fid)
    assert st == 200, pub
    return fid


def read_csv(data):
    """RFC 4180 with a UTF-8 BOM: returns the rows; checks CRLF line ends outside quotes."""
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]
    text = data[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    # Every record ends in CRLF: strip quoted fields, then no bare LF may remain.
    unquoted = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert "\n" not in unquoted.replace("\r\n", ""), "a line not ending in CRLF"
    return rows


def sheet_rows(data):
    """The cells of a worksheet as lists of strings (inline strings and numbers)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = []
    for row in ET.fromstring(data).iterfind(".//m:sheetData/m:row", ns):
        cells = []
        for c in row.iterfind("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            index = 0
            for ch in col:
                index = index * 26 + ord(ch) - 64
            while len(cells) < index - 1:
                cells.append("")
            if c.get("t") == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iterfind(".//m:t", ns)))
            else:
                v = c.find("m:v", ns)
                cells.append(("N:" + v.text) if v is not None else "")
        rows.append(cells)
    return rows


class Exports(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.coordinator = cls.server.login(support.COORDINATOR)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.key = "exp_" + uuid.uuid4().hex[:8]
        cls.fid = publish(cls.coordinator, cls.key)
        cls.base = ORG + "/forms/%s/export" % cls.fid
        cls.ani = "uuid:" + str(uuid.uuid4())
        cls.budi = "uuid:" + str(uuid.uuid4())
        cls.gone = "uuid:" + str(uuid.uuid4())
        cls.post(instance(cls.key, cls.ani, 'Bosen, "Mollo"\nUtara', "well", "food cash", "3",
                          [("Ani Ṣuáręż", "34", [("2026-01-02", "demam"), ("2026-02-03", "batuk, pilek")]),
                           ("Budi", "9", []),
                           ("Citra", "", [("2026-03-04", "")])], note="rumah panggung 🏠"))
        cls.post(instance(cls.key, cls.budi, "Sebot", "piped", "cash"))
        gone_id = cls.post(instance(cls.key, cls.gone, "Deleted village"))
        path = ORG + "/submissions/%s" % gone_id
        st, h, _ = cls.coordinator.get(path)
        st, _, body = cls.coordinator.delete(path, headers={"If-Match": h["ETag"]})
        assert st == 200, body
        # Budi's is approved, Ani's stays received.
        path = ORG + "/submissions/%s" % cls.budi_id
        st, h, _ = cls.coordinator.get(path)
        st, _, body = cls.coordinator.patch(path, {"state": "approved"}, headers={"If-Match": h["ETag"]})
        assert st == 200, body

    @classmethod
    def post(cls, xml):
        st, _, raw = cls.officer.raw("POST", ORG + "/forms/%s/submissions" % cls.fid, xml,
                                     {"Content-Type": "application/xml"})
        assert st == 201, raw
        sid = json.loads(raw)["id"]
        if b"Sebot" in xml:
            cls.budi_id = sid
        return sid

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def download(self, client, suffix, query=""):
        st, h, raw = client.raw("GET", self.base + suffix + query)
        self.assertEqual(st, 200, raw[:500])
        self.assertEqual(h.get("Transfer-Encoding"), "chunked")
        return h, raw

    def csv_files(self, query="", client=None):
        h, raw = self.download(client or self.coordinator, ".csv.zip", query)
        z = zipfile.ZipFile(io.BytesIO(raw))
        self.assertIsNone(z.testzip())
        return {name: read_csv(z.read(name)) for name in z.namelist()}

    def test_csv_zip_lays_out_main_and_repeat_files_like_central(self):
        h, raw = self.download(self.coordinator, ".csv.zip")
        self.assertEqual(h.get("Content-Type"), "application/zip")
        self.assertEqual(h.get("Content-Disposition"), 'attachment; filename="%s.csv.zip"' % self.key)
        files = self.csv_files()
        self.assertEqual(sorted(files), sorted([self.key + ".csv", self.key + "-member.csv", self.key + "-visit.csv"]))
        main = files[self.key + ".csv"]
        self.assertEqual(main[0], MAIN_HEADERS)
        by_key = {r[7]: dict(zip(MAIN_HEADERS, r)) for r in main[1:]}
        self.assertEqual(sorted(by_key), sorted([self.ani, self.budi]))  # the deleted one is left out
        ani = by_key[self.ani]
        self.assertEqual(ani["village"], 'Bosen, "Mollo"\nUtara')
        self.assertEqual((ani["water"], ani["aid"], ani["household-size"]), ("well", "food cash", "3"))
        self.assertEqual(ani["note"], "rumah panggung 🏠")
        self.assertEqual(ani["meta-instanceID"], self.ani)
        self.assertEqual((ani["ReviewState"], ani["FormVersion"], ani["IssueCount"]), ("received", "1", "0"))
        self.assertRegex(ani["SubmissionDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertRegex(ani["SubmitterID"], r"^\d+$")
        self.assertTrue(ani["SubmitterName"])
        self.assertEqual(by_key[self.budi]["ReviewState"], "approved")

        members = files[self.key + "-member.csv"]
        self.assertEqual(members, [
            ["name", "age", "PARENT_KEY", "KEY"],
            ["Ani Ṣuáręż", "34", self.ani, self.ani + "/household/member[1]"],
            ["Budi", "9", self.ani, self.ani + "/household/member[2]"],
            ["Citra", "", self.ani, self.ani + "/household/member[3]"]])
        visits = files[self.key + "-visit.csv"]
        self.assertEqual(visits, [
            ["date", "reason", "PARENT_KEY", "KEY"],
            ["2026-01-02", "demam", self.ani + "/household/member[1]", self.ani + "/household/member[1]/visit[1]"],
            ["2026-02-03", "batuk, pilek", self.ani + "/household/member[1]",
             self.ani + "/household/member[1]/visit[2]"],
            ["2026-03-04", "", self.ani + "/household/member[3]", self.ani + "/household/member[3]/visit[1]"]])
        member_keys = {r[3] for r in members[1:]}
        for v in visits[1:]:
            self.assertIn(v[2], member_keys)

    def test_csv_without_bom_and_short_headers(self):
        h, raw = self.download(self.coordinator, ".csv.zip", "?bom=false&group_names=false")
        z = zipfile.ZipFile(io.BytesIO(raw))
        data = z.read(self.key + ".csv")
        self.assertFalse(data.startswith(b"\xef\xbb\xbf"))
        header = next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        self.assertEqual(header[:7], ["SubmissionDate", "village", "water", "aid", "size", "note", "instanceID"])

    def test_labels_in_each_language_and_split_multiple(self):
        def ani_row(query):
            main = self.csv_files(query)[self.key + ".csv"]
            return dict(zip(main[0], next(r for r in main[1:] if self.ani in r)))

        en = ani_row("?choices=labels&lang=en&split_multiple=true")
        self.assertEqual((en["water"], en["aid"]), ("Well", "Food, rice; Cash"))
        self.assertEqual((en["aid/food"], en["aid/cash"]), ("1", "1"))
        idn = ani_row("?choices=labels&lang=Bahasa%20Indonesia%20(id)")
        self.assertEqual((idn["water"], idn["aid"]), ("Sumur", "Sembako; Tunai"))
        self.assertNotIn("aid/food", idn)
        names = ani_row("")
        self.assertEqual((names["water"], names["aid"]), ("well", "food cash"))
        main = self.csv_files("?split_multiple=true")[self.key + ".csv"]
        budi = dict(zip(main[0], next(r for r in main[1:] if self.budi in r)))
        self.assertEqual((budi["aid"], budi["aid/food"], budi["aid/cash"]), ("cash", "0", "1"))

    def test_filters(self):
        def keys(query):
            return sorted(r[7] for r in self.csv_files(query)[self.key + ".csv"][1:])

        self.assertEqual(keys("?state=approved"), [self.budi])
        self.assertEqual(keys("?state=received,approved"), sorted([self.ani, self.budi]))
        self.assertEqual(keys("?from=2000-01-01&to=2001-01-01"), [])
        self.assertEqual(keys("?from=2000-01-01"), sorted([self.ani, self.budi]))
        self.assertEqual(keys("?submitter=999999"), [])
        main = self.csv_files("?state=approved")
        self.assertEqual(main[self.key + "-member.csv"], [["name", "age", "PARENT_KEY", "KEY"]])

    def test_xlsx_opens_with_a_sheet_per_repeat(self):
        h, raw = self.download(self.coordinator, ".xlsx")
        self.assertEqual(h.get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(h.get("Content-Disposition"), 'attachment; filename="%s.xlsx"' % self.key)
        z = zipfile.ZipFile(io.BytesIO(raw))
        self.assertIsNone(z.testzip())
        workbook = z.read("xl/workbook.xml").decode()
        self.assertEqual(re.findall(r'<sheet name="([^"]+)"', workbook), [self.key, "member", "visit"])
        main = sheet_rows(z.read("xl/worksheets/sheet1.xml"))
        self.assertEqual(main[0], MAIN_HEADERS)
        self.assertEqual(len(main), 3)  # the deleted one is left out
        ani = dict(zip(MAIN_HEADERS, next(r for r in main if self.ani in r)))
        self.assertEqual(ani["village"], 'Bosen, "Mollo"\nUtara')
        self.assertEqual(ani["household-size"], "N:3")  # an int field as a number
        self.assertEqual(ani["note"], "rumah panggung 🏠")
        visits = sheet_rows(z.read("xl/worksheets/sheet3.xml"))
        self.assertEqual(visits[0], ["date", "reason", "PARENT_KEY", "KEY"])
        self.assertEqual(visits[3], ["2026-03-04", "", self.ani + "/household/member[3]",
                                     self.ani + "/household/member[3]/visit[1]"])

    def test_json_nests_groups_and_repeats(self):
        h, raw = self.download(self.coordinator, ".json", "?choices=labels&lang=id")
        self.assertEqual(h.get("Content-Type"), "application/json")
        docs = {d["__id"]: d for d in json.loads(raw)}
        self.assertEqual(sorted(docs), sorted([self.ani, self.budi]))
        ani = docs[self.ani]
        self.assertEqual(ani["__system"]["reviewState"], "received")
        self.assertEqual(ani["__system"]["formVersion"], "1")
        self.assertEqual(ani["water"], "Sumur")
        self.assertEqual(ani["household"]["size"], 3)
        members = ani["household"]["member"]
        self.assertEqual([m["name"] for m in members], ["Ani Ṣuáręż", "Budi", "Citra"])
        self.assertEqual(members[0]["__id"], self.ani + "/household/member[1]")
        self.assertEqual([v["reason"] for v in members[0]["visit"]], ["demam", "batuk, pilek"])
        self.assertEqual(members[1]["visit"], [])
        self.assertIsNone(members[2]["age"])
        self.assertIsNone(docs[self.budi]["household"]["size"])

    def test_viewer_may_export_and_strangers_may_not(self):
        files = self.csv_files(client=self.viewer)
        self.assertEqual(len(files[self.key + ".csv"]), 3)
        anonymous = self.server.client()
        self.assertProblem(anonymous.get(self.base + ".csv.zip"), 401)
        db = self.server.db_path
        support.add_org(db, "lain-ekspor", "Organisasi Lain")
        support.add_user(db, "lain-ekspor", "admin@lain-ekspor.example", "admin", "rahasia-lain-123")
        other = self.server.login("admin@lain-ekspor.example", "rahasia-lain-123")
        for suffix in (".csv.zip", ".xlsx", ".json"):
            self.assertProblem(other.get(self.base + suffix), 404)
            self.assertProblem(other.get("/api/v1/orgs/lain-ekspor/forms/%s/export%s" % (self.fid, suffix)), 404)

    def test_bad_options_are_refused_before_anything_is_sent(self):
        for query in ("?lang=klingon", "?choices=maybe", "?state=lost", "?from=yesterday", "?split_multiple=perhaps"):
            self.assertProblem(self.coordinator.get(self.base + ".csv.zip" + query), 400, query)

    def test_a_form_without_submissions_exports_headers_only(self):
        key = "empty_" + uuid.uuid4().hex[:8]
        fid = publish(self.coordinator, key)
        st, h, raw = self.coordinator.raw("GET", ORG + "/forms/%s/export.csv.zip" % fid)
        self.assertEqual(st, 200, raw)
        z = zipfile.ZipFile(io.BytesIO(raw))
        self.assertEqual(read_csv(z.read(key + ".csv"))[0][:2], ["SubmissionDate", "village"])
        self.assertEqual(len(read_csv(z.read(key + ".csv"))), 1)
        self.assertEqual(read_csv(z.read(key + "-visit.csv")), [["date", "reason", "PARENT_KEY", "KEY"]])
        st, _, raw = self.coordinator.raw("GET", ORG + "/forms/%s/export.json" % fid)
        self.assertEqual((st, json.loads(raw)), (200, []))


if __name__ == "__main__":
    unittest.main()
