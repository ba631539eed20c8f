#include "domain/areas.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "base/error.hpp"
#include "base/resources.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "db/batch_insert.hpp"
#include "domain/audit.hpp"

namespace gotong::domain::areas {

namespace bj = boost::json;

namespace {

constexpr const char* kColumns = "id, org_id, parent_id, level, kind, code, name, full_name, version";

Area from_row(const db::Row& r) {
  return Area{r.int_at(0), r.opt_int(1), r.opt_int(2), static_cast<int>(r.int_at(3)), r.text_at(4),
              r.text_at(5), r.text_at(6), r.text_at(7), r.int_at(8)};
}

// "11.01.01.2001" → level 4; the first digit of a village's last part tells kelurahan (1) from desa (2).
std::string kind_for(int level, std::string_view code, std::string_view name) {
  switch (level) {
    case 1: return "provinsi";
    case 2: return name.rfind("Kota ", 0) == 0 ? "kota" : "kabupaten";
    case 3: return "kecamatan";
    default: return code.substr(code.rfind('.') + 1, 1) == "1" ? "kelurahan" : "desa";
  }
}

std::vector<std::string> distinct_words(std::string_view name) {
  auto ws = text::words(text::fold(name));
  std::sort(ws.begin(), ws.end());
  ws.erase(std::unique(ws.begin(), ws.end()), ws.end());
  return ws;
}

void insert_words(db::Connection& c, std::int64_t id, std::string_view name) {
  for (const auto& w : distinct_words(name)) c.exec("INSERT INTO area_words(word, area_id) VALUES ($1, $2)", {w, id});
}

// Visible to the scope: official regions and the scope's own sub-areas, not deleted.
constexpr const char* kVisible = "(a.org_id IS NULL OR a.org_id = $1) AND a.deleted_at IS NULL";

}  // namespace

std::size_t import_regions(db::Connection& c, std::string_view csv) {
  std::unordered_map<std::string, std::pair<std::int64_t, std::string>> by_code;  // code → id, full name
  std::size_t count = 0, line_no = 0;
  const auto now = now_millis();
  // Ids are given here, in file order, so that every installation numbers the official regions
  // alike (whatever the engine): `migrate-data` relies on it, and rows can go in batches.
  std::int64_t next_id = 1 + c.query_int("SELECT COALESCE(MAX(id), 0) FROM areas").value_or(0);
  db::BatchInsert areas(c, "INSERT INTO areas(id, parent_id, level, kind, code, name, full_name, search_key, created_at)", 9);
  // Words refer to areas: they are sent only right after the areas they name (every 400 areas).
  db::BatchInsert words(c, "INSERT INTO area_words(word, area_id)", 2, 1'000'000);
  for (std::size_t pos = 0; pos < csv.size();) {
    std::size_t eol = csv.find('\n', pos);
    if (eol == std::string_view::npos) eol = csv.size();
    std::string_view line = csv.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;  // header
    std::size_t comma = line.find(',');
    if (comma == std::string_view::npos)
      throw std::runtime_error("wilayah.csv:" + std::to_string(line_no) + ": expected code,name");
    std::string code(line.substr(0, comma));
    std::string name(line.substr(comma + 1));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    int level = static_cast<int>(std::count(code.begin(), code.end(), '.')) + 1;
    std::optional<std::int64_t> parent;
    std::string full = name;
    if (level > 1) {
      auto it = by_code.find(code.substr(0, code.rfind('.')));
      if (it == by_code.end())
        throw std::runtime_error("wilayah.csv:" + std::to_string(line_no) + ": parent of " + code + " is missing");
      parent = it->second.first;
      full += ", " + it->second.second;
    }
    const std::int64_t id = next_id++;
    areas.add({id, parent, level, kind_for(level, code, name), code, name, full, text::fold(full), now});
    for (const auto& w : distinct_words(name)) words.add({w, id});
    by_code.emplace(code, std::make_pair(id, full));
    if (++count % 400 == 0) {
      areas.flush();
      words.flush();
    }
  }
  areas.flush();
  words.flush();
  // PostgreSQL's identity column must continue after the ids given here.
  if (c.engine() == db::Engine::postgresql)
    c.query("SELECT setval(pg_get_serial_sequence('areas', 'id'), GREATEST((SELECT MAX(id) FROM areas), 1))");
  return count;
}

db::Migration regions_migration() {
  db::Migration m;
  m.version = 3;
  m.name = "regions";
  m.code = [](db::Connection& c) {
    auto csv = resource("data/regions/wilayah.csv");
    if (!csv) throw std::runtime_error("the regions list is missing from this build");
    import_regions(c, *csv);
    // PostgreSQL plans the word-prefix search badly (a full scan, ~1 s) until the tables have
    // statistics; autovacuum would get there eventually, the first users should not wait.
    if (c.engine() == db::Engine::postgresql) c.exec_script("ANALYZE areas; ANALYZE area_words;");
  };
  return m;
}

namespace {
// The next code under `parent` for the organisation's sub-areas: the parent's code and a two-digit
// (or longer) number one above the highest used so far, deleted sub-areas included, so a code is
// never given to two places.
std::optional<std::string> next_sub_area_code(db::Connection& c, std::int64_t org_id, std::int64_t parent_id,
                                              const std::string& parent_code) {
  if (parent_code.empty()) return std::nullopt;
  long highest = 0;
  for (const auto& r : c.query("SELECT code FROM areas WHERE org_id = $1 AND parent_id = $2 AND code IS NOT NULL",
                               {org_id, parent_id})) {
    std::string code = r.text_at(0);
    try {
      highest = std::max(highest, std::stol(code.substr(code.rfind('.') + 1)));
    } catch (const std::exception&) {
    }
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02ld", highest + 1);
  return parent_code + "." + buf;
}
}  // namespace

db::Migration sub_area_codes_migration() {
  db::Migration m;
  m.version = 6;
  m.name = "sub-area codes";
  m.sql =
      "DROP INDEX areas_code;\n"
      "CREATE UNIQUE INDEX areas_code ON areas(code) WHERE code IS NOT NULL AND org_id IS NULL;\n"
      "CREATE UNIQUE INDEX areas_org_code ON areas(org_id, code) WHERE code IS NOT NULL AND org_id IS NOT NULL;\n";
  m.code = [](db::Connection& c) {
    // Parents before children (level order), each in the order it was made.
    for (const auto& r : c.query("SELECT id, org_id, parent_id FROM areas WHERE org_id IS NOT NULL AND code IS NULL "
                                 "ORDER BY level, id")) {
      auto parent = c.query_one("SELECT code FROM areas WHERE id = $1", {r.int_at(2)});
      auto code = next_sub_area_code(c, r.int_at(1), r.int_at(2), parent ? parent->text_at(0) : std::string());
      if (code) c.exec("UPDATE areas SET code = $1 WHERE id = $2", {*code, r.int_at(0)});
    }
  };
  return m;
}

Area get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM areas a WHERE " + kVisible + " AND a.id = $2",
                         {s.org_id(), id});
  if (!row) throw Error(ErrorCode::not_found, "no area " + std::to_string(id));
  return from_row(*row);
}

