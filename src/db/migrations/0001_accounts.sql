-- Organisations, users, memberships with roles, sessions, API tokens, login throttling and the
-- append-only audit log. Times are int64 milliseconds since the epoch (UTC).

CREATE TABLE organisations (
  id @ID@,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE users (
  id @ID@,
  email TEXT NOT NULL UNIQUE,            -- stored lower-cased
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,           -- argon2id, libsodium string format
  language TEXT NOT NULL DEFAULT 'id',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);

CREATE TABLE memberships (
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'field_officer', 'partner', 'viewer')),
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

-- Only digests of session and API tokens are stored: a copy of the database opens no account.
CREATE TABLE sessions (
  id @ID@,
  token_digest TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_digest TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,                  -- first characters, so a user can tell tokens apart
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed logins per account ("account:EMAIL") and per address ("ip:ADDR"), in the database so
-- that several gotong processes share them.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
  id @ID@,
  org_id BIGINT,                         -- NULL for instance-wide events (CLI, sign-in)
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor TEXT NOT NULL,                   -- e-mail of the user, or "cli"
  action TEXT NOT NULL,                  -- e.g. "area.create"
  object_type TEXT NOT NULL,
  object_id TEXT,
  before_json TEXT,
  after_json TEXT,
  request_id TEXT,
  ip TEXT
);
CREATE INDEX audit_log_org ON audit_log(org_id, id);
CREATE INDEX audit_log_object ON audit_log(org_id, object_type, object_id);

-- The audit log is append-only for everybody, not only for the API.
--@sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
--@end
--@postgresql
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--@end
