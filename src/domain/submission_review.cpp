// Reading and reviewing submissions: the list with its filters, one submission with its answers,
// comments and edit history, review states, the bin (delete and restore), attachments.
#include <boost/json.hpp>
#include <map>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/indicators.hpp"
#include "domain/submission_blocks.hpp"
#include "domain/submission_rows.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::submissions {

namespace bj = boost::json;
namespace xform = gotong::forms::xform;

namespace {

const char* const kStates[] = {"received", "has_issues", "approved", "rejected"};

bool known_state(std::string_view s) {
  for (const char* k : kStates)
    if (s == k) return true;
  return false;
}

std::optional<std::int64_t> user_or_null(const OrgScope& s) {
  return s.actor().user_id ? std::optional(s.actor().user_id) : std::nullopt;
}

Summary load_summary(db::Connection& c, const OrgScope& s, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kSummaryColumns + " FROM submissions s " + kSummaryJoins +
                             " WHERE s.id = $1 AND s.org_id = $2",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no submission " + std::to_string(id));
  return summary_from(*row);
}

void check_version(const Summary& current, std::int64_t expected) {
  if (current.version != expected)
    throw Error(ErrorCode::precondition_failed, "the submission was changed by someone else; reload it");
}

bj::object audit_view(const Summary& s) {
  return bj::object{{"state", s.state},
                    {"instance_id", s.current_instance_id},
                    {"deleted", s.deleted_at.has_value()}};
}

// Does the submission's top-level field `name` hold `value`? (list filters on any field)
class FieldMatcher {
 public:
  explicit FieldMatcher(const std::vector<std::pair<std::string, std::string>>& fields) : fields_(fields) {}
  bool matches(db::Connection& c, std::int64_t version_id, std::string_view record) {
    auto it = columns_.find(version_id);
    if (it == columns_.end()) {
      auto cv = compiled_version(c, version_id);
      std::vector<int> cols;
      const auto& main = cv->layout.tables.at(0);
      for (const auto& [name, value] : fields_) {
        int col = -1;
        for (std::size_t i = 0; i < main.fields.size(); ++i)
          if (cv->schema.nodes[static_cast<std::size_t>(main.fields[i])].name == name) col = static_cast<int>(i);
        cols.push_back(col);
      }
      it = columns_.emplace(version_id, std::move(cols)).first;
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      int col = it->second[i];
      std::string_view v = col < 0 ? std::string_view() : xform::main_value(record, col);
      if (v != fields_[i].second) return false;
    }
    return true;
  }

 private:
  const std::vector<std::pair<std::string, std::string>>& fields_;
  std::map<std::int64_t, std::vector<int>> columns_;
};

}  // namespace

