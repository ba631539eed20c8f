"""Indicators: definitions (IATI measure, direction, baselines, targets, dimensions), values
computed from submissions with numbers worked out by hand (count, sum, mean, median, ratio,
percentage, distinct count; filters, periods, disaggregation by field, age band and area), kept up
to date incrementally by creates, edits, reviews, deletes and restores and equal to a full
recomputation (also on the demo household survey against a computation in Python from the JSON
export); status against targets with margin and direction; the program dashboard; values
entered by hand with their approval workflow; wrong input, roles, partners, other
organisations, stale If-Match and the audit log."""

import json
import unittest
import urllib.parse
import uuid

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
INDICATORS = ORG + "/indicators"
ENTRIES = ORG + "/indicator-entries"
OTHER_ADMIN = "admin@lain-indikator.example.org"
OTHER_PASSWORD = "lain-rahasia-3"
PARTNER = support.DEMO_USERS["partner"]

# A small household form: the numbers of its submissions are worked out by hand below.
XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
        xmlns:jr="http://openrosa.org/javarosa">
 <h:head><h:title>Indikator Kecil</h:title><model>
  <instance><rt id="%(id)s" version="1">
   <area/><visit_date/><water/><head_sex/><hh_size/><spend/>
   <member jr:template=""><m_sex/><m_age/></member>
   <meta><instanceID/><deprecatedID/></meta>
  </rt></instance>
  <bind nodeset="/rt/visit_date" type="date"/>
  <bind nodeset="/rt/hh_size" type="int"/>
  <bind nodeset="/rt/spend" type="decimal"/>
  <bind nodeset="/rt/member/m_age" type="int"/>
  <bind nodeset="/rt/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
 </model></h:head>
 <h:body>
  <input ref="/rt/area"><label>Dusun</label></input>
  <input ref="/rt/visit_date"><label>Tanggal</label></input>
  <select1 ref="/rt/water"><label>Air</label>
   <item><label>Pipa</label><value>piped</value></item><item><label>Sumur</label><value>well</value></item>
  </select1>
  <select1 ref="/rt/head_sex"><label>KK</label>
   <item><label>P</label><value>female</value></item><item><label>L</label><value>male</value></item>
  </select1>
  <input ref="/rt/hh_size"><label>Jumlah</label></input>
  <input ref="/rt/spend"><label>Belanja air</label></input>
  <group ref="/rt/member"><label>Anggota</label><repeat nodeset="/rt/member">
   <select1 ref="/rt/member/m_sex"><label>JK</label>
    <item><label>P</label><value>female</value></item><item><label>L</label><value>male</value></item>
   </select1>
   <input ref="/rt/member/m_age"><label>Umur</label></input>
  </repeat></group>
 </h:body>
