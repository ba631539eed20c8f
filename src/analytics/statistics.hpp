// Evaluation statistics: means and proportions with confidence intervals (optionally with survey
// weights and clusters), Welch and paired t-tests, the two-proportion test, the chi-square test of
// independence, effect sizes, difference-in-differences (the 2×2 table and the regression form with
// cluster-robust standard errors) and sample sizes.
//
// Pure computations: no I/O. Distributions come from Boost.Math. Every function either returns a
// finite result or a `Shortfall` saying why the data cannot support it (too few observations, zero
// variance, an empty group, ...), so nothing downstream ever has to show NaN. Inputs that are not
// data problems but caller mistakes (confidence outside (0, 1), negative weights, NaN values,
// successes > trials) give `Shortfall::invalid_input`; the API layer should reject those with 4xx
// before calling.
//
// Conventions shared by every function:
// - `confidence` is the two-sided confidence level of intervals, in (0, 1); default 0.95.
// - Differences are "first minus second" (a − b, after − before as the caller passes them), like
//   scipy.stats; `Alternative::less` means the first is smaller than the second.
// - Sample-size functions return the exact real value and the whole number to recruit (rounded up).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gotong::analytics::stats {

// ---------------------------------------------------------------------------------------------
// "Not enough data" reporting
// ---------------------------------------------------------------------------------------------

enum class Shortfall {
  no_observations,       // nothing to compute from
  too_few_observations,  // fewer than the method needs (e.g. n < 2 for a standard deviation)
  zero_variance,         // every value is the same, so the standard error is 0 and t is undefined
  empty_group,           // one of the groups (or DiD cells) has no observations
  all_same_outcome,      // every observation in a proportion test has the same outcome (p̂ = 0 or 1)
  too_few_clusters,      // cluster-robust errors need at least two clusters
  collinear,             // the regression design is singular (a cell or contrast cannot be estimated)
  invalid_input,         // caller error: NaN/∞ values, negative weights, x > n, confidence ∉ (0, 1), or
                         // values so large (≈1e300) that the arithmetic would overflow
};

// A stable machine key, e.g. "statistics.zero_variance": for API problem bodies and message lookup.
std::string_view shortfall_key(Shortfall s);
// A short sentence for a village council; `language` is "id" (Bahasa Indonesia) or anything else
// for English.
std::string_view shortfall_text(Shortfall s, std::string_view language);

