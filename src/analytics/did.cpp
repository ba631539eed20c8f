// Difference-in-differences: the 2×2 table of (weighted) cell means and the saturated regression
// y = b0 + b1·treat + b2·post + b3·treat·post with cluster-robust (CR1) standard errors.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analytics/statistics.hpp"
#include "analytics/stats_detail.hpp"

namespace gotong::analytics::stats {

namespace {

constexpr std::size_t K = 4;
using Vec = std::array<double, K>;
using Mat = std::array<Vec, K>;

Vec design_row(const DidObservation& o) {
  const double t = o.treated ? 1 : 0, p = o.post ? 1 : 0;
  return {1, t, p, t * p};
}

// Gauss–Jordan inverse with partial pivoting; nullopt when (numerically) singular.
std::optional<Mat> inverse(Mat a) {
  Mat inv{};
  for (std::size_t i = 0; i < K; ++i) inv[i][i] = 1;
  double scale = 0;
  for (const auto& row : a)
    for (double v : row) scale = std::max(scale, std::abs(v));
  for (std::size_t c = 0; c < K; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < K; ++r)
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    if (!(std::abs(a[pivot][c]) > 1e-12 * scale)) return std::nullopt;
    std::swap(a[c], a[pivot]);
    std::swap(inv[c], inv[pivot]);
    const double d = a[c][c];
    for (std::size_t j = 0; j < K; ++j) {
      a[c][j] /= d;
      inv[c][j] /= d;
    }
    for (std::size_t r = 0; r < K; ++r) {
      if (r == c || a[r][c] == 0) continue;
      const double f = a[r][c];
      for (std::size_t j = 0; j < K; ++j) {
        a[r][j] -= f * a[c][j];
        inv[r][j] -= f * inv[c][j];
      }
    }
  }
  return inv;
}

Mat multiply(const Mat& a, const Mat& b) {
  Mat m{};
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = 0; j < K; ++j)
      for (std::size_t k = 0; k < K; ++k) m[i][j] += a[i][k] * b[k][j];
  return m;
}

struct CellAccumulator {
  std::size_t n = 0;
  double weight = 0;
  double weighted_sum = 0;
  bool constant = true;
  double first = 0;
  void add(double y, double w) {
    if (n == 0)
      first = y;
    else if (y != first)
      constant = false;
    ++n;
    weight += w;
    weighted_sum += w * y;
  }
  double mean() const { return weighted_sum / weight; }
};

std::size_t cell_index(const DidObservation& o) { return (o.treated ? 2 : 0) + (o.post ? 1 : 0); }

}  // namespace

Result<DidResult> difference_in_differences(std::span<const DidObservation> data, double confidence) {
  if (!detail::valid_probability_open(confidence)) return Shortfall::invalid_input;
  for (const auto& o : data)
    if (!std::isfinite(o.y) || !std::isfinite(o.weight) || !(o.weight > 0)) return Shortfall::invalid_input;
  if (data.empty()) return Shortfall::no_observations;

  // Cells: 0 control before, 1 control after, 2 treated before, 3 treated after.
  std::array<CellAccumulator, 4> cells;
  std::set<std::int64_t> all_clusters, treated_clusters, control_clusters;
  for (const auto& o : data) {
    cells[cell_index(o)].add(o.y, o.weight);
    all_clusters.insert(o.cluster);
    (o.treated ? treated_clusters : control_clusters).insert(o.cluster);
  }
  if (std::any_of(cells.begin(), cells.end(), [](const CellAccumulator& c) { return c.n == 0; }))
    return Shortfall::empty_group;
  if (data.size() <= K) return Shortfall::too_few_observations;
  if (all_clusters.size() < 2) return Shortfall::too_few_clusters;
  if (std::all_of(cells.begin(), cells.end(), [](const CellAccumulator& c) { return c.constant; }))
    return Shortfall::zero_variance;

  DidResult r;
  const auto cell = [&](std::size_t i) { return DidCell{cells[i].n, cells[i].mean()}; };
  r.control_before = cell(0);
  r.control_after = cell(1);
  r.treated_before = cell(2);
  r.treated_after = cell(3);
  r.treated_change = r.treated_after.mean - r.treated_before.mean;
  r.control_change = r.control_after.mean - r.control_before.mean;
  r.estimate = r.treated_change - r.control_change;
  // The model is saturated, so the WLS coefficients are the cell-mean contrasts exactly.
  r.coefficients = {r.control_before.mean, r.treated_before.mean - r.control_before.mean, r.control_change,
                    r.estimate};

  Mat xtwx{};
  for (const auto& o : data) {
    const Vec x = design_row(o);
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t j = 0; j < K; ++j) xtwx[i][j] += o.weight * x[i] * x[j];
  }
  const std::optional<Mat> bread = inverse(xtwx);
  if (!bread) return Shortfall::collinear;

  // Scores summed per cluster: u_g = Σ_{i∈g} w_i x_i e_i.
  std::map<std::int64_t, Vec> scores;
  for (const auto& o : data) {
    const Vec x = design_row(o);
    const double e = o.y - cells[cell_index(o)].mean();
    Vec& u = scores[o.cluster];
    for (std::size_t i = 0; i < K; ++i) u[i] += o.weight * x[i] * e;
  }
  Mat meat{};
  for (const auto& [id, u] : scores)
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t j = 0; j < K; ++j) meat[i][j] += u[i] * u[j];

  const double g = static_cast<double>(all_clusters.size());
  const double n = static_cast<double>(data.size());
  const double correction = g / (g - 1) * (n - 1) / (n - static_cast<double>(K));
  const Mat v = multiply(multiply(*bread, meat), *bread);
  for (std::size_t i = 0; i < K; ++i) r.std_errors[i] = std::sqrt(std::max(0.0, correction * v[i][i]));
  r.std_error = r.std_errors[3];
  // An error that is rounding noise relative to the data means the change is known exactly.
  double scale = 0;
  for (const auto& o : data) scale = std::max(scale, std::abs(o.y));
  if (!(r.std_error > 1e-12 * std::max(scale, 1e-300))) return Shortfall::zero_variance;

  r.df = g - 1;
  r.t = r.estimate / r.std_error;
  r.p_value = detail::t_p_value(r.t, r.df, Alternative::two_sided);
  const double crit = detail::t_two_sided(confidence, r.df);
  r.ci = {r.estimate - crit * r.std_error, r.estimate + crit * r.std_error};
  r.confidence = confidence;
  r.n = data.size();
  r.clusters = all_clusters.size();
  r.treated_clusters = treated_clusters.size();
  r.control_clusters = control_clusters.size();
  if (!detail::finite({r.estimate, r.std_error, r.t, r.p_value, r.ci.lower, r.ci.upper}) ||
      !detail::finite({r.coefficients[0], r.coefficients[1], r.coefficients[2], r.std_errors[0],
                       r.std_errors[1], r.std_errors[2]}))
    return Shortfall::invalid_input;
  return r;
}

}  // namespace gotong::analytics::stats
