// Means and proportions with confidence intervals, unweighted and survey-weighted.
#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <unordered_map>

#include "analytics/statistics.hpp"
#include "analytics/stats_detail.hpp"

namespace gotong::analytics::stats {

using detail::valid_probability_open;

Result<Summary> summarize(std::span<const double> x) {
  if (x.empty()) return Shortfall::no_observations;
  if (!detail::all_finite(x)) return Shortfall::invalid_input;
  const detail::Moments m = detail::moments(x);
  Summary s;
  s.n = m.n;
  s.mean = m.mean;
  if (m.n >= 2) s.sd = detail::constant(x) ? 0.0 : std::sqrt(m.m2 / static_cast<double>(m.n - 1));
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  s.min = *lo;
  s.max = *hi;
  if (!detail::finite({s.mean, s.sd.value_or(0)})) return Shortfall::invalid_input;
  return s;
}

Result<Estimate> mean(std::span<const double> x, double confidence) {
  if (!valid_probability_open(confidence) || !detail::all_finite(x)) return Shortfall::invalid_input;
  if (x.empty()) return Shortfall::no_observations;
  if (x.size() < 2) return Shortfall::too_few_observations;
  if (detail::constant(x)) return Shortfall::zero_variance;
  const detail::Moments m = detail::moments(x);
  const double n = static_cast<double>(m.n);
  if (detail::negligible(std::sqrt(m.m2 / (n - 1)), detail::max_abs(x))) return Shortfall::zero_variance;
  Estimate e;
  e.estimate = m.mean;
  e.std_error = std::sqrt(m.m2 / (n - 1) / n);
  e.df = n - 1;
  const double t = detail::t_two_sided(confidence, *e.df);
  e.ci = {m.mean - t * e.std_error, m.mean + t * e.std_error};
  e.confidence = confidence;
  e.n = m.n;
  e.effective_n = n;
  if (!detail::finite({e.estimate, e.std_error, e.ci.lower, e.ci.upper, e.effective_n}))
    return Shortfall::invalid_input;
  return e;
}

namespace {

// Wilson's score interval for p̂ on n (n may be an effective, non-whole size).
Interval wilson(double p, double n, double z) {
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // At p̂ = 0 or 1 the bound is exactly 0 or 1; rounding would leave 0.9999999999999999.
  return {p == 0 ? 0.0 : std::max(0.0, centre - half), p == 1 ? 1.0 : std::min(1.0, centre + half)};
}

}  // namespace

Result<Estimate> proportion(std::uint64_t successes, std::uint64_t trials, double confidence,
                            ProportionInterval method) {
  if (!valid_probability_open(confidence) || successes > trials) return Shortfall::invalid_input;
  if (trials == 0) return Shortfall::no_observations;
  const double n = static_cast<double>(trials);
  const double x = static_cast<double>(successes);
  const double p = x / n;
  Estimate e;
  e.estimate = p;
  e.std_error = std::sqrt(p * (1 - p) / n);
  e.confidence = confidence;
  e.n = trials;
  e.effective_n = n;
  const double z = detail::normal_two_sided_z(confidence);
  switch (method) {
    case ProportionInterval::wilson:
      e.ci = wilson(p, n, z);
      break;
    case ProportionInterval::wald:
      if (successes == 0 || successes == trials) return Shortfall::all_same_outcome;
      e.ci = {std::max(0.0, p - z * e.std_error), std::min(1.0, p + z * e.std_error)};
      break;
    case ProportionInterval::clopper_pearson: {
      const double alpha = 1 - confidence;
      e.ci.lower = successes == 0
                       ? 0.0
                       : boost::math::quantile(
                             boost::math::beta_distribution<double, detail::Policy>(x, n - x + 1), alpha / 2);
      e.ci.upper =
          successes == trials
              ? 1.0
              : boost::math::quantile(boost::math::beta_distribution<double, detail::Policy>(x + 1, n - x),
                                      1 - alpha / 2);
      break;
    }
  }
  if (!detail::finite({e.estimate, e.std_error, e.ci.lower, e.ci.upper, e.effective_n}))
    return Shortfall::invalid_input;
  return e;
}

namespace {

// The linearised (with-replacement, ultimate cluster) variance of the ratio mean Σwy/Σw.
struct Linearised {
  std::size_t n = 0;       // observations with positive weight
  std::size_t groups = 0;  // clusters among them
  double total_weight = 0;
  double sum_w2 = 0;
  double mean = 0;
  double variance = 0;
};

Result<Linearised> linearise(std::span<const double> y, std::span<const double> w,
                             std::span<const std::int64_t> clusters) {
  if (y.size() != w.size() || (!clusters.empty() && clusters.size() != y.size()))
    return Shortfall::invalid_input;
  if (!detail::all_finite(y)) return Shortfall::invalid_input;
  for (double v : w)
    if (!std::isfinite(v) || v < 0) return Shortfall::invalid_input;
  Linearised l;
  double weighted_sum = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (w[i] == 0) continue;
    ++l.n;
    l.total_weight += w[i];
    l.sum_w2 += w[i] * w[i];
    weighted_sum += w[i] * y[i];
  }
  if (l.n == 0 || !(l.total_weight > 0)) return Shortfall::no_observations;
  l.mean = weighted_sum / l.total_weight;
  // Residual totals per cluster; without clusters every observation is its own.
  std::unordered_map<std::int64_t, double> totals;
  std::vector<double> singles;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (w[i] == 0) continue;
    const double r = w[i] * (y[i] - l.mean);
    if (clusters.empty())
      singles.push_back(r);
    else
      totals[clusters[i]] += r;
  }
  double ss = 0;
  if (clusters.empty()) {
    l.groups = singles.size();
    for (double r : singles) ss += r * r;
  } else {
    l.groups = totals.size();
    for (const auto& [id, r] : totals) ss += r * r;
  }
  if (l.n < 2) return Shortfall::too_few_observations;
  if (l.groups < 2) return Shortfall::too_few_clusters;
  const double g = static_cast<double>(l.groups);
  l.variance = g / (g - 1) * ss / (l.total_weight * l.total_weight);
  return l;
}

}  // namespace

