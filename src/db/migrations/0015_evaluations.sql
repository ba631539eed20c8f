-- Evaluations of programs: a baseline and an endline round of a survey, the outcome variables
-- compared between them, optional treatment and comparison areas (difference-in-differences with
-- errors clustered by the submissions' area at a chosen level), the OECD-DAC 2019 criteria rated
-- with evidence and narrative, and lessons learned. Results are computed from the submissions
-- each time they are read, never stored, so late or corrected data is always reflected.

CREATE TABLE evaluations (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  cluster_level INTEGER,                   -- area level of the clusters (4 village, 5 dusun, ...)
  lessons TEXT NOT NULL DEFAULT '[]',      -- JSON array of {text, category}
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX evaluations_program ON evaluations(program_id, id);

-- The two rounds. A round takes the submissions of one form, of the listed versions (JSON array
-- of version ids; '[]' for all) and received on dates from..to (either may be NULL).
CREATE TABLE evaluation_rounds (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
  round TEXT NOT NULL CHECK (round IN ('baseline', 'endline')),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  form_id BIGINT NOT NULL REFERENCES forms(id),
  version_ids TEXT NOT NULL DEFAULT '[]',
  date_from TEXT,
  date_to TEXT,
  PRIMARY KEY (evaluation_id, round)
);

-- Outcome variables in the order they are shown. kind: mean (of a number field), proportion (of
-- the units for which an expression holds), or indicator (computed like an indicator of the
-- program). `filter` limits the units counted (both kinds); `unit` names a repeat whose rows are
-- the units ('' = each submission).
CREATE TABLE evaluation_variables (
  id @ID@,
  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  position INTEGER NOT NULL,
  label TEXT NOT NULL,
  label_en TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('mean', 'proportion', 'indicator')),
  field TEXT NOT NULL DEFAULT '',
  expression TEXT NOT NULL DEFAULT '',
  filter TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  indicator_id BIGINT REFERENCES indicators(id),
  unit_label TEXT NOT NULL DEFAULT '',
  unit_label_en TEXT NOT NULL DEFAULT '',
  desired TEXT NOT NULL CHECK (desired IN ('increase', 'decrease', 'none'))
);
CREATE INDEX evaluation_variables_evaluation ON evaluation_variables(evaluation_id, position);

-- Treatment and comparison (control) areas.
CREATE TABLE evaluation_areas (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
  area_id BIGINT NOT NULL REFERENCES areas(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  arm TEXT NOT NULL CHECK (arm IN ('treatment', 'control')),
  PRIMARY KEY (evaluation_id, area_id)
);

-- OECD-DAC 2019 criteria: a rating 1–4 (or none yet), evidence (JSON array of strings) and narrative.
CREATE TABLE evaluation_criteria (
  evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
  criterion TEXT NOT NULL CHECK (criterion IN ('relevance', 'coherence', 'effectiveness', 'efficiency', 'impact',
                                               'sustainability')),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  rating INTEGER CHECK (rating BETWEEN 1 AND 4),
  evidence TEXT NOT NULL DEFAULT '[]',
  narrative TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (evaluation_id, criterion)
);
