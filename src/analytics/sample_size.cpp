// Sample sizes: Cochran (with the finite population correction), the design effect of cluster
// sampling, inflation for non-response, and the per-group size to detect a change between two
// proportions or two means.
#include <algorithm>
#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analytics/statistics.hpp"
#include "analytics/stats_detail.hpp"

namespace gotong::analytics::stats {

namespace {

Result<SampleSize> with_population(double n0, std::optional<std::uint64_t> population) {
  if (!population) return detail::to_sample_size(n0);
  if (*population == 0) return Shortfall::invalid_input;
  const double big_n = static_cast<double>(*population);
  return detail::to_sample_size(n0 / (1 + (n0 - 1) / big_n));
}

}  // namespace

Result<SampleSize> cochran_proportion(double p, double margin, double confidence,
                                      std::optional<std::uint64_t> population) {
  if (!std::isfinite(p) || p < 0 || p > 1 || !detail::valid_probability_open(margin) ||
      !detail::valid_probability_open(confidence))
    return Shortfall::invalid_input;
  const double z = detail::normal_two_sided_z(confidence);
  return with_population(z * z * p * (1 - p) / (margin * margin), population);
}

Result<SampleSize> cochran_mean(double sd, double margin, double confidence,
                                std::optional<std::uint64_t> population) {
  if (!std::isfinite(sd) || sd < 0 || !std::isfinite(margin) || !(margin > 0) ||
      !detail::valid_probability_open(confidence))
    return Shortfall::invalid_input;
  const double z = detail::normal_two_sided_z(confidence);
  return with_population(z * z * sd * sd / (margin * margin), population);
}

Result<double> design_effect(double mean_cluster_size, double icc) {
  if (!std::isfinite(mean_cluster_size) || mean_cluster_size < 1 || !std::isfinite(icc) || icc < 0 || icc > 1)
    return Shortfall::invalid_input;
  return 1 + (mean_cluster_size - 1) * icc;
}

Result<IccEstimate> icc_anova(std::span<const double> y, std::span<const std::int64_t> clusters) {
  if (y.size() != clusters.size() || !detail::all_finite(y)) return Shortfall::invalid_input;
  if (y.empty()) return Shortfall::no_observations;
  struct Group {
    double n = 0;
    double sum = 0;
  };
  std::map<std::int64_t, Group> groups;
  double total = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    Group& g = groups[clusters[i]];
    g.n += 1;
    g.sum += y[i];
    total += y[i];
  }
  const double n = static_cast<double>(y.size()), k = static_cast<double>(groups.size());
  if (groups.size() < 2) return Shortfall::too_few_clusters;
  if (y.size() <= groups.size()) return Shortfall::too_few_observations;
  if (detail::constant(y)) return Shortfall::zero_variance;
  const double grand = total / n;
  double ssb = 0, sum_n2 = 0;
  for (const auto& [id, g] : groups) {
    const double m = g.sum / g.n;
    ssb += g.n * (m - grand) * (m - grand);
    sum_n2 += g.n * g.n;
  }
  double ssw = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const Group& g = groups[clusters[i]];
    const double r = y[i] - g.sum / g.n;
    ssw += r * r;
  }
  const double msb = ssb / (k - 1), msw = ssw / (n - k);
  IccEstimate e;
  e.m0 = (n - sum_n2 / n) / (k - 1);
  const double denominator = msb + (e.m0 - 1) * msw;
  if (detail::negligible(std::sqrt(denominator), detail::max_abs(y))) return Shortfall::zero_variance;
  e.raw = (msb - msw) / denominator;
  e.icc = std::clamp(e.raw, 0.0, 1.0);
  e.mean_cluster_size = n / k;
  e.n = y.size();
  e.clusters = groups.size();
  if (!detail::finite({e.raw, e.m0})) return Shortfall::invalid_input;
  return e;
}

Result<SampleSize> inflate_sample(double n, double deff, double response_rate) {
  if (!std::isfinite(n) || n < 0 || !std::isfinite(deff) || !(deff > 0) || !std::isfinite(response_rate) ||
      !(response_rate > 0) || response_rate > 1)
    return Shortfall::invalid_input;
  return detail::to_sample_size(n * deff / response_rate);
}

Result<SampleSize> n_two_proportions(double p1, double p2, double alpha, double power, Sides sides) {
  if (!detail::valid_probability_open(p1) || !detail::valid_probability_open(p2) || p1 == p2 ||
      !detail::valid_probability_open(alpha) || !detail::valid_probability_open(power))
    return Shortfall::invalid_input;
  const double z_alpha = detail::normal_quantile(1 - (sides == Sides::two_sided ? alpha / 2 : alpha));
  const double z_beta = detail::normal_quantile(power);
  const double pbar = (p1 + p2) / 2;
  const double root =
      z_alpha * std::sqrt(2 * pbar * (1 - pbar)) + z_beta * std::sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  if (!(root > 0)) return Shortfall::invalid_input;  // asking for less power than a coin toss gives
  return detail::to_sample_size(root * root / ((p1 - p2) * (p1 - p2)));
}

namespace {

// Power of the two-sample t-test with n per group and standardised effect d ≥ 0.
double t_test_power(double n, double d, double alpha, Sides sides) {
  const double df = 2 * n - 2;
  const double nc = d * std::sqrt(n / 2);
  const boost::math::non_central_t_distribution<double, detail::Policy> nct(df, nc);
  if (sides == Sides::one_sided) {
    const double crit = detail::t_quantile(1 - alpha, df);
    return boost::math::cdf(boost::math::complement(nct, crit));
  }
  const double crit = detail::t_quantile(1 - alpha / 2, df);
  return boost::math::cdf(boost::math::complement(nct, crit)) + boost::math::cdf(nct, -crit);
}

}  // namespace

Result<SampleSize> n_two_means(double delta, double sd, double alpha, double power, Sides sides) try {
  if (!std::isfinite(delta) || delta == 0 || !std::isfinite(sd) || !(sd > 0) ||
      !detail::valid_probability_open(alpha) || !detail::valid_probability_open(power))
    return Shortfall::invalid_input;
  const double d = std::abs(delta) / sd;
  if (!std::isfinite(d) || !(d > 0)) return Shortfall::invalid_input;
  const auto gap = [&](double n) { return t_test_power(n, d, alpha, sides) - power; };
  double lo = 2;  // the smallest groups a t-test can use
  if (gap(lo) >= 0) return detail::to_sample_size(lo);
  double hi = 4;
  while (gap(hi) < 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e9) return Shortfall::invalid_input;  // an effect too small to ever detect
  }
  std::uintmax_t iterations = 200;
  const auto [a, b] = boost::math::tools::toms748_solve(
      gap, lo, hi, boost::math::tools::eps_tolerance<double>(50), iterations);
  return detail::to_sample_size((a + b) / 2);
} catch (const std::exception&) {
  // Boost.Math signals arguments at the edge of double range (evaluation or overflow errors).
  return Shortfall::invalid_input;
}

}  // namespace gotong::analytics::stats
