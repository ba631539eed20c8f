"""Feedback and complaints: received by staff (channels, optionally anonymous, received earlier),
sensitive ones seen only by admins and coordinators (the field officer who records one gets its
reference only), handling received → in_progress → resolved with a response and reopening, the
figures (counts, median and p90 days to first response and to resolution) worked out by hand;
the public link (a token per program, no sign-in, anonymous allowed, the answer is a reference
only, throttled per address, replaced and revoked links stop working); If-Match, audit, roles,
partners and another organisation."""

import datetime
import unittest
import urllib.parse

import support

ORG = "/api/v1/orgs/demo"
PROGRAMS = ORG + "/programs"
FEEDBACK = ORG + "/feedback"
FIGURES = ORG + "/feedback-figures"
AUDIT = ORG + "/audit"
PARTNER = support.DEMO_USERS["partner"]
OTHER_ADMIN = "admin@lain-aduan.example.org"
OTHER_PASSWORD = "lain-rahasia-7"


def days_ago(n):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=n)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


class Feedback(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.start_with_every_role(cls, OTHER_ADMIN, OTHER_PASSWORD)
        cls.bosen = support.area_by_code(cls.admin, support.BOSEN_CODE)
        cls.program = cls.make_program("Program Aduan")
        st, _, p = cls.other.post("/api/v1/orgs/other/programs", {"name": "Program Lain", "start_date": "2026-01-01",
                                                                   "end_date": "2026-12-31"})
        assert st == 201, p
        cls.other_program = p

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    @classmethod
    def make_program(cls, name):
        st, _, p = cls.coord.post(PROGRAMS, {"name": name, "start_date": "2026-01-01", "end_date": "2027-12-31"})
        assert st == 201, p
        return p

    def create(self, client=None, **body):
        b = {"channel": "in_person", "category": "complaint", "message": "Air tidak mengalir di Dusun II",
             "program_id": self.program["id"]}
        b.update(body)
        st, h, f = (client or self.coord).post(FEEDBACK, b)
        self.assertEqual(st, 201, f)
        return f

    def patch(self, f, body, version, client=None):
        st, h, out = (client or self.coord).patch(FEEDBACK + "/%s" % f["id"], body, headers={"If-Match": '"v%d"' % version})
        self.assertEqual(st, 200, out)
        return out

    def public(self, address):
        return support.Client(self.server, source_address=address)

    def link(self, program):
        st, _, l = self.coord.post(PROGRAMS + "/%s/feedback-link" % program["id"])
        self.assertEqual(st, 201, l)
        return l

    def audit(self, **filters):
        st, _, log = self.admin.get(AUDIT + "?" + urllib.parse.urlencode(filters))
        self.assertEqual(st, 200, log)
        return log["items"]

    # -- staff ---------------------------------------------------------------------------
    def test_record_and_read(self):
        f = self.create(channel="letter", category="suggestion", message="Tambah keran umum di RT 3",
                        sender_name="Bapak Nope", sender_contact="0812-3456", area_id=self.bosen["id"],
                        received_at=days_ago(3))
        self.assertRegex(f["reference"], r"^FB-[2-9A-HJKMNP-Z]{8}$")
        self.assertEqual((f["channel"], f["category"], f["status"], f["response"]), ("letter", "suggestion", "received", ""))
        self.assertEqual((f["sender_name"], f["sender_contact"], f["anonymous"]), ("Bapak Nope", "0812-3456", False))
        self.assertEqual((f["program_id"], f["program_name"], f["area"]["id"]), (self.program["id"], "Program Aduan", self.bosen["id"]))
        self.assertEqual((f["received_by_name"], f["first_response_at"], f["resolved_at"], f["reopened"]),
                         ("Maria Tefa (Koordinator)", None, None, 0))
        self.assertLess(f["received_at"], f["created_at"])
        st, h, again = self.viewer.get(FEEDBACK + "/%s" % f["id"])
        self.assertEqual((st, again), (200, f))
        self.assertEqual(h.get("ETag"), '"v1"')
        st, _, found = self.viewer.get(FEEDBACK + "?reference=" + f["reference"])
        self.assertEqual([x["id"] for x in found["items"]], [f["id"]])
        st, _, found = self.viewer.get(FEEDBACK + "?reference=" + urllib.parse.quote(" %s " % f["reference"].lower()))
        self.assertEqual([x["id"] for x in found["items"]], [f["id"]], "typed in by hand")
        e = self.audit(object_type="feedback", object_id=f["id"])[0]
        self.assertEqual((e["action"], e["actor"]), ("feedback.create", support.COORDINATOR))
        # Without a program (about the organisation's work in general), by phone, anonymous.
        g = self.create(program_id=None, channel="phone", anonymous=True)
        self.assertEqual((g["program_id"], g["anonymous"], g["sender_name"]), (None, True, ""))

    def test_wrong_input(self):
        cases = [
            ({"channel": "email"}, "channel"),
            ({"channel": "public_link"}, "channel"),      # only the public address uses it
            ({"category": "praise"}, "category"),
            ({"message": "  "}, "message"),
            ({"anonymous": True, "sender_name": "Ibu Ana"}, "sender_name"),
            ({"anonymous": True, "sender_contact": "0812"}, "sender_contact"),
            ({"received_at": "2999-01-01T00:00:00Z"}, "received_at"),
            ({"received_at": "kemarin"}, "received_at"),
            ({"program_id": self.other_program["id"]}, "program_id"),
            ({"area_id": "999999999"}, "area_id"),
            ({"status": "closed"}, "status"),
            ({"status": "resolved"}, "response"),         # resolving needs a response
        ]
        for change, field in cases:
            with self.subTest(change=change):
                body = dict({"channel": "in_person", "category": "question", "message": "Salah isi aduan"}, **change)
                p = self.assertProblem(self.coord.post(FEEDBACK, body), 422)
                self.assertEqual(p["errors"][0]["field"], field, p)
        for missing in ("channel", "category", "message"):
            body = {k: v for k, v in {"channel": "in_person", "category": "question", "message": "Salah isi aduan"}.items()
                    if k != missing}
            self.assertEqual(self.assertProblem(self.coord.post(FEEDBACK, body), 422)["errors"][0]["field"], missing)
        self.assertProblem(self.coord.get(FEEDBACK + "?status=closed"), 422)
        self.assertProblem(self.coord.get(FEEDBACK + "?from=kemarin"), 400)

    def test_sensitive_only_for_admins_and_coordinators(self):
        plain = self.create(client=self.officer, message="Antrian pembagian filter terlalu lama")
        self.assertEqual(plain["received_by_name"], "Yohanes Nenobais (Petugas Lapangan)")
        st, _, receipt = self.officer.post(FEEDBACK, {"channel": "in_person", "category": "sensitive",
                                                      "message": "Dana bantuan dipotong oleh oknum",
                                                      "program_id": self.program["id"]})
        self.assertEqual(st, 201, receipt)
        self.assertEqual(set(receipt), {"id", "reference", "status"}, "the recorder gets the reference only")
        for client in (self.officer, self.viewer):
            self.assertProblem(client.get(FEEDBACK + "/%s" % receipt["id"]), 404)
            st, _, page = client.get(FEEDBACK + "?limit=500")
            self.assertNotIn(receipt["id"], [x["id"] for x in page["items"]])
            st, _, fig = client.get(FIGURES)
            self.assertNotIn("sensitive", fig["by_category"])
        for client in (self.coord, self.admin):
            st, _, s = client.get(FEEDBACK + "/%s" % receipt["id"])
            self.assertEqual((st, s["category"], s["reference"]), (200, "sensitive", receipt["reference"]))
            st, _, fig = client.get(FIGURES)
            self.assertGreaterEqual(fig["by_category"]["sensitive"], 1)
        # Field officers record; they do not answer.
        p = self.assertProblem(self.officer.post(FEEDBACK, {"channel": "in_person", "category": "question", "message": "Kapan?",
                                                            "status": "resolved", "response": "Besok"}), 403)
        self.assertIn("answer", p["detail"])
        self.assertProblem(self.officer.patch(FEEDBACK + "/%s" % plain["id"], {"status": "in_progress"},
                                              headers={"If-Match": '"v1"'}), 403)
        self.assertProblem(self.viewer.post(FEEDBACK, {"channel": "in_person", "category": "question", "message": "Kapan?"}), 403)

    def test_handling_and_reopening(self):
        f = self.create(message="Meteran air rusak")
        path = FEEDBACK + "/%s" % f["id"]
        self.assertProblem(self.coord.patch(path, {"status": "in_progress"}), 428)
        self.assertProblem(self.coord.patch(path, {"status": "in_progress"}, headers={"If-Match": '"v9"'}), 412)
        p = self.assertProblem(self.coord.patch(path, {"status": "resolved"}, headers={"If-Match": '"v1"'}), 422)
        self.assertEqual(p["errors"][0]["field"], "response")
        for field, value in (("message", "lain"), ("channel", "phone"), ("sender_name", "X")):
            p = self.assertProblem(self.coord.patch(path, {field: value}, headers={"If-Match": '"v1"'}), 422)
            self.assertEqual(p["errors"][0]["field"], field)
        g = self.patch(f, {"status": "in_progress"}, 1)
        self.assertEqual((g["status"], g["resolved_at"]), ("in_progress", None))
        self.assertIsNotNone(g["first_response_at"])
        p = self.assertProblem(self.coord.patch(path, {"status": "received"}, headers={"If-Match": '"v2"'}), 422)
        self.assertEqual(p["errors"][0]["field"], "status")
        h = self.patch(f, {"status": "resolved", "response": "Meteran sudah diganti petugas PAMDes"}, 2)
        self.assertEqual((h["status"], h["response"], h["first_response_at"]),
                         ("resolved", "Meteran sudah diganti petugas PAMDes", g["first_response_at"]))
        self.assertIsNotNone(h["resolved_at"])
        # Reopened: the resolution time goes, the first response stays.
        i = self.patch(f, {"status": "in_progress"}, 3)
        self.assertEqual((i["status"], i["resolved_at"], i["reopened"], i["first_response_at"]),
                         ("in_progress", None, 1, g["first_response_at"]))
        j = self.patch(f, {"status": "resolved", "category": "question"}, 4)  # the earlier response still stands
        self.assertEqual((j["status"], j["category"], j["version"]), ("resolved", "question", 5))
        log = self.audit(object_type="feedback", object_id=f["id"], action="feedback.update")
        self.assertEqual([(x["before"]["status"], x["after"]["status"]) for x in reversed(log)],
                         [("received", "in_progress"), ("in_progress", "resolved"), ("resolved", "in_progress"),
                          ("in_progress", "resolved")])
        # An answer alone is a first response; answered on the spot, it is resolved at once.
        k = self.create(message="Kapan pertemuan berikut?", category="question")
        k2 = self.patch(k, {"response": "Senin depan di balai desa"}, 1)
        self.assertEqual(k2["status"], "received")
        self.assertIsNotNone(k2["first_response_at"])
        spot = self.create(status="resolved", response="Dijelaskan langsung", category="question")
        self.assertEqual(spot["status"], "resolved")
        self.assertIsNotNone(spot["resolved_at"])

    def test_figures_worked_out_by_hand(self):
        p = self.make_program("Program Angka Aduan")
        for n, category, channel in ((1, "complaint", "phone"), (2, "complaint", "box"), (4, "question", "phone"),
                                     (10, "suggestion", "letter")):
            f = self.create(program_id=p["id"], received_at=days_ago(n), category=category, channel=channel)
            self.patch(f, {"status": "resolved", "response": "Sudah ditangani"}, 1)
        waiting = self.create(program_id=p["id"], received_at=days_ago(7), category="complaint")
        self.patch(waiting, {"status": "in_progress"}, 1)  # answered at 7 days, not resolved
        self.create(program_id=p["id"], category="question")  # not answered yet
        st, _, fig = self.viewer.get(FIGURES + "?program=%s" % p["id"])
        self.assertEqual(st, 200, fig)
        self.assertEqual(fig["total"], 6)
        self.assertEqual(fig["by_status"], {"received": 1, "in_progress": 1, "resolved": 4})
        self.assertEqual(fig["by_category"], {"question": 2, "suggestion": 1, "complaint": 3})
        self.assertEqual(fig["by_channel"], {"in_person": 2, "phone": 2, "sms_whatsapp": 0, "letter": 1, "box": 1,
                                             "public_link": 0})
        # Resolved after 1, 2, 4 and 10 days: median (2 + 4) / 2 = 3; p90 at rank 2.7: 4 + 0.7 × 6 = 8.2.
        self.assertEqual(fig["to_resolution"], {"count": 4, "median_days": 3.0, "p90_days": 8.2})
        # First responses also at 7 days: 1, 2, 4, 7, 10 → median 4; p90 at rank 3.6: 7 + 0.6 × 3 = 8.8.
        self.assertEqual(fig["to_first_response"], {"count": 5, "median_days": 4.0, "p90_days": 8.8})
        # A time window on received_at.
        st, _, recent = self.viewer.get(FIGURES + "?program=%s&from=%s" % (p["id"], urllib.parse.quote(days_ago(3))))
        self.assertEqual((recent["total"], recent["to_resolution"]["count"]), (3, 2))
        self.assertEqual(recent["to_resolution"]["median_days"], 1.5)

    # -- the public link -----------------------------------------------------------------
    def test_public_link(self):
        p = self.make_program("Program Tautan Publik")
        self.assertProblem(self.coord.get(PROGRAMS + "/%s/feedback-link" % p["id"]), 404)
        self.assertProblem(self.viewer.post(PROGRAMS + "/%s/feedback-link" % p["id"]), 403)
        link = self.link(p)
        self.assertEqual(link["path"], "/api/v1/public/demo/feedback/" + link["token"])
        st, _, same = self.coord.get(PROGRAMS + "/%s/feedback-link" % p["id"])
        self.assertEqual((st, same), (200, link))
        self.assertProblem(self.viewer.get(PROGRAMS + "/%s/feedback-link" % p["id"]), 403)
        self.assertNotIn(link["token"], str(self.audit(object_type="program", object_id=p["id"])))

        anon = self.public("127.0.0.2")  # no sign-in
        st, _, body = anon.post(link["path"], {"message": "Pipa bocor depan sekolah", "anonymous": True})
        self.assertEqual(st, 201, body)
        self.assertEqual(list(body), ["reference"], "the answer is the reference only")
        st, _, found = self.coord.get(FEEDBACK + "?reference=" + body["reference"])
        f = found["items"][0]
        self.assertEqual((f["channel"], f["category"], f["anonymous"], f["program_id"], f["received_by"], f["status"]),
                         ("public_link", "complaint", True, p["id"], None, "received"))
        log = self.audit(object_type="feedback", object_id=f["id"])[0]
        self.assertEqual((log["action"], log["actor"]), ("feedback.receive_public", "public"))
        self.assertFalse(log.get("ip"), "an anonymous sender's address is not kept")
        st, _, named = anon.post(link["path"], {"message": "Terima kasih", "category": "suggestion",
                                                "sender_name": "Ibu Ana", "sender_contact": "0813"})
        self.assertEqual(st, 201, named)
        st, _, found = self.coord.get(FEEDBACK + "?reference=" + named["reference"])
        self.assertEqual((found["items"][0]["sender_name"], found["items"][0]["category"]), ("Ibu Ana", "suggestion"))
        st, _, secret = anon.post(link["path"], {"message": "Ada pungutan liar", "category": "sensitive", "anonymous": True})
        self.assertEqual(st, 201, secret)
        st, _, seen = self.viewer.get(FEEDBACK + "?reference=" + secret["reference"])
        self.assertEqual(seen["items"], [])
        st, _, seen = self.coord.get(FEEDBACK + "?reference=" + secret["reference"])
        self.assertEqual(len(seen["items"]), 1)
        # Wrong input and wrong addresses.
        for bad, field in (({"message": ""}, "message"), ({}, "message"), ({"message": "x", "category": "praise"}, "category"),
                           ({"message": "x", "anonymous": True, "sender_name": "A"}, "sender_name")):
            with self.subTest(bad=bad):
                self.assertEqual(self.assertProblem(anon.post(link["path"], bad), 422)["errors"][0]["field"], field)
        self.assertProblem(anon.post("/api/v1/public/demo/feedback/not-a-token", {"message": "x"}), 404)
        self.assertProblem(anon.post("/api/v1/public/other/feedback/" + link["token"], {"message": "x"}), 404)
        # A new link replaces the old one; a revoked link answers 404.
        fresh = self.link(p)
        self.assertNotEqual(fresh["token"], link["token"])
        self.assertProblem(anon.post(link["path"], {"message": "x"}), 404)
        self.assertEqual(anon.post(fresh["path"], {"message": "Lewat tautan baru"})[0], 201)
        st, _, _ = self.coord.delete(PROGRAMS + "/%s/feedback-link" % p["id"])
        self.assertEqual(st, 204)
        self.assertProblem(anon.post(fresh["path"], {"message": "x"}), 404)
        self.assertProblem(self.coord.get(PROGRAMS + "/%s/feedback-link" % p["id"]), 404)
        self.assertProblem(self.coord.delete(PROGRAMS + "/%s/feedback-link" % p["id"]), 404)
        actions = [x["action"] for x in self.audit(object_type="program", object_id=p["id"])]
        self.assertEqual(actions[:3], ["feedback_link.revoke", "feedback_link.create", "feedback_link.create"])

    def test_public_link_is_throttled_per_address(self):
        p = self.make_program("Program Batas Kirim")
        link = self.link(p)
        flood = self.public("127.0.0.3")
        for i in range(5):  # guesses count too
            self.assertEqual(flood.post("/api/v1/public/demo/feedback/tebak-%d" % i, {"message": "x"})[0], 404)
        for i in range(15):
            st, _, body = flood.post(link["path"], {"message": "Pesan %d" % i})
            self.assertEqual(st, 201, body)
        st, h, body = flood.post(link["path"], {"message": "Satu lagi"})
        self.assertEqual(st, 429, body)
        self.assertTrue(0 < int(h.get("Retry-After")) <= 3600, h.get("Retry-After"))
        self.assertEqual(flood.post("/api/v1/public/demo/feedback/tebak", {"message": "x"})[0], 429)
        # Another address is not held back.
        self.assertEqual(self.public("127.0.0.4").post(link["path"], {"message": "Dari rumah lain"})[0], 201)
        st, _, fig = self.coord.get(FIGURES + "?program=%s" % p["id"])
        self.assertEqual(fig["by_channel"]["public_link"], 16)

    # -- partners and other organisations ------------------------------------------------------
    def test_partners_and_other_organisation(self):
        shared = self.make_program("Program Mitra Aduan")
        st, _, members = self.admin.get(ORG + "/members")
        partner_id = next(m["id"] for m in members["items"] if m["email"] == PARTNER)
        st, _, body = self.coord.post(PROGRAMS + "/%s/members" % shared["id"], {"user_id": partner_id})
        self.assertEqual(st, 201, body)
        about_shared = self.create(program_id=shared["id"], message="Tentang program mitra")
        hidden = self.create(message="Tentang program lain")
        general = self.create(program_id=None, message="Tentang yayasan")
        self.assertEqual(self.partner.get(FEEDBACK + "/%s" % about_shared["id"])[0], 200)
        self.assertProblem(self.partner.get(FEEDBACK + "/%s" % hidden["id"]), 404)
        self.assertProblem(self.partner.get(FEEDBACK + "/%s" % general["id"]), 404)
        st, _, page = self.partner.get(FEEDBACK + "?limit=500")
        # Programs shared with the partner: this one and the demo workspace's own.
        st, _, visible = self.partner.get(PROGRAMS + "?limit=100")
        seen = {x["program_id"] for x in page["items"]}
        self.assertIn(shared["id"], seen)
        self.assertTrue(seen <= {p["id"] for p in visible["items"]}, seen)
        self.assertNotIn(self.program["id"], seen)
        self.assertProblem(self.partner.get(FIGURES + "?program=%s" % self.program["id"]), 404)
        # Partners record feedback about their programs only.
        mine = self.create(client=self.partner, program_id=shared["id"], message="Dicatat mitra")
        self.assertEqual(mine["program_id"], shared["id"])
        for program_id in (None, self.program["id"]):
            p = self.assertProblem(self.partner.post(FEEDBACK, {"channel": "in_person", "category": "question",
                                                                "message": "x", "program_id": program_id}), 422)
            self.assertEqual(p["errors"][0]["field"], "program_id")
        # Another organisation.
        self.assertProblem(self.other.get(FEEDBACK + "/%s" % about_shared["id"]), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/other/feedback/%s" % about_shared["id"]), 404)
        self.assertProblem(self.other.patch("/api/v1/orgs/other/feedback/%s" % about_shared["id"], {"status": "in_progress"},
                                            headers={"If-Match": '"v1"'}), 404)
        self.assertProblem(self.other.get("/api/v1/orgs/other/programs/%s/feedback-link" % shared["id"]), 404)


if __name__ == "__main__":
    unittest.main()
