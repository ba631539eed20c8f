#include "analytics/idm.hpp"

#include <cmath>
#include <set>

#include "base/csv.hpp"

namespace gotong::analytics::idm {

std::string_view group_code(Group g) {
  switch (g) {
    case Group::iks:
      return "IKS";
    case Group::ike:
      return "IKE";
    case Group::ikl:
      return "IKL";
  }
  return "IKS";
}

std::optional<Group> parse_group(std::string_view code) {
  for (Group g : kGroups)
    if (code == group_code(g)) return g;
  return std::nullopt;
}

std::string_view group_name_id(Group g) {
  switch (g) {
    case Group::iks:
      return "Indeks Ketahanan Sosial";
    case Group::ike:
      return "Indeks Ketahanan Ekonomi";
    case Group::ikl:
      return "Indeks Ketahanan Lingkungan";
  }
  return "";
}

std::string_view group_name_en(Group g) {
  switch (g) {
    case Group::iks:
      return "Social Resilience Index";
    case Group::ike:
      return "Economic Resilience Index";
    case Group::ikl:
      return "Ecological Resilience Index";
  }
  return "";
}

double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

Status status_of(double idm) {
  // Compared in ten-thousandths so that a published 0.4907 is exactly on the bound.
  const long long v = std::llround(idm * 10000.0);
  if (v <= 4907) return Status::sangat_tertinggal;
  if (v <= 5989) return Status::tertinggal;
  if (v <= 7072) return Status::berkembang;
  if (v <= 8155) return Status::maju;
  return Status::mandiri;
}

std::string_view status_code(Status s) {
  switch (s) {
    case Status::sangat_tertinggal:
      return "sangat_tertinggal";
    case Status::tertinggal:
      return "tertinggal";
    case Status::berkembang:
      return "berkembang";
    case Status::maju:
      return "maju";
    case Status::mandiri:
      return "mandiri";
  }
  return "";
}

std::string_view status_name_id(Status s) {
  switch (s) {
    case Status::sangat_tertinggal:
      return "Sangat Tertinggal";
    case Status::tertinggal:
      return "Tertinggal";
    case Status::berkembang:
      return "Berkembang";
    case Status::maju:
      return "Maju";
    case Status::mandiri:
      return "Mandiri";
  }
  return "";
}

std::string_view status_name_en(Status s) {
  switch (s) {
    case Status::sangat_tertinggal:
      return "Very underdeveloped";
    case Status::tertinggal:
      return "Underdeveloped";
    case Status::berkembang:
      return "Developing";
    case Status::maju:
      return "Advanced";
    case Status::mandiri:
      return "Self-reliant";
  }
  return "";
}

std::vector<Indicator> parse_definitions(std::string_view text) {
  std::vector<csv::Row> rows;
  try {
    rows = csv::parse(text, 1000);
  } catch (const csv::ParseError& e) {
    throw DefinitionError("line " + std::to_string(e.line) + ": " + e.what());
  }
  if (rows.empty() || rows[0].fields.size() != 7 || rows[0].fields[0] != "code")
    throw DefinitionError("the header must be code,number,group,dimension_id,dimension_en,name_id,name_en");
  std::vector<Indicator> out;
  std::set<std::string> codes;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    const std::string at = "line " + std::to_string(rows[i].line) + ": ";
    if (f.size() != 7) throw DefinitionError(at + "7 fields expected");
    Indicator ind;
    ind.code = f[0];
    try {
      ind.number = std::stoi(f[1]);
    } catch (const std::exception&) {
      throw DefinitionError(at + "the number is not a whole number");
    }
    auto g = parse_group(f[2]);
    if (!g) throw DefinitionError(at + "the group must be IKS, IKE or IKL");
    if (ind.code.rfind(std::string(group_code(*g)) + ".", 0) != 0)
      throw DefinitionError(at + "the code must start with its group");
    ind.group = *g;
    ind.dimension_id = f[3];
    ind.dimension_en = f[4];
    ind.name_id = f[5];
    ind.name_en = f[6];
    if (!codes.insert(ind.code).second) throw DefinitionError(at + "the code " + ind.code + " appears twice");
    out.push_back(std::move(ind));
  }
  return out;
}

Result compute(const std::vector<Score>& scores) {
  Result r;
  for (const auto& s : scores) {
    if (s.score < kMinScore || s.score > kMaxScore) throw std::invalid_argument("an IDM score is 0 to 5");
    auto& g = r.groups[static_cast<int>(s.group)];
    ++g.scored;
    g.sum += s.score;
  }
  double total = 0;
  bool all = true;
  for (auto& g : r.groups) {
    if (g.scored == 0) {
      all = false;
      continue;
    }
    g.index = static_cast<double>(g.sum) / (5.0 * g.scored);
    total += *g.index;
  }
  if (all) {
    r.idm = total / 3.0;
    r.status = status_of(*r.idm);
  }
  return r;
}

}  // namespace gotong::analytics::idm
