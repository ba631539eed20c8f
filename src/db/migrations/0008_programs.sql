-- Programs, who may see them (sharing with partner users), their results frameworks, and the
-- stakeholders with their engagement log and follow-ups.
-- Dates without a time of day (program period, engagement and due dates) are 'YYYY-MM-DD'
-- text: they sort and compare as text on both engines, and a date typed in WITA does not move
-- to the day before, as a UTC midnight in milliseconds would. Times are int64 ms UTC as elsewhere.

-- Organisations and people a program deals with. A person may belong to an organisation.
-- Power and interest are scored 1–5; the Mendelow quadrant is computed (domain/stakeholders).
CREATE TABLE stakeholders (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('organisation', 'person')),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('government_office', 'village_government', 'ngo', 'community_group',
                                     'private_sector', 'academic', 'donor', 'media')),
  organisation_id BIGINT REFERENCES stakeholders(id),  -- a person's organisation
  position TEXT NOT NULL DEFAULT '',                    -- a person's position ("Kepala Desa")
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  power INTEGER CHECK (power BETWEEN 1 AND 5),
  interest INTEGER CHECK (interest BETWEEN 1 AND 5),
  notes TEXT NOT NULL DEFAULT '',
  search_key TEXT NOT NULL,                             -- folded name, position and organisation
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,                                    -- kept: the engagement log names them
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stakeholders_org ON stakeholders(org_id, name);
CREATE INDEX stakeholders_organisation ON stakeholders(organisation_id);

CREATE TABLE programs (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('planned', 'active', 'completed', 'suspended')),
  currency TEXT NOT NULL,                               -- ISO 4217, for the program's money
  tiers TEXT NOT NULL,                                  -- JSON array of the results framework's tier names, top first
  framework_template TEXT NOT NULL,                     -- the template the tiers came from, or 'custom'
  search_key TEXT NOT NULL,                             -- folded name and description
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,                                    -- kept: indicators, budget and activities point at it
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX programs_org ON programs(org_id, name);

CREATE TABLE program_areas (
  program_id BIGINT NOT NULL REFERENCES programs(id),
  area_id BIGINT NOT NULL REFERENCES areas(id),
  PRIMARY KEY (program_id, area_id)
);
CREATE INDEX program_areas_area ON program_areas(area_id);

CREATE TABLE program_problems (
  program_id BIGINT NOT NULL REFERENCES programs(id),
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  PRIMARY KEY (program_id, problem_id)
);
CREATE INDEX program_problems_problem ON program_problems(problem_id);

-- Users given access to a program. Partner users see only the programs listed here for them;
-- other roles see every program of the organisation.
CREATE TABLE program_members (
  program_id BIGINT NOT NULL REFERENCES programs(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  added_by BIGINT,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (program_id, user_id)
);
CREATE INDEX program_members_user ON program_members(user_id, org_id);

-- Donors, partners and others of a program; one stakeholder may have several roles in it.
CREATE TABLE program_stakeholders (
  program_id BIGINT NOT NULL REFERENCES programs(id),
  stakeholder_id BIGINT NOT NULL REFERENCES stakeholders(id),
  role TEXT NOT NULL CHECK (role IN ('donor', 'implementing_partner', 'government_counterpart',
                                     'beneficiary_group', 'other')),
  PRIMARY KEY (program_id, stakeholder_id, role)
);
CREATE INDEX program_stakeholders_stakeholder ON program_stakeholders(stakeholder_id);

-- The results framework (IATI result levels): a tree whose depth is the number of tiers; a
-- child is exactly one tier below its parent. Indicators and activities refer to nodes by a
-- foreign key, which is what keeps a node that has them from being deleted.
CREATE TABLE result_nodes (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  parent_id BIGINT REFERENCES result_nodes(id),
  tier INTEGER NOT NULL CHECK (tier >= 0),              -- 0 = top
  code TEXT NOT NULL DEFAULT '',                        -- "1.2", unique in the program when given
  title TEXT NOT NULL,
  narrative TEXT NOT NULL DEFAULT '',
  assumptions TEXT NOT NULL DEFAULT '',
  risks TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,                  -- order among siblings
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX result_nodes_program ON result_nodes(program_id, tier, position);
CREATE INDEX result_nodes_parent ON result_nodes(parent_id);
CREATE UNIQUE INDEX result_nodes_code ON result_nodes(program_id, code) WHERE code <> '';

CREATE TABLE result_node_problems (
  node_id BIGINT NOT NULL REFERENCES result_nodes(id),
  problem_id BIGINT NOT NULL REFERENCES problems(id),
  PRIMARY KEY (node_id, problem_id)
);
CREATE INDEX result_node_problems_problem ON result_node_problems(problem_id);

-- The engagement log: meetings, calls, letters, MoUs, visits with stakeholders.
CREATE TABLE engagements (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'letter', 'mou', 'visit', 'other')),
  held_on TEXT NOT NULL,                                -- date
  subject TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  program_id BIGINT REFERENCES programs(id),            -- the program it was about, if any
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX engagements_org ON engagements(org_id, held_on);

-- Attendees (or addressees): stakeholders (organisations and people) and users of the organisation.
CREATE TABLE engagement_stakeholders (
  engagement_id BIGINT NOT NULL REFERENCES engagements(id),
  stakeholder_id BIGINT NOT NULL REFERENCES stakeholders(id),
  PRIMARY KEY (engagement_id, stakeholder_id)
);
CREATE INDEX engagement_stakeholders_stakeholder ON engagement_stakeholders(stakeholder_id);
CREATE TABLE engagement_users (
  engagement_id BIGINT NOT NULL REFERENCES engagements(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (engagement_id, user_id)
);

CREATE TABLE follow_ups (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  engagement_id BIGINT NOT NULL REFERENCES engagements(id),
  description TEXT NOT NULL,
  due_date TEXT NOT NULL,
  owner_user_id BIGINT REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'done')),
  done_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX follow_ups_engagement ON follow_ups(engagement_id);
CREATE INDEX follow_ups_due ON follow_ups(org_id, status, due_date);
