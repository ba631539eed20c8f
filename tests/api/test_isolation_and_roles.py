"""Organisation isolation (another organisation's things are 404, never 403) and roles."""

import unittest

import support

OTHER_ADMIN = "admin@lain.example.org"
OTHER_PASSWORD = "lain-rahasia-1"
OTHER_DUSUN = "Dusun Rahasia Lain"
MOLLO_UTARA_VILLAGE_2 = "53.02.03.2001"  # another village of the same district


class IsolationAndRoles(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        support.add_org(db, "other", "Organisasi Lain")
        support.add_user(db, "other", OTHER_ADMIN, "admin", OTHER_PASSWORD, name="Admin Lain")
        cls.server = support.Server(db).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.other = cls.server.login(OTHER_ADMIN, OTHER_PASSWORD)
        # The other organisation's own dusun, under the demo village (official regions are shared).
        cls.bosen = support.area_by_code(cls.other, support.BOSEN_CODE, org="other")
        st, h, body = cls.other.post("/api/v1/orgs/other/areas",
                                     {"parent_id": cls.bosen["id"], "name": OTHER_DUSUN, "kind": "dusun"})
        assert st == 201, (st, body)
        cls.other_area = body
        cls.other_area_etag = h.get("ETag")
        st, _, body = cls.other.get("/api/v1/orgs/other/members")
        assert st == 200, (st, body)
        cls.other_admin_id = body["items"][0]["id"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- isolation -----------------------------------------------------------------------
    def test_other_org_reads_are_404(self):
        for path in ("/api/v1/orgs/other", "/api/v1/orgs/other/members",
                     "/api/v1/orgs/other/members/%s" % self.other_admin_id,
                     "/api/v1/orgs/other/audit", "/api/v1/orgs/other/areas",
                     "/api/v1/orgs/other/areas?q=rahasia",
                     "/api/v1/orgs/other/areas/%s" % self.other_area["id"],
                     "/api/v1/orgs/demo/areas/%s" % self.other_area["id"],
                     "/api/v1/orgs/demo/areas?parent=%s" % self.other_area["id"]):
            with self.subTest(path=path):
                self.assertProblem(self.admin.get(path), 404)

    def test_unknown_org_and_other_org_look_the_same(self):
        a = self.assertProblem(self.admin.get("/api/v1/orgs/other/members"), 404)
        b = self.assertProblem(self.admin.get("/api/v1/orgs/tidak-ada/members"), 404)
        self.assertEqual(a["title"], b["title"])
        self.assertEqual(a["detail"].replace("other", "X"), b["detail"].replace("tidak-ada", "X"))

    def test_other_org_sub_area_invisible_in_lists_and_search(self):
        st, _, kids = self.admin.get("/api/v1/orgs/demo/areas?parent=%s" % self.bosen["id"])
        self.assertEqual(st, 200)
        names = [a["name"] for a in kids["items"]]
        self.assertNotIn(OTHER_DUSUN, names)
        self.assertEqual(len(names), 4, names)  # only demo's own four dusun
        st, _, found = self.admin.get("/api/v1/orgs/demo/areas?q=rahasia")
        self.assertEqual(st, 200)
        self.assertEqual(found["items"], [])
        # ... while its owner sees it, and does not see demo's dusun.
        st, _, kids = self.other.get("/api/v1/orgs/other/areas?parent=%s" % self.bosen["id"])
        self.assertEqual([a["name"] for a in kids["items"]], [OTHER_DUSUN])
        st, _, found = self.other.get("/api/v1/orgs/other/areas?q=rahasia")
        self.assertEqual([a["id"] for a in found["items"]], [self.other_area["id"]])

    def test_other_org_writes_are_404(self):
        aid = self.other_area["id"]
        etag = self.other_area_etag
        cases = [
            ("PATCH", "/api/v1/orgs/demo/areas/%s" % aid, {"name": "Dibajak"}),
            ("DELETE", "/api/v1/orgs/demo/areas/%s" % aid, None),
            ("PATCH", "/api/v1/orgs/other/areas/%s" % aid, {"name": "Dibajak"}),
            ("DELETE", "/api/v1/orgs/other/areas/%s" % aid, None),
            ("POST", "/api/v1/orgs/other/areas", {"parent_id": self.bosen["id"], "name": "Sisipan"}),
            ("POST", "/api/v1/orgs/demo/areas", {"parent_id": aid, "name": "Anak Curian"}),
            ("PATCH", "/api/v1/orgs/other", {"name": "Dibajak"}),
            ("PATCH", "/api/v1/orgs/other/members/%s" % self.other_admin_id, {"role": "viewer"}),
            ("DELETE", "/api/v1/orgs/other/members/%s" % self.other_admin_id, None),
            ("POST", "/api/v1/orgs/other/members", {"email": support.ADMIN, "role": "admin"}),
        ]
        for method, path, body in cases:
            with self.subTest(method=method, path=path):
                resp = self.admin.request(method, path, body, headers={"If-Match": etag or '"v1"'})
                self.assertProblem(resp, 404)
        # Nothing changed for the owner.
        st, h, area = self.other.get("/api/v1/orgs/other/areas/%s" % aid)
        self.assertEqual(st, 200, area)
        self.assertEqual(area["name"], OTHER_DUSUN)
        self.assertEqual(h.get("ETag"), etag)
        st, _, org = self.other.get("/api/v1/orgs/other")
        self.assertEqual(org["name"], "Organisasi Lain")
        st, _, members = self.other.get("/api/v1/orgs/other/members")
        self.assertEqual([(m["email"], m["role"]) for m in members["items"]], [(OTHER_ADMIN, "admin")])
        st, _, kids = self.other.get("/api/v1/orgs/other/areas?parent=%s" % self.bosen["id"])
        self.assertEqual([a["name"] for a in kids["items"]], [OTHER_DUSUN])

    def test_audit_is_per_organisation(self):
        st, _, log = self.admin.get("/api/v1/orgs/demo/audit?limit=500")
        self.assertEqual(st, 200)
        ids = {e["object_id"] for e in log["items"]}
        self.assertNotIn(self.other_area["id"], ids)
        self.assertFalse([e for e in log["items"] if OTHER_DUSUN in str(e)])

    def test_bearer_token_is_isolated_too(self):
        st, _, t = self.admin.post("/api/v1/me/tokens", {"name": "isolasi"})
        self.assertEqual(st, 201, t)
        bearer = self.server.client(token=t["token"])
        self.assertEqual(bearer.get("/api/v1/orgs/demo")[0], 200)
        self.assertProblem(bearer.get("/api/v1/orgs/other"), 404)
        self.assertProblem(bearer.get("/api/v1/orgs/demo/areas/%s" % self.other_area["id"]), 404)

    # -- roles ---------------------------------------------------------------------------
    def test_me_org_role(self):
        for role, email in support.DEMO_USERS.items():
            c = self.server.login(email)
            st, h, org = c.get("/api/v1/orgs/demo")
            self.assertEqual(st, 200, org)
            self.assertEqual(org["slug"], "demo")
            self.assertEqual(org["role"], role)
            self.assertTrue(h.get("ETag"))

    def test_viewer_cannot_write(self):
        v = self.server.login(support.VIEWER)
        body = self.assertProblem(v.post("/api/v1/orgs/demo/areas",
                                         {"parent_id": self.bosen["id"], "name": "Dusun Pemantau"}), 403)
        self.assertIn("viewer", body["detail"])
        st, h, org = v.get("/api/v1/orgs/demo")
        self.assertEqual(st, 200)
        self.assertProblem(v.patch("/api/v1/orgs/demo", {"name": "Nama Baru"}, headers={"If-Match": h.get("ETag")}), 403)
        self.assertProblem(v.post("/api/v1/orgs/demo/members",
                                  {"email": "baru@contoh.id", "role": "admin", "name": "X", "password": "12345678x"}), 403)
        st, _, org2 = v.get("/api/v1/orgs/demo")
        self.assertEqual(org2["name"], org["name"])
        st, _, kids = v.get("/api/v1/orgs/demo/areas?parent=%s" % self.bosen["id"])
        self.assertNotIn("Dusun Pemantau", [a["name"] for a in kids["items"]])

    def test_field_officer_and_partner_cannot_read_audit(self):
        for email in (support.FIELD_OFFICER, support.DEMO_USERS["partner"], support.COORDINATOR, support.VIEWER):
            with self.subTest(email=email):
                self.assertProblem(self.server.login(email).get("/api/v1/orgs/demo/audit"), 403)
        self.assertEqual(self.admin.get("/api/v1/orgs/demo/audit")[0], 200)

    def test_field_officer_cannot_manage_areas_but_coordinator_can(self):
        fo = self.server.login(support.FIELD_OFFICER)
        self.assertProblem(fo.post("/api/v1/orgs/demo/areas", {"parent_id": self.bosen["id"], "name": "RT Petugas"}), 403)
        co = self.server.login(support.COORDINATOR)
        st, _, kids = co.get("/api/v1/orgs/demo/areas?parent=%s" % self.bosen["id"])
        dusun = kids["items"][0]
        st, _, rt = co.post("/api/v1/orgs/demo/areas", {"parent_id": dusun["id"], "name": "RT 001", "kind": "rt"})
        self.assertEqual(st, 201, rt)
        self.assertEqual(rt["level"], 5 + 1)

    def test_admin_manages_members(self):
        email = "anggota.baru@demo.gotong.id"
        st, h, m = self.admin.post("/api/v1/orgs/demo/members",
                                   {"email": email, "role": "field_officer", "name": "Anggota Baru",
                                    "password": "anggota-baru-1"})
        self.assertEqual(st, 201, m)
        self.assertEqual(m["email"], email)
        self.assertEqual(m["role"], "field_officer")
        etag = h.get("ETag")
        self.assertTrue(etag)
        # The new user can sign in and is a field officer of demo.
        newbie = self.server.login(email, "anggota-baru-1")
        st, _, me = newbie.get("/api/v1/me")
        self.assertEqual({o["slug"]: o["role"] for o in me["organisations"]}, {"demo": "field_officer"})
        # Adding the same e-mail twice is a conflict.
        self.assertProblem(self.admin.post("/api/v1/orgs/demo/members", {"email": email, "role": "viewer"}), 409)
        # A new e-mail without name and password is a validation error.
        self.assertProblem(self.admin.post("/api/v1/orgs/demo/members", {"email": "x.y@contoh.id", "role": "viewer"}), 422)
        self.assertProblem(self.admin.post("/api/v1/orgs/demo/members",
                                           {"email": "x.z@contoh.id", "role": "chief", "name": "X", "password": "12345678x"}), 422)

        path = "/api/v1/orgs/demo/members/%s" % m["id"]
        self.assertProblem(self.admin.patch(path, {"role": "coordinator"}), 428)  # no If-Match
        self.assertProblem(self.admin.patch(path, {"role": "coordinator"}, headers={"If-Match": '"v999"'}), 412)
        st, h2, m2 = self.admin.patch(path, {"role": "coordinator"}, headers={"If-Match": etag})
        self.assertEqual(st, 200, m2)
        self.assertEqual(m2["role"], "coordinator")
        self.assertNotEqual(h2.get("ETag"), etag)
        # The old ETag is now stale.
        self.assertProblem(self.admin.patch(path, {"role": "viewer"}, headers={"If-Match": etag}), 412)
        st, _, m3 = self.admin.get(path)
        self.assertEqual(m3["role"], "coordinator")
        self.assertEqual(self.server.login(email, "anggota-baru-1").get("/api/v1/orgs/demo")[2]["role"], "coordinator")
        # The change is in the audit log with before and after.
        st, _, log = self.admin.get("/api/v1/orgs/demo/audit?action=member.update&object_id=%s" % m["id"])
        self.assertEqual(st, 200)
        self.assertEqual(len(log["items"]), 1, log)
        self.assertEqual(log["items"][0]["before"]["role"], "field_officer")
        self.assertEqual(log["items"][0]["after"]["role"], "coordinator")
        # Removing a member.
        st, _, _ = self.admin.delete(path)
        self.assertEqual(st, 204)
        self.assertProblem(self.admin.get(path), 404)
        self.assertProblem(newbie.get("/api/v1/orgs/demo"), 404)

    def test_last_admin_cannot_leave_or_be_demoted(self):
        st, _, members = self.admin.get("/api/v1/orgs/demo/members")
        admins = [m for m in members["items"] if m["role"] == "admin"]
        self.assertEqual(len(admins), 1, admins)
        me = admins[0]
        path = "/api/v1/orgs/demo/members/%s" % me["id"]
        self.assertProblem(self.admin.delete(path), 409)
        st, h, _ = self.admin.get(path)
        self.assertProblem(self.admin.patch(path, {"role": "viewer"}, headers={"If-Match": h.get("ETag")}), 409)
        st, _, again = self.admin.get(path)
        self.assertEqual(again["role"], "admin")
        # The other organisation's only admin likewise.
        self.assertProblem(self.other.delete("/api/v1/orgs/other/members/%s" % self.other_admin_id), 409)

    def test_admin_renames_org_with_if_match(self):
        st, h, org = self.other.get("/api/v1/orgs/other")
        self.assertProblem(self.other.patch("/api/v1/orgs/other", {"name": "Tanpa If-Match"}), 428)
        self.assertProblem(self.other.patch("/api/v1/orgs/other", {"name": "Basi"}, headers={"If-Match": '"v0"'}), 412)
        st, h2, org2 = self.other.patch("/api/v1/orgs/other", {"name": "Organisasi Lain"},
                                        headers={"If-Match": h.get("ETag")})
        self.assertEqual(st, 200, org2)
        self.assertEqual(org2["version"], org["version"] + 1)
        self.assertEqual(h2.get("ETag"), '"v%d"' % org2["version"])


if __name__ == "__main__":
    unittest.main()
