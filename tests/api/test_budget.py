"""Budgets: lines per program (optionally per activity) with an APBDes bidang or free category,
funding source (a donor line names its donor) and planned amounts per month within the program;
expenditures (realisasi) within the program's period, the bin; receipts (multipart, 10 MiB,
served as downloads only to those who see the program); the report worked out by hand (planned
to date, burn rates, categories, funding sources, months, cost per unit and per person reached);
If-Match, audit, roles, partners and another organisation."""

import http.client
import unittest
import urllib.parse
import uuid

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
LINES = ORG + "/budget-lines"
SPENT = ORG + "/expenditures"
AUDIT = ORG + "/audit"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-anggaran.example.org"
OTHER_PASSWORD = "lain-rahasia-6"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"kwitansi"


def multipart(name, data, content_type="application/octet-stream", field="file"):
    boundary = "gotong" + uuid.uuid4().hex
    body = (("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
             "Content-Type: %s\r\n\r\n") % (boundary, field, name, content_type)).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


class Budget(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.start_with_every_role(cls, OTHER_ADMIN, OTHER_PASSWORD)
        st, _, donor = cls.coord.post(ORG + "/stakeholders", {"name": "Yayasan Donor Anggaran", "type": "donor"})
        assert st == 201, donor
        cls.donor = donor
        st, _, body = cls.other.post("/api/v1/orgs/other/stakeholders", {"name": "Donor Lain", "type": "donor"})
        assert st == 201, body
        cls.other_donor = body
        cls.program, cls.node, cls.activity = cls.program_with_activity("Program Anggaran")
        cls.program2, _, cls.activity2 = cls.program_with_activity("Program Anggaran Kedua")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    @classmethod
    def program_with_activity(cls, name):
        st, _, p = cls.coord.post(PROGRAMS, {"name": name, "start_date": "2026-01-01", "end_date": "2026-12-31"})
        assert st == 201, p
        st, _, node = cls.coord.post(PROGRAMS + "/%s/results" % p["id"], {"title": "Keluaran " + name})
        assert st == 201, node
        st, _, a = cls.coord.post(PROGRAMS + "/%s/activities" % p["id"], {
            "title": "Pelatihan " + name, "result_node_id": node["id"], "planned_start": "2026-01-01",
            "planned_end": "2026-06-30"})
        assert st == 201, a
        return p, node, a

    def line(self, program=None, client=None, **body):
        b = {"name": "Pipa dan sambungan", "category": "apbdes_2", "funding_source": "apbdes"}
        b.update(body)
        st, h, line = (client or self.coord).post(PROGRAMS + "/%s/budget-lines" % (program or self.program)["id"], b)
        self.assertEqual(st, 201, line)
        self.assertEqual(h.get("ETag"), '"v%d"' % line["version"])
        return line

    def spend(self, line, spent_on, amount, payee="Toko Bangunan Soe", **extra):
        body = {"spent_on": spent_on, "amount": amount, "payee": payee}
        body.update(extra)
        st, _, e = self.coord.post(LINES + "/%s/expenditures" % line["id"], body)
        self.assertEqual(st, 201, e)
        return e

    def upload(self, expenditure, data=PNG, name="kwitansi.png", content_type="image/png", version=None, client=None):
        body, ct = multipart(name, data, content_type)
        headers = {"Content-Type": ct}
        if version is not False:
            headers["If-Match"] = '"v%d"' % (version or expenditure["version"])
        st, h, raw = (client or self.coord).raw("POST", SPENT + "/%s/receipt" % expenditure["id"], body, headers)
        return st, h, support.decode_body(h, raw)

    def oversized_upload(self, expenditure, version):
        """Posts 11 MiB: the server answers 413 from the head and may close before the body is
        sent, so the answer is read even when sending fails."""
        body, ct = multipart("besar.pdf", b"x" * (11 * 1024 * 1024))
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            try:
                conn.request("POST", SPENT + "/%s/receipt" % expenditure["id"], body=body, headers={
                    "Content-Type": ct, "If-Match": '"v%d"' % version, "Cookie": self.coord.cookie_header(),
                    "X-CSRF-Token": self.coord.csrf_token})
            except (BrokenPipeError, ConnectionResetError):
                pass
            return conn.getresponse().status
        finally:
            conn.close()

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    # -- lines ---------------------------------------------------------------------------
    def test_categories(self):
        st, _, body = self.viewer.get(ORG + "/budget-categories")
        self.assertEqual(st, 200, body)
        self.assertEqual([c["id"] for c in body["items"]], ["apbdes_%d" % i for i in range(1, 6)])
        self.assertEqual(body["items"][0]["name"], "Penyelenggaraan Pemerintahan Desa")
        self.assertEqual(body["items"][4]["name"], "Penanggulangan Bencana, Keadaan Darurat dan Mendesak Desa")

    def test_create_and_read_line(self):
        line = self.line(code="2.1", name="Sambungan rumah", category="apbdes_2", funding_source="donor",
                         donor_stakeholder_id=self.donor["id"], activity_id=self.activity["id"], output_unit="sambungan",
                         output_planned=40, notes="Dua tahap",
                         planned=[{"period": "2026-03", "amount": 2_000_000}, {"period": "2026-01", "amount": 4_000_000}])
        self.assertEqual((line["code"], line["name"], line["category"]), ("2.1", "Sambungan rumah", "apbdes_2"))
        self.assertEqual(line["category_name"], "Pelaksanaan Pembangunan Desa")
        self.assertEqual((line["funding_source"], line["donor_stakeholder_id"], line["donor_name"]),
                         ("donor", self.donor["id"], "Yayasan Donor Anggaran"))
        self.assertEqual((line["activity_id"], line["activity_title"]), (self.activity["id"], self.activity["title"]))
        self.assertEqual(line["planned"], [{"period": "2026-01", "amount": 4_000_000}, {"period": "2026-03", "amount": 2_000_000}])
        self.assertEqual((line["planned_total"], line["actual_total"], line["currency"]), (6_000_000, 0, "IDR"))
        self.assertEqual((line["output_unit"], line["output_planned"], line["output_actual"]), ("sambungan", 40, None))
        st, h, again = self.viewer.get(LINES + "/%s" % line["id"])
        self.assertEqual((st, again), (200, line))
        self.assertEqual(h.get("ETag"), '"v1"')
        free = self.line(name="Transport relawan", category="Transportasi", funding_source="swadaya")
        self.assertEqual((free["category"], free["category_name"]), ("Transportasi", "Transportasi"))
        st, _, listed = self.viewer.get(PROGRAMS + "/%s/budget-lines?activity=%s" % (self.program["id"], self.activity["id"]))
        self.assertIn(line["id"], [x["id"] for x in listed["items"]])
        self.assertNotIn(free["id"], [x["id"] for x in listed["items"]])
        e = self.audit(object_type="budget_line", object_id=line["id"])[0]
        self.assertEqual((e["action"], e["after"]["planned_total"]), ("budget_line.create", 6_000_000))

    def test_line_wrong_input(self):
        cases = [
            ({"category": "apbdes_9"}, "category"),
            ({"category": ""}, "category"),
            ({"funding_source": "bank"}, "funding_source"),
            ({"funding_source": "donor"}, "donor_stakeholder_id"),                      # a donor line names its donor
            ({"funding_source": "donor", "donor_stakeholder_id": self.other_donor["id"]}, "donor_stakeholder_id"),
            ({"donor_stakeholder_id": self.donor["id"]}, "donor_stakeholder_id"),       # only donor lines do
            ({"activity_id": self.activity2["id"]}, "activity_id"),                     # another program's
            ({"planned": [{"period": "2025-12", "amount": 1}]}, "planned[0].period"),    # before the program
            ({"planned": [{"period": "2027-01", "amount": 1}]}, "planned[0].period"),    # after it
            ({"planned": [{"period": "2026-13", "amount": 1}]}, "planned[0].period"),
            ({"planned": [{"period": "2026-01-01", "amount": 1}]}, "planned[0].period"),
            ({"planned": [{"period": "2026-02", "amount": 1}, {"period": "2026-02", "amount": 2}]}, "planned[1].period"),
            ({"planned": [{"period": "2026-02", "amount": -1}]}, "planned[0].amount"),
            ({"planned": [{"period": "2026-02", "amount": 1.5}]}, "planned[0].amount"),
            ({"planned": [{"period": "2026-02", "amount": "1000"}]}, "planned[0].amount"),
            ({"output_planned": -3}, "output_planned"),
            ({"name": " "}, "name"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                body = dict({"name": "Salah Anggaran", "category": "apbdes_2", "funding_source": "apbdes"}, **change)
                p = self.assertProblem(self.coord.post(PROGRAMS + "/%s/budget-lines" % self.program["id"], body), 422)
                self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        for missing in ("name", "category", "funding_source"):
            body = {k: v for k, v in {"name": "Salah Anggaran", "category": "apbdes_2", "funding_source": "apbdes"}.items()
                    if k != missing}
            p = self.assertProblem(self.coord.post(PROGRAMS + "/%s/budget-lines" % self.program["id"], body), 422)
            self.assertEqual(p["errors"][0]["field"], missing)
        st, _, listed = self.coord.get(PROGRAMS + "/%s/budget-lines" % self.program["id"])
        self.assertNotIn("Salah Anggaran", [x["name"] for x in listed["items"]])

    def test_update_line(self):
        line = self.line(name="Ubah Anggaran", funding_source="donor", donor_stakeholder_id=self.donor["id"],
                         planned=[{"period": "2026-01", "amount": 100}])
        path = LINES + "/%s" % line["id"]
        self.assertProblem(self.coord.patch(path, {"name": "X"}), 428)
        self.assertProblem(self.coord.patch(path, {"name": "X"}, headers={"If-Match": '"v3"'}), 412)
        st, h, ch = self.coord.patch(path, {"funding_source": "swadaya", "output_actual": 12,
                                            "planned": [{"period": "2026-05", "amount": 700}, {"period": "2026-06", "amount": 300}]},
                                     headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, ch)
        self.assertEqual((ch["funding_source"], ch["donor_stakeholder_id"]), ("swadaya", None), "the donor goes with donor funding")
        self.assertEqual((ch["planned_total"], [p["period"] for p in ch["planned"]]), (1000, ["2026-05", "2026-06"]))
        self.assertEqual((ch["output_actual"], ch["name"], ch["version"]), (12, "Ubah Anggaran", 2))
        self.assertEqual(h.get("ETag"), '"v2"')
        # Back to a donor: it must be named.
        p = self.assertProblem(self.coord.patch(path, {"funding_source": "donor"}, headers={"If-Match": '"v2"'}), 422)
        self.assertEqual(p["errors"][0]["field"], "donor_stakeholder_id")
        e = self.audit(object_type="budget_line", object_id=line["id"], action="budget_line.update")[0]
        self.assertEqual((e["before"]["planned_total"], e["after"]["planned_total"]), (100, 1000))

    # -- expenditures --------------------------------------------------------------------
    def test_expenditures(self):
        line = self.line(name="Belanja Semen", planned=[{"period": "2026-02", "amount": 5_000_000}])
        line2 = self.line(name="Belanja Pasir")
        e1 = self.spend(line, "2026-02-03", 1_250_000, description="20 sak semen")
        self.assertEqual((e1["amount"], e1["currency"], e1["line_id"], e1["line_name"]), (1_250_000, "IDR", line["id"], "Belanja Semen"))
        self.assertEqual((e1["payee"], e1["description"], e1["receipt"], e1["deleted_at"]),
                         ("Toko Bangunan Soe", "20 sak semen", None, None))
        e2 = self.spend(line, "2026-03-10", 750_000)
        e3 = self.spend(line2, "2026-02-20", 300_000)
        st, _, l1 = self.viewer.get(LINES + "/%s" % line["id"])
        self.assertEqual(l1["actual_total"], 2_000_000)
        path = PROGRAMS + "/%s/expenditures" % self.program["id"]
        st, _, listed = self.viewer.get(path + "?line=%s" % line["id"])
        self.assertEqual([x["id"] for x in listed["items"]], [e2["id"], e1["id"]])  # newest first
        st, _, listed = self.viewer.get(path + "?from=2026-02-01&to=2026-02-28")
        self.assertTrue({e1["id"], e3["id"]} <= {x["id"] for x in listed["items"]})
        self.assertNotIn(e2["id"], [x["id"] for x in listed["items"]])
        # Wrong input.
        cases = [({"amount": 0}, "amount"), ({"amount": -5}, "amount"), ({"amount": 10.5}, "amount"),
                 ({"amount": "1000"}, "amount"), ({"spent_on": "2025-12-31"}, "spent_on"), ({"spent_on": "2027-01-01"}, "spent_on"),
                 ({"spent_on": "2026-02-30"}, "spent_on"), ({"payee": ""}, "payee")]
        for change, field in cases:
            with self.subTest(change=change):
                body = dict({"spent_on": "2026-02-01", "amount": 1000, "payee": "X"}, **change)
                p = self.assertProblem(self.coord.post(LINES + "/%s/expenditures" % line["id"], body), 422)
                self.assertEqual(p["errors"][0]["field"], field)
        for missing in ("spent_on", "amount", "payee"):
            body = {k: v for k, v in {"spent_on": "2026-02-01", "amount": 1000, "payee": "X"}.items() if k != missing}
            p = self.assertProblem(self.coord.post(LINES + "/%s/expenditures" % line["id"], body), 422)
            self.assertEqual(p["errors"][0]["field"], missing)
        # Change, move to another line of the program, If-Match.
        epath = SPENT + "/%s" % e2["id"]
        self.assertProblem(self.coord.patch(epath, {"amount": 800_000}), 428)
        self.assertProblem(self.coord.patch(epath, {"amount": 800_000}, headers={"If-Match": '"v2"'}), 412)
        st, _, ch = self.coord.patch(epath, {"amount": 800_000, "line_id": line2["id"]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, ch)
        self.assertEqual((ch["amount"], ch["line_id"], ch["version"]), (800_000, line2["id"], 2))
        other_line = self.line(program=self.program2, name="Lain Program")
        p = self.assertProblem(self.coord.patch(epath, {"line_id": other_line["id"]}, headers={"If-Match": '"v2"'}), 422)
        self.assertEqual(p["errors"][0]["field"], "line_id")
        # The bin: not counted, listed apart, not changed any more.
        self.assertProblem(self.coord.delete(SPENT + "/%s" % e1["id"]), 428)
        st, _, _ = self.coord.delete(SPENT + "/%s" % e1["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        st, _, l1 = self.viewer.get(LINES + "/%s" % line["id"])
        self.assertEqual(l1["actual_total"], 0)
        st, _, binned = self.viewer.get(path + "?deleted=true&line=%s" % line["id"])
        self.assertEqual([x["id"] for x in binned["items"]], [e1["id"]])
        st, _, gone = self.viewer.get(SPENT + "/%s" % e1["id"])
        self.assertIsNotNone(gone["deleted_at"])
        self.assertProblem(self.coord.patch(SPENT + "/%s" % e1["id"], {"amount": 1}, headers={"If-Match": '"v2"'}), 409)
        actions = [x["action"] for x in self.audit(object_type="expenditure", object_id=e1["id"])]
        self.assertEqual(actions, ["expenditure.delete", "expenditure.create"])

    def test_receipts(self):
        line = self.line(name="Belanja Kwitansi")
        e = self.spend(line, "2026-04-01", 450_000)
        st, h, body = self.upload(e, version=False)
        self.assertEqual(st, 428, body)
        st, h, body = self.upload(e, version=7)
        self.assertEqual(st, 412, body)
        st, h, body = self.upload(e, client=self.officer)
        self.assertEqual(st, 403, body)
        st, h, body = self.upload(e)
        self.assertEqual(st, 200, body)
        self.assertEqual((body["receipt"]["name"], body["receipt"]["content_type"], body["receipt"]["size"]),
                         ("kwitansi.png", "image/png", len(PNG)))
        self.assertEqual((body["version"], h.get("ETag")), (2, '"v2"'))
        for client in (self.coord, self.viewer):
            st, h, data = client.raw("GET", SPENT + "/%s/receipt" % e["id"])
            self.assertEqual((st, data), (200, PNG))
            self.assertEqual(h.get("Content-Type"), "image/png")
            self.assertTrue(h.get("Content-Disposition").startswith("attachment;"))
            self.assertEqual(h.get("X-Content-Type-Options"), "nosniff")
        # A page is never served as a page from our origin.
        st, _, body = self.upload(e, b"<script>alert(1)</script>", "nota.html", "text/html", version=2)
        self.assertEqual((st, body["receipt"]["content_type"]), (200, "application/octet-stream"))
        st, h, data = self.viewer.raw("GET", SPENT + "/%s/receipt" % e["id"])
        self.assertEqual(h.get("Content-Type"), "application/octet-stream")
        st, _, body = self.upload(e, b"%PDF-1.4 kwitansi", "nota.pdf", "application/octet-stream", version=3)
        self.assertEqual(body["receipt"]["content_type"], "application/pdf")
        # Ten MiB at most: the file itself (413 from the rules), or a body over the limit (413 before reading).
        st, _, body = self.upload(e, b"x" * (10 * 1024 * 1024 + 1), "besar.pdf", version=4)
        self.assertEqual(st, 413, body)
        self.assertEqual(self.oversized_upload(e, 4), 413)
        st, _, body = self.upload(e, b"", "kosong.pdf", version=4)
        self.assertEqual(st, 422, body)
        st, _, body = self.upload(e, PNG, "../../etc/passwd", version=4)
        self.assertEqual(st, 422, body)
        # Removing it.
        self.assertProblem(self.coord.delete(SPENT + "/%s/receipt" % e["id"], headers={"If-Match": '"v3"'}), 412)
        st, _, body = self.coord.delete(SPENT + "/%s/receipt" % e["id"], headers={"If-Match": '"v4"'})
        self.assertEqual((st, body["receipt"]), (200, None))
        self.assertProblem(self.coord.get(SPENT + "/%s/receipt" % e["id"]), 404)
        actions = [x["action"] for x in self.audit(object_type="expenditure", object_id=e["id"])]
        self.assertEqual(actions, ["expenditure.receipt_remove", "expenditure.receipt", "expenditure.receipt",
                                   "expenditure.receipt", "expenditure.create"])

    # -- the report ----------------------------------------------------------------------
    def test_report_worked_out_by_hand(self):
        p, node, act = self.program_with_activity("Program Laporan")
        water = self.line(program=p, name="Air", category="apbdes_2", funding_source="donor",
                          donor_stakeholder_id=self.donor["id"], output_unit="sambungan", output_planned=40, output_actual=30,
                          planned=[{"period": "2026-01", "amount": 4_000_000}, {"period": "2026-02", "amount": 4_000_000},
                                   {"period": "2026-03", "amount": 2_000_000}])
        training = self.line(program=p, name="Latih", category="Pelatihan", funding_source="swadaya", activity_id=act["id"],
                             planned=[{"period": "2026-02", "amount": 1_000_000}, {"period": "2026-04", "amount": 1_000_000}])
        self.spend(water, "2026-01-10", 3_000_000)
        self.spend(water, "2026-02-05", 5_000_000)
        self.spend(water, "2026-03-03", 1_000_000)   # after as_of
        self.spend(training, "2026-02-14", 500_000)
        binned = self.spend(water, "2026-01-20", 999)
        self.coord.delete(SPENT + "/%s" % binned["id"], headers={"If-Match": '"v1"'})
        # Four people by mid-February, a fifth in March.
        st, _, ev1 = self.coord.post(ORG + "/activities/%s/events" % act["id"], {"kind": "training", "held_on": "2026-02-01"})
        st, _, ev2 = self.coord.post(ORG + "/activities/%s/events" % act["id"], {"kind": "training", "held_on": "2026-03-01"})
        people = []
        for i, sex in enumerate(("female", "male", "female", "male", "female")):
            st, _, person = self.coord.post(ORG + "/participants", {"name": "Laporan %d" % i, "sex": sex})
            people.append(person["id"])
        self.coord.post(ORG + "/events/%s/attendance" % ev1["id"], {"participant_ids": people[:4]})
        self.coord.post(ORG + "/events/%s/attendance" % ev2["id"], {"participant_ids": people[3:]})

        st, _, r = self.viewer.get(PROGRAMS + "/%s/budget-report?as_of=2026-02-15" % p["id"])
        self.assertEqual(st, 200, r)
        self.assertEqual((r["as_of"], r["currency"], r["program_id"]), ("2026-02-15", "IDR", p["id"]))
        # Planned 12,000,000 in all, 9,000,000 up to February; spent 8,500,000 by the 15th.
        self.assertEqual(r["total"], {"planned": 12_000_000, "planned_to_date": 9_000_000, "actual": 8_500_000,
                                      "remaining": 3_500_000, "burn_rate_to_date": 0.9444, "burn_rate_total": 0.7083})
        by_line = {x["line_id"]: x for x in r["lines"]}
        w = by_line[water["id"]]
        self.assertEqual((w["planned"], w["planned_to_date"], w["actual"], w["burn_rate_to_date"]), (10_000_000, 8_000_000, 8_000_000, 1.0))
        self.assertEqual((w["planned_cost_per_unit"], w["actual_cost_per_unit"]), (250_000, 266_667))  # 10M/40, 8M/30
        t = by_line[training["id"]]
        self.assertEqual((t["planned_to_date"], t["actual"], t["burn_rate_to_date"], t["burn_rate_total"]), (1_000_000, 500_000, 0.5, 0.25))
        self.assertEqual(t["activity_id"], act["id"])
        self.assertEqual([c["category"] for c in r["categories"]], ["Pelatihan", "apbdes_2"])
        self.assertEqual(r["categories"][1]["category_name"], "Pelaksanaan Pembangunan Desa")
        self.assertEqual({s["funding_source"]: s["actual"] for s in r["funding_sources"]}, {"donor": 8_000_000, "swadaya": 500_000})
        self.assertEqual(r["periods"], [
            {"period": "2026-01", "planned": 4_000_000, "actual": 3_000_000, "cumulative_planned": 4_000_000, "cumulative_actual": 3_000_000},
            {"period": "2026-02", "planned": 5_000_000, "actual": 5_500_000, "cumulative_planned": 9_000_000, "cumulative_actual": 8_500_000},
            {"period": "2026-03", "planned": 2_000_000, "actual": 0, "cumulative_planned": 11_000_000, "cumulative_actual": 8_500_000},
            {"period": "2026-04", "planned": 1_000_000, "actual": 0, "cumulative_planned": 12_000_000, "cumulative_actual": 8_500_000}])
        # 8,500,000 for 4 people; the training line's 500,000 for the 4 its activity reached.
        self.assertEqual((r["unique_people_reached"], r["cost_per_person_reached"]), (4, 2_125_000))
        self.assertEqual(r["activities"], [{"activity_id": act["id"], "title": act["title"], "planned": 2_000_000,
                                            "actual": 500_000, "unique_people_reached": 4, "cost_per_person_reached": 125_000}])
        # At the end of the year: 9,500,000 for 5 people.
        st, _, r2 = self.viewer.get(PROGRAMS + "/%s/budget-report?as_of=2026-12-31" % p["id"])
        self.assertEqual((r2["total"]["actual"], r2["total"]["planned_to_date"], r2["unique_people_reached"],
                          r2["cost_per_person_reached"]), (9_500_000, 12_000_000, 5, 1_900_000))
        # Nothing planned or reached: no rates rather than a division by zero.
        empty, _, _ = self.program_with_activity("Program Kosong")
        st, _, r3 = self.viewer.get(PROGRAMS + "/%s/budget-report?as_of=2026-06-30" % empty["id"])
        self.assertEqual((r3["total"]["burn_rate_total"], r3["cost_per_person_reached"], r3["lines"]), (None, None, []))
        self.assertProblem(self.viewer.get(PROGRAMS + "/%s/budget-report?as_of=2026-02-31" % p["id"]), 400)

    def test_delete_line(self):
        spent = self.line(name="Terpakai")
        e = self.spend(spent, "2026-05-01", 10)
        self.coord.delete(SPENT + "/%s" % e["id"], headers={"If-Match": '"v1"'})
        p = self.assertProblem(self.coord.delete(LINES + "/%s" % spent["id"], headers={"If-Match": '"v1"'}), 409)
        self.assertIn("expenditures", p["detail"])  # the bin's too: the books keep them
        unused = self.line(name="Tidak Terpakai", planned=[{"period": "2026-05", "amount": 10}])
        self.assertProblem(self.coord.delete(LINES + "/%s" % unused["id"], headers={"If-Match": '"v2"'}), 412)
        st, _, _ = self.coord.delete(LINES + "/%s" % unused["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.coord.get(LINES + "/%s" % unused["id"]), 404)
        self.assertEqual(self.audit(object_type="budget_line", object_id=unused["id"])[0]["action"], "budget_line.delete")

    def test_roles_partners_and_other_organisation(self):
        line = self.line(name="Peran Anggaran")
        e = self.spend(line, "2026-06-01", 100)
        self.assertEqual(self.upload(e)[0], 200)
        for client in (self.viewer, self.officer):
            with self.subTest(client=client):
                self.assertProblem(client.post(PROGRAMS + "/%s/budget-lines" % self.program["id"],
                                               {"name": "X", "category": "apbdes_1", "funding_source": "apbdes"}), 403)
                self.assertProblem(client.post(LINES + "/%s/expenditures" % line["id"],
                                               {"spent_on": "2026-06-01", "amount": 1, "payee": "X"}), 403)
                self.assertProblem(client.patch(LINES + "/%s" % line["id"], {"name": "X"}, headers={"If-Match": '"v1"'}), 403)
                self.assertEqual(client.get(PROGRAMS + "/%s/budget-report" % self.program["id"])[0], 200)
        # Partners: only shared programs, receipts included.
        for path in (LINES + "/%s" % line["id"], SPENT + "/%s" % e["id"], SPENT + "/%s/receipt" % e["id"],
                     PROGRAMS + "/%s/budget-report" % self.program["id"], PROGRAMS + "/%s/budget-lines" % self.program["id"]):
            with self.subTest(path=path):
                self.assertProblem(self.partner.get(path), 404)
                self.assertProblem(self.other.get(path), 404)
        st, _, members = self.admin.get(ORG + "/members")
        partner_id = next(m["id"] for m in members["items"] if m["email"] == PARTNER)
        st, _, body = self.coord.post(PROGRAMS + "/%s/members" % self.program["id"], {"user_id": partner_id})
        self.assertEqual(st, 201, body)
        st, _, data = self.partner.raw("GET", SPENT + "/%s/receipt" % e["id"])
        self.assertEqual((st, data), (200, PNG))
        self.assertEqual(self.partner.get(PROGRAMS + "/%s/budget-report" % self.program["id"])[0], 200)
        self.assertProblem(self.partner.get(PROGRAMS + "/%s/budget-report" % self.program2["id"]), 404)
        self.coord.delete(PROGRAMS + "/%s/members/%s" % (self.program["id"], partner_id))


if __name__ == "__main__":
    unittest.main()
