-- Problems and needs assessment: the community's problems with their evidence, prioritisation
-- sessions (a weighted scoring matrix or pairwise ranking, scored by several participants), and
-- a problem tree per core problem (causes below it, effects above) whose nodes also carry the
-- desired state written by the user (the objective tree). Times are int64 ms UTC; lists shown
-- as they were typed are JSON text.

CREATE TABLE problems (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  area_id BIGINT REFERENCES areas(id),
  affected_groups TEXT NOT NULL DEFAULT '[]',  -- JSON [{"name": "...", "count": 120 | null}]
  source TEXT NOT NULL CHECK (source IN ('musyawarah_desa', 'survey', 'observation', 'government_data', 'other')),
  tags TEXT NOT NULL DEFAULT '{"sdg_goals":[],"sectors":[]}',  -- JSON, SDGs Desa goals 1-18 and sectors as typed
  tag_key TEXT NOT NULL DEFAULT ' ',            -- " sdg:6 sector:air-bersih ": the tag filter's LIKE '% sdg:6 %'
  status TEXT NOT NULL CHECK (status IN ('open', 'addressed', 'dropped')),
  search_key TEXT NOT NULL,                     -- folded title, description and affected groups
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,                            -- in the bin; programs and sessions may still name it
  version INTEGER NOT NULL DEFAULT 1,
  tree_version INTEGER NOT NULL DEFAULT 1       -- the problem tree's own If-Match version
);
CREATE INDEX problems_org ON problems(org_id, id);
CREATE INDEX problems_area ON problems(area_id);

-- What shows the problem is real: a form field (its summary), an indicator, a document, a URL.
CREATE TABLE problem_evidence (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  kind TEXT NOT NULL CHECK (kind IN ('form_field', 'indicator', 'document', 'url')),
  form_id BIGINT REFERENCES forms(id),          -- kind form_field: the form, reference is the field's path
  reference TEXT NOT NULL,                      -- field path, indicator id or code, document name, URL
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX problem_evidence_problem ON problem_evidence(problem_id, id);

-- A prioritisation session (a musyawarah, a team meeting) ranking some problems.
CREATE TABLE prioritisations (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  held_on TEXT,                                 -- 'YYYY-MM-DD', when it took place
  method TEXT NOT NULL CHECK (method IN ('scoring', 'pairwise')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'closed')),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT,
  deleted_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX prioritisations_org ON prioritisations(org_id, id);

CREATE TABLE prioritisation_problems (
  prioritisation_id BIGINT NOT NULL REFERENCES prioritisations(id),
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (prioritisation_id, problem_id)
);
CREATE INDEX prioritisation_problems_problem ON prioritisation_problems(problem_id);

-- The scoring matrix's criteria (scoring sessions only); weights are > 0.
CREATE TABLE prioritisation_criteria (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  prioritisation_id BIGINT NOT NULL REFERENCES prioritisations(id),
  key TEXT NOT NULL DEFAULT '',                 -- severity, people_affected, urgency, feasibility, community_priority; '' when added
  name TEXT NOT NULL,
  weight DOUBLE PRECISION NOT NULL CHECK (weight > 0),
  position INTEGER NOT NULL
);
CREATE INDEX prioritisation_criteria_session ON prioritisation_criteria(prioritisation_id, position);

-- A participant is a user of the organisation or a name typed by the facilitator; `participant`
-- is "user:<id>" or "name:<folded name>", so a second entry by the same person replaces the first.
CREATE TABLE prioritisation_scores (
  prioritisation_id BIGINT NOT NULL REFERENCES prioritisations(id),
  participant TEXT NOT NULL,
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  criterion_id BIGINT NOT NULL REFERENCES prioritisation_criteria(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  participant_name TEXT NOT NULL,
  user_id BIGINT,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  entered_by BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (prioritisation_id, participant, problem_id, criterion_id)
);
CREATE INDEX prioritisation_scores_criterion ON prioritisation_scores(criterion_id);

-- One vote per participant and unordered pair, stored with problem_a < problem_b.
CREATE TABLE prioritisation_votes (
  prioritisation_id BIGINT NOT NULL REFERENCES prioritisations(id),
  participant TEXT NOT NULL,
  problem_a BIGINT NOT NULL REFERENCES problems(id),
  problem_b BIGINT NOT NULL REFERENCES problems(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  participant_name TEXT NOT NULL,
  user_id BIGINT,
  winner TEXT NOT NULL CHECK (winner IN ('a', 'b', 'tie')),
  entered_by BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (prioritisation_id, participant, problem_a, problem_b),
  CHECK (problem_a < problem_b)
);

-- The problem tree of a core problem: one core node, causes below it (a cause's parent is the
-- core or another cause), effects above it (an effect's parent is the core or another effect).
-- objective_text is the desired state the user writes for the objective tree; empty until then.
CREATE TABLE problem_tree_nodes (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  parent_id BIGINT REFERENCES problem_tree_nodes(id),
  kind TEXT NOT NULL CHECK (kind IN ('core', 'cause', 'effect')),
  text TEXT NOT NULL,
  objective_text TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,          -- order among siblings
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX problem_tree_nodes_problem ON problem_tree_nodes(problem_id, position);
CREATE INDEX problem_tree_nodes_parent ON problem_tree_nodes(parent_id);