Summary summary_from(const db::Row& r) {
  Summary s;
  s.id = r.int_at(0);
  s.form_id = r.int_at(1);
  s.version_id = r.int_at(2);
  s.instance_id = r.text_at(3);
  s.current_instance_id = r.text_at(4);
  s.instance_name = r.text_at(5);
  s.state = r.text_at(6);
  s.source = r.text_at(7);
  s.device_id = r.text_at(8);
  s.form_version = r.text_at(9);
  s.submitter_id = r.opt_int(10);
  s.submitter_name = r.text_at(11);
  s.area_code = r.opt_text(12);
  const bj::value issues = json::parse(r.text_at(13));
  for (const auto& i : issues.as_array()) {
    const auto& o = i.as_object();
    s.issues.push_back({std::string(o.at("path").as_string()), std::string(o.at("rule").as_string()),
                        std::string(o.at("message").as_string())});
  }
  s.attachments_expected = static_cast<int>(r.int_at(14));
  s.attachments_present = static_cast<int>(r.int_at(15));
  s.submitted_at = r.int_at(16);
  s.updated_at = r.int_at(17);
  s.deleted_at = r.opt_int(18);
  s.version = r.int_at(19);
  return s;
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor, int limit) {
  s.require(Permission::read);
  std::string where = " WHERE s.org_id = $1";
  db::Params params{s.org_id()};
  auto add = [&](const std::string& condition, db::Value v) {
    params.push_back(std::move(v));
    std::string n = "$" + std::to_string(params.size());
    std::string out = condition;
    for (std::size_t at = out.find('?'); at != std::string::npos; at = out.find('?', at + n.size()))
      out.replace(at, 1, n);
    where += " AND " + out;
  };
  where += f.deleted ? " AND s.deleted_at IS NOT NULL" : " AND s.deleted_at IS NULL";
  if (f.form_id) add("s.form_id = ?", *f.form_id);
  if (f.from) add("s.submitted_at >= ?", *f.from);
  if (f.to) add("s.submitted_at < ?", *f.to);
  if (f.submitter_id) add("s.submitter_id = ?", *f.submitter_id);
  if (f.area_code) {
    // The area itself and everything below it: codes nest as "53.02.03.2003".
    params.push_back(*f.area_code);
    std::string n = "$" + std::to_string(params.size());
    params.push_back(*f.area_code + ".");
    std::string m = "$" + std::to_string(params.size());
    where += " AND (s.area_code = " + n + " OR substr(s.area_code, 1, length(" + m + ")) = " + m + ")";
  }
  if (!f.states.empty()) {
    std::string in;
    for (const auto& st : f.states) {
      if (!known_state(st)) throw invalid_field("state", "must be received, has_issues, approved or rejected");
      params.push_back(st);
      in += (in.empty() ? "" : ", ") + ("$" + std::to_string(params.size()));
    }
    where += " AND s.state IN (" + in + ")";
  }
  std::optional<std::int64_t> before;
  if (cursor) {
    try {
      before = std::stoll(*cursor);
    } catch (const std::exception&) {
      throw Error(ErrorCode::bad_request, "cursor is not one this server gave out");
    }
  }
  const std::size_t fixed = params.size();
  Page page;
  FieldMatcher matcher(f.fields);
  // Field filters are checked here on the stored records, a batch at a time, so a page may take
  // several batches; the cursor then continues after the last row looked at.
  const int batch = f.fields.empty() ? limit + 1 : 500;
  for (;;) {
    params.resize(fixed);
    std::string sql = std::string("SELECT ") + kSummaryColumns + ", s.record FROM submissions s " + kSummaryJoins +
                      where;
    if (before) {
      params.push_back(*before);
      sql += " AND s.id < $" + std::to_string(params.size());
    }
    sql += " ORDER BY s.id DESC LIMIT " + std::to_string(batch);
    auto rows = c.query(sql, params);
    for (const auto& r : rows) {
      before = r.int_at(0);
      if (!f.fields.empty() && !matcher.matches(c, r.int_at(2), r.text_at(kSummaryColumnCount))) continue;
      if (static_cast<int>(page.items.size()) == limit) {
        page.next_cursor = std::to_string(page.items.back().id);
        return page;
      }
      page.items.push_back(summary_from(r));
    }
    if (static_cast<int>(rows.size()) < batch) return page;
  }
}

Detail get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  Detail d;
  d.summary = load_summary(c, s, id);
  d.xml = c.query_one("SELECT xml FROM submission_xml WHERE submission_id = $1", {id})->text_at(0);
  try {
    auto cv = compiled_version(c, d.summary.version_id);
    d.answers = answers_json(cv->schema, xform::read_submission(d.xml));
  } catch (const std::exception&) {
    // Stored XML always parsed once; if a later engine change makes it unreadable the XML is
    // still returned, with no answers, rather than hiding the submission.
  }
  for (const auto& r : c.query("SELECT name, content_type, sha256, size FROM submission_attachments WHERE "
                               "submission_id = $1 ORDER BY name",
                               {id}))
    d.attachments.push_back({r.text_at(0), r.text_at(1), r.text_at(2), r.int_at(3)});
  for (const auto& r : c.query("SELECT m.id, m.author_id, u.name, m.body, m.created_at FROM submission_comments m "
                               "LEFT JOIN users u ON u.id = m.author_id WHERE m.submission_id = $1 ORDER BY m.id",
                               {id}))
    d.comments.push_back({r.int_at(0), r.opt_int(1), r.text_at(2), r.text_at(3), r.int_at(4)});
  for (const auto& r : c.query("SELECT e.id, e.instance_id, e.reason, e.edited_by, u.name, e.edited_at, "
                               "e.issues_json FROM submission_edits e LEFT JOIN users u ON u.id = e.edited_by "
                               "WHERE e.submission_id = $1 ORDER BY e.id",
                               {id}))
    d.edits.push_back({r.int_at(0), r.text_at(1), r.text_at(2), r.opt_int(3), r.text_at(4), r.int_at(5),
                       json::parse(r.text_at(6)).as_array().size()});
  return d;
}

