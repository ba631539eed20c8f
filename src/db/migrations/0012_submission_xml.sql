-- Each submission's XML in a table of its own. It used to sit in the submissions row, in front
-- of the record: a scan of the records (indicators, exports, list filters) then read every XML
-- through SQLite's overflow pages, 4.6 GB for 1,000,000 survey submissions instead of the few
-- hundred megabytes of the rows themselves. The XML is read only to show, edit or compare one
-- submission.
CREATE TABLE submission_xml (
--@sqlite
  submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),  -- the rowid: no second index
--@end
--@postgresql
  submission_id BIGINT PRIMARY KEY REFERENCES submissions(id),
--@end
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  xml TEXT NOT NULL                      -- the current XML (after edits)
);
INSERT INTO submission_xml(submission_id, org_id, xml) SELECT id, org_id, xml FROM submissions;
ALTER TABLE submissions DROP COLUMN xml;
