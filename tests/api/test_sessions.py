"""Sign-in, sessions (cookie + CSRF), login throttling, logout, password change, API tokens.

Throttling counts failures per account and per client address. The tests that lock something
connect from their own loopback addresses (127.0.0.x), so a lock never spills into other tests.
"""

import unittest

import support

LOCK_USER = "kunci@demo.gotong.id"
PW_USER = "sandi@demo.gotong.id"
PW_OLD = "sandi-lama-123"
PW_NEW = "sandi-baru-456"
CLI_PW_USER = "ganti@demo.gotong.id"


class Sessions(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        db = support.fresh_db()
        support.add_user(db, "demo", LOCK_USER, "viewer", "kunci-benar-1")
        support.add_user(db, "demo", PW_USER, "viewer", PW_OLD)
        support.add_user(db, "demo", CLI_PW_USER, "viewer", "ganti-lama-123")
        cls.server = support.Server(db).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- login and /me -------------------------------------------------------------------
    def test_login_sets_httponly_strict_cookie_and_returns_csrf(self):
        c = self.server.client()
        st, h, body = c.login(support.ADMIN)
        self.assertEqual(st, 200, body)
        cookies = h.get_all("Set-Cookie")
        self.assertEqual(len(cookies), 1, cookies)
        parts = [p.strip() for p in cookies[0].split(";")]
        name, _, value = parts[0].partition("=")
        self.assertEqual(name, "gotong_session")
        self.assertGreaterEqual(len(value), 32)
        attrs = {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else True) for p in parts[1:]}
        self.assertIn("httponly", attrs)
        self.assertEqual(str(attrs.get("samesite", "")).lower(), "strict")
        self.assertEqual(attrs.get("path"), "/")
        self.assertNotIn("secure", attrs, "Secure only with --secure-cookies")
        self.assertTrue(body.get("csrf_token"))
        self.assertEqual(body["email"], support.ADMIN)
        self.assertNotIn("password_hash", body)
        self.assertNotIn(value, str(body), "the session token must only be in the cookie")

    def test_me_requires_a_session(self):
        c = self.server.client()
        body = self.assertProblem(c.get("/api/v1/me"), 401)
        self.assertIn("sign in", body["detail"])
        c.cookies["gotong_session"] = "not-a-real-session-token"
        self.assertProblem(c.get("/api/v1/me"), 401)

    def test_me_lists_organisations_with_roles(self):
        for role, email in support.DEMO_USERS.items():
            c = self.server.login(email)
            st, _, me = c.get("/api/v1/me")
            self.assertEqual(st, 200, me)
            self.assertEqual(me["email"], email)
            self.assertEqual(me["csrf_token"], c.csrf_token)
            orgs = {o["slug"]: o["role"] for o in me["organisations"]}
            self.assertEqual(orgs, {"demo": role})

    def test_wrong_password_and_unknown_email_look_the_same(self):
        c = self.server.client()
        wrong = self.assertProblem(c.login(support.FIELD_OFFICER, "not-the-password"), 401)
        unknown = self.assertProblem(c.login("nobody-here@demo.gotong.id", "not-the-password"), 401)
        self.assertEqual(wrong["detail"], unknown["detail"])
        self.assertEqual(wrong["title"], unknown["title"])
        self.assertEqual(wrong["type"], unknown["type"])
        self.assertFalse(c.cookies, "no cookie for a failed login")

    def test_email_is_case_insensitive(self):
        c = self.server.client()
        st, _, body = c.login(support.ADMIN.upper())
        self.assertEqual(st, 200, body)
        self.assertEqual(body["email"], support.ADMIN)

    # -- throttling ----------------------------------------------------------------------
    def test_account_locked_after_five_failures(self):
        c = self.server.client(source_address="127.0.0.2")
        for i in range(5):
            st, _, body = c.login(LOCK_USER, "salah-%d-xyz" % i)
            self.assertEqual(st, 401, "attempt %d: %s" % (i + 1, body))
        resp = c.login(LOCK_USER, "kunci-benar-1")  # the right password, but locked
        body = self.assertProblem(resp, 429)
        retry = resp[1].get("Retry-After")
        self.assertIsNotNone(retry, "429 without Retry-After")
        self.assertTrue(retry.isdigit() and 0 < int(retry) <= 15 * 60 + 1, retry)
        self.assertFalse(c.cookies)
        # The lock is on the account: another address cannot sign in to it either ...
        other = self.server.client(source_address="127.0.0.4")
        self.assertProblem(other.login(LOCK_USER, "kunci-benar-1"), 429)
        # ... while the address itself (5 failures) may still sign in to other accounts.
        st, _, body = c.login(support.COORDINATOR)
        self.assertEqual(st, 200, body)

    def test_address_locked_after_twenty_failures(self):
        c = self.server.client(source_address="127.0.0.3")
        for i in range(20):
            st, _, body = c.login("orang-%d@contoh.id" % i, "salah-sandi-%d" % i)
            self.assertEqual(st, 401, "attempt %d: %s" % (i + 1, body))
        resp = c.login(support.COORDINATOR)  # a valid login from the locked address
        self.assertProblem(resp, 429)
        # Without --trust-proxy a made-up X-Forwarded-For does not get round the lock.
        st, _, body = c.post("/api/v1/auth/login", {"email": support.COORDINATOR, "password": support.DEMO_PASSWORD},
                             headers={"X-Forwarded-For": "198.51.100.23"})
        self.assertEqual(st, 429, body)
        self.assertTrue((resp[1].get("Retry-After") or "").isdigit(), resp[1].get("Retry-After"))
        # Another address is not affected.
        st, _, body = self.server.client(source_address="127.0.0.5").login(support.COORDINATOR)
        self.assertEqual(st, 200, body)

    def test_passwd_from_the_command_line_ends_sessions(self):
        s = self.server.login(CLI_PW_USER, "ganti-lama-123")
        self.assertEqual(s.get("/api/v1/me")[0], 200)
        p = support.cli("user", "passwd", "--email", CLI_PW_USER, "--password-stdin",
                        "--database", support.db_url(self.server.db_path), stdin="ganti-baru-456\n")
        self.assertIn(CLI_PW_USER, p.stdout)
        self.assertProblem(s.get("/api/v1/me"), 401)
        self.assertProblem(self.server.client().login(CLI_PW_USER, "ganti-lama-123"), 401)
        self.assertEqual(self.server.client().login(CLI_PW_USER, "ganti-baru-456")[0], 200)

    # -- logout --------------------------------------------------------------------------
    def test_logout_ends_the_session(self):
        c = self.server.login(support.COORDINATOR)
        cookie = dict(c.cookies)
        st, h, _ = c.post("/api/v1/auth/logout")
        self.assertEqual(st, 204)
        sc = h.get("Set-Cookie") or ""
        self.assertTrue(sc.startswith("gotong_session=;") or "max-age=0" in sc.lower(), sc)
        # The old cookie no longer works, even when a client keeps sending it.
        c.cookies = cookie
        self.assertProblem(c.get("/api/v1/me"), 401)

    def test_logout_needs_csrf(self):
        c = self.server.login(support.COORDINATOR)
        c.send_csrf = False
        self.assertProblem(c.post("/api/v1/auth/logout"), 403)
        st, _, _ = c.get("/api/v1/me")
        self.assertEqual(st, 200, "a refused logout must leave the session alone")

    # -- CSRF ----------------------------------------------------------------------------
    def test_csrf_missing_or_wrong_is_403(self):
        c = self.server.login(support.COORDINATOR)
        c.send_csrf = False
        body = self.assertProblem(c.post("/api/v1/me/tokens", {"name": "tanpa csrf"}), 403)
        self.assertIn("CSRF", body["detail"])
        self.assertProblem(c.post("/api/v1/me/tokens", {"name": "csrf salah"},
                                  headers={"X-CSRF-Token": "x" * len(c.csrf_token)}), 403)
        self.assertProblem(c.post("/api/v1/me/tokens", {"name": "csrf kosong"},
                                  headers={"X-CSRF-Token": ""}), 403)
        # The CSRF token of another session is wrong too.
        other = self.server.login(support.COORDINATOR)
        self.assertProblem(c.post("/api/v1/me/tokens", {"name": "csrf orang lain"},
                                  headers={"X-CSRF-Token": other.csrf_token}), 403)
        st, _, tokens = c.get("/api/v1/me/tokens")  # GET needs none
        self.assertEqual(st, 200)
        self.assertFalse([t for t in tokens["items"] if t["name"].startswith("csrf") or t["name"] == "tanpa csrf"],
                         "a refused request created a token")
        c.send_csrf = True
        st, _, body = c.post("/api/v1/me/tokens", {"name": "dengan csrf"})
        self.assertEqual(st, 201, body)

    # -- password change -----------------------------------------------------------------
    def test_password_change(self):
        a = self.server.login(PW_USER, PW_OLD)
        b = self.server.login(PW_USER, PW_OLD)
        # The current password is required and checked.
        body = self.assertProblem(a.post("/api/v1/me/password", {"current_password": "bukan-ini-123",
                                                                  "new_password": PW_NEW}), 422)
        self.assertIn("current_password", [e["field"] for e in body.get("errors", [])])
        self.assertProblem(a.post("/api/v1/me/password", {"new_password": PW_NEW}), 422)
        self.assertProblem(a.post("/api/v1/me/password", {"current_password": PW_OLD, "new_password": "short"}), 422)
        self.assertEqual(b.get("/api/v1/me")[0], 200, "failed changes must not end sessions")
        self.assertEqual(self.server.client().login(PW_USER, PW_OLD)[0], 200, "the old password still holds")

        st, _, body = a.post("/api/v1/me/password", {"current_password": PW_OLD, "new_password": PW_NEW})
        self.assertEqual(st, 204, body)
        self.assertEqual(a.get("/api/v1/me")[0], 200, "the session that changed it stays")
        self.assertProblem(b.get("/api/v1/me"), 401)  # other sessions end
        self.assertProblem(self.server.client().login(PW_USER, PW_OLD), 401)
        st, _, body = self.server.client().login(PW_USER, PW_NEW)
        self.assertEqual(st, 200, body)

    # -- API tokens ----------------------------------------------------------------------
    def test_api_token_life_cycle(self):
        s = self.server.login(support.COORDINATOR)
        st, _, t = s.post("/api/v1/me/tokens", {"name": "skrip laporan"})
        self.assertEqual(st, 201, t)
        secret = t["token"]
        self.assertTrue(secret.startswith("gotong_"), secret)
        self.assertEqual(t["name"], "skrip laporan")
        self.assertTrue(secret.startswith(t["prefix"]))
        self.assertLess(len(t["prefix"]), len(secret) - 16)

        bearer = self.server.client(token=secret)
        st, h, me = bearer.get("/api/v1/me")
        self.assertEqual(st, 200, me)
        self.assertEqual(me["email"], support.COORDINATOR)
        self.assertIsNone(h.get("Set-Cookie"))
        # Unsafe methods need no CSRF header with a bearer token.
        st, _, t2 = bearer.post("/api/v1/me/tokens", {"name": "dari token"})
        self.assertEqual(st, 201, t2)

        st, _, listed = s.get("/api/v1/me/tokens")
        self.assertEqual(st, 200)
        ids = [x["id"] for x in listed["items"]]
        self.assertIn(t["id"], ids)
        self.assertIn(t2["id"], ids)
        for x in listed["items"]:
            self.assertNotIn("token", x, "the secret is shown only once")
            self.assertNotIn(secret, str(x))
        mine = next(x for x in listed["items"] if x["id"] == t["id"])
        self.assertEqual(mine["prefix"], t["prefix"])
        self.assertIsNone(mine["revoked_at"])

        # Another user cannot revoke it (not found for them).
        other = self.server.login(support.ADMIN)
        self.assertProblem(other.delete("/api/v1/me/tokens/%s" % t["id"]), 404)
        self.assertEqual(bearer.get("/api/v1/me")[0], 200)

        st, _, _ = s.delete("/api/v1/me/tokens/%s" % t["id"])
        self.assertEqual(st, 204)
        self.assertProblem(bearer.get("/api/v1/me"), 401)
        self.assertProblem(s.delete("/api/v1/me/tokens/%s" % t["id"]), 404)
        st, _, listed = s.get("/api/v1/me/tokens")
        mine = next(x for x in listed["items"] if x["id"] == t["id"])
        self.assertIsNotNone(mine["revoked_at"])
        # The other token still works.
        self.assertEqual(self.server.client(token=t2["token"]).get("/api/v1/me")[0], 200)

    def test_bad_bearer_tokens(self):
        for value in ("Bearer gotong_nonsense", "Bearer ", "Basic YWRtaW46eA==", "Bearer " + "g" * 5000):
            c = self.server.client()
            self.assertProblem(c.get("/api/v1/me", headers={"Authorization": value}), 401)

    def test_cli_token_create(self):
        p = support.cli("token", "create", "--user", support.VIEWER, "--name", "dari cli",
                        "--database", support.db_url(self.server.db_path))
        lines = p.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1, "only the token on stdout: %r" % p.stdout)
        token = lines[0].strip()
        self.assertTrue(token.startswith("gotong_"))
        st, _, me = self.server.client(token=token).get("/api/v1/me")
        self.assertEqual(st, 200, me)
        self.assertEqual(me["email"], support.VIEWER)
        p = support.cli("token", "create", "--user", "nobody@demo.gotong.id",
                        "--database", support.db_url(self.server.db_path), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("nobody@demo.gotong.id", p.stderr)


class BehindProxy(support.ServerTestCase):
    """`--secure-cookies --trust-proxy`: what a server behind a TLS-terminating proxy runs with."""

    @classmethod
    def setUpClass(cls):
        cls.server = support.Server(extra_args=["--secure-cookies", "--trust-proxy"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def login_from(self, address, email, password):
        c = self.server.client()
        return c.post("/api/v1/auth/login", {"email": email, "password": password},
                      headers={"X-Forwarded-For": "203.0.113.250, " + address})

    def test_secure_cookie(self):
        c = self.server.client()
        st, h, _ = c.login(support.ADMIN)
        self.assertEqual(st, 200)
        attrs = [a.strip().lower() for a in h.get("Set-Cookie").split(";")]
        self.assertIn("secure", attrs)
        self.assertIn("httponly", attrs)
        st, h, _ = c.post("/api/v1/auth/logout")
        self.assertEqual(st, 204)
        self.assertIn("secure", [a.strip().lower() for a in (h.get("Set-Cookie") or "").split(";")])

    def test_address_lock_follows_the_forwarded_address(self):
        # Every request comes from the proxy (127.0.0.1); the lock is on the client behind it.
        for i in range(20):
            st, _, body = self.login_from("192.0.2.10", "tamu-%d@contoh.id" % i, "salah-sandi-%d" % i)
            self.assertEqual(st, 401, "attempt %d: %s" % (i + 1, body))
        st, _, body = self.login_from("192.0.2.10", support.COORDINATOR, support.DEMO_PASSWORD)
        self.assertEqual(st, 429, body)
        st, _, body = self.login_from("192.0.2.11", support.COORDINATOR, support.DEMO_PASSWORD)
        self.assertEqual(st, 200, body)


if __name__ == "__main__":
    unittest.main()
