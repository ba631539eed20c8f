"""The backup and restore procedures of docs/OPERATIONS.md, run as written: SQLite with
`gotong backup` and a copy of the attachment directory; PostgreSQL with pg_dump / pg_restore.
The restored installation serves the same data, logins and attachments."""

import hashlib
import json
import os
import shutil
import subprocess

import support
from test_submissions import ORG, instance, multipart, new_id, publish_form


def pg_tool(name, *args):
    p = subprocess.run([os.path.join(support.pg_bindir(), name), *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError("%s %s: exit %d\n%s" % (name, " ".join(args), p.returncode, p.stderr))
    return p.stdout


class BackupRestore(support.ServerTestCase):
    def make_data(self, server):
        coordinator = server.login(support.COORDINATOR)
        key = "bak_" + new_id()[5:13]
        fid = publish_form(coordinator, key)
        photo = b"photo of a latrine " + os.urandom(24)
        xml = instance(key, "1", new_id(), photo="jamban.jpg")
        body, ctype = multipart([("xml_submission_file", "s.xml", "text/xml", xml),
                                 ("jamban.jpg", "jamban.jpg", "image/jpeg", photo)])
        st, _, raw = server.login(support.FIELD_OFFICER).raw("POST", ORG + "/forms/%s/submissions" % fid, body,
                                                             {"Content-Type": ctype})
        self.assertEqual(st, 201, raw)
        return json.loads(raw)["id"], hashlib.sha256(photo).hexdigest()

    def check_restored(self, server, sid, digest):
        coordinator = server.login(support.COORDINATOR)
        st, _, detail = coordinator.get(ORG + "/submissions/%s" % sid)
        self.assertEqual(st, 200, detail)
        st, _, data = coordinator.raw("GET", ORG + "/submissions/%s/attachments/jamban.jpg" % sid)
        self.assertEqual((st, hashlib.sha256(data).hexdigest()), (200, digest))

    def test_restore_from_backup(self):
        db = support.fresh_db()
        server = support.Server(db).start()
        try:
            sid, digest = self.make_data(server)
            backup_dir = support.new_dir("backup")
            if support.POSTGRES:
                # pg_dump -Fc "$DATABASE" > gotong.dump   (while serving)
                dump = os.path.join(backup_dir, "gotong.dump")
                pg_tool("pg_dump", "-Fc", "-f", dump, "-d", db)
            else:
                # gotong backup var/backup/gotong-DATE.db   (while serving)
                dump = os.path.join(backup_dir, "gotong.db")
                support.cli("backup", dump, "--database", support.db_url(db))
            # cp -a var/attachments BACKUP/   (append-only, content-addressed: a plain copy is safe)
            shutil.copytree(os.path.join(server.dir, "attachments"), os.path.join(backup_dir, "attachments"))
        finally:
            server.stop()

        if support.POSTGRES:
            # createdb gotong_restored && pg_restore -d gotong_restored gotong.dump
            restored = support.pg_new_db()
            pg_tool("pg_restore", "--no-owner", "-d", restored, dump)
            new_server = support.Server(restored)
            new_server.dir = support.new_dir("restored")
        else:
            restored_dir = support.new_dir("restored")
            restored = os.path.join(restored_dir, "g.db")
            shutil.copyfile(dump, restored)
            new_server = support.Server(restored)
        shutil.copytree(os.path.join(backup_dir, "attachments"), os.path.join(new_server.dir, "attachments"))
        new_server.start()
        try:
            self.check_restored(new_server, sid, digest)
        finally:
            new_server.stop()


if __name__ == "__main__":
    import unittest
    unittest.main()
