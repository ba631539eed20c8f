// Tier names of results frameworks: the default and the names common donors use, and the rules
// for custom names. Pure: no database.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::domain::results {

struct Template {
  std::string_view id;      // "usaid"
  std::string_view name;    // "USAID results framework"
  std::string_view source;  // where the names come from
  std::vector<std::string_view> tiers;
};

inline constexpr int kMinTiers = 2;
inline constexpr int kMaxTiers = 6;
inline constexpr std::string_view kDefaultTemplate = "default";

const std::vector<Template>& templates();
const Template* find_template(std::string_view id);
std::vector<std::string> tier_names(const Template& t);

// Custom tier names from JSON: an array of kMinTiers..kMaxTiers distinct, non-empty strings of
// at most 60 bytes each, trimmed. Error(validation) on field `field` otherwise.
std::vector<std::string> parse_tiers(const boost::json::value& v, std::string_view field = "tiers");

boost::json::array templates_json();

}  // namespace gotong::domain::results