Summary set_state(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                  std::string_view state, std::string_view comment) {
  s.require(Permission::review_data);
  if (!known_state(state)) throw invalid_field("state", "must be received, has_issues, approved or rejected");
  Summary before = load_summary(c, s, id);
  check_version(before, expected_version);
  if (before.deleted_at) throw Error(ErrorCode::conflict, "restore the submission before reviewing it");
  if (state == "has_issues" && before.issues.empty())
    throw invalid_field("state", "has_issues is set by the checks; this submission has no issues");
  const std::int64_t now = now_millis();
  auto counted = indicators::load_state(c, id);  // nullopt: no indicator reads this form
  c.exec("UPDATE submissions SET state = $1, updated_at = $2, version = version + 1 WHERE id = $3",
         {std::string(state), now, id});
  submission_blocks::invalidate(c, before.form_id, id);  // its column block no longer matches it
  if (counted) indicators::on_submission_changed(c, s, before.form_id, counted, indicators::load_state(c, id));
  if (!text::trim(comment).empty()) add_comment(c, s, id, comment);
  Summary after = load_summary(c, s, id);
  audit::record(c, s, {{}, "submission.review", "submission", std::to_string(id), audit_view(before), audit_view(after)});
  return after;
}

Comment add_comment(db::Connection& c, const OrgScope& s, std::int64_t id, std::string_view body) {
  s.require(Permission::review_data);
  std::string text = text::trim(body);
  if (text.empty()) throw invalid_field("body", "must not be empty");
  if (text.size() > 10'000) throw invalid_field("body", "must be at most 10000 characters");
  if (!text::is_clean_utf8(text)) throw invalid_field("body", "must be UTF-8 text");
  load_summary(c, s, id);
  const std::int64_t now = now_millis();
  auto cid = c.query_int("INSERT INTO submission_comments(org_id, submission_id, author_id, body, created_at) VALUES "
                         "($1,$2,$3,$4,$5) RETURNING id",
                         {s.org_id(), id, user_or_null(s), text, now});
  audit::record(c, s, {{}, "submission.comment", "submission", std::to_string(id), {},
                       bj::object{{"comment_id", std::to_string(*cid)}, {"body", text}}});
  return Comment{*cid, user_or_null(s), s.actor().name, text, now};
}

namespace {

// Delete (into the bin) or restore: nothing is erased, so a mistaken delete is undone in full.
Summary set_in_bin(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   bool in_bin) {
  s.require(Permission::review_data);
  Summary before = load_summary(c, s, id);
  check_version(before, expected_version);
  if (in_bin == before.deleted_at.has_value())
    throw Error(ErrorCode::conflict, in_bin ? "the submission is already in the bin" : "the submission is not in the bin");
  const std::int64_t now = now_millis();
  auto counted = indicators::load_state(c, id);  // nullopt: no indicator reads this form
  c.exec("UPDATE submissions SET deleted_at = $1, updated_at = $2, version = version + 1 WHERE id = $3",
         {in_bin ? db::Value(now) : db::Value(), now, id});
  submission_blocks::invalidate(c, before.form_id, id);  // its column block no longer matches it
  if (counted) indicators::on_submission_changed(c, s, before.form_id, counted, indicators::load_state(c, id));
  Summary after = load_summary(c, s, id);
  audit::record(c, s, {{}, in_bin ? "submission.delete" : "submission.restore", "submission", std::to_string(id),
                       audit_view(before), audit_view(after)});
  return after;
}

}  // namespace

Summary remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  return set_in_bin(c, s, id, expected_version, true);
}

Summary restore(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  return set_in_bin(c, s, id, expected_version, false);
}

Attachment attachment(db::Connection& c, const OrgScope& s, std::int64_t id, std::string_view name) {
  s.require(Permission::read);
  load_summary(c, s, id);
  auto r = c.query_one("SELECT name, content_type, sha256, size FROM submission_attachments WHERE submission_id = $1 "
                       "AND name = $2",
                       {id, std::string(name)});
  if (!r) throw Error(ErrorCode::not_found, "submission " + std::to_string(id) + " has no attachment '" +
                                                std::string(name) + "'");
  return {r->text_at(0), r->text_at(1), r->text_at(2), r->int_at(3)};
}

}  // namespace gotong::domain::submissions
