"""Evaluations: a baseline round (form version 1) and an endline round (version 2) of a small
household form with submissions posted here, so every figure is known by hand: means and their
Welch t-test (t, df, p and interval from the formulas, with a Student-t written below), proportions
with the Wilson interval and the two-proportion z-test, the difference-in-differences with
treatment and comparison dusun (estimate and cluster-robust CR1 standard error from the closed form
of a saturated 2×2 model), an indicator of the program used as a variable; plain-language sentences
in Bahasa Indonesia and English, "not enough data" rounds without NaN; OECD-DAC criteria and
lessons; If-Match, validation, roles, partners, another organisation and the audit log."""

import json
import math
import unittest
import urllib.parse
import uuid

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
EVALS = ORG + "/evaluations"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-evaluasi.example.org"
OTHER_PASSWORD = "lain-rahasia-15"

XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
        xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Survei Evaluasi</h:title><model>
  <instance><ev id="%(id)s" version="%(version)s">
   <area/><water/><minutes/>
   <meta><instanceID/></meta>
  </ev></instance>
  <bind nodeset="/ev/minutes" type="int"/>
  <bind nodeset="/ev/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
 </model></h:head>
 <h:body>
  <input ref="/ev/area"><label>Dusun</label></input>
  <select1 ref="/ev/water"><label>Air</label>
   <item><label>Pipa</label><value>piped</value></item><item><label>Sumur</label><value>well</value></item>
  </select1>
  <input ref="/ev/minutes"><label>Menit</label></input>
 </h:body>
