// Hypothesis tests and effect sizes: Welch and paired t-tests, two proportions, chi-square
// independence, and the difference of two independent estimates.
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

#include "analytics/statistics.hpp"
#include "analytics/stats_detail.hpp"

namespace gotong::analytics::stats {

namespace {

// Hedges' exact small-sample correction J(m) = Γ(m/2) / (√(m/2)·Γ((m−1)/2)); J(1) = 0.
double hedges_j(double m) {
  if (m <= 1) return 0;
  return std::exp(std::lgamma(m / 2) - 0.5 * std::log(m / 2) - std::lgamma((m - 1) / 2));
}

Summary summary_of(const detail::Moments& m, std::span<const double> x) {
  Summary s;
  s.n = m.n;
  s.mean = m.mean;
  if (m.n >= 2) s.sd = detail::constant(x) ? 0.0 : std::sqrt(m.m2 / static_cast<double>(m.n - 1));
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

double variance_of(const detail::Moments& m, std::span<const double> x) {
  return detail::constant(x) ? 0.0 : m.m2 / static_cast<double>(m.n - 1);
}

Interval wilson_interval(double p, double n, double z) {
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {centre - half, centre + half};
}

}  // namespace

Result<MeanComparison> welch_t_test(std::span<const double> a, std::span<const double> b,
                                    Alternative alternative, double confidence) {
  if (!detail::valid_probability_open(confidence) || !detail::all_finite(a) || !detail::all_finite(b))
    return Shortfall::invalid_input;
  if (a.empty() || b.empty()) return Shortfall::empty_group;
  if (a.size() < 2 || b.size() < 2) return Shortfall::too_few_observations;
  const detail::Moments ma = detail::moments(a), mb = detail::moments(b);
  const double va = variance_of(ma, a), vb = variance_of(mb, b);
  if (va == 0 && vb == 0) return Shortfall::zero_variance;
  if (detail::negligible(std::sqrt(std::max(va, vb)), std::max(detail::max_abs(a), detail::max_abs(b))))
    return Shortfall::zero_variance;
  const double na = static_cast<double>(ma.n), nb = static_cast<double>(mb.n);
  const double qa = va / na, qb = vb / nb;
  MeanComparison r;
  r.a = summary_of(ma, a);
  r.b = summary_of(mb, b);
  r.difference = ma.mean - mb.mean;
  r.std_error = std::sqrt(qa + qb);
  r.df = (qa + qb) * (qa + qb) / (qa * qa / (na - 1) + qb * qb / (nb - 1));
  r.t = r.difference / r.std_error;
  r.p_value = detail::t_p_value(r.t, r.df, alternative);
  const double crit = detail::t_two_sided(confidence, r.df);
  r.ci = {r.difference - crit * r.std_error, r.difference + crit * r.std_error};
  r.confidence = confidence;
  r.alternative = alternative;
  const double pooled = std::sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2));
  r.cohens_d = r.difference / pooled;
  r.hedges_g = r.cohens_d * hedges_j(na + nb - 2);
  if (!detail::finite(
          {r.difference, r.std_error, r.ci.lower, r.ci.upper, r.t, r.df, r.p_value, r.cohens_d, r.hedges_g}))
    return Shortfall::invalid_input;
  return r;
}

Result<MeanComparison> paired_t_test(std::span<const double> a, std::span<const double> b,
                                     Alternative alternative, double confidence) {
  if (!detail::valid_probability_open(confidence) || a.size() != b.size() || !detail::all_finite(a) ||
      !detail::all_finite(b))
    return Shortfall::invalid_input;
  if (a.empty()) return Shortfall::no_observations;
  if (a.size() < 2) return Shortfall::too_few_observations;
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  if (detail::constant(d)) return Shortfall::zero_variance;
  const detail::Moments md = detail::moments(d);
  const double n = static_cast<double>(md.n);
  const double sd = std::sqrt(md.m2 / (n - 1));
  if (detail::negligible(sd, std::max(detail::max_abs(a), detail::max_abs(b))))
    return Shortfall::zero_variance;
  MeanComparison r;
  r.a = summary_of(detail::moments(a), a);
  r.b = summary_of(detail::moments(b), b);
  r.difference = md.mean;
  r.std_error = sd / std::sqrt(n);
  r.df = n - 1;
  r.t = r.difference / r.std_error;
  r.p_value = detail::t_p_value(r.t, r.df, alternative);
  const double crit = detail::t_two_sided(confidence, r.df);
  r.ci = {r.difference - crit * r.std_error, r.difference + crit * r.std_error};
  r.confidence = confidence;
  r.alternative = alternative;
  r.cohens_d = md.mean / sd;
  r.hedges_g = r.cohens_d * hedges_j(n - 1);
  if (!detail::finite(
          {r.difference, r.std_error, r.ci.lower, r.ci.upper, r.t, r.df, r.p_value, r.cohens_d, r.hedges_g}))
    return Shortfall::invalid_input;
  return r;
}

