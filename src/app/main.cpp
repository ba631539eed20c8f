// The `gotong` binary: command-line parsing (CLI11). These spellings are an interface that
// scripts and operators rely on; keep them stable.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/log.hpp"

namespace {

constexpr const char* kDefaultDatabase = "sqlite:var/gotong.db";

// --database on every subcommand that touches the database, also from GOTONG_DATABASE.
void add_database_option(CLI::App* cmd, std::string& target) {
  cmd->add_option("--database", target,
                  "Database URL: sqlite:PATH (default " + std::string(kDefaultDatabase) + ")")
      ->envname("GOTONG_DATABASE");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gotong;
  CLI::App app{"Gotong: a platform for community development programs (gotong royong: working together)",
               "gotong"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("gotong ") + GOTONG_VERSION);

  std::string database = kDefaultDatabase;

  app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the web app, the API and ODK endpoints over HTTP");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)")
      ->envname("GOTONG_LISTEN");
  add_database_option(serve_cmd, database);
  serve_cmd->add_option("--io-threads", serve.io_threads, "I/O threads (default: one per core)");
  serve_cmd->add_option("--workers", serve.workers,
                        "Worker threads for requests (default 8 on SQLite, 32 on PostgreSQL)");
  serve_cmd->add_option("--header-timeout-ms", serve.header_timeout_ms,
                        "A request head must arrive within this many ms (default 10000)");
  serve_cmd->add_option("--idle-timeout-ms", serve.idle_timeout_ms,
                        "Close keep-alive connections idle this long (default 60000)");
  serve_cmd->add_flag("--secure-cookies", serve.secure_cookies, "Mark the session cookie Secure (behind TLS)")
      ->envname("GOTONG_SECURE_COOKIES");
  serve_cmd->add_flag("--trust-proxy", serve.trust_proxy, "Take client addresses from X-Forwarded-For")
      ->envname("GOTONG_TRUST_PROXY");
  serve_cmd->add_flag("--quiet", serve.quiet, "No access log");
  serve_cmd
      ->add_option("--attachments", serve.attachments,
                   "Directory for submission attachments and form media (default: beside the SQLite "
                   "file, else var/attachments; shared by every app server)")
      ->envname("GOTONG_ATTACHMENTS");
  serve_cmd
      ->add_option("--web-dir", serve.web_dir,
                   "The built web app (default: web/dist of the source tree this binary was built "
                   "from, or ../share/gotong/web beside the binary)")
      ->envname("GOTONG_WEB_DIR");

  auto* migrate_cmd = app.add_subcommand("migrate", "Create the database or bring its schema up to date");
  add_database_option(migrate_cmd, database);

  auto* org_cmd = app.add_subcommand("org", "Organisations");
  org_cmd->require_subcommand(1);
  std::string org_slug, org_name;
  auto* org_add = org_cmd->add_subcommand("add", "Create an organisation");
  org_add->add_option("--slug", org_slug, "Short name used in URLs, e.g. yayasan-air")->required();
  org_add->add_option("--name", org_name, "Full name")->required();
  add_database_option(org_add, database);

  auto* user_cmd = app.add_subcommand("user", "User accounts");
  user_cmd->require_subcommand(1);
  std::string user_org, user_email, user_role, user_name;
  bool password_stdin = false;
  auto* user_add = user_cmd->add_subcommand(
      "add", "Create a user (or add an existing one) as a member of an organisation");
  user_add->add_option("--org", user_org, "Organisation slug")->required();
  user_add->add_option("--email", user_email, "E-mail address (the login)")->required();
  user_add->add_option("--role", user_role, "admin, coordinator, field_officer, partner or viewer")
      ->required();
  user_add->add_option("--name", user_name, "Display name (default: the e-mail)");
  user_add->add_flag("--password-stdin", password_stdin, "Read the new user's password from standard input")
      ->required();
  add_database_option(user_add, database);
  auto* user_passwd = user_cmd->add_subcommand("passwd", "Set a user's password (read from standard input)");
  user_passwd->add_option("--email", user_email, "E-mail address")->required();
  user_passwd->add_flag("--password-stdin", password_stdin,
                        "Read the password from standard input (the default)");
  add_database_option(user_passwd, database);
  std::optional<std::string> list_org;
  auto* user_list = user_cmd->add_subcommand("list", "List users with their organisations and roles");
  user_list->add_option("--org", list_org, "Only members of this organisation");
  add_database_option(user_list, database);

