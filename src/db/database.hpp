// The storage interface every engine implements: connections that run SQL with `$1` parameters,
// and a Database that hands out read snapshots and durable write transactions.
//
// Writes go through Database::write. For SQLite one writer thread runs them and commits them in
// groups (a 2xx answer means the data is on disk, without one fsync per request); PostgreSQL
// runs each in its own SERIALIZABLE transaction on a pooled connection and runs a job again when
// it collided with a concurrent one, so a write job must not act outside its connection. Either
// way write() returns only after the commit is durable, and rethrows whatever the job threw (the
// job's changes are then rolled back, the other jobs of its group are unaffected).
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "db/value.hpp"

namespace gotong::db {

enum class Engine { sqlite, postgresql };
std::string_view engine_name(Engine e);

// A row of Connection::scan(): columns read where the engine holds them, valid only during the
// callback. NULL reads as 0 / "".
class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool null_at(std::size_t i) const = 0;
  virtual std::int64_t int_at(std::size_t i) const = 0;
  virtual std::string_view text_at(std::size_t i) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;
  // Runs one statement; returns all rows.
  virtual std::vector<Row> query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement and calls `on_row` for each row without keeping them (exports);
  // stop early by returning false.
  virtual void each(std::string_view sql, const Params& params,
                    const std::function<bool(const Row&)>& on_row) = 0;
  // each() for long scans (indicators over a million records): no Row built and no column
  // copied per row. The engine's default goes through each().
  virtual void scan(std::string_view sql, const Params& params,
                    const std::function<bool(const RowView&)>& on_row);
  // Runs one statement; returns the number of rows changed.
  virtual std::int64_t exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;

  std::optional<Row> query_one(std::string_view sql, const Params& params = {});
  // The first column of the first row, or nullopt when there is no row.
  std::optional<std::int64_t> query_int(std::string_view sql, const Params& params = {});
};

// How a write job is isolated from concurrent ones (PostgreSQL; SQLite's single writer makes
// every job serializable).
enum class Isolation {
  // The job behaves as if it ran alone; on PostgreSQL it may run again after a conflict.
  serializable,
  // For hot paths whose correctness rests on unique constraints and row locks alone (receiving
  // submissions): no predicate locks, so concurrent inserts into one index do not abort each other.
  read_committed,
};

struct Options {
  int readers = 4;              // read connections in the pool
  int writers = 16;             // further connections for write jobs (PostgreSQL)
  std::size_t max_group = 512;  // most write jobs committed together
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  virtual std::string description() const = 0;  // "sqlite:var/gotong.db" (no passwords)

  // Runs `job` on a read connection inside one snapshot.
  virtual void read(const std::function<void(Connection&)>& job) = 0;
  // Runs `job` in a write transaction and returns once it is durably committed.
  virtual void write(std::function<void(Connection&)> job, Isolation isolation = Isolation::serializable) = 0;
  // write() without waiting: `done` is called once with nullptr when the job's commit is
  // durable, or with what failed it. On SQLite the job is queued for the writer thread and
  // `done` runs there, after the group commit, so it must be quick (hand the rest to another
  // thread). Engines without a writer thread run the job before returning and call `done` on
  // the calling thread. May throw, without calling `done`, when the database is closing.
  virtual void write_async(std::function<void(Connection&)> job, Isolation isolation,
                           std::function<void(std::exception_ptr)> done);
  // Copies the whole database to `path` (a new SQLite file), consistent, while serving.
  virtual void backup(const std::string& path) = 0;
  // Finishes queued writes and closes every connection. Further calls throw.
  virtual void close() = 0;

  template <class F>
  auto read_value(F&& f) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      read(std::forward<F>(f));
    } else {
      std::optional<R> out;
      read([&](Connection& c) { out.emplace(f(c)); });
      return std::move(*out);
    }
  }

  template <class F>
  auto write_value(F&& f, Isolation isolation = Isolation::serializable)
      -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      write(std::forward<F>(f), isolation);
    } else {
      std::optional<R> out;
      // A job may run more than once (PostgreSQL retries): the last run's result counts.
      write([&](Connection& c) { out.emplace(f(c)); }, isolation);
      return std::move(*out);
    }
  }
};

// Opens "sqlite:PATH" (creating the file) or "postgresql://user@host:port/dbname" (also
// postgres://; see db/postgres.hpp).
// Throws Error(bad_request) for an unknown scheme.
std::unique_ptr<Database> open(const std::string& url, const Options& options = {});

}  // namespace gotong::db
