#include "app/commands.hpp"

#include <filesystem>
#include <iostream>
#include <spdlog/spdlog.h>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "db/migrations.hpp"
#include "domain/accounts.hpp"
#include "domain/areas.hpp"
#include "domain/auth.hpp"
#include "domain/demo.hpp"
#include "domain/migration_steps.hpp"
#include "domain/demo_evaluation.hpp"
#include "domain/demo_survey.hpp"
#include "domain/demo_workspace.hpp"

namespace gotong::app {

namespace accounts = domain::accounts;

std::unique_ptr<db::Database> open_migrated(const std::string& url) {
  auto db = db::open(url);
  db::migrate(*db, domain::migration_steps());
  return db;
}

namespace {

// One line from standard input, without the line break: how scripts hand over passwords
// without putting them on the command line (where `ps` shows them).
std::string read_password_line() {
  std::string line;
  if (!std::getline(std::cin, line) && line.empty())
    throw Error(ErrorCode::bad_request, "expected the password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  accounts::check_password(line);
  return line;
}

accounts::User require_user(db::Database& db, const std::string& email) {
  auto u = db.read_value([&](db::Connection& c) { return accounts::find_user(c, email); });
  if (!u) throw Error(ErrorCode::not_found, "no user with the e-mail " + email);
  return *u;
}

}  // namespace

int migrate(const std::string& database) {
  auto db = db::open(database);
  int applied = db::migrate(*db, domain::migration_steps());
  std::cout << "database " << db->description() << " is at migration " << db::migration_level(*db) << " ("
            << applied << " applied now)\n";
  return 0;
}

int org_add(const std::string& database, const std::string& slug, const std::string& name) {
  auto db = open_migrated(database);
  auto o = db->write_value([&](db::Connection& c) {
    return accounts::create_organisation(c, domain::Actor::cli(), slug, name);
  });
  std::cout << "created organisation " << o.slug << " (" << o.name << "), id " << o.id << "\n";
  return 0;
}

int user_add(const std::string& database, const std::string& org, const std::string& email_in,
             const std::string& role_in, const std::string& name) {
  auto role = domain::parse_role(role_in);
  if (!role)
    throw Error(ErrorCode::validation, "unknown role '" + role_in +
                                           "': use admin, coordinator, field_officer, partner or viewer");
  std::string email = accounts::normalise_email(email_in);
  auto db = open_migrated(database);
  auto o = db->read_value([&](db::Connection& c) { return accounts::find_organisation(c, org); });
  if (!o) throw Error(ErrorCode::not_found, "no organisation with the slug '" + org + "'");
  bool exists = db->read_value([&](db::Connection& c) { return accounts::find_user(c, email).has_value(); });
  std::string hash;
  if (!exists) hash = crypto::hash_password(read_password_line());
  db->write([&](db::Connection& c) {
    auto user = accounts::find_user(c, email);
    if (!user) user = accounts::create_user(c, domain::Actor::cli(), email, name.empty() ? email : name, hash);
    accounts::add_member(c, domain::OrgScope::for_cli(o->id, o->slug), user->id, *role);
  });
  std::cout << (exists ? "added existing user " : "created user ") << email << " to " << o->slug << " as "
            << domain::role_name(*role) << "\n";
  return 0;
}

int user_passwd(const std::string& database, const std::string& email) {
  auto db = open_migrated(database);
  auto user = require_user(*db, email);
  std::string hash = crypto::hash_password(read_password_line());
  db->write([&](db::Connection& c) { accounts::set_password_hash(c, domain::Actor::cli(), user.id, hash); });
  std::cout << "password changed for " << user.email << "; their sessions were ended\n";
  return 0;
}

int user_list(const std::string& database, const std::optional<std::string>& org) {
  auto db = open_migrated(database);
  db->read([&](db::Connection& c) {
    if (org) {
      auto o = accounts::find_organisation(c, *org);
      if (!o) throw Error(ErrorCode::not_found, "no organisation with the slug '" + *org + "'");
      for (const auto& m : accounts::list_members(c, domain::OrgScope::for_cli(o->id, o->slug)))
        std::cout << m.user.email << "\t" << domain::role_name(m.role) << "\t" << m.user.name << "\n";
      return;
    }
    for (const auto& u : accounts::list_users(c)) {
      std::string roles;
      for (const auto& m : accounts::memberships_of(c, u.id))
        roles += (roles.empty() ? "" : ",") + m.org.slug + ":" + std::string(domain::role_name(m.role));
      std::cout << u.email << "\t" << (roles.empty() ? "-" : roles) << "\t" << u.name
                << (u.disabled ? "\t(disabled)" : "") << "\n";
    }
  });
  return 0;
}

int demo_load(const std::string& database) {
  auto db = open_migrated(database);
  bool created = domain::demo::load(*db);
  // The household survey and its submissions; also completes a demo loaded by an older version.
  auto survey = domain::demo_survey::load(*db, domain::AttachmentStore(domain::default_attachment_dir(database)));
  // The program on top of it: problems, framework, indicators, activities, budget, feedback.
  auto workspace = domain::demo_workspace::load(*db);
  // Its baseline/endline evaluation and Desa Bosen's village development index over three years.
  auto evaluation = domain::demo_evaluation::seed_demo_evaluation(*db);
  if (!created && survey.received == 0 && !workspace.program_created && workspace.indicators_created == 0 &&
      !evaluation.evaluation_created && evaluation.idm_years_created == 0) {
    std::cout << "the demo workspace is already loaded\n";
    return 0;
  }
  std::cout << "loaded the demo workspace (household survey: " << survey.received << " submissions, "
            << survey.approved << " approved; program \"" << domain::demo_workspace::kProgramName << "\": "
            << workspace.indicators_created << " indicators); sign in with (password " << domain::demo::kPassword
            << "):\n";
  for (const auto& l : domain::demo::logins()) std::cout << "  " << l.email << "  (" << l.role << ")\n";
  return 0;
}

int token_create(const std::string& database, const std::string& email, const std::string& name) {
  auto db = open_migrated(database);
  auto user = require_user(*db, email);
  auto t = db->write_value([&](db::Connection& c) {
    return domain::auth::create_token(c, domain::Actor::cli(), user.id, name);
  });
  // Only the token on standard output, so scripts can capture it.
  std::cout << t.secret << "\n";
  std::cerr << "token " << t.prefix << "… for " << user.email << " (id " << t.id
            << "); it is shown only once. Use: Authorization: Bearer <token>\n";
  return 0;
}

int backup(const std::string& database, const std::string& file) {
  auto db = open_migrated(database);
  if (std::filesystem::exists(file))
    throw Error(ErrorCode::conflict, "the backup file " + file + " exists; choose a new name");
  db->backup(file);
  std::cout << "backed up " << db->description() << " to " << file << " ("
            << std::filesystem::file_size(file) << " bytes)\n";
  return 0;
}

}  // namespace gotong::app
