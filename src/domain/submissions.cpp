// Receiving submissions and editing them: the write paths. Everything that costs CPU (parsing,
// validation, encoding, hashing, writing attachment files) happens before the write job, so the
// single SQLite writer (or a PostgreSQL transaction) only looks up, compares and inserts.
#include "domain/submissions.hpp"

#include <boost/json.hpp>
#include <future>
#include <mutex>
#include <set>
#include <unordered_map>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/indicators.hpp"
#include "domain/submission_blocks.hpp"
#include "domain/submission_rows.hpp"

namespace gotong::domain::submissions {

namespace bj = boost::json;
namespace xform = gotong::forms::xform;

namespace {

// Constraints such as `. <= today()` are judged in local time. Organisations do not carry a time
// zone yet; WIB (UTC+7) is where most of Indonesia lives, and a day's difference only matters
// for submissions made around midnight.
constexpr int kTimezoneMinutes = 7 * 60;

std::mutex cache_mutex;
std::unordered_map<std::int64_t, std::shared_ptr<const CompiledVersion>> cache;

std::shared_ptr<const CompiledVersion> compile(std::int64_t version_id, std::int64_t form_id,
                                               std::string xml_form_id, std::string version,
                                               const std::string& xform_xml) {
  auto cv = std::make_shared<CompiledVersion>();
  cv->version_id = version_id;
  cv->form_id = form_id;
  cv->xml_form_id = std::move(xml_form_id);
  cv->version = std::move(version);
  cv->schema = xform::read_schema(xform_xml);
  cv->layout = xform::layout_of(cv->schema);
  // The validator refers to the schema, which stays put inside this heap object from now on.
  cv->validator = std::make_unique<xform::Validator>(cv->schema, kTimezoneMinutes);
  const auto& main = cv->layout.tables.at(0);
  for (std::size_t i = 0; i < main.fields.size(); ++i)
    if (cv->schema.nodes[static_cast<std::size_t>(main.fields[i])].name == "area") {
      cv->area_column = static_cast<int>(i);
      break;
    }
  return cv;
}

struct Target {
  std::int64_t form_id = 0;
  std::string form_state;
  std::shared_ptr<const CompiledVersion> compiled;
};

Target find_target(db::Connection& c, const OrgScope& s, const xform::Submission& sub,
                   std::optional<std::int64_t> expected_form) {
  auto form = c.query_one("SELECT id, state FROM forms WHERE org_id = $1 AND xml_form_id = $2",
                          {s.org_id(), sub.form_id});
  if (!form) throw Error(ErrorCode::not_found, "no form with id '" + sub.form_id + "' in this organisation");
  if (expected_form && *expected_form != form->int_at(0))
    throw Error(ErrorCode::validation, "the submission is for form '" + sub.form_id + "', not this form");
  auto version = c.query_one(
      "SELECT id FROM form_versions WHERE form_id = $1 AND version_string = $2 AND status <> 'draft'",
      {form->int_at(0), sub.version});
  if (!version)
    throw Error(ErrorCode::not_found, "form '" + sub.form_id + "' has no published version '" + sub.version +
                                          "'; download the form again");
  return Target{form->int_at(0), form->text_at(1), compiled_version(c, version->int_at(0))};
}

void require_accepting(const Target& t, const std::string& xml_form_id) {
  if (t.form_state == "closed" || t.form_state == "archived")
    throw Error(ErrorCode::conflict,
                "form '" + xml_form_id + "' is " + t.form_state + " and accepts no submissions");
}

// The file names the submission's upload fields (image, audio, signature, file) refer to.
std::set<std::string> expected_files(const CompiledVersion& cv, std::string_view record) {
  std::set<std::string> out;
  std::vector<std::vector<std::size_t>> upload_columns(cv.layout.tables.size());
  bool any = false;
  for (std::size_t t = 0; t < cv.layout.tables.size(); ++t) {
    const auto& fields = cv.layout.tables[t].fields;
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (cv.schema.nodes[static_cast<std::size_t>(fields[i])].control == "upload") {
        upload_columns[t].push_back(i);
        any = true;
      }
  }
  if (!any) return out;
  xform::RecordReader reader(record);
  xform::RecordRow row;
  while (reader.next(row))
    for (std::size_t col : upload_columns.at(static_cast<std::size_t>(row.table)))
      if (col < row.values.size() && !row.values[col].empty()) out.emplace(row.values[col]);
  return out;
}

std::string issues_json(const std::vector<xform::Issue>& issues) {
  bj::array a;
  for (const auto& i : issues)
    a.push_back(bj::object{{"path", i.path}, {"rule", i.rule}, {"message", i.message}});
  return json::serialize(a);
}

struct StoredFile {
  std::string name, content_type, sha256;
  std::int64_t size = 0;
};

// Rows for the attachments that arrived; returns how many of them are new.
int insert_attachments(db::Connection& c, const OrgScope& s, std::int64_t submission_id,
                       const std::vector<StoredFile>& files, std::int64_t now) {
  int added = 0;
  for (const auto& f : files)
    added +=
        static_cast<int>(c.exec("INSERT INTO submission_attachments(submission_id, org_id, name, "
                                "content_type, size, sha256, created_at) "
                                "VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (submission_id, name) DO NOTHING",
                                {submission_id, s.org_id(), f.name, f.content_type, f.size, f.sha256, now}));
  if (added > 0)
    c.exec(
        "UPDATE submissions SET attachments_present = (SELECT COUNT(*) FROM submission_attachments WHERE "
        "submission_id = $1) WHERE id = $1",
        {submission_id});
  return added;
}

// Everything about a new content that the write job stores.
struct Prepared {
  xform::Submission sub;
  Target target;
  std::vector<xform::Issue> issues;
  std::string record, digest;
  std::set<std::string> expected;
  std::optional<std::string> area_code;
};

Prepared prepare(db::Database& db, const OrgScope& s, const std::string& xml,
                 std::optional<std::int64_t> form_id) {
  Prepared p;
  try {
    p.sub = xform::read_submission(xml);
  } catch (const xform::SubmissionError& e) {
    throw Error(ErrorCode::bad_request, std::string("the submission cannot be read: ") + e.what());
  }
  // One read transaction for the version and the area: the record (a few microseconds to
  // encode) is made inside it, since the area code is one of its values.
  db.read([&](db::Connection& c) {
    p.target = find_target(c, s, p.sub, form_id);
    const CompiledVersion& cv = *p.target.compiled;
    p.record = xform::encode_record(cv.schema, cv.layout, p.sub);
    if (cv.area_column >= 0) {
      std::string_view area = xform::main_value(p.record, cv.area_column);
      if (!area.empty()) p.area_code = area_key(c, s, area);
    }
  });
  const CompiledVersion& cv = *p.target.compiled;
  p.issues = cv.validator->validate(p.sub);
  p.digest = crypto::content_digest(xml);
  p.expected = expected_files(cv, p.record);
  return p;
}

}  // namespace

std::string area_key(db::Connection& c, const OrgScope& s, std::string_view value) {
  std::optional<db::Row> row;
  const bool digits =
      !value.empty() && value.size() < 19 && value.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits)
    row =
        c.query_one("SELECT id, parent_id, code FROM areas WHERE id = $1 AND (org_id IS NULL OR org_id = $2)",
                    {std::stoll(std::string(value)), s.org_id()});
  if (!row) {
    // Official regions and the organisation's own sub-areas have separate partial unique
    // indexes; "org_id IS NULL OR org_id = $2" would scan all ~90,000 regions instead.
    row = c.query_one("SELECT id, parent_id, code FROM areas WHERE code = $1 AND org_id IS NULL",
                      {std::string(value)});
    if (!row)
      row = c.query_one("SELECT id, parent_id, code FROM areas WHERE org_id = $1 AND code = $2",
                        {s.org_id(), std::string(value)});
  }
  if (!row) return std::string(value);  // not an area we know: kept as written, still filterable
  // Every area has a code that extends its parent's (sub-areas since migration 6). Should one
  // lack it, its key is the nearest coded ancestor's code followed by the ids below it, so
  // "this area and everything under it" is still a prefix.
  std::string suffix;
  for (int depth = 0; row && row->null_at(2) && depth < 10; ++depth) {
    suffix = "." + std::to_string(row->int_at(0)) + suffix;
    if (row->null_at(1)) return suffix.substr(1);
    row = c.query_one("SELECT id, parent_id, code FROM areas WHERE id = $1", {row->int_at(1)});
  }
  return row ? row->text_at(2) + suffix : std::string(value);
}

