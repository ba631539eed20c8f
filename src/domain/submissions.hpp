// Submissions of form data: receiving them (OpenRosa, the JSON API, the web app, the demo),
// idempotently by instanceID; checking them against the form's rules and storing them even
// when they break some (state has_issues, with the issues); attachments; review (received →
// approved / rejected), comments, edits with full history, delete and restore. Every change is
// audited. Parsing and validation run before the write job, so the writer only stores.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/attachment_store.hpp"
#include "domain/context.hpp"
#include "forms/xform/record.hpp"
#include "forms/xform/schema.hpp"
#include "forms/xform/submission.hpp"

namespace gotong::domain::submissions {

// A published (or superseded) form version compiled once: schema, validator and record layout.
// Versions never change after publication, so one process-wide cache serves every request and
// every app server can cache independently.
struct CompiledVersion {
  std::int64_t version_id = 0, form_id = 0;
  std::string xml_form_id, version;
  ::gotong::forms::xform::Schema schema;
  ::gotong::forms::xform::Layout layout;
  std::unique_ptr<::gotong::forms::xform::Validator> validator;
  int area_column = -1;  // column of a top-level field named "area" in the main table, or -1
};
std::shared_ptr<const CompiledVersion> compiled_version(db::Connection& c, std::int64_t version_id);

// The key submissions store for the area their form's `area` field names (by code, as in a
// form's choices, or by id): the area's code, an official Kemendagri code ("53.02.03.2003") or
// an organisation's sub-area code below it ("53.02.03.2003.01"). Filtering by an area is then a
// prefix match. Values that name no area are returned as written.
std::string area_key(db::Connection& c, const OrgScope& s, std::string_view value);

struct IncomingFile {
  std::string name;  // as named in the submission's upload field
  std::string content_type;
  std::string_view bytes;
};

struct Incoming {
  std::string xml;
  std::vector<IncomingFile> files;
  std::string source = "api";                // openrosa, api, web, demo
  std::string device_id;                     // from the request when the XML has no deviceid
  std::optional<std::int64_t> form_id;       // when posted to a form's own URL: must match the XML
  std::optional<std::int64_t> submitted_at;  // the demo generator back-dates; else now
};

enum class Outcome {
  created,    // a new submission
  duplicate,  // same instanceID and same content: nothing stored twice
  completed,  // same content again, bringing attachments that were missing
  edited,     // an edit of an earlier submission (meta/deprecatedID)
};

struct Received {
  Outcome outcome = Outcome::created;
  std::int64_t id = 0;
  std::string instance_id, state;
  std::size_t issue_count = 0;
  int attachments_expected = 0, attachments_present = 0;
};

// Limits applied before anything is stored.
struct Limits {
  std::size_t max_xml_bytes = 10 * 1024 * 1024;
  std::size_t max_file_bytes = 50 * 1024 * 1024;
  std::size_t max_files = 100;
};

// Requires collect_data. Throws Error(bad_request) for unparseable XML or a missing instanceID,
// Error(not_found) for an unknown form or version, Error(conflict) when the form is closed or
// the instanceID was used with other content, Error(payload_too_large) over the limits.
// Attachments are written to `store` before the write job commits.
Received receive(db::Database& db, const OrgScope& s, const AttachmentStore& store, Incoming in,
                 const Limits& limits = {});
// receive() without waiting for the commit, so no thread sits idle through SQLite's group
// commit: checks and prepares on the calling thread (throwing what receive() throws before the
// write), queues the write and returns. `done` is called once, on the database's writer thread
// (keep it quick), with a function that returns what receive() would have returned or throws
// what it would have thrown.
void receive_async(db::Database& db, const OrgScope& s, const AttachmentStore& store, Incoming in,
                   std::function<void(std::function<Received()>)> done, const Limits& limits = {});

// Builds the XML of a submission from JSON answers ({"household": {"members": [{...}]}}),
// nested like the form's groups and repeats; values are strings, numbers or booleans;
// select_multiple as an array or a space-separated string. Error(validation) naming unknown
// fields. `instance_id` must be a "uuid:..." chosen by the client (retries reuse it).
std::string xml_from_json(const ::gotong::forms::xform::Schema& schema, const boost::json::object& answers,
                          std::string_view instance_id);

struct Attachment {
  std::string name, content_type, sha256;
  std::int64_t size = 0;
};

struct Comment {
  std::int64_t id = 0;
  std::optional<std::int64_t> author_id;
  std::string author_name, body;
  std::int64_t created_at = 0;
};

struct Edit {
  std::int64_t id = 0;
  std::string instance_id, reason;
  std::optional<std::int64_t> edited_by;
  std::string edited_by_name;
  std::int64_t edited_at = 0;
  std::size_t issue_count = 0;
};

struct Summary {
  std::int64_t id = 0, form_id = 0, version_id = 0;
  std::string instance_id, current_instance_id, instance_name, state, source, device_id, form_version;
  std::optional<std::int64_t> submitter_id;
  std::string submitter_name;
  std::optional<std::string> area_code;
  std::vector<::gotong::forms::xform::Issue> issues;
  int attachments_expected = 0, attachments_present = 0;
  std::int64_t submitted_at = 0, updated_at = 0;
  std::optional<std::int64_t> deleted_at;
  std::int64_t version = 1;  // for If-Match
};

struct Detail {
  Summary summary;
  std::string xml;
  boost::json::object answers;  // the data as nested JSON (groups → objects, repeats → arrays)
  std::vector<Attachment> attachments;
  std::vector<Comment> comments;
  std::vector<Edit> edits;
};

// Filters of the submission list. `field` filters compare the text of a top-level field.
struct Filter {
  std::optional<std::int64_t> form_id;
  std::optional<std::int64_t> from, to;  // submitted_at range [from, to)
  std::vector<std::string> states;
  std::optional<std::int64_t> submitter_id;
  std::optional<std::string> area_code;  // an area_key(): this area and every area below it
  std::vector<std::pair<std::string, std::string>> fields;  // field name → exact value
  bool deleted = false;                                     // list deleted submissions instead (the bin)
};

struct Page {
  std::vector<Summary> items;
  std::optional<std::string> next_cursor;
};
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);

Detail get(db::Connection& c, const OrgScope& s, std::int64_t id);

// Review: approved or rejected (review_data); back to received/has_issues is allowed too.
Summary set_state(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  std::string_view state, std::string_view comment);
Comment add_comment(db::Connection& c, const OrgScope& s, std::int64_t id, std::string_view body);
// Replaces the answers (review_data), keeping the earlier content in the edit history; the
// submission is validated again. `edited` is the full new XML with a new instanceID.
Summary edit(db::Database& db, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
             std::string edited_xml, std::string_view reason);
// Moves to / back from the bin (review_data). Deleted submissions are left out of lists,
// exports and indicators, and come back intact.
Summary remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
Summary restore(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

// An attachment's metadata (to stream it from the store); Error(not_found) otherwise.
Attachment attachment(db::Connection& c, const OrgScope& s, std::int64_t id, std::string_view name);

boost::json::object to_json(const Summary& s);
boost::json::object to_json(const Detail& d);
boost::json::object to_json(const Comment& c);
std::string_view outcome_name(Outcome o);

}  // namespace gotong::domain::submissions
