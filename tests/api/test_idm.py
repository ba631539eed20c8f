"""Village Development Index (IDM): the built-in indicator list; assessments per village and year
with indices worked out by hand (sub-index = sum / (5 × indicators scored in the group), IDM = mean
of IKS, IKE, IKL, status from the thresholds); If-Match, one assessment per village and year; the
CSV import (bad rows refused with row and column, nothing stored; a good file creates, a second one
replaces); the history across years; the weakest indicators with links to problems and programs
(a partner sees only programs shared with it); roles, another organisation and the audit log."""

import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
IDM = ORG + "/idm"
ASSESS = IDM + "/assessments"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-idm.example.org"
OTHER_PASSWORD = "lain-rahasia-14"
SEBOT = "53.02.03.2004"
EONBESI = "53.02.03.2002"

GROUP_SIZES = {"IKS": 38, "IKE": 12, "IKL": 4}
THRESHOLDS = [(0.4907, "sangat_tertinggal"), (0.5989, "tertinggal"), (0.7072, "berkembang"), (0.8155, "maju")]


def codes():
    return ["%s.%02d" % (g, i) for g, n in GROUP_SIZES.items() for i in range(1, n + 1)]


def expected(scores):
    """The indices of {code: score}, computed here independently of the server."""
    sums = {g: [0, 0] for g in GROUP_SIZES}
    for code, s in scores.items():
        sums[code[:3]][0] += s
        sums[code[:3]][1] += 1
    sub = {g: (v[0] / (5.0 * v[1]) if v[1] else None) for g, v in sums.items()}
    idm = sum(sub.values()) / 3 if all(v is not None for v in sub.values()) else None
    status = None
    if idm is not None:
        r = round(idm, 4)
        status = next((name for bound, name in THRESHOLDS if r <= bound), "mandiri")
    return {g.lower(): (round(v, 4) if v is not None else None) for g, v in sub.items()}, \
        (round(idm, 4) if idm is not None else None), status


