#include "domain/four_w.hpp"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "base/csv.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/activity_fields.hpp"
#include "domain/programs.hpp"

namespace gotong::domain::four_w {

namespace bj = boost::json;

namespace {

struct AreaNode {
  std::optional<std::int64_t> parent;
  int level = 0;
  std::string name, code;
};

// Areas by id, read once each: activities of one village share their ancestors.
class Areas {
 public:
  explicit Areas(db::Connection& c) : c_(c) {}
  const AreaNode* get(std::int64_t id) {
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second ? &*it->second : nullptr;
    auto r = c_.query_one("SELECT parent_id, level, name, code FROM areas WHERE id = $1", {id});
    std::optional<AreaNode> node;
    if (r)
      node =
          AreaNode{r->opt_int(0), static_cast<int>(r->int_at(1)), r->text_at(2), r->opt_text(3).value_or("")};
    return (cache_[id] = std::move(node)) ? &*cache_[id] : nullptr;
  }
  // Names at levels 1–5 from the area up; the area's code.
  void fill(std::int64_t id, Row& row) {
    const AreaNode* a = get(id);
    if (!a) return;
    row.area_code = a->code;
    for (int guard = 0; a && guard < 12; ++guard) {
      if (a->level >= 1 && a->level <= 5) row.adm[a->level - 1] = a->name;
      a = a->parent ? get(*a->parent) : nullptr;
    }
  }

 private:
  db::Connection& c_;
  std::map<std::int64_t, std::optional<AreaNode>> cache_;
};

bool within(const std::string& code, const std::string& under) {
  return !under.empty() &&
         (code == under || (code.size() > under.size() && code.compare(0, under.size(), under) == 0 &&
                            code[under.size()] == '.'));
}

// The sectors tagged on the problems each program addresses, "; "-joined in order.
std::map<std::int64_t, std::string> program_sectors(db::Connection& c, std::int64_t org_id) {
  std::map<std::int64_t, std::set<std::string>> sets;
  for (const auto& r :
       c.query("SELECT pp.program_id, pb.tags FROM program_problems pp JOIN problems pb ON pb.id = "
               "pp.problem_id WHERE pb.org_id = $1 AND pb.deleted_at IS NULL",
               {org_id})) {
    const bj::value tags = json::parse(r.text_at(1));
    if (const auto* o = tags.if_object())
      if (auto it = o->find("sectors"); it != o->end() && it->value().is_array())
        for (const auto& s : it->value().get_array())
          if (s.is_string()) sets[r.int_at(0)].emplace(s.get_string());
  }
  std::map<std::int64_t, std::string> out;
  for (const auto& [program, sectors] : sets) {
    std::string joined;
    for (const auto& s : sectors) joined += (joined.empty() ? "" : "; ") + s;
    out[program] = joined;
  }
  return out;
}

std::string count_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}

struct Column {
  const char* header;
  const char* hashtag;
};
constexpr Column kColumns[] = {
    {"Organisation", "#org+impl"},
    {"Programming organisation", "#org+prog"},
    {"Sector", "#sector"},
    {"Program", "#activity+programme"},
    {"Activity code", "#activity+code"},
    {"Activity", "#activity"},
    {"Province", "#adm1+name"},
    {"Regency/city", "#adm2+name"},
    {"District", "#adm3+name"},
    {"Village", "#adm4+name"},
    {"Hamlet", "#adm5+name"},
    {"Area code", "#loc+code"},
    {"Start", "#date+start"},
    {"End", "#date+end"},
    {"Status", "#status"},
    {"People targeted, female", "#targeted+f"},
    {"People targeted, male", "#targeted+m"},
    {"People targeted", "#targeted"},
    {"People reached, female", "#reached+f"},
    {"People reached, male", "#reached+m"},
    {"People reached", "#reached"},
};

}  // namespace

