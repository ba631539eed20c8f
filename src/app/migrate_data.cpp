// `gotong migrate-data --from URL --to URL`: moves a whole installation between databases
// (typically a village office's SQLite file to a district's PostgreSQL server) with the same
// ids, then the attachment files, then verifies the counts. Re-running it after an interruption
// copies only what is missing.
#include <filesystem>
#include <iostream>
#include <set>

#include "app/commands.hpp"
#include "base/error.hpp"
#include "db/transfer.hpp"
#include "domain/attachment_store.hpp"

namespace gotong::app {

namespace fs = std::filesystem;

namespace {

// In dependency order (a row's references are copied before it). A table the binary has but
// this list lacks stops the command, so a new table cannot be silently left behind.
const char* const kTables[] = {
    "organisations", "users", "memberships", "sessions", "api_tokens", "login_throttle", "audit_log",
    "areas", "area_words", "forms", "form_versions", "form_media", "submissions", "submission_xml", "submission_edits",
    "submission_comments", "submission_attachments",
    // problems, prioritisation, problem trees (0007)
    "problems", "problem_evidence", "prioritisations", "prioritisation_problems", "prioritisation_criteria",
    "prioritisation_scores", "prioritisation_votes", "problem_tree_nodes",
    // programs, results frameworks, stakeholders (0008)
    "stakeholders", "programs", "program_areas", "program_problems", "program_members", "program_stakeholders",
    "result_nodes", "result_node_problems", "engagements", "engagement_stakeholders", "engagement_users",
    "follow_ups",
    // activities, participants and attendance, budget, feedback (0009)
    "activities", "events", "event_facilitators", "participant_salts", "participants", "participant_distinct_pairs",
    "attendance", "budget_lines", "budget_amounts", "expenditures", "feedback_links", "feedback", "feedback_throttle",
    // indicators, their targets, running aggregates and values entered by hand (0010)
    "indicators", "indicator_baselines", "indicator_targets", "indicator_values", "indicator_value_items",
    "indicator_entries",
    // people targeted by activities, indicators computed from attendance (0011)
    "indicator_attendance",
    // village development index assessments and links (0014)
    "idm_assessments", "idm_scores", "idm_links",
    // evaluations of programs (0015)
    "evaluations", "evaluation_rounds", "evaluation_variables", "evaluation_areas", "evaluation_criteria",
    // narratives of program progress reports (0016)
    "report_narratives",
};
// schema_migrations: each side keeps its own ledger; submission_blocks: derived columns each side
// builds again on its first full computation of an indicator.
const char* const kNotCopied[] = {"schema_migrations", "submission_blocks"};

bool listed(const std::string& t) {
  for (const char* k : kTables)
    if (t == k) return true;
  for (const char* k : kNotCopied)
    if (t == k) return true;
  return false;
}

// The official regions are loaded by a migration on each side; organisations' own areas point at
// them by id, so both sides must have numbered them alike.
void check_regions_match(db::Database& from, db::Database& to) {
  auto digest = [](db::Database& d) {
    return d.read_value([](db::Connection& c) {
      auto r = c.query_one("SELECT COUNT(*), COALESCE(SUM(id), 0) FROM areas WHERE org_id IS NULL");
      return std::to_string(r->int_at(0)) + "/" + std::to_string(r->int_at(1));
    });
  };
  auto a = digest(from), b = digest(to);
  if (a != b)
    throw Error(ErrorCode::conflict, "the official regions differ between the databases (" + a + " vs " + b +
                                         "); both must be migrated by the same gotong version");
}

// The target must be new, or hold an earlier copy of this same source: every organisation it has
// must be one of the source's, with the same id.
void check_target_is_ours(db::Database& from, db::Database& to) {
  auto orgs = [](db::Database& d) {
    return d.read_value([](db::Connection& c) {
      std::set<std::pair<std::int64_t, std::string>> out;
      for (const auto& r : c.query("SELECT id, slug FROM organisations")) out.emplace(r.int_at(0), r.text_at(1));
      return out;
    });
  };
  auto source = orgs(from);
  for (const auto& o : orgs(to))
    if (!source.count(o))
      throw Error(ErrorCode::conflict, "the target already holds organisation '" + o.second +
                                           "' that is not in the source; migrate into a new, empty database");
}

std::int64_t copy_files(const fs::path& from, const fs::path& to) {
  std::int64_t copied = 0;
  std::error_code ec;
  if (!fs::exists(from, ec)) return 0;
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name.front() == '.') continue;  // a temporary file of an interrupted write
    fs::path target = to / fs::relative(entry.path(), from);
    if (fs::exists(target, ec) && fs::file_size(target, ec) == entry.file_size()) continue;
    fs::create_directories(target.parent_path());
    fs::path tmp = target;
    tmp += ".copying";
    fs::copy_file(entry.path(), tmp, fs::copy_options::overwrite_existing);
    fs::rename(tmp, target);
    ++copied;
  }
  return copied;
}

}  // namespace

int migrate_data(const MigrateDataOptions& o) {
  if (o.from == o.to) throw Error(ErrorCode::bad_request, "--from and --to are the same database");
  auto from = open_migrated(o.from);
  auto to = open_migrated(o.to);
  std::cout << "copying " << from->description() << " → " << to->description() << "\n";

  auto tables = from->read_value([](db::Connection& c) { return db::table_names(c); });
  for (const auto& t : tables)
    if (!listed(t))
      throw Error(ErrorCode::internal, "migrate-data does not know table '" + t + "'; add it to kTables");
  check_regions_match(*from, *to);
  check_target_is_ours(*from, *to);

  bool ok = true;
  for (const char* table : kTables) {
    auto r = db::copy_table(*from, *to, table);
    db::advance_identity(*to, table);
    const bool complete = r.target_rows >= r.source_rows;
    ok = ok && complete;
    std::cout << "  " << table << ": " << r.source_rows << " rows, " << r.inserted << " copied now, "
              << r.target_rows << " in the target" << (complete ? "" : "  MISSING ROWS") << "\n";
  }

  fs::path files_from = o.attachments_from.empty() ? domain::default_attachment_dir(o.from) : fs::path(o.attachments_from);
  fs::path files_to = o.attachments_to.empty() ? domain::default_attachment_dir(o.to) : fs::path(o.attachments_to);
  if (fs::absolute(files_from) != fs::absolute(files_to)) {
    auto n = copy_files(files_from, files_to);
    std::cout << "  attachments: " << n << " files copied from " << files_from.string() << " to "
              << files_to.string() << "\n";
  }
  // Every stored attachment row must have its file in the target's store.
  domain::AttachmentStore store(files_to);
  std::int64_t missing = 0;
  to->read([&](db::Connection& c) {
    c.each("SELECT sha256 FROM submission_attachments UNION SELECT sha256 FROM form_media", {},
           [&](const db::Row& r) {
             if (!store.contains(r.text_at(0))) ++missing;
             return true;
           });
  });
  if (missing) {
    std::cout << "  " << missing << " attachment files are missing in " << files_to.string() << "\n";
    ok = false;
  }
  std::cout << (ok ? "done: every row and file is in the target\n" : "incomplete: see above\n");
  return ok ? 0 : 1;
}

}  // namespace gotong::app
