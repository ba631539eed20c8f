// Survey forms of an organisation: uploading an XLSForm or XForm as a draft, publishing it as a
// version, changing the form's state (open → closing → closed → archived), and reading them.
// Conversion happens before the write job (it is pure CPU work and must not hold the writer).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::forms {

// A converted upload, ready to store. make_upload() throws Error(validation) listing every
// problem as {field: "survey:7:1", message} when the form cannot be used.
struct Upload {
  std::string file_name;
  std::string bytes;        // the file as uploaded
  std::string xform;
  std::string xml_form_id, version, title;
  std::vector<std::string> warnings;
};
Upload make_upload(std::string file_name, std::string bytes);

struct Version {
  std::int64_t id = 0;
  std::string version, status, source_name, xform_md5;
  std::vector<std::string> warnings;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> published_at;
};

struct Form {
  std::int64_t id = 0;
  std::string xml_form_id, title, state;
  std::int64_t version = 1;  // of the form record, for If-Match
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<Version> published, draft;
};

// Stores the upload as the draft of its form (creating the form on first upload, replacing an
// earlier draft). Requires manage_forms.
Form save_draft(db::Connection& c, const OrgScope& s, const Upload& u);
// Publishes the draft. Error(conflict) when there is no draft or its version string was
// published before (change `version` in the settings sheet).
Form publish(db::Connection& c, const OrgScope& s, std::int64_t form_id);
// open (accepts submissions), closing (no new devices), closed (refuses submissions), archived.
Form set_state(db::Connection& c, const OrgScope& s, std::int64_t form_id, std::int64_t expected_version,
               const std::string& state);

Form get(db::Connection& c, const OrgScope& s, std::int64_t form_id);
// By the XForm id (OpenRosa names forms so); Error(not_found) when the organisation has none.
Form get_by_xml_form_id(db::Connection& c, const OrgScope& s, const std::string& xml_form_id);
std::vector<Form> list(db::Connection& c, const OrgScope& s, bool include_archived);
std::vector<Version> versions(db::Connection& c, const OrgScope& s, std::int64_t form_id);

struct File {
  std::string name, content_type, bytes;
};
// The XForm of the published version (or of the draft), or the uploaded source file.
File xform(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft);
File source(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft);

boost::json::object to_json(const Form& f);
boost::json::object to_json(const Version& v);

}  // namespace gotong::domain::forms
