// SQLite engine: WAL, one writer thread with group commit (synchronous=FULL), a reader pool.
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace gotong::db {

std::unique_ptr<Database> open_sqlite(const std::string& path, const Options& options);

}  // namespace gotong::db
