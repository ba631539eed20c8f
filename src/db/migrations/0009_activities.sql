-- Activities and events of programs, the participant register with attendance, budgets with
-- their expenditures (realisasi), and feedback and complaints from the community.
-- Dates without a time of day are 'YYYY-MM-DD' text and budget periods 'YYYY-MM' text (both
-- sort and compare as text on either engine); times are int64 ms UTC; money is int64 in the
-- program currency's minor units (whole rupiah for IDR).

-- Activities hang below a node of the program's results framework (normally the lowest tier).
-- Deleting one is refused while events or budget lines name it, so rows are really deleted.
CREATE TABLE activities (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  result_node_id BIGINT NOT NULL REFERENCES result_nodes(id),
  code TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'done', 'cancelled', 'postponed')),
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL,
  actual_start TEXT,
  actual_end TEXT,
  responsible_user_id BIGINT REFERENCES users(id),
  responsible_stakeholder_id BIGINT REFERENCES stakeholders(id),  -- a partner organisation or person
  area_id BIGINT REFERENCES areas(id),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX activities_program ON activities(program_id, planned_start);
CREATE INDEX activities_node ON activities(result_node_id);

-- Trainings, meetings, distributions, musyawarah: the sessions where people are reached.
-- program_id repeats the activity's (an activity never changes program) so that counts per
-- program need no join through activities.
CREATE TABLE events (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  kind TEXT NOT NULL CHECK (kind IN ('training', 'meeting', 'distribution', 'musyawarah', 'other')),
  title TEXT NOT NULL DEFAULT '',
  held_on TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  area_id BIGINT REFERENCES areas(id),
  notes TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX events_activity ON events(activity_id, held_on);
CREATE INDEX events_program ON events(program_id, held_on);

-- Who led an event: a user of the organisation, a stakeholder, or just a name.
CREATE TABLE event_facilitators (
  event_id BIGINT NOT NULL REFERENCES events(id),
  position INTEGER NOT NULL,
  user_id BIGINT REFERENCES users(id),
  stakeholder_id BIGINT REFERENCES stakeholders(id),
  name TEXT NOT NULL,
  PRIMARY KEY (event_id, position)
);

-- The key that NIKs are hashed with, one per organisation, made on first use. A copy of one
-- organisation's participants cannot be matched against another's by NIK digest.
CREATE TABLE participant_salts (
  org_id BIGINT PRIMARY KEY REFERENCES organisations(id),
  salt TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- The participant register. The NIK is never stored, only its keyed digest. `village_id` is
-- the village (level 4) of the area, kept for duplicate detection by name + birth year +
-- village; `name_key` the folded name. `disability` follows the Washington Group cut-off
-- (any domain a_lot or cannot), computed from the six domains when written.
CREATE TABLE participants (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  name_key @KEY@ NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
  birth_year INTEGER,
  wg_seeing TEXT CHECK (wg_seeing IN ('none', 'some', 'a_lot', 'cannot')),
  wg_hearing TEXT CHECK (wg_hearing IN ('none', 'some', 'a_lot', 'cannot')),
  wg_walking TEXT CHECK (wg_walking IN ('none', 'some', 'a_lot', 'cannot')),
  wg_remembering TEXT CHECK (wg_remembering IN ('none', 'some', 'a_lot', 'cannot')),
  wg_self_care TEXT CHECK (wg_self_care IN ('none', 'some', 'a_lot', 'cannot')),
  wg_communicating TEXT CHECK (wg_communicating IN ('none', 'some', 'a_lot', 'cannot')),
  disability TEXT NOT NULL CHECK (disability IN ('with', 'without', 'unknown')),
  area_id BIGINT REFERENCES areas(id),
  village_id BIGINT REFERENCES areas(id),
  phone TEXT NOT NULL DEFAULT '',
  nik_hash @KEY@,
  -- Set when merged into another participant. No foreign key: the kept participant may be newer
  -- (a higher id), and `gotong migrate-data` copies rows in any order.
  merged_into BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX participants_org ON participants(org_id, name_key);
-- Duplicate detection groups these keys over live participants only: partial indexes that
-- cover the grouping, so no table row is read for a participant without a twin.
CREATE INDEX participants_nik ON participants(org_id, nik_hash)
  WHERE nik_hash IS NOT NULL AND deleted_at IS NULL AND merged_into IS NULL;
CREATE INDEX participants_same_person ON participants(org_id, name_key, birth_year, village_id)
  WHERE deleted_at IS NULL AND merged_into IS NULL;

-- Pairs a coordinator looked at and found to be two different people (twins, namesakes): no
-- longer offered for merging. low_id < high_id.
CREATE TABLE participant_distinct_pairs (
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  low_id BIGINT NOT NULL REFERENCES participants(id),
  high_id BIGINT NOT NULL REFERENCES participants(id),
  decided_by BIGINT,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (low_id, high_id)
);

CREATE TABLE attendance (
  event_id BIGINT NOT NULL REFERENCES events(id),
  participant_id BIGINT NOT NULL REFERENCES participants(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  recorded_by BIGINT,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (event_id, participant_id)
);
CREATE INDEX attendance_participant ON attendance(participant_id);

-- Budget lines of a program, optionally of one of its activities. `category` is an APBDes
-- bidang ('apbdes_1' … 'apbdes_5') or a free category of the organisation's own.
CREATE TABLE budget_lines (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  activity_id BIGINT REFERENCES activities(id),
  code TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  funding_source TEXT NOT NULL CHECK (funding_source IN ('donor', 'apbdes', 'swadaya', 'other')),
  donor_stakeholder_id BIGINT REFERENCES stakeholders(id),  -- the donor when funding_source = 'donor'
  output_unit TEXT NOT NULL DEFAULT '',                      -- "latrine", for the cost per unit
  output_planned BIGINT,
  output_actual BIGINT,
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX budget_lines_program ON budget_lines(program_id, code);
CREATE INDEX budget_lines_activity ON budget_lines(activity_id);

-- Planned amounts of a line per month.
CREATE TABLE budget_amounts (
  line_id BIGINT NOT NULL REFERENCES budget_lines(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  period TEXT NOT NULL,                                      -- 'YYYY-MM'
  amount BIGINT NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (line_id, period)
);

-- Realisasi: money spent against a line, with the receipt's file in the attachment store.
CREATE TABLE expenditures (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  line_id BIGINT NOT NULL REFERENCES budget_lines(id),
  spent_on TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  payee TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  receipt_sha256 TEXT,
  receipt_name TEXT,
  receipt_type TEXT,
  receipt_size BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,                                         -- kept for the books; not counted
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX expenditures_line ON expenditures(line_id, spent_on);
CREATE INDEX expenditures_program ON expenditures(program_id, spent_on);

-- The public address through which the community sends feedback about a program without an
-- account. The token is kept as it is: it is printed on posters and shown to coordinators
-- again, and it opens nothing but this one form. At most one live link per program.
CREATE TABLE feedback_links (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  token @KEY@ NOT NULL UNIQUE,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX feedback_links_live ON feedback_links(program_id) WHERE revoked_at IS NULL;

CREATE TABLE feedback (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT REFERENCES programs(id),
  reference @KEY@ NOT NULL,                                   -- what the sender gets back
  channel TEXT NOT NULL CHECK (channel IN ('in_person', 'phone', 'sms_whatsapp', 'letter', 'box',
                                           'public_link')),
  category TEXT NOT NULL CHECK (category IN ('question', 'suggestion', 'complaint', 'sensitive')),
  message TEXT NOT NULL,
  anonymous INTEGER NOT NULL DEFAULT 0,
  sender_name TEXT NOT NULL DEFAULT '',
  sender_contact TEXT NOT NULL DEFAULT '',
  area_id BIGINT REFERENCES areas(id),
  status TEXT NOT NULL CHECK (status IN ('received', 'in_progress', 'resolved')),
  response TEXT NOT NULL DEFAULT '',
  received_at BIGINT NOT NULL,
  first_response_at BIGINT,                                  -- first left 'received' or answered
  resolved_at BIGINT,                                        -- cleared when reopened
  reopened INTEGER NOT NULL DEFAULT 0,
  received_by BIGINT REFERENCES users(id),                   -- NULL through the public link
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX feedback_reference ON feedback(org_id, reference);
CREATE INDEX feedback_org ON feedback(org_id, received_at);
CREATE INDEX feedback_program ON feedback(program_id, received_at);

-- Posts through public links per sender address (a digest of it: anonymous senders' addresses
-- are not kept), in the database so that several gotong processes share the count.
CREATE TABLE feedback_throttle (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  window_start BIGINT NOT NULL
);
CREATE INDEX feedback_throttle_window ON feedback_throttle(window_start);
