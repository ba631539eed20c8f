-- The sections a coordinator writes for a program's progress report, one set per program,
-- reporting period and language ('id' or 'en': a report in one language shows the other's text
-- when none was written in its own). Updated in place with a version for If-Match; every change
-- is in the audit log with the text before and after.
CREATE TABLE report_narratives (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  period_from TEXT NOT NULL,   -- 'YYYY-MM-DD'
  period_to TEXT NOT NULL,     -- 'YYYY-MM-DD', >= period_from
  lang TEXT NOT NULL CHECK (lang IN ('id', 'en')),
  summary TEXT NOT NULL DEFAULT '',
  achievements TEXT NOT NULL DEFAULT '',
  challenges TEXT NOT NULL DEFAULT '',
  lessons TEXT NOT NULL DEFAULT '',
  next_steps TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  updated_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (program_id, period_from, period_to, lang)
);
