// A fresh SQLite database with the real migrations and a small slice of the regions list,
// for domain unit tests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "db/database.hpp"
#include "domain/accounts.hpp"
#include "domain/context.hpp"

namespace gotong::domain::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  db::Database& db() { return *db_; }
  const std::filesystem::path& path() const { return path_; }

  // An organisation with one member of the given role; returns that member's scope.
  OrgScope org_with_member(const std::string& slug, Role role, const std::string& email);

 private:
  std::filesystem::path path_;
  std::unique_ptr<db::Database> db_;
};

// A few real rows of wilayah.csv: NTT → TTS → Mollo Utara → villages, and Jawa Barat → Garut.
extern const char* const kRegionsSample;

}  // namespace gotong::domain::testing
