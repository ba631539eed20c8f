#include "db/postgres.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/error.hpp"

namespace gotong::db {

namespace {

// Type OIDs from pg_type; fixed by PostgreSQL, but only the server headers name them.
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kTextOid = 25,
              kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// Rows an early-stopped each() still reads to finish its query cleanly; beyond this it is
// cheaper to cancel the query (which ends the transaction) than to read the rest.
constexpr long kDrainBudget = 10000;
// Prepared statements kept per connection; SQL is mostly fixed text, this only bounds a leak.
constexpr std::size_t kMaxStatements = 2000;
// Attempts of a write job that keeps losing to concurrent ones (serialization failure, deadlock).
constexpr int kMaxWriteAttempts = 10;
// Attempts after which a write job runs alone among this process's write jobs.
constexpr int kAttemptsBeforeAlone = 3;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages span lines ("...\n\tThis probably means..."): one line reads better in logs.
std::string trimmed(std::string_view in) {
  std::string s;
  for (char c : in) {
    if (c == '\n' || c == '\t' || c == ' ') {
      if (!s.empty() && s.back() != ' ') s.push_back(' ');
    } else {
      s.push_back(c);
    }
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string excerpt(std::string_view sql) {
  std::string s(sql.substr(0, 160));
  std::replace(s.begin(), s.end(), '\n', ' ');
  return sql.size() > 160 ? s + "..." : s;
}

// Notices ("relation already exists, skipping") would go to stderr by default.
void on_notice(void*, const char* message) { spdlog::debug("PostgreSQL: {}", trimmed(message)); }

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Where `$N` parameters occur, skipping literals, quoted names, comments and dollar quotes.
struct ParamScan {
  int count = 0;               // the highest N
  std::vector<bool> used;      // used[N-1]
  bool question_mark = false;  // a `?` outside literals: maybe a placeholder of the wrong style
};

ParamScan scan_params(std::string_view sql) {
  ParamScan out;
  const std::size_t n = sql.size();
  auto skip_quoted = [&](std::size_t i, char q, bool backslash_escapes) {
    for (++i; i < n; ++i) {
      if (backslash_escapes && sql[i] == '\\')
        ++i;
      else if (sql[i] == q) {
        if (i + 1 < n && sql[i + 1] == q)
          ++i;  // doubled quote
        else
          return i + 1;
      }
    }
    return n;
  };
  for (std::size_t i = 0; i < n;) {
    const char c = sql[i];
    const bool after_ident = i > 0 && ident_char(sql[i - 1]);
    if (c == '\'') {
      bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && !(i > 1 && ident_char(sql[i - 2]));
      i = skip_quoted(i, '\'', escapes);
    } else if (c == '"') {
      i = skip_quoted(i, '"', false);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) i = n;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;  // PostgreSQL's block comments nest
      while (i < n) {
        if (sql.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (sql.compare(i, 2, "*/") == 0) {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
    } else if (c == '$' && !after_ident && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      std::size_t j = i + 1;
      int k = 0;
      while (j < n && sql[j] >= '0' && sql[j] <= '9' && k < 100000) k = k * 10 + (sql[j++] - '0');
      if (k > 0) {
        if (static_cast<std::size_t>(k) > out.used.size())
          out.used.resize(static_cast<std::size_t>(k), false);
        out.used[static_cast<std::size_t>(k) - 1] = true;
        out.count = std::max(out.count, k);
      }
      i = j;
    } else if (c == '$' && !after_ident) {
      // A dollar-quoted string $tag$...$tag$ (function bodies), or a lone '$'.
      std::size_t j = i + 1;
      while (j < n && ident_char(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        std::size_t end = sql.find(tag, j + 1);
        i = end == std::string_view::npos ? n : end + tag.size();
      } else {
        i = j;
      }
    } else {
      if (c == '?') out.question_mark = true;
      ++i;
    }
  }
  return out;
}

// A statement prepared on one connection, with what the server told about it.
struct Statement {
  std::string name;
  int nparams = 0;
  std::vector<Oid> param_types;  // as the server inferred them from the SQL
  std::shared_ptr<const std::vector<std::string>> names;
};

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Parameters in libpq's arrays; numbers are formatted into fixed buffers owned here.
struct Bound {
  std::vector<std::array<char, 32>> numbers;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
};

std::string decode_bytea(const char* s, int n) {
  // The server's default bytea_output is hex: "\x48656c6c6f".
  if (n < 2 || s[0] != '\\' || s[1] != 'x') return std::string(s, static_cast<std::size_t>(n));
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  out.reserve(static_cast<std::size_t>(n - 2) / 2);
  for (int i = 2; i + 1 < n; i += 2) out.push_back(static_cast<char>(nibble(s[i]) * 16 + nibble(s[i + 1])));
  return out;
}

Value column_value(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return Value();
  const char* s = PQgetvalue(r, row, col);
  const int n = PQgetlength(r, row, col);
  const char* end = s + n;
  switch (PQftype(r, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t v = 0;
      std::from_chars(s, end, v);
      return Value(v);
    }
    case kNumericOid: {
      // SUM() and friends of bigint columns are numeric: keep whole numbers exact as int64,
      // as SQLite does, so sums of money in minor units do not pass through a double.
      std::int64_t i = 0;
      auto [p, ec] = std::from_chars(s, end, i);
      if (ec == std::errc() && p == end) return Value(i);
      [[fallthrough]];
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      std::from_chars(s, end, d);  // also reads NaN, Infinity, -Infinity
      return Value(d);
    }
    case kBoolOid:
      return Value(static_cast<std::int64_t>(n > 0 && s[0] == 't' ? 1 : 0));
    case kByteaOid:
      return Value(decode_bytea(s, n));
    default:
      return Value(std::string(s, static_cast<std::size_t>(n)));
  }
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    // The URL is expanded in place of "dbname"; keys before it are defaults the URL may
    // override, keys after it are forced (we always speak UTF-8).
    const char* const keys[] = {"connect_timeout", "dbname", "client_encoding", "fallback_application_name",
                                nullptr};
    const char* const values[] = {"10", url.c_str(), "UTF8", "gotong", nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw std::runtime_error("cannot connect to PostgreSQL at " + redact_postgres_url(url) + ": " + msg);
    }
    PQsetNoticeProcessor(conn_, on_notice, nullptr);
  }
  ~PgConnection() override {
    if (conn_) PQfinish(conn_);
  }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Engine engine() const override { return Engine::postgresql; }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    Statement& s = prepare(sql, params);
    Bound b = bind(s, params);
    Result r(PQexecPrepared(conn_, s.name.c_str(), s.nparams, b.values.data(), b.lengths.data(),
                            b.formats.data(), 0));
    check(r.get(), sql);
    std::vector<Row> rows;
    const int ntuples = PQntuples(r.get());
    rows.reserve(static_cast<std::size_t>(ntuples));
    for (int i = 0; i < ntuples; ++i) rows.push_back(make_row(s, r.get(), i));
    return rows;
  }

  // Single-row mode: libpq hands over one row at a time, so an export of any size needs
  // constant memory here.
  void each(std::string_view sql, const Params& params,
            const std::function<bool(const Row&)>& on_row) override {
    Statement& s = prepare(sql, params);
    Bound b = bind(s, params);
    if (!PQsendQueryPrepared(conn_, s.name.c_str(), s.nparams, b.values.data(), b.lengths.data(),
                             b.formats.data(), 0))
      check(nullptr, sql);
    PQsetSingleRowMode(conn_);
    bool stopped = false, cancel_sent = false;
    long drained = 0;
    std::exception_ptr callback_error;
    Result error;
    // Every result is read to the end, whatever happens: the connection must be idle again.
    while (PGresult* raw = PQgetResult(conn_)) {
      Result r(raw);
      const auto status = PQresultStatus(raw);
      if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK) {
        if (status != PGRES_COMMAND_OK && !error) error = std::move(r);
        continue;
      }
      for (int i = 0, nt = PQntuples(raw); i < nt; ++i) {
        if (stopped) {
          if (++drained > kDrainBudget && !cancel_sent) cancel_sent = send_cancel();
          continue;
        }
        try {
          stopped = !on_row(make_row(s, raw, i));
        } catch (...) {
          callback_error = std::current_exception();
          stopped = true;
        }
      }
    }
    if (cancel_sent) {
      if (error && sqlstate(error.get()) == "57014") {
        // Our cancel ended the query and with it the transaction; the rows wanted were seen.
        cancelled_ = true;
        error.reset();
      } else {
        // The query ended before the cancel reached it; be sure no late cancel hits the
        // next job on this connection.
        discard_ = true;
      }
    }
    if (callback_error) {
      if (error) note_failure(error.get());
      std::rethrow_exception(callback_error);
    }
    if (error) check(error.get(), sql);
  }

  std::int64_t exec(std::string_view sql, const Params& params) override {
    Statement& s = prepare(sql, params);
    Bound b = bind(s, params);
    Result r(PQexecPrepared(conn_, s.name.c_str(), s.nparams, b.values.data(), b.lengths.data(),
                            b.formats.data(), 0));
    check(r.get(), sql);
    const char* tuples = PQcmdTuples(r.get());
    std::int64_t n = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
    return n;
  }

  // The simple query protocol runs several statements in one go (migrations, functions).
  void exec_script(std::string_view sql) override {
    usable();
    Result r(PQexec(conn_, std::string(sql).c_str()));
    check(r.get(), sql);
  }

  // --- used by PgDatabase -------------------------------------------------------------------

  void begin(const char* sql) {
    retryable_ = false;
    cancelled_ = false;
    commit_sent_ = false;
    exec_script(sql);
  }

  // True once committed; false if the server rolled back instead (a statement of the
  // transaction failed and the job went on regardless).
  bool commit() {
    usable_connection();
    commit_sent_ = true;
    Result r(PQexec(conn_, "COMMIT"));
    check(r.get(), "COMMIT");
    return std::string_view(PQcmdStatus(r.get())) == "COMMIT";
  }

  void rollback() noexcept {
    if (broken_ || !conn_) return;
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE:
        return;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR: {
        Result r(PQexec(conn_, "ROLLBACK"));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) broken_ = true;
        return;
      }
      default:
        broken_ = true;  // mid-query or lost: not worth saving
    }
  }

  // Why COMMIT answered ROLLBACK.
  [[noreturn]] void throw_rolled_back() {
    usable();
    throw std::runtime_error(
        "the transaction was rolled back: one of its statements failed and the job went on");
  }

  // The connection should not go back to the pool.
  bool spent() const {
    return broken_ || discard_ || !conn_ || PQstatus(conn_) != CONNECTION_OK ||
           PQtransactionStatus(conn_) != PQTRANS_IDLE;
  }
  bool broken() const { return broken_; }
  // This transaction lost to a concurrent one, or lost its connection before COMMIT was sent:
  // running the job again from the start is safe.
  bool retryable() const { return retryable_ || (broken_ && !commit_sent_); }

 private:
  static std::string sqlstate(const PGresult* r) {
    const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
  }

  void usable_connection() {
    if (broken_) throw std::runtime_error("lost the connection to PostgreSQL");
  }
  void usable() {
    usable_connection();
    if (cancelled_)
      throw std::runtime_error(
          "this transaction ended when a query stopped early by each() was cancelled (more than " +
          std::to_string(kDrainBudget) + " rows were left); run further statements in a new job");
  }

  // Records what a failed statement means for the transaction.
  void note_failure(const PGresult* r) {
    if (!conn_ || PQstatus(conn_) == CONNECTION_BAD) broken_ = true;
    std::string state = sqlstate(r);
    if (state == "40001" || state == "40P01") retryable_ = true;
  }

  void check(const PGresult* r, std::string_view sql) {
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE ||
        status == PGRES_EMPTY_QUERY)  // a script of comments only
      return;
    note_failure(r);
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string msg = primary ? primary : trimmed(conn_ ? PQerrorMessage(conn_) : "no connection");
    if (broken_) throw std::runtime_error("lost the connection to PostgreSQL: " + msg);
    std::string state = sqlstate(r);
    if (state.rfind("23", 0) == 0) throw Error(ErrorCode::conflict, msg);  // unique, foreign key, check
    if (retryable_)
      throw Error(ErrorCode::unavailable,
                  "the change collided with concurrent ones; try again (" + msg + ")");
    throw std::runtime_error("PostgreSQL: " + msg + " [" + state + "] in: " + excerpt(sql));
  }