</h:html>"""

D = {i: "53.02.03.2003.0%d" % i for i in range(1, 5)}
# (dusun, water, minutes): dusun 1 and 2 get the program, 3 and 4 are the comparison.
BASELINE = [(1, "well", 30), (1, "well", 40), (2, "well", 50), (2, "piped", 60),
            (3, "well", 35), (3, "piped", 45), (4, "well", 55), (4, "well", 65)]
ENDLINE = [(1, "piped", 20), (1, "piped", 24), (2, "piped", 30), (2, "well", 38),
           (3, "piped", 33), (3, "well", 41), (4, "well", 51), (4, "well", 63)]
TREATED = {1, 2}


# -- reference statistics written out here (Python's standard library has no t distribution) --
def _betacf(a, b, x):
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-15:
            break
    return h


def betainc(a, b, x):
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(lbeta) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbeta) * _betacf(b, a, 1 - x) / b


def t_two_sided_p(t, df):
    return betainc(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(p, df):
    """The t value with P(T <= t) = p, by bisection."""
    lo, hi = 0.0, 1000.0
    target = 2 * (1 - p)  # two-sided tail
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_two_sided_p(mid, df) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def normal_two_sided_p(z):
    return math.erfc(abs(z) / math.sqrt(2))


def mean(xs):
    return sum(xs) / len(xs)


def var(xs):
    m = mean(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def welch(a, b):
    va, vb, na, nb = var(a), var(b), len(a), len(b)
    se = math.sqrt(va / na + vb / nb)
    diff = mean(a) - mean(b)
    df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    t = diff / se
    q = t_quantile(0.975, df)
    return dict(diff=diff, t=t, df=df, p=t_two_sided_p(t, df), ci=(diff - q * se, diff + q * se))


def wilson(x, n, z=1.959963984540054):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def did_cr1(before, after, value):
    """DiD of `value(row)` with dusun clusters: the estimate and its CR1 standard error. With the
    saturated model b3 = Σ a_i y_i (a_i = ±1/n of the unit's cell), so the sandwich is
    Σ_g (Σ_{i∈g} a_i e_i)² with e_i the deviation from the cell mean."""
    cells = {}
    for post, rows in ((0, before), (1, after)):
        for r in rows:
            cells.setdefault((r[0] in TREATED, post), []).append((r[0], value(r)))
    means = {k: mean([y for _, y in v]) for k, v in cells.items()}
    est = (means[(True, 1)] - means[(True, 0)]) - (means[(False, 1)] - means[(False, 0)])
    sign = {(True, 1): 1, (True, 0): -1, (False, 1): -1, (False, 0): 1}
    per_cluster = {}
    for k, v in cells.items():
        for g, y in v:
            per_cluster[g] = per_cluster.get(g, 0.0) + sign[k] / len(v) * (y - means[k])
    n = sum(len(v) for v in cells.values())
    G = len(per_cluster)
    v = sum(x * x for x in per_cluster.values()) * G / (G - 1) * (n - 1) / (n - 4)
    se = math.sqrt(v)
    return est, se, t_two_sided_p(est / se, G - 1)


def new_id():
    return "uuid:" + str(uuid.uuid4())


class Evaluations(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.start_with_every_role(cls, OTHER_ADMIN, OTHER_PASSWORD)
        cls.dusun = {i: support.area_by_code(cls.coord, code) for i, code in D.items()}
        cls.bosen = support.area_by_code(cls.coord, support.BOSEN_CODE)
        st, _, cls.program = cls.coord.post(PROGRAMS, {"name": "Program Evaluasi", "start_date": "2025-01-01",
                                                       "end_date": "2027-12-31", "status": "active"})
        assert st == 201, cls.program
        st, _, cls.hidden = cls.coord.post(PROGRAMS, {"name": "Program Evaluasi Tertutup", "start_date": "2025-01-01",
                                                      "end_date": "2027-12-31", "status": "active"})
        assert st == 201, cls.hidden
        members = cls.admin.get(ORG + "/members")[2]["items"]
        partner_id = next(m["id"] for m in members if m["email"] == PARTNER)
        st, _, _ = cls.coord.post(PROGRAMS + "/%s/members" % cls.program["id"], {"user_id": partner_id})
        assert st == 201
        # The survey: version 1 for the baseline, version 2 for the endline.
        key = "ev_" + uuid.uuid4().hex[:8]
        cls.form_id = cls.upload(key, "1")
        for row in BASELINE:
            cls.submit(row)
        cls.upload(key, "2")
        for row in ENDLINE:
            cls.submit(row)
        st, _, versions = cls.coord.get(ORG + "/forms/%s/versions" % cls.form_id)
        assert st == 200, versions
        by = {v["version"]: v["id"] for v in versions["items"]}
        cls.v1, cls.v2 = by["1"], by["2"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    @classmethod
    def upload(cls, key, version):
        boundary = "gotong" + uuid.uuid4().hex
        data = (XFORM % {"id": key, "version": version}).encode()
        body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s.xml\"\r\n"
                "Content-Type: application/xml\r\n\r\n" % (boundary, key)).encode() + data + \
            ("\r\n--%s--\r\n" % boundary).encode()
        st, _, raw = cls.coord.raw("POST", ORG + "/forms", body, {"Content-Type": "multipart/form-data; boundary=" + boundary})
        assert st == 201, raw
        fid = json.loads(raw)["id"]
        st, _, pub = cls.coord.post(ORG + "/forms/%s/publish" % fid)
        assert st == 200, pub
        return fid

    @classmethod
    def submit(cls, row):
        dusun, water, minutes = row
        st, _, body = cls.officer.post(ORG + "/forms/%s/submissions" % cls.form_id, {
            "instance_id": new_id(), "answers": {"area": D[dusun], "water": water, "minutes": str(minutes)}})
        assert st == 201, body

    def rounds(self):
        return {"baseline": {"form_id": self.form_id, "version_ids": [self.v1]},
                "endline": {"form_id": self.form_id, "version_ids": [self.v2]}}

    def variables(self):
        return [
            {"label": "Waktu mengambil air", "label_en": "Time to fetch water", "kind": "mean", "field": "minutes",
             "unit_label": "menit", "unit_label_en": "minutes", "desired": "decrease"},
            {"label": "Rumah tangga dengan air perpipaan", "label_en": "Households with piped water",
             "kind": "proportion", "field": "water", "choice": "piped", "desired": "increase"},
        ]

    def create(self, body, program=None, client=None, status=201):
        full = {"title": "Evaluasi air bersih", **self.rounds(), "variables": self.variables()}
        full.update(body)
        st, h, e = (client or self.coord).post(PROGRAMS + "/%s/evaluations" % (program or self.program)["id"], full)
        self.assertEqual(st, status, e)
        if status == 201:
            self.assertEqual(h.get("ETag"), '"v%d"' % e["version"])
        return e

    def results(self, e, client=None):
        st, h, raw = (client or self.viewer).raw("GET", EVALS + "/%s/results" % e["id"])
        self.assertEqual(st, 200, raw)
        # Strict JSON: a NaN or an infinity would not even parse in a browser.
        r = json.loads(raw, parse_constant=lambda c: self.fail("%s in the results" % c))
        return r

    # -- results worked out by hand -------------------------------------------------------
    def test_before_after_with_comparison_dusun(self):
        e = self.create({"treatment_area_ids": [self.dusun[1]["id"], self.dusun[2]["id"]],
                         "control_area_ids": [self.dusun[3]["id"], self.dusun[4]["id"]]})
        self.assertEqual(e["cluster_level"], 5)  # the deepest compared area
        self.assertEqual([a["code"] for a in e["control_areas"]], [D[3], D[4]])
        r = self.results(e)
        self.assertTrue(r["comparison"])
        minutes, piped = r["rows"]

        tb = [m for d, _, m in BASELINE if d in TREATED]
        ta = [m for d, _, m in ENDLINE if d in TREATED]
        self.assertEqual((minutes["before"]["value"], minutes["after"]["value"]), (45, 28))
        self.assertEqual((minutes["before"]["n"], minutes["after"]["n"]), (4, 4))
        w = welch(ta, tb)
        ch = minutes["change"]
        self.assertEqual(ch["value"], -17)
        self.assertAlmostEqual(ch["t"], w["t"], places=4)
        self.assertAlmostEqual(ch["df"], w["df"], places=4)
        self.assertAlmostEqual(ch["p_value"], w["p"], delta=1e-6 + w["p"] * 1e-3)
        self.assertAlmostEqual(ch["ci"][0], w["ci"][0], places=3)
        self.assertAlmostEqual(ch["ci"][1], w["ci"][1], places=3)
        self.assertEqual(minutes["control"]["change"], -3)  # 50 → 47
        est, se, p = did_cr1(BASELINE, ENDLINE, lambda row: row[2])
        did = minutes["did"]
        self.assertEqual(did["estimate"], -14)
        self.assertAlmostEqual(est, -14)
        self.assertAlmostEqual(did["std_error"], se, places=4)
        self.assertAlmostEqual(did["p_value"], p, delta=1e-6 + p * 1e-3)
        self.assertEqual((did["clusters"], did["treated_clusters"], did["control_clusters"], did["n"]), (4, 2, 2, 16))
        self.assertEqual(did["df"], 3)
        q = t_quantile(0.975, 3)
        self.assertAlmostEqual(did["ci"][0], -14 - q * se, places=3)

        # Piped water: treated 1/4 → 3/4, comparison 1/4 → 1/4.
        self.assertEqual((piped["before"]["value"], piped["after"]["value"]), (25, 75))
        self.assertEqual((piped["before"]["count"], piped["before"]["n"]), (1, 4))
        lo, hi = wilson(1, 4)
        self.assertAlmostEqual(piped["before"]["ci"][0], 100 * lo, places=3)
        self.assertAlmostEqual(piped["before"]["ci"][1], 100 * hi, places=3)
        z = 0.5 / math.sqrt(0.5 * 0.5 * (1 / 4 + 1 / 4))
        self.assertAlmostEqual(piped["change"]["z"], z, places=4)
        self.assertAlmostEqual(piped["change"]["p_value"], normal_two_sided_p(z), places=5)
        self.assertEqual(piped["change"]["value"], 50)
        self.assertLess(piped["change"]["ci"][0], 50)
        self.assertGreater(piped["change"]["ci"][1], 50)
        self.assertEqual(piped["control"]["change"], 0)
        est, se, p = did_cr1(BASELINE, ENDLINE, lambda row: 1.0 if row[1] == "piped" else 0.0)
        self.assertEqual(piped["did"]["estimate"], 50)
        self.assertAlmostEqual(piped["did"]["std_error"], 100 * se, places=3)
        self.assertAlmostEqual(piped["did"]["p_value"], p, delta=1e-6 + p * 1e-3)

        # Sentences: plain words in both languages, figures as people write them.
        self.assertTrue(minutes["sentence"].startswith(
            "Waktu mengambil air: rata-rata 45 menit sebelum program dan 28 menit sesudahnya (turun 17 menit)."),
            minutes["sentence"])
        self.assertIn("Di wilayah pembanding yang belum mendapat program, angkanya turun 3 menit.", minutes["sentence"])
        self.assertIn("program diperkirakan menurunkan angka ini sebesar 14 menit", minutes["sentence"])
        self.assertIn("the program is estimated to have lowered it by 14 minutes", minutes["sentence_en"])
        self.assertTrue(piped["sentence_en"].startswith(
            "Households with piped water: 25% before the program and 75% after it (up 50 percentage points)."))
        self.assertIn("could happen by chance", piped["sentence_en"])  # p = 0.157
        for row in r["rows"]:
            for s in (row["sentence"], row["sentence_en"]):
                self.assertNotIn("nan", s.lower())
                self.assertNotIn("p-value", s.lower())

    def test_without_comparison_every_unit_counts(self):
        e = self.create({"title": "Tanpa pembanding"})
        self.assertIsNone(e["cluster_level"])
        r = self.results(e)
        self.assertFalse(r["comparison"])
        minutes, piped = r["rows"]
        before = [m for _, _, m in BASELINE]
        after = [m for _, _, m in ENDLINE]
        self.assertEqual((minutes["before"]["value"], minutes["after"]["value"]), (mean(before), mean(after)))
        w = welch(after, before)
        self.assertAlmostEqual(minutes["change"]["p_value"], w["p"], delta=1e-6 + w["p"] * 1e-3)
        self.assertIsNone(minutes["did"])
        self.assertEqual(minutes["group"], "all")
        # Piped: 2/8 → 4/8.
        self.assertEqual((piped["before"]["value"], piped["after"]["value"]), (25, 50))
        pooled = 6 / 16
        z = 0.25 / math.sqrt(pooled * (1 - pooled) * (1 / 8 + 1 / 8))
        self.assertAlmostEqual(piped["change"]["p_value"], normal_two_sided_p(z), places=5)

    def test_indicator_as_variable_and_date_rounds(self):
        st, _, goal = self.coord.post(PROGRAMS + "/%s/results" % self.program["id"], {"title": "Air minum aman"})
        self.assertEqual(st, 201, goal)
        st, _, ind = self.coord.post(PROGRAMS + "/%s/indicators" % self.program["id"], {
            "result_node_id": goal["id"], "title": "Rumah tangga berpipa", "measure": "percentage",
            "direction": "increase", "frequency": "quarterly", "source": "submissions",
            "computation": {"form_id": self.form_id, "calculation": "percentage", "filter": "${water} = 'piped'"}})
        self.assertEqual(st, 201, ind)
        e = self.create({"title": "Indikator", "variables": [
            {"label": "Indikator air perpipaan", "kind": "indicator", "indicator_id": ind["id"], "desired": "increase"}]})
        row = self.results(e)["rows"][0]
        self.assertEqual((row["measure"], row["before"]["value"], row["after"]["value"]), ("proportion", 25, 50))

        # Rounds by date: nothing was received in 2020, so there is nothing to compare, in words.
        e = self.create({"title": "Tanggal", "baseline": {"form_id": self.form_id, "from": "2020-01-01", "to": "2020-06-30"},
                         "endline": {"form_id": self.form_id, "from": "2020-07-01"}})
        self.assertEqual(e["baseline"]["from"], "2020-01-01")
        minutes, piped = self.results(e)["rows"]
        self.assertEqual(minutes["before"]["n"], 0)
        self.assertIsNone(minutes["before"]["value"])
        self.assertEqual(minutes["after"]["value"], mean([m for _, _, m in BASELINE + ENDLINE]))
        self.assertIsNone(minutes["change"]["value"])
        self.assertEqual(minutes["change"]["shortfall"]["key"], "statistics.empty_group")
        self.assertIn("belum ada data sebelum program", minutes["sentence"])
        self.assertIn("no data from before the program", minutes["sentence_en"])

        # Everyone alike: a proportion of 100% in both rounds cannot be tested, and says so.
        e = self.create({"title": "Semua sama", "variables": [
            {"label": "Menjawab pertanyaan menit", "kind": "proportion", "expression": "${minutes} >= 0"}]})
        row = self.results(e)["rows"][0]
        self.assertEqual((row["before"]["value"], row["after"]["value"]), (100, 100))
        self.assertEqual(row["change"]["shortfall"]["key"], "statistics.all_same_outcome")
        self.assertIn("Data belum cukup untuk menilai apakah perubahan ini nyata", row["sentence"])
        self.assertTrue(row["change"]["shortfall"]["message"])

    # -- definitions ------------------------------------------------------------------------
    def test_bad_definitions(self):
        other_form = self.upload("ev_other_" + uuid.uuid4().hex[:6], "1")
        st, _, vs = self.coord.get(ORG + "/forms/%s/versions" % other_form)
        cases = [
            ({"title": ""}, "title"),
            ({"baseline": None}, "baseline"),
            ({"baseline": {"form_id": self.form_id}}, "baseline"),
            ({"baseline": {"form_id": "999999", "version_ids": [self.v1]}}, "baseline.form_id"),
            ({"endline": {"form_id": self.form_id, "version_ids": [vs["items"][0]["id"]]}}, "endline.version_ids[0]"),
            ({"endline": {"form_id": self.form_id, "from": "2026-02-01", "to": "2026-01-01"}}, "endline.to"),
            ({"variables": [{"label": "X", "kind": "mean", "field": "nope"}]}, "variables[0].field"),
            ({"variables": [{"label": "X", "kind": "mean"}]}, "variables[0].field"),
            ({"variables": [{"label": "X", "kind": "median", "field": "minutes"}]}, "variables[0].kind"),
            ({"variables": [{"label": "X", "kind": "proportion", "expression": "${nope} = 'a'"}]}, "variables[0].expression"),
            ({"variables": [{"label": "X", "kind": "proportion", "expression": "${water} = "}]}, "variables[0].expression"),
            ({"variables": [{"label": "X", "kind": "indicator", "indicator_id": "999999"}]}, None),
            ({"treatment_area_ids": [self.dusun[1]["id"]]}, "control_area_ids"),
            ({"treatment_area_ids": [self.bosen["id"]], "control_area_ids": [self.dusun[3]["id"]]}, "control_area_ids"),
            ({"treatment_area_ids": [self.dusun[1]["id"]], "control_area_ids": [self.dusun[3]["id"]], "cluster_level": 4},
             "cluster_level"),
            ({"criteria": {"relevance": {"rating": 5}}}, "criteria.relevance.rating"),
            ({"criteria": {"beauty": {"rating": 3}}}, "criteria.beauty"),
            ({"lessons": [""]}, "lessons[0]"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                full = {"title": "Salah", **self.rounds(), "variables": self.variables()}
                full.update(body)
                if full.get("baseline") is None:
                    full.pop("baseline")
                st, _, p = self.coord.post(PROGRAMS + "/%s/evaluations" % self.program["id"], full)
                self.assertIn(st, (404, 422), p)
                if field is not None:
                    self.assertEqual(st, 422, p)
                    self.assertEqual(p["errors"][0]["field"], field, p)

    def test_criteria_lessons_if_match_audit_roles(self):
        e = self.create({"title": "Evaluasi DAC", "criteria": {
            "relevance": {"rating": 4, "evidence": ["Musdes 2025: air bersih prioritas pertama"],
                          "narrative": "Sesuai kebutuhan warga."}},
            "lessons": ["Libatkan kelompok perempuan sejak awal", {"text": "Pipa HDPE lebih awet", "category": "teknis"}]})
        self.assertEqual([k["criterion"] for k in e["criteria"]],
                         ["relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability"])
        rel = e["criteria"][0]
        self.assertEqual((rel["rating"], rel["rating_label"], rel["rating_label_en"], rel["name"]),
                         (4, "Sangat memuaskan", "Highly satisfactory", "Relevansi"))
        self.assertEqual(rel["evidence"], ["Musdes 2025: air bersih prioritas pertama"])
        self.assertIsNone(e["criteria"][1]["rating"])
        self.assertEqual(e["lessons"][1], {"text": "Pipa HDPE lebih awet", "category": "teknis"})
        path = EVALS + "/" + e["id"]

        self.assertProblem(self.coord.patch(path, {"title": "Baru"}), 428)
        self.assertProblem(self.coord.patch(path, {"title": "Baru"}, headers={"If-Match": '"v7"'}), 412)
        st, h, e2 = self.coord.patch(path, {"criteria": {"sustainability": {"rating": 2, "narrative": "Iuran belum jalan"}}},
                                     headers={"If-Match": '"v1"'})
        self.assertEqual(st, 200, e2)
        self.assertEqual(h.get("ETag"), '"v2"')
        self.assertEqual(e2["criteria"][0]["rating"], 4, "criteria not named keep theirs")
        self.assertEqual((e2["criteria"][5]["rating"], e2["criteria"][5]["rating_label"]), (2, "Kurang memuaskan"))
        self.assertEqual(len(e2["variables"]), 2)

        st, _, ref = self.viewer.get(ORG + "/evaluation-criteria")
        self.assertEqual((st, len(ref["criteria"]), len(ref["scale"])), (200, 6, 4))

        # Roles, partners, other organisations.
        self.assertProblem(self.viewer.patch(path, {"title": "X"}, headers={"If-Match": '"v2"'}), 403)
        self.assertProblem(self.viewer.post(PROGRAMS + "/%s/evaluations" % self.program["id"],
                                            {"title": "X", **self.rounds()}), 403)
        st, _, _ = self.partner.get(path)
        self.assertEqual(st, 200)
        hidden = self.create({"title": "Tertutup"}, program=self.hidden)
        self.assertProblem(self.partner.get(EVALS + "/%s" % hidden["id"]), 404)
        self.assertProblem(self.partner.get(EVALS + "/%s/results" % hidden["id"]), 404)
        self.assertProblem(self.partner.get(PROGRAMS + "/%s/evaluations" % self.hidden["id"]), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/other/evaluations/%s" % e["id"]), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/demo/evaluations/%s" % e["id"]), 404)
        st, _, page = self.viewer.get(PROGRAMS + "/%s/evaluations" % self.program["id"])
        self.assertIn(e["id"], [x["id"] for x in page["items"]])

        st, _, _ = self.coord.delete(path, headers={"If-Match": '"v2"'})
        self.assertEqual(st, 204)
        self.assertProblem(self.viewer.get(path), 404)
        log = self.admin.get(ORG + "/audit?" + urllib.parse.urlencode({"object_type": "evaluation", "object_id": e["id"]}))[2]
        self.assertEqual([x["action"] for x in log["items"]], ["evaluation.delete", "evaluation.update", "evaluation.create"])
        self.assertEqual(log["items"][1]["after"]["criteria"][5]["rating"], 2)


if __name__ == "__main__":
    unittest.main()