Result<Estimate> weighted_mean(std::span<const double> y, std::span<const double> w,
                               std::span<const std::int64_t> clusters, double confidence) {
  if (!valid_probability_open(confidence)) return Shortfall::invalid_input;
  const Result<Linearised> l = linearise(y, w, clusters);
  if (!l) return l.shortfall();
  // Equal values leave only rounding noise in the residuals: that is zero variance, not a tiny one.
  bool same = true;
  for (std::size_t i = 0; i < y.size() && same; ++i)
    if (w[i] != 0 && y[i] != l->mean) same = false;
  if (same || detail::negligible(std::sqrt(l->variance), detail::max_abs(y))) return Shortfall::zero_variance;
  Estimate e;
  e.estimate = l->mean;
  e.std_error = std::sqrt(l->variance);
  e.df = static_cast<double>(l->groups - 1);
  const double t = detail::t_two_sided(confidence, *e.df);
  e.ci = {e.estimate - t * e.std_error, e.estimate + t * e.std_error};
  e.confidence = confidence;
  e.n = l->n;
  e.effective_n = l->total_weight * l->total_weight / l->sum_w2;
  if (!detail::finite({e.estimate, e.std_error, e.ci.lower, e.ci.upper, e.effective_n}))
    return Shortfall::invalid_input;
  return e;
}

Result<Estimate> weighted_proportion(std::span<const bool> y, std::span<const double> w,
                                     std::span<const std::int64_t> clusters, double confidence) {
  const std::vector<double> values(y.begin(), y.end());
  return weighted_proportion(values, w, clusters, confidence);
}

Result<Estimate> weighted_proportion(std::span<const double> y, std::span<const double> w,
                                     std::span<const std::int64_t> clusters, double confidence) {
  if (!valid_probability_open(confidence)) return Shortfall::invalid_input;
  for (double v : y)
    if (v != 0 && v != 1) return Shortfall::invalid_input;
  const Result<Linearised> l = linearise(y, w, clusters);
  if (!l) return l.shortfall();
  const double p = std::clamp(l->mean, 0.0, 1.0);
  Estimate e;
  e.estimate = p;
  bool any_yes = false, any_no = false;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (w[i] > 0) (y[i] == 1 ? any_yes : any_no) = true;
  const bool extreme = !any_yes || !any_no;
  const double variance = extreme ? 0.0 : l->variance;
  e.std_error = std::sqrt(variance);
  const double kish = l->total_weight * l->total_weight / l->sum_w2;
  e.effective_n = variance > 0 ? p * (1 - p) / variance : kish;
  e.ci = wilson(p, e.effective_n, detail::normal_two_sided_z(confidence));
  e.confidence = confidence;
  e.n = l->n;
  if (!detail::finite({e.estimate, e.std_error, e.ci.lower, e.ci.upper, e.effective_n}))
    return Shortfall::invalid_input;
  return e;
}

}  // namespace gotong::analytics::stats
