#include "analytics/series.hpp"

#include <map>
#include <unordered_map>

namespace gotong::analytics {

namespace {

using Cells = std::map<std::string, Accumulator>;

void fill(const SeriesSpec& spec, const Cells& cells, PeriodValues& out) {
  for (const auto& [cell, acc] : cells) out.totals.merge(acc);
  out.value = value_of(spec.calculation, out.totals, spec.percent);
  if (!spec.detail) return;
  std::vector<std::map<std::string, Accumulator>> dims(spec.dimensions);
  for (const auto& [cell, acc] : cells) {
    if (acc.zero()) continue;
    CellValue cv{split_cell(cell, spec.dimensions), acc, value_of(spec.calculation, acc, spec.percent)};
    for (std::size_t d = 0; d < spec.dimensions; ++d) dims[d][cv.cell[d]].merge(acc);
    out.cells.push_back(std::move(cv));
  }
  for (auto& dim : dims) {
    std::vector<DimensionValue> values;
    for (auto& [key, acc] : dim) {
      auto v = value_of(spec.calculation, acc, spec.percent);
      values.push_back({key, std::move(acc), v});
    }
    out.dimensions.push_back(std::move(values));
  }
}

}  // namespace

std::vector<PeriodValues> series(const SeriesSpec& spec, const std::vector<std::string>& periods,
                                 const Aggregation& stored) {
  std::unordered_map<std::string, Cells> by_period;
  for (const auto& p : periods) by_period[p];
  stored.for_each([&](std::string_view period, std::string_view cell, const Accumulator& acc) {
    auto it = by_period.find(std::string(period));
    if (it != by_period.end()) it->second[std::string(cell)].merge(acc);
  });
  std::vector<PeriodValues> out;
  Cells running;
  for (const auto& p : periods) {
    PeriodValues pv;
    pv.period = p;
    const Cells& own = by_period[p];
    for (const auto& [cell, acc] : own) pv.has_data = pv.has_data || acc.n_b > 0;
    if (spec.cumulative) {
      for (const auto& [cell, acc] : own) running[cell].merge(acc);
      fill(spec, running, pv);
    } else {
      fill(spec, own, pv);
    }
    out.push_back(std::move(pv));
  }
  return out;
}

const PeriodValues* latest_with_data(const std::vector<PeriodValues>& s) {
  for (auto it = s.rbegin(); it != s.rend(); ++it)
    if (it->has_data) return &*it;
  return nullptr;
}

Accumulator overall(const std::vector<std::string>& periods, const Aggregation& stored) {
  Accumulator total;
  std::unordered_map<std::string, bool> wanted;
  for (const auto& p : periods) wanted[p] = true;
  stored.for_each([&](std::string_view period, std::string_view, const Accumulator& acc) {
    if (wanted.count(std::string(period))) total.merge(acc);
  });
  return total;
}

}  // namespace gotong::analytics
