#include "db/sqlite.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "base/error.hpp"

namespace gotong::db {

namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  if ((code & 0xFF) == SQLITE_CONSTRAINT) throw Error(ErrorCode::conflict, msg);
  throw std::runtime_error(msg);
}

// A prepared statement with its `$N` parameter positions worked out once.
struct Prepared {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> slot_for_param;  // index k (0-based param) → sqlite bind index, 0 = unused
  std::shared_ptr<const std::vector<std::string>> names;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, bool read_only) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = "cannot open database " + path + ": " + sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
    exec_script("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
    if (read_only) exec_script("PRAGMA query_only=1;");
  }
  ~SqliteConnection() override {
    for (auto& [sql, p] : cache_) sqlite3_finalize(p.stmt);
    sqlite3_close(db_);
  }

  Engine engine() const override { return Engine::sqlite; }
  sqlite3* handle() { return db_; }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    each(sql, params, [&](const Row& r) {
      rows.push_back(r);
      return true;
    });
    return rows;
  }

  void each(std::string_view sql, const Params& params,
            const std::function<bool(const Row&)>& on_row) override {
    Prepared& p = prepare(sql);
    Reset reset{p.stmt};
    bind(p, params);
    const int ncol = sqlite3_column_count(p.stmt);
    for (;;) {
      int rc = sqlite3_step(p.stmt);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) fail(db_, "query failed");
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(ncol));
      for (int i = 0; i < ncol; ++i) values.push_back(column(p.stmt, i));
      if (!on_row(Row(p.names, std::move(values)))) {
        // A write (INSERT ... RETURNING read by query_int) is stepped to its end: reset halfway,
        // SQLite settles its statement journal through a path whose cost grows with the size of
        // the enclosing transaction (seen as most of the time of a 5,000-row write job).
        if (!sqlite3_stmt_readonly(p.stmt))
          while ((rc = sqlite3_step(p.stmt)) == SQLITE_ROW) {
          }
        return;
      }
    }
  }

  void scan(std::string_view sql, const Params& params,
            const std::function<bool(const RowView&)>& on_row) override {
    struct View final : RowView {
      sqlite3_stmt* s;
      bool null_at(std::size_t i) const override {
        return sqlite3_column_type(s, static_cast<int>(i)) == SQLITE_NULL;
      }
      std::int64_t int_at(std::size_t i) const override {
        return sqlite3_column_int64(s, static_cast<int>(i));
      }
      std::string_view text_at(std::size_t i) const override {
        const int col = static_cast<int>(i);
        const auto* text = static_cast<const char*>(sqlite3_column_blob(s, col));
        return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
                    : std::string_view();
      }
    };
    Prepared& p = prepare(sql);
    Reset reset{p.stmt};
    bind(p, params);
    View view;
    view.s = p.stmt;
    for (;;) {
      int rc = sqlite3_step(p.stmt);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) fail(db_, "query failed");
      if (!on_row(view)) return;
    }
  }

  std::int64_t exec(std::string_view sql, const Params& params) override {
    Prepared& p = prepare(sql);
    Reset reset{p.stmt};
    bind(p, params);
    int rc;
    while ((rc = sqlite3_step(p.stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(db_, "statement failed");
    return sqlite3_changes64(db_);
  }

  void exec_script(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("SQL script failed: " + msg);
    }
  }

 private:
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  };

  Prepared& prepare(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return it->second;
    Prepared p;
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &p.stmt,
                           &tail) != SQLITE_OK)
      fail(db_, "cannot prepare statement");
    const int nparams = sqlite3_bind_parameter_count(p.stmt);
    for (int i = 1; i <= nparams; ++i) {
      const char* name = sqlite3_bind_parameter_name(p.stmt, i);
      if (!name || name[0] != '$') {
        sqlite3_finalize(p.stmt);
        throw std::logic_error("SQL parameters must be written $1, $2, ...: " + std::string(sql));
      }
      std::size_t k = static_cast<std::size_t>(std::stoi(name + 1));
      if (k == 0) throw std::logic_error("SQL parameter $0 in: " + std::string(sql));
      if (p.slot_for_param.size() < k) p.slot_for_param.resize(k, 0);
      p.slot_for_param[k - 1] = i;
    }
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < sqlite3_column_count(p.stmt); ++i) names->push_back(sqlite3_column_name(p.stmt, i));
    p.names = std::move(names);
    return cache_.emplace(std::string(sql), std::move(p)).first->second;
  }

  void bind(const Prepared& p, const Params& params) {
    if (params.size() < p.slot_for_param.size())
      throw std::logic_error("statement needs " + std::to_string(p.slot_for_param.size()) +
                             " parameters, got " + std::to_string(params.size()));
    for (std::size_t k = 0; k < p.slot_for_param.size(); ++k) {
      int slot = p.slot_for_param[k];
      if (slot == 0) continue;
      const auto& v = params[k].storage();
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v))
        rc = sqlite3_bind_null(p.stmt, slot);
      else if (auto* i = std::get_if<std::int64_t>(&v))
        rc = sqlite3_bind_int64(p.stmt, slot, *i);
      else if (auto* d = std::get_if<double>(&v))
        rc = sqlite3_bind_double(p.stmt, slot, *d);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(p.stmt, slot, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) fail(db_, "cannot bind parameter");
    }
  }

  static Value column(sqlite3_stmt* s, int i) {
    switch (sqlite3_column_type(s, i)) {
      case SQLITE_INTEGER:
        return Value(static_cast<std::int64_t>(sqlite3_column_int64(s, i)));
      case SQLITE_FLOAT:
        return Value(sqlite3_column_double(s, i));
      case SQLITE_NULL:
        return Value();
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(s, i));
        int n = sqlite3_column_bytes(s, i);
        return Value(std::string(text ? text : "", static_cast<std::size_t>(n)));
      }
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Prepared> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const Options& options) : path_(std::move(path)), options_(options) {
    auto parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    writer_conn_ = std::make_unique<SqliteConnection>(path_, false);
    // WAL lets readers work while the writer commits; FULL makes every commit durable.
    writer_conn_->exec_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    for (int i = 0; i < std::max(1, options_.readers); ++i)
      idle_readers_.push_back(std::make_unique<SqliteConnection>(path_, true));
    // Checkpoints on a thread of their own: SQLite's automatic checkpoint runs inside the COMMIT
    // of the writer thread, so every waiter of that group (and the next group) waited for the
    // copy into the database file and its fsync. The hook replaces the automatic checkpoint.
    checkpoint_conn_ = std::make_unique<SqliteConnection>(path_, false);
    sqlite3_wal_hook(writer_conn_->handle(), &SqliteDatabase::on_wal_commit, this);
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
    writer_ = std::thread([this] { writer_loop(); });
  }

  ~SqliteDatabase() override { close(); }

  Engine engine() const override { return Engine::sqlite; }
  std::string description() const override { return "sqlite:" + path_; }

  void read(const std::function<void(Connection&)>& job) override {
    std::unique_ptr<SqliteConnection> conn;
    {
      std::unique_lock lock(readers_mutex_);
      readers_cv_.wait(lock, [&] { return closed_ || !idle_readers_.empty(); });
      if (closed_) throw Error(ErrorCode::unavailable, "the database is closed");
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    struct Return {
      SqliteDatabase* self;
      std::unique_ptr<SqliteConnection>& conn;
      ~Return() {
        std::lock_guard lock(self->readers_mutex_);
        self->idle_readers_.push_back(std::move(conn));
        self->readers_cv_.notify_one();
      }
    } give_back{this, conn};
    conn->exec("BEGIN", {});
    try {
      job(*conn);
    } catch (...) {
      conn->exec("ROLLBACK", {});
      throw;
    }
    conn->exec("COMMIT", {});
  }

  // One writer thread: every job is serializable whatever it asks for.
  void write(std::function<void(Connection&)> job, Isolation isolation) override {
    // Shared: the writer thread may still be inside set_value() when this thread wakes up.
    auto committed = std::make_shared<std::promise<void>>();
    auto done = committed->get_future();
    write_async(std::move(job), isolation, [committed](std::exception_ptr failed) {
      if (failed)
        committed->set_exception(failed);
      else
        committed->set_value();
    });
    done.get();  // rethrows the job's exception
  }

  void write_async(std::function<void(Connection&)> job, Isolation,
                   std::function<void(std::exception_ptr)> done) override {
    {
      std::lock_guard lock(queue_mutex_);
      if (stopping_) throw Error(ErrorCode::unavailable, "the database is closing");
      queue_.push_back(Job{std::move(job), std::move(done)});
    }
    queue_cv_.notify_one();
  }

  void backup(const std::string& path) override {
    std::filesystem::remove(path);
    sqlite3* dest = nullptr;
    if (sqlite3_open(path.c_str(), &dest) != SQLITE_OK) {
      std::string msg = sqlite3_errmsg(dest);
      sqlite3_close(dest);
      throw std::runtime_error("cannot create backup file " + path + ": " + msg);
    }
    // A connection of its own, so the copy is one consistent snapshot while others write.
    SqliteConnection source(path_, true);
    sqlite3_backup* b = sqlite3_backup_init(dest, "main", source.handle(), "main");
    if (!b) {
      std::string msg = sqlite3_errmsg(dest);
      sqlite3_close(dest);
      throw std::runtime_error("backup failed: " + msg);
    }
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errstr(rc);
      sqlite3_close(dest);
      throw std::runtime_error("backup failed: " + msg);
    }
    // The copy is a plain rollback-journal file: one file to move around.
    sqlite3_exec(dest, "PRAGMA journal_mode=DELETE;", nullptr, nullptr, nullptr);
    sqlite3_close(dest);
  }

  void close() override {
    {
      std::lock_guard lock(queue_mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    {
      std::lock_guard lock(checkpoint_mutex_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    checkpoint_conn_.reset();
    {
      std::unique_lock lock(readers_mutex_);
      closed_ = true;
      readers_cv_.notify_all();
      idle_readers_.clear();
    }
    writer_conn_.reset();
  }

 private:
  struct Job {
    std::function<void(Connection&)> fn;
    std::function<void(std::exception_ptr)> done;  // must not throw
  };

  // Takes every queued job (up to max_group), runs each inside a savepoint of one transaction,
  // commits once, then tells every waiter. Queued jobs are finished before the thread exits.
  void writer_loop() {
    for (;;) {
      std::vector<Job> group;
      {
        std::unique_lock lock(queue_mutex_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        while (!queue_.empty() && group.size() < options_.max_group) {
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      commit_group(group);
    }
  }

  // Called by SQLite on the writer thread after each commit with the WAL's size in pages.
  static int on_wal_commit(void* self, sqlite3*, const char*, int pages) {
    auto* db = static_cast<SqliteDatabase*>(self);
    if (pages >= kCheckpointPages) {
      {
        std::lock_guard lock(db->checkpoint_mutex_);
        db->checkpoint_wanted_ = true;
      }
      db->checkpoint_cv_.notify_one();
    }
    return SQLITE_OK;
  }

  // PASSIVE: copies what no reader still needs, never blocks the writer or readers. The WAL
  // starts over at the beginning once a checkpoint has copied all of it.
  void checkpoint_loop() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mutex_);
        checkpoint_cv_.wait(lock, [&] { return checkpoint_stop_ || checkpoint_wanted_; });
        if (checkpoint_stop_) return;
        checkpoint_wanted_ = false;
      }
      sqlite3_wal_checkpoint_v2(checkpoint_conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
    }
  }

  void commit_group(std::vector<Job>& group) {
    std::vector<std::exception_ptr> errors(group.size());
    std::exception_ptr group_error;
    try {
      writer_conn_->exec("BEGIN IMMEDIATE", {});
      for (std::size_t i = 0; i < group.size(); ++i) {
        writer_conn_->exec("SAVEPOINT job", {});
        try {
          group[i].fn(*writer_conn_);
          writer_conn_->exec("RELEASE job", {});
        } catch (...) {
          errors[i] = std::current_exception();
          writer_conn_->exec("ROLLBACK TO job", {});
          writer_conn_->exec("RELEASE job", {});
        }
      }
      writer_conn_->exec("COMMIT", {});
    } catch (...) {
      group_error = std::current_exception();
      sqlite3_exec(writer_conn_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      try {
        group[i].done(group_error ? group_error : errors[i]);
      } catch (...) {
        // A waiter that fails to hear the answer must not stop the others from hearing theirs.
      }
    }
  }

  std::string path_;
  Options options_;
  std::unique_ptr<SqliteConnection> writer_conn_;
  std::thread writer_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;

  // SQLite's own automatic checkpoint threshold.
  static constexpr int kCheckpointPages = 1000;
  std::unique_ptr<SqliteConnection> checkpoint_conn_;
  std::thread checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool checkpoint_stop_ = false;

  std::mutex readers_mutex_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const Options& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace gotong::db