  auto* demo_cmd = app.add_subcommand("demo", "The demo workspace");
  demo_cmd->require_subcommand(1);
  auto* demo_load = demo_cmd->add_subcommand("load", "Load the demo organisation, village and users");
  add_database_option(demo_load, database);

  auto* token_cmd = app.add_subcommand("token", "API tokens for scripts and devices");
  token_cmd->require_subcommand(1);
  std::string token_user, token_name = "command line";
  auto* token_create = token_cmd->add_subcommand("create", "Print a new API token for a user");
  token_create->add_option("--user", token_user, "The user's e-mail")->required();
  token_create->add_option("--name", token_name, "What the token is for");
  add_database_option(token_create, database);

  std::string backup_file;
  auto* backup_cmd =
      app.add_subcommand("backup", "Copy the database to FILE, consistent, safe while serving");
  backup_cmd->add_option("FILE", backup_file, "The new backup file")->required();
  add_database_option(backup_cmd, database);

  app::MigrateDataOptions migrate_data;
  auto* migrate_data_cmd = app.add_subcommand(
      "migrate-data", "Copy a whole installation (data, audit log, attachments) into another database");
  migrate_data_cmd->add_option("--from", migrate_data.from, "Source database URL (sqlite:PATH)")->required();
  migrate_data_cmd->add_option("--to", migrate_data.to, "Target database URL (postgresql://...)")->required();
  migrate_data_cmd->add_option("--attachments-from", migrate_data.attachments_from,
                               "Source attachment directory (default: beside the source database)");
  migrate_data_cmd->add_option(
      "--attachments-to", migrate_data.attachments_to,
      "Target attachment directory (default: beside the target, else var/attachments)");

  auto* form_cmd = app.add_subcommand("form", "Survey forms (XLSForm)");
  form_cmd->require_subcommand(1);
  std::string form_file, form_output;
  auto* form_convert =
      form_cmd->add_subcommand("convert", "Convert an XLSForm (.xlsx, .xls) to an ODK XForm");
  form_convert->add_option("FILE", form_file, "The XLSForm")->required()->check(CLI::ExistingFile);
  form_convert->add_option("-o,--output", form_output, "Where to write the XForm (default: standard output)");
  auto* form_check =
      form_cmd->add_subcommand("check", "Check an XLSForm (or XForm .xml) and list its errors");
  form_check->add_option("FILE", form_file, "The form")->required()->check(CLI::ExistingFile);

  auto* version_cmd = app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    log::init();
    crypto::init();
    if (version_cmd->parsed()) {
      std::cout << "gotong " << GOTONG_VERSION << "\n";
      return 0;
    }
    if (serve_cmd->parsed()) {
      serve.database = database;
      return app::serve(serve);
    }
    if (migrate_cmd->parsed()) return app::migrate(database);
    if (org_add->parsed()) return app::org_add(database, org_slug, org_name);
    if (user_add->parsed()) return app::user_add(database, user_org, user_email, user_role, user_name);
    if (user_passwd->parsed()) return app::user_passwd(database, user_email);
    if (user_list->parsed()) return app::user_list(database, list_org);
    if (demo_load->parsed()) return app::demo_load(database);
    if (token_create->parsed()) return app::token_create(database, token_user, token_name);
    if (backup_cmd->parsed()) return app::backup(database, backup_file);
    if (migrate_data_cmd->parsed()) return app::migrate_data(migrate_data);
    if (form_convert->parsed()) return app::form_convert(form_file, form_output);
    if (form_check->parsed()) return app::form_check(form_file);
  } catch (const gotong::Error& e) {
    std::cerr << "gotong: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "gotong: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
