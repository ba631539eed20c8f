"""Indicators over column blocks (domain/submission_blocks): with blocks of three submissions
(GOTONG_SUBMISSION_BLOCK_ROWS), full computations write blocks and read them back, and every
change of a stored submission (edit, approve, reject, delete, restore) drops the block holding it
while new submissions leave blocks alone; after each change a full recomputation finds exactly the
values the incremental path kept (0 differences), for every calculation, unit and dimension kind."""

import os
import time
import unittest

import support
from test_indicators import SubmissionChanges, ORG, PROGRAMS, INDICATORS, HOUSEHOLDS, D1, D2, answers, new_id

BLOCK_ROWS = 3

# Households beyond A–E: varied answers, some empty, some outside the program.
MORE = [
    dict(area=D2, visit_date="2026-03-03", water="piped", head_sex="male", hh_size="6", spend="150.25",
         member=[("male", "4"), ("female", "0"), ("female", "33")]),
    dict(area=D1, visit_date="2026-05-09", water="", head_sex="female", hh_size="", spend="",
         member=[]),
    dict(area=D2, visit_date="2026-01-31", water="well", head_sex="", hh_size="2", spend="9",
         member=[("female", "70")]),
    dict(area=D1 + "0", visit_date="2026-07-04", water="piped", head_sex="female", hh_size="1", spend="9",
         member=[("male", "2"), ("male", "")]),
]


class BlockHelpers(SubmissionChanges, support.ServerTestCase):
    """A server with blocks of three; BUILD_SECONDS is how often it builds blocks in the
    background (0: never, so that the counts below change only through what the test does)."""
    BUILD_SECONDS = "0"

    @classmethod
    def setUpClass(cls):
        cls.db = support.fresh_db()
        os.environ["GOTONG_SUBMISSION_BLOCK_ROWS"] = str(BLOCK_ROWS)
        os.environ["GOTONG_BLOCK_BUILD_SECONDS"] = cls.BUILD_SECONDS
        try:
            cls.server = support.Server(cls.db).start()
        finally:
            del os.environ["GOTONG_SUBMISSION_BLOCK_ROWS"]
            del os.environ["GOTONG_BLOCK_BUILD_SECONDS"]
        cls.coord = cls.server.login(support.COORDINATOR)
        cls.officer = cls.server.login(support.FIELD_OFFICER)
        st, _, p = cls.coord.post(PROGRAMS, {"name": "Blok", "start_date": "2025-01-01", "end_date": "2026-12-31",
                                             "status": "active"})
        assert st == 201, p
        cls.program = p
        st, _, node = cls.coord.post(PROGRAMS + "/%s/results" % p["id"], {"title": "Air minum aman"})
        assert st == 201, node
        cls.node = node

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers -------------------------------------------------------------------------
    def form(self):
        return self.published_form("blk_")

    def submit(self, fid, h):
        st, _, body = self.officer.post(ORG + "/forms/%s/submissions" % fid,
                                        {"instance_id": new_id(), "answers": answers(h)})
        self.assertEqual(st, 201, body)
        return body["id"]

    def create(self, fid, title, calculation, dims=(), **computation):
        c = {"form_id": fid, "calculation": calculation}
        c.update(computation)
        measure = "percentage" if calculation == "percentage" else "unit"
        body = {"result_node_id": self.node["id"], "title": title, "measure": measure, "direction": "increase",
                "frequency": "quarterly", "source": "submissions", "computation": c, "dimensions": list(dims)}
        st, _, ind = self.coord.post(PROGRAMS + "/%s/indicators" % self.program["id"], body)
        self.assertEqual(st, 201, ind)
        return ind

    def values(self, ind):
        st, _, v = self.coord.get(INDICATORS + "/%s/values" % ind["id"])
        self.assertEqual(st, 200, v)
        v.pop("computed_at", None)
        return v

    def recompute_is_idle(self, ind):
        before = self.values(ind)
        st, _, r = self.coord.post(INDICATORS + "/%s/recompute" % ind["id"])
        self.assertEqual(st, 200, r)
        self.assertEqual(r["differences"], 0, (ind["title"], r))
        self.assertEqual(before, self.values(ind), ind["title"])
        return r

    def blocks(self, fid):
        row = support.sql_scalars(self.db, "SELECT COUNT(DISTINCT first_id), COUNT(*) FROM submission_blocks "
                                           "WHERE form_id = %d" % int(fid))
        return int(row[0])

    def make_indicators(self, fid):
        sex_dusun = [{"name": "sex", "kind": "field", "field": "head_sex"}, {"name": "dusun", "kind": "area", "level": 5}]
        return [
            self.create(fid, "piped by sex and dusun", "percentage", sex_dusun, filter="${water} = 'piped'",
                        denominator_filter="${hh_size} > 0", period_field="visit_date"),
            self.create(fid, "members under five by sex and age", "count",
                        [{"name": "sex", "kind": "field", "field": "m_sex"},
                         {"name": "age", "kind": "age_band", "field": "m_age", "bands": [1, 5, 18]}],
                        unit="member", filter="${m_age} < 5 or ${water} = 'well'"),
            self.create(fid, "median member age", "median", unit="member", value_field="m_age",
                        period_field="visit_date"),
            self.create(fid, "spending by desa", "sum", [{"name": "desa", "kind": "area", "level": 4}],
                        value_field="spend", include_has_issues=True),
            self.create(fid, "mean household size", "mean", value_field="hh_size", period_field="visit_date"),
            self.create(fid, "spend per person", "ratio", value_field="spend", denominator_field="hh_size"),
            self.create(fid, "distinct water answers", "distinct_count", value_field="water",
                        filter="selected(${water}, 'piped') or ${head_sex} = 'male'"),
            # Read through the expression engine: the row path, with blocks present.
            self.create(fid, "engine filter", "count", filter="string-length(${water}) = 5"),
        ]

    def wait_for_blocks(self, fid, count, seconds=20):
        deadline = time.time() + seconds
        while self.blocks(fid) != count and time.time() < deadline:
            time.sleep(0.1)
        return self.blocks(fid)


