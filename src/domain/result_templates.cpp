#include "domain/result_templates.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "base/text.hpp"

namespace gotong::domain::results {

namespace bj = boost::json;

const std::vector<Template>& templates() {
  // Only names these frameworks really use; a donor whose chain differs gets custom tiers.
  static const std::vector<Template> all{
      {"default",
       "Default results chain",
       "the usual chain of results-based management",
       {"Goal", "Outcome", "Output", "Activity"}},
      {"default_id",
       "Default results chain (Bahasa Indonesia)",
       "the default chain with the glossary's words",
       {"Tujuan", "Hasil", "Keluaran", "Kegiatan"}},
      {"usaid",
       "USAID results framework",
       "USAID ADS 201 (CDCS results framework)",
       {"Goal", "Development Objective", "Intermediate Result", "Sub-Intermediate Result"}},
      {"eu",
       "EU logical framework",
       "EU logframe matrix (overall objective = impact, specific objective = outcome)",
       {"Overall objective", "Specific objective", "Output", "Activity"}},
      {"dfat",
       "DFAT program logic",
       "DFAT Design and Monitoring and Evaluation Standards",
       {"Goal", "End-of-investment outcome", "Intermediate outcome", "Output"}},
      {"un",
       "UN results chain",
       "UNDG Results-Based Management Handbook (2011)",
       {"Impact", "Outcome", "Output", "Activity"}},
  };
  return all;
}

const Template* find_template(std::string_view id) {
  for (const auto& t : templates())
    if (t.id == id) return &t;
  return nullptr;
}

std::vector<std::string> tier_names(const Template& t) { return {t.tiers.begin(), t.tiers.end()}; }

std::vector<std::string> parse_tiers(const bj::value& v, std::string_view field) {
  const std::string f(field);
  if (!v.is_array()) throw invalid_field(f, "must be an array of tier names, top first");
  const auto& a = v.get_array();
  if (a.size() < static_cast<std::size_t>(kMinTiers) || a.size() > static_cast<std::size_t>(kMaxTiers))
    throw invalid_field(
        f, "must name " + std::to_string(kMinTiers) + " to " + std::to_string(kMaxTiers) + " tiers");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = f + "[" + std::to_string(i) + "]";
    if (!a[i].is_string()) throw invalid_field(at, "must be a string");
    std::string name = text::trim(std::string_view(a[i].get_string()));
    if (name.empty()) throw invalid_field(at, "must not be empty");
    if (name.size() > 60) throw invalid_field(at, "must have at most 60 bytes");
    if (!text::is_clean_utf8(name)) throw invalid_field(at, "must be text without control characters");
    for (const auto& earlier : out)
      if (text::fold(earlier) == text::fold(name))
        throw invalid_field(at, "repeats the name '" + earlier + "'");
    out.push_back(std::move(name));
  }
  return out;
}

bj::array templates_json() {
  bj::array out;
  for (const auto& t : templates()) {
    bj::array tiers;
    for (auto n : t.tiers) tiers.emplace_back(n);
    out.push_back(
        bj::object{{"id", t.id}, {"name", t.name}, {"source", t.source}, {"tiers", std::move(tiers)}});
  }
  return out;
}

}  // namespace gotong::domain::results