namespace {

// Finding a submission by its current instanceID: an unedited one is found by its instance_id
// (the unique index); on SQLite the current-instanceID index holds edited submissions only
// (migration 0013: one index less to update per submission received) and is used only when the
// query repeats its condition.
std::string edited_only(const db::Connection& c) {
  return c.engine() == db::Engine::sqlite ? " AND current_instance_id <> instance_id" : "";
}

std::string state_for(const std::vector<xform::Issue>& issues) {
  return issues.empty() ? "received" : "has_issues";
}

// Replaces a submission's content, keeping the previous one in submission_edits.
// The row is locked first (PostgreSQL), so two edits arriving at once each keep the content the
// other replaced.
void apply_edit(db::Connection& c, const OrgScope& s, std::int64_t id, const Prepared& p,
                const std::string& xml, std::string_view reason, std::int64_t now) {
  auto old = c.query_one(
      std::string("SELECT s.current_instance_id, x.xml, s.issues_json, s.state FROM submissions s JOIN "
                  "submission_xml x ON x.submission_id = s.id WHERE s.id = $1") +
          (c.engine() == db::Engine::postgresql ? " FOR UPDATE OF s" : ""),
      {id});
  c.exec(
      "INSERT INTO submission_edits(org_id, submission_id, instance_id, xml, issues_json, edited_by, "
      "edited_at, "
      "reason) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
      {s.org_id(), id, old->text_at(0), old->text_at(1), old->text_at(2),
       s.actor().user_id ? db::Value(s.actor().user_id) : db::Value(), now, std::string(reason)});
  const std::string state = state_for(p.issues);
  auto counted = indicators::load_state(c, id);  // nullopt: no indicator reads this form
  c.exec(
      "UPDATE submissions SET current_instance_id = $1, record = $2, issues_json = $3, state = $4, "
      "instance_name = $5, area_code = $6, attachments_expected = $7, version_id = $8, updated_at = $9, "
      "version = version + 1 WHERE id = $10",
      {p.sub.instance_id, p.record, issues_json(p.issues), state, p.sub.instance_name, p.area_code,
       static_cast<std::int64_t>(p.expected.size()), p.target.compiled->version_id, now, id});
  c.exec("UPDATE submission_xml SET xml = $1 WHERE submission_id = $2", {xml, id});
  submission_blocks::invalidate(c, p.target.form_id, id);  // its column block no longer matches it
  if (counted)
    indicators::on_submission_changed(
        c, s, p.target.form_id, counted,
        indicators::SubmissionState{p.target.compiled->version_id, p.record, state, counted->deleted,
                                    counted->submitted_at, p.area_code.value_or("")});
  audit::record(
      c, s,
      {{},
       "submission.edit",
       "submission",
       std::to_string(id),
       bj::object{{"instance_id", old->text_at(0)}, {"state", old->text_at(3)}},
       bj::object{{"instance_id", p.sub.instance_id}, {"state", state}, {"reason", std::string(reason)}}});
}

Received received_from(db::Connection& c, std::int64_t id, Outcome outcome) {
  auto r = c.query_one(
      "SELECT current_instance_id, state, issues_json, attachments_expected, attachments_present "
      "FROM submissions WHERE id = $1",
      {id});
  Received out;
  out.outcome = outcome;
  out.id = id;
  out.instance_id = r->text_at(0);
  out.state = r->text_at(1);
  out.issue_count = json::parse(r->text_at(2)).as_array().size();
  out.attachments_expected = static_cast<int>(r->int_at(3));
  out.attachments_present = static_cast<int>(r->int_at(4));
  return out;
}

// Whether a stored content digest is that of `xml` (whose current digest is `digest`). Digests
// stored before content_digest() are SHA-256 without a prefix.
bool same_digest(std::string_view stored, const std::string& digest, const std::string& xml) {
  if (stored.starts_with(crypto::kContentDigestPrefix)) return stored == digest;
  return stored == crypto::sha256_hex(xml);
}

// The write job of receive_async(): a retry, an edit made on the device, or a new submission.
Received store_received(db::Connection& c, const OrgScope& s, const Prepared& p,
                        const std::vector<StoredFile>& files, const std::string& xml,
                        const std::string& device_id, const std::string& source, std::int64_t now,
                        std::int64_t submitted_at) {
  const std::int64_t form_id = p.target.form_id;
  // The same content again (a retry), the rest of its attachments, or other content under
  // a used instanceID. An edit already applied is known by its current instanceID.
  auto answer_known = [&](const db::Row& existing) {
    const std::int64_t id = existing.int_at(0);
    // The digest is of the content first received; after an edit only the XML tells.
    const bool same =
        same_digest(existing.text_at(1), p.digest, xml) ||
        c.query_one("SELECT 1 FROM submission_xml WHERE submission_id = $1 AND xml = $2", {id, xml});
    if (!same)
      throw Error(ErrorCode::conflict,
                  "a different submission with instanceID " + p.sub.instance_id +
                      " was already received; give an edited submission a new instanceID");
    int added = insert_attachments(c, s, id, files, now);
    if (added > 0)
      audit::record(
          c, s,
          {{}, "submission.attachments", "submission", std::to_string(id), {}, bj::object{{"added", added}}});
    return received_from(c, id, added > 0 ? Outcome::completed : Outcome::duplicate);
  };
  // Two look-ups, one per index: with "instance_id = $2 OR current_instance_id = $2" SQLite
  // walked every submission of the form, which made receiving slower with each one stored.
  auto find_edited = [&] {
    return c.query_one(
        "SELECT id, content_digest FROM submissions WHERE form_id = $1 AND "
        "current_instance_id = $2" +
            edited_only(c) + " ORDER BY id LIMIT 1",
        {form_id, p.sub.instance_id});
  };
  auto find_known = [&](std::optional<db::Row> current) {
    auto first =
        c.query_one("SELECT id, content_digest FROM submissions WHERE form_id = $1 AND instance_id = $2",
                    {form_id, p.sub.instance_id});
    if (first && (!current || first->int_at(0) <= current->int_at(0))) return first;
    return current;
  };
  // A new submission, the usual case, leaves its instanceID's own index to the insert's conflict
  // check below: one look-up less per submission. An edit needs both answered first.
  auto edited = find_edited();
  if (edited || !p.sub.deprecated_id.empty())
    if (auto known = find_known(std::move(edited))) return answer_known(*known);
  if (!p.sub.deprecated_id.empty()) {
    auto original = c.query_one(
        "SELECT id FROM submissions WHERE form_id = $1 AND instance_id = $2 AND current_instance_id = $2",
        {form_id, p.sub.deprecated_id});
    if (!original)
      original = c.query_one(
          "SELECT id FROM submissions WHERE form_id = $1 AND current_instance_id = $2" + edited_only(c),
          {form_id, p.sub.deprecated_id});
    if (original) {
      const std::int64_t id = original->int_at(0);
      // Locked, then looked at again: another server may have applied this very edit (then it
      // is a duplicate) or another one (then this edit is of an old version) meanwhile.
      auto locked = c.query_one(std::string("SELECT id, content_digest, current_instance_id FROM "
                                            "submissions WHERE id = $1") +
                                    (c.engine() == db::Engine::postgresql ? " FOR UPDATE" : ""),
                                {id});
      if (locked->text_at(2) == p.sub.instance_id) return answer_known(*locked);
      if (locked->text_at(2) != p.sub.deprecated_id)
        throw Error(ErrorCode::conflict,
                    "submission " + p.sub.deprecated_id + " was edited meanwhile; edit its latest version");
      apply_edit(c, s, id, p, xml, "edited on the device", now);
      insert_attachments(c, s, id, files, now);
      return received_from(c, id, Outcome::edited);
    }
  }
  const std::string state = state_for(p.issues);
  auto id = c.query_int(
      "INSERT INTO submissions(org_id, form_id, version_id, instance_id, current_instance_id, "
      "content_digest, "
      "instance_name, state, issues_json, record, attachments_expected, submitter_id, device_id, "
      "source, area_code, submitted_at, updated_at) VALUES "
      "($1,$2,$3,$4,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) "
      "ON CONFLICT (form_id, instance_id) DO NOTHING RETURNING id",
      {s.org_id(), form_id, p.target.compiled->version_id, p.sub.instance_id, p.digest, p.sub.instance_name,
       state, issues_json(p.issues), p.record, static_cast<std::int64_t>(p.expected.size()),
       s.actor().user_id ? db::Value(s.actor().user_id) : db::Value(), device_id, source, p.area_code,
       submitted_at, now});
  if (!id) {
    // Already stored (a retry), or another server stored it between our look-up and insert;
    // the insert waited for its commit, so the row is visible now.
    if (auto known = find_known(find_edited())) return answer_known(*known);
    throw Error(ErrorCode::conflict, "instanceID " + p.sub.instance_id + " is being received right now");
  }
  c.exec("INSERT INTO submission_xml(submission_id, org_id, xml) VALUES ($1,$2,$3)", {*id, s.org_id(), xml});
  insert_attachments(c, s, *id, files, now);
  // The stored state is all in hand: no need to read the row back.
  indicators::on_submission_changed(
      c, s, form_id, std::nullopt,
      indicators::SubmissionState{p.target.compiled->version_id, p.record, state, false, submitted_at,
                                  p.area_code.value_or("")});
  audit::record(c, s,
                {{},
                 "submission.create",
                 "submission",
                 std::to_string(*id),
                 {},
                 bj::object{{"form_id", std::to_string(form_id)},
                            {"instance_id", p.sub.instance_id},
                            {"state", state},
                            {"issues", p.issues.size()},
                            {"source", source}}});
  Received out;
  out.outcome = Outcome::created;
  out.id = *id;
  out.instance_id = p.sub.instance_id;
  out.state = state;
  out.issue_count = p.issues.size();
  out.attachments_expected = static_cast<int>(p.expected.size());
  out.attachments_present = static_cast<int>(files.size());
  return out;
}

}  // namespace

