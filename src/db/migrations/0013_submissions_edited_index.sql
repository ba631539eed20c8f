-- Receiving a submission looks it up by its current instanceID only to find an edited one (an
-- unedited submission's current instanceID is its instance_id, found through the unique index).
-- On SQLite the index of current instanceIDs therefore holds edited submissions only: one random
-- B-tree insert less for every submission received, one index page less in each group commit.
-- The queries repeat the condition (domain/submissions.cpp edited_only) so SQLite uses it.
-- PostgreSQL keeps the full index: there the two columns have different collations ("C" for
-- instance_id), which a comparison between them cannot mix.
--@sqlite
DROP INDEX submissions_current;
CREATE INDEX submissions_edited ON submissions(form_id, current_instance_id)
  WHERE current_instance_id <> instance_id;
--@end
--@postgresql
COMMENT ON INDEX submissions_current IS 'current instanceIDs of all submissions (SQLite keeps only edited ones)';
--@end