  bool send_cancel() {
    PGcancel* c = PQgetCancel(conn_);
    if (!c) return false;
    char err[256];
    bool ok = PQcancel(c, err, sizeof err) == 1;  // returns once the server has taken the request
    PQfreeCancel(c);
    if (!ok) spdlog::warn("could not cancel a PostgreSQL query: {}", err);
    return ok;
  }

  Statement& prepare(std::string_view sql, const Params& params) {
    usable();
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    // Refuse misuse before the server sees it, as the SQLite engine does.
    ParamScan scan = scan_params(sql);
    if (scan.count == 0 && scan.question_mark && !params.empty())
      throw std::logic_error("SQL parameters must be written $1, $2, ...: " + std::string(sql));
    if (params.size() < static_cast<std::size_t>(scan.count))
      throw std::logic_error("statement needs " + std::to_string(scan.count) + " parameters, got " +
                             std::to_string(params.size()));
    if (cache_.size() >= kMaxStatements) {
      exec_script("DEALLOCATE ALL");
      cache_.clear();
    }
    Statement s;
    s.name = "g" + std::to_string(++statements_made_);
    s.nparams = scan.count;
    // Unused parameters ($2 used, $1 not) have no type to infer; call them text.
    std::vector<Oid> types(static_cast<std::size_t>(scan.count), 0);
    for (std::size_t k = 0; k < types.size(); ++k)
      if (!scan.used[k]) types[k] = kTextOid;
    std::string text(sql);
    Result prepared(PQprepare(conn_, s.name.c_str(), text.c_str(), s.nparams, types.data()));
    check(prepared.get(), sql);
    Result described(PQdescribePrepared(conn_, s.name.c_str()));
    check(described.get(), sql);
    for (int k = 0; k < PQnparams(described.get()); ++k)
      s.param_types.push_back(PQparamtype(described.get(), k));
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < PQnfields(described.get()); ++i) names->push_back(PQfname(described.get(), i));
    s.names = std::move(names);
    return cache_.emplace(std::move(text), std::move(s)).first->second;
  }

