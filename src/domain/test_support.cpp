#include "domain/test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>

#include "base/crypto.hpp"
#include "db/migrations.hpp"
#include "domain/areas.hpp"
#include "domain/migration_steps.hpp"

namespace gotong::domain::testing {

const char* const kRegionsSample =
    "code,name\n"
    "32,Jawa Barat\n"
    "32.05,Kabupaten Garut\n"
    "32.05.23,Cibatu\n"
    "32.05.23.2001,Sukamaju\n"
    "32.05.23.2002,Cibatu\n"
    "53,Nusa Tenggara Timur\n"
    "53.02,Kabupaten Timor Tengah Selatan\n"
    "53.02.03,Mollo Utara\n"
    "53.02.03.2001,O'besi\n"
    "53.02.03.2003,Bosen\n"
    "53.02.03.2004,Sebot\n"
    "53.02.03.2005,Oel Oelbubuk\n"
    "53.71,Kota Kupang\n"
    "53.71.01,Alak\n"
    "53.71.01.1001,Sukamaju\n";

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  crypto::init();
  path_ = std::filesystem::temp_directory_path() /
          ("gotong-domain-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db");
  std::filesystem::remove(path_);
  db_ = db::open("sqlite:" + path_.string());
  auto steps = migration_steps();
  for (auto& step : steps)
    if (step.version == areas::regions_migration().version) {
      step.name = "regions sample";  // the sample takes the real list's place
      step.code = [](db::Connection& c) { areas::import_regions(c, kRegionsSample); };
    }
  db::migrate(*db_, steps);
}

TestDatabase::~TestDatabase() {
  db_.reset();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
}

OrgScope TestDatabase::org_with_member(const std::string& slug, Role role, const std::string& email) {
  static const std::string hash = crypto::hash_password("correct horse battery");
  db_->write([&](db::Connection& c) {
    auto org = accounts::find_organisation(c, slug);
    if (!org) org = accounts::create_organisation(c, Actor::cli(), slug, "Org " + slug);
    auto user = accounts::create_user(c, Actor::cli(), email, "User " + email, hash);
    accounts::add_member(c, OrgScope::for_cli(org->id, org->slug), user.id, role);
  });
  return db_->read_value([&](db::Connection& c) {
    auto user = accounts::find_user(c, email);
    return resolve_scope(c, Actor{user->id, user->email, user->name, {}, {}, {}}, slug);
  });
}

}  // namespace gotong::domain::testing