// Either a value or the reason there is none (std::expected is C++23).
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Shortfall s) : v_(s) {}             // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  // Precondition: ok().
  const T& value() const { return std::get<T>(v_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  // Precondition: !ok().
  Shortfall shortfall() const { return std::get<Shortfall>(v_); }

 private:
  std::variant<T, Shortfall> v_;
};

// ---------------------------------------------------------------------------------------------
// Shared result types
// ---------------------------------------------------------------------------------------------

enum class Alternative { two_sided, less, greater };

struct Interval {
  double lower = 0;
  double upper = 0;
};

// Plain description of a sample; always defined for n ≥ 1.
struct Summary {
  std::size_t n = 0;
  double mean = 0;
  std::optional<double> sd;  // sample standard deviation (n − 1 divisor); none when n < 2
  double min = 0;
  double max = 0;
};

// A mean or a proportion (as a fraction 0..1) with its standard error and confidence interval.
struct Estimate {
  double estimate = 0;
  double std_error = 0;
  Interval ci;
  double confidence = 0.95;
  std::size_t n = 0;         // observations used
  double effective_n = 0;    // = n unweighted; Kish (Σw)²/Σw² with weights; see weighted_proportion
  std::optional<double> df;  // degrees of freedom of the t quantile; none when the interval is not t-based
};

// ---------------------------------------------------------------------------------------------
// Descriptive (descriptive.cpp)
// ---------------------------------------------------------------------------------------------

// no_observations when x is empty; invalid_input on a non-finite value.
Result<Summary> summarize(std::span<const double> x);

// Mean with a t interval (n − 1 df). too_few_observations when n < 2; zero_variance when all
// values are equal (the interval would be a point, which a reader takes as certainty). Here and in
// the tests, a spread below 1e-12 of the largest |value| counts as zero: it is rounding noise
// (4.2 − 3.2 ≠ 3.8 − 2.8 in binary) and would otherwise give an absurd t.
Result<Estimate> mean(std::span<const double> x, double confidence = 0.95);

enum class ProportionInterval {
  wilson,           // score interval; good at small n and near 0 or 1 (default)
  wald,             // p̂ ± z·√(p̂(1−p̂)/n); all_same_outcome when p̂ is 0 or 1
  clopper_pearson,  // "exact" beta interval; conservative
};

// Proportion successes/trials. no_observations when trials = 0; invalid_input when
// successes > trials. Wilson and Clopper–Pearson are defined at p̂ = 0 and 1. Interval ends are
// clipped to [0, 1] (only Wald can leave it).
Result<Estimate> proportion(std::uint64_t successes, std::uint64_t trials, double confidence = 0.95,
                            ProportionInterval method = ProportionInterval::wilson);

// Survey-weighted mean (the ratio Σwy/Σw) with a Taylor-linearisation standard error for a
// with-replacement design: with `clusters` (one id per observation, e.g. the village or hamlet),
// the residual totals are summed per cluster first; with an empty `clusters` each observation is
// its own cluster. Var = G/(G−1) · Σ_g (Σ_{i∈g} w_i (y_i − ȳ))² / (Σw)², the interval uses t with
// G − 1 df (as R survey::svymean with svydesign(ids = ~cluster, weights = ~w) and confint(df =
// degf)). effective_n is Kish's (Σw)²/Σw².
// Shortfalls: sizes differ or a weight is negative/non-finite → invalid_input; Σw = 0 or no
// observation with positive weight → no_observations; fewer than 2 clusters (or observations)
// → too_few_observations / too_few_clusters; zero linearised variance → zero_variance.
// Observations with weight 0 are dropped.
Result<Estimate> weighted_mean(std::span<const double> y, std::span<const double> w,
                               std::span<const std::int64_t> clusters = {}, double confidence = 0.95);

// Survey-weighted proportion of `y` (each true/false) with the same linearised standard error as
// weighted_mean. The interval is Wilson's on the design-effective sample size
// n* = p̂(1−p̂)/Var (Korn–Graubard's idea; this accounts for both weights and clusters) and, when
// p̂ is 0 or 1 (Var = 0), on Kish's effective n, so a weighted 0 % still gets an honest interval.
// effective_n reports the n* used. Shortfalls as weighted_mean, except p̂ ∈ {0, 1} is not one.
Result<Estimate> weighted_proportion(std::span<const bool> y, std::span<const double> w,
                                     std::span<const std::int64_t> clusters = {}, double confidence = 0.95);
// The same with y given as 0/1 numbers (std::vector<bool> cannot be viewed as a span); any other
// value is invalid_input.
Result<Estimate> weighted_proportion(std::span<const double> y, std::span<const double> w,
                                     std::span<const std::int64_t> clusters = {}, double confidence = 0.95);

// ---------------------------------------------------------------------------------------------
// Tests and effect sizes (tests.cpp)
// ---------------------------------------------------------------------------------------------

// Welch's two-sample t-test (unequal variances, Welch–Satterthwaite df) of a against b.
struct MeanComparison {
  Summary a;  // for the paired test: the first and second measurements
  Summary b;
  double difference = 0;  // mean(a) − mean(b); paired: mean of (a_i − b_i)
  double std_error = 0;
  Interval ci;  // of the difference, two-sided at `confidence` whatever the alternative
  double confidence = 0.95;
  double t = 0;
  double df = 0;
  double p_value = 1;
  Alternative alternative = Alternative::two_sided;
  // Welch: Cohen's d with the pooled SD √(((n_a−1)s_a² + (n_b−1)s_b²)/(n_a+n_b−2)).
  // Paired: Cohen's d_z = mean difference / SD of the differences.
  double cohens_d = 0;
  // d × J(df) with the exact small-sample correction J(m) = Γ(m/2)/(√(m/2)·Γ((m−1)/2)), m = n_a+n_b−2
  // (Welch) or n−1 (paired); J(1) = 0, so two pairs give g = 0.
  double hedges_g = 0;
};

// Shortfalls: either sample empty → empty_group; either n < 2 → too_few_observations; both
// variances 0 → zero_variance; non-finite value or bad confidence → invalid_input.
Result<MeanComparison> welch_t_test(std::span<const double> a, std::span<const double> b,
                                    Alternative alternative = Alternative::two_sided,
                                    double confidence = 0.95);

// Paired t-test on a_i − b_i (same units measured twice, e.g. the same households at baseline and
// endline). Sizes differ → invalid_input; n < 2 → too_few_observations; all differences equal →
// zero_variance.
Result<MeanComparison> paired_t_test(std::span<const double> a, std::span<const double> b,
                                     Alternative alternative = Alternative::two_sided,
                                     double confidence = 0.95);

// Two independent proportions x_a/n_a and x_b/n_b.
struct ProportionComparison {
  double p_a = 0;
  double p_b = 0;
  std::uint64_t n_a = 0;
  std::uint64_t n_b = 0;
  double risk_difference = 0;  // p_a − p_b
  double std_error = 0;        // unpooled √(p_a(1−p_a)/n_a + p_b(1−p_b)/n_b)
  Interval ci;                 // Newcombe's hybrid score interval (method 10) of the risk difference
  double confidence = 0.95;
  double z = 0;  // pooled-variance z statistic
  double p_value = 1;
  Alternative alternative = Alternative::two_sided;
  double cohens_h = 0;  // 2·asin√p_a − 2·asin√p_b
};

// Shortfalls: n_a or n_b = 0 → empty_group; x > n → invalid_input; pooled p̂ 0 or 1 (everyone
// the same in both groups) → all_same_outcome.
Result<ProportionComparison> two_proportion_test(std::uint64_t x_a, std::uint64_t n_a, std::uint64_t x_b,
                                                 std::uint64_t n_b,
                                                 Alternative alternative = Alternative::two_sided,
                                                 double confidence = 0.95);

// Pearson's chi-square test of independence on an r × c table of counts (rows × columns).
struct ChiSquare {
  double statistic = 0;
  int df = 0;
  double p_value = 1;
  double cramers_v = 0;        // √(χ²/(N·(min(r, c) − 1))), from the uncorrected χ²
  bool yates_applied = false;  // continuity correction used (only for 2 × 2 and when asked)
  double min_expected = 0;     // the smallest expected count: < 5 means the p-value is rough
  std::size_t rows = 0;        // after dropping all-zero rows and columns
  std::size_t columns = 0;
  double total = 0;
  std::vector<std::vector<double>> expected;  // rows × columns, of the reduced table
};

// Rows and columns whose total is 0 are dropped first (a category nobody chose carries no
// information). Shortfalls: ragged rows, negative or non-finite counts → invalid_input; total 0 →
// no_observations; fewer than 2 non-empty rows or columns → all_same_outcome.
// `yates` applies the continuity correction to 2 × 2 tables (scipy's chi2_contingency default).
Result<ChiSquare> chi_square_independence(const std::vector<std::vector<double>>& table, bool yates = false);

// Difference of two independent estimates (e.g. a weighted endline minus a weighted baseline from
// separate samples): a − b, SE = √(se_a² + se_b²), normal interval and p-value.
struct EstimateDifference {
  double difference = 0;
  double std_error = 0;
  Interval ci;
  double confidence = 0.95;
  double z = 0;
  double p_value = 1;
  Alternative alternative = Alternative::two_sided;
};
// zero_variance when both standard errors are 0.
Result<EstimateDifference> estimate_difference(const Estimate& a, const Estimate& b,
                                               Alternative alternative = Alternative::two_sided,
                                               double confidence = 0.95);

// ---------------------------------------------------------------------------------------------
// Difference-in-differences (did.cpp)
// ---------------------------------------------------------------------------------------------

struct DidObservation {
  double y = 0;
  bool treated = false;      // in a program (treatment) area
  bool post = false;         // measured at endline
  std::int64_t cluster = 0;  // the village or hamlet; use a distinct id per observation for HC1
  double weight = 1;         // survey weight (WLS); 1 for none
};

struct DidCell {
  std::size_t n = 0;
  double mean = 0;  // weighted mean when weights are given
};

struct DidResult {
  // The 2×2 table.
  DidCell treated_before, treated_after, control_before, control_after;
  double treated_change = 0;  // treated_after − treated_before
  double control_change = 0;  // control_after − control_before
  // The estimate: treated_change − control_change, equal to b3 of the regression.
  double estimate = 0;
  // The regression y = b0 + b1·treat + b2·post + b3·treat·post (WLS with the weights), with
  // cluster-robust CR1 variance: (X'WX)⁻¹ (Σ_g X_g'W_g e_g e_g'W_g X_g) (X'WX)⁻¹ ·
  // G/(G−1) · (N−1)/(N−K), K = 4 (Stata's `regress ..., vce(cluster g)`; statsmodels'
  // fit(cov_type='cluster') default). Inference on b3 uses t with G − 1 df.
  std::array<double, 4> coefficients{};  // b0, b1, b2, b3
  std::array<double, 4> std_errors{};
  double std_error = 0;  // = std_errors[3]
  double t = 0;
  double df = 0;       // G − 1
  double p_value = 1;  // two-sided
  Interval ci;
  double confidence = 0.95;
  std::size_t n = 0;
  std::size_t clusters = 0;          // G
  std::size_t treated_clusters = 0;  // clusters with any treated observation
  std::size_t control_clusters = 0;  // clusters with any control observation
};

// Shortfalls: a non-finite y, or a weight ≤ 0 or non-finite → invalid_input; any of the four cells
// empty → empty_group; N ≤ 4 → too_few_observations; G < 2 → too_few_clusters; zero standard
// error of b3 (every residual 0) → zero_variance. Fewer than 2 treated or control clusters is
// allowed but makes the errors unreliable: callers should warn using treated_clusters /
// control_clusters.
Result<DidResult> difference_in_differences(std::span<const DidObservation> data, double confidence = 0.95);

// ---------------------------------------------------------------------------------------------
// Sample size (sample_size.cpp)
// ---------------------------------------------------------------------------------------------

struct SampleSize {
  double exact = 0;     // the real-valued formula result
  std::uint64_t n = 0;  // ceil(exact) (with a 1e-9 tolerance so 100.0000000001 stays 100)
};

// Cochran for a proportion: n0 = z²·p(1−p)/e² with z the two-sided `confidence` quantile; with a
// population N, the finite population correction n = n0 / (1 + (n0 − 1)/N).
// invalid_input: p ∉ [0, 1], margin ∉ (0, 1), confidence ∉ (0, 1), population = 0.
Result<SampleSize> cochran_proportion(double p, double margin, double confidence = 0.95,
                                      std::optional<std::uint64_t> population = std::nullopt);

// Cochran for a mean: n0 = z²·σ²/e², same correction. invalid_input: sd < 0, margin ≤ 0.
Result<SampleSize> cochran_mean(double sd, double margin, double confidence = 0.95,
                                std::optional<std::uint64_t> population = std::nullopt);

// Design effect of cluster sampling: 1 + (m − 1)·ICC, m = average number interviewed per cluster.
// invalid_input: m < 1 or ICC ∉ [0, 1].
Result<double> design_effect(double mean_cluster_size, double icc);

// The intraclass correlation of y within clusters (villages, hamlets) from earlier data, by the
// one-way ANOVA estimator for unequal cluster sizes: (MSB − MSW)/(MSB + (m₀ − 1)·MSW),
// m₀ = (N − Σn_g²/N)/(G − 1). A negative estimate (clusters less alike than chance) is reported
// in `raw` and clamped to 0 in `icc`, the value to plan with.
struct IccEstimate {
  double icc = 0;
  double raw = 0;
  double m0 = 0;                 // the ANOVA "average" cluster size
  double mean_cluster_size = 0;  // N / G, for design_effect
  std::size_t n = 0;
  std::size_t clusters = 0;
};
// Shortfalls: sizes differ or a non-finite value → invalid_input; empty → no_observations;
// G < 2 → too_few_clusters; every cluster a single observation (no within-cluster df) →
// too_few_observations; all values equal → zero_variance.
Result<IccEstimate> icc_anova(std::span<const double> y, std::span<const std::int64_t> clusters);

// n × design effect / expected response rate (e.g. 0.9 when 10 % are expected not to respond).
// invalid_input: n < 0, deff ≤ 0, response_rate ∉ (0, 1].
Result<SampleSize> inflate_sample(double n, double deff, double response_rate);

enum class Sides { one_sided, two_sided };

// Per-group n to detect p1 vs p2 (two independent samples of equal size) with significance `alpha`
// and `power`: n = (z_α·√(2·p̄(1−p̄)) + z_β·√(p1(1−p1) + p2(1−p2)))² / (p1 − p2)², p̄ = (p1+p2)/2,
// z_α the 1−α/2 (two-sided) or 1−α (one-sided) quantile. Equals R's power.prop.test (strict =
// FALSE) and statsmodels samplesize_proportions_2indep_onetail.
// invalid_input: p1, p2 ∉ (0, 1), p1 = p2, alpha or power ∉ (0, 1), or a power so low that the
// bracket above is ≤ 0.
Result<SampleSize> n_two_proportions(double p1, double p2, double alpha = 0.05, double power = 0.8,
                                     Sides sides = Sides::two_sided);

// Per-group n to detect a difference `delta` between two means with common SD `sd`, by the
// two-sample t-test (noncentral t, df = 2n − 2; two-sided power counts both tails), as
// statsmodels TTestIndPower().solve_power(effect_size = delta/sd, alpha, power, ratio = 1).
// When two per group already reach the power, n = 2 (the smallest a t-test can use).
// invalid_input: delta = 0, sd ≤ 0, alpha or power ∉ (0, 1), or n would exceed 10⁹.
Result<SampleSize> n_two_means(double delta, double sd, double alpha = 0.05, double power = 0.8,
                               Sides sides = Sides::two_sided);

}  // namespace gotong::analytics::stats