  // Parameters travel as text, which the server converts to the type it inferred; bytea
  // travels as binary so that any bytes arrive unchanged.
  static Bound bind(const Statement& s, const Params& params) {
    if (params.size() < static_cast<std::size_t>(s.nparams))
      throw std::logic_error("statement needs " + std::to_string(s.nparams) + " parameters, got " +
                             std::to_string(params.size()));
    const auto n = static_cast<std::size_t>(s.nparams);
    Bound b;
    b.numbers.resize(n);
    b.values.assign(n, nullptr);
    b.lengths.assign(n, 0);
    b.formats.assign(n, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const auto& v = params[k].storage();
      if (auto* i = std::get_if<std::int64_t>(&v)) {
        auto [p, ec] = std::to_chars(b.numbers[k].data(), b.numbers[k].data() + 31, *i);
        *p = '\0';
        b.values[k] = b.numbers[k].data();
      } else if (auto* d = std::get_if<double>(&v)) {
        auto [p, ec] =
            std::to_chars(b.numbers[k].data(), b.numbers[k].data() + 31, *d);  // shortest round trip
        *p = '\0';
        b.values[k] = b.numbers[k].data();
      } else if (auto* str = std::get_if<std::string>(&v)) {
        b.values[k] = str->c_str();
        b.lengths[k] = static_cast<int>(str->size());
        if (k < s.param_types.size() && s.param_types[k] == kByteaOid) b.formats[k] = 1;
      }
    }
    return b;
  }

