// The running aggregates of an indicator per period and disaggregation cell, and the value an
// indicator takes from them. The aggregates are sums and counts only (plus a multiset for the
// median and the distinct count), so they can be kept up to date by adding and subtracting one
// submission at a time, and merged across cells and periods for totals and cumulative values.
// Numbers are fixed-point integers (kScale per unit): sums stay exact however often a value is
// added and taken away, so an incremental result equals a full recomputation to the last digit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gotong::analytics {

enum class Calculation { count, sum, mean, median, ratio, percentage, distinct_count };

std::optional<Calculation> parse_calculation(std::string_view s);
std::string_view calculation_name(Calculation c);
// Whether the calculation reads a value field (sum, mean, median, ratio, distinct count).
bool needs_value_field(Calculation c);
// Whether it keeps a multiset of values (median: numbers; distinct count: texts).
bool keeps_items(Calculation c);

// Fixed point: 4 decimal places. Sums of BIGINT hold ±922 trillion units this way.
inline constexpr std::int64_t kScale = 10000;
// Values beyond this magnitude are not numbers for an indicator (they would overflow a sum).
inline constexpr double kMaxMagnitude = 1e12;
// An answer as a fixed-point number (XPath number syntax, rounded to 4 decimals); nullopt for
// empty or non-numeric text and for magnitudes over kMaxMagnitude.
std::optional<std::int64_t> to_fixed(std::string_view text);
double from_fixed(std::int64_t v);

// What a set of units (submissions or repeat rows) adds up to. Counts may be negative while a
// change is being computed (the old content subtracted, the new added).
//   n     units that passed the filter (and had a value, for value calculations)
//   n_b   units in scope: every unit of the period (percentage: those passing the denominator filter)
//   sum_a the values (ratio: the numerator field), fixed point
//   sum_b ratio: the denominator field, fixed point
struct Accumulator {
  std::int64_t n = 0, n_b = 0, sum_a = 0, sum_b = 0;
  std::map<std::int64_t, std::int64_t> numbers;  // median: fixed-point value → how many
  std::map<std::string, std::int64_t> texts;     // distinct count: answer → how many

  void merge(const Accumulator& other, std::int64_t sign = 1);
  // No unit at all: nothing to store.
  bool zero() const;
};

// The indicator's value from an accumulator; nullopt when there is no data (no unit in scope,
// no value for a mean or median, a ratio over a zero denominator). `percent` multiplies a
// ratio by 100 (an indicator measured as a percentage).
std::optional<double> value_of(Calculation c, const Accumulator& a, bool percent);

// Rounds a value to the 4 decimals the API shows.
double round4(double v);

}  // namespace gotong::analytics