class Idm(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        support.add_org(db, "other", "Organisasi Lain")
        support.add_user(db, "other", OTHER_ADMIN, "admin", OTHER_PASSWORD, name="Admin Lain")
        cls.server = support.Server(db).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.partner = cls.server.login(PARTNER)
        cls.other = cls.server.login(OTHER_ADMIN, OTHER_PASSWORD)
        cls.bosen = support.area_by_code(cls.coord, support.BOSEN_CODE)
        cls.sebot = support.area_by_code(cls.coord, SEBOT)
        cls.eonbesi = support.area_by_code(cls.coord, EONBESI)
        cls.district = support.area_by_code(cls.coord, support.MOLLO_UTARA_CODE)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def csv(self, text, client=None, content_type="text/csv"):
        st, h, raw = (client or self.coord).raw("POST", IDM + "/import", text.encode(), {"Content-Type": content_type})
        return st, h, support.decode_body(h, raw)

    def post_csv(self, text, status=200):
        st, _, body = self.csv(text)
        self.assertEqual(st, status, body)
        return body

    def check_indices(self, a, scores):
        sub, idm, status = expected(scores)
        self.assertEqual((a["iks"], a["ike"], a["ikl"]), (sub["iks"], sub["ike"], sub["ikl"]))
        self.assertEqual(a["idm"], idm)
        self.assertEqual(a["status"], status)

    # -- definitions ---------------------------------------------------------------------
    def test_indicator_list(self):
        st, _, body = self.viewer.get(IDM + "/indicators")
        self.assertEqual(st, 200, body)
        items = body["items"]
        self.assertEqual([i["code"] for i in items], codes())
        self.assertEqual([i["number"] for i in items], list(range(1, 55)))
        first = items[0]
        self.assertEqual((first["group"], first["dimension"]), ("IKS", "Kesehatan"))
        self.assertIn("30 menit", first["name"])
        self.assertIn("30 minutes", first["name_en"])
        self.assertEqual(items[-1]["group"], "IKL")

    # -- entry ---------------------------------------------------------------------------
    def test_assessment_by_hand_with_if_match_and_audit(self):
        scores = {"IKS.01": 5, "IKS.02": 4, "IKE.01": 2, "IKE.02": 3, "IKL.01": 1}
        st, h, a = self.coord.post(ASSESS, {"area_id": self.bosen["id"], "year": 2016, "notes": "musdes",
                                            "scores": dict(scores, **{"IKL.01": {"score": 1, "note": "banjir"}})})
        self.assertEqual(st, 201, a)
        self.assertEqual(h.get("ETag"), '"v1"')
        # IKS 9/10 = 0.9, IKE 5/10 = 0.5, IKL 1/5 = 0.2, IDM 1.6/3 = 0.5333: Tertinggal.
        self.assertEqual((a["iks"], a["ike"], a["ikl"], a["idm"], a["status"]), (0.9, 0.5, 0.2, 0.5333, "tertinggal"))
        self.assertEqual(a["status_name"], "Tertinggal")
        self.assertEqual(a["groups"]["IKS"]["scored"], 2)
        self.check_indices(a, scores)
        self.assertEqual([s["indicator"] for s in a["scores"]], ["IKS.01", "IKS.02", "IKE.01", "IKE.02", "IKL.01"])
        self.assertEqual(a["scores"][-1]["note"], "banjir")
        self.assertEqual(a["area"]["code"], support.BOSEN_CODE)
        path = ASSESS + "/" + a["id"]

        # One per village and year.
        self.assertProblem(self.coord.post(ASSESS, {"area_id": self.bosen["id"], "year": 2016}), 409)

        self.assertProblem(self.coord.patch(path, {"scores": {"IKL.01": 4}}), 428)
        self.assertProblem(self.coord.patch(path, {"scores": {"IKL.01": 4}}, headers={"If-Match": '"v9"'}), 412)
        st, h, a = self.coord.patch(path, {"scores": {"IKL.01": 4}}, headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, a)
        # IKL 4/5 = 0.8: IDM (0.9 + 0.5 + 0.8) / 3 = 0.7333, Maju.
        self.assertEqual((a["idm"], a["status"], h.get("ETag")), (0.7333, "maju", '"v2"'))
        st, _, a = self.coord.patch(path, {"scores": {"IKS.02": None}}, headers={"If-Match": '"v2"'})
        self.assertEqual(st, 200, a)
        # IKS 5/5 = 1: IDM 2.3 / 3 = 0.7667.
        self.assertEqual((a["iks"], a["idm"], a["status"]), (1.0, 0.7667, "maju"))
        scores = {"IKS.01": 5, "IKE.01": 2, "IKE.02": 3, "IKL.01": 4}
        self.check_indices(a, scores)

        st, _, got = self.viewer.get(path)
        self.assertEqual((st, got["idm"]), (200, 0.7667))
        log = self.admin.get(ORG + "/audit?" + urllib.parse.urlencode({"object_type": "idm_assessment",
                                                                     "object_id": a["id"]}))[2]["items"]
        self.assertEqual([e["action"] for e in log],
                         ["idm_assessment.update", "idm_assessment.update", "idm_assessment.create"])
        self.assertEqual(log[0]["before"]["idm"], 0.7333)
        self.assertEqual(log[0]["after"]["idm"], 0.7667)

        self.assertProblem(self.coord.delete(path, headers={"If-Match": '"v2"'}), 412)
        st, _, _ = self.coord.delete(path, headers={"If-Match": '"v3"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.viewer.get(path), 404)

    def test_incomplete_assessment_has_no_idm(self):
        st, _, a = self.coord.post(ASSESS, {"area_id": self.eonbesi["id"], "year": 2020, "scores": {"IKS.05": 3}})
        self.assertEqual(st, 201, a)
        self.assertEqual((a["iks"], a["ike"], a["idm"], a["status"]), (0.6, None, None, None))

    def test_bad_input(self):
        cases = [
            ({"year": 2024}, "area_id"),
            ({"area_id": self.bosen["id"]}, "year"),
            ({"area_id": self.district["id"], "year": 2024}, "area_id"),
            ({"area_id": self.bosen["id"], "year": 1999}, "year"),
            ({"area_id": self.bosen["id"], "year": 2024, "scores": {"IKS.01": 6}}, "scores.IKS.01"),
            ({"area_id": self.bosen["id"], "year": 2024, "scores": {"IKS.01": 2.5}}, "scores.IKS.01"),
            ({"area_id": self.bosen["id"], "year": 2024, "scores": {"IKS.99": 2}}, "scores.IKS.99"),
            ({"area_id": self.bosen["id"], "year": 2024, "scores": [1, 2]}, "scores"),
            ({"area_id": self.bosen["id"], "year": 2024, "scores": {"IKS.01": None}}, "scores.IKS.01"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                p = self.assertProblem(self.coord.post(ASSESS, body), 422)
                self.assertEqual(p["errors"][0]["field"], field)
        self.assertProblem(self.coord.get(ASSESS + "?year=abc"), 400)

    # -- CSV import ----------------------------------------------------------------------
    def test_csv_import_all_or_nothing_then_history_and_replace(self):
        bad = ("desa,tahun,indikator,skor,catatan\n"
               "%s,2021,IKS.01,3,\n"
               "%s,2021,IKS.02,7,\n"          # row 3: score
               "99.99.99.9999,2021,IKS.03,1,\n"  # row 4: village
               "%s,21,IKS.04,1,\n"            # row 5: year
               "%s,2021,XYZ,1,\n"             # row 6: indicator
               "%s,2021,1,2,\n"               # row 7: same as IKS.01 (number 1) on row 2
               "%s,2021,IKS.05,4,\"catatan, dengan koma\"\n") % ((SEBOT,) + (SEBOT,) + (SEBOT,) * 4)
        p = self.assertProblem(self.csv(bad), 422)
        self.assertEqual([(e["field"]) for e in p["errors"]],
                         ["row 3, column skor", "row 4, column desa", "row 5, column tahun",
                          "row 6, column indikator", "row 7, column indikator"])
        self.assertIn("nothing was imported", p["detail"])
        self.assertTrue(p["detail"].startswith("5 problem(s)"), p["detail"])
        self.assertIn("row 2", p["errors"][4]["message"])
        st, _, page = self.viewer.get(ASSESS + "?area=%s" % self.sebot["id"])
        self.assertEqual(page["items"], [], "nothing stored from a file with bad rows")

        self.assertProblem(self.csv("x,y\n1,2\n"), 422)
        st, h, raw = self.coord.raw("POST", IDM + "/import", b"desa,tahun,indikator,skor\n\xff\xfe,2021,1,1\n" +
                                    SEBOT.encode() + b",2021,1," + b"9" * 5000 + b"\n", {"Content-Type": "text/csv"})
        p = support.decode_body(h, raw)
        self.assertEqual(st, 422, p)
        self.assertEqual([e["field"] for e in p["errors"]], ["row 2, column desa", "row 3, column skor"])
        self.assertIn("unreadable", p["errors"][0]["message"])
        self.assertLess(len(p["errors"][1]["message"]), 120)
        self.assertProblem(self.csv("desa,tahun,indikator,skor\n\"unterminated\n"), 422)
        st, _, _ = self.csv("desa,tahun,indikator,skor\n", content_type="application/json")
        self.assertEqual(st, 415)

        # Three years of Sebot, every indicator, English headers in another order.
        years = {}
        lines = ["indicator,score,village,year"]
        for y, base in ((2021, 1), (2022, 2), (2023, 4)):
            scores = {}
            for i, code in enumerate(codes()):
                scores[code] = min(5, base + (i % 3)) if code[:3] != "IKL" else base
                lines.append("%s,%d,%s,%d" % (code, scores[code], SEBOT, y))
            years[y] = scores
        body = self.post_csv("\r\n".join(lines) + "\r\n")
        self.assertEqual((body["rows"], len(body["created"]), len(body["updated"])), (162, 3, 0))
        for a in body["created"]:
            self.check_indices(a, years[a["year"]])
            self.assertEqual((a["source"], len(a["scores"])), ("import", 54))

        st, _, hist = self.viewer.get(ORG + "/areas/%s/idm" % self.sebot["id"])
        self.assertEqual(st, 200, hist)
        self.assertEqual([y["year"] for y in hist["years"]], [2021, 2022, 2023])
        self.assertIsNone(hist["years"][0]["change"])
        for y in hist["years"]:
            sub, idm, status = expected(years[y["year"]])
            self.assertEqual((y["idm"], y["status"]), (idm, status))
        _, idm21, _ = expected(years[2021])
        _, idm22, _ = expected(years[2022])
        self.assertEqual(hist["years"][1]["change"]["from_year"], 2021)
        self.assertAlmostEqual(hist["years"][1]["change"]["idm"], idm22 - idm21, places=4)

        # The district filter lists every assessed village below it.
        st, _, page = self.viewer.get(ASSESS + "?area=%s&year=2022" % self.district["id"])
        self.assertEqual([a["area"]["code"] for a in page["items"]], [SEBOT])

        # A second file replaces the scores of that year (Indonesian headers, numbers as indicators).
        body = self.post_csv("desa,tahun,indikator,skor\n%s,2023,1,0\n%s,2023,39,5\n%s,2023,51,5\n" % (SEBOT, SEBOT, SEBOT))
        self.assertEqual((len(body["created"]), len(body["updated"])), (0, 1))
        a = body["updated"][0]
        self.assertEqual(len(a["scores"]), 3)
        self.check_indices(a, {"IKS.01": 0, "IKE.01": 5, "IKL.01": 5})
        self.assertEqual(a["version"], 2)
        log = self.admin.get(ORG + "/audit?action=idm_assessment.import")[2]["items"]
        self.assertEqual(len(log), 4)

    # -- weakest indicators and links ----------------------------------------------------
    def test_weakest_indicators_with_links(self):
        st, _, problem = self.coord.post(ORG + "/problems", {"title": "Air minum tidak layak di musim kemarau"})
        self.assertEqual(st, 201, problem)
        st, _, shared = self.coord.post(ORG + "/programs", {"name": "Program IDM Bersama", "start_date": "2025-01-01",
                                                          "end_date": "2026-12-31", "status": "active"})
        self.assertEqual(st, 201, shared)
        st, _, hidden = self.coord.post(ORG + "/programs", {"name": "Program IDM Tertutup", "start_date": "2025-01-01",
                                                          "end_date": "2026-12-31", "status": "active"})
        self.assertEqual(st, 201, hidden)
        members = self.admin.get(ORG + "/members")[2]["items"]
        partner_id = next(m["id"] for m in members if m["email"] == PARTNER)
        st, _, _ = self.coord.post(ORG + "/programs/%s/members" % shared["id"], {"user_id": partner_id})
        self.assertEqual(st, 201)

        scores = {c: 4 for c in codes()}
        scores.update({"IKS.15": 0, "IKS.28": 1, "IKE.12": 1, "IKL.03": 2})
        st, _, a = self.coord.post(ASSESS, {"area_id": self.bosen["id"], "year": 2017, "scores": scores})
        self.assertEqual(st, 201, a)
        self.check_indices(a, scores)

        made = []
        for body in ({"indicator": "IKS.15", "problem_id": problem["id"]},
                     {"indicator": "IKS.15", "program_id": shared["id"]},
                     {"indicator": "iks.15", "program_id": hidden["id"]},
                     {"indicator": "IKE.12", "program_id": hidden["id"]}):
            st, _, link = self.coord.post(IDM + "/links", body)
            self.assertEqual(st, 201, link)
            made.append(link["id"])
        self.assertProblem(self.coord.post(IDM + "/links", {"indicator": "IKS.15", "problem_id": problem["id"]}), 409)
        self.assertProblem(self.coord.post(IDM + "/links", {"indicator": "IKS.15"}), 422)
        self.assertProblem(self.coord.post(IDM + "/links", {"indicator": "IKS.15", "problem_id": problem["id"],
                                                           "program_id": shared["id"]}), 422)
        self.assertProblem(self.coord.post(IDM + "/links", {"indicator": "NOPE", "problem_id": problem["id"]}), 422)
        self.assertProblem(self.coord.post(IDM + "/links", {"indicator": "IKS.01", "problem_id": "999999"}), 422)

        st, _, w = self.coord.get(ASSESS + "/%s/weakest?limit=4" % a["id"])
        self.assertEqual(st, 200, w)
        self.assertEqual([(i["code"], i["score"]) for i in w["items"]],
                         [("IKS.15", 0), ("IKS.28", 1), ("IKE.12", 1), ("IKL.03", 2)])
        first = w["items"][0]
        self.assertEqual([p["title"] for p in first["problems"]], [problem["title"]])
        self.assertEqual(sorted(p["title"] for p in first["programs"]), ["Program IDM Bersama", "Program IDM Tertutup"])
        self.assertEqual(w["unscored"], [])

        st, _, w = self.partner.get(ASSESS + "/%s/weakest?limit=3" % a["id"])
        self.assertEqual(st, 200, w)
        self.assertEqual([p["title"] for p in w["items"][0]["programs"]], ["Program IDM Bersama"])
        self.assertEqual(w["items"][2]["programs"], [])

        st, _, ls = self.viewer.get(IDM + "/links?indicator=IKS.15")
        self.assertEqual(len(ls["items"]), 3)
        self.assertProblem(self.viewer.delete(IDM + "/links/" + ls["items"][0]["id"]), 403)
        st, _, _ = self.coord.delete(IDM + "/links/" + ls["items"][0]["id"])
        self.assertEqual(st, 204)
        self.assertEqual(len(self.viewer.get(IDM + "/links?indicator=IKS.15")[2]["items"]), 2)
        actions = [e["action"] for e in self.admin.get(ORG + "/audit?action=idm_link.&limit=500")[2]["items"]
                   if e["object_id"] in made]
        self.assertEqual(actions.count("idm_link.create"), 4)
        self.assertEqual(actions.count("idm_link.delete"), 1)

    # -- roles and isolation --------------------------------------------------------------
    def test_roles_and_other_organisation(self):
        body = {"area_id": self.bosen["id"], "year": 2019, "scores": {"IKS.01": 3}}
        self.assertProblem(self.viewer.post(ASSESS, body), 403)
        self.assertProblem(self.partner.post(ASSESS, body), 403)
        st, _, _ = self.csv("desa,tahun,indikator,skor\n%s,2019,1,1\n" % SEBOT, client=self.viewer)
        self.assertEqual(st, 403)
        st, _, a = self.coord.post(ASSESS, body)
        self.assertEqual(st, 201, a)
        self.assertProblem(self.other.get("/api/v1/orgs/demo/idm/assessments/%s" % a["id"]), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/other/idm/assessments/%s" % a["id"]), 404)
        st, _, page = self.other.get("/api/v1/orgs/other/idm/assessments")
        self.assertEqual((st, page["items"]), (200, []))
        self.assertProblem(self.other.patch("/api/v1/orgs/other/idm/assessments/%s" % a["id"], {"notes": "x"},
                                            headers={"If-Match": '"v1"'}), 404)


if __name__ == "__main__":
    unittest.main()
