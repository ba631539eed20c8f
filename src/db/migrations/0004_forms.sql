-- Survey forms and their versions. A form is identified within its organisation by the XForm
-- id (settings form_id); each upload becomes a draft version, publishing makes it the version
-- devices download, and earlier published versions stay (their submissions keep them).

CREATE TABLE forms (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  xml_form_id @KEY@ NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closing', 'closed', 'archived')),
  published_version_id BIGINT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, xml_form_id)
);

CREATE TABLE form_versions (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES organisations(id),
  form_id BIGINT NOT NULL REFERENCES forms(id),
  version_string TEXT NOT NULL,          -- settings version ("" when the form has none)
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
  source_name TEXT NOT NULL,             -- the uploaded file's name
  source_base64 TEXT NOT NULL,           -- the uploaded file itself (XLSForm or XForm)
  xform TEXT NOT NULL,
  xform_md5 TEXT NOT NULL,               -- OpenRosa form list hash
  warnings_json TEXT NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  published_at BIGINT
);
CREATE INDEX form_versions_form ON form_versions(form_id, id);
-- One draft per form, and a version string is published once.
CREATE UNIQUE INDEX form_versions_one_draft ON form_versions(form_id) WHERE status = 'draft';
CREATE UNIQUE INDEX form_versions_published ON form_versions(form_id, version_string) WHERE status <> 'draft';
