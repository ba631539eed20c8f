"""Programs (period, areas, donors and partners, status, currency) with If-Match, filters and
audit; sharing with partner users (a partner sees only programs shared with them: the rest is
404); the results framework (tiers and templates, the one-tier-below rule, moves, deletes, the
nested tree, seeding refused for a program that has nodes); roles and organisation isolation."""

import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
NODES = ORG + "/result-nodes"
AUDIT = ORG + "/audit"
OTHER_ADMIN = "admin@lain-program.example.org"
OTHER_PASSWORD = "lain-rahasia-2"
PARTNER = support.DEMO_USERS["partner"]
VILLAGE_2 = "53.02.03.2001"  # another village of Mollo Utara


class Programs(support.ServerTestCase):
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
        cls.bosen = support.area_by_code(cls.admin, support.BOSEN_CODE)
        cls.district = support.area_by_code(cls.admin, support.MOLLO_UTARA_CODE)
        cls.village2 = support.area_by_code(cls.admin, VILLAGE_2)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}
        st, _, donor = cls.coord.post(ORG + "/stakeholders", {"name": "Yayasan Donor Air", "type": "donor"})
        assert st == 201, donor
        cls.donor = donor
        st, _, body = cls.other.post("/api/v1/orgs/other/stakeholders", {"name": "Mitra Lain", "type": "ngo"})
        assert st == 201, body
        cls.other_stakeholder = body

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    def create(self, name, client=None, org="demo", **extra):
        body = {"name": name, "start_date": "2026-01-01", "end_date": "2027-12-31"}
        body.update(extra)
        st, h, p = (client or self.coord).post("/api/v1/orgs/%s/programs" % org, body)
        self.assertEqual(st, 201, p)
        self.assertEqual(h.get("ETag"), '"v%d"' % p["version"])
        return p

    def etag(self, path, client=None):
        st, h, body = (client or self.coord).get(path)
        self.assertEqual(st, 200, body)
        return h.get("ETag")

    def node(self, program, title, parent=None, client=None, **extra):
        body = {"title": title}
        if parent is not None:
            body["parent_id"] = parent["id"]
        body.update(extra)
        st, _, n = (client or self.coord).post(PROGRAMS + "/%s/results" % program["id"], body)
        self.assertEqual(st, 201, n)
        return n

    def four_levels(self, program, prefix=""):
        goal = self.node(program, prefix + "Goal")
        outcome = self.node(program, prefix + "Outcome", goal)
        output = self.node(program, prefix + "Output", outcome)
        activity = self.node(program, prefix + "Activity", output)
        return goal, outcome, output, activity

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    # -- programs ------------------------------------------------------------------------
    def test_create_and_read(self):
        p = self.create("Air Bersih Bosen", description="Sambungan air ke rumah tangga",
                        area_ids=[self.bosen["id"]], status="active", currency="USD",
                        framework_template="usaid",
                        stakeholders=[{"stakeholder_id": self.donor["id"], "role": "donor"}])
        self.assertEqual(p["name"], "Air Bersih Bosen")
        self.assertEqual((p["start_date"], p["end_date"]), ("2026-01-01", "2027-12-31"))
        self.assertEqual((p["status"], p["currency"]), ("active", "USD"))
        self.assertEqual(p["framework_template"], "usaid")
        self.assertEqual(p["tiers"], ["Goal", "Development Objective", "Intermediate Result", "Sub-Intermediate Result"])
        self.assertEqual([a["id"] for a in p["areas"]], [self.bosen["id"]])
        self.assertEqual(p["areas"][0]["code"], support.BOSEN_CODE)
        self.assertEqual(p["stakeholders"], [{"stakeholder_id": self.donor["id"], "role": "donor",
                                              "name": "Yayasan Donor Air", "kind": "organisation", "type": "donor"}])
        self.assertEqual(p["problem_ids"], [])
        st, h, again = self.viewer.get(PROGRAMS + "/%s" % p["id"])
        self.assertEqual(st, 200, again)
        self.assertEqual(again, p)
        self.assertEqual(h.get("ETag"), '"v1"')
        # The donor's side shows the link too.
        st, _, d = self.coord.get(ORG + "/stakeholders/%s" % self.donor["id"])
        self.assertIn({"program_id": p["id"], "name": "Air Bersih Bosen", "role": "donor"}, d["programs"])

    def test_defaults(self):
        p = self.create("Program Bawaan")
        self.assertEqual((p["status"], p["currency"], p["framework_template"]), ("planned", "IDR", "default"))
        self.assertEqual(p["tiers"], ["Goal", "Outcome", "Output", "Activity"])
        self.assertEqual((p["areas"], p["stakeholders"], p["description"]), ([], [], ""))

    def test_templates_listed(self):
        st, _, body = self.viewer.get(ORG + "/result-templates")
        self.assertEqual(st, 200, body)
        by_id = {t["id"]: t for t in body["items"]}
        self.assertEqual(by_id["eu"]["tiers"], ["Overall objective", "Specific objective", "Output", "Activity"])
        self.assertEqual(by_id["un"]["tiers"], ["Impact", "Outcome", "Output", "Activity"])
        self.assertIn("dfat", by_id)
        p = self.create("Program Tiga Tingkat", tiers=["Tujuan", "Hasil", "Keluaran"])
        self.assertEqual((p["framework_template"], p["tiers"]), ("custom", ["Tujuan", "Hasil", "Keluaran"]))

    def test_wrong_input(self):
        base = {"name": "Salah", "start_date": "2026-01-01", "end_date": "2026-12-31"}
        cases = [
            ({"end_date": "2025-12-31"}, "end_date"),          # end before start
            ({"status": "finished"}, "status"),
            ({"start_date": "2026-02-30"}, "start_date"),
            ({"start_date": "01-01-2026"}, "start_date"),
            ({"currency": "idr"}, "currency"),
            ({"currency": "RUPIAH"}, "currency"),
            ({"name": "   "}, "name"),
            ({"framework_template": "world_bank"}, "framework_template"),
            ({"framework_template": "eu", "tiers": ["A", "B"]}, "tiers"),
            ({"tiers": ["Hanya satu"]}, "tiers"),
            ({"tiers": ["A", "B", "C", "D", "E", "F", "G"]}, "tiers"),
            ({"area_ids": ["999999999"]}, "area_ids[0]"),
            ({"area_ids": "1"}, "area_ids"),
            ({"stakeholders": [{"stakeholder_id": self.other_stakeholder["id"], "role": "donor"}]},
             "stakeholders[0].stakeholder_id"),
            ({"stakeholders": [{"stakeholder_id": self.donor["id"], "role": "sponsor"}]}, "stakeholders[0].role"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                body = dict(base, **change)
                p = self.assertProblem(self.coord.post(PROGRAMS, body), 422)
                self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        for missing in ("name", "start_date", "end_date"):
            with self.subTest(missing=missing):
                body = {k: v for k, v in base.items() if k != missing}
                p = self.assertProblem(self.coord.post(PROGRAMS, body), 422)
                self.assertEqual(p["errors"][0]["field"], missing)
        self.assertProblem(self.coord.request("POST", PROGRAMS, None, headers={"Content-Type": "text/plain"}), 415)
        st, _, body = self.coord.get(PROGRAMS + "?q=salah")
        self.assertEqual(body["items"], [], "nothing was created")

    def test_update_needs_if_match(self):
        p = self.create("Program Ubah")
        path = PROGRAMS + "/%s" % p["id"]
        self.assertProblem(self.coord.patch(path, {"status": "active"}), 428)
        self.assertProblem(self.coord.patch(path, {"status": "active"}, headers={"If-Match": '"v7"'}), 412)
        st, h, q = self.coord.patch(path, {"status": "active", "end_date": "2028-06-30", "area_ids": [self.bosen["id"]]},
                                    headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, q)
        self.assertEqual((q["status"], q["end_date"], q["version"]), ("active", "2028-06-30", 2))
        self.assertEqual(h.get("ETag"), '"v2"')
        self.assertEqual(q["name"], "Program Ubah", "left-out members keep their value")
        # The stale ETag no longer works.
        self.assertProblem(self.coord.patch(path, {"status": "completed"}, headers={"If-Match": '"v1"'}), 412)
        # The new end must still follow the stored start.
        p2 = self.assertProblem(self.coord.patch(path, {"end_date": "2025-01-01"}, headers={"If-Match": '"v2"'}), 422)
        self.assertEqual(p2["errors"][0]["field"], "end_date")
        self.assertProblem(self.coord.patch(path, {"status": "closed"}, headers={"If-Match": '"v2"'}), 422)
        st, _, now = self.coord.get(path)
        self.assertEqual(now["version"], 2)
        # Audit: before and after.
        e = self.audit(object_type="program", object_id=p["id"], action="program.update")[0]
        self.assertEqual((e["before"]["status"], e["after"]["status"]), ("planned", "active"))
        self.assertEqual(e["after"]["areas"][0]["id"], self.bosen["id"])
        self.assertEqual(e["actor"], support.COORDINATOR)

    def test_delete(self):
        p = self.create("Program Hapus")
        path = PROGRAMS + "/%s" % p["id"]
        self.assertProblem(self.coord.delete(path), 428)
        self.assertProblem(self.coord.delete(path, headers={"If-Match": '"v9"'}), 412)
        st, _, _ = self.coord.delete(path, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.coord.get(path), 404)
        self.assertProblem(self.coord.get(path + "/results"), 404)
        st, _, body = self.coord.get(PROGRAMS + "?q=hapus")
        self.assertEqual(body["items"], [])
        actions = [e["action"] for e in self.audit(object_type="program", object_id=p["id"])]
        self.assertEqual(actions, ["program.delete", "program.create"])

    def test_list_filters_and_paging(self):
        a = self.create("Zeta Sanitasi", status="active", area_ids=[self.bosen["id"]])
        b = self.create("Zeta Gizi", status="planned", area_ids=[self.village2["id"]],
                        description="Posyandu dan sanitasi sekolah")
        c = self.create("Zeta Kabupaten", status="active", area_ids=[self.district["id"]])

        def names(query):
            st, _, body = self.viewer.get(PROGRAMS + "?" + query)
            self.assertEqual(st, 200, body)
            return [p["name"] for p in body["items"]]
        self.assertEqual(names("q=zeta"), ["Zeta Gizi", "Zeta Kabupaten", "Zeta Sanitasi"])  # by name
        self.assertEqual(names("q=zeta&status=active"), ["Zeta Kabupaten", "Zeta Sanitasi"])
        self.assertEqual(names("q=zeta+sanitasi"), ["Zeta Gizi", "Zeta Sanitasi"])  # name or description
        self.assertEqual(names("q=Z%C3%89TA%20gizi"), ["Zeta Gizi"])
        # The village: programs there and those covering it from above; the district: everything in it.
        self.assertEqual(names("q=zeta&area=%s" % self.bosen["id"]), ["Zeta Kabupaten", "Zeta Sanitasi"])
        self.assertEqual(names("q=zeta&area=%s" % self.village2["id"]), ["Zeta Gizi", "Zeta Kabupaten"])
        self.assertEqual(names("q=zeta&area=%s" % self.district["id"]), ["Zeta Gizi", "Zeta Kabupaten", "Zeta Sanitasi"])
        self.assertProblem(self.viewer.get(PROGRAMS + "?status=closed"), 422)
        self.assertProblem(self.viewer.get(PROGRAMS + "?area=abc"), 400)
        self.assertProblem(self.viewer.get(PROGRAMS + "?area=999999999"), 404)
        self.assertProblem(self.viewer.get(PROGRAMS + "?cursor=xyz"), 400)
        # Paging: two at a time, no repeats, no gaps.
        st, _, first = self.viewer.get(PROGRAMS + "?q=zeta&limit=2")
        self.assertEqual([p["id"] for p in first["items"]], [b["id"], c["id"]])
        self.assertTrue(first["next_cursor"])
        st, _, second = self.viewer.get(PROGRAMS + "?q=zeta&limit=2&cursor=" + first["next_cursor"])
        self.assertEqual([p["id"] for p in second["items"]], [a["id"]])
        self.assertIsNone(second["next_cursor"])

    # -- roles -----------------------------------------------------------------------------
    def test_viewer_and_field_officer_cannot_change(self):
        p = self.create("Program Peran")
        path = PROGRAMS + "/%s" % p["id"]
        for who in (self.viewer, self.officer, self.partner):
            with self.subTest(who=who):
                self.assertProblem(who.post(PROGRAMS, {"name": "X", "start_date": "2026-01-01",
                                                       "end_date": "2026-02-01"}), 403)
                self.assertProblem(who.patch(path, {"name": "X"}, headers={"If-Match": '"v1"'}), 403)
                self.assertProblem(who.delete(path, headers={"If-Match": '"v1"'}), 403)
                self.assertProblem(who.post(path + "/members", {"user_id": self.user_ids[PARTNER]}), 403)
                self.assertProblem(who.post(path + "/results", {"title": "X"}), 403)
        st, _, body = self.viewer.get(path)
        self.assertEqual((st, body["version"]), (200, 1))
        st, _, body = self.officer.get(path + "/results")
        self.assertEqual((st, body["nodes"]), (200, []))

    # -- sharing with partners -------------------------------------------------------------
    def test_partner_sees_only_programs_shared_with_them(self):
        shared = self.create("Mitra Dibagi")
        hidden = self.create("Mitra Tersembunyi")
        goal_hidden = self.node(hidden, "Tujuan tersembunyi")
        partner_id = self.user_ids[PARTNER]
        # Before sharing: nothing of either.
        for p in (shared, hidden):
            self.assertProblem(self.partner.get(PROGRAMS + "/%s" % p["id"]), 404)
        st, _, body = self.partner.get(PROGRAMS + "?q=mitra")
        self.assertEqual(body["items"], [])

        st, _, m = self.coord.post(PROGRAMS + "/%s/members" % shared["id"], {"user_id": partner_id})
        self.assertEqual(st, 201, m)
        self.assertEqual((m["user_id"], m["email"], m["role"]), (partner_id, PARTNER, "partner"))
        self.assertProblem(self.coord.post(PROGRAMS + "/%s/members" % shared["id"], {"user_id": partner_id}), 409)

        st, _, body = self.partner.get(PROGRAMS + "/%s" % shared["id"])
        self.assertEqual(st, 200, body)
        self.assertEqual(body["name"], "Mitra Dibagi")
        st, _, body = self.partner.get(PROGRAMS + "/%s/results" % shared["id"])
        self.assertEqual(st, 200, body)
        st, _, body = self.partner.get(PROGRAMS + "/%s/members" % shared["id"])
        self.assertEqual([x["email"] for x in body["items"]], [PARTNER])
        st, _, body = self.partner.get(PROGRAMS + "?q=mitra")
        self.assertEqual([p["id"] for p in body["items"]], [shared["id"]])

        # The other program and everything under it stays 404 for the partner, as across organisations.
        for path in (PROGRAMS + "/%s" % hidden["id"], PROGRAMS + "/%s/results" % hidden["id"],
                     PROGRAMS + "/%s/members" % hidden["id"], NODES + "/%s" % goal_hidden["id"]):
            with self.subTest(path=path):
                p = self.assertProblem(self.partner.get(path), 404)
                self.assertNotIn("Tersembunyi", p["detail"])
        self.assertProblem(self.partner.get(ORG + "/stakeholders?program=%s" % hidden["id"]), 404)
        # Other roles see both.
        st, _, body = self.viewer.get(PROGRAMS + "?q=mitra")
        self.assertEqual(len(body["items"]), 2)

        # Unsharing takes it away again.
        st, _, _ = self.coord.delete(PROGRAMS + "/%s/members/%s" % (shared["id"], partner_id))
        self.assertEqual(st, 204)
        self.assertProblem(self.partner.get(PROGRAMS + "/%s" % shared["id"]), 404)
        self.assertProblem(self.coord.delete(PROGRAMS + "/%s/members/%s" % (shared["id"], partner_id)), 404)
        actions = [e["action"] for e in self.audit(object_type="program", object_id=shared["id"])]
        self.assertEqual(actions, ["program.unshare", "program.share", "program.create"])

    def test_share_needs_a_member_of_the_organisation(self):
        p = self.create("Program Berbagi")
        st, _, others = self.other.get("/api/v1/orgs/other/members")
        outsider = others["items"][0]["id"]
        e = self.assertProblem(self.coord.post(PROGRAMS + "/%s/members" % p["id"], {"user_id": outsider}), 422)
        self.assertEqual(e["errors"][0]["field"], "user_id")
        self.assertProblem(self.coord.post(PROGRAMS + "/%s/members" % p["id"], {}), 422)
        self.assertProblem(self.coord.post(PROGRAMS + "/999999999/members", {"user_id": outsider}), 404)

    # -- isolation -------------------------------------------------------------------------
    def test_other_organisation_sees_nothing(self):
        p = self.create("Program Rahasia Demo")
        n = self.node(p, "Tujuan rahasia")
        for path in ("/api/v1/orgs/other/programs/%s" % p["id"], "/api/v1/orgs/other/programs/%s/results" % p["id"],
                     "/api/v1/orgs/other/result-nodes/%s" % n["id"], PROGRAMS + "/%s" % p["id"]):
            with self.subTest(path=path):
                self.assertProblem(self.other.get(path), 404)
        self.assertProblem(self.other.patch("/api/v1/orgs/other/programs/%s" % p["id"], {"name": "Curi"},
                                            headers={"If-Match": '"v1"'}), 404)
        self.assertProblem(self.other.delete("/api/v1/orgs/other/result-nodes/%s" % n["id"],
                                             headers={"If-Match": '"v1"'}), 404)
        st, _, body = self.other.get("/api/v1/orgs/other/programs")
        self.assertEqual(body["items"], [])
        # Nor can it hang its nodes under ours.
        q = self.create("Program Lain", client=self.other, org="other")
        e = self.assertProblem(self.other.post("/api/v1/orgs/other/programs/%s/results" % q["id"],
                                               {"title": "Anak", "parent_id": n["id"]}), 422)
        self.assertEqual(e["errors"][0]["field"], "parent_id")

    # -- results framework -----------------------------------------------------------------
    def test_tree_follows_the_tier_rule(self):
        p = self.create("Kerangka Logis")
        goal, outcome, output, activity = self.four_levels(p)
        self.assertEqual([n["tier"] for n in (goal, outcome, output, activity)], [0, 1, 2, 3])
        self.assertEqual([n["tier_name"] for n in (goal, outcome, output, activity)],
                         ["Goal", "Outcome", "Output", "Activity"])
        self.assertEqual(outcome["parent_id"], goal["id"])
        results = PROGRAMS + "/%s/results" % p["id"]
        # A node two tiers below its parent.
        e = self.assertProblem(self.coord.post(results, {"title": "Lompat", "parent_id": goal["id"], "tier": 2}), 422)
        self.assertEqual(e["errors"][0]["field"], "tier")
        self.assertIn("one tier below", e["errors"][0]["message"])
        # A top node must be at tier 0; the last tier has no children.
        e = self.assertProblem(self.coord.post(results, {"title": "Atas", "tier": 1}), 422)
        self.assertEqual(e["errors"][0]["field"], "tier")
        e = self.assertProblem(self.coord.post(results, {"title": "Terlalu dalam", "parent_id": activity["id"]}), 422)
        self.assertEqual(e["errors"][0]["field"], "parent_id")
        # Parent of another program; missing title; duplicate code.
        other = self.create("Kerangka Lain")
        og = self.node(other, "Tujuan lain")
        e = self.assertProblem(self.coord.post(results, {"title": "Salah induk", "parent_id": og["id"]}), 422)
        self.assertEqual(e["errors"][0]["field"], "parent_id")
        self.assertProblem(self.coord.post(results, {"parent_id": goal["id"]}), 422)
        st, _, body = self.coord.post(results, {"title": "Kode 1", "code": "1.1", "parent_id": goal["id"]})
        self.assertEqual(st, 201, body)
        self.assertProblem(self.coord.post(results, {"title": "Kode 2", "code": "1.1", "parent_id": goal["id"]}), 409)
        # Given explicitly, the right tier is accepted.
        st, _, ok = self.coord.post(results, {"title": "Hasil dua", "parent_id": goal["id"], "tier": 1,
                                              "narrative": "N", "assumptions": "A", "risks": "R"})
        self.assertEqual(st, 201, ok)
        self.assertEqual((ok["narrative"], ok["assumptions"], ok["risks"]), ("N", "A", "R"))

        st, _, tree = self.viewer.get(results)
        self.assertEqual(st, 200, tree)
        self.assertEqual(tree["tiers"], ["Goal", "Outcome", "Output", "Activity"])
        self.assertEqual(len(tree["nodes"]), 1)
        top = tree["nodes"][0]
        self.assertEqual(top["id"], goal["id"])
        self.assertEqual([c["title"] for c in top["children"]], ["Outcome", "Kode 1", "Hasil dua"])  # by position
        chain = top["children"][0]
        self.assertEqual(chain["children"][0]["id"], output["id"])
        self.assertEqual(chain["children"][0]["children"][0]["id"], activity["id"])
        self.assertEqual(chain["children"][0]["children"][0]["children"], [])

    def test_move_keeps_the_rule(self):
        p = self.create("Kerangka Pindah")
        goal, outcome, output, activity = self.four_levels(p)
        outcome2 = self.node(p, "Outcome 2", goal)
        # Move the output under the other outcome: same tier.
        st, h, moved = self.coord.patch(NODES + "/%s" % output["id"], {"parent_id": outcome2["id"]},
                                        headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, moved)
        self.assertEqual((moved["parent_id"], moved["tier"], moved["version"]), (outcome2["id"], 2, 2))
        # Move an outcome with its subtree to the top: every tier below shifts by one.
        st, _, moved = self.coord.patch(NODES + "/%s" % outcome2["id"], {"parent_id": None},
                                        headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, moved)
        self.assertEqual((moved["tier"], moved["tier_name"]), (0, "Goal"))
        st, _, o = self.coord.get(NODES + "/%s" % output["id"])
        st, _, a = self.coord.get(NODES + "/%s" % activity["id"])
        self.assertEqual((o["tier"], a["tier"]), (1, 2))
        # And back below the goal.
        st, h, cur = self.coord.get(NODES + "/%s" % outcome2["id"])
        st, _, back = self.coord.patch(NODES + "/%s" % outcome2["id"], {"parent_id": goal["id"]},
                                       headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, back["tier"]), (200, 1), back)
        st, _, a = self.coord.get(NODES + "/%s" % activity["id"])
        self.assertEqual(a["tier"], 3)
        # Refused: below its own descendant; a subtree falling below the last tier; a tier that
        # does not follow the parent; without If-Match.
        st, h, g = self.coord.get(NODES + "/%s" % goal["id"])
        e = self.assertProblem(self.coord.patch(NODES + "/%s" % goal["id"], {"parent_id": outcome["id"]},
                                                headers={"If-Match": h.get("ETag")}), 422)
        self.assertEqual(e["errors"][0]["field"], "parent_id")
        goal2 = self.node(p, "Goal 2")
        st, h, _ = self.coord.get(NODES + "/%s" % outcome2["id"])
        e = self.assertProblem(self.coord.patch(NODES + "/%s" % outcome2["id"], {"parent_id": activity["id"]},
                                                headers={"If-Match": h.get("ETag")}), 422)
        self.assertEqual(e["errors"][0]["field"], "parent_id")
        st, h, _ = self.coord.get(NODES + "/%s" % outcome["id"])
        e = self.assertProblem(self.coord.patch(NODES + "/%s" % outcome["id"], {"parent_id": goal2["id"], "tier": 2},
                                                headers={"If-Match": h.get("ETag")}), 422)
        self.assertEqual(e["errors"][0]["field"], "tier")
        e = self.assertProblem(self.coord.patch(NODES + "/%s" % outcome["id"], {"tier": 2},
                                                headers={"If-Match": h.get("ETag")}), 422)
        self.assertProblem(self.coord.patch(NODES + "/%s" % outcome["id"], {"title": "X"}), 428)
        self.assertProblem(self.coord.patch(NODES + "/%s" % outcome["id"], {"title": "X"},
                                            headers={"If-Match": '"v99"'}), 412)
        # Edits of text keep the place.
        st, _, t = self.coord.patch(NODES + "/%s" % outcome["id"], {"title": "Akses air meningkat", "risks": "Kemarau"},
                                    headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, t["title"], t["risks"], t["parent_id"], t["tier"]),
                         (200, "Akses air meningkat", "Kemarau", goal["id"], 1))
        e = self.audit(object_type="result_node", object_id=outcome["id"], action="result_node.update")[0]
        self.assertEqual((e["before"]["title"], e["after"]["title"]), ("Outcome", "Akses air meningkat"))

    def test_delete_node(self):
        p = self.create("Kerangka Hapus")
        goal, outcome, output, activity = self.four_levels(p)
        e = self.assertProblem(self.coord.delete(NODES + "/%s" % output["id"], headers={"If-Match": '"v1"'}), 409)
        self.assertIn("below", e["detail"])
        self.assertProblem(self.coord.delete(NODES + "/%s" % activity["id"]), 428)
        self.assertProblem(self.coord.delete(NODES + "/%s" % activity["id"], headers={"If-Match": '"v3"'}), 412)
        st, _, _ = self.coord.delete(NODES + "/%s" % activity["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.coord.get(NODES + "/%s" % activity["id"]), 404)
        st, _, _ = self.coord.delete(NODES + "/%s" % output["id"], headers={"If-Match": '"v1"'})
        self.assertEqual(st, 204)
        actions = [e["action"] for e in self.audit(object_type="result_node", object_id=activity["id"])]
        self.assertEqual(actions, ["result_node.delete", "result_node.create"])

    def test_tier_names_and_count(self):
        p = self.create("Kerangka Tingkat")
        goal, outcome, output, activity = self.four_levels(p)
        path = PROGRAMS + "/%s" % p["id"]
        # Three tiers while a fourth-tier node exists: refused.
        e = self.assertProblem(self.coord.patch(path, {"tiers": ["A", "B", "C"]}, headers={"If-Match": '"v1"'}), 409)
        self.assertIn("tier 4", e["detail"])
        st, _, q = self.coord.patch(path, {"framework_template": "eu"}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, q)
        st, _, tree = self.coord.get(path + "/results")
        self.assertEqual(tree["framework_template"], "eu")
        self.assertEqual(tree["nodes"][0]["tier_name"], "Overall objective")
        self.assertEqual(tree["nodes"][0]["children"][0]["children"][0]["children"][0]["tier_name"], "Activity")
        # Without the fourth tier in use, three tiers are fine.
        self.assertEqual(self.coord.delete(NODES + "/%s" % activity["id"], headers={"If-Match": '"v1"'})[0], 204)
        st, _, q = self.coord.patch(path, {"tiers": ["Tujuan", "Hasil", "Keluaran"]}, headers={"If-Match": '"v2"'})
        self.assertEqual((st, q["tiers"], q["framework_template"]), (200, ["Tujuan", "Hasil", "Keluaran"], "custom"))
        e = self.assertProblem(self.coord.post(path + "/results", {"title": "Kegiatan", "parent_id": output["id"]}), 422)
        self.assertEqual(e["errors"][0]["field"], "parent_id")

    def test_seed_is_refused_when_the_program_has_nodes(self):
        p = self.create("Kerangka Benih")
        self.node(p, "Sudah ada")
        seed = PROGRAMS + "/%s/results/seed" % p["id"]
        e = self.assertProblem(self.coord.post(seed, {"objective_tree_id": "1"}), 409)
        self.assertIn("already has", e["detail"])
        self.assertProblem(self.coord.post(seed, {}), 422)
        self.assertProblem(self.viewer.post(seed, {"objective_tree_id": "1"}), 403)
        empty = self.create("Kerangka Kosong")
        self.assertProblem(self.coord.post(PROGRAMS + "/%s/results/seed" % empty["id"],
                                           {"objective_tree_id": "999999999"}), 404)


if __name__ == "__main__":
    unittest.main()
