"""The demo workspace's household survey: `gotong demo load` publishes the WASH survey and stores
2,400 generated submissions (1,200 households at baseline and at endline) through the same
validation as real data; a second load changes nothing; and the stored data shows what the
program did: in the three program dusun more households reached basic drinking water and
handwashing with soap, and fewer children under five had diarrhoea, while the comparison dusun
(IV Nenas) barely changed."""

import re
import json
import unittest
import urllib.parse

import support

FORMS = "/api/v1/orgs/demo/forms"
SUBMISSIONS = "/api/v1/orgs/demo/submissions"
FORM_ID = "demo_wash_household"
HOUSEHOLDS = 1200
PROGRAM_DUSUN = ["53.02.03.2003.01", "53.02.03.2003.02", "53.02.03.2003.03"]
COMPARISON_DUSUN = "53.02.03.2003.04"


class DemoLoad(unittest.TestCase):
    def test_a_second_load_changes_nothing(self):
        def counts(db):
            return support.sql_scalars(db, "SELECT (SELECT COUNT(*) FROM submissions), "
                                           "(SELECT COUNT(*) FROM submissions WHERE state = 'approved'), "
                                           "(SELECT COUNT(*) FROM submission_comments), "
                                           "(SELECT COUNT(*) FROM forms), (SELECT COUNT(*) FROM audit_log), "
                                           "(SELECT COUNT(*) FROM problems), (SELECT COUNT(*) FROM programs), "
                                           "(SELECT COUNT(*) FROM result_nodes), (SELECT COUNT(*) FROM indicators), "
                                           "(SELECT COUNT(*) FROM indicator_values), "
                                           "(SELECT COUNT(*) FROM indicator_entries), "
                                           "(SELECT COUNT(*) FROM stakeholders), (SELECT COUNT(*) FROM participants), "
                                           "(SELECT COUNT(*) FROM attendance), (SELECT COUNT(*) FROM expenditures), "
                                           "(SELECT COUNT(*) FROM feedback)")

        if support.POSTGRES:
            db = support.fresh_db()  # made by `demo load` already; a first PostgreSQL migration is slow
        else:
            db = support.empty_db()
            p = support.cli("demo", "load", "--database", support.db_url(db), timeout=120)
            m = re.search(r"household survey: (\d+) submissions, (\d+) approved", p.stdout)
            self.assertIsNotNone(m, p.stdout)
            self.assertEqual(int(m.group(1)), 2 * HOUSEHOLDS)
            self.assertGreater(int(m.group(2)), 0)
        first = counts(db)
        self.assertEqual(int(first[0]), 2 * HOUSEHOLDS)
        self.assertEqual(int(first[3]), 1)
        # The program: one, with its problems, framework, indicators and field data.
        problems, programs, nodes, indicators, values, entries, stakeholders, people, attendance, spent, feedback = (
            int(x) for x in first[5:])
        self.assertEqual(programs, 1)
        self.assertTrue(8 <= problems <= 10, problems)
        self.assertGreaterEqual(nodes, 12)
        self.assertEqual(indicators, 9)
        self.assertGreater(values, 100)
        self.assertEqual(entries, 4)
        self.assertGreaterEqual(stakeholders, 10)
        self.assertTrue(140 <= people <= 160, people)
        self.assertGreater(attendance, people)
        self.assertGreater(spent, 10)
        self.assertGreaterEqual(feedback, 6)
        p = support.cli("demo", "load", "--database", support.db_url(db), timeout=120)
        self.assertIn("already", p.stdout)
        self.assertEqual(counts(db), first)