  static Row make_row(const Statement& s, const PGresult* r, int row) {
    const int ncol = PQnfields(r);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(ncol));
    for (int i = 0; i < ncol; ++i) values.push_back(column_value(r, row, i));
    return Row(s.names, std::move(values));
  }

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Statement, TransparentHash, std::equal_to<>> cache_;
  std::uint64_t statements_made_ = 0;
  bool broken_ = false;       // the connection is lost
  bool discard_ = false;      // usable, but must not be reused for another job
  bool retryable_ = false;    // this transaction hit a serialization failure or deadlock
  bool cancelled_ = false;    // this transaction was ended by cancelling an early-stopped each()
  bool commit_sent_ = false;  // COMMIT went out: after a lost connection the outcome is unknown
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const Options& options)
      : url_(std::move(url)),
        description_(redact_postgres_url(url_)),
        capacity_(std::max(1, options.readers) + std::max(1, options.writers)) {
    idle_.push_back(std::make_unique<PgConnection>(url_));  // a wrong URL fails here
    open_ = 1;
  }
  ~PgDatabase() override { close(); }

  Engine engine() const override { return Engine::postgresql; }
  std::string description() const override { return description_; }

  void read(const std::function<void(Connection&)>& job) override {
    JobSlot slot(*this);
    Lease lease(*this);
    begin(lease, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      job(*lease.conn);
    } catch (...) {
      lease.conn->rollback();
      throw;
    }
    lease.conn->commit();  // nothing to keep either way: a failure inside has been thrown already
  }

  // SERIALIZABLE makes a job that reads then writes safe against concurrent jobs: the server
  // aborts one of two that would interleave badly, and that one simply runs again.
  // Many write connections let PostgreSQL commit concurrent jobs with one WAL flush (its own
  // group commit), which is what makes durable commits cheap under load.
  void write(std::function<void(Connection&)> job, Isolation isolation) override {
    JobSlot slot(*this);
    for (int attempt = 1;; ++attempt) {
      {
        // Backing off alone does not stop a job from losing again and again to a neighbour
        // that writes the same rows in a tight loop; after a few rounds it runs while this
        // process's other write jobs wait, and then can only lose to other processes.
        WriteGate::Hold hold(gate_, attempt > kAttemptsBeforeAlone);
        Lease lease(*this);
        begin(lease, isolation == Isolation::serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                                          : "BEGIN ISOLATION LEVEL READ COMMITTED");
        PgConnection& c = *lease.conn;
        try {
          job(c);
          if (c.commit()) return;  // durable: synchronous_commit is on unless the server says otherwise
          c.throw_rolled_back();
        } catch (...) {
          c.rollback();
          if (!c.retryable() || attempt >= kMaxWriteAttempts) throw;
        }
      }
      spdlog::debug("write job collided with a concurrent one; attempt {}", attempt + 1);
      backoff(attempt);
    }
  }

  void backup(const std::string&) override {
    throw Error(ErrorCode::bad_request, "for PostgreSQL use pg_dump; see docs/OPERATIONS.md");
  }

  void close() override {
    std::vector<std::unique_ptr<PgConnection>> idle;
    {
      std::unique_lock lock(mutex_);
      if (closed_) return;
      closing_ = true;
      jobs_done_.wait(lock, [&] { return active_jobs_ == 0; });
      closed_ = true;
      idle.swap(idle_);
      open_ -= static_cast<int>(idle.size());
    }
    idle.clear();  // closes them, outside the lock
  }

 private:
  // Write jobs enter shared; one that must run alone enters exclusive, and new ones wait
  // behind it (unlike std::shared_mutex, which may let a stream of shared holders starve it).
  class WriteGate {
   public:
    struct Hold {
      WriteGate& gate;
      const bool alone;
      Hold(WriteGate& g, bool exclusive) : gate(g), alone(exclusive) {
        std::unique_lock lock(gate.mutex_);
        if (alone) {
          ++gate.alone_waiting_;
          gate.cv_.wait(lock, [&] { return !gate.alone_running_ && gate.shared_ == 0; });
          --gate.alone_waiting_;
          gate.alone_running_ = true;
        } else {
          gate.cv_.wait(lock, [&] { return !gate.alone_running_ && gate.alone_waiting_ == 0; });
          ++gate.shared_;
        }
      }
      ~Hold() {
        std::lock_guard lock(gate.mutex_);
        if (alone)
          gate.alone_running_ = false;
        else
          --gate.shared_;
        gate.cv_.notify_all();
      }
    };

   private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int shared_ = 0;
    int alone_waiting_ = 0;
    bool alone_running_ = false;
  };

  // A running job: close() waits for it; none may start once closing.
  struct JobSlot {
    PgDatabase& db;
    explicit JobSlot(PgDatabase& d) : db(d) {
      std::lock_guard lock(db.mutex_);
      if (db.closing_) throw Error(ErrorCode::unavailable, "the database is closed");
      ++db.active_jobs_;
    }
    ~JobSlot() {
      std::lock_guard lock(db.mutex_);
      if (--db.active_jobs_ == 0) db.jobs_done_.notify_all();
    }
  };

  // A connection taken from the pool for one transaction, given back (or dropped) after.
  struct Lease {
    PgDatabase& db;
    std::unique_ptr<PgConnection> conn;
    explicit Lease(PgDatabase& d) : db(d), conn(db.checkout()) {}
    ~Lease() { db.checkin(std::move(conn)); }
    void replace() {
      db.checkin(std::move(conn));
      conn = db.checkout();
    }
  };

  // Idle connections may have died (server restart, idle timeout): the first statement finds
  // out, and since nothing has happened yet, another connection simply takes over.
  void begin(Lease& lease, const char* sql) {
    for (int attempt = 0;; ++attempt) {
      try {
        lease.conn->begin(sql);
        return;
      } catch (const std::exception& e) {
        if (!lease.conn->broken() || attempt > capacity_) throw;
        spdlog::warn("PostgreSQL connection lost ({}); opening another", e.what());
        lease.replace();
      }
    }
  }

  std::unique_ptr<PgConnection> checkout() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < capacity_; });
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());  // the most recently used: its caches are warm
      idle_.pop_back();
      return c;
    }
    ++open_;
    lock.unlock();
    try {
      return std::make_unique<PgConnection>(url_);
    } catch (...) {
      lock.lock();
      --open_;
      available_.notify_one();
      throw;
    }
  }

  void checkin(std::unique_ptr<PgConnection> conn) {
    if (!conn) return;
    if (conn->spent()) {
      conn.reset();  // a new one will be opened on demand
      std::lock_guard lock(mutex_);
      --open_;
    } else {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
  }

  // Full jitter, growing: two jobs that collided are unlikely to collide again.
  static void backoff(int attempt) {
    thread_local std::minstd_rand rng(std::random_device{}());
    const int cap_us = std::min(100000, 1000 << std::min(attempt, 10));
    std::uniform_int_distribution<int> wait(0, cap_us);
    std::this_thread::sleep_for(std::chrono::microseconds(wait(rng)));
  }

  const std::string url_;
  const std::string description_;
  const int capacity_;

  WriteGate gate_;
  std::mutex mutex_;
  std::condition_variable available_;  // a connection was returned or a slot freed
  std::condition_variable jobs_done_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // connections in existence: idle + leased
  int active_jobs_ = 0;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace

std::string redact_postgres_url(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t auth_begin = scheme + 3;
  std::size_t auth_end = url.find_first_of("/?", auth_begin);
  if (auth_end == std::string::npos) auth_end = url.size();
  std::string authority = url.substr(auth_begin, auth_end - auth_begin);
  if (std::size_t at = authority.rfind('@'); at != std::string::npos) {
    std::size_t colon = authority.find(':');
    if (colon < at) authority.erase(colon, at - colon);
  }
  std::string rest = url.substr(auth_end);
  if (std::size_t q = rest.find('?'); q != std::string::npos) {
    std::string kept;
    std::string_view query = std::string_view(rest).substr(q + 1);
    while (!query.empty()) {
      std::size_t amp = query.find('&');
      std::string_view param = query.substr(0, amp);
      if (param.rfind("password=", 0) != 0 && !param.empty()) {
        if (!kept.empty()) kept.push_back('&');
        kept.append(param);
      }
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    rest = rest.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  }
  return url.substr(0, auth_begin) + authority + rest;
}

std::unique_ptr<Database> open_postgres(const std::string& url, const Options& options) {
  return std::make_unique<PgDatabase>(url, options);
}

}  // namespace gotong::db
