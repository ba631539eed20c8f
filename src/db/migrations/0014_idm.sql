-- The Village Development Index (Indeks Desa Membangun): one assessment per village and year
-- with its indicator scores 0–5, and links from IDM indicators to the problems and programs
-- that address them. The indicator definitions are data built into the binary
-- (data/idm/indicators.csv); rows name them by code ("IKS.01"). Indices are computed when read,
-- never stored, so a corrected score cannot leave a stale index behind.

CREATE TABLE idm_assessments (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  area_id BIGINT NOT NULL REFERENCES areas(id),  -- a village (level 4)
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  notes TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL CHECK (source IN ('entry', 'import')),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX idm_assessments_village_year ON idm_assessments(org_id, area_id, year);

CREATE TABLE idm_scores (
  assessment_id BIGINT NOT NULL REFERENCES idm_assessments(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  indicator TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 5),
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (assessment_id, indicator)
);

-- Exactly one of problem_id and program_id is set.
CREATE TABLE idm_links (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  indicator TEXT NOT NULL,
  problem_id BIGINT REFERENCES problems(id),
  program_id BIGINT REFERENCES programs(id),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  CHECK ((problem_id IS NULL) <> (program_id IS NULL))
);
CREATE INDEX idm_links_indicator ON idm_links(org_id, indicator);
CREATE UNIQUE INDEX idm_links_problem ON idm_links(indicator, problem_id) WHERE problem_id IS NOT NULL;
CREATE UNIQUE INDEX idm_links_program ON idm_links(indicator, program_id) WHERE program_id IS NOT NULL;