class DemoSurvey(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.coordinator = cls.server.login(support.COORDINATOR)
        st, _, body = cls.coordinator.get(FORMS)
        assert st == 200, body
        forms = [f for f in body["items"] if f["xml_form_id"] == FORM_ID]
        assert forms, body
        cls.form = forms[0]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def count(self, **filters):
        """The number of the survey's submissions matching the list filters (paged through)."""
        query = "?form=%s&limit=500" % self.form["id"] + "".join(
            "&%s=%s" % (k.replace("__", "."), v) for k, v in filters.items())
        n, cursor = 0, None
        while True:
            st, _, body = self.coordinator.get(SUBMISSIONS + query + ("&cursor=" + cursor if cursor else ""))
            self.assertEqual(st, 200, body)
            n += len(body["items"])
            cursor = body.get("next_cursor")
            if not cursor:
                return n

    def share(self, round_, areas, **filters):
        hits = sum(self.count(area=a, field__round=round_, **filters) for a in areas)
        total = sum(self.count(area=a, field__round=round_, field__consent="yes") for a in areas)
        return hits / total

    def test_the_survey_is_published_and_open(self):
        self.assertEqual(self.form["state"], "open")
        self.assertIsNotNone(self.form["published"])
        self.assertEqual(self.form["published"]["version"], "2025030101")
        st, _, xml = self.coordinator.raw("GET", FORMS + "/%s/xform" % self.form["id"])
        self.assertEqual(st, 200)
        for text in (b'lang="Bahasa Indonesia (id)"', b'lang="English (en)"', b"<member", b'type="geopoint"',
                     b'jr:count="', b'type="binary"'):
            self.assertIn(text, xml)

    def test_every_household_has_a_baseline_and_an_endline(self):
        self.assertEqual(self.count(), 2 * HOUSEHOLDS)
        self.assertEqual(self.count(field__round="baseline"), HOUSEHOLDS)
        self.assertEqual(self.count(field__round="endline"), HOUSEHOLDS)
        # Filtered by area: the village holds them all, each dusun its share.
        self.assertEqual(self.count(area=support.BOSEN_CODE), 2 * HOUSEHOLDS)
        per_dusun = [self.count(area=a) for a in PROGRAM_DUSUN + [COMPARISON_DUSUN]]
        self.assertEqual(sum(per_dusun), 2 * HOUSEHOLDS)
        self.assertTrue(all(n > 300 for n in per_dusun), per_dusun)

    def test_review_states_and_back_dated_times(self):
        approved = self.count(state="approved")
        issues = self.count(state="has_issues")
        received = self.count(state="received")
        self.assertEqual(approved + issues + received, 2 * HOUSEHOLDS)
        self.assertGreater(approved, HOUSEHOLDS)  # most of the baseline and part of the endline
        # A handful break a rule on purpose (an impossible age, a typed household number...): the
        # validator finds them, and nothing else (a wrong rule would flag hundreds).
        self.assertGreaterEqual(issues, 5)
        self.assertLessEqual(issues, 2 * HOUSEHOLDS // 50)
        st, _, page = self.coordinator.get(SUBMISSIONS + "?form=%s&state=has_issues&limit=5" % self.form["id"])
        self.assertEqual(st, 200, page)
        for s in page["items"]:
            self.assertTrue(s["issues"], s)
            self.assertEqual(s["source"], "demo")
            self.assertEqual(s["submitter"]["name"], "Yohanes Nenobais (Petugas Lapangan)")
            st, _, detail = self.coordinator.get(SUBMISSIONS + "/" + s["id"])
            self.assertEqual(st, 200, detail)
            self.assertTrue(detail["comments"], "the coordinator asked for a check")
        # Baselines were collected in March-April 2025, endlines in September-October 2026.
        self.assertEqual(self.count(field__round="baseline", **{"from": "2025-03-01T00:00:00Z",
                                                                "to": "2025-05-01T00:00:00Z"}), HOUSEHOLDS)
        self.assertEqual(self.count(field__round="endline", **{"from": "2026-09-01T00:00:00Z",
                                                               "to": "2026-11-01T00:00:00Z"}), HOUSEHOLDS)

    def test_a_submission_is_a_plausible_household(self):
        st, _, page = self.coordinator.get(SUBMISSIONS + "?form=%s&state=approved&limit=20" % self.form["id"])
        self.assertEqual(st, 200, page)
        for s in page["items"]:
            st, _, d = self.coordinator.get(SUBMISSIONS + "/" + s["id"])
            self.assertEqual(st, 200, d)
            a = d["answers"]
            if a["consent"] != "yes":
                continue
            members = a["household"]["member"]
            self.assertEqual(len(members), int(a["household"]["hh_size"]))
            self.assertEqual(int(members[0]["m_age"]), int(a["household"]["head_age"]))
            under5 = sum(1 for m in members if int(m["m_age"]) < 5)
            self.assertEqual(int(a["household"]["n_under5"]), under5)
            self.assertRegex(a["hh_id"], r"^[1-4]-[0-9]{4}$")
            self.assertEqual(s["area_code"], a["area"])
            self.assertIn(s["instance_name"], ("%s baseline" % a["hh_id"], "%s endline" % a["hh_id"]))

    def test_the_endline_shows_the_program_effects(self):
        # Basic drinking water (an improved source within 30 minutes there and back).
        water = {r: self.share(r, PROGRAM_DUSUN, field__water_ladder="basic") for r in ("baseline", "endline")}
        water_cmp = {r: self.share(r, [COMPARISON_DUSUN], field__water_ladder="basic") for r in ("baseline", "endline")}
        self.assertGreater(water["endline"] - water["baseline"], 0.2, water)
        self.assertLess(abs(water_cmp["endline"] - water_cmp["baseline"]), 0.1, water_cmp)
        # Handwashing with soap and water observed.
        hw = {r: self.share(r, PROGRAM_DUSUN, field__hygiene_ladder="basic") for r in ("baseline", "endline")}
        hw_cmp = {r: self.share(r, [COMPARISON_DUSUN], field__hygiene_ladder="basic") for r in ("baseline", "endline")}
        self.assertGreater(hw["endline"] - hw["baseline"], 0.15, hw)
        self.assertLess(hw_cmp["endline"] - hw_cmp["baseline"], 0.1, hw_cmp)
        # Open defecation fell.
        od = {r: self.share(r, PROGRAM_DUSUN, field__sanitation_ladder="open_defecation") for r in ("baseline", "endline")}
        self.assertLess(od["endline"], od["baseline"] - 0.05, od)

        # Diarrhoea among households with a child under five (the health group is asked only then).
        def diarrhoea(round_, areas):
            yes = sum(self.count(area=a, field__round=round_, field__diarrhoea="yes") for a in areas)
            asked = yes + sum(self.count(area=a, field__round=round_, field__diarrhoea=v)
                              for a in areas for v in ("no", "dont_know"))
            self.assertGreater(asked, 100)
            return yes / asked

        before, after = diarrhoea("baseline", PROGRAM_DUSUN), diarrhoea("endline", PROGRAM_DUSUN)
        self.assertLess(after, before - 0.03, (before, after))


ORG = "/api/v1/orgs/demo"
PROGRAM_NAME = "Air Bersih untuk Desa Bosen"
WATER_TITLE = "Sulit mendapat air minum bersih, terutama di musim kemarau"
DUSUN = PROGRAM_DUSUN + [COMPARISON_DUSUN]


class DemoProgram(support.ServerTestCase):
    """The living program on top of the survey: problems ranked with clean water first, its
    problem and objective trees, the program's framework, indicators with values by sex and
    dusun from the survey, from attendance and entered by hand, the budget, and complaints."""

    @classmethod
    def setUpClass(cls):
        cls.server = support.Server().start()
        cls.coordinator = cls.server.login(support.COORDINATOR)
        cls.viewer = cls.server.login(support.VIEWER)
        cls.partner = cls.server.login(support.DEMO_USERS["partner"])
        st, _, body = cls.coordinator.get(ORG + "/programs?limit=100")
        assert st == 200, body
        found = [p for p in body["items"] if p["name"] == PROGRAM_NAME]
        assert len(found) == 1, body
        cls.program = found[0]
        st, _, body = cls.coordinator.get(ORG + "/programs/%s/indicators" % cls.program["id"])
        assert st == 200, body
        cls.indicators = {i["code"]: i for i in body["items"]}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def get(self, path, client=None):
        st, _, body = (client or self.coordinator).get(ORG + path)
        self.assertEqual(st, 200, body)
        return body

    def values(self, code):
        return self.get("/indicators/%s/values" % self.indicators[code]["id"])

    def period(self, values, key):
        return next(p for p in values["periods"] if p["period"] == key)

    def test_the_problems_are_ranked_with_clean_water_first(self):
        problems = self.get("/problems?limit=100")["items"]
        self.assertTrue(8 <= len(problems) <= 10, len(problems))
        water = next(p for p in problems if p["title"] == WATER_TITLE)
        self.assertIn(6, water["sdg_goals"])
        self.assertTrue(water["affected_groups"] and water["source"] == "survey", water)
        kinds = {e["kind"] for e in self.get("/problems/%s" % water["id"])["evidence"]}
        self.assertEqual(kinds, {"form_field", "indicator", "document"})
        sessions = self.get("/prioritisations")["items"]
        self.assertEqual(sorted(s["method"] for s in sessions), ["pairwise", "scoring"])
        for s in sessions:
            self.assertEqual(s["status"], "closed")
            ranking = self.get("/prioritisations/%s/ranking" % s["id"])
            self.assertEqual(ranking["items"][0]["problem_id"], water["id"], ranking["items"][:2])
            self.assertEqual(ranking["items"][0]["rank"], 1)
            self.assertEqual(ranking["items"][1]["rank"], 2, "clean water is first alone")
            if s["method"] == "scoring":
                self.assertEqual(ranking["participants"], 6)
                self.assertEqual(len(ranking["items"]), len(problems))
                self.assertEqual(len(ranking["items"][0]["criteria"]), 5)
            else:
                self.assertTrue(ranking["complete"], ranking)
                self.assertEqual(ranking["pairs_per_participant"], 10)

    def test_clean_water_has_a_problem_tree_and_an_objective_tree(self):
        water = self.program["problem_ids"][0]
        tree = self.get("/problems/%s/tree" % water)
        kinds = [n["kind"] for n in tree["nodes"]]
        self.assertEqual(kinds.count("core"), 1)
        self.assertGreaterEqual(kinds.count("cause"), 4)
        self.assertGreaterEqual(kinds.count("effect"), 2)
        objectives = self.get("/problems/%s/objective-tree" % water)
        self.assertTrue(objectives["complete"], objectives)
        levels = {n["level"] for n in objectives["nodes"]}
        self.assertEqual(levels, {"impact", "purpose", "outcome", "output"})

    def test_the_program_and_its_results_framework(self):
        p = self.program
        self.assertEqual((p["start_date"], p["end_date"], p["status"], p["currency"]),
                         ("2025-01-01", "2027-12-31", "active", "IDR"))
        self.assertEqual(sorted(a["code"] for a in p["areas"]), DUSUN)
        roles = {s["role"] for s in p["stakeholders"]}
        self.assertTrue({"donor", "implementing_partner", "government_counterpart"} <= roles, roles)
        self.assertEqual(len(p["problem_ids"]), 3)
        tree = self.get("/programs/%s/results" % p["id"])
        by_tier = {}

        def walk(nodes):
            for n in nodes:
                by_tier.setdefault(n["tier_name"], []).append(n)
                walk(n.get("children", []))

        walk(tree["nodes"])
        self.assertEqual(len(by_tier["Goal"]), 1)
        self.assertEqual(len(by_tier["Outcome"]), 3)
        self.assertGreaterEqual(len(by_tier["Output"]), 4)
        self.assertGreaterEqual(len(by_tier["Activity"]), 8)
        self.assertTrue(all(n["narrative"] and n["assumptions"] for n in by_tier["Outcome"]))
        self.assertTrue(all(n["problem_ids"] for n in by_tier["Outcome"]))
        # The partner user sees the program shared with them.
        shared = self.get("/programs", client=self.partner)["items"]
        self.assertIn(p["id"], [x["id"] for x in shared])

    def test_survey_indicators_have_values_by_sex_and_dusun(self):
        survey = [c for c, i in self.indicators.items() if i["source"] == "submissions"]
        self.assertGreaterEqual(len(survey), 5)
        for code in survey:
            v = self.values(code)
            for year in ("2025", "2026"):
                p = self.period(v, year)
                self.assertIsNotNone(p["value"], (code, year))
                # Households that declined the interview have no head of household: a mean counts
                # them as units without a value.
                sexes = {d["key"] for d in p["by_dimension"]["sex"] if d["value"] is not None}
                self.assertEqual(sexes, {"female", "male"}, code)
                self.assertEqual(sorted(d["key"] for d in p["by_dimension"]["dusun"]), DUSUN, code)
                cells = [c for c in p["cells"] if c["value"] is not None]
                self.assertEqual(len(cells), 8, code)  # 2 sexes × 4 dusun
            # The baseline is the survey's 2025 round, the 2026 target is set.
            self.assertAlmostEqual(v["baseline"]["value"], self.period(v, "2025")["value"], delta=0.05)
            self.assertIsNotNone(self.period(v, "2026")["target"], code)
        # Basic drinking water rose in the program's dusun and hardly moved in the comparison dusun.
        v = self.values("IK-O1.1")
        before = {d["key"]: d["value"] for d in self.period(v, "2025")["by_dimension"]["dusun"]}
        after = {d["key"]: d["value"] for d in self.period(v, "2026")["by_dimension"]["dusun"]}
        for d in PROGRAM_DUSUN:
            self.assertGreater(after[d] - before[d], 15, (d, before, after))
        self.assertLess(abs(after[COMPARISON_DUSUN] - before[COMPARISON_DUSUN]), 10)
        self.assertEqual(self.period(v, "2026")["status"], "ahead")
        # Mean minutes to fetch water fell.
        minutes = self.values("IK-O1.3")
        self.assertLess(self.period(minutes, "2026")["value"], self.period(minutes, "2025")["value"])
        # The incrementally kept values are what a full recomputation finds.
        st, _, r = self.coordinator.post(ORG + "/indicators/%s/recompute" % self.indicators["IK-O1.1"]["id"])
        self.assertEqual(st, 200, r)
        self.assertEqual(r["differences"], 0, r)

    def test_the_attendance_indicators_count_the_people_reached(self):
        reach = self.get("/programs/%s/reach" % self.program["id"])
        people = reach["unique_people_reached"]["total"]
        self.assertTrue(100 <= people <= 160, people)
        self.assertGreaterEqual(reach["sessions_held"], 12)
        v = self.values("IK-G.2")
        self.assertEqual(v["source"], "attendance")
        self.assertEqual(v["life_of_program"]["value"], people)
        self.assertEqual(v["latest"]["value"], people)  # cumulative: everyone reached so far
        latest = self.period(v, v["latest"]["period"])
        self.assertEqual(sum(d["value"] for d in latest["by_dimension"]["sex"]), people)
        self.assertEqual(sum(d["value"] for d in latest["by_dimension"]["dusun"]), people)
        self.assertIn(COMPARISON_DUSUN, {d["key"] for d in latest["by_dimension"]["dusun"]})
        trained = self.values("IK-OP3.1")
        latest = self.period(trained, trained["latest"]["period"])
        self.assertGreater(latest["value"], 30)
        female = next(d["value"] for d in latest["by_dimension"]["sex"] if d["key"] == "female")
        self.assertGreater(female, latest["value"] / 2)  # mostly women: kader and mothers

    def test_the_hand_entered_indicator_went_through_approval(self):
        ind = self.indicators["IK-OP1.1"]
        self.assertEqual(ind["source"], "manual")
        entries = self.get("/indicators/%s/entries" % ind["id"])["items"]
        states = sorted(e["state"] for e in entries)
        self.assertEqual(states, ["approved", "approved", "approved", "submitted"])
        waiting = next(e for e in entries if e["state"] == "submitted")
        self.assertEqual(waiting["value"], 11)
        self.assertEqual(self.period(self.values("IK-OP1.1"), "2026-Q2")["value"], 12)
        self.assertIsNone(self.period(self.values("IK-OP1.1"), "2026-Q3")["value"], "not approved yet")
        # Its history: returned with a reason by the coordinator, corrected by the field officer.
        st, _, audit = self.server.login(support.ADMIN).get(
            ORG + "/audit?limit=100&object_type=indicator_entry&object_id=%s" % waiting["id"])
        self.assertEqual(st, 200, audit)
        actions = [a["action"] for a in audit["items"]]
        self.assertIn("indicator_entry.return", actions)
        self.assertIn("indicator_entry.update", actions)
        self.assertEqual(actions.count("indicator_entry.submit"), 2)

    def test_the_dashboard_shows_every_indicator_with_a_status(self):
        d = self.get("/programs/%s/dashboard" % self.program["id"], client=self.viewer)
        self.assertEqual(len(d["indicators"]), 9)
        statuses = {i["code"]: i["status"] for i in d["indicators"]}
        self.assertTrue(all(statuses.values()), statuses)
        self.assertIn("ahead", statuses.values())

    def test_budget_planned_against_actual(self):
        r = self.get("/programs/%s/budget-report?as_of=2026-10-31" % self.program["id"])
        total = r["total"]
        self.assertEqual(total["planned"], 1475000000)
        self.assertTrue(0 < total["actual"] < total["planned_to_date"], total)
        self.assertGreater(total["burn_rate_to_date"], 0.9)
        categories = {c["category"] for c in r["categories"]} if isinstance(r["categories"], list) else set(r["categories"])
        self.assertTrue({"apbdes_2", "apbdes_4"} <= categories, categories)
        self.assertIsNotNone(r["cost_per_person_reached"])
        lines = self.get("/programs/%s/budget-lines" % self.program["id"])["items"]
        self.assertTrue(all(l["category"] and l["funding_source"] for l in lines))
        self.assertGreaterEqual(sum(1 for l in lines if l["activity_id"]), 8)

    def test_activities_events_and_participants(self):
        activities = self.get("/programs/%s/activities?limit=100" % self.program["id"])["items"]
        self.assertEqual(len(activities), 8)
        self.assertEqual({a["status"] for a in activities}, {"done", "ongoing"})
        self.assertTrue(all(a["budget_lines"] for a in activities))
        kinds = set()
        for a in activities:
            for e in self.get("/activities/%s/events" % a["id"])["items"]:
                kinds.add(e["kind"])
                self.assertGreater(e["attendance_count"], 0, e)
        self.assertEqual(kinds, {"training", "meeting", "distribution", "musyawarah"})
        dup = self.get("/participant-duplicates")
        self.assertEqual(len(dup["items"]), 1, dup)

    def test_open_complaints_and_follow_ups(self):
        complaints = self.get("/feedback?category=complaint&limit=100")["items"]
        open_ = [f for f in complaints if f["status"] != "resolved"]
        self.assertGreaterEqual(len(open_), 3)
        self.assertIn("received", {f["status"] for f in open_})
        self.assertIn("in_progress", {f["status"] for f in open_})
        resolved = self.get("/feedback?status=resolved")["items"]
        self.assertTrue(resolved and all(f["response"] for f in resolved), resolved)
        figures = self.get("/feedback-figures")
        self.assertGreaterEqual(figures["to_first_response"]["count"], 4)
        follow_ups = self.get("/follow-ups?status=open")["items"]
        self.assertGreaterEqual(len(follow_ups), 2)
        stakeholders = self.get("/stakeholders?limit=100")["items"]
        self.assertGreaterEqual(len(stakeholders), 10)
        self.assertEqual({s["quadrant"] for s in stakeholders},
                         {"manage_closely", "keep_satisfied", "keep_informed", "monitor"})

    def test_the_program_has_a_baseline_endline_evaluation_with_a_comparison_dusun(self):
        evaluations = self.get("/programs/%s/evaluations" % self.program["id"])["items"]
        self.assertEqual(len(evaluations), 1, evaluations)
        results = self.get("/evaluations/%s/results" % evaluations[0]["id"])
        self.assertTrue(results["comparison"], results)
        self.assertGreaterEqual(len(results["rows"]), 3)
        for row in results["rows"]:
            # Every row reads as a sentence in both languages, and the comparison gives a DiD.
            self.assertTrue(row["sentence"] and row["sentence_en"], row)
            self.assertNotIn("nan", json.dumps(row).lower())
            self.assertIn("estimate", row["did"], row)
        detail = self.get("/evaluations/%s" % evaluations[0]["id"])
        self.assertEqual(len(detail["criteria"]), 6, detail)

    def test_desa_bosen_has_three_years_of_village_development_index(self):
        items = self.get("/idm/assessments?limit=100")["items"]
        years = sorted(a["year"] for a in items)
        self.assertEqual(years, [2023, 2024, 2025], items)
        by_year = {a["year"]: a for a in items}
        self.assertEqual(by_year[2023]["status"], "tertinggal", by_year[2023])
        self.assertEqual(by_year[2025]["status"], "berkembang", by_year[2025])
        weakest = self.get("/idm/assessments/%s/weakest" % by_year[2025]["id"])
        self.assertTrue(weakest["items"], weakest)


if __name__ == "__main__":
    unittest.main()
