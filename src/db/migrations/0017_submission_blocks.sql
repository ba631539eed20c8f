-- A columnar copy of the stored records of a form's submissions, which the full computation of
-- an indicator reads instead of the rows (analytics/column_block.hpp, domain/submission_blocks).
-- A block holds EVERY submission of the form with an id in [first_id, last_id], whatever its
-- state or bin, one set of parts per form version present; each part is one column (so a
-- computation reads only the columns its indicator needs). Derived data: built by the full
-- computation, deleted in the transaction that changes any submission it covers (new
-- submissions get higher ids and never touch a block), never copied between databases.
CREATE TABLE submission_blocks (
  form_id BIGINT NOT NULL,
  first_id BIGINT NOT NULL,
  last_id BIGINT NOT NULL,
  version_id BIGINT NOT NULL,
  row_count INTEGER NOT NULL,   -- submissions of this version in the block
  part TEXT NOT NULL,           -- "state", "time", "area", "exc", "t<T>", "c<T>.<C>"
  data @BLOB@ NOT NULL,
  PRIMARY KEY (form_id, first_id, version_id, part)
);
