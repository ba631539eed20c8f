#include "domain/participants.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/indicators_attendance.hpp"
#include "domain/program_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::participants {

namespace bj = boost::json;
namespace af = activity_fields;

// -- pure rules ---------------------------------------------------------------------------
std::string_view disability_status(const WgAnswers& wg) {
  bool all_answered = true;
  for (const auto& a : wg) {
    if (!a) {
      all_answered = false;
      continue;
    }
    if (*a == "a_lot" || *a == "cannot") return "with";
  }
  return all_answered ? "without" : "unknown";
}

std::size_t age_band(std::optional<int> birth_year, int year) {
  if (!birth_year || *birth_year > year) return 4;
  const int age = year - *birth_year;
  if (age <= 4) return 0;
  if (age <= 17) return 1;
  if (age <= 59) return 2;
  return 3;
}

bool valid_nik(std::string_view nik) {
  return nik.size() == 16 &&
         std::all_of(nik.begin(), nik.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::string name_key(std::string_view name) { return text::fold(name); }

// -- the register -------------------------------------------------------------------------
namespace {

constexpr const char* kColumns =
    "p.id, p.name, p.sex, p.birth_year, p.wg_seeing, p.wg_hearing, p.wg_walking, p.wg_remembering, "
    "p.wg_self_care, p.wg_communicating, p.disability, p.area_id, a.level, a.name, a.code, a.full_name, "
    "p.village_id, p.phone, CASE WHEN p.nik_hash IS NULL THEN 0 ELSE 1 END, p.merged_into, p.created_at, "
    "p.updated_at, p.version";
constexpr const char* kFrom = " FROM participants p LEFT JOIN areas a ON a.id = p.area_id";

Participant from_row(const db::Row& r) {
  Participant p;
  p.id = r.int_at(0);
  p.name = r.text_at(1);
  p.sex = r.text_at(2);
  if (!r.null_at(3)) p.birth_year = static_cast<int>(r.int_at(3));
  for (std::size_t i = 0; i < 6; ++i) p.wg[i] = r.opt_text(4 + i);
  p.disability = r.text_at(10);
  if (!r.null_at(11))
    p.area = af::AreaRef{r.int_at(11), static_cast<int>(r.int_at(12)), r.text_at(13), r.text_at(14),
                         r.text_at(15)};
  p.village_id = r.opt_int(16);
  p.phone = r.text_at(17);
  p.has_nik = r.int_at(18) != 0;
  p.merged_into = r.opt_int(19);
  p.created_at = r.int_at(20);
  p.updated_at = r.int_at(21);
  p.version = r.int_at(22);
  return p;
}

int current_year() { return std::stoi(format_iso8601(now_millis()).substr(0, 4)); }

// The organisation's NIK key, made on first use (inside the write job that needs it: a job run
// again after a conflict makes it again, and only the committed one counts).
std::string salt_for_write(db::Connection& c, std::int64_t org_id) {
  if (auto r = c.query_one("SELECT salt FROM participant_salts WHERE org_id = $1", {org_id}))
    return r->text_at(0);
  c.exec(
      "INSERT INTO participant_salts(org_id, salt, created_at) VALUES ($1, $2, $3) ON CONFLICT (org_id) DO "
      "NOTHING",
      {org_id, crypto::random_hex(32), now_millis()});
  return c.query_one("SELECT salt FROM participant_salts WHERE org_id = $1", {org_id})->text_at(0);
}

std::string nik_digest(std::string_view nik, const std::string& salt) {
  return crypto::keyed_digest(nik, salt);
}

// The village (level 4) an area lies in: itself, or the ancestor at level 4.
std::optional<std::int64_t> village_of(db::Connection& c, std::int64_t area_id) {
  std::optional<std::int64_t> cur = area_id;
  for (int guard = 0; cur && guard < 16; ++guard) {
    auto r = c.query_one("SELECT parent_id, level FROM areas WHERE id = $1", {*cur});
    if (!r) return std::nullopt;
    const auto level = r->int_at(1);
    if (level == 4) return cur;
    if (level < 4) return std::nullopt;
    cur = r->opt_int(0);
  }
  return std::nullopt;
}

// The area of a participant: one the organisation sees, at a village or below.
std::int64_t checked_area(db::Connection& c, const OrgScope& s, std::int64_t area_id,
                          const std::string& field, std::optional<std::int64_t>& village) {
  auto a = af::require_area(c, s, area_id, field);
  if (a.level < 4) throw invalid_field(field, "must be a village (desa/kelurahan) or an area below one");
  village = village_of(c, area_id);
  return a.id;
}

Participant load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  db::Params params{id};
  std::string cond = visible_condition(s, params);
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE p.id = $1 AND " + cond, params);
  if (!row) throw Error(ErrorCode::not_found, "no participant " + std::to_string(id));
  return from_row(*row);
}

// What the audit log keeps: everything shown, which leaves the NIK out (only whether there is one).
bj::object audit_view(const Participant& p) { return to_json(p); }

Error with_prefix(const Error& e, const std::string& prefix) {
  if (prefix.empty() || e.details().empty()) return e;
  return invalid_field(prefix + e.details()[0].field, e.details()[0].message);
}

std::string placeholders(std::size_t first, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (i ? ",$" : "$") + std::to_string(first + i);
  return out;
}

}  // namespace

std::string visible_condition(const OrgScope& s, db::Params& params) {
  params.push_back(s.org_id());
  std::string sql = "p.org_id = $" + std::to_string(params.size()) + " AND p.deleted_at IS NULL";
  if (!programs::sees_all_programs(s)) {
    params.push_back(s.actor().user_id);
    sql += " AND (p.created_by = $" + std::to_string(params.size()) +
           " OR EXISTS (SELECT 1 FROM attendance va JOIN events ve ON ve.id = va.event_id WHERE "
           "va.participant_id "
           "= p.id AND ";
    // A statement of its own: it numbers its parameters after the one above.
    sql += programs::visible_condition(s, "ve.program_id", params) + "))";
  }
  return sql;
}

Input parse_input(const bj::object& body, const std::string& prefix) {
  Input in;
  try {
    in.name = fields::text(body, "name", 200);
    if (in.name && in.name->empty()) throw invalid_field("name", "must not be empty");
    if (in.name && name_key(*in.name).empty()) throw invalid_field("name", "must contain a letter or digit");
    in.sex = json::optional_string(body, "sex", 20);
    if (in.sex && *in.sex != "female" && *in.sex != "male")
      throw invalid_field("sex", "must be female or male");
    in.birth_year = fields::bounded_int(body, "birth_year", 1900, current_year(), true);
    in.area_id = fields::nullable_id(body, "area_id");
    in.phone = fields::text(body, "phone", 40);
    if (in.phone && !std::all_of(in.phone->begin(), in.phone->end(), [](char ch) {
          return (ch >= '0' && ch <= '9') || ch == '+' || ch == ' ' || ch == '-' || ch == '(' || ch == ')';
        }))
      throw invalid_field("phone", "may hold only digits, spaces and + - ( )");
    if (auto it = body.find("nik"); it != body.end()) {
      if (it->value().is_null()) {
        in.nik = std::optional<std::string>();
      } else {
        // The value is never repeated in a message: errors end up in logs and screenshots.
        if (!it->value().is_string()) throw invalid_field("nik", "must be a string of 16 digits");
        std::string nik;
        for (char ch : it->value().get_string())
          if (ch != ' ' && ch != '.' && ch != '-') nik.push_back(ch);
        if (!valid_nik(nik)) throw invalid_field("nik", "must be 16 digits");
        in.nik = std::optional<std::string>(std::move(nik));
      }
    }
    if (auto it = body.find("washington_group"); it != body.end() && !it->value().is_null()) {
      if (!it->value().is_object())
        throw invalid_field("washington_group",
                            "must be an object {seeing, hearing, walking, remembering, "
                            "self_care, communicating}");
      WgAnswers wg;
      for (const auto& [key, v] : it->value().get_object()) {
        const auto at =
            std::find_if(kWgDomains.begin(), kWgDomains.end(), [&](const char* d) { return key == d; });
        const std::string field = "washington_group." + std::string(key);
        if (at == kWgDomains.end())
          throw invalid_field(field,
                              "is not a Washington Group domain (seeing, hearing, walking, remembering, "
                              "self_care, communicating)");
        if (v.is_null()) continue;
        if (!v.is_string() || std::none_of(kWgAnswers.begin(), kWgAnswers.end(),
                                           [&](const char* a) { return v.get_string() == a; }))
          throw invalid_field(field, "must be none, some, a_lot or cannot");
        wg[static_cast<std::size_t>(at - kWgDomains.begin())] = std::string(v.get_string());
      }
      in.wg = wg;
    }
  } catch (const Error& e) {
    throw with_prefix(e, prefix);
  }
  return in;
}

Participant get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  return load(c, s, id);
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  const std::int64_t offset = fields::offset_cursor(cursor);
  db::Params params;
  std::string where = " WHERE " + visible_condition(s, params) + " AND p.merged_into IS NULL";
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.text) {
    auto words = text::words(text::fold(*f.text));
    if (words.size() > 8) words.resize(8);
    for (const auto& w : words) where += " AND p.name_key LIKE " + n("%" + w + "%");
  }
  if (f.sex) {
    if (*f.sex != "female" && *f.sex != "male") throw invalid_field("sex", "must be female or male");
    where += " AND p.sex = " + n(*f.sex);
  }
  if (f.disability) {
    if (!af::one_of(*f.disability, {"with", "without", "unknown"}))
      throw invalid_field("disability", "must be with, without or unknown");
    where += " AND p.disability = " + n(*f.disability);
  }
  if (f.area_id) {
    auto t = af::require_area(c, s, *f.area_id, "area");
    // Codes nest ("53.02.03.2003" ⊃ "53.02.03.2003.01"): the area itself or anything below it.
    where += " AND EXISTS (SELECT 1 FROM areas t WHERE t.id = " + n(t.id) +
             " AND (p.area_id = t.id OR substr(a.code, 1, length(t.code) + 1) = t.code || '.'))";
  }
  return fields::offset_page<Page>(
      c, std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY p.name_key, p.id", params, limit,
      offset, [&](const db::Row& r) { return from_row(r); });
}

