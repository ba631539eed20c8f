#include "analytics/aggregates.hpp"

#include <cmath>

#include "forms/xpath/value.hpp"

namespace gotong::analytics {

std::optional<Calculation> parse_calculation(std::string_view s) {
  if (s == "count") return Calculation::count;
  if (s == "sum") return Calculation::sum;
  if (s == "mean") return Calculation::mean;
  if (s == "median") return Calculation::median;
  if (s == "ratio") return Calculation::ratio;
  if (s == "percentage") return Calculation::percentage;
  if (s == "distinct_count") return Calculation::distinct_count;
  return std::nullopt;
}

std::string_view calculation_name(Calculation c) {
  switch (c) {
    case Calculation::count:
      return "count";
    case Calculation::sum:
      return "sum";
    case Calculation::mean:
      return "mean";
    case Calculation::median:
      return "median";
    case Calculation::ratio:
      return "ratio";
    case Calculation::percentage:
      return "percentage";
    case Calculation::distinct_count:
      return "distinct_count";
  }
  return "count";
}

bool needs_value_field(Calculation c) {
  return c == Calculation::sum || c == Calculation::mean || c == Calculation::median ||
         c == Calculation::ratio || c == Calculation::distinct_count;
}

bool keeps_items(Calculation c) { return c == Calculation::median || c == Calculation::distinct_count; }

std::optional<std::int64_t> to_fixed(std::string_view text) {
  auto v = forms::xpath::parse_number(text);
  if (!v || !std::isfinite(*v) || std::fabs(*v) > kMaxMagnitude) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*v * static_cast<double>(kScale)));
}

double from_fixed(std::int64_t v) { return static_cast<double>(v) / static_cast<double>(kScale); }

void Accumulator::merge(const Accumulator& o, std::int64_t sign) {
  n += sign * o.n;
  n_b += sign * o.n_b;
  sum_a += sign * o.sum_a;
  sum_b += sign * o.sum_b;
  for (const auto& [v, k] : o.numbers) {
    auto& slot = numbers[v];
    slot += sign * k;
    if (slot == 0) numbers.erase(v);
  }
  for (const auto& [t, k] : o.texts) {
    auto it = texts.try_emplace(t, 0).first;
    it->second += sign * k;
    if (it->second == 0) texts.erase(it);
  }
}

bool Accumulator::zero() const {
  return n == 0 && n_b == 0 && sum_a == 0 && sum_b == 0 && numbers.empty() && texts.empty();
}

namespace {

// The k-th smallest value (0-based) of a multiset given as value → count.
std::int64_t kth(const std::map<std::int64_t, std::int64_t>& m, std::int64_t k) {
  for (const auto& [v, count] : m) {
    if (count <= 0) continue;
    if (k < count) return v;
    k -= count;
  }
  return m.empty() ? 0 : m.rbegin()->first;
}

}  // namespace

std::optional<double> value_of(Calculation c, const Accumulator& a, bool percent) {
  if (a.n_b <= 0) return std::nullopt;
  switch (c) {
    case Calculation::count:
      return static_cast<double>(a.n);
    case Calculation::sum:
      return from_fixed(a.sum_a);
    case Calculation::mean:
      if (a.n <= 0) return std::nullopt;
      return from_fixed(a.sum_a) / static_cast<double>(a.n);
    case Calculation::median: {
      std::int64_t total = 0;
      for (const auto& [v, k] : a.numbers) total += k > 0 ? k : 0;
      if (total == 0) return std::nullopt;
      // Exact: the middle value, or the mean of the two middle values.
      const std::int64_t lo = kth(a.numbers, (total - 1) / 2), hi = kth(a.numbers, total / 2);
      return (from_fixed(lo) + from_fixed(hi)) / 2.0;
    }
    case Calculation::ratio:
      if (a.sum_b == 0) return std::nullopt;
      return static_cast<double>(a.sum_a) / static_cast<double>(a.sum_b) * (percent ? 100.0 : 1.0);
    case Calculation::percentage:
      return 100.0 * static_cast<double>(a.n) / static_cast<double>(a.n_b);
    case Calculation::distinct_count: {
      std::int64_t distinct = 0;
      for (const auto& [t, k] : a.texts) distinct += k > 0 ? 1 : 0;
      return static_cast<double>(distinct);
    }
  }
  return std::nullopt;
}

double round4(double v) {
  const double r = std::round(v * 10000.0) / 10000.0;
  return r == 0 ? 0.0 : r;  // no "-0"
}

}  // namespace gotong::analytics
