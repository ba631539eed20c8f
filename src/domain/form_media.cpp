#include "domain/form_media.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/forms.hpp"
#include "forms/xpath/digest.hpp"

namespace gotong::domain::form_media {

namespace bj = boost::json;
namespace xpath = gotong::forms::xpath;

namespace {

constexpr const char* kColumns = "name, content_type, sha256, md5, size, created_at";

Media media_from(const db::Row& r) {
  return Media{r.text_at(0), r.text_at(1), r.text_at(2), r.text_at(3), r.int_at(4), r.int_at(5)};
}

std::vector<Media> rows_of(db::Connection& c, const OrgScope& s, std::int64_t version_id) {
  std::vector<Media> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                   " FROM form_media WHERE version_id = $1 AND org_id = $2 ORDER BY name",
                               {version_id, s.org_id()}))
    out.push_back(media_from(r));
  return out;
}

// The id of the form's draft or published version; Error(not_found) when there is none.
std::int64_t version_id_of(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft) {
  forms::Form f = forms::get(c, s, form_id);
  const auto& v = draft ? f.draft : f.published;
  if (!v)
    throw Error(ErrorCode::not_found, draft ? "the form has no draft" : "the form is not published yet");
  return v->id;
}

std::int64_t draft_for_change(db::Connection& c, const OrgScope& s, std::int64_t form_id) {
  forms::Form f = forms::get(c, s, form_id);
  if (!f.draft)
    throw Error(ErrorCode::conflict,
                "media belong to a draft and the form has none; upload the form again to start a draft, "
                "attach the media, then publish");
  return f.draft->id;
}

}  // namespace

void check_name(std::string_view name) {
  if (name.empty()) throw invalid_field("file", "needs a file name");
  if (name.size() > 200) throw invalid_field("file", "the file name is longer than 200 bytes");
  if (!text::is_clean_utf8(name) || name.find_first_of("\t\n") != std::string_view::npos)
    throw invalid_field("file", "the file name must be UTF-8 text without control characters");
  if (name.find_first_of("/\\:") != std::string_view::npos)
    throw invalid_field("file", "the file name must not contain '/', '\\' or ':' (no folders)");
  if (name.front() == '.') throw invalid_field("file", "the file name must not start with '.'");
  if (name.front() == ' ' || name.back() == ' ')
    throw invalid_field("file", "the file name must not start or end with a space");
}

std::string guess_content_type(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".png", "image/png"},         {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},       {".gif", "image/gif"},
      {".svg", "image/svg+xml"},     {".webp", "image/webp"},
      {".mp3", "audio/mpeg"},        {".m4a", "audio/mp4"},
      {".wav", "audio/wav"},         {".ogg", "audio/ogg"},
      {".amr", "audio/amr"},         {".mp4", "video/mp4"},
      {".3gp", "video/3gpp"},        {".csv", "text/csv"},
      {".xml", "text/xml"},          {".geojson", "application/geo+json"},
      {".json", "application/json"}, {".txt", "text/plain"},
  };
  std::string lower = text::to_lower_ascii(name);
  for (const auto& [ext, type] : kTypes)
    if (std::string_view(lower).ends_with(ext)) return std::string(type);
  return "application/octet-stream";
}

