// Copying tables between two databases of either engine, row by row with the same ids, for
// `gotong migrate-data` (moving an installation from SQLite to PostgreSQL). Rows whose key is
// already in the target are left alone, so a copy that was interrupted can simply be run again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace gotong::db {

// The column names of `table`, in order (empty when the table does not exist).
std::vector<std::string> table_columns(Connection& c, const std::string& table);
// Every user table of the database (the migration ledger included).
std::vector<std::string> table_names(Connection& c);

struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0, inserted = 0, target_rows = 0;
};

// Copies every row of `table` (the columns both sides have), `batch` rows per write job.
TableCopy copy_table(Database& from, Database& to, const std::string& table, std::size_t batch = 500);

// PostgreSQL identity columns keep counting from where the copied ids end; no-op on SQLite.
void advance_identity(Database& db, const std::string& table);

}  // namespace gotong::db