std::optional<Area> find_by_code(db::Connection& c, std::string_view code) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM areas WHERE code = $1 AND org_id IS NULL", {code});
  if (!row) return std::nullopt;
  return from_row(*row);
}

std::vector<Area> children(db::Connection& c, const OrgScope& s, std::optional<std::int64_t> parent) {
  std::vector<Area> out;
  std::string sql = std::string("SELECT ") + kColumns + " FROM areas a WHERE " + kVisible;
  db::Params p{s.org_id()};
  if (parent) {
    get(c, s, *parent);  // 404 for an invisible parent rather than an empty list
    sql += " AND a.parent_id = $2";
    p.push_back(*parent);
  } else {
    sql += " AND a.parent_id IS NULL";
  }
  for (const auto& r : c.query(sql + " ORDER BY a.name", p)) out.push_back(from_row(r));
  return out;
}

std::vector<Area> search(db::Connection& c, const OrgScope& s, std::string_view query, int limit) {
  auto terms = text::words(text::fold(query));
  if (terms.empty()) throw invalid_field("q", "must contain a letter or digit");
  if (terms.size() > 8) terms.resize(8);
  std::string hi = terms[0];
  hi.push_back('\x7f');  // every word with this prefix sorts below prefix + DEL
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM area_words w JOIN areas a ON a.id = w.area_id WHERE w.word >= $2 AND w.word < $3 AND " +
                    kVisible;
  db::Params p{s.org_id(), terms[0], hi};
  for (std::size_t i = 1; i < terms.size(); ++i) {
    // Folded keys hold only [a-z0-9 ], so the term needs no LIKE escaping.
    p.push_back("%" + terms[i] + "%");
    sql += " AND a.search_key LIKE $" + std::to_string(p.size());
  }
  // Scan a bounded window in index order, then rank: whole-word matches and bigger areas first.
  p.push_back(400);
  sql += " LIMIT $" + std::to_string(p.size());
  struct Ranked {
    bool whole_word;  // the first term is a whole word of the name, not just its prefix
    Area area;
  };
  std::vector<Ranked> found;
  for (const auto& r : c.query(sql, p)) {
    Area a = from_row(r);
    auto ws = text::words(text::fold(a.name));
    bool whole = std::find(ws.begin(), ws.end(), terms[0]) != ws.end();
    found.push_back({whole, std::move(a)});
  }
  std::sort(found.begin(), found.end(), [](const Ranked& x, const Ranked& y) {
    if (x.whole_word != y.whole_word) return x.whole_word;
    if (x.area.level != y.area.level) return x.area.level < y.area.level;
    return x.area.full_name < y.area.full_name;
  });
  // An area whose name has two words with the prefix ("Suka Sukamaju") was found twice.
  std::vector<Area> out;
  std::unordered_set<std::int64_t> seen;
  for (auto& r : found) {
    if (out.size() == static_cast<std::size_t>(limit)) break;
    if (seen.insert(r.area.id).second) out.push_back(std::move(r.area));
  }
  return out;
}

