"""Problems and needs assessment: problems with If-Match, filters (words, area, SDGs Desa goal or
sector tag, source, status), paging, the bin and evidence links; prioritisation by a weighted
scoring matrix and by pairwise ranking, with rankings worked out by hand (weighted means,
shared ranks, replaced entries, missing pairs); the problem tree (structure rules, cycles, kept
ids) and its objective tree, seeding a results framework; roles, organisation isolation and the
audit log."""

import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
PROBLEMS = ORG + "/problems"
SESSIONS = ORG + "/prioritisations"
AUDIT = ORG + "/audit"
OTHER_ADMIN = "admin@lain-masalah.example.org"
OTHER_PASSWORD = "lain-rahasia-3"
VILLAGE_2 = "53.02.03.2001"  # another village of Mollo Utara
DEMO_FORM = "demo_wash_household"


class Problems(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        support.add_org(db, "other", "Organisasi Lain")
        support.add_user(db, "other", OTHER_ADMIN, "admin", OTHER_PASSWORD, name="Admin Lain")
        cls.server = support.Server(db).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        cls.other = cls.server.login(OTHER_ADMIN, OTHER_PASSWORD)
        cls.bosen = support.area_by_code(cls.admin, support.BOSEN_CODE)
        cls.district = support.area_by_code(cls.admin, support.MOLLO_UTARA_CODE)
        cls.village2 = support.area_by_code(cls.admin, VILLAGE_2)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}
        st, _, forms = cls.admin.get(ORG + "/forms")
        assert st == 200, forms
        cls.form = next(f for f in forms["items"] if f["xml_form_id"] == DEMO_FORM)
        st, _, body = cls.other.post("/api/v1/orgs/other/problems", {"title": "Masalah organisasi lain"})
        assert st == 201, body
        cls.other_problem = body

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    def create(self, title, client=None, **extra):
        body = {"title": title}
        body.update(extra)
        st, h, p = (client or self.coord).post(PROBLEMS, body)
        self.assertEqual(st, 201, p)
        self.assertEqual(h.get("ETag"), '"v%d"' % p["version"])
        return p

    def etag(self, path, client=None):
        st, h, body = (client or self.coord).get(path)
        self.assertEqual(st, 200, body)
        return h.get("ETag")

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    def listed(self, query):
        st, _, page = self.viewer.get(PROBLEMS + "?" + query)
        self.assertEqual(st, 200, page)
        return [p["title"] for p in page["items"]]

    def session(self, title, method, problems, **extra):
        body = {"title": title, "method": method, "problem_ids": [p["id"] for p in problems]}
        body.update(extra)
        st, h, s = self.coord.post(SESSIONS, body)
        self.assertEqual(st, 201, s)
        self.assertEqual(h.get("ETag"), '"v1"')
        return s

    def ranking(self, s, client=None):
        st, _, r = (client or self.viewer).get(SESSIONS + "/%s/ranking" % s["id"])
        self.assertEqual(st, 200, r)
        return r

    # -- problems ------------------------------------------------------------------------
    def test_create_and_read(self):
        p = self.create("Air minum keruh di musim hujan", description="Sumur gali tercemar banjir",
                        area_id=self.bosen["id"], source="musyawarah_desa", sdg_goals=[6, 3, 6],
                        sectors=["Air bersih", "air  BERSIH", "Kesehatan"],
                        affected_groups=["Balita", {"name": "Rumah tangga tanpa sumur", "count": 120}])
        self.assertEqual(p["title"], "Air minum keruh di musim hujan")
        self.assertEqual(p["area"]["id"], self.bosen["id"])
        self.assertEqual(p["area"]["code"], support.BOSEN_CODE)
        self.assertEqual(p["source"], "musyawarah_desa")
        self.assertEqual(p["sdg_goals"], [3, 6])  # sorted, duplicates dropped
        self.assertEqual(p["sectors"], ["Air bersih", "Kesehatan"])  # the same sector twice kept once
        self.assertEqual(p["affected_groups"], [{"name": "Balita", "count": None},
                                                {"name": "Rumah tangga tanpa sumur", "count": 120}])
        self.assertEqual((p["status"], p["deleted"], p["has_tree"], p["evidence"]), ("open", False, False, []))
        self.assertEqual(p["created_by"], self.user_ids[support.COORDINATOR])
        st, h, again = self.viewer.get(PROBLEMS + "/%s" % p["id"])
        self.assertEqual(st, 200, again)
        self.assertEqual(again, p)
        self.assertEqual(h.get("ETag"), '"v1"')
        # Defaults: source other, status open.
        q = self.create("Jalan desa rusak")
        self.assertEqual((q["source"], q["status"], q["area"], q["sdg_goals"]), ("other", "open", None, []))
        e = self.audit(object_type="problem", object_id=p["id"], action="problem.create")[0]
        self.assertIsNone(e["before"])
        self.assertEqual(e["after"]["title"], "Air minum keruh di musim hujan")

    def test_filters_and_paging(self):
        # A word of their own keeps other tests' problems out of these lists.
        a = self.create("Kilofiltr sanitasi sekolah", area_id=self.bosen["id"], source="survey", sdg_goals=[6],
                        sectors=["Sanitasi"])
        b = self.create("Kilofiltr gizi buruk balita", area_id=self.village2["id"], source="observation",
                        sdg_goals=[2, 3], sectors=["Kesehatan"], affected_groups=["Ibu hamil"])
        c = self.create("Kilofiltr lampu jalan", source="survey", sdg_goals=[1, 7], status="addressed")
        newest_first = [c["title"], b["title"], a["title"]]
        self.assertEqual(self.listed("q=kilofiltr"), newest_first)
        self.assertEqual(self.listed("q=KILOFILTR+balita"), [b["title"]])
        self.assertEqual(self.listed("q=kilofiltr+hamil"), [b["title"]])  # affected groups are searched too
        # Area: the village itself, or the district above it; not another village.
        self.assertEqual(self.listed("q=kilofiltr&area=%s" % self.bosen["id"]), [a["title"]])
        self.assertEqual(self.listed("q=kilofiltr&area=%s" % self.district["id"]), [b["title"], a["title"]])
        self.assertEqual(self.listed("q=kilofiltr&area=%s" % self.village2["id"]), [b["title"]])
        # Tags: an SDGs Desa goal (1 must not match 18 or 17), or a sector in any case and spacing.
        self.assertEqual(self.listed("q=kilofiltr&tag=6"), [a["title"]])
        self.assertEqual(self.listed("q=kilofiltr&tag=3"), [b["title"]])
        self.assertEqual(self.listed("q=kilofiltr&tag=1"), [c["title"]])
        self.assertEqual(self.listed("q=kilofiltr&tag=18"), [])
        self.assertEqual(self.listed("q=kilofiltr&tag=" + urllib.parse.quote(" KESEHATAN ")), [b["title"]])
        self.assertEqual(self.listed("q=kilofiltr&source=survey"), [c["title"], a["title"]])
        self.assertEqual(self.listed("q=kilofiltr&status=addressed"), [c["title"]])
        self.assertEqual(self.listed("q=kilofiltr&source=survey&status=open"), [a["title"]])
        # Paging: one at a time, newest first, until next_cursor is null.
        seen, cursor = [], None
        while True:
            st, _, page = self.viewer.get(PROBLEMS + "?q=kilofiltr&limit=1" + ("&cursor=" + cursor if cursor else ""))
            self.assertEqual(st, 200, page)
            seen += [p["title"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(seen, newest_first)
        # Wrong filters.
        self.assertEqual(self.assertProblem(self.viewer.get(PROBLEMS + "?tag=19"), 422)["errors"][0]["field"], "tag")
        self.assertEqual(self.assertProblem(self.viewer.get(PROBLEMS + "?source=rumor"), 422)["errors"][0]["field"],
                         "source")
        self.assertProblem(self.viewer.get(PROBLEMS + "?status=closed"), 422)
        self.assertProblem(self.viewer.get(PROBLEMS + "?cursor=abc"), 400)
        self.assertProblem(self.viewer.get(PROBLEMS + "?area=999999999"), 404)

    def test_update_with_if_match_and_audit(self):
        p = self.create("Banjir tahunan", area_id=self.bosen["id"], sectors=["Lingkungan"])
        path = PROBLEMS + "/%s" % p["id"]
        self.assertProblem(self.coord.patch(path, {"status": "addressed"}), 428)
        self.assertProblem(self.coord.patch(path, {"status": "addressed"}, headers={"If-Match": '"v9"'}), 412)
        st, h, q = self.coord.patch(path, {"status": "addressed", "area_id": None, "sdg_goals": [13],
                                           "title": "  Banjir tahunan di dusun 2  "}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, q)
        self.assertEqual(h.get("ETag"), '"v2"')
        self.assertEqual((q["status"], q["area"], q["sdg_goals"], q["title"], q["sectors"]),
                         ("addressed", None, [13], "Banjir tahunan di dusun 2", ["Lingkungan"]))
        # The version read before the change is now stale.
        self.assertProblem(self.coord.patch(path, {"status": "open"}, headers={"If-Match": '"v1"'}), 412)
        e = self.audit(object_type="problem", object_id=p["id"], action="problem.update")[0]
        self.assertEqual((e["before"]["status"], e["after"]["status"]), ("open", "addressed"))
        self.assertEqual(e["before"]["area"]["id"], self.bosen["id"])
        self.assertIsNone(e["after"]["area"])
        self.assertEqual(e["actor_user_id"], self.user_ids[support.COORDINATOR])

    def test_bin_and_restore(self):
        p = self.create("Kilobin tanah longsor")
        path = PROBLEMS + "/%s" % p["id"]
        self.assertProblem(self.coord.delete(path), 428)
        st, h, d = self.coord.delete(path, headers={"If-Match": '"v1"'})
        self.assertEqual((st, d["deleted"], h.get("ETag")), (200, True, '"v2"'), d)
        self.assertEqual(self.listed("q=kilobin"), [])
        self.assertEqual(self.listed("q=kilobin&deleted=true"), ["Kilobin tanah longsor"])
        self.assertEqual(self.viewer.get(path)[2]["deleted"], True)  # still readable from the bin
        self.assertProblem(self.coord.patch(path, {"title": "x"}, headers={"If-Match": '"v2"'}), 409)
        self.assertProblem(self.coord.delete(path, headers={"If-Match": '"v2"'}), 409)
        st, _, r = self.coord.post(path + "/restore", headers={"If-Match": '"v2"'})
        self.assertEqual((st, r["deleted"], r["version"]), (200, False, 3), r)
        self.assertProblem(self.coord.post(path + "/restore", headers={"If-Match": '"v3"'}), 409)
        self.assertEqual(self.listed("q=kilobin"), ["Kilobin tanah longsor"])
        actions = [e["action"] for e in self.audit(object_type="problem", object_id=p["id"])]
        self.assertEqual(actions, ["problem.restore", "problem.delete", "problem.create"])

    def test_wrong_input(self):
        def field(body):
            return self.assertProblem(self.coord.post(PROBLEMS, body), 422)["errors"][0]["field"]
        self.assertEqual(field({"description": "tanpa judul"}), "title")
        self.assertEqual(field({"title": "   "}), "title")
        self.assertEqual(field({"title": "x", "sdg_goals": [0]}), "sdg_goals[0]")
        self.assertEqual(field({"title": "x", "sdg_goals": [6, 19]}), "sdg_goals[1]")
        self.assertEqual(field({"title": "x", "sdg_goals": ["6"]}), "sdg_goals[0]")
        self.assertEqual(field({"title": "x", "source": "rumor"}), "source")
        self.assertEqual(field({"title": "x", "status": "solved"}), "status")
        self.assertEqual(field({"title": "x", "affected_groups": [{"name": "Lansia", "count": -1}]}),
                         "affected_groups[0].count")
        self.assertEqual(field({"title": "x", "affected_groups": ["Lansia", "lansia"]}), "affected_groups[1].name")
        self.assertEqual(field({"title": "x", "sectors": ["!!!"]}), "sectors[0]")
        self.assertEqual(field({"title": "x", "area_id": "999999999"}), "area_id")
        # Nothing was stored by the refused requests.
        self.assertEqual(self.listed("q=tanpa+judul"), [])

    def test_evidence_links(self):
        p = self.create("Sumber air jauh")
        ev = PROBLEMS + "/%s/evidence" % p["id"]
        st, _, e1 = self.coord.post(ev, {"kind": "form_field", "form_id": self.form["id"], "field": "water_source",
                                         "note": "Sumber air utama per rumah tangga"})
        self.assertEqual(st, 201, e1)
        self.assertTrue(e1["reference"].endswith("/water_source"), e1)
        self.assertEqual((e1["form_id"], e1["kind"]), (self.form["id"], "form_field"))
        self.assertEqual(e1["form_title"], self.form["title"])
        st, _, e2 = self.coord.post(ev, {"kind": "url", "reference": "https://sid.kemendesa.go.id/sdgs"})
        self.assertEqual(st, 201, e2)
        st, _, e3 = self.coord.post(ev, {"kind": "document", "reference": "Notulen musyawarah desa 12/2025"})
        self.assertEqual(st, 201, e3)
        st, _, e4 = self.coord.post(ev, {"kind": "indicator", "reference": "WASH-1"})
        self.assertEqual(st, 201, e4)
        got = self.viewer.get(PROBLEMS + "/%s" % p["id"])[2]
        self.assertEqual([e["id"] for e in got["evidence"]], [e1["id"], e2["id"], e3["id"], e4["id"]])

        def field(body):
            return self.assertProblem(self.coord.post(ev, body), 422)["errors"][0]["field"]
        self.assertEqual(field({"kind": "form_field", "form_id": self.form["id"], "field": "no_such_field"}), "field")
        self.assertEqual(field({"kind": "form_field", "form_id": "999999999", "field": "water_source"}), "form_id")
        self.assertEqual(field({"kind": "form_field", "field": "water_source"}), "form_id")
        self.assertEqual(field({"kind": "url", "reference": "ftp://example.org/x"}), "reference")
        self.assertEqual(field({"kind": "url", "reference": "javascript:alert(1)"}), "reference")
        self.assertEqual(field({"kind": "photo", "reference": "x"}), "kind")
        self.assertEqual(field({"kind": "document"}), "reference")
        self.assertEqual(field({"kind": "document", "reference": "x", "form_id": self.form["id"]}), "form_id")
        self.assertProblem(self.viewer.post(ev, {"kind": "document", "reference": "x"}), 403)

        self.assertEqual(self.coord.delete(ev + "/%s" % e3["id"])[0], 204)
        self.assertProblem(self.coord.delete(ev + "/%s" % e3["id"]), 404)
        got = self.viewer.get(PROBLEMS + "/%s" % p["id"])[2]
        self.assertEqual([e["id"] for e in got["evidence"]], [e1["id"], e2["id"], e4["id"]])
        actions = [e["action"] for e in self.audit(object_type="problem", object_id=p["id"])]
        self.assertEqual(actions[:2], ["problem.evidence_remove", "problem.evidence_add"])
        self.assertEqual(actions.count("problem.evidence_add"), 4)

    def test_roles_and_isolation(self):
        p = self.create("Kilorole sampah plastik")
        path = PROBLEMS + "/%s" % p["id"]
        self.assertProblem(self.viewer.post(PROBLEMS, {"title": "Dari pemantau"}), 403)
        self.assertProblem(self.officer.post(PROBLEMS, {"title": "Dari petugas"}), 403)
        self.assertProblem(self.viewer.patch(path, {"title": "x"}, headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.viewer.delete(path, headers={"If-Match": '"v1"'}), 403)
        self.assertEqual(self.officer.get(path)[0], 200)
        # Another organisation's problem does not exist for us, and ours not for them.
        other = "/api/v1/orgs/other/problems"
        self.assertProblem(self.coord.get(PROBLEMS + "/%s" % self.other_problem["id"]), 404)
        self.assertProblem(self.coord.patch(PROBLEMS + "/%s" % self.other_problem["id"], {"title": "x"},
                                            headers={"If-Match": '"v1"'}), 404)
        self.assertProblem(self.other.get(other + "/%s" % p["id"]), 404)
        self.assertProblem(self.other.get(PROBLEMS), 404)
        self.assertProblem(self.other.get(other + "/%s/tree" % p["id"]), 404)
        st, _, theirs = self.other.get(other + "?q=kilorole")
        self.assertEqual((st, theirs["items"]), (200, []))
        self.assertEqual(self.listed("q=kilorole"), ["Kilorole sampah plastik"])

    # -- prioritisation: scoring matrix ------------------------------------------------------
    def test_scoring_matrix(self):
        a = self.create("Kiloscore A")
        b = self.create("Kiloscore B")
        c = self.create("Kiloscore C")
        s = self.session("Musyawarah dusun 1", "scoring", [a, b, c], held_on="2026-02-14")
        self.assertEqual(s["held_on"], "2026-02-14")
        self.assertEqual([k["key"] for k in s["criteria"]],
                         ["severity", "people_affected", "urgency", "feasibility", "community_priority"])
        self.assertEqual({k["weight"] for k in s["criteria"]}, {1})
        self.assertEqual(s["problem_ids"], [a["id"], b["id"], c["id"]])
        path = SESSIONS + "/%s" % s["id"]
        severity, urgency = s["criteria"][0], s["criteria"][2]
        dropped = s["criteria"][1]
        # Weights: severity 2, urgency 1, a new "Biaya" 1; the other defaults go.
        st, h, s = self.coord.patch(path, {"criteria": [
            {"id": severity["id"], "name": "Tingkat keparahan", "weight": 2},
            {"id": urgency["id"], "name": urgency["name"], "weight": 1},
            {"name": "Biaya", "weight": 1}]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, s)
        self.assertEqual(h.get("ETag"), '"v2"')
        self.assertEqual([(k["name"], k["weight"]) for k in s["criteria"]],
                         [("Tingkat keparahan", 2), ("Urgency", 1), ("Biaya", 1)])
        self.assertEqual(s["criteria"][0]["id"], severity["id"])
        cost = s["criteria"][2]
        sev, urg, biaya = severity["id"], urgency["id"], cost["id"]

        def scores(rows, participant=None, client=None):
            body = {"scores": [{"problem_id": p["id"], "criterion_id": k, "score": v} for p, k, v in rows]}
            if participant:
                body["participant"] = participant
            return (client or self.coord).post(path + "/scores", body)

        # The coordinator (the signed-in user) and Ibu Maria (typed by the facilitator):
        # A: severity 5 and 3, urgency 3 and 5, cost 4 and 4 → means 4, 4, 4 → (2×4 + 4 + 4) / (5 × 4) = 80.
        # B: the coordinator alone, 4, 4, 4 → 80 as well: a tie.
        # C: severity 2 and 4 → mean 3 → 2×3 / 20 = 30; urgency and cost unscored.
        st, _, mine = scores([(a, sev, 5), (a, urg, 3), (a, biaya, 4), (b, sev, 4), (b, urg, 4), (b, biaya, 4),
                              (c, sev, 2)])
        self.assertEqual(st, 200, mine)
        coord_key = "user:%s" % self.user_ids[support.COORDINATOR]
        self.assertEqual(mine["participant"], coord_key)
        self.assertEqual(len(mine["items"]), 7)
        st, _, maria = scores([(a, sev, 3), (a, urg, 5), (a, biaya, 4), (c, sev, 4)], participant="Ibu Maria")
        self.assertEqual((st, maria["participant"], maria["participant_name"]),
                         (200, "name:ibu maria", "Ibu Maria"), maria)
        r = self.ranking(s)
        self.assertEqual((r["method"], r["weight_sum"], r["participants"]), ("scoring", 4, 2))
        self.assertEqual([(i["title"], i["rank"], i["total"]) for i in r["items"]],
                         [("Kiloscore A", 1, 80), ("Kiloscore B", 1, 80), ("Kiloscore C", 3, 30)])
        first = r["items"][0]
        self.assertEqual((first["participants"], first["complete"]), (2, True))
        self.assertEqual([(k["name"], k["weight"], k["mean"], k["scores"], k["contribution"]) for k in first["criteria"]],
                         [("Tingkat keparahan", 2, 4, 2, 40), ("Urgency", 1, 4, 2, 20), ("Biaya", 1, 4, 2, 20)])
        third = r["items"][2]
        self.assertEqual((third["participants"], third["complete"]), (2, False))
        self.assertEqual([(k["mean"], k["scores"], k["contribution"]) for k in third["criteria"]],
                         [(3, 2, 30), (None, 0, 0), (None, 0, 0)])

        # A second score of the same cell replaces the first: the coordinator's severity of A
        # becomes 1 → mean (1 + 3) / 2 = 2 → A = (2×2 + 4 + 4) / 20 = 60. "ibu  MARIA" is Ibu Maria.
        self.assertEqual(scores([(a, sev, 1)])[0], 200)
        st, _, maria = scores([(a, biaya, 4)], participant="  ibu  MARIA ")
        self.assertEqual((st, maria["participant"], len(maria["items"])), (200, "name:ibu maria", 4), maria)
        r = self.ranking(s)
        self.assertEqual([(i["title"], i["rank"], i["total"]) for i in r["items"]],
                         [("Kiloscore B", 1, 80), ("Kiloscore A", 2, 60), ("Kiloscore C", 3, 30)])
        a_row = r["items"][1]
        self.assertEqual((a_row["criteria"][0]["mean"], a_row["criteria"][0]["scores"]), (2, 2))
        # A score removed with null: B's cost unscored → (2×4 + 4) / 20 = 60, tying A.
        self.assertEqual(scores([(b, biaya, None)])[0], 200)
        r = self.ranking(s)
        self.assertEqual([(i["title"], i["rank"], i["total"]) for i in r["items"]],
                         [("Kiloscore A", 1, 60), ("Kiloscore B", 1, 60), ("Kiloscore C", 3, 30)])
        st, _, listed = self.viewer.get(path + "/scores?participant=" + urllib.parse.quote("name:ibu maria"))
        self.assertEqual((st, len(listed["items"])), (200, 4), listed)
        self.assertEqual({e["participant_name"] for e in listed["items"]}, {"ibu  MARIA"})
        st, _, got = self.viewer.get(path)
        self.assertEqual(sorted((p["name"], p["entries"]) for p in got["participants"]),
                         sorted([("ibu  MARIA", 4), (mine["participant_name"], 6)]))

        # Wrong input: scores outside 1–5, an unknown criterion (one removed above), a problem not in
        # the session, the same cell twice; votes to a scoring session; a viewer.
        def field(rows, **kw):
            return self.assertProblem(scores(rows, **kw), 422)["errors"][0]["field"]
        self.assertEqual(field([(a, sev, 0)]), "scores[0].score")
        self.assertEqual(field([(a, urg, 3), (a, sev, 6)]), "scores[1].score")
        self.assertEqual(field([(a, dropped["id"], 3)]), "scores[0].criterion_id")
        self.assertEqual(field([(self.other_problem, sev, 3)]), "scores[0].problem_id")
        self.assertEqual(field([(a, sev, 3), (a, sev, 4)]), "scores[1]")
        self.assertEqual(field([(a, sev, 3)], participant="   "), "participant")
        e = self.assertProblem(self.coord.post(path + "/votes", {"votes": [
            {"problem_a": a["id"], "problem_b": b["id"], "winner": "a"}]}), 409)
        self.assertIn("scores", e["detail"])
        self.assertProblem(scores([(a, sev, 3)], client=self.viewer), 403)
        self.assertEqual(self.ranking(s)["items"][0]["total"], 60)  # nothing refused was stored

        # Criteria: weights must be > 0; an id of another session is unknown.
        etag = self.etag(path)
        for bad in (0, -1, "2"):
            e = self.assertProblem(self.coord.patch(path, {"criteria": [{"name": "x", "weight": bad}]},
                                                    headers={"If-Match": etag}), 422)
            self.assertEqual(e["errors"][0]["field"], "criteria[0].weight")
        other = self.session("Sesi lain", "scoring", [a])
        e = self.assertProblem(self.coord.patch(path, {"criteria": [{"id": other["criteria"][0]["id"], "name": "x"}]},
                                                headers={"If-Match": etag}), 422)
        self.assertEqual(e["errors"][0]["field"], "criteria[0].id")
        e = self.assertProblem(self.coord.patch(path, {"criteria": []}, headers={"If-Match": etag}), 422)
        self.assertEqual(e["errors"][0]["field"], "criteria")

        # Closing: If-Match, then no more scores or changes; the ranking stays readable.
        self.assertProblem(self.coord.post(path + "/close"), 428)
        self.assertProblem(self.coord.post(path + "/close", headers={"If-Match": '"v1"'}), 412)
        st, _, closed = self.coord.post(path + "/close", headers={"If-Match": etag})
        self.assertEqual((st, closed["status"]), (200, "closed"), closed)
        self.assertIsNotNone(closed["closed_at"])
        self.assertProblem(scores([(a, sev, 3)]), 409)
        self.assertProblem(self.coord.patch(path, {"title": "x"}, headers={"If-Match": '"v%d"' % closed["version"]}),
                           409)
        self.assertEqual(self.ranking(s)["status"], "closed")
        st, _, drafts = self.viewer.get(SESSIONS + "?status=draft")
        self.assertNotIn(s["id"], [x["id"] for x in drafts["items"]])
        st, _, done = self.viewer.get(SESSIONS + "?status=closed&method=scoring")
        self.assertIn(s["id"], [x["id"] for x in done["items"]])

        actions = [e["action"] for e in self.audit(object_type="prioritisation", object_id=s["id"])]
        self.assertEqual(actions, ["prioritisation.close"] + ["prioritisation.scores"] * 5 +
                         ["prioritisation.update", "prioritisation.create"])
        close_entry = self.audit(object_type="prioritisation", object_id=s["id"], action="prioritisation.close")[0]
        self.assertEqual([i["total"] for i in close_entry["after"]["ranking"]["items"]], [60, 60, 30])
        scores_entry = self.audit(object_type="prioritisation", object_id=s["id"], action="prioritisation.scores")[0]
        self.assertEqual(scores_entry["after"]["participant"], coord_key)
        self.assertEqual(len(scores_entry["before"]["scores"]), 7)
        self.assertEqual(len(scores_entry["after"]["scores"]), 6)

    def test_session_wrong_input_and_isolation(self):
        a = self.create("Kilosesi A")
        b = self.create("Kilosesi B")

        def field(body):
            return self.assertProblem(self.coord.post(SESSIONS, body), 422)["errors"][0]["field"]
        self.assertEqual(field({"method": "scoring", "problem_ids": [a["id"]]}), "title")
        self.assertEqual(field({"title": "x", "problem_ids": [a["id"]]}), "method")
        self.assertEqual(field({"title": "x", "method": "voting", "problem_ids": [a["id"]]}), "method")
        self.assertEqual(field({"title": "x", "method": "scoring"}), "problem_ids")
        self.assertEqual(field({"title": "x", "method": "scoring", "problem_ids": []}), "problem_ids")
        self.assertEqual(field({"title": "x", "method": "pairwise", "problem_ids": [a["id"]]}), "problem_ids")
        self.assertEqual(field({"title": "x", "method": "scoring", "problem_ids": [a["id"], self.other_problem["id"]]}),
                         "problem_ids[1]")
        self.assertEqual(field({"title": "x", "method": "pairwise", "problem_ids": [a["id"], b["id"]],
                                "criteria": [{"name": "x"}]}), "criteria")
        self.assertEqual(field({"title": "x", "method": "scoring", "problem_ids": [a["id"]],
                                "criteria": [{"name": "Biaya"}, {"name": " biaya"}]}), "criteria[1].name")
        self.assertEqual(field({"title": "x", "method": "scoring", "problem_ids": [a["id"]], "held_on": "2026-02-30"}),
                         "held_on")
        # A problem in the bin cannot join a session.
        binned = self.create("Kilosesi dibuang")
        self.assertEqual(self.coord.delete(PROBLEMS + "/%s" % binned["id"], headers={"If-Match": '"v1"'})[0], 200)
        self.assertEqual(field({"title": "x", "method": "scoring", "problem_ids": [binned["id"]]}), "problem_ids[0]")

        s = self.session("Kilosesi", "scoring", [a])
        path = SESSIONS + "/%s" % s["id"]
        e = self.assertProblem(self.coord.patch(path, {"method": "pairwise"}, headers={"If-Match": '"v1"'}), 422)
        self.assertEqual(e["errors"][0]["field"], "method")
        self.assertProblem(self.viewer.post(SESSIONS, {"title": "x", "method": "scoring", "problem_ids": [a["id"]]}),
                           403)
        self.assertProblem(self.viewer.patch(path, {"title": "x"}, headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.other.get("/api/v1/orgs/other/prioritisations/%s" % s["id"]), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/other/prioritisations/%s/ranking" % s["id"]), 404)
        self.assertProblem(self.coord.delete(path), 428)
        self.assertEqual(self.coord.delete(path, headers={"If-Match": '"v1"'})[0], 204)
        self.assertProblem(self.viewer.get(path), 404)
        self.assertEqual([e["action"] for e in self.audit(object_type="prioritisation", object_id=s["id"])],
                         ["prioritisation.delete", "prioritisation.create"])

    # -- prioritisation: pairwise ------------------------------------------------------------
    def test_pairwise_ranking(self):
        a, b, c, d = (self.create("Kilopair " + x) for x in "ABCD")
        s = self.session("Ranking berpasangan", "pairwise", [a, b, c, d])
        self.assertEqual(s["criteria"], [])
        path = SESSIONS + "/%s" % s["id"]

        def votes(rows, participant=None, client=None):
            body = {"votes": [{"problem_a": x["id"], "problem_b": y["id"], "winner": w} for x, y, w in rows]}
            if participant:
                body["participant"] = participant
            return (client or self.coord).post(path + "/votes", body)

        # The coordinator votes on all 6 pairs: A beats B, A–C tie, A beats D (asked as D vs A),
        # C beats B, B beats D, C–D tie → A 2.5, B 1, C 2, D 0.5.
        st, _, mine = votes([(a, b, "a"), (a, c, "tie"), (d, a, "b"), (b, c, "b"), (b, d, "a"), (c, d, "tie")])
        self.assertEqual((st, len(mine["items"])), (200, 6), mine)
        # Pak Yohanes: B beats A, C beats D; then B vs A again as a tie (replaces) → A 0.5, B 0.5, C 1.
        self.assertEqual(votes([(a, b, "b"), (c, d, "a")], participant="Pak Yohanes")[0], 200)
        st, _, his = votes([(b, a, "tie")], participant="pak yohanes")
        self.assertEqual((st, len(his["items"])), (200, 2), his)
        # Totals: A 3 (2 wins, 2 ties), C 3 (2 wins, 2 ties), B 1.5, D 0.5: A and C share rank 1.
        r = self.ranking(s)
        self.assertEqual((r["method"], r["pairs_per_participant"], r["complete"], r["participants"]),
                         ("pairwise", 6, False, 2))
        self.assertEqual([(i["title"], i["rank"], i["points"], i["wins"], i["ties"], i["losses"]) for i in r["items"]],
                         [("Kilopair A", 1, 3, 2, 2, 0), ("Kilopair C", 1, 3, 2, 2, 0),
                          ("Kilopair B", 3, 1.5, 1, 1, 2), ("Kilopair D", 4, 0.5, 0, 1, 3)])
        # The name as typed last is the participant's name.
        progress = {p["name"]: p for p in r["participant_votes"]}
        self.assertEqual(progress["pak yohanes"]["votes"], 2)
        pairs = [(m["problem_a"], m["problem_b"]) for m in progress["pak yohanes"]["missing_pairs"]]
        self.assertEqual(pairs, [(a["id"], c["id"]), (a["id"], d["id"]), (b["id"], c["id"]), (b["id"], d["id"])])
        coord = next(p for p in r["participant_votes"] if p["participant"] == mine["participant"])
        self.assertEqual((coord["votes"], coord["missing_pairs"]), (6, []))
        st, _, stored = self.viewer.get(path + "/votes?participant=" + urllib.parse.quote("name:pak yohanes"))
        self.assertEqual(st, 200, stored)
        # Stored as (smaller id, larger id); the problems were created in the order A, B, C, D.
        self.assertEqual([(v["problem_a"], v["problem_b"], v["winner"]) for v in stored["items"]],
                         [(a["id"], b["id"], "tie"), (c["id"], d["id"], "a")])

        # Wrong input: a pair twice in one request (either order), a problem against itself, a
        # problem outside the session, an unknown winner, scores to a pairwise session.
        def field(rows, **kw):
            return self.assertProblem(votes(rows, **kw), 422)["errors"][0]["field"]
        self.assertEqual(field([(a, b, "a"), (b, a, "a")]), "votes[1]")
        self.assertEqual(field([(a, a, "tie")]), "votes[0]")
        self.assertEqual(field([(a, self.other_problem, "a")]), "votes[0].problem_b")
        self.assertEqual(field([(a, b, "draw")]), "votes[0].winner")
        e = self.assertProblem(self.coord.post(path + "/scores", {"scores": [
            {"problem_id": a["id"], "criterion_id": "1", "score": 3}]}), 409)
        self.assertIn("votes", e["detail"])
        self.assertProblem(self.viewer.get(path + "/scores"), 409)
        self.assertProblem(votes([(a, b, "a")], client=self.viewer), 403)

        # Taking D out drops every vote about it: 3 pairs; A: beats B, ties C, ties B (Yohanes) → 2;
        # C: ties A, beats B → 1.5; B: 0.5.
        st, _, s2 = self.coord.patch(path, {"problem_ids": [a["id"], b["id"], c["id"]]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, s2)
        r = self.ranking(s)
        self.assertEqual(r["pairs_per_participant"], 3)
        self.assertEqual([(i["title"], i["rank"], i["points"]) for i in r["items"]],
                         [("Kilopair A", 1, 2), ("Kilopair C", 2, 1.5), ("Kilopair B", 3, 0.5)])
        coord = next(p for p in r["participant_votes"] if p["participant"] == mine["participant"])
        self.assertEqual(coord["votes"], 3)
        # The coordinator completes nothing more; Yohanes votes the two pairs he misses.
        self.assertEqual(votes([(a, c, "a"), (c, b, "a")], participant="Pak Yohanes")[0], 200)
        r = self.ranking(s)
        self.assertTrue(r["complete"])
        self.assertEqual([(i["title"], i["points"]) for i in r["items"]],
                         [("Kilopair A", 3), ("Kilopair C", 2.5), ("Kilopair B", 0.5)])
        actions = [e["action"] for e in self.audit(object_type="prioritisation", object_id=s["id"])]
        self.assertEqual(actions, ["prioritisation.votes", "prioritisation.update"] + ["prioritisation.votes"] * 3 +
                         ["prioritisation.create"])

    # -- problem tree ------------------------------------------------------------------------
    def test_problem_tree_and_objective_tree(self):
        p = self.create("Kilotree diare pada balita")
        tree = PROBLEMS + "/%s/tree" % p["id"]
        st, h, t = self.viewer.get(tree)
        self.assertEqual((st, t["nodes"], h.get("ETag")), (200, [], '"v1"'), t)
        body = {"nodes": [
            {"id": "core", "kind": "core", "text": "Banyak balita terkena diare"},
            {"id": "c1", "parent_id": "core", "kind": "cause", "text": "Air minum tidak diolah"},
            {"id": "c2", "parent_id": "c1", "kind": "cause", "text": "Warga tidak tahu cara mengolah air"},
            {"id": "c3", "parent_id": "core", "kind": "cause", "text": "Jamban tidak sehat"},
            {"id": "e1", "parent_id": "core", "kind": "effect", "text": "Anak sering absen sekolah"},
            {"id": "e2", "parent_id": "e1", "kind": "effect", "text": "Prestasi belajar rendah"},
        ]}
        self.assertProblem(self.coord.request("PUT", tree, body), 428)
        self.assertProblem(self.coord.request("PUT", tree, body, headers={"If-Match": '"v7"'}), 412)
        self.assertProblem(self.viewer.request("PUT", tree, body, headers={"If-Match": '"v1"'}), 403)
        st, h, t = self.coord.request("PUT", tree, body, headers={"If-Match": '"v1"'})
        self.assertEqual((st, h.get("ETag"), t["version"]), (200, '"v2"', 2), t)
        by_text = {n["text"]: n for n in t["nodes"]}
        core = by_text["Banyak balita terkena diare"]
        c1, c2 = by_text["Air minum tidak diolah"], by_text["Warga tidak tahu cara mengolah air"]
        c3, e1 = by_text["Jamban tidak sehat"], by_text["Anak sering absen sekolah"]
        e2 = by_text["Prestasi belajar rendah"]
        self.assertEqual(t["nodes"][0], dict(core, parent_id=None, kind="core"))
        self.assertEqual((c1["parent_id"], c2["parent_id"], c3["parent_id"]), (core["id"], c1["id"], core["id"]))
        self.assertEqual((e1["parent_id"], e2["parent_id"]), (core["id"], e1["id"]))
        self.assertEqual((c1["position"], c3["position"], e1["position"]), (0, 1, 2))  # order of the body
        self.assertTrue(self.viewer.get(PROBLEMS + "/%s" % p["id"])[2]["has_tree"])
        # The tree's version is its own: the problem's ETag did not move.
        self.assertEqual(self.etag(PROBLEMS + "/%s" % p["id"]), '"v1"')

        # The objective tree: effects → impact, core → purpose, causes → outcome, deeper → output.
        objective = PROBLEMS + "/%s/objective-tree" % p["id"]
        st, h, o = self.viewer.get(objective)
        self.assertEqual((st, h.get("ETag"), o["objective_tree_id"]), (200, '"v2"', p["id"]), o)
        levels = {n["problem_text"]: (n["kind"], n["level"], n["depth"]) for n in o["nodes"]}
        self.assertEqual(levels, {
            "Banyak balita terkena diare": ("purpose", "purpose", 0),
            "Air minum tidak diolah": ("means", "outcome", 1),
            "Warga tidak tahu cara mengolah air": ("means", "output", 2),
            "Jamban tidak sehat": ("means", "outcome", 1),
            "Anak sering absen sekolah": ("end", "impact", 1),
            "Prestasi belajar rendah": ("end", "impact", 2)})
        self.assertEqual((o["complete"], o["missing_objectives"]), (False, 6))
        self.assertTrue(all(n["objective_text"] == "" and n["statement"] == n["problem_text"] for n in o["nodes"]))
        wanted = {core["id"]: "Balita bebas diare", c1["id"]: "Air minum diolah sebelum diminum",
                  c2["id"]: "Warga tahu cara mengolah air", c3["id"]: "Jamban sehat",
                  e1["id"]: "Anak hadir di sekolah", e2["id"]: "Prestasi belajar meningkat"}
        self.assertProblem(self.coord.patch(objective, {"nodes": [{"id": core["id"], "objective_text": "x"}]},
                                            headers={"If-Match": '"v1"'}), 412)
        e = self.assertProblem(self.coord.patch(objective, {"nodes": [{"id": self.other_problem["id"],
                                                                       "objective_text": "x"}]},
                                                headers={"If-Match": '"v2"'}), 422)
        self.assertEqual(e["errors"][0]["field"], "nodes[0].id")
        st, h, o = self.coord.patch(objective, {"nodes": [{"id": k, "objective_text": v} for k, v in wanted.items()]},
                                    headers={"If-Match": '"v2"'})
        self.assertEqual((st, h.get("ETag"), o["complete"], o["missing_objectives"]), (200, '"v3"', True, 0), o)
        self.assertEqual({n["id"]: n["statement"] for n in o["nodes"]}, wanted)

        # Replacing the tree keeps the nodes named by id (and their objective texts), drops the
        # others (e2) and adds new ones. A kept node moved below a newer node is stored anew (a
        # parent's id is always the smaller), keeping its texts unless the body changes them.
        st, _, t = self.coord.request("PUT", tree, {"nodes": [
            {"id": core["id"], "kind": "core", "text": core["text"]},
            {"id": c1["id"], "parent_id": core["id"], "kind": "cause", "text": c1["text"]},
            {"id": c2["id"], "parent_id": c1["id"], "kind": "cause", "text": c2["text"]},
            {"id": "sanitasi", "parent_id": core["id"], "kind": "cause", "text": "Sanitasi buruk"},
            {"id": c3["id"], "parent_id": "sanitasi", "kind": "cause", "text": c3["text"]},
            {"id": e1["id"], "parent_id": core["id"], "kind": "effect", "text": e1["text"], "objective_text": ""},
            {"id": "baru", "parent_id": c2["id"], "kind": "cause", "text": "Tidak ada penyuluhan"},
        ]}, headers={"If-Match": '"v3"'})
        self.assertEqual(st, 200, t)
        by_text = {n["text"]: n for n in t["nodes"]}
        self.assertEqual(len(t["nodes"]), 7)
        self.assertNotIn(e2["text"], by_text)
        self.assertEqual((by_text[c1["text"]]["id"], by_text[c2["text"]]["id"], by_text[e1["text"]]["id"]),
                         (c1["id"], c2["id"], e1["id"]))
        self.assertEqual(by_text[c1["text"]]["objective_text"], "Air minum diolah sebelum diminum")
        self.assertEqual(by_text[e1["text"]]["objective_text"], "")
        moved = by_text[c3["text"]]
        self.assertNotEqual(moved["id"], c3["id"])
        self.assertEqual(moved["parent_id"], by_text["Sanitasi buruk"]["id"])
        self.assertEqual(moved["objective_text"], "Jamban sehat")
        self.assertTrue(all(int(n["parent_id"]) < int(n["id"]) for n in t["nodes"] if n["parent_id"]))
        o = self.viewer.get(objective)[2]
        self.assertEqual({n["problem_text"]: n["level"] for n in o["nodes"]}[c3["text"]], "output")
        self.assertEqual({n["problem_text"]: n["depth"] for n in o["nodes"]}["Tidak ada penyuluhan"], 3)
        self.assertEqual(o["missing_objectives"], 3)  # e1 cleared, two new nodes

        # Wrong structures: a cycle, a cause above an effect, two cores, a parent that is not there.
        def field(nodes, version='"v4"'):
            e = self.assertProblem(self.coord.request("PUT", tree, {"nodes": nodes}, headers={"If-Match": version}), 422)
            return e["errors"][0]["field"], e["errors"][0]["message"]
        f, msg = field([{"id": "k", "kind": "core", "text": "Inti"},
                        {"id": "x", "parent_id": "y", "kind": "cause", "text": "X"},
                        {"id": "y", "parent_id": "x", "kind": "cause", "text": "Y"}])
        self.assertEqual(f, "nodes[1].parent_id")
        self.assertIn("cycle", msg)
        self.assertEqual(field([{"id": "k", "kind": "core", "text": "Inti"},
                                {"id": "e", "parent_id": "k", "kind": "effect", "text": "E"},
                                {"id": "c", "parent_id": "e", "kind": "cause", "text": "C"}])[0], "nodes[2].parent_id")
        self.assertEqual(field([{"kind": "core", "text": "Satu"}, {"kind": "core", "text": "Dua"}])[0], "nodes[1].kind")
        self.assertEqual(field([{"id": "k", "kind": "core", "text": "Inti"},
                                {"parent_id": "hilang", "kind": "cause", "text": "C"}])[0], "nodes[1].parent_id")
        self.assertEqual(field([{"id": "k", "kind": "akar", "text": "Inti"}])[0], "nodes[0].kind")
        self.assertEqual(field([{"id": "k", "kind": "core", "text": "  "}])[0], "nodes[0].text")
        self.assertEqual(len(self.viewer.get(tree)[2]["nodes"]), 7)  # nothing refused was stored
        # Another organisation cannot read or write it.
        other_tree = "/api/v1/orgs/other/problems/%s/tree" % p["id"]
        self.assertProblem(self.other.get(other_tree), 404)
        self.assertProblem(self.other.request("PUT", other_tree, {"nodes": []}, headers={"If-Match": '"v4"'}), 404)
        self.assertProblem(self.coord.get(PROBLEMS + "/%s/objective-tree" % self.other_problem["id"]), 404)

        actions = [e["action"] for e in self.audit(object_type="problem", object_id=p["id"])]
        self.assertEqual(actions, ["problem_tree.update", "problem_tree.objectives", "problem_tree.update",
                                   "problem.create"])
        e = self.audit(object_type="problem", object_id=p["id"], action="problem_tree.update")[0]
        self.assertEqual((len(e["before"]["nodes"]), len(e["after"]["nodes"])), (6, 7))
        self.assertIn("Prestasi belajar rendah", [n["text"] for n in e["before"]["nodes"]])
        self.assertNotIn("Prestasi belajar rendah", [n["text"] for n in e["after"]["nodes"]])

        # An empty list removes the tree.
        st, _, t = self.coord.request("PUT", tree, {"nodes": []}, headers={"If-Match": '"v4"'})
        self.assertEqual((st, t["nodes"], t["version"]), (200, [], 5), t)
        self.assertFalse(self.viewer.get(PROBLEMS + "/%s" % p["id"])[2]["has_tree"])

    def test_objective_tree_seeds_a_results_framework(self):
        p = self.create("Kiloseed air minum tidak aman")
        tree = PROBLEMS + "/%s/tree" % p["id"]
        st, _, t = self.coord.request("PUT", tree, {"nodes": [
            {"id": "core", "kind": "core", "text": "Air minum tidak aman", "objective_text": "Air minum aman"},
            {"id": "e1", "parent_id": "core", "kind": "effect", "text": "Diare", "objective_text": "Diare berkurang"},
            {"id": "c1", "parent_id": "core", "kind": "cause", "text": "Pipa rusak",
             "objective_text": "Pipa berfungsi"},
            {"id": "c2", "parent_id": "c1", "kind": "cause", "text": "Tidak ada iuran",
             "objective_text": "Iuran pemeliharaan berjalan"},
        ]}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, t)
        st, _, program = self.coord.post(ORG + "/programs", {"name": "Kiloseed Air Aman", "start_date": "2026-01-01",
                                                             "end_date": "2026-12-31", "problem_ids": [p["id"]]})
        self.assertEqual(st, 201, program)
        self.assertEqual(program["problem_ids"], [p["id"]])
        st, _, framework = self.coord.post(ORG + "/programs/%s/results/seed" % program["id"],
                                           {"objective_tree_id": p["id"]})
        self.assertEqual(st, 201, framework)

        def titles(nodes):
            return [(n["title"], titles(n.get("children", []))) for n in nodes]
        self.assertEqual(titles(framework["nodes"]),
                         [("Diare berkurang", [("Air minum aman", [("Pipa berfungsi", [
                             ("Iuran pemeliharaan berjalan", [])])])])])
        # A problem that is in the bin keeps its tree readable but not writable.
        self.assertEqual(self.coord.delete(PROBLEMS + "/%s" % p["id"], headers={"If-Match": '"v1"'})[0], 200)
        self.assertEqual(len(self.viewer.get(tree)[2]["nodes"]), 4)
        self.assertProblem(self.coord.request("PUT", tree, {"nodes": []}, headers={"If-Match": '"v2"'}), 409)


if __name__ == "__main__":
    unittest.main()
