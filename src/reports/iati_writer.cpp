#include "reports/iati_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "reports/format.hpp"

namespace gotong::reports {

namespace {

std::string lower(std::string s) {
  for (auto& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

bool contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

// Values as IATI wants them: a decimal with a dot, no grouping, no exponent.
std::string decimal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

const char* measure_code(const std::string& m) {
  if (m == "percentage") return "2";
  if (m == "nominal") return "3";
  if (m == "ordinal") return "4";
  if (m == "qualitative") return "5";
  return "1";
}

const char* status_code(const std::string& s) {
  if (s == "planned") return "1";
  if (s == "completed") return "3";
  if (s == "suspended") return "6";
  return "2";  // active: implementation
}

const char* lang_code(Lang l) { return l == Lang::id ? "id" : "en"; }

void narrative(pugi::xml_node parent, const std::string& text) {
  parent.append_child("narrative").text().set(text.c_str());
}

void titled(pugi::xml_node parent, const char* name, const std::string& text) {
  narrative(parent.append_child(name), text);
}

void dimension(pugi::xml_node parent, const std::string& name, const std::string& value) {
  pugi::xml_node d = parent.append_child("dimension");
  d.append_attribute("name") = name.c_str();
  d.append_attribute("value") = value.c_str();
}

// Minor units as a decimal of the currency's major unit ("1250000", "12.50").
std::string money(std::int64_t minor, int digits) {
  const bool negative = minor < 0;
  unsigned long long a = negative ? static_cast<unsigned long long>(-(minor + 1)) + 1ULL
                                  : static_cast<unsigned long long>(minor);
  unsigned long long scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = (negative ? "-" : "") + std::to_string(a / scale);
  if (digits > 0) {
    std::string frac = std::to_string(a % scale);
    while (static_cast<int>(frac.size()) < digits) frac.insert(frac.begin(), '0');
    out += "." + frac;
  }
  return out;
}

std::string month_end(const std::string& month) {  // "2026-02" → "2026-02-28"
  const int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) d = 29;
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%02d", d);
  return month + buf;
}

void value(pugi::xml_node parent, std::int64_t minor, const std::string& currency, const std::string& date) {
  pugi::xml_node v = parent.append_child("value");
  v.append_attribute("currency") = currency.c_str();
  v.append_attribute("value-date") = date.c_str();
  v.text().set(money(minor, minor_digits(currency)).c_str());
}

// The plan per year (IATI budgets may not span more than a year) and the spending per month.
void budgets_and_spending(pugi::xml_node a, const ProgramReport& r, const std::string& today) {
  const Budget& b = r.budget;
  if (!b.present) return;
  std::map<std::string, std::int64_t> planned_by_year;
  for (const auto& m : b.months) planned_by_year[m.period.substr(0, 4)] += m.planned;
  for (const auto& [year, amount] : planned_by_year) {
    const std::string start = std::max(year + "-01-01", r.program_start);
    const std::string end = std::min(year + "-12-31", r.program_end);
    pugi::xml_node bud = a.append_child("budget");
    bud.append_attribute("type") = "1";    // original
    bud.append_attribute("status") = "1";  // indicative
    bud.append_child("period-start").append_attribute("iso-date") = start.c_str();
    bud.append_child("period-end").append_attribute("iso-date") = end.c_str();
    value(bud, amount, b.currency, start);
  }
  for (const auto& m : b.months) {
    if (m.actual == 0) continue;
    const std::string date = std::min({month_end(m.period), r.program_end, today});
    pugi::xml_node t = a.append_child("transaction");
    t.append_child("transaction-type").append_attribute("code") = "4";  // expenditure
    t.append_child("transaction-date").append_attribute("iso-date") = date.c_str();
    value(t, m.actual, b.currency, date);
    titled(t, "description",
           std::string(tr(r.lang, "Expenditure in ", "Realisasi ")) + format_period(m.period, r.lang));
  }
}

void indicator(pugi::xml_node result, const Indicator& i) {
  pugi::xml_node ind = result.append_child("indicator");
  ind.append_attribute("measure") = measure_code(i.measure);
  if (i.measure != "qualitative" && i.measure != "nominal") {
    if (i.direction == "increase") ind.append_attribute("ascending") = "1";
    if (i.direction == "decrease") ind.append_attribute("ascending") = "0";
  }
  titled(ind, "title", i.code.empty() ? i.title : i.code + " " + i.title);
  if (!i.definition.empty()) titled(ind, "description", i.definition);
  if (i.baseline || !i.baseline_narrative.empty()) {
    pugi::xml_node b = ind.append_child("baseline");
    const std::string date = i.baseline_date.size() == 10 ? i.baseline_date : std::string();
    if (!date.empty()) b.append_attribute("iso-date") = date.c_str();
    const std::string year =
        date.empty() ? (i.points.empty() ? std::string("2000") : i.points.front().start.substr(0, 4))
                     : date.substr(0, 4);
    b.append_attribute("year") = year.c_str();
    if (i.baseline) b.append_attribute("value") = decimal(*i.baseline).c_str();
    if (!i.baseline_narrative.empty()) titled(b, "comment", i.baseline_narrative);
  }
  for (const auto& p : i.points) {
    if (!p.target && !p.actual) continue;
    pugi::xml_node period = ind.append_child("period");
    period.append_child("period-start").append_attribute("iso-date") = p.start.c_str();
    period.append_child("period-end").append_attribute("iso-date") = p.end.c_str();
    if (p.target) period.append_child("target").append_attribute("value") = decimal(*p.target).c_str();
    if (p.actual) period.append_child("actual").append_attribute("value") = decimal(*p.actual).c_str();
    // The disaggregation of the period the report's figures come from, one actual per category.
    if (p.period == i.actual_period)
      for (const auto& d : i.disaggregation)
        for (const auto& v : d.values) {
          if (!v.value) continue;
          pugi::xml_node a = period.append_child("actual");
          a.append_attribute("value") = decimal(*v.value).c_str();
          dimension(a, d.dimension, v.label.empty() ? v.key : v.label);
        }
  }
}

void activity(pugi::xml_node root, const IatiFile& f, const ProgramReport& r) {
  const IatiOptions& o = f.options;
  pugi::xml_node a = root.append_child("iati-activity");
  a.append_attribute("last-updated-datetime") = o.generated_at.c_str();
  a.append_attribute("xml:lang") = lang_code(r.lang);
  a.append_attribute("default-currency") = r.currency.c_str();
  a.append_child("iati-identifier").text().set(activity_identifier(o, r.program_id).c_str());
  pugi::xml_node rep = a.append_child("reporting-org");
  rep.append_attribute("ref") = o.organisation_ref.c_str();
  rep.append_attribute("type") = o.organisation_type.c_str();
  narrative(rep, r.organisation.name);
  titled(a, "title", r.program_name);
  pugi::xml_node desc = a.append_child("description");
  desc.append_attribute("type") = "1";
  narrative(desc, r.description.empty() ? r.program_name : r.description);

  for (const auto& [name, role] : r.stakeholders) {
    if (role != "donor") continue;
    pugi::xml_node p = a.append_child("participating-org");
    p.append_attribute("role") = "1";  // funding
    narrative(p, name);
  }
  pugi::xml_node self = a.append_child("participating-org");
  self.append_attribute("ref") = o.organisation_ref.c_str();
  self.append_attribute("type") = o.organisation_type.c_str();
  self.append_attribute("role") = "4";  // implementing
  narrative(self, r.organisation.name);
  for (const auto& [name, role] : r.stakeholders) {
    if (role != "implementing_partner") continue;
    pugi::xml_node p = a.append_child("participating-org");
    p.append_attribute("role") = "4";
    narrative(p, name);
  }

  a.append_child("activity-status").append_attribute("code") = status_code(r.status);
  pugi::xml_node start = a.append_child("activity-date");
  start.append_attribute("type") = "1";  // planned start
  start.append_attribute("iso-date") = r.program_start.c_str();
  pugi::xml_node end = a.append_child("activity-date");
  end.append_attribute("type") = "3";  // planned end
  end.append_attribute("iso-date") = r.program_end.c_str();
  pugi::xml_node country = a.append_child("recipient-country");
  country.append_attribute("code") = o.country.c_str();
  country.append_attribute("percentage") = "100";
  budgets_and_spending(a, r, o.generated_at.substr(0, 10));

  for (const auto& node : r.results) {
    if (node.indicators.empty()) continue;  // IATI wants at least one indicator per result
    pugi::xml_node res = a.append_child("result");
    res.append_attribute("type") = std::to_string(result_type(node.tier_name, node.tier)).c_str();
    titled(res, "title", node.code.empty() ? node.title : node.code + " " + node.title);
    if (!node.narrative.empty()) titled(res, "description", node.narrative);
    for (const auto& i : node.indicators) indicator(res, i);
  }
}

}  // namespace

int result_type(const std::string& tier_name, int tier) {
  const std::string n = lower(tier_name);
  if (contains(n, "impact") || contains(n, "goal") || contains(n, "dampak") || contains(n, "tujuan"))
    return 3;
  if (contains(n, "outcome") || contains(n, "purpose") || contains(n, "hasil antara") ||
      contains(n, "capaian"))
    return 2;
  if (contains(n, "output") || contains(n, "keluaran") || contains(n, "activit") || contains(n, "kegiatan"))
    return 1;
  return tier == 0 ? 3 : tier == 1 ? 2 : 1;
}

std::string activity_identifier(const IatiOptions& o, std::int64_t program_id) {
  return o.organisation_ref + "-" + std::to_string(program_id);
}

std::string render_iati(const IatiFile& f) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("iati-activities");
  root.append_attribute("version") = "2.03";
  root.append_attribute("generated-datetime") = f.options.generated_at.c_str();
  for (const auto& r : f.programs) activity(root, f, r);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace gotong::reports
