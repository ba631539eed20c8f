"""The command line: version, users, organisations, errors, backup while serving, migrate."""

import hashlib
import os
import re
import sqlite3
import subprocess
import threading
import unittest

import support


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Cli(support.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = support.fresh_db()
        cls.url = support.db_url(cls.db)

    def run_cli(self, *args, stdin=None):
        return support.cli(*args, stdin=stdin, check=False)

    def test_version(self):
        p = self.run_cli("version")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.strip(), r"^gotong \d+\.\d+\.\d+\S*$")
        p2 = self.run_cli("--version")
        self.assertEqual(p2.returncode, 0)
        self.assertEqual(p2.stdout.strip(), p.stdout.strip())

    def test_no_subcommand_or_unknown_one_fails(self):
        for args in ((), ("frobnicate",), ("user",), ("user", "add", "--org", "demo")):
            with self.subTest(args=args):
                p = self.run_cli(*args)
                self.assertNotEqual(p.returncode, 0)
                self.assertTrue((p.stderr + p.stdout).strip())

    def test_user_add_with_bad_role(self):
        p = self.run_cli("user", "add", "--database", self.url, "--org", "demo", "--email", "peran@contoh.id",
                         "--role", "chief", "--password-stdin", stdin="peran-salah-1\n")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("chief", p.stderr)
        self.assertIn("role", p.stderr)
        self.assertIn("field_officer", p.stderr, "the message should list the valid roles")
        self.assertNotIn("peran@contoh.id", self.run_cli("user", "list", "--database", self.url).stdout)

    def test_user_add_errors(self):
        cases = [
            (("--org", "tidak-ada", "--email", "a1@contoh.id", "--role", "viewer"), "panjang-sekali-1", "tidak-ada"),
            (("--org", "demo", "--email", "bukan-email", "--role", "viewer"), "panjang-sekali-1", "e-mail"),
            (("--org", "demo", "--email", "a2@contoh.id", "--role", "viewer"), "pendek", "8"),
        ]
        for args, password, needle in cases:
            with self.subTest(args=args):
                p = self.run_cli("user", "add", "--database", self.url, *args, "--password-stdin",
                                 stdin=password + "\n")
                self.assertNotEqual(p.returncode, 0, p.stdout)
                self.assertIn(needle, p.stderr)
        listed = self.run_cli("user", "list", "--database", self.url).stdout
        self.assertNotIn("a1@contoh.id", listed)
        self.assertNotIn("a2@contoh.id", listed)

    def test_user_add_and_list(self):
        p = self.run_cli("org", "add", "--database", self.url, "--slug", "cli-org", "--name", "Organisasi CLI")
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.run_cli("org", "add", "--database", self.url, "--slug", "cli-org", "--name", "Lagi")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cli-org", p.stderr)
        p = self.run_cli("org", "add", "--database", self.url, "--slug", "Bad Slug!", "--name", "X")
        self.assertNotEqual(p.returncode, 0)
        p = support.add_user(self.db, "cli-org", "Baru.CLI@Contoh.id", "coordinator", "baru-cli-123", name="Baru CLI")
        self.assertIn("created user baru.cli@contoh.id", p.stdout)
        # An existing user joins another organisation without a password.
        p = self.run_cli("user", "add", "--database", self.url, "--org", "cli-org", "--email", support.VIEWER,
                         "--role", "partner", "--password-stdin", stdin="")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("added existing user", p.stdout)
        p = self.run_cli("user", "list", "--database", self.url, "--org", "cli-org")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = sorted(tuple(line.split("\t")[:2]) for line in p.stdout.strip().splitlines())
        self.assertEqual(rows, [("baru.cli@contoh.id", "coordinator"), (support.VIEWER, "partner")])

    def test_user_list_demo(self):
        p = self.run_cli("user", "list", "--database", self.url, "--org", "demo")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {}
        for line in p.stdout.strip().splitlines():
            email, role = line.split("\t")[:2]
            rows[email] = role
        self.assertEqual(rows, {email: role for role, email in support.DEMO_USERS.items()})
        p = self.run_cli("user", "list", "--database", self.url, "--org", "tidak-ada")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("tidak-ada", p.stderr)

    def test_bogus_database_url(self):
        never = os.path.join(support.new_dir("bogus"), "never-made.db")
        for args in (("migrate",), ("user", "list"), ("demo", "load"), ("backup", never),
                     ("serve", "--listen", "127.0.0.1:0")):
            with self.subTest(args=args):
                p = support.cli(*args, "--database", "bogus:x", check=False, timeout=20)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("bogus:x", p.stderr)
                self.assertIn("sqlite:", p.stderr, "the message should say what is expected")
                self.assertLess(len(p.stderr.strip().splitlines()), 5, p.stderr)
        self.assertFalse(os.path.exists(never))

    def test_database_from_environment(self):
        env = dict(os.environ, GOTONG_DATABASE=self.url)
        p = subprocess.run([support.BIN, "user", "list", "--org", "demo"], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(support.ADMIN, p.stdout)

    @unittest.skipIf(support.POSTGRES, "`gotong backup` writes a SQLite file; PostgreSQL is backed up with pg_dump")
    def test_backup_while_serving(self):
        db = support.fresh_db()
        srv = support.Server(db).start()
        self.addCleanup(srv.kill)
        admin = srv.login(support.ADMIN)
        bosen = support.area_by_code(admin, support.BOSEN_CODE)
        st, _, before = admin.post("/api/v1/orgs/demo/areas", {"parent_id": bosen["id"], "name": "Sebelum Cadangan"})
        self.assertEqual(st, 201, before)

        # Writes keep coming while the backup runs.
        stop = threading.Event()
        errors = []

        def writer():
            c = srv.client(token=None)
            c.cookies, c.csrf_token = dict(admin.cookies), admin.csrf_token
            i = 0
            while not stop.is_set():
                st, _, body = c.post("/api/v1/orgs/demo/areas", {"parent_id": bosen["id"], "name": "Selama %d" % i})
                if st != 201:
                    errors.append((st, body))
                i += 1

        t = threading.Thread(target=writer)
        t.start()
        try:
            out = os.path.join(support.new_dir("backup"), "cadangan.db")
            p = self.run_cli("backup", out, "--database", support.db_url(db))
        finally:
            stop.set()
            t.join()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(errors, [])
        self.assertTrue(os.path.isfile(out))
        self.assertFalse(os.path.exists(out + "-wal"), "a backup should be one file")
        con = sqlite3.connect("file:%s?mode=ro" % out, uri=True)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            emails = {r[0] for r in con.execute("SELECT email FROM users")}
            self.assertTrue(set(support.DEMO_USERS.values()) <= emails, emails)
            self.assertEqual(con.execute("SELECT name FROM areas WHERE id = ?", (int(before["id"]),)).fetchone(),
                             ("Sebelum Cadangan",))
            self.assertGreaterEqual(con.execute("SELECT COUNT(*) FROM areas WHERE org_id IS NULL").fetchone()[0], 91599)
        finally:
            con.close()
        # The server kept serving.
        self.assertEqual(admin.get("/api/v1/orgs/demo")[0], 200)

        digest = sha256(out)
        p = self.run_cli("backup", out, "--database", support.db_url(db))
        self.assertNotEqual(p.returncode, 0, "backup over an existing file must refuse")
        self.assertIn("exists", p.stderr)
        self.assertEqual(sha256(out), digest, "the existing file was changed")
        self.assertEqual(srv.stop(), 0)

    @unittest.skipIf(support.POSTGRES, "`gotong backup` writes a SQLite file; PostgreSQL is backed up with pg_dump")
    def test_backup_serves(self):
        # A backup is a working database: a server starts on it and signs users in.
        out = os.path.join(support.new_dir("backup"), "b.db")
        p = self.run_cli("backup", out, "--database", self.url)
        self.assertEqual(p.returncode, 0, p.stderr)
        srv = support.Server(out).start()
        self.addCleanup(srv.kill)
        st, _, me = srv.login(support.COORDINATOR).get("/api/v1/me")
        self.assertEqual(st, 200, me)
        self.assertEqual(srv.stop(), 0)

    def test_migrate_twice_is_idempotent(self):
        def counts():
            row = support.sql_scalars(db, "SELECT " + ", ".join(
                "(SELECT COUNT(*) FROM %s)" % t for t in ("areas", "area_words", "schema_migrations", "users",
                                                          "audit_log")))
            return tuple(int(v) for v in row)

        if support.POSTGRES:
            # A first migration of PostgreSQL takes ~10 s (the regions) and the shared template was
            # just made by one (`demo load`): start from a copy of it, and check that migrating and
            # loading the demo again change nothing.
            db = support.fresh_db()
            url = support.db_url(db)
            c0 = counts()
            self.assertGreaterEqual(c0[0], 91599)
            p1 = self.run_cli("migrate", "--database", url)
            self.assertEqual(p1.returncode, 0, p1.stderr)
            m1 = re.search(r"at migration (\d+) \((\d+) applied now\)", p1.stdout)
            self.assertIsNotNone(m1, p1.stdout)
            self.assertGreaterEqual(int(m1.group(1)), 3)
            self.assertEqual(m1.group(2), "0")
            self.assertEqual(counts(), c0)
            p3 = self.run_cli("demo", "load", "--database", url)
            self.assertEqual(p3.returncode, 0, p3.stderr)
            self.assertIn("already", p3.stdout)
            self.assertEqual(counts(), c0)
            return

        db = support.empty_db()
        url = support.db_url(db)
        p1 = self.run_cli("migrate", "--database", url)
        self.assertEqual(p1.returncode, 0, p1.stderr)
        m1 = re.search(r"at migration (\d+) \((\d+) applied now\)", p1.stdout)
        self.assertIsNotNone(m1, p1.stdout)
        self.assertGreaterEqual(int(m1.group(2)), 3)
        self.assertEqual(m1.group(1), m1.group(2), "a fresh database applies every migration")
        c1 = counts()
        self.assertEqual(c1[0], 91599)
        p2 = self.run_cli("migrate", "--database", url)
        self.assertEqual(p2.returncode, 0, p2.stderr)
        m2 = re.search(r"at migration (\d+) \((\d+) applied now\)", p2.stdout)
        self.assertIsNotNone(m2, p2.stdout)
        self.assertEqual(m2.group(1), m1.group(1))
        self.assertEqual(m2.group(2), "0")
        self.assertEqual(counts(), c1)
        # demo load twice: the second changes nothing either.
        self.assertEqual(self.run_cli("demo", "load", "--database", url).returncode, 0)
        c2 = counts()
        p3 = self.run_cli("demo", "load", "--database", url)
        self.assertEqual(p3.returncode, 0, p3.stderr)
        self.assertIn("already", p3.stdout)
        self.assertEqual(counts(), c2)

if __name__ == "__main__":
    unittest.main()
