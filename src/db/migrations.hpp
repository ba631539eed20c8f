// Numbered schema migrations, applied in order at start. SQL steps are files embedded in the
// binary (src/db/migrations/NNNN_name.sql); a step may also be code (e.g. loading reference
// data) supplied by the layer that owns that data. Both engines run the same files: the few
// spelling differences are written as macros (see expand_sql).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace gotong::db {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;                              // run first, if not empty
  std::function<void(Connection&)> code;        // then this, if set; same transaction
};

// The SQL steps embedded in the binary, sorted by version.
std::vector<Migration> embedded_migrations();

// Keeps only this engine's --@sqlite/--@postgresql blocks (closed by --@end);
// @ID@ → the engine's auto-increment int64 primary key; @BLOB@ → BLOB or BYTEA;
// @KEY@ → text that sorts byte by byte on both engines (COLLATE "C" on PostgreSQL), for keys
// searched by prefix ranges.
std::string expand_sql(std::string_view sql, Engine engine);

// Applies every step newer than the database's level, each in its own transaction. Safe when
// several processes migrate one database at once: each step is applied exactly once.
// Returns the number of steps applied. Throws if the database is newer than this binary.
int migrate(Database& db, std::vector<Migration> steps);
// The highest applied version, 0 for an empty database.
int migration_level(Database& db);

}  // namespace gotong::db
