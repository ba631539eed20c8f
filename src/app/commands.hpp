// The `gotong` command line: each subcommand as a function the CLI11 wiring in main.cpp calls.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace gotong::app {

// Opens the database URL and brings its schema up to date (every command needs both).
std::unique_ptr<db::Database> open_migrated(const std::string& url);

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string database;
  int io_threads = 0;
  int workers = 0;  // 0: by engine (see serve.cpp)
  int header_timeout_ms = 10'000;
  int idle_timeout_ms = 60'000;
  bool secure_cookies = false;
  bool trust_proxy = false;
  bool quiet = false;       // no access log
  std::string attachments;  // directory of attachments; "" = next to the SQLite file
  std::string web_dir;      // the built web app; "" = looked for beside the source tree
};
int serve(const ServeOptions& o);

int migrate(const std::string& database);
int org_add(const std::string& database, const std::string& slug, const std::string& name);
int user_add(const std::string& database, const std::string& org, const std::string& email,
             const std::string& role, const std::string& name);
int user_passwd(const std::string& database, const std::string& email);
int user_list(const std::string& database, const std::optional<std::string>& org);
int demo_load(const std::string& database);
int token_create(const std::string& database, const std::string& email, const std::string& name);
int backup(const std::string& database, const std::string& file);

struct MigrateDataOptions {
  std::string from, to;                          // database URLs
  std::string attachments_from, attachments_to;  // "" = the default beside each database
};
// Copies a whole installation into another database (SQLite → PostgreSQL); exit 1 if incomplete.
int migrate_data(const MigrateDataOptions& o);
// Writes the XForm of an XLSForm (.xlsx, .xls) to `output` ("" or "-": standard output); on
// errors prints each as `sheet:row:column: message` and returns 1.
int form_convert(const std::string& file, const std::string& output);
// Validates an XLSForm (or an XForm .xml) without writing anything.
int form_check(const std::string& file);

}  // namespace gotong::app