std::shared_ptr<const CompiledVersion> compiled_version(db::Connection& c, std::int64_t version_id) {
  {
    std::lock_guard lock(cache_mutex);
    if (auto it = cache.find(version_id); it != cache.end()) return it->second;
  }
  auto row = c.query_one(
      "SELECT v.form_id, f.xml_form_id, v.version_string, v.xform, v.status FROM form_versions v JOIN forms "
      "f ON "
      "f.id = v.form_id WHERE v.id = $1",
      {version_id});
  if (!row) throw Error(ErrorCode::not_found, "no form version " + std::to_string(version_id));
  // Compiled outside the lock: two threads may compile the same version once each, harmlessly.
  auto cv = compile(version_id, row->int_at(0), row->text_at(1), row->text_at(2), row->text_at(3));
  // A draft is replaced by deleting its row, and SQLite may give the next draft the same id:
  // only versions that can never change again are cached.
  if (row->text_at(4) == "draft") return cv;
  std::lock_guard lock(cache_mutex);
  return cache.emplace(version_id, std::move(cv)).first->second;
}

void receive_async(db::Database& db, const OrgScope& scope, const AttachmentStore& store, Incoming in,
                   std::function<void(std::function<Received()>)> done, const Limits& limits) {
  const OrgScope& s = scope;
  s.require(Permission::collect_data);
  if (in.xml.size() > limits.max_xml_bytes)
    throw Error(ErrorCode::payload_too_large,
                "the submission XML is larger than " + std::to_string(limits.max_xml_bytes >> 20) + " MiB");
  if (in.files.size() > limits.max_files)
    throw Error(ErrorCode::payload_too_large,
                "more than " + std::to_string(limits.max_files) + " attachments");
  for (const auto& f : in.files)
    if (f.bytes.size() > limits.max_file_bytes)
      throw Error(ErrorCode::payload_too_large, "attachment '" + f.name + "' is larger than " +
                                                    std::to_string(limits.max_file_bytes >> 20) + " MiB");

  Prepared p = prepare(db, s, in.xml, in.form_id);
  require_accepting(p.target, p.sub.form_id);

  // Files go to disk before the row that names them commits (content-addressed, so a retry or a
  // duplicate costs nothing). Files the submission does not name are not kept.
  std::vector<StoredFile> files;
  std::set<std::string> seen;
  for (const auto& f : in.files) {
    if (!p.expected.count(f.name) || !seen.insert(f.name).second) continue;
    files.push_back({f.name, f.content_type.empty() ? "application/octet-stream" : f.content_type,
                     store.put(f.bytes), static_cast<std::int64_t>(f.bytes.size())});
  }

  // What the write job needs, owned by the job: the caller does not wait for it.
  struct Job {
    OrgScope s;
    Prepared p;
    std::vector<StoredFile> files;
    std::string xml, device_id, source;
    std::int64_t now = 0, submitted_at = 0;
    std::optional<Received> out;  // a PostgreSQL job may run again: the last run's answer counts
  };
  auto job = std::make_shared<Job>(Job{scope, std::move(p), std::move(files), std::move(in.xml), in.device_id,
                                       in.source, now_millis(), 0, std::nullopt});
  job->submitted_at = in.submitted_at.value_or(job->now);
  // READ COMMITTED: the unique constraint on (form_id, instance_id) decides which of two servers
  // receiving the same submission at once stores it; each statement sees what others committed.
  db.write_async(
      [job](db::Connection& c) {
        job->out = store_received(c, job->s, job->p, job->files, job->xml, job->device_id, job->source,
                                  job->now, job->submitted_at);
      },
      db::Isolation::read_committed,
      [job, done = std::move(done)](std::exception_ptr failed) {
        done([job, failed]() -> Received {
          if (failed) std::rethrow_exception(failed);
          return *job->out;
        });
      });
}

