#!/usr/bin/env python3
"""The storage floor of receiving a submission: what SQLite alone costs to keep one durably, with
nothing of Gotong around it. Rows shaped like the ones a received submission writes (the
submission with its unique instanceID and two indexes, its XML, the audit row with two indexes),
in group commits of --group, WAL with synchronous=FULL and SQLite's automatic checkpoint, through
Python's sqlite3 module (a few microseconds per statement of its own are included). Prints the
CPU and wall time per submission for each XML size. It tells what part of a submission's CPU
budget storage takes on this machine (docs/PERFORMANCE.md, ingestion).

Run: python3 bench/sqlite_floor_bench.py [--submissions 40000] [--group 16] [--xml-bytes 2850,800,0]
"""
import argparse
import os
import sqlite3
import tempfile
import time
import uuid

SCHEMA = """
CREATE TABLE submissions(id INTEGER PRIMARY KEY, org_id INT, form_id INT, version_id INT,
  instance_id TEXT, current_instance_id TEXT, content_digest TEXT, state TEXT, issues_json TEXT,
  record TEXT, submitted_at INT, UNIQUE(form_id, instance_id));
CREATE INDEX submissions_form ON submissions(form_id, id);
CREATE INDEX submissions_org ON submissions(org_id, id);
CREATE TABLE submission_xml(submission_id INTEGER PRIMARY KEY, org_id INT, xml TEXT);
CREATE TABLE audit_log(id INTEGER PRIMARY KEY, org_id INT, action TEXT, object_type TEXT,
  object_id TEXT, details TEXT, at INT);
CREATE INDEX audit_log_org ON audit_log(org_id, id);
CREATE INDEX audit_log_object ON audit_log(org_id, object_type, object_id);
"""

RECORD = "r" * 700  # the demo survey's encoded records average about 700 bytes
DETAILS = '{"form_id":"1","instance_id":"uuid:0","state":"received","issues":0,"source":"openrosa"}'


def run(path, submissions, group, xml_bytes):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    xml = "x" * xml_bytes
    ids = ["uuid:" + str(uuid.uuid4()) for _ in range(submissions)]  # made before the clock starts
    now = int(time.time() * 1000)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for g in range(0, submissions, group):
        db.execute("BEGIN IMMEDIATE")
        for iid in ids[g:g + group]:
            sid = db.execute(
                "INSERT INTO submissions(org_id, form_id, version_id, instance_id, current_instance_id, "
                "content_digest, state, issues_json, record, submitted_at) "
                "VALUES (1, 1, 1, ?, ?, ?, 'received', '[]', ?, ?) RETURNING id",
                (iid, iid, "blake2b:" + "0" * 64, RECORD, now)).fetchone()[0]
            if xml_bytes:
                db.execute("INSERT INTO submission_xml VALUES (?, 1, ?)", (sid, xml))
            db.execute("INSERT INTO audit_log(org_id, action, object_type, object_id, details, at) "
                       "VALUES (1, 'submission.create', 'submission', ?, ?, ?)", (str(sid), DETAILS, now))
        db.execute("COMMIT")
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    db.close()
    return cpu / submissions * 1e6, wall / submissions * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=40000)
    ap.add_argument("--group", type=int, default=16, help="submissions per commit")
    ap.add_argument("--xml-bytes", default="2850,800,0", help="comma-separated XML sizes to try")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gotong-sqlite-floor-") as d:
        for size in (int(s) for s in a.xml_bytes.split(",")):
            path = os.path.join(d, "floor-%d.db" % size)
            cpu, wall = run(path, a.submissions, a.group, size)
            print("XML %5d bytes: %4.0f µs CPU, %4.0f µs wall per submission (%d submissions, groups of %d)"
                  % (size, cpu, wall, a.submissions, a.group))


if __name__ == "__main__":
    main()