class IndicatorBlocks(BlockHelpers):
    def test_blocks_follow_every_change(self):
        fid = self.form()
        households = list(HOUSEHOLDS.values()) + MORE
        ids = [self.submit(fid, h) for h in households + households]  # 18 submissions
        inds = self.make_indicators(fid)
        # The first computation wrote the 18 submissions as 6 blocks of 3.
        self.assertEqual(self.blocks(fid), 6)
        for ind in inds:
            r = self.recompute_is_idle(ind)  # read from the blocks
            self.assertTrue(r["rows"] > 0, ind["title"])
        self.assertEqual(self.blocks(fid), 6)

        # Changes to submissions inside blocks drop exactly their block.
        self.edit(ids[0], {"water": "well", "visit_date": "2026-02-01"})
        self.assertEqual(self.blocks(fid), 5)
        self.review(ids[4], "approved")
        self.review(ids[5], "rejected")  # same block as ids[4]: already dropped
        self.assertEqual(self.blocks(fid), 4)
        self.bin(ids[7])
        self.assertEqual(self.blocks(fid), 3)
        new = [self.submit(fid, h) for h in MORE]  # new submissions: blocks untouched
        self.assertEqual(self.blocks(fid), 3)
        for ind in inds:
            self.recompute_is_idle(ind)  # blocks and rows together; the gaps become blocks again
        # The 9 oldest in 3 blocks again, 3 untouched, and 3 of the 4 new ones (the newest stays a row).
        self.assertEqual(self.blocks(fid), 7)

        # And back: restore, reject what was approved, edit a new one, in blocks written meanwhile.
        self.bin(ids[7], restore=True)
        self.review(ids[4], "rejected")
        self.review(ids[9], "approved")
        self.edit(new[0], {"spend": "77", "head_sex": "female"})
        self.bin(new[1])
        for ind in inds:
            self.recompute_is_idle(ind)


    def test_a_damaged_block_is_dropped_and_its_submissions_read_as_rows(self):
        fid = self.form()
        households = list(HOUSEHOLDS.values()) + MORE
        for h in households:  # 9 submissions: 3 blocks
            self.submit(fid, h)
        inds = self.make_indicators(fid)
        self.assertEqual(self.blocks(fid), 3)
        expected = [self.values(ind) for ind in inds]
        first, last = (int(v) for v in support.sql_scalars(
            self.db, "SELECT MIN(first_id), MAX(first_id) FROM submission_blocks WHERE form_id = %d" % int(fid)))
        # The first block's columns no longer decode; the last one has lost its state part.
        garbage = "'\\x00ff'::bytea" if support.POSTGRES else "x'00ff'"
        support.sql_exec(self.db, "UPDATE submission_blocks SET data = %s WHERE form_id = %d AND first_id = %d "
                                  "AND part <> 'state'" % (garbage, int(fid), first))
        support.sql_exec(self.db, "DELETE FROM submission_blocks WHERE form_id = %d AND first_id = %d "
                                  "AND part = 'state'" % (int(fid), last))
        for ind, before in zip(inds, expected):
            st, _, r = self.coord.post(INDICATORS + "/%s/recompute" % ind["id"])
            self.assertEqual(st, 200, (ind["title"], r))
            self.assertEqual(r["differences"], 0, (ind["title"], r))
            self.assertEqual(before, self.values(ind), ind["title"])
        # Both were dropped and built again from the rows, whole.
        self.assertEqual(self.blocks(fid), 3)
        damaged = support.sql_scalars(
            self.db, "SELECT COUNT(*) FROM submission_blocks WHERE form_id = %d AND %s" %
            (int(fid), "octet_length(data) = 2" if support.POSTGRES else "length(data) = 2"))
        self.assertEqual(damaged, ("0",))
        self.assertEqual(support.sql_scalars(
            self.db, "SELECT COUNT(*) FROM submission_blocks WHERE form_id = %d AND first_id = %d AND part = 'state'"
            % (int(fid), last)), ("1",))


