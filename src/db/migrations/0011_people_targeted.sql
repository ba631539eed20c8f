-- People an activity means to reach (the 4W matrix's "targeted", by sex as HXL 3W reports it)
-- and its sector, and what an indicator computed from attendance measures.

-- NULL: not planned yet. The total may exceed female + male (people whose sex is not planned).
ALTER TABLE activities ADD COLUMN people_targeted_female BIGINT CHECK (people_targeted_female >= 0);
ALTER TABLE activities ADD COLUMN people_targeted_male BIGINT CHECK (people_targeted_male >= 0);
ALTER TABLE activities ADD COLUMN people_targeted BIGINT CHECK (people_targeted >= 0);
-- '' : the 4W matrix shows the sectors of the problems the program addresses instead.
ALTER TABLE activities ADD COLUMN sector TEXT NOT NULL DEFAULT '';

-- One row per indicator with source 'attendance'. Its running aggregates live in
-- indicator_values like those of indicators computed from submissions (n = the count).
-- activity_id has no foreign key: deleting an activity is refused while a live indicator names
-- it, and a deleted indicator keeps naming the activity it measured for the audit trail.
CREATE TABLE indicator_attendance (
  indicator_id BIGINT PRIMARY KEY REFERENCES indicators(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  measure TEXT NOT NULL CHECK (measure IN ('people_reached', 'unique_people', 'sessions_held')),
  activity_id BIGINT
);
CREATE INDEX indicator_attendance_activity ON indicator_attendance(activity_id) WHERE activity_id IS NOT NULL;