std::vector<Row> matrix(db::Connection& c, const OrgScope& s, const Filter& f) {
  s.require(Permission::read);
  if (f.program_id) programs::require_visible(c, s, *f.program_id);
  std::string under;  // the area filter's code
  if (f.area_id) {
    under = activity_fields::require_area(c, s, *f.area_id, "area").code;
    if (under.empty()) throw invalid_field("area", "has no code to find the areas below it");
  }
  const std::string organisation =
      c.query_one("SELECT name FROM organisations WHERE id = $1", {s.org_id()})->text_at(0);

  db::Params params;
  std::string where = programs::visible_rows(s, "a", params);
  auto n = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.program_id) where += " AND a.program_id = " + n(*f.program_id);
  // Running within [from, to]: started by `to` and not ended before `from`.
  if (f.to) where += " AND COALESCE(a.actual_start, a.planned_start) <= " + n(*f.to);
  if (f.from) where += " AND COALESCE(a.actual_end, a.planned_end) >= " + n(*f.from);
  auto rows = c.query(
      "SELECT a.id, a.program_id, pr.name, a.code, a.title, a.status, COALESCE(a.actual_start, "
      "a.planned_start), "
      "COALESCE(a.actual_end, a.planned_end), st.name, a.area_id, a.sector, a.people_targeted_female, "
      "a.people_targeted_male, a.people_targeted FROM activities a JOIN programs pr ON pr.id = a.program_id "
      "LEFT JOIN stakeholders st ON st.id = a.responsible_stakeholder_id WHERE " +
          where + " ORDER BY pr.name, a.program_id, a.planned_start, a.code, a.id",
      params);

  // A program's only area stands in for activities without one.
  std::map<std::int64_t, std::int64_t> program_area;
  for (const auto& r :
       c.query("SELECT pa.program_id, MIN(pa.area_id), COUNT(*) FROM program_areas pa JOIN programs p "
               "ON p.id = pa.program_id WHERE p.org_id = $1 GROUP BY pa.program_id",
               {s.org_id()}))
    if (r.int_at(2) == 1) program_area[r.int_at(0)] = r.int_at(1);
  const auto sectors = program_sectors(c, s.org_id());

  // Unique participants per activity and sex, as attendance::compute_reach counts them: events
  // held up to today, participants not in the bin.
  db::Params rp{s.org_id(), format_iso8601(now_millis()).substr(0, 10)};
  std::string rwhere = "e.org_id = $1 AND e.held_on <= $2";
  if (f.program_id) {
    rp.push_back(*f.program_id);
    rwhere += " AND e.program_id = $" + std::to_string(rp.size());
  }
  if (f.from) {
    rp.push_back(*f.from);
    rwhere += " AND e.held_on >= $" + std::to_string(rp.size());
  }
  if (f.to) {
    rp.push_back(*f.to);
    rwhere += " AND e.held_on <= $" + std::to_string(rp.size());
  }
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> reached;  // activity → (female, male)
  for (const auto& r :
       c.query("SELECT x.activity_id, p.sex, COUNT(*) FROM (SELECT DISTINCT e.activity_id, "
               "a.participant_id FROM attendance a JOIN events e ON e.id = a.event_id WHERE " +
                   rwhere +
                   ") x JOIN participants p ON p.id = x.participant_id WHERE p.deleted_at IS NULL "
                   "GROUP BY x.activity_id, p.sex",
               rp))
    (r.text_at(1) == "female" ? reached[r.int_at(0)].first : reached[r.int_at(0)].second) += r.int_at(2);

  Areas areas(c);
  std::vector<Row> out;
  for (const auto& r : rows) {
    Row row;
    row.activity_id = r.int_at(0);
    row.program_id = r.int_at(1);
    row.program = r.text_at(2);
    row.activity_code = r.text_at(3);
    row.activity = r.text_at(4);
    row.status = r.text_at(5);
    row.start = r.text_at(6);
    row.end = r.text_at(7);
    row.organisation = organisation;
    row.implementer = r.opt_text(8).value_or(organisation);
    std::optional<std::int64_t> area = r.opt_int(9);
    if (!area)
      if (auto it = program_area.find(row.program_id); it != program_area.end()) area = it->second;
    if (area) areas.fill(*area, row);
    if (f.area_id && !within(row.area_code, under)) continue;
    row.sector = r.text_at(10);
    if (row.sector.empty())
      if (auto it = sectors.find(row.program_id); it != sectors.end()) row.sector = it->second;
    row.targeted_female = r.opt_int(11);
    row.targeted_male = r.opt_int(12);
    row.targeted = r.opt_int(13);
    if (auto it = reached.find(row.activity_id); it != reached.end()) {
      row.reached_female = it->second.first;
      row.reached_male = it->second.second;
      row.reached = row.reached_female + row.reached_male;
    }
    out.push_back(std::move(row));
  }
  return out;
}

bj::object to_json(const Row& r) {
  auto count = [](const std::optional<std::int64_t>& v) { return v ? bj::value(*v) : bj::value(); };
  auto text = [](const std::string& v) { return v.empty() ? bj::value() : bj::value(v); };
  return bj::object{
      {"activity_id", std::to_string(r.activity_id)},
      {"program_id", std::to_string(r.program_id)},
      {"organisation", r.implementer},
      {"programming_organisation", r.organisation},
      {"sector", r.sector},
      {"program", r.program},
      {"activity_code", r.activity_code},
      {"activity", r.activity},
      {"area", bj::object{{"province", text(r.adm[0])},
                          {"regency", text(r.adm[1])},
                          {"district", text(r.adm[2])},
                          {"village", text(r.adm[3])},
                          {"hamlet", text(r.adm[4])},
                          {"code", text(r.area_code)}}},
      {"start", r.start},
      {"end", r.end},
      {"status", r.status},
      {"targeted", bj::object{{"female", count(r.targeted_female)},
                              {"male", count(r.targeted_male)},
                              {"total", count(r.targeted)}}},
      {"reached", bj::object{{"female", r.reached_female}, {"male", r.reached_male}, {"total", r.reached}}}};
}

std::string to_csv(const std::vector<Row>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string_view>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out.push_back(',');
      csv::append_cell(out, fields[i]);
    }
    out += "\r\n";
  };
  std::vector<std::string_view> headers, hashtags;
  for (const auto& col : kColumns) {
    headers.emplace_back(col.header);
    hashtags.emplace_back(col.hashtag);
  }
  line(headers);
  line(hashtags);
  for (const auto& r : rows) {
    const std::string tf = count_text(r.targeted_female), tm = count_text(r.targeted_male),
                      t = count_text(r.targeted), rf = std::to_string(r.reached_female),
                      rm = std::to_string(r.reached_male), rt = std::to_string(r.reached);
    line({r.implementer,
          r.organisation,
          r.sector,
          r.program,
          r.activity_code,
          r.activity,
          r.adm[0],
          r.adm[1],
          r.adm[2],
          r.adm[3],
          r.adm[4],
          r.area_code,
          r.start,
          r.end,
          r.status,
          tf,
          tm,
          t,
          rf,
          rm,
          rt});
  }
  return out;
}

}  // namespace gotong::domain::four_w
