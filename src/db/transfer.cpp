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

// The columns of `table` that refer to its own rows (a parent, a person's organisation).
std::vector<std::string> self_references(Connection& c, const std::string& table) {
  std::vector<std::string> out;
  auto rows = c.engine() == Engine::sqlite
                  ? c.query("SELECT \"from\" FROM pragma_foreign_key_list($1) WHERE \"table\" = $1", {table})
                  : c.query("SELECT a.attname FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid "
                            "AND a.attnum = ANY (k.conkey) WHERE k.contype = 'f' AND k.conrelid = k.confrelid "
                            "AND k.conrelid = to_regclass($1)",
                            {table});
  for (const auto& r : rows) out.push_back(r.text_at(0));
  return out;
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
  // In id order: a row that points at a parent row of its own table (areas, result nodes,
  // problem tree nodes, a person's organisation) usually comes after it. A parent with a larger
  // id (a node moved under a newer one) is set afterwards: the row goes in without it first.
  const bool has_id = std::find(columns.begin(), columns.end(), "id") != columns.end();
  std::vector<std::size_t> self_columns;
  if (has_id)
    for (const auto& ref : from.read_value([&](Connection& c) { return self_references(c, table); })) {
      auto it = std::find(columns.begin(), columns.end(), ref);
      if (it != columns.end()) self_columns.push_back(static_cast<std::size_t>(it - columns.begin()));
    }
  const std::size_t id_column =
      has_id ? static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "id") - columns.begin()) : 0;
  struct Later {
    std::size_t column;
    std::int64_t id, parent;
  };
  std::vector<Later> later;
  const std::string select = "SELECT " + list + " FROM " + quoted(table) + (has_id ? " ORDER BY \"id\"" : "");
  // One snapshot of the source for the whole table; the target is written in batches meanwhile.
  from.read([&](Connection& c) {
    c.each(select, {}, [&](const Row& r) {
      Params p;
      p.reserve(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) p.push_back(r[i]);
      for (std::size_t col : self_columns) {
        if (r.null_at(col)) continue;
        const std::int64_t id = r.int_at(id_column), parent = r.int_at(col);
        if (parent <= id) continue;
        later.push_back({col, id, parent});
        p[col] = Value();
      }
      pending.push_back(std::move(p));
      ++out.source_rows;
      if (pending.size() >= batch) flush();
      return true;
    });
  });
  flush();
  for (std::size_t i = 0; i < later.size(); i += batch)
    to.write([&](Connection& c) {
      for (std::size_t j = i; j < std::min(later.size(), i + batch); ++j)
        c.exec("UPDATE " + quoted(table) + " SET " + quoted(columns[later[j].column]) + " = $1 WHERE \"id\" = $2",
               {later[j].parent, later[j].id});
    });
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