</h:html>"""

D1 = "53.02.03.2003.01"
D2 = "53.02.03.2003.02"

# The households of the small form: A, B, C in 2026-Q1, D in 2026-Q2, E before the program.
HOUSEHOLDS = {
    "A": dict(area=D1, visit_date="2026-01-10", water="piped", head_sex="female", hh_size="3", spend="5000",
              member=[("female", "3"), ("male", "40"), ("female", "17")]),
    "B": dict(area=D2, visit_date="2026-02-05", water="well", head_sex="male", hh_size="2", spend="0",
              member=[("male", "65"), ("female", "62")]),
    "C": dict(area=D1, visit_date="2026-02-20", water="piped", head_sex="female", hh_size="4", spend="12500.5",
              member=[("female", "30"), ("male", "1"), ("female", "5"), ("male", "18")]),
    "D": dict(area=D2, visit_date="2026-04-02", water="piped", head_sex="male", hh_size="5", spend="2000",
              member=[("male", "45")]),
    "E": dict(area=D1, visit_date="2024-12-31", water="piped", head_sex="female", hh_size="1", spend="100",
              member=[("female", "50")]),
}


def new_id():
    return "uuid:" + str(uuid.uuid4())


def answers(h):
    a = {k: v for k, v in h.items() if k != "member"}
    a["member"] = [{"m_sex": s, "m_age": age} for s, age in h["member"]]
    return a


def multipart(fields):
    boundary = "gotong" + uuid.uuid4().hex
    out = b""
    for name, filename, ctype, data in fields:
        disp = 'form-data; name="%s"' % name + ('; filename="%s"' % filename if filename else "")
        out += ("--%s\r\nContent-Disposition: %s\r\nContent-Type: %s\r\n\r\n" % (boundary, disp, ctype)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


class SubmissionChanges:
    """Publish a new copy of XFORM, and review, bin, restore and edit a submission, as the
    coordinator (`self.coord`), each with the ETag it needs; shared with test_indicator_blocks."""

    def published_form(self, prefix):
        key = prefix + uuid.uuid4().hex[:8]
        body, ctype = multipart([("file", key + ".xml", "application/xml", (XFORM % {"id": key}).encode())])
        st, _, raw = self.coord.raw("POST", ORG + "/forms", body, {"Content-Type": ctype})
        self.assertEqual(st, 201, raw)
        fid = json.loads(raw)["id"]
        st, _, pub = self.coord.post(ORG + "/forms/%s/publish" % fid)
        self.assertEqual(st, 200, pub)
        return fid

    def submission(self, sid):
        st, h, s = self.coord.get(ORG + "/submissions/%s" % sid)
        self.assertEqual(st, 200, s)
        return s, h.get("ETag")

    def review(self, sid, state):
        _, etag = self.submission(sid)
        st, _, s = self.coord.patch(ORG + "/submissions/%s" % sid, {"state": state}, headers={"If-Match": etag})
        self.assertEqual(st, 200, s)

    def bin(self, sid, restore=False):
        _, etag = self.submission(sid)
        if restore:
            st, _, s = self.coord.post(ORG + "/submissions/%s/restore" % sid, headers={"If-Match": etag})
        else:
            st, _, s = self.coord.delete(ORG + "/submissions/%s" % sid, headers={"If-Match": etag})
        self.assertEqual(st, 200, s)

    def edit(self, sid, changes):
        s, etag = self.submission(sid)
        a = s["answers"]
        a.pop("meta", None)
        a.update(changes)
        st, _, body = self.coord.post(ORG + "/submissions/%s/edits" % sid,
                                      {"instance_id": new_id(), "answers": a, "reason": "koreksi"},
                                      headers={"If-Match": etag})
        self.assertEqual(st, 200, body)


class Indicators(SubmissionChanges, support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        support.add_org(db, "other", "Organisasi Lain")
        support.add_user(db, "other", OTHER_ADMIN, "admin", OTHER_PASSWORD, name="Admin Lain")
        cls.server = support.Server(db).start()
        cls.admin = cls.server.login(support.ADMIN)
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        cls.partner = cls.server.login(PARTNER)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.other = cls.server.login(OTHER_ADMIN, OTHER_PASSWORD)
        st, _, members = cls.admin.get(ORG + "/members")
        assert st == 200, members
        cls.user_ids = {m["email"]: m["id"] for m in members["items"]}
        st, _, forms = cls.coord.get(ORG + "/forms")
        assert st == 200, forms
        cls.demo_form = next(f["id"] for f in forms["items"] if f["xml_form_id"] == "demo_wash_household")
        cls.program = cls.make_program("Air Bersih Bosen")
        cls.goal, cls.outcome = cls.make_nodes(cls.program)
        st, _, m = cls.coord.post(PROGRAMS + "/%s/members" % cls.program["id"], {"user_id": cls.user_ids[PARTNER]})
        assert st == 201, m
        cls.hidden = cls.make_program("Program Tertutup")
        cls.hidden_goal, cls.hidden_outcome = cls.make_nodes(cls.hidden)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    @classmethod
    def make_program(cls, name, start="2025-01-01", end="2026-12-31"):
        st, _, p = cls.coord.post(PROGRAMS, {"name": name, "start_date": start, "end_date": end, "status": "active"})
        assert st == 201, p
        return p

    @classmethod
    def make_nodes(cls, program):
        st, _, goal = cls.coord.post(PROGRAMS + "/%s/results" % program["id"], {"title": "Air minum aman"})
        assert st == 201, goal
        st, _, outcome = cls.coord.post(PROGRAMS + "/%s/results" % program["id"],
                                        {"title": "Rumah tangga memakai air perpipaan", "parent_id": goal["id"]})
        assert st == 201, outcome
        return goal, outcome

    def small_form(self):
        """A new small form with households A–E submitted; returns (form id, {name: submission id})."""
        fid = self.published_form("ind_")
        ids = {name: self.submit(fid, h) for name, h in HOUSEHOLDS.items()}
        return fid, ids

    def submit(self, fid, household, client=None):
        st, _, body = (client or self.officer).post(ORG + "/forms/%s/submissions" % fid,
                                                    {"instance_id": new_id(), "answers": answers(household)})
        self.assertEqual(st, 201, body)
        return body["id"]

    def create(self, body, program=None, client=None, status=201):
        full = {"result_node_id": (program or {}).get("node", self.outcome["id"]), "title": "Indikator",
                "measure": "unit", "direction": "increase", "frequency": "quarterly", "source": "submissions"}
        full.update(body)
        pid = (program or self.program)["id"]
        st, h, ind = (client or self.coord).post(PROGRAMS + "/%s/indicators" % pid, full)
        self.assertEqual(st, status, ind)
        if status == 201:
            self.assertEqual(h.get("ETag"), '"v%d"' % ind["version"])
        return ind

    def computed(self, fid, calculation, **extra):
        c = {"form_id": fid, "calculation": calculation}
        c.update(extra)
        return c

    def values(self, ind, client=None):
        st, _, v = (client or self.viewer).get(INDICATORS + "/%s/values" % ind["id"])
        self.assertEqual(st, 200, v)
        return v

    def period(self, values, key):
        return next(p for p in values["periods"] if p["period"] == key)

    def recompute_is_idle(self, ind):
        """A full recomputation finds every incrementally kept aggregate as it computes it."""
        before = self.values(ind)
        st, _, r = self.coord.post(INDICATORS + "/%s/recompute" % ind["id"])
        self.assertEqual(st, 200, r)
        self.assertEqual(r["differences"], 0, r)
        after = self.values(ind)
        before.pop("computed_at")
        after.pop("computed_at")
        self.assertEqual(before, after)
        return r

    def audit(self, **filters):
        st, _, log = self.admin.get(ORG + "/audit?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    # -- computed indicators, numbers by hand ---------------------------------------------
    def test_percentage_by_sex_and_dusun_with_targets_and_status(self):
        fid, _ = self.small_form()
        ind = self.create({
            "code": "1.1", "title": "Rumah tangga dengan air perpipaan", "measure": "percentage", "unit_label": "%",
            "computation": self.computed(fid, "percentage", filter="${water} = 'piped'", period_field="visit_date"),
            "dimensions": [{"name": "sex", "kind": "field", "field": "head_sex"},
                           {"name": "dusun", "kind": "area", "level": 5}],
            "baselines": [{"value": 40, "date": "2025-03-31"}, {"cell": {"sex": "female"}, "value": 45, "date": "2025-03-31"}],
            "targets": [{"period": "2026-Q1", "value": 60}, {"period": "2026-Q2", "value": 95}, {"period": "LOP", "value": 70}]})
        self.assertEqual(ind["level"], "Outcome")
        self.assertEqual(ind["computation"]["unit"], "submission")
        self.assertFalse(ind["needs_recompute"])
        v = self.values(ind)
        self.assertEqual([p["period"] for p in v["periods"]],
                         ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        q1 = self.period(v, "2026-Q1")
        # A (piped), B (well), C (piped): 2 of 3; target 60 ± 6 → ahead.
        self.assertEqual((q1["value"], q1["units"], q1["count"]), (66.6667, 3, 2))
        self.assertEqual((q1["target"], q1["status"], q1["start"], q1["end"]), (60, "ahead", "2026-01-01", "2026-03-31"))
        self.assertEqual(q1["by_dimension"]["sex"], [{"key": "female", "value": 100, "units": 2, "count": 2},
                                                      {"key": "male", "value": 0, "units": 1, "count": 0}])
        self.assertEqual(q1["by_dimension"]["dusun"], [{"key": D1, "value": 100, "units": 2, "count": 2},
                                                        {"key": D2, "value": 0, "units": 1, "count": 0}])
        self.assertEqual(q1["cells"], [{"cell": {"sex": "female", "dusun": D1}, "value": 100, "units": 2, "count": 2},
                                       {"cell": {"sex": "male", "dusun": D2}, "value": 0, "units": 1, "count": 0}])
        q2 = self.period(v, "2026-Q2")
        self.assertEqual((q2["value"], q2["target"], q2["status"]), (100, 95, "on_track"))  # 95 ± 9.5
        # E (2024) is before the program; no household in 2025: no data, and no target there.
        q = self.period(v, "2025-Q1")
        self.assertEqual((q["value"], q["has_data"], q["status"]), (None, False, None))
        self.assertEqual(v["life_of_program"]["value"], 75)  # 3 of 4
        self.assertEqual((v["life_of_program"]["target"], v["life_of_program"]["status"]), (70, "on_track"))
        self.assertEqual(v["latest"], {"period": "2026-Q2", "value": 100, "target": 95, "status": "on_track"})
        self.assertEqual(v["baseline"], {"value": 40, "date": "2025-03-31", "narrative": ""})
        self.recompute_is_idle(ind)

    def test_counts_sums_means_medians_ratios_distinct_counts(self):
        fid, _ = self.small_form()
        # Members under five, by sex, counted up over the years.
        under5 = self.create({"computation": self.computed(fid, "count", unit="member", filter="${m_age} < 5",
                                                           period_field="visit_date"),
                              "frequency": "yearly", "aggregation": "cumulative",
                              "dimensions": [{"name": "sex", "kind": "field", "field": "m_sex"}]})
        v = self.values(under5)
        self.assertEqual(self.period(v, "2025")["value"], None)
        y = self.period(v, "2026")
        self.assertEqual(y["value"], 2)  # A's girl of 3, C's boy of 1 (C's girl of 5 is not under five)
        self.assertEqual([(d["key"], d["value"]) for d in y["by_dimension"]["sex"]], [("female", 1), ("male", 1)])
        # Water spending of households with piped water: A 5000, C 12500.5, D 2000.
        total = self.create({"computation": self.computed(fid, "sum", value_field="spend", filter="${water} = 'piped'",
                                                          period_field="visit_date"), "frequency": "yearly"})
        self.assertEqual(self.period(self.values(total), "2026")["value"], 19500.5)
        mean = self.create({"computation": self.computed(fid, "mean", value_field="spend", filter="${water} = 'piped'",
                                                         period_field="visit_date"), "frequency": "yearly"})
        self.assertEqual(self.period(self.values(mean), "2026")["value"], 6500.1667)
        # Ages 1 3 5 17 18 30 40 45 62 65: the median is (18 + 30) / 2.
        median = self.create({"computation": self.computed(fid, "median", unit="member", value_field="m_age",
                                                           period_field="visit_date"), "frequency": "life_of_program"})
        mv = self.values(median)
        self.assertEqual([p["period"] for p in mv["periods"]], ["LOP"])
        self.assertEqual(mv["periods"][0]["value"], 24)
        self.assertEqual(mv["life_of_program"]["value"], 24)
        # Spending per household member: 19500.5 / 14.
        ratio = self.create({"computation": self.computed(fid, "ratio", value_field="spend", denominator_field="hh_size",
                                                          period_field="visit_date"), "frequency": "life_of_program"})
        self.assertEqual(self.values(ratio)["life_of_program"]["value"], 1392.8929)
        distinct = self.create({"computation": self.computed(fid, "distinct_count", value_field="area",
                                                             period_field="visit_date"), "frequency": "quarterly"})
        dv = self.values(distinct)
        self.assertEqual((self.period(dv, "2026-Q1")["value"], self.period(dv, "2026-Q2")["value"]), (2, 1))
        self.assertEqual(dv["life_of_program"]["value"], 2)
        # Members by age band over the whole program.
        bands = self.create({"computation": self.computed(fid, "count", unit="member", period_field="visit_date"),
                             "frequency": "life_of_program",
                             "dimensions": [{"name": "age", "kind": "age_band", "field": "m_age", "bands": [5, 18, 60]}]})
        self.assertEqual(bands["dimensions"][0]["labels"], ["0-4", "5-17", "18-59", "60+"])
        lop = self.values(bands)["periods"][0]
        self.assertEqual([(d["key"], d["value"]) for d in lop["by_dimension"]["age"]],
                         [("0-4", 2), ("18-59", 4), ("5-17", 2), ("60+", 2)])  # sorted as text
        for ind in (under5, total, mean, median, ratio, distinct, bands):
            self.recompute_is_idle(ind)

    def test_every_change_of_a_submission_updates_the_values_at_once(self):
        fid, ids = self.small_form()
        ind = self.create({"measure": "percentage",
                           "computation": self.computed(fid, "percentage", filter="${water} = 'piped'",
                                                        period_field="visit_date")})
        median = self.create({"computation": self.computed(fid, "median", unit="member", value_field="m_age",
                                                           period_field="visit_date")})

        def q1():
            p = self.period(self.values(ind), "2026-Q1")
            return p["value"], p["units"], p["count"]

        def q1_median():
            return self.period(self.values(median), "2026-Q1")["value"]

        self.assertEqual(q1(), (66.6667, 3, 2))
        self.assertEqual(q1_median(), 18)  # 1 3 5 17 18 30 40 62 65
        f = dict(area=D1, visit_date="2026-03-01", water="well", head_sex="female", hh_size="2", spend="0",
                 member=[("female", "80"), ("male", "81")])
        fid_f = self.submit(fid, f)
        self.assertEqual(q1(), (50, 4, 2))
        self.assertEqual(q1_median(), 30)  # 1 3 5 17 18 30 40 62 65 80 81
        self.review(fid_f, "rejected")  # rejected: never counted
        self.assertEqual(q1(), (66.6667, 3, 2))
        self.review(fid_f, "approved")
        self.assertEqual(q1(), (50, 4, 2))
        self.bin(fid_f)  # deleted: out
        self.assertEqual(q1(), (66.6667, 3, 2))
        self.bin(fid_f, restore=True)
        self.assertEqual(q1(), (50, 4, 2))
        self.edit(fid_f, {"water": "piped"})  # an edit counts the new content instead of the old
        self.assertEqual(q1(), (75, 4, 3))
        self.edit(ids["B"], {"visit_date": "2026-05-05"})  # moved to the next quarter
        self.assertEqual(q1(), (100, 3, 3))
        self.assertEqual(self.period(self.values(ind), "2026-Q2")["value"], 50)
        self.assertEqual(q1_median(), 18)  # B's members (65, 62) moved out, F's (80, 81) in
        self.recompute_is_idle(ind)
        self.recompute_is_idle(median)

    # -- the demo household survey --------------------------------------------------------
    def demo_indicators(self):
        dims = [{"name": "sex", "kind": "field", "field": "head_sex"}, {"name": "dusun", "kind": "area", "level": 5}]
        fid = self.demo_form
        specs = [
            {"title": "Basic water", "measure": "percentage", "frequency": "yearly",
             "computation": self.computed(fid, "percentage", filter="${water_ladder} = 'basic'",
                                          denominator_filter="${consent} = 'yes'", period_field="visit_date"),
             "dimensions": dims},
            {"title": "Children under five", "frequency": "quarterly", "aggregation": "cumulative",
             "computation": self.computed(fid, "count", unit="member", filter="${m_age} < 5 and ${consent} = 'yes'",
                                          period_field="visit_date"),
             "dimensions": [{"name": "sex", "kind": "field", "field": "m_sex"},
                            {"name": "age", "kind": "age_band", "field": "m_age", "bands": [1, 2, 5]}]},
            {"title": "Minutes to fetch water", "frequency": "monthly",
             "computation": self.computed(fid, "mean", value_field="water_time", period_field="visit_date"),
             "dimensions": dims},
            {"title": "Median water spending", "frequency": "yearly",
             "computation": self.computed(fid, "median", value_field="water_spend", period_field="visit_date",
                                          include_has_issues=True), "dimensions": dims},
            {"title": "Children with diarrhoea per child", "frequency": "yearly", "measure": "percentage",
             "direction": "decrease",
             "computation": self.computed(fid, "ratio", value_field="diarrhoea_children", denominator_field="n_under5",
                                          filter="${round} = 'endline' or ${round} = 'baseline'", period_field="visit_date")},
            {"title": "Enumerators at work", "frequency": "quarterly",
             "computation": self.computed(fid, "distinct_count", value_field="enumerator")},
            {"title": "Members with a disability (engine filter)", "frequency": "yearly",
             "computation": self.computed(fid, "count", unit="member",
                                          filter="count(../member[m_disability = '1']) >= 1 and ${m_disability} = '1'",
                                          period_field="visit_date")},
        ]
        return [self.create(s) for s in specs]

    def test_demo_survey_incremental_equals_recomputation(self):
        made = self.demo_indicators()
        st, _, page = self.coord.get(ORG + "/submissions?form=%s&limit=40" % self.demo_form)
        self.assertEqual(st, 200, page)
        subs = page["items"]
        # Rejections, approvals, deletes, restores and edits of demo submissions, and new ones.
        self.review(subs[0]["id"], "rejected")
        self.review(subs[1]["id"], "rejected")
        self.review(subs[1]["id"], "approved")
        self.bin(subs[2]["id"])
        self.bin(subs[3]["id"])
        self.bin(subs[3]["id"], restore=True)
        for s in subs[4:8]:
            self.edit(s["id"], {"visit_date": "2026-09-15"})
        for s in subs[8:10]:
            detail, _ = self.submission(s["id"])
            water = detail["answers"].get("water") or {}
            water["water_source"] = "surface"
            water["water_ladder"] = "surface_water"
            self.edit(s["id"], {"water": water})
        for s in subs[10:13]:
            detail, _ = self.submission(s["id"])
            a = detail["answers"]
            a.pop("meta", None)
            a["visit_date"] = "2026-10-01"
            st, _, body = self.officer.post(ORG + "/forms/%s/submissions" % self.demo_form,
                                            {"instance_id": new_id(), "answers": a})
            self.assertEqual(st, 201, body)
        for ind in made:
            r = self.recompute_is_idle(ind)
            self.assertGreater(r["submissions"], 2000)
        self.check_against_export(made[0])

    def check_against_export(self, ind):
        """The percentage of households with basic water per year and dusun, computed here from the
        JSON export, is what the indicator shows."""
        st, _, raw = self.coord.raw("GET", ORG + "/forms/%s/export.json" % self.demo_form)
        self.assertEqual(st, 200)
        expected = {}
        for doc in json.loads(raw):
            if doc["__system"]["reviewState"] not in ("received", "approved"):
                continue
            date = str(doc.get("visit_date") or "")
            if not ("2025-01-01" <= date[:10] <= "2026-12-31") or doc.get("consent") != "yes":
                continue
            key = (date[:4], doc.get("area"))
            basic = (doc.get("water") or {}).get("water_ladder") == "basic"
            n, total = expected.get(key, (0, 0))
            expected[key] = (n + basic, total + 1)
        v = self.values(ind)
        got = {}
        for p in v["periods"]:
            for d in p["by_dimension"]["dusun"]:
                got[(p["period"], d["key"])] = (d["count"], d["units"])
        self.assertEqual(len(expected), 8)  # two years, four dusun
        self.assertEqual(got, expected)
        for p in v["periods"]:
            n = sum(e[0] for k, e in expected.items() if k[0] == p["period"])
            total = sum(e[1] for k, e in expected.items() if k[0] == p["period"])
            self.assertEqual(p["value"], round(100.0 * n / total, 4))

    def test_concurrent_submissions_all_count(self):
        fid, _ = self.small_form()
        ind = self.create({"computation": self.computed(fid, "count", unit="member", period_field="visit_date"),
                           "frequency": "yearly", "dimensions": [{"name": "sex", "kind": "field", "field": "m_sex"}]})
        before = self.period(self.values(ind), "2026")["value"]
        household = dict(HOUSEHOLDS["A"])

        def post(i):
            c = self.server.login(support.FIELD_OFFICER)
            for _ in range(5):
                self.submit(fid, household, client=c)
            c.close()

        support.in_threads(6, post)
        self.assertEqual(self.period(self.values(ind), "2026")["value"], before + 6 * 5 * 3)
        self.recompute_is_idle(ind)

    # -- status, direction, margin, the dashboard ------------------------------------------
    def test_status_follows_direction_and_margin(self):
        fid, _ = self.small_form()
        # Q1: 2 of 3 households have piped water (66.67 %).
        ind = self.create({"measure": "percentage", "targets": [{"period": "2026-Q1", "value": 70}],
                           "computation": self.computed(fid, "percentage", filter="${water} = 'piped'",
                                                        period_field="visit_date")})

        def status():
            return self.period(self.values(ind), "2026-Q1")["status"]

        def patch(body):
            st, h, got = self.coord.get(INDICATORS + "/%s" % ind["id"])
            st, _, got = self.coord.patch(INDICATORS + "/%s" % ind["id"], body, headers={"If-Match": h.get("ETag")})
            self.assertEqual(st, 200, got)
            return got

        self.assertEqual(status(), "on_track")  # 70 ± 7
        patch({"margin_percent": 4})
        self.assertEqual(status(), "behind")  # 70 ± 2.8
        patch({"direction": "decrease"})
        self.assertEqual(status(), "ahead")  # fewer than planned is better
        patch({"direction": "maintain"})
        self.assertEqual(status(), "behind")
        patch({"margin_percent": 5, "direction": "increase"})
        self.assertEqual(status(), "on_track")  # 70 ± 3.5

    def test_dashboard_lists_every_indicator_with_its_latest_value(self):
        program = self.make_program("Program Dasbor")
        goal, outcome = self.make_nodes(program)
        fid, _ = self.small_form()
        ind = self.create({"code": "A1", "measure": "percentage",
                           "computation": self.computed(fid, "percentage", filter="${water} = 'piped'",
                                                        period_field="visit_date"),
                           "targets": [{"period": "2026-Q2", "value": 100}, {"period": "LOP", "value": 80}],
                           "baselines": [{"value": 50, "date": "2025-01-15"}]},
                          program={"id": program["id"], "node": outcome["id"]})
        manual = self.create({"code": "B1", "source": "manual", "title": "Pertemuan", "frequency": "yearly",
                              "targets": [{"period": "2026", "value": 4}]},
                             program={"id": program["id"], "node": goal["id"]})
        st, _, dash = self.viewer.get(PROGRAMS + "/%s/dashboard" % program["id"])
        self.assertEqual(st, 200, dash)
        self.assertEqual(dash["program"]["name"], "Program Dasbor")
        self.assertEqual([i["code"] for i in dash["indicators"]], ["B1", "A1"])  # Goal before Outcome
        a1 = dash["indicators"][1]
        self.assertEqual(a1["latest"], {"period": "2026-Q2", "value": 100, "target": 100, "status": "on_track"})
        self.assertEqual(a1["life_of_program"], {"period": "LOP", "value": 75, "target": 80, "status": "on_track"})
        self.assertEqual((a1["status"], a1["level"], a1["baseline"]["value"]), ("on_track", "Outcome", 50))
        b1 = dash["indicators"][0]
        self.assertEqual((b1["latest"], b1["status"], b1["level"]), (None, "no_data", "Goal"))
        self.assertEqual(ind["id"], a1["id"])
        self.assertEqual(manual["id"], b1["id"])

    # -- values entered by hand ---------------------------------------------------------------
    def test_values_entered_by_hand_go_through_approval(self):
        ind = self.create({"source": "manual", "title": "Kader terlatih", "frequency": "quarterly",
                           "aggregation": "cumulative",
                           "dimensions": [{"name": "sex", "kind": "list", "values": ["female", "male"]}],
                           "targets": [{"period": "2026-Q1", "value": 10}, {"period": "2026-Q2", "value": 20}]})
        url = INDICATORS + "/%s/entries" % ind["id"]
        self.assertProblem(self.viewer.post(url, {"period": "2026-Q1", "value": 12}), 403)
        st, h, e = self.officer.post(url, {"period": "2026-Q1", "value": 12, "note": "dari daftar hadir"})
        self.assertEqual(st, 201, e)
        self.assertEqual((e["state"], e["value"], e["cell"]), ("draft", 12, {}))
        st, h2, cell = self.officer.post(url, {"period": "2026-Q1", "cell": {"sex": "female"}, "value": 7})
        self.assertEqual(st, 201, cell)
        self.assertProblem(self.officer.post(url, {"period": "2026-Q1", "value": 3}), 409)  # one value per cell
        # Not counted before approval.
        self.assertEqual(self.period(self.values(ind), "2026-Q1")["value"], None)
        st, h, e = self.officer.post(ENTRIES + "/%s/submit" % e["id"], headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, e["state"]), (200, "submitted"), e)
        self.assertProblem(self.officer.post(ENTRIES + "/%s/approve" % e["id"], headers={"If-Match": h.get("ETag")}), 403)
        self.assertProblem(self.officer.patch(ENTRIES + "/%s" % e["id"], {"value": 13}, headers={"If-Match": h.get("ETag")}), 409)
        self.assertProblem(self.coord.post(ENTRIES + "/%s/return" % e["id"], {"reason": "  "},
                                           headers={"If-Match": h.get("ETag")}), 422)
        st, h, e = self.coord.post(ENTRIES + "/%s/return" % e["id"], {"reason": "Hitung ulang peserta hari kedua"},
                                   headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, e["state"], e["return_reason"]), (200, "returned", "Hitung ulang peserta hari kedua"), e)
        st, h, e = self.officer.patch(ENTRIES + "/%s" % e["id"], {"value": 14}, headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, e["state"], e["value"]), (200, "draft", 14), e)
        st, h, e = self.officer.post(ENTRIES + "/%s/submit" % e["id"], headers={"If-Match": h.get("ETag")})
        self.assertEqual(st, 200, e)
        self.assertProblem(self.coord.post(ENTRIES + "/%s/approve" % e["id"], headers={"If-Match": '"v1"'}), 412)
        st, h, e = self.coord.post(ENTRIES + "/%s/approve" % e["id"], headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, e["state"], e["reviewed_by"]["name"]), (200, "approved", "Maria Tefa (Koordinator)"), e)
        self.assertProblem(self.officer.delete(ENTRIES + "/%s" % e["id"], headers={"If-Match": h.get("ETag")}), 409)
        # Q1: 14 of target 10 → ahead; Q2 carries the 14 over (cumulative): 20 ± 2 → behind.
        v = self.values(ind)
        q1, q2 = self.period(v, "2026-Q1"), self.period(v, "2026-Q2")
        self.assertEqual((q1["value"], q1["status"]), (14, "ahead"))
        self.assertEqual((q2["value"], q2["status"]), (14, "behind"))
        self.assertEqual(q1["cells"], [])  # the female cell is still a draft
        self.assertEqual(v["life_of_program"]["value"], 14)
        self.assertEqual(v["latest"]["period"], "2026-Q1")
        st, _, listing = self.viewer.get(url + "?state=draft")
        self.assertEqual([x["cell"] for x in listing["items"]], [{"sex": "female"}])
        # Every step is in the audit log.
        actions = [a["action"] for a in self.audit(object_type="indicator_entry", object_id=e["id"])]
        self.assertEqual(actions[::-1], ["indicator_entry.create", "indicator_entry.submit", "indicator_entry.return",
                                         "indicator_entry.update", "indicator_entry.submit",
                                         "indicator_entry.approve"])
        # The draft can be deleted by whoever enters values.
        self.assertEqual(self.officer.delete(ENTRIES + "/%s" % cell["id"], headers={"If-Match": h2.get("ETag")})[0], 204)

    def test_wrong_entries(self):
        ind = self.create({"source": "manual", "measure": "percentage", "frequency": "yearly",
                           "dimensions": [{"name": "sex", "kind": "list", "values": ["female", "male"]}]})
        url = INDICATORS + "/%s/entries" % ind["id"]
        cases = [({"period": "2027", "value": 10}, "period"),             # after the program
                 ({"period": "2026-Q1", "value": 10}, "period"),          # not a year
                 ({"value": 10}, "period"),
                 ({"period": "2026"}, "value"),
                 ({"period": "2026", "value": 120}, "value"),             # a percentage
                 ({"period": "2026", "value": "banyak"}, "value"),
                 ({"period": "2026", "value": 5, "cell": {"age": "0-4"}}, "cell.age"),
                 ({"period": "2026", "value": 5, "cell": {"sex": "other"}}, "cell.sex")]
        for body, field in cases:
            with self.subTest(body=body):
                e = self.assertProblem(self.officer.post(url, body), 422)
                self.assertEqual([x["field"] for x in e["errors"]], [field])
        fid, _ = self.small_form()
        computed = self.create({"computation": self.computed(fid, "count")})
        self.assertProblem(self.officer.post(INDICATORS + "/%s/entries" % computed["id"], {"period": "2026-Q1", "value": 1}), 409)
        self.assertProblem(self.coord.post(INDICATORS + "/%s/recompute" % ind["id"]), 409)

    # -- definitions -------------------------------------------------------------------------
    def test_wrong_definitions(self):
        fid, _ = self.small_form()
        st, _, other_form = self.other.get("/api/v1/orgs/other/forms")
        good = self.computed(fid, "percentage", filter="${water} = 'piped'")
        cases = [
            ({"computation": self.computed(fid, "percentage", filter="${water} = 'piped"), "measure": "percentage"},
             "computation.filter"),  # does not parse
            ({"computation": self.computed(fid, "percentage", filter="${water_source} = 'piped'"), "measure": "percentage"},
             "computation.filter"),  # no such field
            ({"computation": self.computed(fid, "count", filter="${visit_date} > today()")}, "computation.filter"),
            ({"computation": self.computed(fid, "sum", value_field="water")}, "computation.value_field"),
            ({"computation": self.computed(fid, "sum")}, "computation.value_field"),
            ({"computation": self.computed(fid, "sum", value_field="m_age")}, "computation.value_field"),
            ({"computation": self.computed(fid, "count", unit="anggota")}, "computation.unit"),
            ({"computation": self.computed(fid, "count", period_field="water")}, "computation.period_field"),
            ({"computation": self.computed(fid, "average")}, "computation.calculation"),
            ({"computation": self.computed(999999, "count")}, "computation.form_id"),
            ({"computation": good}, "measure"),  # a percentage measured as a unit
            ({"computation": good, "measure": "percentage", "targets": [{"period": "2027-Q1", "value": 50}]},
             "targets[0].period"),  # a target outside the program
            ({"computation": good, "measure": "percentage", "targets": [{"period": "2026-03", "value": 50}]},
             "targets[0].period"),  # a month for a quarterly indicator
            ({"computation": good, "measure": "percentage", "targets": [{"period": "2026-Q1", "value": 150}]},
             "targets[0].value"),
            ({"computation": good, "measure": "percentage",
              "targets": [{"period": "2026-Q1", "value": 50}, {"period": "2026-Q1", "value": 60}]}, "targets[1].period"),
            ({"computation": good, "measure": "percentage", "baselines": [{"value": 30}]}, "baselines[0].date"),
            ({"computation": good, "measure": "percentage",
              "baselines": [{"value": 30, "date": "2025-01-01", "cell": {"dusun": "x"}}]}, "baselines[0].cell.dusun"),
            ({"computation": good, "measure": "percentage",
              "dimensions": [{"name": "sex", "kind": "list", "values": ["f"]}]}, "dimensions[0].kind"),
            ({"computation": good, "measure": "percentage",
              "dimensions": [{"name": "sex", "kind": "field", "field": "m_sex"}]}, "dimensions[0].field"),
            ({"computation": good, "measure": "percentage",
              "dimensions": [{"name": "age", "kind": "age_band", "field": "hh_size", "bands": [5, 3]}]},
             "dimensions[0].bands"),
            ({"computation": good, "measure": "percentage", "frequency": "weekly"}, "frequency"),
            ({"computation": good, "measure": "percentage", "direction": "ascending"}, "direction"),
            ({"computation": good, "measure": "percentage", "margin_percent": 150}, "margin_percent"),
            ({"source": "attendance"}, "attendance"),  # what it counts is required
            ({"source": "manual", "computation": good}, "computation"),
            ({"source": "submissions"}, "computation"),
            ({"source": "manual", "result_node_id": self.hidden_outcome["id"]}, "result_node_id"),
            ({"source": "manual", "responsible_user_id": "999999"}, "responsible_user_id"),
            ({"source": "manual", "title": " "}, "title"),
        ]
        if other_form["items"]:
            cases.append(({"computation": self.computed(other_form["items"][0]["id"], "count")}, "computation.form_id"))
        for body, field in cases:
            with self.subTest(field=field, body=body):
                e = self.assertProblem(self.coord.post(PROGRAMS + "/%s/indicators" % self.program["id"],
                                                       dict({"result_node_id": self.outcome["id"], "title": "Salah",
                                                             "measure": "unit", "direction": "increase",
                                                             "frequency": "quarterly", "source": "submissions"}, **body)),
                                       422)
                self.assertEqual([x["field"] for x in e["errors"]], [field])
        ok = self.create({"code": "DUP", "source": "manual"})
        self.assertProblem(self.coord.post(PROGRAMS + "/%s/indicators" % self.program["id"],
                                           {"result_node_id": self.outcome["id"], "title": "Lagi", "code": "DUP",
                                            "measure": "unit", "direction": "increase", "frequency": "yearly",
                                            "source": "manual"}), 409)
        self.assertEqual(ok["code"], "DUP")

    def test_changing_the_computation_recomputes(self):
        fid, _ = self.small_form()
        ind = self.create({"computation": self.computed(fid, "count", filter="${water} = 'piped'",
                                                        period_field="visit_date")})
        self.assertEqual(self.period(self.values(ind), "2026-Q1")["value"], 2)
        st, h, _ = self.coord.get(INDICATORS + "/%s" % ind["id"])
        st, h, changed = self.coord.patch(INDICATORS + "/%s" % ind["id"],
                                          {"computation": self.computed(fid, "count", filter="${water} = 'well'",
                                                                        period_field="visit_date")},
                                          headers={"If-Match": h.get("ETag")})
        self.assertEqual(st, 200, changed)
        self.assertEqual(self.period(self.values(ind), "2026-Q1")["value"], 1)
        # A new title leaves the values alone.
        st, h, renamed = self.coord.patch(INDICATORS + "/%s" % ind["id"], {"title": "Sumur"}, headers={"If-Match": h.get("ETag")})
        self.assertEqual((st, renamed["computed_at"]), (200, changed["computed_at"]), renamed)
        self.assertProblem(self.coord.patch(INDICATORS + "/%s" % ind["id"], {"source": "manual"},
                                            headers={"If-Match": h.get("ETag")}), 422)
        # Stale and missing If-Match.
        self.assertProblem(self.coord.patch(INDICATORS + "/%s" % ind["id"], {"title": "X"}, headers={"If-Match": '"v1"'}), 412)
        self.assertProblem(self.coord.patch(INDICATORS + "/%s" % ind["id"], {"title": "X"}), 428)
        self.assertProblem(self.coord.delete(INDICATORS + "/%s" % ind["id"], headers={"If-Match": '"v1"'}), 412)
        # Deleted: gone from the program, its values too.
        self.assertEqual(self.coord.delete(INDICATORS + "/%s" % ind["id"], headers={"If-Match": h.get("ETag")})[0], 204)
        self.assertProblem(self.viewer.get(INDICATORS + "/%s" % ind["id"]), 404)
        self.assertProblem(self.viewer.get(INDICATORS + "/%s/values" % ind["id"]), 404)
        st, _, listing = self.viewer.get(PROGRAMS + "/%s/indicators" % self.program["id"])
        self.assertNotIn(ind["id"], [i["id"] for i in listing["items"]])
        actions = [a["action"] for a in self.audit(object_type="indicator", object_id=ind["id"])]
        self.assertEqual(actions[::-1], ["indicator.create", "indicator.update", "indicator.update", "indicator.delete"])
        log = self.audit(object_type="indicator", object_id=ind["id"], action="indicator.update")
        self.assertEqual(log[-1]["before"]["computation"]["filter"], "${water} = 'piped'")
        self.assertEqual(log[-1]["after"]["computation"]["filter"], "${water} = 'well'")

    def test_recompute_is_audited(self):
        fid, _ = self.small_form()
        ind = self.create({"computation": self.computed(fid, "count", period_field="visit_date")})
        r = self.recompute_is_idle(ind)
        self.assertEqual((r["submissions"], r["rows"]), (5, 2))  # E is before the program: 2026-Q1 and Q2
        entry = self.audit(object_type="indicator", object_id=ind["id"], action="indicator.recompute")[0]
        self.assertEqual(entry["after"]["differences"], 0)

    # -- roles, partners, other organisations -------------------------------------------------
    def test_roles_partners_and_other_organisations(self):
        fid, _ = self.small_form()
        ind = self.create({"source": "manual", "frequency": "yearly"})
        hidden = self.create({"source": "manual", "frequency": "yearly"},
                             program={"id": self.hidden["id"], "node": self.hidden_outcome["id"]})
        body = {"result_node_id": self.outcome["id"], "title": "X", "measure": "unit", "direction": "increase",
                "frequency": "yearly", "source": "manual"}
        for who in (self.viewer, self.officer, self.partner):
            self.assertProblem(who.post(PROGRAMS + "/%s/indicators" % self.program["id"], body), 403)
            self.assertProblem(who.patch(INDICATORS + "/%s" % ind["id"], {"title": "Y"}, headers={"If-Match": '"v1"'}), 403)
            self.assertProblem(who.delete(INDICATORS + "/%s" % ind["id"], headers={"If-Match": '"v1"'}), 403)
            self.assertProblem(who.post(INDICATORS + "/%s/recompute" % ind["id"]), 403)
        # The partner sees the shared program's indicators, not the others'.
        st, _, got = self.partner.get(INDICATORS + "/%s" % ind["id"])
        self.assertEqual(st, 200, got)
        self.assertEqual(self.partner.get(PROGRAMS + "/%s/dashboard" % self.program["id"])[0], 200)
        for path in (INDICATORS + "/%s" % hidden["id"], INDICATORS + "/%s/values" % hidden["id"],
                     INDICATORS + "/%s/entries" % hidden["id"], PROGRAMS + "/%s/indicators" % self.hidden["id"],
                     PROGRAMS + "/%s/dashboard" % self.hidden["id"]):
            self.assertProblem(self.partner.get(path), 404, path)
        self.assertProblem(self.partner.post(INDICATORS + "/%s/entries" % hidden["id"], {"period": "2026", "value": 1}), 404)
        st, h, e = self.partner.post(INDICATORS + "/%s/entries" % ind["id"], {"period": "2026", "value": 3})
        self.assertEqual(st, 201, e)
        # Another organisation sees nothing of this one.
        other = "/api/v1/orgs/other"
        for path in (other + "/indicators/%s" % ind["id"], other + "/indicators/%s/values" % ind["id"],
                     other + "/programs/%s/dashboard" % self.program["id"],
                     other + "/programs/%s/indicators" % self.program["id"],
                     other + "/indicator-entries/%s" % e["id"]):
            self.assertProblem(self.other.get(path), 404, path)
        self.assertProblem(self.other.get(INDICATORS + "/%s" % ind["id"]), 404)
        self.assertProblem(self.other.post(other + "/indicators/%s/recompute" % ind["id"]), 404)


@unittest.skipUnless(support.POSTGRES, "several app servers share one PostgreSQL database")
class TwoServers(support.ServerTestCase):
    """Two servers receive submissions of one form at once (with retries of the same instanceID),
    while a full recomputation runs: every stored submission is counted exactly once."""

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

    def test_both_servers_count_every_submission_once(self):
        coord = self.a.login(support.COORDINATOR)
        key = "dua_" + uuid.uuid4().hex[:8]
        body, ctype = multipart([("file", key + ".xml", "application/xml", (XFORM % {"id": key}).encode())])
        st, _, raw = coord.raw("POST", ORG + "/forms", body, {"Content-Type": ctype})
        self.assertEqual(st, 201, raw)
        fid = json.loads(raw)["id"]
        self.assertEqual(coord.post(ORG + "/forms/%s/publish" % fid)[0], 200)
        st, _, p = coord.post(PROGRAMS, {"name": "Dua Server", "start_date": "2025-01-01", "end_date": "2026-12-31"})
        st, _, node = coord.post(PROGRAMS + "/%s/results" % p["id"], {"title": "Tujuan"})
        st, _, ind = coord.post(PROGRAMS + "/%s/indicators" % p["id"], {
            "result_node_id": node["id"], "title": "Anggota", "measure": "unit", "direction": "increase",
            "frequency": "yearly", "source": "submissions",
            "computation": {"form_id": fid, "calculation": "median", "unit": "member", "value_field": "m_age",
                            "period_field": "visit_date"},
            "dimensions": [{"name": "sex", "kind": "field", "field": "m_sex"}]})
        self.assertEqual(st, 201, ind)
        unique = [new_id() for _ in range(60)]
        sends = [(iid, n) for n, iid in enumerate(unique)] + [(iid, n + 1) for n, iid in enumerate(unique[::2])]
        tokens = {}
        for server in (self.a, self.b):
            c = server.login(support.FIELD_OFFICER)
            tokens[server] = (c.cookies, c.csrf_token)

        def send(job):
            iid, n = job
            if iid is None:
                st, _, r = coord.post(INDICATORS + "/%s/recompute" % ind["id"])
                return st, r
            server = self.a if n % 2 == 0 else self.b
            c = server.client()
            c.cookies, c.csrf_token = dict(tokens[server][0]), tokens[server][1]
            h = dict(HOUSEHOLDS["A"])
            k = unique.index(iid)  # the same content every time an instanceID is sent
            h["member"] = [("female", str(k % 90)), ("male", str((k * 7) % 90))]
            st, _, r = c.post(ORG + "/forms/%s/submissions" % fid, {"instance_id": iid, "answers": answers(h)})
            c.close()
            return st, r

        import concurrent.futures
        sends.insert(40, (None, 0))
        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(send, sends))
        for st, r in results:
            self.assertIn(st, (200, 201), r)
        st, _, v = coord.get(INDICATORS + "/%s/values" % ind["id"])
        year = next(x for x in v["periods"] if x["period"] == "2026")
        self.assertEqual((year["units"], year["count"]), (120, 120))
        st, _, r = coord.post(INDICATORS + "/%s/recompute" % ind["id"])
        self.assertEqual((st, r["differences"], r["submissions"]), (200, 0, 60), r)


if __name__ == "__main__":
    unittest.main()
