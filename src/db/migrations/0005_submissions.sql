-- Submissions of form data (OpenRosa, the web app, the API), their review, comments, edit
-- history and attachments. A submission is unique within its form by its instanceID: the
-- unique constraint (not a single writer) is what makes retries from phones idempotent, on
-- either engine and with several app servers.

CREATE TABLE submissions (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  form_id BIGINT NOT NULL REFERENCES forms(id),
  version_id BIGINT NOT NULL REFERENCES form_versions(id),
  instance_id @KEY@ NOT NULL,           -- meta/instanceID of the first submission
  current_instance_id TEXT NOT NULL,     -- changes when the submission is edited
  content_digest TEXT NOT NULL,          -- sha256 of the XML as first received (idempotency)
  instance_name TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('received', 'has_issues', 'approved', 'rejected')),
  issues_json TEXT NOT NULL,             -- [{path, rule, message}]
  xml TEXT NOT NULL,                     -- the current XML (after edits)
  record TEXT NOT NULL,                  -- forms::xform record encoding of xml (exports, indicators)
  attachments_expected INTEGER NOT NULL DEFAULT 0,
  attachments_present INTEGER NOT NULL DEFAULT 0,
  submitter_id BIGINT,                   -- the user (or the user behind the device token)
  device_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,                  -- openrosa, api, web, demo
  area_code TEXT,                        -- value of the form's `area` field, when it has one
  submitted_at BIGINT NOT NULL,          -- when the server first received it
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (form_id, instance_id)
);
CREATE INDEX submissions_form ON submissions(form_id, id);
CREATE INDEX submissions_org ON submissions(org_id, id);
CREATE INDEX submissions_current ON submissions(form_id, current_instance_id);

-- Every earlier content of an edited submission, newest last.
CREATE TABLE submission_edits (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  instance_id TEXT NOT NULL,             -- the instanceID the content had
  xml TEXT NOT NULL,                     -- the content before the edit
  issues_json TEXT NOT NULL,
  edited_by BIGINT,
  edited_at BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submission_edits_submission ON submission_edits(submission_id, id);

CREATE TABLE submission_comments (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  author_id BIGINT,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX submission_comments_submission ON submission_comments(submission_id, id);

-- Files named by the submission's upload fields. The bytes live on disk, content-addressed by
-- their sha256 (the same photo sent twice is stored once); a row exists once the file arrived.
CREATE TABLE submission_attachments (
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (submission_id, name)
);

-- Media files of a form version (images and audio of questions, CSV of select_from_file),
-- listed in the OpenRosa manifest.
CREATE TABLE form_media (
  version_id BIGINT NOT NULL REFERENCES form_versions(id),
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  md5 TEXT NOT NULL,                     -- OpenRosa manifest hash ("md5:...")
  created_at BIGINT NOT NULL,
  PRIMARY KEY (version_id, name)
);