namespace {
const char* const kSubAreaKinds[] = {"dusun", "rw", "rt", "lingkungan", "lainnya"};

std::string clean_area_name(std::string_view name) {
  std::string n = text::trim(name);
  if (n.empty()) throw invalid_field("name", "must not be empty");
  if (n.size() > 120) throw invalid_field("name", "must have at most 120 characters");
  if (!text::is_clean_utf8(n)) throw invalid_field("name", "must be text without control characters");
  return n;
}
}  // namespace

Area create(db::Connection& c, const OrgScope& s, std::int64_t parent_id, std::string_view name,
            std::string_view kind) {
  s.require(Permission::manage_areas);
  std::string n = clean_area_name(name);
  if (std::find(std::begin(kSubAreaKinds), std::end(kSubAreaKinds), kind) == std::end(kSubAreaKinds))
    throw invalid_field("kind", "must be one of dusun, rw, rt, lingkungan, lainnya");
  Area parent = get(c, s, parent_id);
  if (parent.level < 4)
    throw invalid_field("parent_id", "sub-areas go under a village (desa/kelurahan) or another sub-area");
  if (parent.level >= 8) throw invalid_field("parent_id", "sub-areas nest at most four levels below a village");
  if (c.query_int("SELECT 1 FROM areas a WHERE " + std::string(kVisible) +
                      " AND a.parent_id = $2 AND a.name = $3",
                  {s.org_id(), parent_id, n}))
    throw Error(ErrorCode::conflict, "'" + parent.name + "' already has a sub-area called '" + n + "'",
                {{"name", "already exists under this parent"}});
  std::string full = n + ", " + parent.full_name;
  auto code = next_sub_area_code(c, s.org_id(), parent_id, parent.code);
  auto row = c.query_one(
      std::string("INSERT INTO areas(org_id, parent_id, level, kind, code, name, full_name, search_key, created_at) "
                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING ") + kColumns,
      {s.org_id(), parent_id, parent.level + 1, kind, code, n, full, text::fold(full), now_millis()});
  Area a = from_row(*row);
  insert_words(c, a.id, n);
  audit::record(c, s, {{}, "area.create", "area", std::to_string(a.id), {}, to_json(a)});
  return a;
}

namespace {
// Only the organisation's own, live sub-areas may change; official regions are read-only.
Area get_own(db::Connection& c, const OrgScope& s, std::int64_t id) {
  Area a = get(c, s, id);
  if (!a.org_id) throw Error(ErrorCode::forbidden, "official regions cannot be changed");
  return a;
}
}  // namespace

Area rename(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
            std::string_view name) {
  s.require(Permission::manage_areas);
  Area before = get_own(c, s, id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the area was changed by someone else; reload it");
  std::string n = clean_area_name(name);
  if (n != before.name && c.query_int("SELECT 1 FROM areas a WHERE " + std::string(kVisible) +
                                          " AND a.parent_id = $2 AND a.name = $3 AND a.id <> $4",
                                      {s.org_id(), before.parent_id, n, id}))
    throw Error(ErrorCode::conflict, "another sub-area here is already called '" + n + "'",
                {{"name", "already exists under this parent"}});
  std::string parent_full = before.full_name.substr(before.name.size());  // ", Desa, ..."
  c.exec("UPDATE areas SET name = $1, full_name = $2, search_key = $3, version = version + 1 WHERE id = $4",
         {n, n + parent_full, text::fold(n + parent_full), id});
  // Descendants carry this name in their full names.
  std::vector<std::int64_t> frontier{id};
  while (!frontier.empty()) {
    std::int64_t cur = frontier.back();
    frontier.pop_back();
    auto parent_row = c.query_one("SELECT full_name FROM areas WHERE id = $1", {cur});
    for (const auto& r : c.query("SELECT id, name FROM areas WHERE parent_id = $1 AND org_id = $2", {cur, s.org_id()})) {
      std::string full = r.text_at(1) + ", " + parent_row->text_at(0);
      c.exec("UPDATE areas SET full_name = $1, search_key = $2 WHERE id = $3", {full, text::fold(full), r.int_at(0)});
      frontier.push_back(r.int_at(0));
    }
  }
  c.exec("DELETE FROM area_words WHERE area_id = $1", {id});
  insert_words(c, id, n);
  Area after = get(c, s, id);
  audit::record(c, s, {{}, "area.update", "area", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::manage_areas);
  Area before = get_own(c, s, id);
  if (c.query_int("SELECT 1 FROM areas WHERE parent_id = $1 AND deleted_at IS NULL", {id}))
    throw Error(ErrorCode::conflict, "remove the sub-areas of '" + before.name + "' first");
  // Kept, marked deleted: later records (submissions, participants) may still point at it.
  c.exec("UPDATE areas SET deleted_at = $1, version = version + 1 WHERE id = $2", {now_millis(), id});
  audit::record(c, s, {{}, "area.delete", "area", std::to_string(id), to_json(before), {}});
}

bj::object to_json(const Area& a) {
  bj::object o{{"id", std::to_string(a.id)},
               {"parent_id", a.parent_id ? bj::value(std::to_string(*a.parent_id)) : bj::value()},
               {"level", a.level},
               {"kind", a.kind},
               {"code", a.code.empty() ? bj::value() : bj::value(a.code)},
               {"name", a.name},
               {"full_name", a.full_name},
               {"official", !a.org_id.has_value()},
               {"version", a.version}};
  return o;
}

}  // namespace gotong::domain::areas
