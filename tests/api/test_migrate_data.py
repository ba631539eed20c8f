"""`gotong migrate-data`: a SQLite installation (demo workspace, submissions with an attachment,
audit log) moved into a new PostgreSQL database, verified, re-run safely, and served from there."""

import hashlib
import json
import os
import sqlite3
import unittest

import support
from test_submissions import ORG, instance, multipart, new_id, publish_form


@unittest.skipUnless(support.POSTGRES, "the target of the migration is a PostgreSQL database")
class MigrateData(support.ServerTestCase):
    def test_an_installation_moves_intact_and_can_be_moved_again(self):
        src_dir = support.new_dir("sqlite-src")
        src = os.path.join(src_dir, "g.db")
        support.cli("demo", "load", "--database", "sqlite:" + src, timeout=300)
        server = support.Server(src)
        server.dir = src_dir
        server.start()
        try:
            coordinator = server.login(support.COORDINATOR)
            officer = server.login(support.FIELD_OFFICER)
            key = "mig_" + new_id()[5:13]
            fid = publish_form(coordinator, key)
            photo = b"JPEG bytes of a water point " + os.urandom(16)
            xml = instance(key, "1", new_id(), photo="sumur.jpg")
            body, ctype = multipart([("xml_submission_file", "s.xml", "text/xml", xml),
                                     ("sumur.jpg", "sumur.jpg", "image/jpeg", photo)])
            st, _, raw = officer.raw("POST", ORG + "/forms/%s/submissions" % fid, body, {"Content-Type": ctype})
            self.assertEqual(st, 201, raw)
            sid = json.loads(raw)["id"]
            st, h, _ = coordinator.get(ORG + "/submissions/%s" % sid)
            st, _, _ = coordinator.patch(ORG + "/submissions/%s" % sid, {"state": "approved", "comment": "baik"},
                                         headers={"If-Match": h["ETag"]})
            self.assertEqual(st, 200)
            # A row pointing at a newer row of its own table (a person joins an organisation
            # registered after them) must still arrive: ids are copied in order.
            st, _, person = coordinator.post(ORG + "/stakeholders", {"kind": "person", "name": "Maria Nenobais",
                                                                     "type": "community_group"})
            self.assertEqual(st, 201, person)
            st, _, newer = coordinator.post(ORG + "/stakeholders", {"name": "Kelompok Tani Sejahtera",
                                                                    "type": "community_group"})
            self.assertEqual(st, 201, newer)
            st, _, person = coordinator.patch(ORG + "/stakeholders/%s" % person["id"],
                                              {"organisation_id": newer["id"]}, headers={"If-Match": '"v1"'})
            self.assertEqual((st, person.get("organisation_id")), (200, newer["id"]), person)
        finally:
            server.stop()

        con = sqlite3.connect(src)
        counts = {t: con.execute("SELECT COUNT(*) FROM %s" % t).fetchone()[0]
                  for t in ("organisations", "users", "audit_log", "forms", "submissions", "submission_comments",
                            "submission_attachments", "areas", "stakeholders")}
        con.close()

        target = support.pg_new_db()
        files_to = os.path.join(support.new_dir("pg-files"), "attachments")
        args = ["migrate-data", "--from", "sqlite:" + src, "--to", target, "--attachments-to", files_to]
        first = support.cli(*args, timeout=600)
        self.assertIn("done: every row and file is in the target", first.stdout)
        self.assertIn("attachments: 1 files copied", first.stdout)
        again = support.cli(*args, timeout=600)
        self.assertIn("done", again.stdout)
        self.assertIn("submissions: %d rows, 0 copied now, %d in the target" % (counts["submissions"],
                                                                                counts["submissions"]), again.stdout)
        for table, n in counts.items():
            self.assertEqual(support.psql(target, "SELECT COUNT(*) FROM %s" % table).strip(), str(n), table)

        pg_server = support.Server(target, extra_args=())
        pg_server.dir = os.path.dirname(files_to)
        pg_server.start()
        try:
            coordinator = pg_server.login(support.COORDINATOR)  # passwords and memberships came along
            st, _, detail = coordinator.get(ORG + "/submissions/%s" % sid)
            self.assertEqual((st, detail["state"], [c["body"] for c in detail["comments"]]), (200, "approved", ["baik"]))
            st, _, data = coordinator.raw("GET", ORG + "/submissions/%s/attachments/sumur.jpg" % sid)
            self.assertEqual((st, hashlib.sha256(data).hexdigest()), (200, hashlib.sha256(photo).hexdigest()))
            st, _, audit = pg_server.login(support.ADMIN).get(ORG + "/audit?object_type=submission&object_id=%s" % sid)
            self.assertIn("submission.review", [e["action"] for e in audit["items"]])
            st, _, moved = coordinator.get(ORG + "/stakeholders/%s" % person["id"])
            self.assertEqual((st, moved["organisation_id"], moved["organisation_name"]),
                             (200, newer["id"], "Kelompok Tani Sejahtera"))
            # New rows get new ids after the copied ones.
            st, _, raw = pg_server.login(support.FIELD_OFFICER).raw(
                "POST", ORG + "/forms/%s/submissions" % fid, instance(key, "1", new_id()),
                {"Content-Type": "application/xml"})
            self.assertEqual(st, 201, raw)
            self.assertGreater(int(json.loads(raw)["id"]), int(sid))
        finally:
            pg_server.stop()

        # A target with another installation's data is refused.
        other = support.fresh_db()  # a copy of the migrated template: no regions to load again
        support.cli("org", "add", "--slug", "lain", "--name", "Organisasi Lain", "--database", other, timeout=300)
        refused = support.cli("migrate-data", "--from", "sqlite:" + src, "--to", other, check=False, timeout=300)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("not in the source", refused.stderr)


if __name__ == "__main__":
    unittest.main()
