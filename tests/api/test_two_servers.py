"""Two `gotong serve` processes on one PostgreSQL database, as behind a load balancer: sessions,
login throttling and submissions work across them, and a burst of submissions with duplicates,
sent alternately to both at once, is stored exactly once each."""

import concurrent.futures
import json
import unittest
import uuid

import support
from test_submissions import ORG, instance, new_id, publish_form


@unittest.skipUnless(support.POSTGRES, "several app servers share one PostgreSQL database")
class TwoServers(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        cls.a = support.Server(db).start()
        cls.b = support.Server(db)
        cls.b.dir = cls.a.dir  # one attachment directory, as on shared storage
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.b.stop()

    def test_a_session_from_one_server_works_on_the_other(self):
        on_a = self.a.login(support.COORDINATOR)
        on_b = self.b.client()
        on_b.cookies = dict(on_a.cookies)
        on_b.csrf_token = on_a.csrf_token
        st, _, me = on_b.get("/api/v1/me")
        self.assertEqual((st, me["email"] if st == 200 else me), (200, support.COORDINATOR))
        st, _, _ = on_a.post("/api/v1/auth/logout")
        self.assertIn(st, (200, 204))
        st, _, _ = on_b.get("/api/v1/me")
        self.assertEqual(st, 401)

    def test_failed_logins_count_on_both_servers(self):
        email = "petugas2-%s@demo.gotong.id" % uuid.uuid4().hex[:6]
        support.add_user(self.a.db_path, "demo", email, "field_officer", "benar-sekali-123")
        for i in range(5):
            server = self.a if i % 2 == 0 else self.b
            st, _, _ = server.client().post("/api/v1/auth/login", {"email": email, "password": "salah-%d" % i})
            self.assertEqual(st, 401)
        for server in (self.a, self.b):
            st, h, body = server.client().post("/api/v1/auth/login", {"email": email, "password": "benar-sekali-123"})
            self.assertEqual(st, 429, body)
            self.assertTrue(h["Retry-After"])

    def test_a_burst_with_duplicates_is_stored_once_each(self):
        coordinator = self.a.login(support.COORDINATOR)
        key = "burst_" + uuid.uuid4().hex[:8]
        fid = publish_form(coordinator, key)
        url = ORG + "/forms/%s/submissions" % fid
        unique = [new_id() for _ in range(120)]
        # Every instance is sent twice and a third of them three times, to both servers at once.
        sends = [(iid, n) for n, iid in enumerate(unique)] + [(iid, n + 1) for n, iid in enumerate(unique)] + \
            [(iid, n) for n, iid in enumerate(unique[::3])]
        officers = {s: s.login(support.FIELD_OFFICER) for s in (self.a, self.b)}
        tokens = {s: (officers[s].cookies, officers[s].csrf_token) for s in (self.a, self.b)}

        def send(job):
            iid, n = job
            server = self.a if n % 2 == 0 else self.b
            c = server.client()
            c.cookies, c.csrf_token = dict(tokens[server][0]), tokens[server][1]
            st, _, raw = c.raw("POST", url, instance(key, "1", iid, age=str(20 + len(iid) % 50)),
                               {"Content-Type": "application/xml"})
            c.close()
            return iid, st, json.loads(raw)

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(send, sends))
        statuses = {}
        for iid, st, body in results:
            self.assertIn(st, (200, 201), body)
            statuses.setdefault(iid, []).append((st, body["id"]))
        for iid, answers in statuses.items():
            self.assertEqual([s for s, _ in answers].count(201), 1, (iid, answers))
            self.assertEqual(len({sid for _, sid in answers}), 1, (iid, answers))
        count = support.sql_scalars(self.a.db_path, "SELECT COUNT(*), COUNT(DISTINCT instance_id) FROM submissions "
                                    "WHERE form_id = %d" % int(fid))
        self.assertEqual(count, ("120", "120"))
        # Conflicting content for a known instanceID is refused by either server.
        for server in (self.a, self.b):
            st, _, raw = officers[server].raw("POST", url, instance(key, "1", unique[0], age="99"),
                                              {"Content-Type": "application/xml"})
            self.assertEqual(st, 409, raw)


if __name__ == "__main__":
    unittest.main()
