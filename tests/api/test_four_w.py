"""The 4W matrix (who, what, where, when; people targeted and reached by sex) across every program
the caller sees, as JSON and as CSV with the HXL hashtag row second (RFC 4180 quoting, UTF-8,
Content-Disposition): the partner responsible or the organisation, the activity's sector or its
program's problems' sectors, area names at every level (the program's only area standing in),
actual or planned dates, people targeted as planned on the activity and people reached as the
activity's reach counts them. Filters by program, period and area; wrong input; partners see only
the programs shared with them. People targeted on activities: create, update, read, checks, audit."""

import csv
import io
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
ACTIVITIES = ORG + "/activities"
EVENTS = ORG + "/events"
FOUR_W = ORG + "/4w"
PARTNER = support.DEMO_USERS["partner"]
D1 = "53.02.03.2003.01"
D2 = "53.02.03.2003.02"
HASHTAGS = ["#org+impl", "#org+prog", "#sector", "#activity+programme", "#activity+code", "#activity",
            "#adm1+name", "#adm2+name", "#adm3+name", "#adm4+name", "#adm5+name", "#loc+code",
            "#date+start", "#date+end", "#status", "#targeted+f", "#targeted+m", "#targeted",
            "#reached+f", "#reached+m", "#reached"]


class FourW(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server(support.fresh_db()).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.partner = cls.server.login(PARTNER)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        partner_id = next(m["id"] for m in members["items"] if m["email"] == PARTNER)
        st, _, org = cls.admin.get(ORG)
        assert st == 200, org
        cls.org_name = org["name"]
        # The chain of official names above the dusun, level by level.
        cls.chain = [support.area_by_code(cls.admin, ".".join(D1.split(".")[:n])) for n in range(1, 6)]
        cls.d1 = cls.chain[4]
        cls.bosen = cls.chain[3]
        cls.d2 = support.area_by_code(cls.admin, D2)
        st, _, ngo = cls.coord.post(ORG + "/stakeholders", {"name": "Yayasan Tirta, \"Sehat\"", "type": "ngo"})
        assert st == 201, ngo
        cls.ngo = ngo
        st, _, problem = cls.coord.post(ORG + "/problems", {"title": "Air keruh 4W", "sectors": ["Sanitasi", "Air bersih"]})
        assert st == 201, problem

        def program(name, **extra):
            body = {"name": name, "start_date": "2025-01-01", "end_date": "2026-12-31", "status": "active"}
            body.update(extra)
            st, _, p = cls.coord.post(PROGRAMS, body)
            assert st == 201, p
            st, _, node = cls.coord.post(PROGRAMS + "/%s/results" % p["id"], {"title": "Keluaran " + name})
            assert st == 201, node
            p["node"] = node
            return p

        cls.shared = program("Zz 4W Air Bersih", area_ids=[cls.bosen["id"]], problem_ids=[problem["id"]])
        st, _, m = cls.coord.post(PROGRAMS + "/%s/members" % cls.shared["id"], {"user_id": partner_id})
        assert st == 201, m
        cls.hidden = program("Zz 4W Tertutup")

        cls.a1 = cls.activity(cls.shared, "Pelatihan, \"Kader\" Air", code="1.1", sector="WASH",
                              responsible_stakeholder_id=ngo["id"], area_id=cls.d1["id"],
                              planned_start="2026-01-01", planned_end="2026-03-31", actual_start="2026-01-05",
                              people_targeted_female=30, people_targeted_male=20, people_targeted=55)
        cls.a2 = cls.activity(cls.shared, "Distribusi Filter", planned_start="2026-05-01", planned_end="2026-06-30")
        cls.b1 = cls.activity(cls.hidden, "Kegiatan Tertutup", area_id=cls.d2["id"],
                              planned_start="2026-02-01", planned_end="2026-02-28", people_targeted=10)
        people = []
        for name, sex in (("Ani 4W", "female"), ("Budi 4W", "male"), ("Citra 4W", "female"), ("Dedi 4W", "male")):
            st, _, p = cls.coord.post(ORG + "/participants", {"name": name, "sex": sex})
            assert st == 201, p
            people.append(p)
        e1 = cls.event(cls.a1, "2026-01-10")
        e2 = cls.event(cls.a1, "2026-02-10")
        cls.attend(e1, people[:3])
        cls.attend(e2, [people[0], people[3]])  # Ani twice: still one person
        cls.attend(cls.event(cls.b1, "2026-02-02"), people[:1])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    @classmethod
    def activity(cls, program, title, **extra):
        body = {"title": title, "result_node_id": program["node"]["id"],
                "planned_start": "2026-01-01", "planned_end": "2026-12-31"}
        body.update(extra)
        st, _, a = cls.coord.post(PROGRAMS + "/%s/activities" % program["id"], body)
        assert st == 201, a
        return a

    @classmethod
    def event(cls, activity, held_on):
        st, _, e = cls.coord.post(ACTIVITIES + "/%s/events" % activity["id"], {"kind": "training", "held_on": held_on})
        assert st == 201, e
        return e

    @classmethod
    def attend(cls, event, people):
        st, _, body = cls.coord.post(EVENTS + "/%s/attendance" % event["id"], {"participant_ids": [p["id"] for p in people]})
        assert st == 200, body

    def matrix(self, client=None, **query):
        st, _, body = (client or self.viewer).get(FOUR_W + ("?" + urllib.parse.urlencode(query) if query else ""))
        self.assertEqual(st, 200, body)
        return body

    def ours(self, body):
        """Rows of the activities made here (the demo workspace may hold others)."""
        mine = {self.a1["id"], self.a2["id"], self.b1["id"]}
        return {r["activity_id"]: r for r in body["items"] if r["activity_id"] in mine}

    def csv_rows(self, client=None, **query):
        st, h, raw = (client or self.viewer).raw("GET", FOUR_W + ".csv" + ("?" + urllib.parse.urlencode(query) if query else ""))
        self.assertEqual(st, 200, raw)
        self.assertEqual(h.get("Content-Type"), "text/csv; charset=utf-8")
        self.assertEqual(h.get("Content-Disposition"), 'attachment; filename="4w-demo.csv"')
        text = raw.decode("utf-8")  # strict: UTF-8 or the test fails
        self.assertFalse(text.startswith("\ufeff"))
        self.assertTrue(text.endswith("\r\n"))
        return text, list(csv.reader(io.StringIO(text, newline="")))

    # -- the matrix ----------------------------------------------------------------------
    def test_rows_worked_out_by_hand(self):
        rows = self.ours(self.matrix(self.coord))
        self.assertEqual(set(rows), {self.a1["id"], self.a2["id"], self.b1["id"]})
        a1 = rows[self.a1["id"]]
        self.assertEqual((a1["organisation"], a1["programming_organisation"]), ("Yayasan Tirta, \"Sehat\"", self.org_name))
        self.assertEqual((a1["sector"], a1["program"], a1["activity_code"], a1["activity"]),
                         ("WASH", "Zz 4W Air Bersih", "1.1", "Pelatihan, \"Kader\" Air"))
        self.assertEqual(a1["area"], {"province": self.chain[0]["name"], "regency": self.chain[1]["name"],
                                      "district": self.chain[2]["name"], "village": self.chain[3]["name"],
                                      "hamlet": self.chain[4]["name"], "code": D1})
        self.assertEqual((a1["start"], a1["end"], a1["status"]), ("2026-01-05", "2026-03-31", "planned"))
        self.assertEqual(a1["targeted"], {"female": 30, "male": 20, "total": 55})
        # Ani, Citra; Budi, Dedi: Ani attended twice and counts once.
        self.assertEqual(a1["reached"], {"female": 2, "male": 2, "total": 4})
        st, _, reach = self.viewer.get(ACTIVITIES + "/%s/reach" % self.a1["id"])
        self.assertEqual(st, 200, reach)
        unique = reach["unique_people_reached"]
        self.assertEqual((unique["by_sex"]["female"], unique["by_sex"]["male"], unique["total"]),
                         (a1["reached"]["female"], a1["reached"]["male"], a1["reached"]["total"]))
        # No partner: the organisation does it; no sector: the program's problems' sectors; no area:
        # the program's only area (the village).
        a2 = rows[self.a2["id"]]
        self.assertEqual((a2["organisation"], a2["sector"]), (self.org_name, "Air bersih; Sanitasi"))
        self.assertEqual((a2["area"]["village"], a2["area"]["hamlet"], a2["area"]["code"]),
                         (self.chain[3]["name"], None, support.BOSEN_CODE))
        self.assertEqual((a2["start"], a2["end"]), ("2026-05-01", "2026-06-30"))
        self.assertEqual(a2["targeted"], {"female": None, "male": None, "total": None})
        self.assertEqual(a2["reached"], {"female": 0, "male": 0, "total": 0})
        b1 = rows[self.b1["id"]]
        self.assertEqual((b1["sector"], b1["area"]["code"], b1["targeted"]["total"], b1["reached"]["total"]),
                         ("", D2, 10, 1))
        # By program name, then planned start.
        order = [r["activity_id"] for r in self.matrix(self.coord)["items"] if r["activity_id"] in rows]
        self.assertEqual(order, [self.a1["id"], self.a2["id"], self.b1["id"]])

    def test_csv_has_the_hxl_row_second_and_quotes_as_rfc_4180(self):
        text, table = self.csv_rows(self.coord)
        self.assertEqual(table[0][:3], ["Organisation", "Programming organisation", "Sector"])
        self.assertEqual(len(table[0]), len(HASHTAGS))
        self.assertEqual(table[1], HASHTAGS)
        # Fields with commas and quotes are quoted, quotes doubled.
        self.assertIn('"Yayasan Tirta, ""Sehat"""', text)
        self.assertIn('"Pelatihan, ""Kader"" Air"', text)
        by_activity = {r[5]: dict(zip(HASHTAGS, r)) for r in table[2:]}
        a1 = by_activity["Pelatihan, \"Kader\" Air"]
        self.assertEqual((a1["#org+impl"], a1["#sector"], a1["#adm5+name"], a1["#loc+code"]),
                         ("Yayasan Tirta, \"Sehat\"", "WASH", self.chain[4]["name"], D1))
        self.assertEqual([a1[t] for t in HASHTAGS[-6:]], ["30", "20", "55", "2", "2", "4"])
        a2 = by_activity["Distribusi Filter"]
        self.assertEqual([a2[t] for t in HASHTAGS[-6:]], ["", "", "", "0", "0", "0"])
        # The same rows as the JSON matrix, in the same order.
        names = [r["activity"] for r in self.matrix(self.coord)["items"]]
        self.assertEqual([r[5] for r in table[2:]], names)

    def test_filters(self):
        only = self.ours(self.matrix(program=self.shared["id"]))
        self.assertEqual(set(only), {self.a1["id"], self.a2["id"]})
        self.assertTrue(all(r["program_id"] == self.shared["id"] for r in self.matrix(program=self.shared["id"])["items"]))
        # Running within [from, to]: a1 (Jan–Mar) and b1 (Feb), not a2 (May–Jun).
        feb = self.ours(self.matrix(**{"from": "2026-02-01", "to": "2026-02-28"}))
        self.assertEqual(set(feb), {self.a1["id"], self.b1["id"]})
        # People reached within the period: only e2 (Ani, Dedi) in February.
        self.assertEqual(feb[self.a1["id"]]["reached"], {"female": 1, "male": 1, "total": 2})
        self.assertEqual(set(self.ours(self.matrix(**{"from": "2026-04-01"}))), {self.a2["id"]})
        # An area and everything below it.
        self.assertEqual(set(self.ours(self.matrix(area=self.d1["id"]))), {self.a1["id"]})
        self.assertEqual(set(self.ours(self.matrix(area=self.bosen["id"]))), {self.a1["id"], self.a2["id"], self.b1["id"]})
        self.assertEqual(set(self.ours(self.matrix(area=self.d2["id"]))), {self.b1["id"]})
        # The CSV takes the same filters.
        _, table = self.csv_rows(area=self.d1["id"])
        self.assertEqual([r[5] for r in table[2:] if r[5] in ("Pelatihan, \"Kader\" Air", "Distribusi Filter")],
                         ["Pelatihan, \"Kader\" Air"])
        # Wrong input.
        for query in ("from=2026-02-30", "to=kemarin", "from=2026-03-01&to=2026-02-01", "program=abc", "area=x"):
            for path in (FOUR_W, FOUR_W + ".csv"):
                self.assertProblem(self.viewer.get(path + "?" + query), 400, query)
        p = self.assertProblem(self.viewer.get(FOUR_W + "?area=999999999"), 422)
        self.assertEqual(p["errors"][0]["field"], "area")
        self.assertProblem(self.viewer.get(FOUR_W + "?program=999999999"), 404)

    def test_partners_see_only_shared_programs(self):
        rows = self.ours(self.matrix(self.partner))
        self.assertEqual(set(rows), {self.a1["id"], self.a2["id"]})
        # Only programs shared with the partner (the demo workspace shares its own program too).
        st, _, visible = self.partner.get(PROGRAMS + "?limit=100")
        self.assertEqual(st, 200, visible)
        shared = {p["id"] for p in visible["items"]}
        self.assertNotIn(self.hidden["id"], shared)
        self.assertTrue(all(r["program_id"] in shared for r in self.matrix(self.partner)["items"]))
        _, table = self.csv_rows(self.partner)
        self.assertNotIn("Kegiatan Tertutup", [r[5] for r in table[2:]])
        self.assertProblem(self.partner.get(FOUR_W + "?program=%s" % self.hidden["id"]), 404)
        self.assertProblem(self.partner.get(FOUR_W + ".csv?program=%s" % self.hidden["id"]), 404)
        self.assertProblem(self.server.client().get(FOUR_W), 401)

    # -- people targeted on activities -----------------------------------------------------
    def test_people_targeted_on_activities(self):
        a = self.activity(self.shared, "Target Orang", people_targeted_female=5, people_targeted_male=7)
        self.assertEqual((a["people_targeted_female"], a["people_targeted_male"], a["people_targeted"]), (5, 7, None))
        st, h, got = self.viewer.get(ACTIVITIES + "/%s" % a["id"])
        self.assertEqual((st, got["people_targeted_female"], got["sector"]), (200, 5, ""))
        st, _, changed = self.coord.patch(ACTIVITIES + "/%s" % a["id"], {"people_targeted": 15, "people_targeted_male": None,
                                                                       "sector": "Kesehatan"},
                                          headers={"If-Match": h.get("ETag")})
        self.assertEqual(st, 200, changed)
        self.assertEqual((changed["people_targeted_female"], changed["people_targeted_male"], changed["people_targeted"],
                          changed["sector"]), (5, None, 15, "Kesehatan"))
        st, _, log = self.admin.get(ORG + "/audit?object_type=activity&object_id=%s" % a["id"])
        self.assertEqual(st, 200, log)
        update = next(e for e in log["items"] if e["action"] == "activity.update")
        self.assertEqual((update["before"]["people_targeted"], update["after"]["people_targeted"]), (None, 15))
        self.assertEqual((update["before"]["people_targeted_male"], update["after"]["people_targeted_male"]), (7, None))
        row = next(r for r in self.matrix()["items"] if r["activity_id"] == a["id"])
        self.assertEqual((row["targeted"], row["sector"]), ({"female": 5, "male": None, "total": 15}, "Kesehatan"))
        # Wrong input: negative, not a whole number, a total below female + male.
        base = {"title": "Salah", "result_node_id": self.shared["node"]["id"],
                "planned_start": "2026-01-01", "planned_end": "2026-12-31"}
        for extra, field in (({"people_targeted_female": -1}, "people_targeted_female"),
                             ({"people_targeted_male": 2.5}, "people_targeted_male"),
                             ({"people_targeted": "banyak"}, "people_targeted"),
                             ({"people_targeted": 10, "people_targeted_female": 6, "people_targeted_male": 5}, "people_targeted"),
                             ({"sector": "x" * 101}, "sector")):
            with self.subTest(extra=extra):
                p = self.assertProblem(self.coord.post(PROGRAMS + "/%s/activities" % self.shared["id"], dict(base, **extra)), 422)
                self.assertEqual([e["field"] for e in p["errors"]], [field])
        st, h, _ = self.viewer.get(ACTIVITIES + "/%s" % a["id"])
        p = self.assertProblem(self.coord.patch(ACTIVITIES + "/%s" % a["id"], {"people_targeted": 4},
                                                headers={"If-Match": h.get("ETag")}), 422)  # below female (5)
        self.assertEqual(p["errors"][0]["field"], "people_targeted")
        self.assertProblem(self.viewer.patch(ACTIVITIES + "/%s" % a["id"], {"people_targeted": 40},
                                             headers={"If-Match": h.get("ETag")}), 403)


if __name__ == "__main__":
    import unittest
    unittest.main()
