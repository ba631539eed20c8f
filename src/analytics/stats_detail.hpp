// Helpers shared by the statistics sources (not part of the public API): argument checks,
// quantiles and p-values from Boost.Math.
#pragma once

#include <boost/math/policies/policy.hpp>
#include <cstddef>
#include <initializer_list>
#include <span>

#include "analytics/statistics.hpp"

namespace gotong::analytics::stats::detail {

// Boost.Math reports domain and overflow errors as NaN/∞ instead of throwing; every function
// checks its results with finite() and answers invalid_input, so no exception crosses the API.
using Policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>>;

bool valid_probability_open(double p);  // 0 < p < 1 and finite
bool all_finite(std::span<const double> x);

double normal_quantile(double p);              // Φ⁻¹(p)
double normal_two_sided_z(double confidence);  // Φ⁻¹((1 + confidence)/2)
double t_quantile(double p, double df);
double t_two_sided(double confidence, double df);

// P-values for a statistic that is N(0, 1) or t(df) under the null.
double normal_p_value(double z, Alternative alternative);
double t_p_value(double t, double df, Alternative alternative);

// Mean and the sum of squared deviations (Welford) of a non-empty sample.
struct Moments {
  std::size_t n = 0;
  double mean = 0;
  double m2 = 0;  // Σ(x − mean)²
};
Moments moments(std::span<const double> x);

// True when every value equals the first, exactly: then the sample variance is 0 even if
// floating point sums would leave a tiny residue.
bool constant(std::span<const double> x);

// True when a spread is rounding noise next to the size of the values (|x| up to `scale`), e.g.
// the differences 4.2 − 3.2 and 3.8 − 2.8 that should be equal but differ in the last bit.
bool negligible(double spread, double scale);
double max_abs(std::span<const double> x);

// Every result must be finite: inputs near the limits of double (1e300) can overflow sums of
// squares, and NaN must never reach a screen; such inputs are invalid_input.
bool finite(std::initializer_list<double> values);

// The whole number to recruit from a real-valued size: ceil, with a tolerance so that
// 100.0000000001 stays 100. invalid_input when not finite or beyond 10¹⁵ (more people than exist).
Result<SampleSize> to_sample_size(double exact);

}  // namespace gotong::analytics::stats::detail
