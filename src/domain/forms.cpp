#include "domain/forms.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <span>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/form_media.hpp"
#include "forms/xform/schema.hpp"
#include "forms/xlsform/convert.hpp"
#include "forms/xpath/digest.hpp"

namespace gotong::domain::forms {

namespace bj = boost::json;
namespace xpath = gotong::forms::xpath;

namespace {

}  // namespace

Upload make_upload(std::string file_name, std::string bytes) {
  Upload u;
  u.file_name = std::move(file_name);
  u.bytes = std::move(bytes);
  const std::string name = text::to_lower_ascii(u.file_name);
  if (name.ends_with(".xml")) {
    u.xform = u.bytes;
  } else if (name.ends_with(".xlsx") || name.ends_with(".xls") || name.ends_with(".xlsm")) {
    auto result = gotong::forms::xlsform::convert(std::as_bytes(std::span(u.bytes.data(), u.bytes.size())),
                                                  u.file_name);
    if (!result.ok()) {
      std::vector<FieldError> details;
      for (const auto& e : result.errors)
        details.push_back({gotong::forms::xlsform::diagnostic_location(e), e.message});
      // Built before the throw: the argument moving `details` may be evaluated before its size is read.
      std::string message = u.file_name + " has " + std::to_string(details.size()) +
                            (details.size() == 1 ? " error" : " errors") +
                            "; fix them in the spreadsheet and upload again";
      throw Error(ErrorCode::validation, std::move(message), std::move(details));
    }
    for (const auto& w : result.warnings)
      u.warnings.push_back(gotong::forms::xlsform::format_diagnostic(w));
    u.xform = std::move(result.xform_xml);
  } else {
    throw invalid_field("file", "must be an XLSForm (.xlsx, .xls) or an XForm (.xml)");
  }
  try {
    auto schema = gotong::forms::xform::read_schema(u.xform);
    u.xml_form_id = schema.form_id;
    u.version = schema.version;
    u.title = schema.title.empty() ? schema.form_id : schema.title;
  } catch (const gotong::forms::xform::XFormError& e) {
    throw invalid_field("file", e.what());
  }
  if (u.xml_form_id.size() > 200) throw invalid_field("file", "the form id is longer than 200 characters");
  return u;
}

namespace {

constexpr const char* kVersionColumns =
    "id, version_string, status, source_name, xform_md5, warnings_json, created_at, published_at";

Version version_from(const db::Row& r) {
  Version v{r.int_at(0), r.text_at(1), r.text_at(2), r.text_at(3), r.text_at(4), {}, r.int_at(6), r.opt_int(7)};
  const auto warnings = json::parse(r.text_at(5));
  for (const auto& w : warnings.as_array()) v.warnings.emplace_back(w.as_string());
  return v;
}

std::optional<Version> version_where(db::Connection& c, std::int64_t form_id, const char* condition) {
  auto row = c.query_one(std::string("SELECT ") + kVersionColumns + " FROM form_versions WHERE form_id = $1 AND " +
                             condition + " ORDER BY id DESC",
                         {form_id});
  if (!row) return std::nullopt;
  return version_from(*row);
}

std::optional<Form> find(db::Connection& c, const OrgScope& s, const char* condition, const db::Value& v) {
  auto row = c.query_one(std::string("SELECT id, xml_form_id, title, state, version, created_at, updated_at, "
                                     "published_version_id FROM forms WHERE org_id = $1 AND ") +
                             condition,
                         {s.org_id(), v});
  if (!row) return std::nullopt;
  Form f{row->int_at(0), row->text_at(1), row->text_at(2), row->text_at(3), row->int_at(4), row->int_at(5),
         row->int_at(6), std::nullopt, std::nullopt};
  if (auto pub = row->opt_int(7)) {
    auto r = c.query_one(std::string("SELECT ") + kVersionColumns + " FROM form_versions WHERE id = $1", {*pub});
    if (r) f.published = version_from(*r);
  }
  f.draft = version_where(c, f.id, "status = 'draft'");
  return f;
}

const char* const kStates[] = {"open", "closing", "closed", "archived"};

}  // namespace

Form get(db::Connection& c, const OrgScope& s, std::int64_t form_id) {
  auto f = find(c, s, "id = $2", form_id);
  if (!f) throw Error(ErrorCode::not_found, "no form " + std::to_string(form_id));
  return *f;
}

Form get_by_xml_form_id(db::Connection& c, const OrgScope& s, const std::string& xml_form_id) {
  auto f = find(c, s, "xml_form_id = $2", xml_form_id);
  if (!f) throw Error(ErrorCode::not_found, "no form '" + xml_form_id + "'");
  return *f;
}

std::vector<Form> list(db::Connection& c, const OrgScope& s, bool include_archived) {
  std::vector<Form> out;
  for (const auto& r : c.query(std::string("SELECT id FROM forms WHERE org_id = $1") +
                                   (include_archived ? "" : " AND state <> 'archived'") + " ORDER BY title, id",
                               {s.org_id()}))
    out.push_back(get(c, s, r.int_at(0)));
  return out;
}

Form save_draft(db::Connection& c, const OrgScope& s, const Upload& u) {
  s.require(Permission::manage_forms);
  auto now = now_millis();
  auto existing = find(c, s, "xml_form_id = $2", u.xml_form_id);
  std::int64_t form_id;
  std::vector<form_media::Media> media;  // the new draft keeps the media of the one it replaces
  if (existing) {
    form_id = existing->id;
    media = form_media::detach_draft(c, s, form_id);
    c.exec("DELETE FROM form_versions WHERE form_id = $1 AND status = 'draft'", {form_id});
    c.exec("UPDATE forms SET updated_at = $1 WHERE id = $2", {now, form_id});
  } else {
    form_id = *c.query_int(
        "INSERT INTO forms(org_id, xml_form_id, title, state, created_at, updated_at) VALUES ($1,$2,$3,'draft',$4,$4) "
        "RETURNING id",
        {s.org_id(), u.xml_form_id, u.title, now});
  }
  bj::array warnings;
  for (const auto& w : u.warnings) warnings.emplace_back(w);
  auto version_id = *c.query_int(
      "INSERT INTO form_versions(org_id, form_id, version_string, status, source_name, source_base64, xform, "
      "xform_md5, warnings_json, created_by, created_at) VALUES ($1,$2,$3,'draft',$4,$5,$6,$7,$8,$9,$10) "
      "RETURNING id",
      {s.org_id(), form_id, u.version, u.file_name, xpath::base64_encode(u.bytes), u.xform,
       "md5:" + xpath::to_hex(xpath::digest(xpath::DigestAlgorithm::Md5, u.xform)), json::serialize(warnings),
       s.actor().user_id ? db::Value(s.actor().user_id) : db::Value(), now});
  form_media::attach(c, s, version_id, media);
  Form f = get(c, s, form_id);
  audit::record(c, s, {{}, "form.upload", "form", std::to_string(form_id), {},
                       bj::object{{"xml_form_id", u.xml_form_id}, {"version", u.version}, {"file", u.file_name}}});
  return f;
}

Form publish(db::Connection& c, const OrgScope& s, std::int64_t form_id) {
  s.require(Permission::manage_forms);
  Form before = get(c, s, form_id);
  if (!before.draft) throw Error(ErrorCode::conflict, "the form has no draft to publish; upload one first");
  if (c.query_int("SELECT 1 FROM form_versions WHERE form_id = $1 AND status <> 'draft' AND version_string = $2",
                  {form_id, before.draft->version}))
    throw Error(ErrorCode::conflict, "version '" + before.draft->version +
                                         "' was published before; give the new version another `version` in "
                                         "the settings sheet, so devices can tell them apart");
  auto now = now_millis();
  c.exec("UPDATE form_versions SET status = 'superseded' WHERE form_id = $1 AND status = 'published'", {form_id});
  c.exec("UPDATE form_versions SET status = 'published', published_at = $1 WHERE id = $2", {now, before.draft->id});
  // A first publication opens the form; later ones keep the state the coordinator chose.
  // The published version's title becomes the form's.
  auto draft_xml = c.query_one("SELECT xform FROM form_versions WHERE id = $1", {before.draft->id})->text_at(0);
  auto schema = gotong::forms::xform::read_schema(draft_xml);
  std::string title = schema.title.empty() ? schema.form_id : schema.title;
  c.exec("UPDATE forms SET published_version_id = $1, version = version + 1, updated_at = $2, "
         "state = CASE WHEN state = 'draft' THEN 'open' ELSE state END, title = $3 WHERE id = $4",
         {before.draft->id, now, title, form_id});
  Form after = get(c, s, form_id);
  audit::record(c, s, {{}, "form.publish", "form", std::to_string(form_id), to_json(before), to_json(after)});
  return after;
}

Form set_state(db::Connection& c, const OrgScope& s, std::int64_t form_id, std::int64_t expected_version,
               const std::string& state) {
  s.require(Permission::manage_forms);
  if (std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates))
    throw invalid_field("state", "must be one of open, closing, closed, archived");
  Form before = get(c, s, form_id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the form was changed by someone else; reload it");
  if (!before.published) throw Error(ErrorCode::conflict, "publish the form before changing its state");
  c.exec("UPDATE forms SET state = $1, version = version + 1, updated_at = $2 WHERE id = $3",
         {state, now_millis(), form_id});
  Form after = get(c, s, form_id);
  audit::record(c, s, {{}, "form.update", "form", std::to_string(form_id), to_json(before), to_json(after)});
  return after;
}

std::vector<Version> versions(db::Connection& c, const OrgScope& s, std::int64_t form_id) {
  get(c, s, form_id);
  std::vector<Version> out;
  for (const auto& r : c.query(std::string("SELECT ") + kVersionColumns +
                                   " FROM form_versions WHERE form_id = $1 ORDER BY id DESC",
                               {form_id}))
    out.push_back(version_from(r));
  return out;
}

namespace {
// The form and the stored columns of its published version (or its draft).
std::pair<Form, db::Row> version_row(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft,
                                     const char* columns) {
  Form f = get(c, s, form_id);
  const auto& v = draft ? f.draft : f.published;
  if (!v) throw Error(ErrorCode::not_found, draft ? "the form has no draft" : "the form is not published yet");
  auto row = *c.query_one(std::string("SELECT ") + columns + " FROM form_versions WHERE id = $1", {v->id});
  return {std::move(f), std::move(row)};
}
}  // namespace

File xform(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft) {
  auto [f, r] = version_row(c, s, form_id, draft, "xform");
  return File{f.xml_form_id + ".xml", "text/xml; charset=utf-8", r.text_at(0)};
}

File source(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft) {
  auto [f, r] = version_row(c, s, form_id, draft, "source_name, source_base64");
  std::string name = r.text_at(0);
  std::string lower = text::to_lower_ascii(name);
  std::string type = lower.ends_with(".xml")   ? "text/xml; charset=utf-8"
                     : lower.ends_with(".xls") ? "application/vnd.ms-excel"
                                               : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return File{name, type, xpath::base64_decode(r.text_at(1)).value_or("")};
}

bj::object to_json(const Version& v) {
  bj::array warnings;
  for (const auto& w : v.warnings) warnings.emplace_back(w);
  return bj::object{{"id", std::to_string(v.id)},
                    {"version", v.version},
                    {"status", v.status},
                    {"file", v.source_name},
                    {"hash", v.xform_md5},
                    {"warnings", std::move(warnings)},
                    {"created_at", format_iso8601(v.created_at)},
                    {"published_at", v.published_at ? bj::value(format_iso8601(*v.published_at)) : bj::value()}};
}

bj::object to_json(const Form& f) {
  return bj::object{{"id", std::to_string(f.id)},
                    {"xml_form_id", f.xml_form_id},
                    {"title", f.title},
                    {"state", f.state},
                    {"version", f.version},
                    {"published", f.published ? bj::value(to_json(*f.published)) : bj::value()},
                    {"draft", f.draft ? bj::value(to_json(*f.draft)) : bj::value()},
                    {"created_at", format_iso8601(f.created_at)},
                    {"updated_at", format_iso8601(f.updated_at)}};
}

}  // namespace gotong::domain::forms
