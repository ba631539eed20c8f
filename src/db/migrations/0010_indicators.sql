-- Indicators (IATI 2.03 result/indicator): their definitions with baselines and targets, the
-- running aggregates of indicators computed from submissions, and values entered by hand with
-- their approval workflow. Numbers that are indicator values (targets, baselines, values entered
-- by hand) are DOUBLE PRECISION: percentages and means are not whole numbers. Sums kept by the
-- running aggregates are fixed-point BIGINT (4 decimals, analytics/aggregates.hpp) so that adding
-- and taking away one submission at a time stays exact.

CREATE TABLE indicators (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  program_id BIGINT NOT NULL REFERENCES programs(id),
  result_node_id BIGINT NOT NULL REFERENCES result_nodes(id),  -- the level it measures
  code TEXT NOT NULL DEFAULT '',                        -- "1.1a", unique in the program when given
  title TEXT NOT NULL,
  definition TEXT NOT NULL DEFAULT '',
  measure TEXT NOT NULL CHECK (measure IN ('unit', 'percentage', 'nominal', 'ordinal', 'qualitative')),
  direction TEXT NOT NULL CHECK (direction IN ('increase', 'decrease', 'maintain')),
  unit_label TEXT NOT NULL DEFAULT '',                  -- "households", "%", "litres per person"
  frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly', 'life_of_program')),
  aggregation TEXT NOT NULL CHECK (aggregation IN ('per_period', 'cumulative')),
  margin_percent DOUBLE PRECISION NOT NULL DEFAULT 10,  -- on track within ± this % of the target
  source TEXT NOT NULL CHECK (source IN ('submissions', 'manual', 'attendance')),
  -- Computed from submissions (source 'submissions'); see analytics/plan.hpp.
  form_id BIGINT REFERENCES forms(id),
  calculation TEXT CHECK (calculation IN ('count', 'sum', 'mean', 'median', 'ratio', 'percentage', 'distinct_count')),
  unit_repeat TEXT NOT NULL DEFAULT '',                 -- '' = each submission counts; else each row of this repeat
  filter_expression TEXT NOT NULL DEFAULT '',
  denominator_filter TEXT NOT NULL DEFAULT '',
  value_field TEXT NOT NULL DEFAULT '',
  denominator_field TEXT NOT NULL DEFAULT '',
  period_field TEXT NOT NULL DEFAULT '',                -- '' = when the server received the submission
  include_has_issues INTEGER NOT NULL DEFAULT 0,        -- count submissions that broke a rule of the form too
  dimensions TEXT NOT NULL DEFAULT '[]',                -- JSON [{name, kind, field, bands, level | values}]
  means_of_verification TEXT NOT NULL DEFAULT '',
  responsible_user_id BIGINT REFERENCES users(id),
  -- The program period the stored aggregates were computed for (units dated outside it do not
  -- count); when the program's period changes the values need a recomputation.
  computed_start TEXT,
  computed_end TEXT,
  computed_at BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,                                    -- kept: the audit log and entries name it
  version INTEGER NOT NULL DEFAULT 1,
  CHECK ((source = 'submissions') = (form_id IS NOT NULL AND calculation IS NOT NULL))
);
CREATE INDEX indicators_program ON indicators(program_id, code);
CREATE INDEX indicators_node ON indicators(result_node_id);
-- Every change of a submission looks up the indicators of its form.
CREATE INDEX indicators_form ON indicators(form_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX indicators_code ON indicators(program_id, code) WHERE code <> '' AND deleted_at IS NULL;

-- Baselines: one for the whole indicator and, optionally, one per disaggregation cell.
CREATE TABLE indicator_baselines (
  indicator_id BIGINT NOT NULL REFERENCES indicators(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  cell TEXT NOT NULL,                                   -- JSON {"sex": "female"}; '{}' for the whole
  value DOUBLE PRECISION,                               -- NULL for a qualitative baseline
  narrative TEXT NOT NULL DEFAULT '',
  baseline_date TEXT NOT NULL,                          -- 'YYYY-MM-DD'
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (indicator_id, cell)
);

-- Targets per reporting period ('2026-03', '2026-Q1', '2026') and for the life of the program ('LOP').
CREATE TABLE indicator_targets (
  indicator_id BIGINT NOT NULL REFERENCES indicators(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  period TEXT NOT NULL,
  value DOUBLE PRECISION,                               -- NULL for a qualitative target
  narrative TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (indicator_id, period)
);

-- The running aggregates of an indicator computed from submissions, per period and cell (the
-- dimension values joined by U+001F). Kept up to date by UPSERTs that add to the stored numbers
-- inside the write job that changes a submission, so two servers receiving submissions of one
-- form at once both count. Rows that add up to nothing are deleted.
CREATE TABLE indicator_values (
  indicator_id BIGINT NOT NULL REFERENCES indicators(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  period TEXT NOT NULL,
  cell TEXT NOT NULL,
  n BIGINT NOT NULL,                                    -- units that passed the filter (with a value)
  n_b BIGINT NOT NULL,                                  -- units in scope (percentage: the denominator)
  sum_a BIGINT NOT NULL,                                -- fixed point, 4 decimals
  sum_b BIGINT NOT NULL,
  PRIMARY KEY (indicator_id, period, cell)
);

-- The multiset behind a median (item = the fixed-point value, num the same as a number) or a
-- distinct count (item = the answer, num NULL): how many units had each value.
CREATE TABLE indicator_value_items (
  indicator_id BIGINT NOT NULL REFERENCES indicators(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  period TEXT NOT NULL,
  cell TEXT NOT NULL,
  item TEXT NOT NULL,
  num BIGINT,
  n BIGINT NOT NULL,
  PRIMARY KEY (indicator_id, period, cell, item)
);

-- Values entered by hand: draft → submitted → approved, or returned (with a reason) and then
-- edited and submitted again. Only approved values count.
CREATE TABLE indicator_entries (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  indicator_id BIGINT NOT NULL REFERENCES indicators(id),
  period TEXT NOT NULL,
  cell TEXT NOT NULL DEFAULT '{}',                      -- JSON {"sex": "female"}; '{}' for the whole
  value DOUBLE PRECISION,                               -- NULL for a qualitative value
  narrative TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'returned')),
  return_reason TEXT NOT NULL DEFAULT '',
  entered_by BIGINT REFERENCES users(id),
  submitted_by BIGINT REFERENCES users(id),
  submitted_at BIGINT,
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX indicator_entries_indicator ON indicator_entries(indicator_id, period);
CREATE UNIQUE INDEX indicator_entries_cell ON indicator_entries(indicator_id, period, cell) WHERE deleted_at IS NULL;