Result<ProportionComparison> two_proportion_test(std::uint64_t x_a, std::uint64_t n_a, std::uint64_t x_b,
                                                 std::uint64_t n_b, Alternative alternative,
                                                 double confidence) {
  if (!detail::valid_probability_open(confidence) || x_a > n_a || x_b > n_b) return Shortfall::invalid_input;
  if (n_a == 0 || n_b == 0) return Shortfall::empty_group;
  if (x_a + x_b == 0 || x_a + x_b == n_a + n_b) return Shortfall::all_same_outcome;
  const double na = static_cast<double>(n_a), nb = static_cast<double>(n_b);
  ProportionComparison r;
  r.n_a = n_a;
  r.n_b = n_b;
  r.p_a = static_cast<double>(x_a) / na;
  r.p_b = static_cast<double>(x_b) / nb;
  r.risk_difference = r.p_a - r.p_b;
  r.std_error = std::sqrt(r.p_a * (1 - r.p_a) / na + r.p_b * (1 - r.p_b) / nb);
  const double pooled = static_cast<double>(x_a + x_b) / (na + nb);
  r.z = r.risk_difference / std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  r.p_value = detail::normal_p_value(r.z, alternative);
  const double z = detail::normal_two_sided_z(confidence);
  const Interval ia = wilson_interval(r.p_a, na, z), ib = wilson_interval(r.p_b, nb, z);
  r.ci.lower = r.risk_difference -
               std::sqrt((r.p_a - ia.lower) * (r.p_a - ia.lower) + (ib.upper - r.p_b) * (ib.upper - r.p_b));
  r.ci.upper = r.risk_difference +
               std::sqrt((ia.upper - r.p_a) * (ia.upper - r.p_a) + (r.p_b - ib.lower) * (r.p_b - ib.lower));
  r.confidence = confidence;
  r.alternative = alternative;
  r.cohens_h = 2 * std::asin(std::sqrt(r.p_a)) - 2 * std::asin(std::sqrt(r.p_b));
  return r;
}

Result<ChiSquare> chi_square_independence(const std::vector<std::vector<double>>& table, bool yates) {
  if (table.empty()) return Shortfall::no_observations;
  const std::size_t cols = table.front().size();
  for (const auto& row : table) {
    if (row.size() != cols) return Shortfall::invalid_input;
    for (double v : row)
      if (!std::isfinite(v) || v < 0) return Shortfall::invalid_input;
  }
  std::vector<double> row_totals(table.size(), 0), col_totals(cols, 0);
  double total = 0;
  for (std::size_t i = 0; i < table.size(); ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      row_totals[i] += table[i][j];
      col_totals[j] += table[i][j];
      total += table[i][j];
    }
  if (!(total > 0)) return Shortfall::no_observations;
  std::vector<std::size_t> keep_rows, keep_cols;
  for (std::size_t i = 0; i < table.size(); ++i)
    if (row_totals[i] > 0) keep_rows.push_back(i);
  for (std::size_t j = 0; j < cols; ++j)
    if (col_totals[j] > 0) keep_cols.push_back(j);
  if (keep_rows.size() < 2 || keep_cols.size() < 2) return Shortfall::all_same_outcome;

  ChiSquare r;
  r.rows = keep_rows.size();
  r.columns = keep_cols.size();
  r.total = total;
  r.df = static_cast<int>((r.rows - 1) * (r.columns - 1));
  r.yates_applied = yates && r.df == 1;
  r.expected.assign(r.rows, std::vector<double>(r.columns, 0));
  r.min_expected = total;
  double plain = 0, corrected = 0;
  for (std::size_t i = 0; i < r.rows; ++i)
    for (std::size_t j = 0; j < r.columns; ++j) {
      const double e = row_totals[keep_rows[i]] * col_totals[keep_cols[j]] / total;
      const double o = table[keep_rows[i]][keep_cols[j]];
      r.expected[i][j] = e;
      r.min_expected = std::min(r.min_expected, e);
      plain += (o - e) * (o - e) / e;
      // scipy's form of Yates: move each count towards its expectation by at most 0.5.
      const double moved = std::max(0.0, std::abs(o - e) - 0.5);
      corrected += moved * moved / e;
    }
  r.statistic = r.yates_applied ? corrected : plain;
  r.p_value = boost::math::cdf(boost::math::complement(
      boost::math::chi_squared_distribution<double, detail::Policy>(r.df), r.statistic));
  const double k = static_cast<double>(std::min(r.rows, r.columns)) - 1;
  r.cramers_v = std::sqrt(plain / (total * k));
  if (!detail::finite({r.statistic, r.p_value, r.cramers_v})) return Shortfall::invalid_input;
  return r;
}

Result<EstimateDifference> estimate_difference(const Estimate& a, const Estimate& b, Alternative alternative,
                                               double confidence) {
  if (!detail::valid_probability_open(confidence) || !std::isfinite(a.estimate) ||
      !std::isfinite(b.estimate) || !std::isfinite(a.std_error) || !std::isfinite(b.std_error) ||
      a.std_error < 0 || b.std_error < 0)
    return Shortfall::invalid_input;
  EstimateDifference r;
  r.difference = a.estimate - b.estimate;
  r.std_error = std::sqrt(a.std_error * a.std_error + b.std_error * b.std_error);
  if (!(r.std_error > 0)) return Shortfall::zero_variance;
  r.z = r.difference / r.std_error;
  r.p_value = detail::normal_p_value(r.z, alternative);
  const double z = detail::normal_two_sided_z(confidence);
  r.ci = {r.difference - z * r.std_error, r.difference + z * r.std_error};
  r.confidence = confidence;
  r.alternative = alternative;
  if (!detail::finite({r.difference, r.std_error, r.ci.lower, r.ci.upper, r.z, r.p_value}))
    return Shortfall::invalid_input;
  return r;
}

}  // namespace gotong::analytics::stats
