"""Activities under a results-framework node of their own program (a node of another program is
refused), with schedule, status, responsible user or partner, area and the budget lines charged
to them; events (training, meeting, distribution, musyawarah, other) with date, place, area and
facilitators; the reach of a program and of an activity (sessions held, people reached, unique
people reached, by sex, age band and disability) worked out by hand; If-Match, audit, roles,
partners (only shared programs) and another organisation (404)."""

import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
ACTIVITIES = ORG + "/activities"
EVENTS = ORG + "/events"
AUDIT = ORG + "/audit"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-kegiatan.example.org"
OTHER_PASSWORD = "lain-rahasia-4"
START, END = "2025-01-01", "2035-12-31"  # program period: far enough for "future" events


class Activities(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.start_with_every_role(cls, OTHER_ADMIN, OTHER_PASSWORD)
        cls.bosen = support.area_by_code(cls.admin, support.BOSEN_CODE)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}
        st, _, ngo = cls.coord.post(ORG + "/stakeholders", {"name": "Yayasan Mitra Air", "type": "ngo"})
        assert st == 201, ngo
        cls.ngo = ngo
        st, _, body = cls.other.post("/api/v1/orgs/other/stakeholders", {"name": "Mitra Lain", "type": "ngo"})
        assert st == 201, body
        cls.other_stakeholder = body
        cls.program, cls.output = cls.program_with_framework("Air Bersih Kegiatan")
        cls.program2, cls.output2 = cls.program_with_framework("Program Kedua")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    @classmethod
    def program_with_framework(cls, name, client=None, org="demo"):
        c = client or cls.coord
        st, _, p = c.post("/api/v1/orgs/%s/programs" % org, {"name": name, "start_date": START, "end_date": END})
        assert st == 201, p
        parent = None
        node = None
        for title in ("Tujuan", "Hasil", "Keluaran", "Kegiatan"):
            body = {"title": title + " " + name}
            if parent:
                body["parent_id"] = parent["id"]
            st, _, node = c.post("/api/v1/orgs/%s/programs/%s/results" % (org, p["id"]), body)
            assert st == 201, node
            parent = node
        return p, node  # the lowest tier

    def create(self, title="Pelatihan", program=None, node=None, client=None, **extra):
        body = {"title": title, "result_node_id": (node or self.output)["id"],
                "planned_start": "2026-03-01", "planned_end": "2026-05-31"}
        body.update(extra)
        st, h, a = (client or self.coord).post(PROGRAMS + "/%s/activities" % (program or self.program)["id"], body)
        self.assertEqual(st, 201, a)
        self.assertEqual(h.get("ETag"), '"v%d"' % a["version"])
        return a

    def event(self, activity, held_on="2026-03-10", kind="training", client=None, **extra):
        body = {"kind": kind, "held_on": held_on}
        body.update(extra)
        st, _, e = (client or self.coord).post(ACTIVITIES + "/%s/events" % activity["id"], body)
        self.assertEqual(st, 201, e)
        return e

    def participant(self, name, sex, birth_year=None, **extra):
        body = {"name": name, "sex": sex}
        if birth_year is not None:
            body["birth_year"] = birth_year
        body.update(extra)
        st, _, p = self.coord.post(ORG + "/participants", body)
        self.assertEqual(st, 201, p)
        return p

    def attend(self, event, people):
        st, _, body = self.coord.post(EVENTS + "/%s/attendance" % event["id"], {"participant_ids": [p["id"] for p in people]})
        self.assertEqual(st, 200, body)
        return body

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    # -- activities ----------------------------------------------------------------------
    def test_create_and_read(self):
        a = self.create("Pelatihan Kader Air", code="1.1.1", description="Tiga hari", status="ongoing",
                        actual_start="2026-03-02", area_id=self.bosen["id"],
                        responsible_user_id=self.user_ids[support.FIELD_OFFICER],
                        responsible_stakeholder_id=self.ngo["id"])
        self.assertEqual((a["title"], a["code"], a["status"]), ("Pelatihan Kader Air", "1.1.1", "ongoing"))
        self.assertEqual(a["result_node"]["id"], self.output["id"])
        self.assertEqual((a["result_node"]["tier"], a["result_node"]["tier_name"]), (3, "Activity"))
        self.assertEqual((a["planned_start"], a["planned_end"]), ("2026-03-01", "2026-05-31"))
        self.assertEqual((a["actual_start"], a["actual_end"]), ("2026-03-02", None))
        self.assertEqual(a["responsible_user"]["id"], self.user_ids[support.FIELD_OFFICER])
        self.assertEqual(a["responsible_stakeholder"], {"id": self.ngo["id"], "name": "Yayasan Mitra Air", "type": "ngo"})
        self.assertEqual(a["area"]["code"], support.BOSEN_CODE)
        self.assertEqual((a["budget_lines"], a["event_count"]), ([], 0))
        st, h, again = self.viewer.get(ACTIVITIES + "/%s" % a["id"])
        self.assertEqual(st, 200, again)
        self.assertEqual(again, a)
        self.assertEqual(h.get("ETag"), '"v1"')
        e = self.audit(object_type="activity", object_id=a["id"])[0]
        self.assertEqual((e["action"], e["actor"]), ("activity.create", support.COORDINATOR))
        self.assertEqual(e["after"]["title"], "Pelatihan Kader Air")

    def test_node_must_be_of_the_program(self):
        p = self.assertProblem(self.coord.post(PROGRAMS + "/%s/activities" % self.program["id"], {
            "title": "Salah", "result_node_id": self.output2["id"],
            "planned_start": "2026-03-01", "planned_end": "2026-03-31"}), 422)
        self.assertEqual(p["errors"][0]["field"], "result_node_id")
        a = self.create("Pindah Node")
        p = self.assertProblem(self.coord.patch(ACTIVITIES + "/%s" % a["id"], {"result_node_id": self.output2["id"]},
                                                headers={"If-Match": '"v1"'}), 422)
        self.assertEqual(p["errors"][0]["field"], "result_node_id")

    def test_wrong_input(self):
        base = {"title": "Salah", "result_node_id": self.output["id"], "planned_start": "2026-03-01",
                "planned_end": "2026-03-31"}
        st, _, other_members = self.other.get("/api/v1/orgs/other/members")
        other_user = other_members["items"][0]["id"]
        cases = [
            ({"status": "finished"}, "status"),
            ({"planned_end": "2026-02-28"}, "planned_end"),            # before the start
            ({"planned_start": "2024-12-31"}, "planned_start"),        # before the program
            ({"planned_end": "2036-01-01"}, "planned_end"),            # after the program
            ({"planned_start": "2026-02-30"}, "planned_start"),
            ({"actual_end": "2026-03-05"}, "actual_start"),             # an end needs a start
            ({"actual_start": "2026-03-05", "actual_end": "2026-03-04"}, "actual_end"),
            ({"responsible_user_id": other_user}, "responsible_user_id"),
            ({"responsible_stakeholder_id": self.other_stakeholder["id"]}, "responsible_stakeholder_id"),
            ({"area_id": "999999999"}, "area_id"),
            ({"title": "  "}, "title"),
            ({"result_node_id": "999999999"}, "result_node_id"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                p = self.assertProblem(self.coord.post(PROGRAMS + "/%s/activities" % self.program["id"], dict(base, **change)), 422)
                self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        for missing in ("title", "result_node_id", "planned_start", "planned_end"):
            with self.subTest(missing=missing):
                body = {k: v for k, v in base.items() if k != missing}
                p = self.assertProblem(self.coord.post(PROGRAMS + "/%s/activities" % self.program["id"], body), 422)
                self.assertEqual(p["errors"][0]["field"], missing)
        st, _, page = self.coord.get(PROGRAMS + "/%s/activities?status=planned" % self.program["id"])
        self.assertNotIn("Salah", [a["title"] for a in page["items"]])

    def test_update_if_match_and_audit(self):
        a = self.create("Musyawarah Dusun")
        path = ACTIVITIES + "/%s" % a["id"]
        self.assertProblem(self.coord.patch(path, {"status": "done"}), 428)
        self.assertProblem(self.coord.patch(path, {"status": "done"}, headers={"If-Match": '"v5"'}), 412)
        st, h, b = self.coord.patch(path, {"status": "done", "actual_start": "2026-03-03", "actual_end": "2026-03-04",
                                           "responsible_user_id": self.user_ids[support.COORDINATOR]},
                                    headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, b)
        self.assertEqual((b["status"], b["actual_end"], b["version"]), ("done", "2026-03-04", 2))
        self.assertEqual(h.get("ETag"), '"v2"')
        self.assertEqual(b["title"], "Musyawarah Dusun", "left-out members keep their value")
        # null clears.
        st, _, c = self.coord.patch(path, {"responsible_user_id": None, "actual_end": None}, headers={"If-Match": '"v2"'})
        self.assertEqual(st, 200, c)
        self.assertEqual((c["responsible_user"], c["actual_end"]), (None, None))
        self.assertProblem(self.coord.patch(path, {"status": "ongoing"}, headers={"If-Match": '"v2"'}), 412)
        e = self.audit(object_type="activity", object_id=a["id"], action="activity.update")
        self.assertEqual(len(e), 2)
        self.assertEqual((e[1]["before"]["status"], e[1]["after"]["status"]), ("planned", "done"))

    def test_list_and_filters(self):
        p, node = self.program_with_framework("Program Daftar")
        a1 = self.create("Satu", program=p, node=node, planned_start="2026-01-01", planned_end="2026-01-31")
        a2 = self.create("Dua", program=p, node=node, planned_start="2026-02-01", planned_end="2026-02-28", status="ongoing",
                         responsible_user_id=self.user_ids[support.FIELD_OFFICER])
        a3 = self.create("Tiga", program=p, node=node, planned_start="2026-03-01", planned_end="2026-06-30")
        path = PROGRAMS + "/%s/activities" % p["id"]

        def titles(query=""):
            st, _, body = self.viewer.get(path + query)
            self.assertEqual(st, 200, body)
            return [a["title"] for a in body["items"]]
        self.assertEqual(titles(), ["Satu", "Dua", "Tiga"])  # by planned start
        self.assertEqual(titles("?status=ongoing"), ["Dua"])
        self.assertEqual(titles("?responsible_user=%s" % self.user_ids[support.FIELD_OFFICER]), ["Dua"])
        self.assertEqual(titles("?from=2026-02-15&to=2026-03-01"), ["Dua", "Tiga"])  # overlapping
        self.assertEqual(titles("?result_node=%s" % node["id"]), ["Satu", "Dua", "Tiga"])
        st, _, page = self.viewer.get(path + "?limit=2")
        self.assertEqual([a["id"] for a in page["items"]], [a1["id"], a2["id"]])
        st, _, page2 = self.viewer.get(path + "?limit=2&cursor=" + page["next_cursor"])
        self.assertEqual(([a["id"] for a in page2["items"]], page2["next_cursor"]), ([a3["id"]], None))
        self.assertProblem(self.viewer.get(path + "?status=finished"), 422)
        self.assertProblem(self.viewer.get(path + "?from=2026-13-01"), 400)

    def test_roles(self):
        a = self.create("Peran")
        body = {"title": "Tidak Boleh", "result_node_id": self.output["id"], "planned_start": "2026-03-01",
                "planned_end": "2026-03-31"}
        for client in (self.viewer, self.officer, self.partner):
            with self.subTest(client=client):
                self.assertIn(client.post(PROGRAMS + "/%s/activities" % self.program["id"], body)[0], (403, 404))
                self.assertIn(client.patch(ACTIVITIES + "/%s" % a["id"], {"title": "X"}, headers={"If-Match": '"v1"'})[0],
                              (403, 404))
                self.assertIn(client.post(ACTIVITIES + "/%s/events" % a["id"], {"kind": "meeting", "held_on": "2026-03-05"})[0],
                              (403, 404))
        self.assertProblem(self.viewer.post(PROGRAMS + "/%s/activities" % self.program["id"], body), 403)
        self.assertProblem(self.officer.delete(ACTIVITIES + "/%s" % a["id"], headers={"If-Match": '"v1"'}), 403)

    def test_partner_sees_only_shared_programs(self):
        p, node = self.program_with_framework("Program Mitra")
        shared = self.create("Dibagikan", program=p, node=node)
        hidden = self.create("Tersembunyi")
        ev = self.event(shared)
        partner_id = self.user_ids[PARTNER]
        st, _, body = self.coord.post(PROGRAMS + "/%s/members" % p["id"], {"user_id": partner_id})
        self.assertEqual(st, 201, body)
        self.assertEqual(self.partner.get(ACTIVITIES + "/%s" % shared["id"])[0], 200)
        self.assertEqual(self.partner.get(EVENTS + "/%s" % ev["id"])[0], 200)
        self.assertEqual(self.partner.get(PROGRAMS + "/%s/reach" % p["id"])[0], 200)
        self.assertProblem(self.partner.get(ACTIVITIES + "/%s" % hidden["id"]), 404)
        self.assertProblem(self.partner.get(PROGRAMS + "/%s/activities" % self.program["id"]), 404)
        self.assertProblem(self.partner.get(PROGRAMS + "/%s/reach" % self.program["id"]), 404)
        self.assertProblem(self.partner.get(ACTIVITIES + "/%s/events" % hidden["id"]), 404)
        # A partner may not plan either.
        self.assertProblem(self.partner.post(PROGRAMS + "/%s/activities" % p["id"], {
            "title": "X", "result_node_id": node["id"], "planned_start": "2026-03-01", "planned_end": "2026-03-31"}), 403)

    def test_other_organisation(self):
        a = self.create("Milik Demo")
        ev = self.event(a)
        for path in (ACTIVITIES + "/%s" % a["id"], EVENTS + "/%s" % ev["id"], ACTIVITIES + "/%s/reach" % a["id"]):
            with self.subTest(path=path):
                self.assertProblem(self.other.get(path), 404)  # not a member of demo
                self.assertProblem(self.other.get(path.replace("/orgs/demo/", "/orgs/other/")), 404)
        p, node = self.program_with_framework("Program Lain", client=self.other, org="other")
        # A node of another organisation's framework is no node of this program.
        resp = self.coord.post(PROGRAMS + "/%s/activities" % self.program["id"], {
            "title": "X", "result_node_id": node["id"], "planned_start": "2026-03-01", "planned_end": "2026-03-31"})
        self.assertEqual(self.assertProblem(resp, 422)["errors"][0]["field"], "result_node_id")
        self.assertProblem(self.coord.get("/api/v1/orgs/demo/programs/%s/activities" % p["id"]), 404)

    # -- events --------------------------------------------------------------------------
    def test_events(self):
        a = self.create("Distribusi Filter")
        e = self.event(a, "2026-03-12", "distribution", title="Pembagian filter", place="Balai Desa Bosen",
                       area_id=self.bosen["id"], notes="Bawa KTP",
                       facilitators=[{"user_id": self.user_ids[support.FIELD_OFFICER]}, {"stakeholder_id": self.ngo["id"]},
                                     {"name": "Bapak Kepala Dusun"}])
        self.assertEqual((e["kind"], e["held_on"], e["place"], e["title"]),
                         ("distribution", "2026-03-12", "Balai Desa Bosen", "Pembagian filter"))
        self.assertEqual((e["activity_id"], e["program_id"], e["activity_title"]), (a["id"], self.program["id"], "Distribusi Filter"))
        self.assertEqual(e["area"]["id"], self.bosen["id"])
        self.assertEqual([f["name"] for f in e["facilitators"]],
                         ["Yohanes Nenobais (Petugas Lapangan)", "Yayasan Mitra Air", "Bapak Kepala Dusun"])
        self.assertEqual(e["facilitators"][1]["stakeholder_id"], self.ngo["id"])
        self.assertEqual(e["attendance_count"], 0)
        e2 = self.event(a, "2026-03-05", "musyawarah")
        e3 = self.event(a, "2026-04-20", "meeting")
        st, _, listed = self.viewer.get(ACTIVITIES + "/%s/events" % a["id"])
        self.assertEqual([x["id"] for x in listed["items"]], [e2["id"], e["id"], e3["id"]])  # by date
        st, _, listed = self.viewer.get(ACTIVITIES + "/%s/events?from=2026-03-06&to=2026-04-30&kind=meeting" % a["id"])
        self.assertEqual([x["id"] for x in listed["items"]], [e3["id"]])
        st, _, again = self.viewer.get(ACTIVITIES + "/%s" % a["id"])
        self.assertEqual(again["event_count"], 3)

        # Change with If-Match; facilitators replaced.
        path = EVENTS + "/%s" % e["id"]
        self.assertProblem(self.coord.patch(path, {"place": "Gereja"}), 428)
        st, _, ch = self.coord.patch(path, {"place": "Gereja", "facilitators": [{"name": "Ibu Ana"}]},
                                     headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, ch)
        self.assertEqual((ch["place"], [f["name"] for f in ch["facilitators"]], ch["version"]), ("Gereja", ["Ibu Ana"], 2))
        self.assertProblem(self.coord.patch(path, {"place": "X"}, headers={"If-Match": '"v1"'}), 412)
        # Newest first (SQLite may give a deleted event's id again, so only the newest two are this one's).
        log = self.audit(object_type="event", object_id=e["id"])
        self.assertEqual([x["action"] for x in log][:2], ["event.update", "event.create"])
        self.assertEqual((log[0]["before"]["place"], log[0]["after"]["place"]), ("Balai Desa Bosen", "Gereja"))

    def test_event_wrong_input(self):
        a = self.create("Acara Salah")
        cases = [
            ({"kind": "party", "held_on": "2026-03-01"}, "kind"),
            ({"kind": "meeting", "held_on": "2024-12-31"}, "held_on"),   # before the program
            ({"kind": "meeting", "held_on": "2036-01-01"}, "held_on"),   # after it
            ({"kind": "meeting", "held_on": "31-12-2026"}, "held_on"),
            ({"held_on": "2026-03-01"}, "kind"),
            ({"kind": "meeting"}, "held_on"),
            ({"kind": "meeting", "held_on": "2026-03-01", "area_id": "999999999"}, "area_id"),
            ({"kind": "meeting", "held_on": "2026-03-01", "facilitators": [{}]}, "facilitators[0]"),
            ({"kind": "meeting", "held_on": "2026-03-01", "facilitators": [{"name": "A", "user_id": self.user_ids[support.ADMIN]}]},
             "facilitators[0]"),
            ({"kind": "meeting", "held_on": "2026-03-01", "facilitators": [{"stakeholder_id": self.other_stakeholder["id"]}]},
             "facilitators[0].stakeholder_id"),
            ({"kind": "meeting", "held_on": "2026-03-01", "facilitators": "Ibu Ana"}, "facilitators"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                p = self.assertProblem(self.coord.post(ACTIVITIES + "/%s/events" % a["id"], body), 422)
                self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        st, _, listed = self.coord.get(ACTIVITIES + "/%s/events" % a["id"])
        self.assertEqual(listed["items"], [])

    def test_delete_event_and_activity(self):
        a = self.create("Hapus")
        e = self.event(a)
        people = [self.participant("Hadir Satu", "female", 1980), self.participant("Hadir Dua", "male", 1981)]
        self.attend(e, people)
        # An activity with events stays.
        p = self.assertProblem(self.coord.delete(ACTIVITIES + "/%s" % a["id"], headers={"If-Match": '"v1"'}), 409)
        self.assertIn("event", p["detail"])
        self.assertProblem(self.coord.delete(EVENTS + "/%s" % e["id"]), 428)
        self.assertProblem(self.coord.delete(EVENTS + "/%s" % e["id"], headers={"If-Match": '"v3"'}), 412)
        st, _, _ = self.coord.delete(EVENTS + "/%s" % e["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.coord.get(EVENTS + "/%s" % e["id"]), 404)
        self.assertProblem(self.coord.get(EVENTS + "/%s/attendance" % e["id"]), 404)
        log = self.audit(object_type="event", object_id=e["id"], action="event.delete")[0]
        self.assertEqual(sorted(log["before"]["participant_ids"]), sorted(x["id"] for x in people))
        # The participants stay in the register.
        self.assertEqual(self.coord.get(ORG + "/participants/%s" % people[0]["id"])[0], 200)
        st, _, _ = self.coord.delete(ACTIVITIES + "/%s" % a["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.coord.get(ACTIVITIES + "/%s" % a["id"]), 404)
        self.assertEqual(self.audit(object_type="activity", object_id=a["id"])[0]["action"], "activity.delete")

    def test_activity_with_budget_lines_stays(self):
        a = self.create("Dengan Anggaran")
        st, _, line = self.coord.post(PROGRAMS + "/%s/budget-lines" % self.program["id"], {
            "name": "Konsumsi pelatihan", "category": "apbdes_4", "funding_source": "swadaya", "activity_id": a["id"]})
        self.assertEqual(st, 201, line)
        st, _, again = self.coord.get(ACTIVITIES + "/%s" % a["id"])
        self.assertEqual(again["budget_lines"], [{"id": line["id"], "code": "", "name": "Konsumsi pelatihan"}])
        self.assertProblem(self.coord.delete(ACTIVITIES + "/%s" % a["id"], headers={"If-Match": '"v1"'}), 409)

    # -- reach ---------------------------------------------------------------------------
    def test_reach_worked_out_by_hand(self):
        p, node = self.program_with_framework("Program Jangkauan")
        a1 = self.create("Pelatihan", program=p, node=node)
        a2 = self.create("Distribusi", program=p, node=node)
        e1 = self.event(a1, "2026-03-01")
        e2 = self.event(a1, "2026-03-15", "meeting")
        e3 = self.event(a2, "2026-04-10", "distribution")
        self.event(a2, "2035-06-01", "distribution")  # not held yet: no session
        none = {d: "none" for d in ("seeing", "hearing", "walking", "remembering", "self_care", "communicating")}
        p1 = self.participant("Jangkau Satu", "female", 1990)                                  # 36: 18-59, unknown
        p2 = self.participant("Jangkau Dua", "male", 2015, washington_group=none)              # 11: 5-17, without
        p3 = self.participant("Jangkau Tiga", "female", 1950, washington_group={"seeing": "a_lot"})  # 76: 60+, with
        p4 = self.participant("Jangkau Empat", "male")                                          # unknown age
        self.attend(e1, [p1, p2, p3])
        self.attend(e2, [p1, p4])
        self.attend(e3, [p2, p3])

        st, _, r = self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-12-31" % p["id"])
        self.assertEqual(st, 200, r)
        self.assertEqual(r["sessions_held"], 3)
        people = r["people_reached"]  # 7 attendances
        self.assertEqual(people["total"], 7)
        self.assertEqual(people["by_sex"], {"female": 4, "male": 3})
        self.assertEqual(people["by_age_band"], {"0-4": 0, "5-17": 2, "18-59": 2, "60+": 2, "unknown": 1})
        self.assertEqual(people["by_disability"], {"with": 2, "without": 2, "unknown": 3})
        self.assertEqual(people["by_sex_and_age_band"]["female"], {"0-4": 0, "5-17": 0, "18-59": 2, "60+": 2, "unknown": 0})
        unique = r["unique_people_reached"]
        self.assertEqual(unique["total"], 4)
        self.assertEqual(unique["by_sex"], {"female": 2, "male": 2})
        self.assertEqual(unique["by_age_band"], {"0-4": 0, "5-17": 1, "18-59": 1, "60+": 1, "unknown": 1})
        self.assertEqual(unique["by_disability"], {"with": 1, "without": 1, "unknown": 2})
        self.assertEqual((r["program_id"], r["activity_id"], r["as_of"]), (p["id"], None, "2026-12-31"))

        # One activity: e1 and e2.
        st, _, r1 = self.viewer.get(ACTIVITIES + "/%s/reach?as_of=2026-12-31" % a1["id"])
        self.assertEqual(st, 200, r1)
        self.assertEqual((r1["sessions_held"], r1["people_reached"]["total"], r1["unique_people_reached"]["total"]), (2, 5, 4))
        self.assertEqual(r1["people_reached"]["by_sex"], {"female": 3, "male": 2})
        self.assertEqual(r1["activity_id"], a1["id"])
        st, _, same = self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-12-31&activity=%s" % (p["id"], a1["id"]))
        self.assertEqual(same["people_reached"], r1["people_reached"])

        # A range: e2 and e3 (p1, p4, p2, p3 once each).
        st, _, r2 = self.viewer.get(PROGRAMS + "/%s/reach?from=2026-03-10&to=2026-12-31&as_of=2026-12-31" % p["id"])
        self.assertEqual((r2["sessions_held"], r2["people_reached"]["total"], r2["unique_people_reached"]["total"]), (2, 4, 4))
        # As of a day: only e1 had been held.
        st, _, r3 = self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-03-10" % p["id"])
        self.assertEqual((r3["sessions_held"], r3["people_reached"]["total"], r3["unique_people_reached"]["total"]), (1, 3, 3))
        # Today (the default) counts the three held events but not the one in 2035.
        st, _, r4 = self.viewer.get(PROGRAMS + "/%s/reach" % p["id"])
        self.assertEqual(r4["sessions_held"], 3)
        # A participant in the bin no longer counts.
        st, _, _ = self.coord.delete(ORG + "/participants/%s" % p4["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        st, _, r5 = self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-12-31" % p["id"])
        self.assertEqual((r5["people_reached"]["total"], r5["unique_people_reached"]["total"]), (6, 3))
        # Wrong input.
        self.assertProblem(self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-02-30" % p["id"]), 400)
        other_activity = self.create("Program Lain")
        resp = self.viewer.get(PROGRAMS + "/%s/reach?activity=%s" % (p["id"], other_activity["id"]))
        self.assertEqual(self.assertProblem(resp, 422)["errors"][0]["field"], "activity_id")


if __name__ == "__main__":
    unittest.main()
