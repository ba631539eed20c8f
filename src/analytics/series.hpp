// An indicator's values over its reporting periods, from the stored aggregates: the total of
// each period, each disaggregation cell, and each value of each dimension (sex: female, male),
// per period or cumulative from the first period of the program.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/aggregates.hpp"
#include "analytics/plan.hpp"

namespace gotong::analytics {

struct SeriesSpec {
  Calculation calculation = Calculation::count;
  bool percent = false;     // a ratio shown as a percentage
  bool cumulative = false;  // each period's value covers every period up to it
  std::size_t dimensions = 0;
  bool detail = true;  // cells and per-dimension values too (the dashboard needs totals only)
};

struct CellValue {
  std::vector<std::string> cell;  // one value per dimension ("" when the unit had none)
  Accumulator totals;
  std::optional<double> value;
};

struct DimensionValue {
  std::string key;  // the dimension's value ("female", "0-4", "53.02.03.2003.01")
  Accumulator totals;
  std::optional<double> value;
};

struct PeriodValues {
  std::string period;
  Accumulator totals;  // all cells (cumulative: of this and every earlier period)
  std::optional<double> value;
  bool has_data = false;                                // some unit fell in this very period
  std::vector<CellValue> cells;                         // sorted by cell
  std::vector<std::vector<DimensionValue>> dimensions;  // per dimension, sorted by key
};

// One entry per period of `periods` (in that order); aggregates of other periods are ignored.
std::vector<PeriodValues> series(const SeriesSpec& spec, const std::vector<std::string>& periods,
                                 const Aggregation& stored);

// The last period in which some unit fell, or nullptr.
const PeriodValues* latest_with_data(const std::vector<PeriodValues>& s);

// Everything in `stored` within `periods`, merged: the life-of-program aggregate.
Accumulator overall(const std::vector<std::string>& periods, const Aggregation& stored);

}  // namespace gotong::analytics
