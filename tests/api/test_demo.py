"""The demo workspace's household survey: `gotong demo load` publishes the WASH survey and stores
2,400 generated submissions (1,200 households at baseline and at endline) through the same
validation as real data; a second load changes nothing; and the stored data shows what the
program did: in the three program dusun more households reached basic drinking water and
handwashing with soap, and fewer children under five had diarrhoea, while the comparison dusun
(IV Nenas) barely changed."""

import re
import unittest

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
                                           "(SELECT COUNT(*) FROM forms), (SELECT COUNT(*) FROM audit_log)")

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


if __name__ == "__main__":
    unittest.main()
