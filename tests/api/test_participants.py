"""The participant register: sex, birth year, Washington Group short set (with disability = any
domain a_lot or cannot), area at a village or below, phone, NIK kept only as a digest keyed with
the organisation's own salt (never returned, logged or audited); duplicate candidates (same NIK,
or same folded name + birth year + village), dismissing a pair, merging (attendance moved, the
kept record completed, audited); attendance of events (bulk ids, walk-ins, merged ids) with
counts by sex, age band at the event and disability worked out by hand; If-Match, roles,
partners (only people of shared programs' events) and another organisation (404)."""

import json
import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
PEOPLE = ORG + "/participants"
DUPLICATES = ORG + "/participant-duplicates"
EVENTS = ORG + "/events"
AUDIT = ORG + "/audit"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-peserta.example.org"
OTHER_PASSWORD = "lain-rahasia-5"
NIK_1 = "5302031204850001"
NIK_2 = "5302035507900002"
NONE = {d: "none" for d in ("seeing", "hearing", "walking", "remembering", "self_care", "communicating")}


class Participants(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.start_with_every_role(cls, OTHER_ADMIN, OTHER_PASSWORD)
        cls.bosen = support.area_by_code(cls.admin, support.BOSEN_CODE)
        cls.district = support.area_by_code(cls.admin, support.MOLLO_UTARA_CODE)
        cls.obesi = support.area_by_code(cls.admin, "53.02.03.2001")
        st, _, kids = cls.admin.get(ORG + "/areas?parent=%s" % cls.bosen["id"])
        assert st == 200 and kids["items"], kids
        cls.dusun = kids["items"][0]
        st, _, members = cls.admin.get(ORG + "/members")
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}
        cls.program, cls.activity = cls.program_with_activity("Program Peserta")
        cls.past = cls.event(cls.activity, "2026-03-10")
        cls.future = cls.event(cls.activity, "2035-06-01")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    @classmethod
    def program_with_activity(cls, name):
        st, _, p = cls.coord.post(ORG + "/programs", {"name": name, "start_date": "2025-01-01", "end_date": "2035-12-31"})
        assert st == 201, p
        st, _, node = cls.coord.post(ORG + "/programs/%s/results" % p["id"], {"title": "Keluaran " + name})
        assert st == 201, node
        st, _, a = cls.coord.post(ORG + "/programs/%s/activities" % p["id"], {
            "title": "Kegiatan " + name, "result_node_id": node["id"], "planned_start": "2026-01-01",
            "planned_end": "2026-12-31"})
        assert st == 201, a
        return p, a

    @classmethod
    def event(cls, activity, held_on):
        st, _, e = cls.coord.post(ORG + "/activities/%s/events" % activity["id"], {"kind": "training", "held_on": held_on})
        assert st == 201, e
        return e

    def create(self, name, sex="female", client=None, **extra):
        body = {"name": name, "sex": sex}
        body.update(extra)
        st, h, p = (client or self.coord).post(PEOPLE, body)
        self.assertEqual(st, 201, p)
        self.assertEqual(h.get("ETag"), '"v%d"' % p["version"])
        return p

    def attend(self, event, ids=(), walk_ins=(), client=None):
        st, _, body = (client or self.coord).post(EVENTS + "/%s/attendance" % event["id"],
                                                  {"participant_ids": list(ids), "walk_ins": list(walk_ins)})
        self.assertEqual(st, 200, body)
        return body

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    def pairs_among(self, ids):
        st, _, d = self.coord.get(DUPLICATES + "?limit=500")
        self.assertEqual(st, 200, d)
        out = []
        for item in d["items"]:
            pair = [p["id"] for p in item["participants"]]
            if set(pair) <= set(ids):
                out.append((pair[0], pair[1], item["reasons"]))
        return out

    # -- the register --------------------------------------------------------------------
    def test_register_and_read(self):
        p = self.create("Maria Goreti Tefa", birth_year=1985, washington_group=NONE, area_id=self.dusun["id"],
                        phone="+62 812-3456-7890", nik=NIK_1)
        self.assertEqual((p["name"], p["sex"], p["birth_year"]), ("Maria Goreti Tefa", "female", 1985))
        self.assertEqual((p["disability"], p["washington_group"]), ("without", NONE))
        self.assertEqual(p["area"]["id"], self.dusun["id"])
        self.assertEqual(p["village_id"], self.bosen["id"])
        self.assertEqual((p["phone"], p["has_nik"], p["merged_into"]), ("+62 812-3456-7890", True, None))
        self.assertNotIn("nik", p)
        st, h, again = self.viewer.get(PEOPLE + "/%s" % p["id"])
        self.assertEqual(st, 200, again)
        self.assertEqual(again, p)
        self.assertEqual(h.get("ETag"), '"v1"')
        e = self.audit(object_type="participant", object_id=p["id"])[0]
        self.assertEqual((e["action"], e["actor"], e["after"]["has_nik"]), ("participant.create", support.COORDINATOR, True))
        # The bare minimum: name and sex.
        q = self.create("Tanpa Data", "male")
        self.assertEqual((q["birth_year"], q["disability"], q["area"], q["has_nik"]), (None, "unknown", None, False))

    def test_nik_is_never_returned_logged_or_audited(self):
        p = self.create("Rahasia NIK", nik="5302 0312 0485 0009")  # spaces are dropped
        nik = "5302031204850009"
        self.assertTrue(p["has_nik"])
        for client in (self.coord, self.viewer):
            st, _, raw = client.raw("GET", PEOPLE + "/%s" % p["id"])
            self.assertNotIn(nik.encode(), raw)
        st, _, raw = self.admin.raw("GET", AUDIT + "?object_type=participant&object_id=%s" % p["id"])
        self.assertNotIn(nik.encode(), raw)
        # Wrong NIKs are refused without repeating them.
        for bad in ("53020312048500", "530203120485000X", 5302031204850009, "53020312048500091"):
            with self.subTest(bad=bad):
                st, _, raw = self.coord.raw("POST", PEOPLE, json.dumps({"name": "X", "sex": "male", "nik": bad}).encode(),
                                            {"Content-Type": "application/json"})
                self.assertEqual(st, 422, raw)
                self.assertEqual(json.loads(raw)["errors"][0]["field"], "nik")
                self.assertNotIn(str(bad).encode()[:12], raw)
        # In the database: a 64-hex digest, neither the NIK nor a plain hash of it.
        h = support.sql_scalars(self.server.db_path, "SELECT nik_hash FROM participants WHERE id = %s" % p["id"])[0]
        self.assertEqual(len(h), 64)
        self.assertNotIn(nik, h)
        import hashlib
        self.assertNotEqual(h, hashlib.sha256(nik.encode()).hexdigest())
        found = support.sql_scalars(self.server.db_path,
                                    "SELECT COUNT(*) FROM audit_log WHERE before_json LIKE '%%%s%%' OR after_json LIKE '%%%s%%'"
                                    % (nik, nik))
        self.assertEqual(found, ("0",))
        self.assertNotIn(nik, self.server.stderr_text(10 ** 7))
        # The same NIK in another organisation gives another digest (a salt of its own).
        st, _, o = self.other.post("/api/v1/orgs/other/participants", {"name": "Rahasia NIK", "sex": "female", "nik": nik})
        self.assertEqual(st, 201, o)
        h2 = support.sql_scalars(self.server.db_path, "SELECT nik_hash FROM participants WHERE id = %s" % o["id"])[0]
        self.assertNotEqual(h, h2)
        self.assertEqual(support.sql_scalars(self.server.db_path, "SELECT COUNT(*) FROM participant_salts"), ("2",))
        # null clears it.
        st, _, cleared = self.coord.patch(PEOPLE + "/%s" % p["id"], {"nik": None}, headers={"If-Match": '"v1"'})
        self.assertEqual((st, cleared["has_nik"]), (200, False))

    def test_washington_group(self):
        cases = [
            (NONE, "without"),
            (dict(NONE, walking="some", hearing="some"), "without"),
            (dict(NONE, walking="a_lot"), "with"),
            (dict(NONE, self_care="cannot"), "with"),
            ({"remembering": "cannot"}, "with"),      # settled even with domains left out
            ({"seeing": "none", "hearing": "some"}, "unknown"),
            (dict(NONE, communicating=None), "unknown"),
            ({}, "unknown"),
        ]
        for wg, status in cases:
            with self.subTest(wg=wg):
                p = self.create("WG Orang", washington_group=wg)
                self.assertEqual(p["disability"], status)
                for d, v in wg.items():
                    self.assertEqual(p["washington_group"][d], v)
        for bad, field in (({"seeing": "blind"}, "washington_group.seeing"), ({"mobility": "none"}, "washington_group.mobility"),
                           ("none", "washington_group"), ({"hearing": 1}, "washington_group.hearing")):
            with self.subTest(bad=bad):
                p = self.assertProblem(self.coord.post(PEOPLE, {"name": "X", "sex": "male", "washington_group": bad}), 422)
                self.assertEqual(p["errors"][0]["field"], field)

    def test_wrong_input(self):
        st, _, other_areas = self.other.post("/api/v1/orgs/other/areas", {"parent_id": self.bosen["id"], "name": "Dusun Lain", "kind": "dusun"})
        self.assertEqual(st, 201, other_areas)
        cases = [
            ({"sex": "other"}, "sex"),
            ({"name": "   "}, "name"),
            ({"name": "!!!"}, "name"),
            ({"birth_year": 1899}, "birth_year"),
            ({"birth_year": 2999}, "birth_year"),
            ({"birth_year": "1990"}, "birth_year"),
            ({"area_id": self.district["id"]}, "area_id"),       # above a village
            ({"area_id": other_areas["id"]}, "area_id"),         # another organisation's dusun
            ({"area_id": "999999999"}, "area_id"),
            ({"phone": "0812 abc"}, "phone"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                p = self.assertProblem(self.coord.post(PEOPLE, dict({"name": "Salah Isi", "sex": "female"}, **change)), 422)
                self.assertEqual(p["errors"][0]["field"], field, p)
        for missing in ("name", "sex"):
            body = {k: v for k, v in {"name": "Salah Isi", "sex": "female"}.items() if k != missing}
            self.assertEqual(self.assertProblem(self.coord.post(PEOPLE, body), 422)["errors"][0]["field"], missing)
        st, _, page = self.coord.get(PEOPLE + "?q=salah+isi")
        self.assertEqual(page["items"], [])

    def test_list_filters(self):
        a = self.create("Saring Kornelia", area_id=self.dusun["id"], washington_group={"seeing": "cannot"})
        b = self.create("Saring Benediktus", "male", area_id=self.bosen["id"])
        c = self.create("Saring Yakobus", "male", area_id=self.obesi["id"], washington_group=NONE)

        def names(query):
            st, _, body = self.viewer.get(PEOPLE + "?q=saring&" + query)
            self.assertEqual(st, 200, body)
            return [x["name"] for x in body["items"]]
        self.assertEqual(names(""), ["Saring Benediktus", "Saring Kornelia", "Saring Yakobus"])  # by name
        self.assertEqual(names("sex=male"), ["Saring Benediktus", "Saring Yakobus"])
        self.assertEqual(names("disability=with"), ["Saring Kornelia"])
        self.assertEqual(names("disability=without"), ["Saring Yakobus"])
        self.assertEqual(names("area=%s" % self.bosen["id"]), ["Saring Benediktus", "Saring Kornelia"])  # and its dusun
        self.assertEqual(names("area=%s" % self.dusun["id"]), ["Saring Kornelia"])
        st, _, body = self.viewer.get(PEOPLE + "?q=kornelia+saring")
        self.assertEqual([x["name"] for x in body["items"]], ["Saring Kornelia"])
        st, _, page = self.viewer.get(PEOPLE + "?q=saring&limit=2")
        self.assertEqual(len(page["items"]), 2)
        st, _, rest = self.viewer.get(PEOPLE + "?q=saring&limit=2&cursor=" + page["next_cursor"])
        self.assertEqual([x["id"] for x in rest["items"]], [c["id"]])
        self.assertProblem(self.viewer.get(PEOPLE + "?sex=x"), 422)
        self.assertProblem(self.viewer.get(PEOPLE + "?disability=maybe"), 422)
        self.assertEqual((a["disability"], b["disability"]), ("with", "unknown"))

    def test_update_if_match_and_audit(self):
        p = self.create("Ubah Orang", birth_year=1970)
        path = PEOPLE + "/%s" % p["id"]
        self.assertProblem(self.coord.patch(path, {"phone": "0813"}), 428)
        self.assertProblem(self.coord.patch(path, {"phone": "0813"}, headers={"If-Match": '"v4"'}), 412)
        st, h, q = self.officer.patch(path, {"phone": "0813", "nik": NIK_2, "washington_group": {"walking": "a_lot"},
                                             "area_id": self.bosen["id"]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, q)
        self.assertEqual((q["phone"], q["has_nik"], q["disability"], q["version"]), ("0813", True, "with", 2))
        self.assertEqual((q["birth_year"], q["name"]), (1970, "Ubah Orang"), "left-out members keep their value")
        self.assertEqual(h.get("ETag"), '"v2"')
        st, _, r = self.coord.patch(path, {"birth_year": None, "area_id": None}, headers={"If-Match": '"v2"'})
        self.assertEqual((r["birth_year"], r["area"], r["village_id"]), (None, None, None))
        e = self.audit(object_type="participant", object_id=p["id"], action="participant.update")
        self.assertEqual(len(e), 2)
        self.assertEqual((e[1]["before"]["has_nik"], e[1]["after"]["has_nik"]), (False, True))
        self.assertEqual(e[1]["actor"], support.FIELD_OFFICER)

    def test_roles_and_bin(self):
        self.assertProblem(self.viewer.post(PEOPLE, {"name": "Pemantau", "sex": "male"}), 403)
        p = self.create("Petugas Daftar", client=self.officer)  # field officers register people
        path = PEOPLE + "/%s" % p["id"]
        self.assertProblem(self.viewer.patch(path, {"phone": "1"}, headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.officer.delete(path, headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.coord.delete(path), 428)
        st, _, _ = self.coord.delete(path, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.coord.get(path), 404)
        st, _, page = self.coord.get(PEOPLE + "?q=petugas+daftar")
        self.assertEqual(page["items"], [])
        self.assertEqual(self.audit(object_type="participant", object_id=p["id"])[0]["action"], "participant.delete")
        self.assertProblem(self.officer.get(DUPLICATES), 403)
        self.assertProblem(self.viewer.get(DUPLICATES), 403)

    def test_partner_sees_people_of_shared_programs(self):
        shared, activity = self.program_with_activity("Program Mitra Peserta")
        ev = self.event(activity, "2026-04-01")
        hidden_event = self.past
        st, _, body = self.coord.post(ORG + "/programs/%s/members" % shared["id"], {"user_id": self.user_ids[PARTNER]})
        self.assertEqual(st, 201, body)
        at_shared = self.create("Hadir Program Mitra")
        elsewhere = self.create("Hadir Program Lain")
        self.attend(ev, [at_shared["id"]])
        self.attend(hidden_event, [elsewhere["id"]])
        own = self.create("Didaftar Mitra", client=self.partner)
        self.assertEqual(self.partner.get(PEOPLE + "/%s" % at_shared["id"])[0], 200)
        self.assertEqual(self.partner.get(PEOPLE + "/%s" % own["id"])[0], 200)
        self.assertProblem(self.partner.get(PEOPLE + "/%s" % elsewhere["id"]), 404)
        st, _, page = self.partner.get(PEOPLE + "?q=hadir")
        self.assertEqual([x["name"] for x in page["items"]], ["Hadir Program Mitra"])
        # Attendance of a program not shared: 404; naming someone they cannot see: refused.
        self.assertProblem(self.partner.get(EVENTS + "/%s/attendance" % hidden_event["id"]), 404)
        self.assertProblem(self.partner.post(EVENTS + "/%s/attendance" % hidden_event["id"], {"participant_ids": [own["id"]]}), 404)
        resp = self.partner.post(EVENTS + "/%s/attendance" % ev["id"], {"participant_ids": [elsewhere["id"]]})
        self.assertEqual(self.assertProblem(resp, 422)["errors"][0]["field"], "participant_ids[0]")
        # Their own registrations they may record.
        self.attend(ev, [own["id"]], client=self.partner)
        st, _, att = self.partner.get(EVENTS + "/%s/attendance" % ev["id"])
        self.assertEqual(sorted(x["name"] for x in att["items"]), ["Didaftar Mitra", "Hadir Program Mitra"])

    def test_other_organisation(self):
        p = self.create("Milik Demo")
        self.assertProblem(self.other.get(PEOPLE + "/%s" % p["id"]), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/other/participants/%s" % p["id"]), 404)
        self.assertProblem(self.other.patch("/api/v1/orgs/other/participants/%s" % p["id"], {"phone": "1"},
                                            headers={"If-Match": '"v1"'}), 404)
        st, _, o = self.other.post("/api/v1/orgs/other/participants", {"name": "Milik Lain", "sex": "male"})
        self.assertEqual(st, 201, o)
        resp = self.coord.post(EVENTS + "/%s/attendance" % self.past["id"], {"participant_ids": [o["id"]]})
        self.assertEqual(self.assertProblem(resp, 422)["errors"][0]["field"], "participant_ids[0]")
        resp = self.coord.post(PEOPLE + "/%s/merge" % p["id"], {"merge_id": o["id"]}, headers={"If-Match": '"v1"'})
        self.assertEqual(self.assertProblem(resp, 422)["errors"][0]["field"], "merge_id")

    # -- duplicates and merging --------------------------------------------------------------
    def test_duplicates_dismiss_and_merge(self):
        a = self.create("Sebastiana Lake", birth_year=1985, area_id=self.dusun["id"], nik=NIK_1)
        b = self.create("SEBASTIANA  LAKÉ", birth_year=1985, area_id=self.bosen["id"], phone="0812")  # same village
        c = self.create("Yosefina Bani", birth_year=1970, nik=NIK_1)                                 # same NIK
        d = self.create("Sebastiana Lake", birth_year=1986, area_id=self.bosen["id"])                # another year
        e = self.create("Sebastiana Lake", birth_year=1985, area_id=self.obesi["id"])                # another village
        f = self.create("Sebastiana Lake", birth_year=1985, area_id=self.bosen["id"], nik=NIK_2)     # another NIK
        ids = [x["id"] for x in (a, b, c, d, e, f)]
        pairs = self.pairs_among(ids)
        self.assertEqual(pairs[0], (a["id"], c["id"], ["same_nik"]))  # same NIK first
        self.assertEqual(sorted(pairs[1:]), sorted([
            (a["id"], b["id"], ["same_name_birth_year_village"]),
            (a["id"], f["id"], ["same_name_birth_year_village"]),
            (b["id"], f["id"], ["same_name_birth_year_village"])]))
        st, _, page = self.coord.get(DUPLICATES)
        item = next(i for i in page["items"] if [p["id"] for p in i["participants"]] == [a["id"], c["id"]])
        self.assertEqual(item["participants"][0]["attendance_count"], 0)
        self.assertNotIn('"nik"', json.dumps(page))
        self.assertNotIn(NIK_1, json.dumps(page))

        # Two people after all: b and f.
        self.assertProblem(self.coord.post(DUPLICATES + "/dismiss", {"participant_ids": [b["id"]]}), 422)
        self.assertProblem(self.coord.post(DUPLICATES + "/dismiss", {"participant_ids": [b["id"], b["id"]]}), 422)
        self.assertProblem(self.officer.post(DUPLICATES + "/dismiss", {"participant_ids": [f["id"], b["id"]]}), 403)
        st, _, _ = self.coord.post(DUPLICATES + "/dismiss", {"participant_ids": [f["id"], b["id"]]})
        self.assertEqual(st, 204)
        self.assertNotIn((b["id"], f["id"], ["same_name_birth_year_village"]), self.pairs_among(ids))

        # b is a: merge it. a and b both attended `past`; b alone attended `second`.
        second = self.event(self.activity, "2026-03-20")
        self.attend(self.past, [a["id"], b["id"]])
        self.attend(second, [b["id"]])
        path = PEOPLE + "/%s/merge" % a["id"]
        self.assertProblem(self.coord.post(path, {"merge_id": b["id"]}), 428)
        self.assertProblem(self.coord.post(path, {"merge_id": b["id"]}, headers={"If-Match": '"v9"'}), 412)
        self.assertProblem(self.coord.post(path, {"merge_id": a["id"]}, headers={"If-Match": '"v1"'}), 422)
        self.assertProblem(self.officer.post(path, {"merge_id": b["id"]}, headers={"If-Match": '"v1"'}), 403)
        st, h, m = self.coord.post(path, {"merge_id": b["id"]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, m)
        self.assertEqual((m["merged_id"], m["attendance_moved"], m["attendance_dropped"]), (b["id"], 1, 1))
        kept = m["kept"]
        self.assertEqual((kept["id"], kept["phone"], kept["has_nik"], kept["version"]), (a["id"], "0812", True, 2))
        self.assertEqual(kept["area"]["id"], self.dusun["id"], "the kept participant's own values stay")
        self.assertEqual(h.get("ETag"), '"v2"')
        st, _, gone = self.coord.get(PEOPLE + "/%s" % b["id"])
        self.assertEqual((st, gone["merged_into"]), (200, a["id"]))
        st, _, page = self.coord.get(PEOPLE + "?q=sebastiana")
        self.assertNotIn(b["id"], [x["id"] for x in page["items"]])
        st, _, att = self.coord.get(EVENTS + "/%s/attendance" % self.past["id"])
        self.assertEqual([x["id"] for x in att["items"]].count(a["id"]), 1)
        self.assertNotIn(b["id"], [x["id"] for x in att["items"]])
        st, _, att2 = self.coord.get(EVENTS + "/%s/attendance" % second["id"])
        self.assertEqual([x["id"] for x in att2["items"]], [a["id"]])
        self.assertNotIn(a["id"], [p for pair in self.pairs_among([a["id"], b["id"]]) for p in pair[:2]])
        # The merged id still means the kept participant when a phone sends it later.
        back = self.attend(second, [b["id"]])
        self.assertEqual(back["already_present"], [a["id"]])
        # Merged ones are merged; a different NIK is a different person.
        self.assertProblem(self.coord.post(path, {"merge_id": b["id"]}, headers={"If-Match": '"v2"'}), 409)
        self.assertProblem(self.coord.patch(PEOPLE + "/%s" % b["id"], {"phone": "1"}, headers={"If-Match": '"v2"'}), 409)
        p = self.assertProblem(self.coord.post(path, {"merge_id": f["id"]}, headers={"If-Match": '"v2"'}), 409)
        self.assertIn("NIK", p["detail"])
        log = self.audit(object_type="participant", object_id=a["id"], action="participant.merge")[0]
        self.assertEqual(log["before"]["merged"]["id"], b["id"])
        self.assertEqual((log["after"]["merged_id"], log["after"]["attendance_moved"]), (b["id"], 1))
        self.assertEqual(log["actor"], support.COORDINATOR)
        # c (same NIK) merges fine; its attendance would follow.
        st, _, m2 = self.coord.post(path, {"merge_id": c["id"]}, headers={"If-Match": '"v2"'})
        self.assertEqual(st, 200, m2)
        # d and e never matched; f was told apart from b only, so it is still a's candidate.
        self.assertEqual(self.pairs_among(ids), [(a["id"], f["id"], ["same_name_birth_year_village"])])
        _ = (d, e)

    # -- attendance ----------------------------------------------------------------------
    def test_attendance_counts_by_hand(self):
        ev = self.event(self.activity, "2026-05-05")
        p1 = self.create("Hitung Anak Kecil", birth_year=2022)                                  # 4 → 0-4
        p2 = self.create("Hitung Anak Sekolah", birth_year=2021)                                # 5 → 5-17
        p3 = self.create("Hitung Kakek", "male", birth_year=1966, washington_group={"walking": "cannot"})  # 60 → 60+, with
        p4 = self.create("Hitung Bapak", "male", birth_year=1967, washington_group=NONE, nik=NIK_2)        # 59, without
        added = self.attend(ev, [p1["id"], p2["id"], p3["id"]],
                            walk_ins=[{"name": "Hitung Datang Langsung", "sex": "female"},
                                      {"name": "Hitung Bapak Lagi", "sex": "male", "nik": NIK_2}])
        self.assertEqual(added["walk_ins_matched"], [p4["id"]])  # the NIK is registered already
        self.assertEqual(len(added["walk_ins_created"]), 1)
        walk_in = added["walk_ins_created"][0]
        self.assertEqual(sorted(added["added"]), sorted([p1["id"], p2["id"], p3["id"], p4["id"], walk_in]))
        self.assertEqual(added["already_present"], [])
        st, _, att = self.viewer.get(EVENTS + "/%s/attendance" % ev["id"])
        self.assertEqual(st, 200, att)
        self.assertEqual(len(att["items"]), 5)
        self.assertIn("recorded_at", att["items"][0])
        counts = att["counts"]
        self.assertEqual(counts["total"], 5)
        self.assertEqual(counts["by_sex"], {"female": 3, "male": 2})
        self.assertEqual(counts["by_age_band"], {"0-4": 1, "5-17": 1, "18-59": 1, "60+": 1, "unknown": 1})
        self.assertEqual(counts["by_sex_and_age_band"]["male"], {"0-4": 0, "5-17": 0, "18-59": 1, "60+": 1, "unknown": 0})
        self.assertEqual(counts["by_disability"], {"with": 1, "without": 1, "unknown": 3})
        st, _, e = self.viewer.get(EVENTS + "/%s" % ev["id"])
        self.assertEqual(e["attendance_count"], 5)
        # Again: already present.
        again = self.attend(ev, [p1["id"]], client=self.officer)
        self.assertEqual((again["added"], again["already_present"]), ([], [p1["id"]]))
        log = self.audit(object_type="event", object_id=ev["id"], action="attendance.add")
        self.assertEqual(len(log), 1, "nothing added, nothing audited")
        self.assertEqual(sorted(log[0]["after"]["participant_ids"]), sorted(added["added"]))
        # Removing one.
        path = EVENTS + "/%s/attendance/%s" % (ev["id"], p2["id"])
        self.assertProblem(self.viewer.delete(path), 403)
        st, _, _ = self.officer.delete(path)
        self.assertEqual(st, 204)
        self.assertProblem(self.officer.delete(path), 404)
        st, _, att = self.viewer.get(EVENTS + "/%s/attendance" % ev["id"])
        self.assertEqual((att["counts"]["total"], att["counts"]["by_age_band"]["5-17"]), (4, 0))
        self.assertEqual(self.audit(object_type="event", object_id=ev["id"])[0]["action"], "attendance.remove")

    def test_attendance_wrong_input(self):
        p = self.create("Hadir Salah")
        resp = self.coord.post(EVENTS + "/%s/attendance" % self.future["id"], {"participant_ids": [p["id"]]})
        self.assertIn("2035-06-01", self.assertProblem(resp, 409)["detail"])
        cases = [
            ({"participant_ids": [p["id"], "999999999"]}, "participant_ids[1]"),
            ({"participant_ids": ["abc"]}, "participant_ids[0]"),
            ({"participant_ids": []}, "participant_ids"),
            ({}, "participant_ids"),
            ({"walk_ins": [{"name": "Tanpa Jenis Kelamin"}]}, "walk_ins[0].sex"),
            ({"walk_ins": [{"name": "NIK Salah", "sex": "male", "nik": "123"}]}, "walk_ins[0].nik"),
            ({"walk_ins": "Ibu Ana"}, "walk_ins"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                pr = self.assertProblem(self.coord.post(EVENTS + "/%s/attendance" % self.past["id"], body), 422)
                self.assertEqual(pr["errors"][0]["field"], field)
        self.assertProblem(self.viewer.post(EVENTS + "/%s/attendance" % self.past["id"], {"participant_ids": [p["id"]]}), 403)
        self.assertProblem(self.coord.post(EVENTS + "/999999999/attendance", {"participant_ids": [p["id"]]}), 404)
        st, _, page = self.coord.get(PEOPLE + "?q=tanpa+jenis")
        self.assertEqual(page["items"], [], "a refused list registers no walk-in")


if __name__ == "__main__":
    unittest.main()
