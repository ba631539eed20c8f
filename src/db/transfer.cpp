#include "db/transfer.hpp"

#include <algorithm>

#include "base/error.hpp"

namespace gotong::db {

namespace {

std::string quoted(const std::string& name) {
  for (char ch : name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'))
      throw Error(ErrorCode::internal, "unexpected table or column name '" + name + "'");
  return "\"" + name + "\"";
}

std::int64_t count_rows(Database& db, const std::string& table) {
  return db.read_value([&](Connection& c) { return *c.query_int("SELECT COUNT(*) FROM " + quoted(table)); });
}

}  // namespace

std::vector<std::string> table_columns(Connection& c, const std::string& table) {
  std::vector<std::string> out;
  auto rows = c.engine() == Engine::sqlite
                  ? c.query("SELECT name FROM pragma_table_info($1) ORDER BY cid", {table})
                  : c.query("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                            "AND table_name = $1 ORDER BY ordinal_position",
                            {table});
  for (const auto& r : rows) out.push_back(r.text_at(0));
  return out;
}

std::vector<std::string> table_names(Connection& c) {
  std::vector<std::string> out;
  auto rows = c.engine() == Engine::sqlite
                  ? c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                            "ORDER BY name")
                  : c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                            "AND table_type = 'BASE TABLE' ORDER BY table_name");
  for (const auto& r : rows) out.push_back(r.text_at(0));
  return out;
}

TableCopy copy_table(Database& from, Database& to, const std::string& table, std::size_t batch) {
  auto source_columns = from.read_value([&](Connection& c) { return table_columns(c, table); });
  auto target_columns = to.read_value([&](Connection& c) { return table_columns(c, table); });
  if (source_columns.empty()) throw Error(ErrorCode::not_found, "the source has no table " + table);
  if (target_columns.empty()) throw Error(ErrorCode::not_found, "the target has no table " + table);
  std::vector<std::string> columns;
  for (const auto& col : source_columns)
    if (std::find(target_columns.begin(), target_columns.end(), col) != target_columns.end()) columns.push_back(col);

  std::string list, placeholders;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    list += (i ? ", " : "") + quoted(columns[i]);
    placeholders += (i ? ", $" : "$") + std::to_string(i + 1);
  }
  const std::string insert = "INSERT INTO " + quoted(table) + " (" + list + ") VALUES (" + placeholders +
                             ") ON CONFLICT DO NOTHING";
  TableCopy out;
  out.table = table;
  std::vector<Params> pending;
  auto flush = [&] {
    if (pending.empty()) return;
    out.inserted += to.write_value([&](Connection& c) {
      std::int64_t n = 0;
      for (const auto& p : pending) n += c.exec(insert, p);
      return n;
    });
    pending.clear();
  };
  // One snapshot of the source for the whole table; the target is written in batches meanwhile.
  from.read([&](Connection& c) {
    c.each("SELECT " + list + " FROM " + quoted(table), {}, [&](const Row& r) {
      Params p;
      p.reserve(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) p.push_back(r[i]);
      pending.push_back(std::move(p));
      ++out.source_rows;
      if (pending.size() >= batch) flush();
      return true;
    });
  });
  flush();
  out.target_rows = count_rows(to, table);
  return out;
}

void advance_identity(Database& db, const std::string& table) {
  if (db.engine() != Engine::postgresql) return;
  db.write([&](Connection& c) {
    auto columns = table_columns(c, table);
    if (std::find(columns.begin(), columns.end(), "id") == columns.end()) return;
    c.query("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), GREATEST((SELECT MAX(id) FROM " +
            quoted(table) + "), 1))");
  });
}

}  // namespace gotong::db
