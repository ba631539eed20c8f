// PostgreSQL engine (libpq): a pool of connections, read snapshots (REPEATABLE READ READ ONLY)
// and SERIALIZABLE write transactions retried on serialization failures, so that each write job
// behaves as if it ran alone, as it does under SQLite's single writer.
//
// Differences from SQLite that callers may notice:
// - a write job may run more than once (after a serialization failure or deadlock); it must not
//   have effects outside the connection, or must tolerate repeating them;
// - a failed statement aborts the whole transaction: a job cannot catch an SQL error and carry
//   on with more SQL (the SQLite engine would allow it);
// - each() that stops early on a large result cancels the query, which ends the transaction:
//   further statements of that job throw, and a write job whose transaction ended so throws.
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace gotong::db {

// `url` is a libpq URI: postgresql://user[:password]@host[:port]/dbname[?param=value...]
// (postgres:// too). Connects once to fail early on a wrong URL; further connections are opened
// as jobs need them, up to options.readers + a few for writes.
std::unique_ptr<Database> open_postgres(const std::string& url, const Options& options);

// The URL without its password (user:password@ → user@, password=... parameters dropped).
std::string redact_postgres_url(const std::string& url);

}  // namespace gotong::db
