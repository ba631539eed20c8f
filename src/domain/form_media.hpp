// Media files of a form version (question images and audio, CSV files for select_from_file and
// pulldata), listed in the OpenRosa manifest so devices download them with the form.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/attachment_store.hpp"
#include "domain/context.hpp"

namespace gotong::domain::form_media {

// Media are attached to the form's draft. Publishing turns that draft into the published
// version, so its media go with it; a new upload starts with the media of the draft it
// replaces, or else of the published version (forms::save_draft calls detach_draft/attach).
struct Media {
  std::string name, content_type;
  std::string sha256;  // where the bytes are in the AttachmentStore
  std::string md5;     // "md5:<hex>", the manifest's hash
  std::int64_t size = 0;
  std::int64_t created_at = 0;
};

inline constexpr std::size_t kMaxBytes = std::size_t{20} << 20;
inline constexpr std::size_t kMaxFiles = 100;  // per version

// Error(validation) on field "file" unless `name` is a plain file name: at most 200 bytes of
// clean UTF-8, no '/', '\\' or ':', not "." or "..", no leading dot or surrounding spaces.
// Devices save media under these names, so anything else could escape the form's folder.
void check_name(std::string_view name);

// Adds the file to the form's draft, replacing a file of the same name (manage_forms).
// Error(not_found) for an unknown form, Error(conflict) when the form has no draft (upload one
// first), Error(payload_too_large) over kMaxBytes, Error(validation) for a bad name or a file
// beyond kMaxFiles. The bytes are in the store before the row naming them commits.
Media put(db::Database& db, const OrgScope& s, const AttachmentStore& store, std::int64_t form_id,
          std::string_view name, std::string_view content_type, std::string_view bytes);
// Removes a file from the form's draft (manage_forms); Error(not_found) when it has none of
// that name. The bytes stay in the store: other versions or forms may share them.
void remove(db::Connection& c, const OrgScope& s, std::int64_t form_id, std::string_view name);

// The files of the form's draft (draft = true) or of its published version, by name.
// Error(not_found) when the form or that version does not exist.
std::vector<Media> list(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft);
Media get(db::Connection& c, const OrgScope& s, std::int64_t form_id, bool draft, std::string_view name);
// The files of one version of the scope's organisation (empty for another organisation's).
std::vector<Media> of_version(db::Connection& c, const OrgScope& s, std::int64_t version_id);

// For forms::save_draft, before it deletes the form's draft: returns the media the new draft
// starts with (the draft's, else the published version's) and removes the draft's rows.
std::vector<Media> detach_draft(db::Connection& c, const OrgScope& s, std::int64_t form_id);
// Gives the version these files (rows only: the bytes are already in the store).
void attach(db::Connection& c, const OrgScope& s, std::int64_t version_id, const std::vector<Media>& media);

// A content type for a file name when the upload gave none useful (application/octet-stream).
std::string guess_content_type(std::string_view name);

boost::json::object to_json(const Media& m);

}  // namespace gotong::domain::form_media
