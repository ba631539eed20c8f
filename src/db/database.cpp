#include "db/database.hpp"

#include "base/error.hpp"
#include "db/postgres.hpp"
#include "db/sqlite.hpp"

namespace gotong::db {

std::string_view engine_name(Engine e) { return e == Engine::sqlite ? "sqlite" : "postgresql"; }

std::optional<Row> Connection::query_one(std::string_view sql, const Params& params) {
  std::optional<Row> out;
  each(sql, params, [&](const Row& r) {
    out.emplace(r);
    return false;
  });
  return out;
}

void Connection::scan(std::string_view sql, const Params& params,
                      const std::function<bool(const RowView&)>& on_row) {
  struct View final : RowView {
    const Row* row = nullptr;
    bool null_at(std::size_t i) const override { return row->null_at(i); }
    std::int64_t int_at(std::size_t i) const override { return row->int_at(i); }
    std::string_view text_at(std::size_t i) const override {
      const auto* s = std::get_if<std::string>(&(*row)[i].storage());
      return s ? std::string_view(*s) : std::string_view();
    }
  } view;
  each(sql, params, [&](const Row& r) {
    view.row = &r;
    return on_row(view);
  });
}

void Database::write_async(std::function<void(Connection&)> job, Isolation isolation,
                           std::function<void(std::exception_ptr)> done) {
  std::exception_ptr failed;
  try {
    write(std::move(job), isolation);
  } catch (...) {
    failed = std::current_exception();
  }
  done(failed);
}

std::optional<std::int64_t> Connection::query_int(std::string_view sql, const Params& params) {
  auto row = query_one(sql, params);
  if (!row || row->null_at(0)) return std::nullopt;
  return row->int_at(0);
}

std::unique_ptr<Database> open(const std::string& url, const Options& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // also accept sqlite://PATH
    if (path.empty()) throw Error(ErrorCode::bad_request, "the database URL sqlite: needs a file path");
    return open_sqlite(path, options);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgres(url, options);
  throw Error(ErrorCode::bad_request, "unknown database URL '" + redact_postgres_url(url) +
                                          "': use sqlite:PATH (e.g. sqlite:var/gotong.db) or "
                                          "postgresql://user@host:port/dbname");
}

}  // namespace gotong::db
