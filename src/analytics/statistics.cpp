#include "analytics/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "analytics/stats_detail.hpp"

namespace gotong::analytics::stats {

std::string_view shortfall_key(Shortfall s) {
  switch (s) {
    case Shortfall::no_observations:
      return "statistics.no_observations";
    case Shortfall::too_few_observations:
      return "statistics.too_few_observations";
    case Shortfall::zero_variance:
      return "statistics.zero_variance";
    case Shortfall::empty_group:
      return "statistics.empty_group";
    case Shortfall::all_same_outcome:
      return "statistics.all_same_outcome";
    case Shortfall::too_few_clusters:
      return "statistics.too_few_clusters";
    case Shortfall::collinear:
      return "statistics.collinear";
    case Shortfall::invalid_input:
      return "statistics.invalid_input";
  }
  return "statistics.invalid_input";
}

std::string_view shortfall_text(Shortfall s, std::string_view language) {
  const bool id = language == "id";
  switch (s) {
    case Shortfall::no_observations:
      return id ? "Belum ada data." : "There is no data yet.";
    case Shortfall::too_few_observations:
      return id ? "Data terlalu sedikit untuk dihitung (perlu minimal dua pengamatan)."
                : "Too little data to compute this (at least two observations are needed).";
    case Shortfall::zero_variance:
      return id ? "Semua nilai sama, sehingga ketidakpastiannya tidak dapat dihitung."
                : "All values are the same, so the uncertainty cannot be computed.";
    case Shortfall::empty_group:
      return id ? "Salah satu kelompok tidak memiliki data." : "One of the groups has no data.";
    case Shortfall::all_same_outcome:
      return id ? "Semua responden memberikan jawaban yang sama, sehingga uji ini tidak dapat dilakukan."
                : "Every respondent gave the same answer, so this test cannot be done.";
    case Shortfall::too_few_clusters:
      return id ? "Data hanya berasal dari satu desa atau dusun; perlu minimal dua."
                : "The data come from only one village or hamlet; at least two are needed.";
    case Shortfall::collinear:
      return id ? "Rancangan data tidak memungkinkan perkiraan ini."
                : "The way the data were collected does not allow this estimate.";
    case Shortfall::invalid_input:
      return id ? "Masukan tidak valid." : "The input is not valid.";
  }
  return id ? "Masukan tidak valid." : "The input is not valid.";
}

namespace detail {

bool valid_probability_open(double p) { return std::isfinite(p) && p > 0 && p < 1; }

bool all_finite(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

double normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double, detail::Policy>(), p);
}

double normal_two_sided_z(double confidence) { return normal_quantile((1 + confidence) / 2); }

double t_quantile(double p, double df) {
  return boost::math::quantile(boost::math::students_t_distribution<double, detail::Policy>(df), p);
}

double t_two_sided(double confidence, double df) { return t_quantile((1 + confidence) / 2, df); }

double normal_p_value(double z, Alternative alternative) {
  const boost::math::normal_distribution<double, detail::Policy> n;
  switch (alternative) {
    case Alternative::two_sided:
      return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(n, std::abs(z))));
    case Alternative::less:
      return boost::math::cdf(n, z);
    case Alternative::greater:
      return boost::math::cdf(boost::math::complement(n, z));
  }
  return 1;
}

double t_p_value(double t, double df, Alternative alternative) {
  const boost::math::students_t_distribution<double, detail::Policy> d(df);
  switch (alternative) {
    case Alternative::two_sided:
      return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(d, std::abs(t))));
    case Alternative::less:
      return boost::math::cdf(d, t);
    case Alternative::greater:
      return boost::math::cdf(boost::math::complement(d, t));
  }
  return 1;
}

Moments moments(std::span<const double> x) {
  Moments m;
  for (double v : x) {
    ++m.n;
    const double delta = v - m.mean;
    m.mean += delta / static_cast<double>(m.n);
    m.m2 += delta * (v - m.mean);
  }
  return m;
}

bool constant(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [&](double v) { return v == x.front(); });
}

bool negligible(double spread, double scale) { return !(spread > 1e-12 * scale) || spread == 0; }

double max_abs(std::span<const double> x) {
  double m = 0;
  for (double v : x) m = std::max(m, std::abs(v));
  return m;
}

bool finite(std::initializer_list<double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

Result<SampleSize> to_sample_size(double exact) {
  if (!std::isfinite(exact) || exact < 0 || exact > 1e15) return Shortfall::invalid_input;
  SampleSize s;
  s.exact = exact;
  s.n = static_cast<std::uint64_t>(std::ceil(exact - 1e-9));
  return s;
}

}  // namespace detail
}  // namespace gotong::analytics::stats
