"""Indicators computed from attendance: people reached, unique people reached and sessions held,
for a program or one activity, per reporting period of the event's date, disaggregated by sex,
age band, disability and area (the participant's area; the event's for sessions), with numbers
worked out by hand and checked against the program's reach. Every change that moves them
(attendance recorded and removed, an event's date changed, an event deleted, a participant
edited, binned or merged, attendance recorded by a partner) updates the values at once, and a
full recomputation then finds nothing to correct and gives the same numbers. Status against
targets, wrong definitions, roles and partners (only shared programs)."""

import unittest

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
ACTIVITIES = ORG + "/activities"
EVENTS = ORG + "/events"
PEOPLE = ORG + "/participants"
INDICATORS = ORG + "/indicators"
PARTNER = support.DEMO_USERS["partner"]
D1 = "53.02.03.2003.01"
D2 = "53.02.03.2003.02"
NO_LIMITATION = {d: "none" for d in ("seeing", "hearing", "walking", "remembering", "self_care", "communicating")}


class AttendanceIndicators(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server(support.fresh_db()).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        cls.partner = cls.server.login(PARTNER)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}
        cls.d1 = support.area_by_code(cls.admin, D1)
        cls.d2 = support.area_by_code(cls.admin, D2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    def program(self, name, share_with_partner=False):
        st, _, p = self.coord.post(PROGRAMS, {"name": name, "start_date": "2025-01-01", "end_date": "2026-12-31",
                                              "status": "active"})
        self.assertEqual(st, 201, p)
        st, _, node = self.coord.post(PROGRAMS + "/%s/results" % p["id"], {"title": "Keluaran " + name})
        self.assertEqual(st, 201, node)
        if share_with_partner:
            st, _, m = self.coord.post(PROGRAMS + "/%s/members" % p["id"], {"user_id": self.user_ids[PARTNER]})
            self.assertEqual(st, 201, m)
        p["node"] = node
        return p

    def activity(self, program, title):
        st, _, a = self.coord.post(PROGRAMS + "/%s/activities" % program["id"], {
            "title": title, "result_node_id": program["node"]["id"],
            "planned_start": "2026-01-01", "planned_end": "2026-06-30"})
        self.assertEqual(st, 201, a)
        return a

    def event(self, activity, held_on, area=None):
        body = {"kind": "training", "held_on": held_on}
        if area:
            body["area_id"] = area["id"]
        st, _, e = self.coord.post(ACTIVITIES + "/%s/events" % activity["id"], body)
        self.assertEqual(st, 201, e)
        return e

    def person(self, name, sex, birth_year=None, area=None, **extra):
        body = {"name": name, "sex": sex}
        if birth_year is not None:
            body["birth_year"] = birth_year
        if area:
            body["area_id"] = area["id"]
        body.update(extra)
        st, _, p = self.coord.post(PEOPLE, body)
        self.assertEqual(st, 201, p)
        return p

    def attend(self, event, people, client=None):
        st, _, body = (client or self.coord).post(EVENTS + "/%s/attendance" % event["id"],
                                                  {"participant_ids": [p["id"] for p in people]})
        self.assertEqual(st, 200, body)
        return body

    def indicator(self, program, attendance, client=None, status=201, **extra):
        body = {"result_node_id": program["node"]["id"], "title": "Jangkauan", "measure": "unit",
                "direction": "increase", "frequency": "quarterly", "source": "attendance",
                "attendance": attendance}
        body.update(extra)
        st, _, ind = (client or self.coord).post(PROGRAMS + "/%s/indicators" % program["id"], body)
        self.assertEqual(st, status, ind)
        return ind

    def values(self, ind, client=None):
        st, _, v = (client or self.viewer).get(INDICATORS + "/%s/values" % ind["id"])
        self.assertEqual(st, 200, v)
        return v

    def period(self, ind, key):
        return next(p for p in self.values(ind)["periods"] if p["period"] == key)

    def by(self, ind, period, dimension):
        return {d["key"]: d["value"] for d in self.period(ind, period)["by_dimension"][dimension]}

    def series(self, ind, *periods):
        v = self.values(ind)
        by_period = {p["period"]: p["value"] for p in v["periods"]}
        return [by_period[p] for p in periods] + [v["life_of_program"]["value"]]

    def recompute_is_idle(self, *indicators):
        """A full recomputation finds every incrementally kept count as it computes it."""
        for ind in indicators:
            before = self.values(ind)
            st, _, r = self.coord.post(INDICATORS + "/%s/recompute" % ind["id"])
            self.assertEqual(st, 200, r)
            self.assertEqual(r["differences"], 0, (ind["title"], r))
            after = self.values(ind)
            before.pop("computed_at")
            after.pop("computed_at")
            self.assertEqual(before, after, ind["title"])

    def etag(self, path):
        st, h, body = self.coord.get(path)
        self.assertEqual(st, 200, body)
        return h.get("ETag")

    # -- numbers by hand, kept current by every change ------------------------------------
    def test_reach_by_hand_and_every_change_updates_at_once(self):
        p = self.program("Program Jangkauan Indikator")
        a1, a2 = self.activity(p, "Pelatihan Kader"), self.activity(p, "Distribusi Filter")
        p1 = self.person("Indah Satu", "female", 1990, self.d1)                                         # 36: 18-59
        p2 = self.person("Budi Dua", "male", 2015, self.d2, washington_group=NO_LIMITATION)             # 11: 5-17
        p3 = self.person("Maria Tiga", "female", 1950, self.d1, washington_group={"seeing": "a_lot"})  # 76: 60+
        p4 = self.person("Yohanes Empat", "male")                                                      # no age, no area
        e1 = self.event(a1, "2026-01-15", self.d1)
        e2 = self.event(a1, "2026-02-10", self.d2)
        e3 = self.event(a2, "2026-04-05", self.d1)
        e4 = self.event(a2, "2026-05-01", self.d2)  # nobody recorded yet: not a session held
        self.attend(e1, [p1, p2, p3])
        self.attend(e2, [p1, p4])
        self.attend(e3, [p2, p3])

        reached = self.indicator(p, {"measure": "people_reached"}, title="Orang terjangkau",
                                 dimensions=[{"name": "sex", "kind": "field", "field": "sex"},
                                             {"name": "dusun", "kind": "area", "level": 5}],
                                 targets=[{"period": "2026-Q1", "value": 5}, {"period": "2026-Q2", "value": 4},
                                          {"period": "LOP", "value": 10}])
        unique = self.indicator(p, {"measure": "unique_people", "activity_id": None}, title="Orang unik",
                                aggregation="cumulative",
                                dimensions=[{"name": "age", "kind": "age_band", "field": "age", "bands": [5, 18, 60]},
                                            {"name": "disability", "kind": "field", "field": "disability"}])
        sessions = self.indicator(p, {"measure": "sessions_held", "activity_id": a2["id"]}, title="Sesi distribusi",
                                  dimensions=[{"name": "dusun", "kind": "area", "level": 5}])
        all_sessions = self.indicator(p, {"measure": "sessions_held"}, title="Semua sesi", frequency="monthly")
        everything = (reached, unique, sessions, all_sessions)
        self.assertEqual(reached["source"], "attendance")
        self.assertEqual(reached["attendance"], {"measure": "people_reached", "activity_id": None})
        self.assertEqual(sessions["attendance"], {"measure": "sessions_held", "activity_id": a2["id"]})
        self.assertIsNone(reached["computation"])

        # People reached: Q1 e1 (3) + e2 (2), Q2 e3 (2). Area is where the participant lives.
        v = self.values(reached)
        q1 = next(x for x in v["periods"] if x["period"] == "2026-Q1")
        self.assertEqual((q1["value"], q1["target"], q1["status"]), (5, 5, "on_track"))
        self.assertEqual(self.by(reached, "2026-Q1", "sex"), {"female": 3, "male": 2})
        self.assertEqual(self.by(reached, "2026-Q1", "dusun"), {D1: 3, D2: 1, "": 1})
        self.assertEqual(sorted((c["cell"]["sex"], c["cell"]["dusun"], c["value"]) for c in q1["cells"]),
                         [("female", D1, 3), ("male", "", 1), ("male", D2, 1)])
        q2 = next(x for x in v["periods"] if x["period"] == "2026-Q2")
        self.assertEqual((q2["value"], q2["target"], q2["status"]), (2, 4, "behind"))
        self.assertEqual((v["life_of_program"]["value"], v["life_of_program"]["status"]), (7, "behind"))
        self.assertEqual(v["calculation"], "count")
        # Unique people, cumulative: all four first reached in Q1, nobody new in Q2.
        self.assertEqual(self.series(unique, "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"), [None, 4, 4, 4, 4])
        self.assertEqual(self.by(unique, "2026-Q1", "age"), {"18-59": 1, "5-17": 1, "60+": 1, "": 1})
        self.assertEqual(self.by(unique, "2026-Q1", "disability"), {"unknown": 2, "without": 1, "with": 1})
        # Sessions of the distribution activity: e3 only (e4 has no attendance), in dusun 1.
        self.assertEqual(self.series(sessions, "2026-Q1", "2026-Q2"), [None, 1, 1])
        self.assertEqual(self.by(sessions, "2026-Q2", "dusun"), {D1: 1})
        self.assertEqual(self.series(all_sessions, "2026-01", "2026-02", "2026-04", "2026-05"), [1, 1, 1, None, 3])
        # The same totals as the program's reach.
        st, _, r = self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-12-31" % p["id"])
        self.assertEqual(st, 200, r)
        self.assertEqual((r["people_reached"]["total"], r["unique_people_reached"]["total"]), (7, 4))
        self.assertEqual(r["people_reached"]["by_sex"], {"female": 4, "male": 3})
        self.assertEqual(self.by(reached, "2026-Q1", "sex")["female"] + self.by(reached, "2026-Q2", "sex")["female"], 4)
        self.recompute_is_idle(*everything)

        # Attendance recorded: p4 at e3 (Q2). p4 was already reached in Q1.
        self.attend(e3, [p4])
        self.assertEqual(self.series(reached, "2026-Q1", "2026-Q2"), [5, 3, 8])
        self.assertEqual(self.series(unique, "2026-Q1", "2026-Q2"), [4, 4, 4])
        # e4 becomes a session held once somebody is recorded there.
        self.attend(e4, [p1])
        self.assertEqual(self.series(sessions, "2026-Q2"), [2, 2])
        self.assertEqual(self.by(sessions, "2026-Q2", "dusun"), {D1: 1, D2: 1})
        self.assertEqual(self.series(reached, "2026-Q2"), [4, 9])
        self.recompute_is_idle(*everything)

        # Attendance removed: p1 from e1 and from e4.
        st, _, _ = self.coord.delete(EVENTS + "/%s/attendance/%s" % (e1["id"], p1["id"]))
        self.assertEqual(st, 204)
        st, _, _ = self.coord.delete(EVENTS + "/%s/attendance/%s" % (e4["id"], p1["id"]))
        self.assertEqual(st, 204)
        self.assertEqual(self.series(reached, "2026-Q1", "2026-Q2"), [4, 3, 7])
        self.assertEqual(self.series(sessions, "2026-Q2"), [1, 1])
        self.assertEqual(self.series(unique, "2026-Q1"), [4, 4])  # p1 still first reached at e2
        self.recompute_is_idle(*everything)

        # An event's date moves to another quarter: e2 (p1, p4) from February to 20 April.
        st, _, moved = self.coord.patch(EVENTS + "/%s" % e2["id"], {"held_on": "2026-04-20"},
                                        headers={"If-Match": self.etag(EVENTS + "/%s" % e2["id"])})
        self.assertEqual(st, 200, moved)
        self.assertEqual(self.series(reached, "2026-Q1", "2026-Q2"), [2, 5, 7])
        # p1 is now first reached in Q2 (at e2), p4 too (at e3, 5 April): two new in Q2.
        v = self.values(unique)
        self.assertEqual([x["value"] for x in v["periods"] if x["period"] in ("2026-Q1", "2026-Q2")], [2, 4])
        self.assertEqual(self.series(all_sessions, "2026-01", "2026-02", "2026-04"), [1, None, 2, 3])
        # An event's area moves: sessions follow the event, people stay where they live.
        st, _, _ = self.coord.patch(EVENTS + "/%s" % e3["id"], {"area_id": self.d2["id"]},
                                    headers={"If-Match": self.etag(EVENTS + "/%s" % e3["id"])})
        self.assertEqual(st, 200)
        self.assertEqual(self.by(sessions, "2026-Q2", "dusun"), {D2: 1})
        self.recompute_is_idle(*everything)

        # A participant edited: p2 recorded as female, born 2000 (26: 18-59 at the first event).
        st, _, _ = self.coord.patch(PEOPLE + "/%s" % p2["id"], {"sex": "female", "birth_year": 2000},
                                    headers={"If-Match": self.etag(PEOPLE + "/%s" % p2["id"])})
        self.assertEqual(st, 200)
        self.assertEqual(self.by(reached, "2026-Q1", "sex"), {"female": 2})
        self.assertEqual(self.by(unique, "2026-Q1", "age"), {"18-59": 1, "60+": 1})
        self.recompute_is_idle(*everything)

        # An event deleted: e1 (p2, p3). p2 and p3 are now first reached at e3 in Q2.
        st, _, _ = self.coord.delete(EVENTS + "/%s" % e1["id"], headers={"If-Match": self.etag(EVENTS + "/%s" % e1["id"])})
        self.assertEqual(st, 204)
        self.assertEqual(self.series(reached, "2026-Q1", "2026-Q2"), [None, 5, 5])
        self.assertEqual(self.series(unique, "2026-Q1", "2026-Q2"), [None, 4, 4])
        self.assertEqual(self.series(all_sessions, "2026-01", "2026-04"), [None, 2, 2])
        self.recompute_is_idle(*everything)

        # A participant binned: p4 (at e2 and e3) no longer counts.
        st, _, _ = self.coord.delete(PEOPLE + "/%s" % p4["id"], headers={"If-Match": self.etag(PEOPLE + "/%s" % p4["id"])})
        self.assertEqual(st, 204)
        self.assertEqual(self.series(reached, "2026-Q2"), [3, 3])
        self.assertEqual(self.series(unique, "2026-Q2"), [3, 3])
        self.recompute_is_idle(*everything)

        # A duplicate merged: p5 (p1 registered twice) attended e4; merged into p1 it is one person.
        p5 = self.person("Indah Satu", "female", 1990, self.d1)
        self.attend(e4, [p5])
        self.assertEqual(self.series(unique, "2026-Q2"), [4, 4])
        self.assertEqual(self.series(sessions, "2026-Q2"), [2, 2])
        st, _, merged = self.coord.post(PEOPLE + "/%s/merge" % p1["id"], {"merge_id": p5["id"]},
                                        headers={"If-Match": self.etag(PEOPLE + "/%s" % p1["id"])})
        self.assertEqual(st, 200, merged)
        self.assertEqual(self.series(unique, "2026-Q2"), [3, 3])
        self.assertEqual(self.series(reached, "2026-Q2"), [4, 4])  # e2 p1, e3 p2 p3, e4 p1 (was p5)
        self.assertEqual(self.series(sessions, "2026-Q2"), [2, 2])
        self.recompute_is_idle(*everything)

        # The program's reach agrees at the end too.
        st, _, r = self.viewer.get(PROGRAMS + "/%s/reach?as_of=2026-12-31" % p["id"])
        self.assertEqual((r["people_reached"]["total"], r["unique_people_reached"]["total"]), (4, 3))
        st, _, r = self.viewer.get(ACTIVITIES + "/%s/reach?as_of=2026-12-31" % a2["id"])
        self.assertEqual(r["sessions_held"], self.series(sessions, "2026-Q2")[1])

    def test_unique_people_per_period_and_the_dashboard(self):
        p = self.program("Program Unik Per Periode")
        a = self.activity(p, "Sosialisasi")
        people = [self.person("Orang %d" % i, "female" if i % 2 else "male", 1980 + i) for i in range(3)]
        e1, e2 = self.event(a, "2026-01-20"), self.event(a, "2026-03-05")
        self.attend(e1, people[:2])
        self.attend(e2, people)
        ind = self.indicator(p, {"measure": "unique_people", "activity_id": a["id"]}, frequency="monthly",
                             targets=[{"period": "2026-03", "value": 2}])
        # Per period: the people newly reached (two in January, one more in March).
        self.assertEqual(self.series(ind, "2026-01", "2026-02", "2026-03"), [2, None, 1, 3])
        st, _, dash = self.viewer.get(PROGRAMS + "/%s/dashboard" % p["id"])
        self.assertEqual(st, 200, dash)
        item = next(i for i in dash["indicators"] if i["id"] == ind["id"])
        self.assertEqual((item["source"], item["latest"]["period"], item["latest"]["value"]), ("attendance", "2026-03", 1))
        self.assertEqual(item["status"], "behind")
        # Changing what it measures recomputes at once.
        st, h, changed = self.coord.patch(INDICATORS + "/%s" % ind["id"], {"attendance": {"measure": "people_reached",
                                                                                          "activity_id": a["id"]}},
                                          headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, changed)
        self.assertEqual(changed["attendance"]["measure"], "people_reached")
        self.assertEqual(self.series(ind, "2026-01", "2026-03"), [2, 3, 5])
        self.recompute_is_idle(ind)
        # The audit log has the definition with what it measures.
        st, _, log = self.admin.get(ORG + "/audit?object_type=indicator&object_id=%s" % ind["id"])
        self.assertEqual(st, 200, log)
        update = next(e for e in log["items"] if e["action"] == "indicator.update")
        self.assertEqual((update["before"]["attendance"]["measure"], update["after"]["attendance"]["measure"]),
                         ("unique_people", "people_reached"))

    # -- wrong input -------------------------------------------------------------------------
    def test_wrong_definitions(self):
        p = self.program("Program Salah Definisi")
        other = self.program("Program Lain")
        a = self.activity(p, "Kegiatan Benar")
        elsewhere = self.activity(other, "Kegiatan Program Lain")
        cases = [
            ({"attendance": {"measure": "visits"}}, "attendance.measure"),
            ({"attendance": {}}, "attendance.measure"),
            ({"attendance": "people_reached"}, "attendance"),
            ({"attendance": {"measure": "people_reached", "activity_id": elsewhere["id"]}}, "attendance.activity_id"),
            ({"attendance": {"measure": "people_reached", "activity_id": "99999999"}}, "attendance.activity_id"),
            ({"attendance": {"measure": "people_reached", "activity_id": "kegiatan"}}, "attendance.activity_id"),
            ({"attendance": {"measure": "people_reached", "form": "x"}}, "attendance.form"),
            ({"attendance": None}, "attendance"),
            ({"attendance": {"measure": "people_reached"}, "measure": "percentage"}, "measure"),
            ({"attendance": {"measure": "people_reached"},
              "dimensions": [{"name": "hamlet", "kind": "field", "field": "hamlet"}]}, "dimensions[0].field"),
            ({"attendance": {"measure": "people_reached"},
              "dimensions": [{"name": "age", "kind": "age_band", "field": "birth_year", "bands": [18]}]},
             "dimensions[0].field"),
            ({"attendance": {"measure": "people_reached"},
              "dimensions": [{"name": "sex", "kind": "list", "values": ["female", "male"]}]}, "dimensions[0].kind"),
            ({"attendance": {"measure": "sessions_held"},
              "dimensions": [{"name": "sex", "kind": "field", "field": "sex"}]}, "dimensions[0].kind"),
            ({"attendance": {"measure": "people_reached"}, "computation": {"form_id": "1", "calculation": "count"}},
             "computation"),
            ({"attendance": {"measure": "people_reached"}, "source": "manual"}, "attendance"),
            ({"attendance": {"measure": "people_reached"}, "targets": [{"period": "2027-Q1", "value": 5}]},
             "targets[0].period"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                attendance = body.pop("attendance")
                e = self.assertProblem(self.coord.post(PROGRAMS + "/%s/indicators" % p["id"], dict(
                    {"result_node_id": p["node"]["id"], "title": "Salah", "measure": "unit", "direction": "increase",
                     "frequency": "quarterly", "source": "attendance", "attendance": attendance}, **body)), 422)
                self.assertEqual([x["field"] for x in e["errors"]], [field])
        ind = self.indicator(p, {"measure": "people_reached", "activity_id": a["id"]})
        # The source stays; the activity must stay in the program.
        e = self.assertProblem(self.coord.patch(INDICATORS + "/%s" % ind["id"], {"source": "manual"},
                                                headers={"If-Match": '"v1"'}), 422)
        self.assertEqual(e["errors"][0]["field"], "source")
        e = self.assertProblem(self.coord.patch(INDICATORS + "/%s" % ind["id"], {
            "attendance": {"measure": "people_reached", "activity_id": elsewhere["id"]}}, headers={"If-Match": '"v1"'}), 422)
        self.assertEqual(e["errors"][0]["field"], "attendance.activity_id")
        # An activity an indicator measures cannot be deleted from under it.
        self.assertProblem(self.coord.delete(ACTIVITIES + "/%s" % a["id"], headers={"If-Match": '"v1"'}), 409)
        st, _, _ = self.coord.delete(INDICATORS + "/%s" % ind["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        st, _, _ = self.coord.delete(ACTIVITIES + "/%s" % a["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)

    # -- roles and partners ------------------------------------------------------------------
    def test_partners_see_only_shared_programs_and_their_attendance_counts(self):
        shared = self.program("Program Dibagikan", share_with_partner=True)
        hidden = self.program("Program Tertutup Kehadiran")
        a_shared, a_hidden = self.activity(shared, "Pelatihan Mitra"), self.activity(hidden, "Pelatihan Tertutup")
        e_shared, e_hidden = self.event(a_shared, "2026-02-02"), self.event(a_hidden, "2026-02-02")
        ind = self.indicator(shared, {"measure": "people_reached"})
        secret = self.indicator(hidden, {"measure": "people_reached"})
        for who in (self.partner, self.viewer, self.officer):
            self.indicator(shared, {"measure": "people_reached"}, client=who, status=403)
        self.assertEqual(self.values(ind, self.partner)["life_of_program"]["value"], None)
        for path in (INDICATORS + "/%s" % secret["id"], INDICATORS + "/%s/values" % secret["id"],
                     PROGRAMS + "/%s/dashboard" % hidden["id"]):
            self.assertProblem(self.partner.get(path), 404, path)
        # The partner records attendance at the shared program's event (a walk-in): counted at once.
        st, _, added = self.partner.post(EVENTS + "/%s/attendance" % e_shared["id"],
                                         {"walk_ins": [{"name": "Warga Mitra", "sex": "female", "birth_year": 1985}]})
        self.assertEqual(st, 200, added)
        self.assertEqual(self.series(ind, "2026-Q1"), [1, 1])
        self.assertEqual(self.values(ind, self.partner)["life_of_program"]["value"], 1)
        # Not at the hidden program's event.
        self.assertProblem(self.partner.post(EVENTS + "/%s/attendance" % e_hidden["id"],
                                             {"walk_ins": [{"name": "Warga Lain", "sex": "male"}]}), 404)
        self.assertEqual(self.values(secret)["life_of_program"]["value"], None)
        self.recompute_is_idle(ind, secret)
        self.assertProblem(self.partner.post(INDICATORS + "/%s/recompute" % ind["id"]), 403)



@unittest.skipUnless(support.POSTGRES, "several app servers share one PostgreSQL database")
class TwoServers(support.ServerTestCase):
    """Two servers record attendance of the same people at once (each person at four events, a
    full recomputation in the middle): everyone is one person reached once per event and one
    unique person, and the recomputation afterwards finds nothing to correct."""

    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        cls.a = support.Server(db).start()
        cls.b = support.Server(db)
        cls.b.dir = cls.a.dir
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.b.stop()

    def servers(self):
        return [self.a, self.b]

    def test_both_servers_count_every_person_once(self):
        coord = self.a.login(support.COORDINATOR)
        st, _, p = coord.post(PROGRAMS, {"name": "Dua Server Kehadiran", "start_date": "2025-01-01",
                                         "end_date": "2026-12-31"})
        self.assertEqual(st, 201, p)
        st, _, node = coord.post(PROGRAMS + "/%s/results" % p["id"], {"title": "Keluaran"})
        st, _, act = coord.post(PROGRAMS + "/%s/activities" % p["id"], {
            "title": "Pelatihan", "result_node_id": node["id"], "planned_start": "2026-01-01", "planned_end": "2026-06-30"})
        self.assertEqual(st, 201, act)
        events = []
        for day in ("2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"):
            st, _, e = coord.post(ACTIVITIES + "/%s/events" % act["id"], {"kind": "meeting", "held_on": day})
            self.assertEqual(st, 201, e)
            events.append(e)
        people = []
        for i in range(20):
            st, _, person = coord.post(PEOPLE, {"name": "Warga Serentak %d" % i, "sex": "female" if i % 2 else "male"})
            self.assertEqual(st, 201, person)
            people.append(person)
        made = {}
        for measure in ("people_reached", "unique_people", "sessions_held"):
            st, _, ind = coord.post(PROGRAMS + "/%s/indicators" % p["id"], {
                "result_node_id": node["id"], "title": measure, "measure": "unit", "direction": "increase",
                "frequency": "quarterly", "source": "attendance", "attendance": {"measure": measure},
                "dimensions": [] if measure == "sessions_held" else [{"name": "sex", "kind": "field", "field": "sex"}]})
            self.assertEqual(st, 201, ind)
            made[measure] = ind
        sessions = {}
        for server in (self.a, self.b):
            c = server.login(support.FIELD_OFFICER)
            sessions[server] = (c.cookies, c.csrf_token)
        # Later events first for half the people: their first event moves while others record.
        jobs = [(person, event) for person in people for event in (events if int(person["id"]) % 2 else events[::-1])]
        jobs.insert(30, (None, None))

        def send(n):
            person, event = jobs[n]
            if person is None:
                st, _, r = coord.post(INDICATORS + "/%s/recompute" % made["unique_people"]["id"])
                return st, r
            server = self.a if n % 2 == 0 else self.b
            c = server.client()
            c.cookies, c.csrf_token = dict(sessions[server][0]), sessions[server][1]
            st, _, r = c.post(EVENTS + "/%s/attendance" % event["id"], {"participant_ids": [person["id"]]})
            c.close()
            return st, r

        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(send, range(len(jobs))))
        for st, r in results:
            self.assertEqual(st, 200, r)
        expected = {"people_reached": 80, "unique_people": 20, "sessions_held": 4}
        for measure, ind in made.items():
            st, _, v = coord.get(INDICATORS + "/%s/values" % ind["id"])
            self.assertEqual(v["life_of_program"]["value"], expected[measure], measure)
            st, _, r = coord.post(INDICATORS + "/%s/recompute" % ind["id"])
            self.assertEqual((st, r["differences"]), (200, 0), (measure, r))


if __name__ == "__main__":
    unittest.main()