Media put(db::Database& db, const OrgScope& s, const AttachmentStore& store, std::int64_t form_id,
          std::string_view name, std::string_view content_type, std::string_view bytes) {
  s.require(Permission::manage_forms);
  check_name(name);
  if (bytes.size() > kMaxBytes)
    throw Error(ErrorCode::payload_too_large,
                "a form media file may have at most " + std::to_string(kMaxBytes >> 20) + " MiB");
  // The type is sent back as a header: only printable ASCII is kept. Browsers and curl often
  // send octet-stream or text/plain for any file; the name's extension says more then.
  std::string type(content_type.size() <= 100 ? content_type : std::string_view());
  if (std::any_of(type.begin(), type.end(), [](char ch) { return ch < 0x20 || ch > 0x7e; })) type.clear();
  const std::string guessed = guess_content_type(name);
  if (type.empty() || type == "application/octet-stream" ||
      (type == "text/plain" && guessed != "application/octet-stream"))
    type = guessed;
  // Hashing and the file write happen before the write job: the writer only stores the row,
  // and the row can never name bytes that are not on disk yet.
  Media m{std::string(name),
          type,
          store.put(bytes),
          "md5:" + xpath::to_hex(xpath::digest(xpath::DigestAlgorithm::Md5, bytes)),
          static_cast<std::int64_t>(bytes.size()),
          now_millis()};
  db.write([&](db::Connection& c) {
    std::int64_t version_id = draft_for_change(c, s, form_id);
    auto before = c.query_one(std::string("SELECT ") + kColumns +
                                  " FROM form_media WHERE version_id = $1 AND org_id = $2 AND name = $3",
                              {version_id, s.org_id(), m.name});
    if (!before && *c.query_int("SELECT COUNT(*) FROM form_media WHERE version_id = $1", {version_id}) >=
                       static_cast<std::int64_t>(kMaxFiles))
      throw invalid_field("file", "a form version may have at most " + std::to_string(kMaxFiles) +
                                      " media files; delete some first");
    c.exec(
        "INSERT INTO form_media(version_id, org_id, name, content_type, size, sha256, md5, created_at) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (version_id, name) DO UPDATE SET "
        "content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256, "
        "md5 = excluded.md5, created_at = excluded.created_at",
        {version_id, s.org_id(), m.name, m.content_type, m.size, m.sha256, m.md5, m.created_at});
    bj::object after = to_json(m);
    after["version_id"] = std::to_string(version_id);
    audit::record(c, s,
                  {{},
                   before ? "form.media_replace" : "form.media_add",
                   "form",
                   std::to_string(form_id),
                   before ? bj::value(to_json(media_from(*before))) : bj::value(),
                   std::move(after)});
  });
  return m;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t form_id, std::string_view name) {
  s.require(Permission::manage_forms);
  std::int64_t version_id = draft_for_change(c, s, form_id);
  auto before = c.query_one(std::string("SELECT ") + kColumns +
                                " FROM form_media WHERE version_id = $1 AND org_id = $2 AND name = $3",
                            {version_id, s.org_id(), std::string(name)});
  if (!before)
    throw Error(ErrorCode::not_found, "the form's draft has no media file '" + std::string(name) + "'");
  c.exec("DELETE FROM form_media WHERE version_id = $1 AND org_id = $2 AND name = $3",
         {version_id, s.org_id(), std::string(name)});
  bj::object gone = to_json(media_from(*before));
  gone["version_id"] = std::to_string(version_id);
  audit::record(c, s, {{}, "form.media_delete", "form", std::to_string(form_id), std::move(gone), {}});
}

std::vector<Media> list(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft) {
  return rows_of(c, s, version_id_of(c, s, form_id, draft));
}

Media get(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft, std::string_view name) {
  std::int64_t version_id = version_id_of(c, s, form_id, draft);
  auto row = c.query_one(std::string("SELECT ") + kColumns +
                             " FROM form_media WHERE version_id = $1 AND org_id = $2 AND name = $3",
                         {version_id, s.org_id(), std::string(name)});
  if (!row)
    throw Error(ErrorCode::not_found, "no media file '" + std::string(name) + "' in this form version");
  return media_from(*row);
}

std::vector<Media> of_version(db::Connection& c, const OrgScope& s, std::int64_t version_id) {
  return rows_of(c, s, version_id);
}

std::vector<Media> detach_draft(db::Connection& c, const OrgScope& s, std::int64_t form_id) {
  auto draft =
      c.query_int("SELECT id FROM form_versions WHERE form_id = $1 AND org_id = $2 AND status = 'draft'",
                  {form_id, s.org_id()});
  if (draft) {
    auto media = rows_of(c, s, *draft);
    c.exec("DELETE FROM form_media WHERE version_id = $1 AND org_id = $2", {*draft, s.org_id()});
    return media;
  }
  auto published = c.query_int("SELECT published_version_id FROM forms WHERE id = $1 AND org_id = $2",
                               {form_id, s.org_id()});
  return published ? rows_of(c, s, *published) : std::vector<Media>{};
}

void attach(db::Connection& c, const OrgScope& s, std::int64_t version_id, const std::vector<Media>& media) {
  for (const auto& m : media)
    c.exec(
        "INSERT INTO form_media(version_id, org_id, name, content_type, size, sha256, md5, created_at) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        {version_id, s.org_id(), m.name, m.content_type, m.size, m.sha256, m.md5, m.created_at});
}

bj::object to_json(const Media& m) {
  return bj::object{{"name", m.name},     {"content_type", m.content_type},
                    {"size", m.size},     {"hash", m.md5},
                    {"sha256", m.sha256}, {"created_at", format_iso8601(m.created_at)}};
}

}  // namespace gotong::domain::form_media