Received receive(db::Database& db, const OrgScope& s, const AttachmentStore& store, Incoming in,
                 const Limits& limits) {
  // Shared: the writer thread may still be inside set_value() when this thread wakes up.
  auto answer = std::make_shared<std::promise<std::function<Received()>>>();
  auto result = answer->get_future();
  receive_async(
      db, s, store, std::move(in), [answer](std::function<Received()> r) { answer->set_value(std::move(r)); },
      limits);
  return result.get()();
}

Summary edit(db::Database& db, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
             std::string edited_xml, std::string_view reason) {
  s.require(Permission::review_data);
  auto current = db.read_value([&](db::Connection& c) { return get(c, s, id).summary; });
  if (current.deleted_at) throw Error(ErrorCode::conflict, "restore the submission before editing it");
  Prepared p = prepare(db, s, edited_xml, current.form_id);
  if (p.sub.instance_id == current.current_instance_id)
    throw invalid_field("instanceID",
                        "an edit needs a new instanceID (keep the old one in meta/deprecatedID)");
  const std::int64_t now = now_millis();
  return db.write_value([&](db::Connection& c) {
    auto row = c.query_one("SELECT version FROM submissions WHERE id = $1 AND org_id = $2", {id, s.org_id()});
    if (!row) throw Error(ErrorCode::not_found, "no submission " + std::to_string(id));
    if (row->int_at(0) != expected_version)
      throw Error(ErrorCode::precondition_failed, "the submission was changed by someone else; reload it");
    if (c.query_int(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM submissions WHERE form_id = $1 AND instance_id = $2) OR "
            "EXISTS (SELECT 1 FROM submissions WHERE form_id = $1 AND current_instance_id = $2" +
                edited_only(c) + ")",
            {current.form_id, p.sub.instance_id}))
      throw Error(ErrorCode::conflict, "instanceID " + p.sub.instance_id + " is already used");
    apply_edit(c, s, id, p, edited_xml, reason, now);
    return get(c, s, id).summary;
  });
}

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::created:
      return "created";
    case Outcome::duplicate:
      return "duplicate";
    case Outcome::completed:
      return "completed";
    case Outcome::edited:
      return "edited";
  }
  return "created";
}

}  // namespace gotong::domain::submissions