class BackgroundBlocks(BlockHelpers):
    """`gotong serve` builds blocks on a thread of its own (here every second), in a read
    snapshot stored by a short write job, and keeps none that a change made meanwhile outdated."""
    BUILD_SECONDS = "1"

    def test_blocks_dropped_by_changes_are_built_again_in_the_background(self):
        fid = self.form()
        households = list(HOUSEHOLDS.values()) + MORE
        ids = [self.submit(fid, h) for h in households + households]  # 18 submissions
        inds = self.make_indicators(fid)
        self.assertEqual(self.blocks(fid), 6)
        self.edit(ids[0], {"water": "well"})
        self.review(ids[7], "approved")
        self.bin(ids[13])
        new = [self.submit(fid, h) for h in MORE + MORE]  # 8 more: two whole blocks, two rows
        # No recomputation: the background thread alone brings back the three dropped blocks and
        # makes the two new ones. It first makes the demo survey's (2,400 submissions in blocks of
        # three: about 30 s on PostgreSQL on two loaded cores), hence the long wait.
        self.assertEqual(self.wait_for_blocks(fid, 8, seconds=240), 8)
        for ind in inds:
            self.recompute_is_idle(ind)  # 0 differences: what it built matches the rows
        self.edit(new[0], {"spend": "12"})  # and a change after that drops its block again
        self.assertEqual(self.wait_for_blocks(fid, 8, seconds=60), 8)
        for ind in inds:
            self.recompute_is_idle(ind)


if __name__ == "__main__":
    unittest.main()
