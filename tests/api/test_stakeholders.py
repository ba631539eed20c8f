"""Stakeholders (organisations and people, type, contacts, power/interest and the Mendelow
quadrant with 3 of 5 as high), their program links, the engagement log with attendees and
follow-ups (overdue list, the owner closing their own), If-Match, audit, roles, partner
visibility and organisation isolation."""

import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
ST = ORG + "/stakeholders"
ENG = ORG + "/engagements"
FU = ORG + "/follow-ups"
AUDIT = ORG + "/audit"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-mitra.example.org"
OTHER_PASSWORD = "lain-rahasia-3"


class Stakeholders(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        support.add_org(db, "other", "Organisasi Lain")
        support.add_user(db, "other", OTHER_ADMIN, "admin", OTHER_PASSWORD, name="Admin Lain")
        cls.server = support.Server(db).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.partner = cls.server.login(PARTNER)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        cls.other = cls.server.login(OTHER_ADMIN, OTHER_PASSWORD)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def add(self, client=None, org="demo", **body):
        st, h, s = (client or self.coord).post("/api/v1/orgs/%s/stakeholders" % org, body)
        self.assertEqual(st, 201, s)
        self.assertEqual(h.get("ETag"), '"v%d"' % s["version"])
        return s

    def program(self, name):
        st, _, p = self.coord.post(ORG + "/programs", {"name": name, "start_date": "2026-01-01",
                                                       "end_date": "2026-12-31"})
        self.assertEqual(st, 201, p)
        return p

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    # -- stakeholders ----------------------------------------------------------------------
    def test_organisation_and_person(self):
        org = self.add(name="Pemerintah Desa Bosen", type="village_government", phone="+62 812-3456-7890",
                       email="Desa.Bosen@Example.ID", address="Jl. Desa 1, Bosen", power=5, interest=4)
        self.assertEqual((org["kind"], org["type"], org["quadrant"]), ("organisation", "village_government",
                                                                       "manage_closely"))
        self.assertEqual(org["email"], "desa.bosen@example.id")
        person = self.add(kind="person", name="Yohanes Tefa", position="Kepala Desa", organisation_id=org["id"],
                          power=4, interest=2)
        self.assertEqual(person["type"], "village_government", "a person takes the organisation's type")
        self.assertEqual((person["organisation_id"], person["organisation_name"]), (org["id"], "Pemerintah Desa Bosen"))
        self.assertEqual(person["quadrant"], "keep_satisfied")
        st, h, again = self.viewer.get(ST + "/%s" % person["id"])
        self.assertEqual((st, again), (200, person))
        self.assertEqual(h.get("ETag"), '"v1"')
        unscored = self.add(name="Radio Komunitas", type="media")
        self.assertIsNone(unscored["quadrant"])
        st, _, people = self.viewer.get(ST + "?organisation=%s" % org["id"])
        self.assertEqual([p["id"] for p in people["items"]], [person["id"]])

    def test_mendelow_quadrants_with_three_as_high(self):
        made = {}
        for name, power, interest in (("Kuadran A", 3, 3), ("Kuadran B", 3, 2), ("Kuadran C", 2, 3),
                                      ("Kuadran D", 2, 2), ("Kuadran E", 1, 5)):
            made[name] = self.add(name=name, type="ngo", power=power, interest=interest)["quadrant"]
        self.assertEqual(made, {"Kuadran A": "manage_closely", "Kuadran B": "keep_satisfied",
                                "Kuadran C": "keep_informed", "Kuadran D": "monitor", "Kuadran E": "keep_informed"})
        for quadrant, expected in (("manage_closely", ["Kuadran A"]), ("keep_satisfied", ["Kuadran B"]),
                                   ("keep_informed", ["Kuadran C", "Kuadran E"]), ("monitor", ["Kuadran D"])):
            st, _, body = self.viewer.get(ST + "?q=kuadran&quadrant=" + quadrant)
            self.assertEqual(st, 200, body)
            self.assertEqual([s["name"] for s in body["items"]], expected, quadrant)
        self.assertProblem(self.viewer.get(ST + "?quadrant=high"), 422)

    def test_wrong_input(self):
        org = self.add(name="Organisasi Uji", type="ngo")
        person = self.add(kind="person", name="Orang Uji", organisation_id=org["id"])
        cases = [
            ({"power": 6}, "power"),
            ({"power": 0}, "power"),
            ({"interest": "3"}, "interest"),
            ({"interest": 2.5}, "interest"),
            ({"type": "government"}, "type"),
            ({"kind": "group"}, "kind"),
            ({"name": ""}, "name"),
            ({"email": "bukan-email"}, "email"),
            ({"phone": "call me"}, "phone"),
            ({"organisation_id": person["id"], "kind": "person"}, "organisation_id"),  # a person is no organisation
            ({"organisation_id": org["id"]}, "organisation_id"),                       # organisations belong to none
            ({"organisation_id": "999999999", "kind": "person"}, "organisation_id"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                body = dict({"name": "Salah", "type": "ngo"}, **change)
                p = self.assertProblem(self.coord.post(ST, body), 422)
                self.assertEqual(p["errors"][0]["field"], field, p)
        p = self.assertProblem(self.coord.post(ST, {"name": "Tanpa Jenis"}), 422)
        self.assertEqual(p["errors"][0]["field"], "type")
        self.assertProblem(self.viewer.get(ST + "?type=government"), 422)
        st, _, body = self.viewer.get(ST + "?q=salah")
        self.assertEqual(body["items"], [])

    def test_update_delete_if_match_and_audit(self):
        s = self.add(name="LSM Air", type="ngo", power=2, interest=2)
        path = ST + "/%s" % s["id"]
        self.assertProblem(self.coord.patch(path, {"power": 4}), 428)
        self.assertProblem(self.coord.patch(path, {"power": 4}, headers={"If-Match": '"v5"'}), 412)
        st, h, u = self.coord.patch(path, {"power": 4, "notes": "Mitra lama"}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, u)
        self.assertEqual((u["power"], u["interest"], u["quadrant"], u["version"]), (4, 2, "keep_satisfied", 2))
        self.assertEqual(h.get("ETag"), '"v2"')
        st, _, u = self.coord.patch(path, {"power": None}, headers={"If-Match": '"v2"'})
        self.assertEqual((u["power"], u["quadrant"]), (None, None))
        self.assertProblem(self.coord.patch(path, {"kind": "person"}, headers={"If-Match": '"v3"'}), 422)
        self.assertProblem(self.coord.patch(path, {"power": 6}, headers={"If-Match": '"v3"'}), 422)
        self.assertProblem(self.coord.delete(path), 428)
        self.assertEqual(self.coord.delete(path, headers={"If-Match": '"v3"'})[0], 204)
        self.assertProblem(self.coord.get(path), 404)
        log = self.audit(object_type="stakeholder", object_id=s["id"])
        self.assertEqual([e["action"] for e in log],
                         ["stakeholder.delete", "stakeholder.update", "stakeholder.update", "stakeholder.create"])
        self.assertEqual((log[2]["before"]["power"], log[2]["after"]["power"]), (2, 4))
        self.assertEqual(log[0]["actor"], support.COORDINATOR)

    def test_organisation_with_people_cannot_go(self):
        org = self.add(name="Kelompok Tani Maju", type="community_group")
        person = self.add(kind="person", name="Ketua Tani", organisation_id=org["id"])
        e = self.assertProblem(self.coord.delete(ST + "/%s" % org["id"], headers={"If-Match": '"v1"'}), 409)
        self.assertIn("people", e["detail"])
        self.assertEqual(self.coord.delete(ST + "/%s" % person["id"], headers={"If-Match": '"v1"'})[0], 204)
        self.assertEqual(self.coord.delete(ST + "/%s" % org["id"], headers={"If-Match": '"v1"'})[0], 204)

    def test_program_links_and_filter(self):
        donor = self.add(name="Donor Tautan", type="donor")
        partner_ngo = self.add(name="Mitra Tautan", type="ngo")
        p = self.program("Program Tautan")
        st, _, body = self.coord.patch(ORG + "/programs/%s" % p["id"], {"stakeholders": [
            {"stakeholder_id": donor["id"], "role": "donor"},
            {"stakeholder_id": partner_ngo["id"], "role": "implementing_partner"}]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, body)
        self.assertEqual({(x["name"], x["role"]) for x in body["stakeholders"]},
                         {("Donor Tautan", "donor"), ("Mitra Tautan", "implementing_partner")})
        st, _, listed = self.viewer.get(ST + "?program=%s" % p["id"])
        self.assertEqual([s["name"] for s in listed["items"]], ["Donor Tautan", "Mitra Tautan"])
        st, _, listed = self.viewer.get(ST + "?program=%s&type=donor" % p["id"])
        self.assertEqual([s["name"] for s in listed["items"]], ["Donor Tautan"])
        st, _, d = self.viewer.get(ST + "/%s" % donor["id"])
        self.assertEqual(d["programs"], [{"program_id": p["id"], "name": "Program Tautan", "role": "donor"}])
        self.assertProblem(self.viewer.get(ST + "?program=999999999"), 404)
        # A partner user sees the link only once the program is shared with them.
        st, _, d = self.partner.get(ST + "/%s" % donor["id"])
        self.assertEqual((st, d["programs"]), (200, []))
        self.coord.post(ORG + "/programs/%s/members" % p["id"], {"user_id": self.user_ids[PARTNER]})
        st, _, d = self.partner.get(ST + "/%s" % donor["id"])
        self.assertEqual([x["program_id"] for x in d["programs"]], [p["id"]])

    def test_roles(self):
        s = self.add(name="Peran Uji", type="academic")
        for who in (self.viewer, self.officer, self.partner):
            with self.subTest(who=who):
                self.assertProblem(who.post(ST, {"name": "X", "type": "ngo"}), 403)
                self.assertProblem(who.patch(ST + "/%s" % s["id"], {"name": "X"}, headers={"If-Match": '"v1"'}), 403)
                self.assertProblem(who.delete(ST + "/%s" % s["id"], headers={"If-Match": '"v1"'}), 403)
                self.assertProblem(who.post(ENG, {"kind": "call", "held_on": "2026-03-01", "subject": "X",
                                                  "stakeholder_ids": [s["id"]]}), 403)
        st, _, body = self.viewer.get(ST + "/%s" % s["id"])
        self.assertEqual((st, body["version"]), (200, 1))

    def test_isolation(self):
        mine = self.add(name="Rahasia Demo", type="donor")
        theirs = self.add(client=self.other, org="other", name="Rahasia Lain", type="ngo")
        self.assertProblem(self.other.get("/api/v1/orgs/other/stakeholders/%s" % mine["id"]), 404)
        self.assertProblem(self.other.get(ST + "/%s" % mine["id"]), 404)
        self.assertProblem(self.coord.get(ST + "/%s" % theirs["id"]), 404)
        self.assertProblem(self.other.patch("/api/v1/orgs/other/stakeholders/%s" % mine["id"], {"name": "X"},
                                            headers={"If-Match": '"v1"'}), 404)
        st, _, body = self.other.get("/api/v1/orgs/other/stakeholders?q=rahasia")
        self.assertEqual([s["name"] for s in body["items"]], ["Rahasia Lain"])
        e = self.assertProblem(self.other.post("/api/v1/orgs/other/stakeholders",
                                               {"kind": "person", "name": "Penyusup", "organisation_id": mine["id"]}), 422)
        self.assertEqual(e["errors"][0]["field"], "organisation_id")
        e = self.assertProblem(self.coord.post(ENG, {"kind": "call", "held_on": "2026-03-01", "subject": "X",
                                                     "stakeholder_ids": [theirs["id"]]}), 422)
        self.assertEqual(e["errors"][0]["field"], "stakeholder_ids[0]")

    # -- engagement log --------------------------------------------------------------------
    def test_engagement_with_attendees_and_follow_ups(self):
        org = self.add(name="Dinas PUPR TTS", type="government_office", power=5, interest=3)
        head = self.add(kind="person", name="Kepala Bidang Air", organisation_id=org["id"])
        p = self.program("Program Pertemuan")
        officer_id = self.user_ids[support.FIELD_OFFICER]
        st, h, e = self.coord.post(ENG, {
            "kind": "meeting", "held_on": "2026-03-10", "subject": "Rencana sambungan air",
            "notes": "Sepakat survei bersama", "program_id": p["id"],
            "stakeholder_ids": [org["id"], head["id"]], "user_ids": [self.user_ids[support.COORDINATOR], officer_id],
            "follow_ups": [{"description": "Kirim surat permohonan", "due_date": "2026-03-20",
                            "owner_user_id": officer_id},
                           {"description": "Jadwalkan survei", "due_date": "2099-01-01"}]})
        self.assertEqual(st, 201, e)
        self.assertEqual(h.get("ETag"), '"v1"')
        self.assertEqual((e["kind"], e["held_on"], e["program_id"], e["program_name"]),
                         ("meeting", "2026-03-10", p["id"], "Program Pertemuan"))
        self.assertEqual({s["name"] for s in e["stakeholders"]}, {"Dinas PUPR TTS", "Kepala Bidang Air"})
        self.assertEqual(len(e["users"]), 2)
        self.assertEqual([(f["description"], f["status"]) for f in e["follow_ups"]],
                         [("Kirim surat permohonan", "open"), ("Jadwalkan survei", "open")])
        self.assertTrue(e["follow_ups"][0]["overdue"], "due 2026-03-20, open: overdue by now")
        self.assertFalse(e["follow_ups"][1]["overdue"])
        # The organisation's log includes its people's engagements; by program; by date.
        for query in ("stakeholder=%s" % org["id"], "stakeholder=%s" % head["id"], "program=%s" % p["id"],
                      "from=2026-03-10&to=2026-03-10&kind=meeting"):
            st, _, body = self.viewer.get(ENG + "?" + query)
            self.assertIn(e["id"], [x["id"] for x in body["items"]], query)
        st, _, body = self.viewer.get(ENG + "?from=2026-03-11&kind=meeting&program=%s" % p["id"])
        self.assertEqual(body["items"], [])
        # Overdue follow-ups, counted from a given day.
        st, _, due = self.viewer.get(FU + "?overdue=true&as_of=2026-03-21")
        self.assertIn("Kirim surat permohonan", [f["description"] for f in due["items"]])
        self.assertNotIn("Jadwalkan survei", [f["description"] for f in due["items"]])
        st, _, due = self.viewer.get(FU + "?overdue=true&as_of=2026-03-20")
        self.assertNotIn("Kirim surat permohonan", [f["description"] for f in due["items"]], "due today is not overdue")
        st, _, mine = self.viewer.get(FU + "?owner=%s&status=open" % officer_id)
        self.assertEqual([f["description"] for f in mine["items"]], ["Kirim surat permohonan"])
        self.assertProblem(self.viewer.get(FU + "?overdue=maybe"), 400)
        self.assertProblem(self.viewer.get(FU + "?as_of=20-03-2026"), 400)
        self.assertProblem(self.viewer.get(FU + "?status=late"), 422)

        # The owner (a field officer) closes their follow-up; other changes need edit rights.
        fid = e["follow_ups"][0]["id"]
        self.assertProblem(self.officer.patch(FU + "/%s" % fid, {"due_date": "2026-04-01"},
                                              headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.viewer.patch(FU + "/%s" % fid, {"status": "done"}, headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.officer.patch(FU + "/%s" % fid, {"status": "done"}), 428)
        st, _, f = self.officer.patch(FU + "/%s" % fid, {"status": "done"}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, f)
        self.assertEqual((f["status"], f["overdue"], f["version"]), ("done", False, 2))
        self.assertTrue(f["done_at"])
        st, _, due = self.viewer.get(FU + "?overdue=true&as_of=2026-03-21")
        self.assertNotIn(fid, [x["id"] for x in due["items"]])
        self.assertProblem(self.officer.patch(FU + "/%s" % fid, {"status": "open"}, headers={"If-Match": '"v1"'}), 412)
        log = self.audit(object_type="follow_up", object_id=fid)
        self.assertEqual([x["action"] for x in log], ["follow_up.update"])
        self.assertEqual((log[0]["before"]["status"], log[0]["after"]["status"], log[0]["actor"]),
                         ("open", "done", support.FIELD_OFFICER))

        # A follow-up added later; the engagement edited and deleted with If-Match.
        st, _, f2 = self.coord.post(ENG + "/%s/follow-ups" % e["id"], {"description": "Tanda tangan MoU",
                                                                        "due_date": "2026-05-01"})
        self.assertEqual(st, 201, f2)
        self.assertProblem(self.coord.post(ENG + "/%s/follow-ups" % e["id"], {"description": "Tanpa tanggal"}), 422)
        path = ENG + "/%s" % e["id"]
        self.assertProblem(self.coord.patch(path, {"subject": "X"}), 428)
        st, _, e2 = self.coord.patch(path, {"kind": "mou", "stakeholder_ids": [org["id"]]}, headers={"If-Match": '"v1"'})
        self.assertEqual((st, e2["kind"], len(e2["stakeholders"]), len(e2["follow_ups"])), (200, "mou", 1, 3))
        self.assertEqual(self.coord.delete(path, headers={"If-Match": '"v2"'})[0], 204)
        self.assertProblem(self.coord.get(path), 404)
        self.assertProblem(self.coord.get(FU + "/%s" % fid), 404)
        actions = [x["action"] for x in self.audit(object_type="engagement", object_id=e["id"])]
        self.assertEqual(actions, ["engagement.delete", "engagement.update", "engagement.create"])

    def test_engagement_wrong_input(self):
        s = self.add(name="Sasaran Keliru", type="media")
        base = {"kind": "call", "held_on": "2026-03-01", "subject": "Telepon", "stakeholder_ids": [s["id"]]}
        cases = [
            ({"kind": "email"}, "kind"),
            ({"held_on": "2026-02-30"}, "held_on"),
            ({"subject": " "}, "subject"),
            ({"stakeholder_ids": []}, "stakeholder_ids"),
            ({"stakeholder_ids": ["999999999"]}, "stakeholder_ids[0]"),
            ({"user_ids": ["999999999"]}, "user_ids[0]"),
            ({"program_id": "999999999"}, "program_id"),
            ({"follow_ups": [{"description": "Tanpa tanggal"}]}, "follow_ups[0].due_date"),
            ({"follow_ups": [{"description": "Status aneh", "due_date": "2026-04-01", "status": "later"}]},
             "follow_ups[0].status"),
            ({"follow_ups": [{"description": "Pemilik asing", "due_date": "2026-04-01", "owner_user_id": "999999999"}]},
             "follow_ups[0].owner_user_id"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                p = self.assertProblem(self.coord.post(ENG, dict(base, **change)), 422)
                self.assertEqual(p["errors"][0]["field"], field, p)
        for missing in ("kind", "held_on", "subject", "stakeholder_ids"):
            with self.subTest(missing=missing):
                p = self.assertProblem(self.coord.post(ENG, {k: v for k, v in base.items() if k != missing}), 422)
                self.assertEqual(p["errors"][0]["field"], missing)
        st, _, body = self.viewer.get(ENG + "?stakeholder=%s" % s["id"])
        self.assertEqual(body["items"], [], "nothing was logged")

    def test_partner_sees_engagements_of_shared_programs_only(self):
        s = self.add(name="Mitra Log", type="ngo")
        shared, hidden = self.program("Log Dibagi"), self.program("Log Tersembunyi")
        self.coord.post(ORG + "/programs/%s/members" % shared["id"], {"user_id": self.user_ids[PARTNER]})
        made = {}
        for key, program in (("shared", shared), ("hidden", hidden), ("none", None)):
            body = {"kind": "visit", "held_on": "2026-04-01", "subject": "Kunjungan " + key,
                    "stakeholder_ids": [s["id"]],
                    "follow_ups": [{"description": "Tindak lanjut " + key, "due_date": "2026-04-02"}]}
            if program:
                body["program_id"] = program["id"]
            st, _, e = self.coord.post(ENG, body)
            self.assertEqual(st, 201, e)
            made[key] = e
        st, _, body = self.partner.get(ENG + "?stakeholder=%s" % s["id"])
        self.assertEqual([e["subject"] for e in body["items"]], ["Kunjungan shared"])
        self.assertEqual(self.partner.get(ENG + "/%s" % made["shared"]["id"])[0], 200)
        for key in ("hidden", "none"):
            self.assertProblem(self.partner.get(ENG + "/%s" % made[key]["id"]), 404)
            self.assertProblem(self.partner.get(FU + "/%s" % made[key]["follow_ups"][0]["id"]), 404)
        st, _, due = self.partner.get(FU + "?overdue=true&as_of=2026-05-01")
        self.assertEqual([f["description"] for f in due["items"]], ["Tindak lanjut shared"])
        st, _, all_log = self.viewer.get(ENG + "?stakeholder=%s" % s["id"])
        self.assertEqual(len(all_log["items"]), 3)
        self.assertProblem(self.other.get("/api/v1/orgs/other/engagements/%s" % made["none"]["id"]), 404)


if __name__ == "__main__":
    unittest.main()
