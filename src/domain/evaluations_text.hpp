// The plain-language sentence of one row of an evaluation's results, in Bahasa Indonesia and in
// English, for a village council: what the figure was before and after, whether the change is
// larger than chance would give, how it compares with the comparison areas, and when there is
// not enough data, why. No statistical terms; never "NaN". Pure functions.
#pragma once

#include <optional>
#include <string>

namespace gotong::domain::evaluations::text {

struct Row {
  std::string label_id, label_en;
  bool percent = false;                 // values are percentages (proportions × 100)
  std::string unit_id, unit_en;         // of a mean ("menit" / "minutes"); "" for none
  std::string desired = "none";         // increase, decrease, none
  std::optional<double> before, after;  // none: no data in that round
  std::optional<double> change;         // none: see change_shortfall
  std::optional<double> p_value;
  std::string change_shortfall_id, change_shortfall_en;  // why the change cannot be judged
  bool comparison = false;                               // the evaluation has comparison areas
  std::optional<double> control_change;
  std::optional<double> did, did_p_value;
  std::string did_shortfall_id, did_shortfall_en;
  bool few_clusters = false;  // fewer than two clusters in an arm
};

struct Sentences {
  std::string id, en;
};

Sentences describe(const Row& r);

// A number as people write it: Indonesian "12.500,5" or English "12,500.5", with at most
// `decimals` decimals and no trailing zeros.
std::string format_number(double v, int decimals, bool indonesian);

// p < 0.05: the threshold below which a change is called "very unlikely to be chance".
inline constexpr double kSignificance = 0.05;

}  // namespace gotong::domain::evaluations::text