Participant create(db::Connection& c, const OrgScope& s, const Input& in, const std::string& prefix) {
  s.require(Permission::collect_data);
  if (!in.name) throw invalid_field(prefix + "name", "is required");
  if (!in.sex) throw invalid_field(prefix + "sex", "is required");
  std::optional<std::int64_t> area, village;
  if (in.area_id && *in.area_id) area = checked_area(c, s, **in.area_id, prefix + "area_id", village);
  const WgAnswers wg = in.wg.value_or(WgAnswers{});
  std::optional<std::string> nik_hash;
  if (in.nik && *in.nik) nik_hash = nik_digest(**in.nik, salt_for_write(c, s.org_id()));
  const auto now = now_millis();
  std::optional<std::int64_t> birth_year = in.birth_year ? *in.birth_year : std::nullopt;
  auto row = c.query_one(
      "INSERT INTO participants(org_id, name, name_key, sex, birth_year, wg_seeing, wg_hearing, wg_walking, "
      "wg_remembering, wg_self_care, wg_communicating, disability, area_id, village_id, phone, nik_hash, "
      "created_by, created_at, updated_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18) RETURNING id",
      {s.org_id(), *in.name, name_key(*in.name), *in.sex, birth_year, wg[0], wg[1], wg[2], wg[3], wg[4],
       wg[5], std::string(disability_status(wg)), area, village, in.phone.value_or(""), nik_hash,
       af::user_or_null(s), now});
  Participant p = load(c, s, row->int_at(0));
  audit::record(c, s, {{}, "participant.create", "participant", std::to_string(p.id), {}, audit_view(p)});
  return p;
}

Participant update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const Input& in) {
  s.require(Permission::collect_data);
  Participant before = load(c, s, id);
  af::check_version(before.version, expected_version, "participant");
  if (before.merged_into)
    throw Error(ErrorCode::conflict, "participant " + std::to_string(id) + " was merged into " +
                                         std::to_string(*before.merged_into) + "; change that one");
  Participant p = before;
  if (in.name) p.name = *in.name;
  if (in.sex) p.sex = *in.sex;
  if (in.phone) p.phone = *in.phone;
  if (in.birth_year)
    p.birth_year = *in.birth_year ? std::optional<int>(static_cast<int>(**in.birth_year)) : std::nullopt;
  if (in.wg) p.wg = *in.wg;
  std::optional<std::int64_t> area = p.area ? std::optional(p.area->id) : std::nullopt;
  std::optional<std::int64_t> village = p.village_id;
  if (in.area_id) {
    area = std::nullopt;
    village = std::nullopt;
    if (*in.area_id) area = checked_area(c, s, **in.area_id, "area_id", village);
  }
  std::string nik_sql = "nik_hash";  // unchanged unless the body names a NIK
  db::Params params{p.name,
                    name_key(p.name),
                    p.sex,
                    p.birth_year,
                    p.wg[0],
                    p.wg[1],
                    p.wg[2],
                    p.wg[3],
                    p.wg[4],
                    p.wg[5],
                    std::string(disability_status(p.wg)),
                    area,
                    village,
                    p.phone,
                    now_millis(),
                    id};
  if (in.nik) {
    params.push_back(*in.nik ? db::Value(nik_digest(**in.nik, salt_for_write(c, s.org_id()))) : db::Value());
    nik_sql = "$17";
  }
  // Sex, age, disability and area move people between cells.
  auto change = indicators::AttendanceChange::participants(c, s.org_id(), {id});
  c.exec(
      "UPDATE participants SET name = $1, name_key = $2, sex = $3, birth_year = $4, wg_seeing = $5, "
      "wg_hearing = $6, wg_walking = $7, wg_remembering = $8, wg_self_care = $9, wg_communicating = $10, "
      "disability = $11, area_id = $12, village_id = $13, phone = $14, nik_hash = " +
          nik_sql + ", updated_at = $15, version = version + 1 WHERE id = $16",
      params);
  change.apply();
  Participant after = load(c, s, id);
  audit::record(
      c, s,
      {{}, "participant.update", "participant", std::to_string(id), audit_view(before), audit_view(after)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Participant before = load(c, s, id);
  af::check_version(before.version, expected_version, "participant");
  auto change = indicators::AttendanceChange::participants(c, s.org_id(), {id});
  c.exec("UPDATE participants SET deleted_at = $1, version = version + 1 WHERE id = $2", {now_millis(), id});
  change.apply();
  audit::record(c, s, {{}, "participant.delete", "participant", std::to_string(id), audit_view(before), {}});
}

std::optional<std::int64_t> find_by_nik(db::Connection& c, const OrgScope& s, std::string_view nik) {
  auto salt = c.query_one("SELECT salt FROM participant_salts WHERE org_id = $1", {s.org_id()});
  if (!salt) return std::nullopt;
  auto id = c.query_int(
      "SELECT MIN(id) FROM participants WHERE org_id = $1 AND nik_hash = $2 AND deleted_at IS NULL AND "
      "merged_into "
      "IS NULL",
      {s.org_id(), nik_digest(nik, salt->text_at(0))});
  return id;
}

std::optional<std::int64_t> live_id(db::Connection& c, const OrgScope& s, std::int64_t id) {
  auto r =
      c.query_one("SELECT merged_into FROM participants WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL",
                  {id, s.org_id()});
  if (!r) return std::nullopt;
  if (r->null_at(0)) return id;
  // Merging repoints earlier merges, so one step reaches the live participant.
  auto kept = r->int_at(0);
  if (!c.query_int("SELECT 1 FROM participants WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL AND "
                   "merged_into IS NULL",
                   {kept, s.org_id()}))
    return std::nullopt;
  return kept;
}

std::vector<Participant> load_many(db::Connection& c, std::int64_t org_id,
                                   const std::vector<std::int64_t>& ids) {
  std::vector<Participant> out;
  std::map<std::int64_t, Participant> by_id;
  // In slices: a statement holds a bounded number of parameters on either engine.
  for (std::size_t from = 0; from < ids.size(); from += 500) {
    const std::size_t n = std::min<std::size_t>(500, ids.size() - from);
    db::Params params{org_id};
    for (std::size_t i = 0; i < n; ++i) params.push_back(ids[from + i]);
    for (const auto& r : c.query(std::string("SELECT ") + kColumns + kFrom +
                                     " WHERE p.org_id = $1 AND p.id IN (" + placeholders(2, n) + ")",
                                 params))
      by_id.emplace(r.int_at(0), from_row(r));
  }
  for (auto id : ids)
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
  return out;
}

// -- duplicates and merging ---------------------------------------------------------------
namespace {

// Pairs within each run of equal keys of `rows` (sorted by key, then id). A large group (a
// name everyone uses for unknown people, say) would give n(n-1)/2 pairs; from kFullPairsUpTo
// members on each is paired with the group's first only, which is enough to merge them all.
constexpr std::size_t kFullPairsUpTo = 20;

template <class OnPair>
void pairs_of_runs(const std::vector<std::pair<std::string, std::int64_t>>& rows, OnPair on_pair) {
  std::size_t start = 0;
  while (start < rows.size()) {
    std::size_t end = start + 1;
    while (end < rows.size() && rows[end].first == rows[start].first) ++end;
    const std::size_t size = end - start;
    for (std::size_t i = start; i < end; ++i)
      for (std::size_t j = i + 1; j < end; ++j) {
        if (size > kFullPairsUpTo && i != start) break;
        on_pair(rows[i].second, rows[j].second);
      }
    start = end;
  }
}

}  // namespace

std::vector<Candidate> find_candidates(db::Connection& c, std::int64_t org_id) {
  constexpr const char* kLive = "org_id = $1 AND deleted_at IS NULL AND merged_into IS NULL";
  std::map<std::pair<std::int64_t, std::int64_t>, Candidate> found;
  auto pair_of = [&](std::int64_t a, std::int64_t b) -> Candidate& {
    auto key = std::minmax(a, b);
    Candidate& cand = found[{key.first, key.second}];
    cand.low_id = key.first;
    cand.high_id = key.second;
    return cand;
  };
  std::vector<std::pair<std::string, std::int64_t>> rows;
  // Only keys held by more than one participant come back: SQL does the grouping over the index.
  c.each(std::string("SELECT nik_hash, id FROM participants WHERE ") + kLive +
             " AND nik_hash IN (SELECT nik_hash FROM participants WHERE " + kLive +
             " AND nik_hash IS NOT NULL GROUP BY nik_hash HAVING COUNT(*) > 1) ORDER BY nik_hash, id",
         {org_id}, [&](const db::Row& r) {
           rows.emplace_back(r.text_at(0), r.int_at(1));
           return true;
         });
  pairs_of_runs(rows, [&](std::int64_t a, std::int64_t b) { pair_of(a, b).same_nik = true; });
  rows.clear();
  c.each(
      std::string("SELECT p.name_key, p.birth_year, p.village_id, p.id FROM participants p JOIN (SELECT "
                  "name_key, birth_year, village_id FROM participants WHERE ") +
          kLive +
          " AND birth_year IS NOT NULL AND village_id IS NOT NULL GROUP BY name_key, birth_year, village_id "
          "HAVING COUNT(*) > 1) g ON g.name_key = p.name_key AND g.birth_year = p.birth_year AND "
          "g.village_id = "
          "p.village_id WHERE p.org_id = $1 AND p.deleted_at IS NULL AND p.merged_into IS NULL "
          "ORDER BY p.name_key, p.birth_year, p.village_id, p.id",
      {org_id}, [&](const db::Row& r) {
        rows.emplace_back(r.text_at(0) + '\x1f' + r.text_at(1) + '\x1f' + r.text_at(2), r.int_at(3));
        return true;
      });
  pairs_of_runs(rows,
                [&](std::int64_t a, std::int64_t b) { pair_of(a, b).same_name_birth_year_village = true; });

  if (!found.empty())
    for (const auto& r :
         c.query("SELECT low_id, high_id FROM participant_distinct_pairs WHERE org_id = $1", {org_id}))
      found.erase({r.int_at(0), r.int_at(1)});
  std::vector<Candidate> out;
  out.reserve(found.size());
  for (const auto& [key, cand] : found) out.push_back(cand);
  std::stable_sort(out.begin(), out.end(),
                   [](const Candidate& a, const Candidate& b) { return a.same_nik && !b.same_nik; });
  return out;
}

Duplicates duplicates(db::Connection& c, const OrgScope& s, std::optional<std::string> cursor, int limit) {
  s.require(Permission::edit_programs);
  const std::int64_t offset = fields::offset_cursor(cursor);
  auto all = find_candidates(c, s.org_id());
  Duplicates out;
  out.total = static_cast<std::int64_t>(all.size());
  const std::size_t from = std::min<std::size_t>(static_cast<std::size_t>(offset), all.size());
  const std::size_t to = std::min<std::size_t>(from + static_cast<std::size_t>(limit), all.size());
  if (to < all.size()) out.next_cursor = fields::make_cursor(static_cast<std::int64_t>(to));
  std::vector<std::int64_t> ids;
  for (std::size_t i = from; i < to; ++i) {
    ids.push_back(all[i].low_id);
    ids.push_back(all[i].high_id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::map<std::int64_t, Participant> people;
  for (auto& p : load_many(c, s.org_id(), ids)) people.emplace(p.id, std::move(p));
  std::map<std::int64_t, std::int64_t> attended;
  for (std::size_t k = 0; k < ids.size(); k += 500) {
    const std::size_t n = std::min<std::size_t>(500, ids.size() - k);
    db::Params params;
    for (std::size_t i = 0; i < n; ++i) params.push_back(ids[k + i]);
    for (const auto& r : c.query("SELECT participant_id, COUNT(*) FROM attendance WHERE participant_id IN (" +
                                     placeholders(1, n) + ") GROUP BY participant_id",
                                 params))
      attended[r.int_at(0)] = r.int_at(1);
  }
  for (std::size_t i = from; i < to; ++i) {
    Pair p;
    p.candidate = all[i];
    p.low = people.at(all[i].low_id);
    p.high = people.at(all[i].high_id);
    p.low_attendance = attended[all[i].low_id];
    p.high_attendance = attended[all[i].high_id];
    out.items.push_back(std::move(p));
  }
  return out;
}

void dismiss(db::Connection& c, const OrgScope& s, std::int64_t a, std::int64_t b) {
  s.require(Permission::edit_programs);
  if (a == b) throw invalid_field("participant_ids", "name two different participants");
  load(c, s, a);
  load(c, s, b);
  auto [low, high] = std::minmax(a, b);
  if (c.query_int("SELECT 1 FROM participant_distinct_pairs WHERE low_id = $1 AND high_id = $2", {low, high}))
    return;
  c.exec(
      "INSERT INTO participant_distinct_pairs(org_id, low_id, high_id, decided_by, decided_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {s.org_id(), low, high, af::user_or_null(s), now_millis()});
  audit::record(c, s,
                {{},
                 "participant.distinct",
                 "participant",
                 std::to_string(low),
                 {},
                 bj::object{{"participant_ids", bj::array{std::to_string(low), std::to_string(high)}}}});
}

MergeResult merge(db::Connection& c, const OrgScope& s, std::int64_t keep_id, std::int64_t expected_version,
                  std::int64_t merge_id) {
  s.require(Permission::edit_programs);
  if (keep_id == merge_id) throw invalid_field("merge_id", "must be another participant than the one kept");
  Participant keep = load(c, s, keep_id);
  af::check_version(keep.version, expected_version, "participant");
  Participant other;
  try {
    other = load(c, s, merge_id);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::not_found) throw;
    throw invalid_field("merge_id", "is not a participant of this organisation");
  }
  if (keep.merged_into)
    throw Error(ErrorCode::conflict, "participant " + std::to_string(keep_id) + " was itself merged into " +
                                         std::to_string(*keep.merged_into));
  if (other.merged_into)
    throw Error(ErrorCode::conflict, "participant " + std::to_string(merge_id) + " was already merged into " +
                                         std::to_string(*other.merged_into));
  auto hashes = c.query_one(
      "SELECT k.nik_hash, m.nik_hash FROM participants k, participants m WHERE k.id = $1 AND "
      "m.id = $2",
      {keep_id, merge_id});
  if (!hashes->null_at(0) && !hashes->null_at(1) && hashes->text_at(0) != hashes->text_at(1))
    throw Error(ErrorCode::conflict, "the two participants have different NIKs: they are different people",
                {{"merge_id", "has another NIK"}});

  MergeResult out;
  out.merged_id = merge_id;
  auto change = indicators::AttendanceChange::participants(c, s.org_id(), {keep_id, merge_id});
  // An event both attended keeps one attendance (the kept participant's).
  out.attendance_dropped = c.exec(
      "DELETE FROM attendance WHERE participant_id = $1 AND event_id IN (SELECT event_id FROM attendance "
      "WHERE "
      "participant_id = $2)",
      {merge_id, keep_id});
  out.attendance_moved =
      c.exec("UPDATE attendance SET participant_id = $1 WHERE participant_id = $2", {keep_id, merge_id});
  // The kept record takes what it lacks from the other.
  WgAnswers wg = keep.wg;
  for (std::size_t i = 0; i < wg.size(); ++i)
    if (!wg[i]) wg[i] = other.wg[i];
  std::optional<std::int64_t> area = keep.area ? std::optional(keep.area->id) : std::nullopt;
  std::optional<std::int64_t> village = keep.village_id;
  if (!area && other.area) {
    area = other.area->id;
    village = other.village_id;
  }
  const std::optional<int> birth_year = keep.birth_year ? keep.birth_year : other.birth_year;
  const std::string phone = keep.phone.empty() ? other.phone : keep.phone;
  const auto now = now_millis();
  c.exec(
      "UPDATE participants SET birth_year = $1, phone = $2, wg_seeing = $3, wg_hearing = $4, wg_walking = "
      "$5, "
      "wg_remembering = $6, wg_self_care = $7, wg_communicating = $8, disability = $9, area_id = $10, "
      "village_id = $11, nik_hash = COALESCE(nik_hash, (SELECT m.nik_hash FROM participants m WHERE m.id = "
      "$12)), "
      "updated_at = $13, version = version + 1 WHERE id = $14",
      {birth_year, phone, wg[0], wg[1], wg[2], wg[3], wg[4], wg[5], std::string(disability_status(wg)), area,
       village, merge_id, now, keep_id});
  c.exec("UPDATE participants SET merged_into = $1, updated_at = $2, version = version + 1 WHERE id = $3",
         {keep_id, now, merge_id});
  // Earlier merges into the one merged now point at the kept participant: one step always suffices.
  c.exec("UPDATE participants SET merged_into = $1 WHERE merged_into = $2", {keep_id, merge_id});
  change.apply();
  out.kept = load(c, s, keep_id);
  audit::record(c, s,
                {{},
                 "participant.merge",
                 "participant",
                 std::to_string(keep_id),
                 bj::object{{"kept", audit_view(keep)}, {"merged", audit_view(other)}},
                 bj::object{{"kept", audit_view(out.kept)},
                            {"merged_id", std::to_string(merge_id)},
                            {"attendance_moved", out.attendance_moved},
                            {"attendance_dropped", out.attendance_dropped}}});
  return out;
}

bj::object to_json(const Participant& p) {
  bj::object wg;
  for (std::size_t i = 0; i < kWgDomains.size(); ++i) wg[kWgDomains[i]] = af::text_json(p.wg[i]);
  return bj::object{{"id", std::to_string(p.id)},
                    {"name", p.name},
                    {"sex", p.sex},
                    {"birth_year", p.birth_year ? bj::value(*p.birth_year) : bj::value()},
                    {"washington_group", std::move(wg)},
                    {"disability", p.disability},
                    {"area", af::to_json(p.area)},
                    {"village_id", af::id_json(p.village_id)},
                    {"phone", p.phone},
                    {"has_nik", p.has_nik},
                    {"merged_into", af::id_json(p.merged_into)},
                    {"created_at", format_iso8601(p.created_at)},
                    {"updated_at", format_iso8601(p.updated_at)},
                    {"version", p.version}};
}

}  // namespace gotong::domain::participants
