// Every statistic against reference values from R, to 1e-6 relative.
//
// Reference: R 4.2.2 (Debian 12 r-base-core 4.2.2.20221110-2) with r-cran-survey 4.1-1,
// r-cran-sandwich 3.0-2, r-cran-lmtest 0.9-40 and r-cran-effectsize 0.8.3. The exact calls are
// in each test and, runnable, in tests/reference/statistics.R (same data sets, printed with %.17g).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analytics/statistics.hpp"

namespace gotong::analytics::stats {
namespace {

// Relative 1e-6; an expected 0 compares absolutely (1e-12).
void near(double actual, double expected, const char* what) {
  EXPECT_NEAR(actual, expected, expected == 0 ? 1e-12 : std::abs(expected) * 1e-6) << what;
}
#define NEAR(actual, expected) near((actual), (expected), #actual)

const std::vector<double> A{12.1, 15.3, 9.8, 11.4, 14.2, 13.7, 10.9, 12.5};
const std::vector<double> B{10.2, 9.1, 11.8, 8.7, 10.5, 9.9, 12.0};
const std::vector<double> before{3.2, 4.1, 2.8, 5.0, 3.9, 4.4, 3.1, 2.5, 4.8, 3.6};
const std::vector<double> after{3.9, 4.0, 3.5, 5.6, 4.8, 4.9, 3.3, 3.4, 5.1, 4.5};

TEST(StatisticsReference, Summary) {
  // mean(A), sd(A), min(A), max(A)
  const auto s = summarize(A);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->n, 8u);
  NEAR(s->mean, 12.4875);
  NEAR(*s->sd, 1.8279086410430909);
  EXPECT_EQ(s->min, 9.8);
  EXPECT_EQ(s->max, 15.3);
}

TEST(StatisticsReference, MeanWithTInterval) {
  // t.test(A)$conf.int, $stderr; t.test(A, conf.level = 0.9)$conf.int
  const auto m = mean(A);
  ASSERT_TRUE(m);
  NEAR(m->estimate, 12.4875);
  NEAR(m->std_error, 0.64626329773552815);
  NEAR(m->ci.lower, 10.959330133260245);
  NEAR(m->ci.upper, 14.015669866739758);
  EXPECT_EQ(*m->df, 7);
  const auto m90 = mean(A, 0.9);
  ASSERT_TRUE(m90);
  NEAR(m90->ci.lower, 11.263103382855357);
  NEAR(m90->ci.upper, 13.711896617144646);
}

TEST(StatisticsReference, ProportionIntervals) {
  // Wilson: prop.test(x, n, correct = FALSE)$conf.int (R's prop.test interval for one sample is
  // Wilson's score interval; with correct = FALSE no continuity correction).
  auto w = proportion(37, 120);
  ASSERT_TRUE(w);
  NEAR(w->estimate, 37.0 / 120);
  NEAR(w->ci.lower, 0.23272736988916301);
  NEAR(w->ci.upper, 0.39582997723800678);
  w = proportion(0, 25);
  ASSERT_TRUE(w);
  NEAR(w->ci.lower, 0);
  NEAR(w->ci.upper, 0.13319225093904843);
  w = proportion(25, 25, 0.9);  // prop.test(25, 25, correct = FALSE, conf.level = 0.9)
  ASSERT_TRUE(w);
  NEAR(w->ci.lower, 0.90234649399394906);
  NEAR(w->ci.upper, 1);

  // Clopper–Pearson: binom.test(x, n)$conf.int
  auto cp = proportion(37, 120, 0.95, ProportionInterval::clopper_pearson);
  ASSERT_TRUE(cp);
  NEAR(cp->ci.lower, 0.22725511963383171);
  NEAR(cp->ci.upper, 0.39913676453195202);
  cp = proportion(0, 25, 0.95, ProportionInterval::clopper_pearson);
  ASSERT_TRUE(cp);
  NEAR(cp->ci.lower, 0);
  NEAR(cp->ci.upper, 0.13718517153071252);
  cp = proportion(25, 25, 0.95, ProportionInterval::clopper_pearson);
  ASSERT_TRUE(cp);
  NEAR(cp->ci.lower, 0.86281482846928748);
  NEAR(cp->ci.upper, 1);

  // Wald: p + c(-1, 1) * qnorm(0.975) * sqrt(p * (1 - p) / 120), p = 37/120
  const auto wald = proportion(37, 120, 0.95, ProportionInterval::wald);
  ASSERT_TRUE(wald);
  NEAR(wald->ci.lower, 0.22570744720052821);
  NEAR(wald->ci.upper, 0.39095921946613849);
}

// d <- data.frame(y, yb, w, village) as below.
const std::vector<double> wy{4.2, 3.8, 5.1, 2.9, 6.3, 4.4, 3.7, 5.5, 4.9, 2.2, 3.3, 4.0};
const std::vector<double> wyb{1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1};
const std::vector<double> ww{1.2, 0.8, 1.5, 2.0, 1.1, 0.9, 1.3, 1.7, 0.6, 1.4, 1.0, 2.2};
const std::vector<std::int64_t> village{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};

TEST(StatisticsReference, WeightedMeanLinearised) {
  // des <- svydesign(ids = ~village, weights = ~w, data = d); m <- svymean(~y, des)
  // coef(m), SE(m), confint(m, df = degf(des))
  auto m = weighted_mean(wy, ww, village);
  ASSERT_TRUE(m);
  NEAR(m->estimate, 4.1210191082802554);
  NEAR(m->std_error, 0.33815789371361854);
  NEAR(m->ci.lower, 3.0448497688288292);
  NEAR(m->ci.upper, 5.1971884477316816);
  EXPECT_EQ(*m->df, 3);
  NEAR(m->effective_n, 10.675184062364659);  // sum(d$w)^2 / sum(d$w^2)
  // The same with ids = ~1 (every household its own unit).
  m = weighted_mean(wy, ww);
  ASSERT_TRUE(m);
  NEAR(m->std_error, 0.3519908311252144);
  NEAR(m->ci.lower, 3.3462925124853364);
  NEAR(m->ci.upper, 4.8957457040751748);
  EXPECT_EQ(*m->df, 11);
}

TEST(StatisticsReference, WeightedProportionWilsonOnTheDesignEffectiveSize) {
  // mb <- svymean(~yb, des); p <- coef(mb); se <- SE(mb); nstar <- p * (1 - p) / se^2
  // prop.test(p * nstar, nstar, correct = FALSE)$conf.int
  auto p = weighted_proportion(wyb, ww, village);
  ASSERT_TRUE(p);
  NEAR(p->estimate, 0.62420382165605093);
  NEAR(p->std_error, 0.14093718446668266);
  NEAR(p->effective_n, 11.809393665132378);
  NEAR(p->ci.lower, 0.35184075099277717);
  NEAR(p->ci.upper, 0.83559591751822115);
  p = weighted_proportion(wyb, ww);  // ids = ~1
  ASSERT_TRUE(p);
  NEAR(p->std_error, 0.15033371933052447);
  NEAR(p->effective_n, 10.379250126333865);
  NEAR(p->ci.lower, 0.33670107382182263);
  NEAR(p->ci.upper, 0.84460388592621249);
  // Nobody has it: Wilson on Kish's n, prop.test(0, sum(w)^2 / sum(w^2), correct = FALSE).
  const std::vector<double> none(wyb.size(), 0);
  p = weighted_proportion(none, ww, village);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->estimate, 0);
  EXPECT_EQ(p->std_error, 0);
  NEAR(p->effective_n, 10.675184062364659);
  NEAR(p->ci.lower, 0);
  NEAR(p->ci.upper, 0.26462446253170452);
}

TEST(StatisticsReference, WelchTTest) {
  // w <- t.test(A, B): statistic, parameter, p.value, conf.int, stderr
  const auto r = welch_t_test(A, B);
  ASSERT_TRUE(r);
  NEAR(r->t, 2.716005929754123);
  NEAR(r->df, 12.355256089235596);
  NEAR(r->p_value, 0.018332341344303362);
  NEAR(r->ci.lower, 0.43537896290405376);
  NEAR(r->ci.upper, 3.9110496085245177);
  NEAR(r->std_error, 0.80015078829780917);
  EXPECT_EQ(r->a.n, 8u);
  EXPECT_EQ(r->b.n, 7u);
  // cohens_d(A, B)$Cohens_d and hedges_g(A, B)$Hedges_g (pooled SD; exact J, df = n1 + n2 − 2)
  NEAR(r->cohens_d, 1.369470420052006);
  NEAR(r->hedges_g, 1.2886476549892873);
  // t.test(A, B, alternative = "less" / "greater")$p.value; t.test(A, B, conf.level = 0.9)$conf.int
  NEAR(welch_t_test(A, B, Alternative::less)->p_value, 0.99083382932784825);
  NEAR(welch_t_test(A, B, Alternative::greater)->p_value, 0.0091661706721516811);
  const auto r90 = welch_t_test(A, B, Alternative::two_sided, 0.9);
  NEAR(r90->ci.lower, 0.75052432589295504);
  NEAR(r90->ci.upper, 3.5959042455356163);
}

TEST(StatisticsReference, PairedTTest) {
  // pt <- t.test(after, before, paired = TRUE)
  const auto r = paired_t_test(after, before);
  ASSERT_TRUE(r);
  NEAR(r->t, 5.2500000000000009);
  EXPECT_EQ(r->df, 9);
  NEAR(r->p_value, 0.00052769731144716411);
  NEAR(r->ci.lower, 0.3187032359681915);
  NEAR(r->ci.upper, 0.80129676403180838);
  NEAR(r->std_error, 0.10666666666666665);
  NEAR(r->difference, 0.56);
  // cohens_d(after, before, paired = TRUE) (d_z) and hedges_g(after, before, paired = TRUE)
  NEAR(r->cohens_d, 1.6601957715883995);
  NEAR(r->hedges_g, 1.5172112311148018);
  // t.test(after, before, paired = TRUE, alternative = "greater")$p.value
  NEAR(paired_t_test(after, before, Alternative::greater)->p_value, 0.00026384865572358205);
}

TEST(StatisticsReference, TwoProportions) {
  // pr <- prop.test(c(45, 30), c(120, 115), correct = FALSE): z = sqrt(X-squared) (p_a > p_b),
  // p.value; the same with alternative = "greater" / "less".
  const auto r = two_proportion_test(45, 120, 30, 115);
  ASSERT_TRUE(r);
  NEAR(r->z, 1.876222427599161);
  NEAR(r->p_value, 0.060624743671160136);
  NEAR(r->risk_difference, 45.0 / 120 - 30.0 / 115);
  NEAR(two_proportion_test(45, 120, 30, 115, Alternative::greater)->p_value, 0.030312371835580099);
  NEAR(two_proportion_test(45, 120, 30, 115, Alternative::less)->p_value, 0.96968762816441989);
  // Newcombe's method 10 from R's Wilson intervals: wa <- prop.test(45, 120, correct = FALSE)$conf.int,
  // wb <- prop.test(30, 115, correct = FALSE)$conf.int, then
  // d - sqrt((pa - wa[1])^2 + (wb[2] - pb)^2) and d + sqrt((wa[2] - pa)^2 + (pb - wb[1])^2).
  NEAR(r->ci.lower, -0.0051035738415377008);
  NEAR(r->ci.upper, 0.22853285974313356);
  // cohens_h(matrix(c(45, 75, 30, 85), nrow = 2))$Cohens_h (columns are the groups)
  NEAR(r->cohens_h, 0.24599309191981145);
}

TEST(StatisticsReference, NewcombePublishedExample) {
  // Newcombe (1998), Statistics in Medicine 17:873–890, Table II example (a): 56/70 vs 48/80,
  // method 10 gives 0.0524 to 0.3339 (published to 4 decimals).
  const auto r = two_proportion_test(56, 70, 48, 80);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->ci.lower, 0.0524, 5e-5);
  EXPECT_NEAR(r->ci.upper, 0.3339, 5e-5);
}

TEST(StatisticsReference, ChiSquareIndependence) {
  // m <- matrix(c(20, 15, 10, 12, 18, 25), nrow = 2, byrow = TRUE); cs <- chisq.test(m)
  const std::vector<std::vector<double>> m{{20, 15, 10}, {12, 18, 25}};
  const auto r = chi_square_independence(m);
  ASSERT_TRUE(r);
  NEAR(r->statistic, 7.7790895972714162);
  EXPECT_EQ(r->df, 2);
  NEAR(r->p_value, 0.020454654905891503);
  const double expected[2][3] = {{14.4, 14.85, 15.75}, {17.6, 18.15, 19.25}};  // cs$expected
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) NEAR(r->expected[i][j], expected[i][j]);
  NEAR(r->min_expected, 14.4);
  NEAR(r->cramers_v, 0.27891019338259071);  // cramers_v(m, adjust = FALSE)$Cramers_v

  // m2 <- matrix(c(12, 5, 7, 15), nrow = 2, byrow = TRUE); chisq.test(m2, correct = TRUE / FALSE)
  const std::vector<std::vector<double>> m2{{12, 5}, {7, 15}};
  const auto yates = chi_square_independence(m2, true);
  ASSERT_TRUE(yates);
  EXPECT_TRUE(yates->yates_applied);
  NEAR(yates->statistic, 4.3221203912186867);
  NEAR(yates->p_value, 0.037620016634840062);
  NEAR(yates->cramers_v, 0.38462756264684134);  // from the uncorrected χ²: cramers_v(m2, adjust = FALSE)
  const auto plain = chi_square_independence(m2);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->yates_applied);
  NEAR(plain->statistic, 5.7695961159583433);
  NEAR(plain->p_value, 0.01630578158465017);
}

// dd: 8 villages (1–4 treated), before and after, 3 households each, as in tests/reference/statistics.R.
std::vector<DidObservation> did_data(bool weighted, bool own_clusters) {
  std::vector<DidObservation> out;
  for (int v = 1; v <= 8; ++v)
    for (int post = 0; post <= 1; ++post)
      for (int h = 1; h <= 3; ++h) {
        const int treat = v <= 4 ? 1 : 0;
        DidObservation o;
        o.y = 10 + 0.7 * v + 1.5 * post + 2.0 * treat * post +
              ((v * v * 7 + h * 5 + post * 3 * v) % 13 - 6) / 3.0;
        o.treated = treat == 1;
        o.post = post == 1;
        o.cluster = own_clusters ? static_cast<std::int64_t>(out.size()) : v;
        o.weight = weighted ? 1 + ((v + 2 * h + post) % 4) * 0.5 : 1;
        out.push_back(o);
      }
  return out;
}

TEST(StatisticsReference, DifferenceOfTwoEstimates) {
  // 0.62 (SE 0.05) after, 0.48 (SE 0.04) before: 0.14 + c(-1, 1) * qnorm(0.975) * sqrt(0.0041),
  // 2 * pnorm(-0.14 / sqrt(0.0041)), pnorm(0.14 / sqrt(0.0041), lower.tail = FALSE)
  Estimate after, before;
  after.estimate = 0.62;
  after.std_error = 0.05;
  before.estimate = 0.48;
  before.std_error = 0.04;
  const auto d = estimate_difference(after, before);
  ASSERT_TRUE(d);
  NEAR(d->ci.lower, 0.01450107106096124);
  NEAR(d->ci.upper, 0.26549892893903881);
  NEAR(d->p_value, 0.028783965875738376);
  NEAR(estimate_difference(after, before, Alternative::greater)->p_value, 0.014391982937869188);
}

TEST(StatisticsReference, DifferenceInDifferencesClusterRobust) {
  // fit <- lm(y ~ treat * post, data = dd); V <- vcovCL(fit, cluster = ~village, type = "HC1")
  // (cadjust = TRUE: G/(G−1)·(N−1)/(N−K)); coeftest(fit, vcov. = V, df = 7); coefci(fit, vcov. = V, df = 7)
  const auto data = did_data(false, false);
  const auto r = difference_in_differences(data);
  ASSERT_TRUE(r);
  const double coef[4] = {14.827777777777778, -3.0222222222222226, 1.1388888888888895, 2.6944444444444464};
  const double se[4] = {0.44205141291421302, 0.5064538583742626, 0.21864224939635798, 0.60668821219848057};
  for (int i = 0; i < 4; ++i) {
    NEAR(r->coefficients[i], coef[i]);
    NEAR(r->std_errors[i], se[i]);
  }
  NEAR(r->estimate, coef[3]);
  NEAR(r->treated_change - r->control_change, coef[3]);
  NEAR(r->t, 4.4412342126781716);
  NEAR(r->p_value, 0.0030032270517332043);
  NEAR(r->ci.lower, 1.2598547847244499);
  NEAR(r->ci.upper, 4.1290341041644432);
  EXPECT_EQ(r->df, 7);
  EXPECT_EQ(r->n, 48u);
  EXPECT_EQ(r->clusters, 8u);
  EXPECT_EQ(r->treated_clusters, 4u);
  EXPECT_EQ(r->control_clusters, 4u);
  EXPECT_EQ(r->treated_before.n, 12u);
}

TEST(StatisticsReference, DifferenceInDifferencesWeighted) {
  // fit <- lm(y ~ treat * post, data = dd, weights = w); the same vcovCL / coeftest / coefci
  const auto data = did_data(true, false);
  const auto r = difference_in_differences(data);
  ASSERT_TRUE(r);
  const double coef[4] = {14.793650793650791, -2.8238095238095209, 1.3015873015873016, 2.6349206349206367};
  const double se[4] = {0.49166156705650521, 0.53391839905628746, 0.19192649681439886, 0.71018892789352428};
  for (int i = 0; i < 4; ++i) {
    NEAR(r->coefficients[i], coef[i]);
    NEAR(r->std_errors[i], se[i]);
  }
  NEAR(r->t, 3.7101685642101132);
  NEAR(r->p_value, 0.0075531470754865004);
  NEAR(r->ci.lower, 0.9555906728109298);
  NEAR(r->ci.upper, 4.3142505970303437);
}

TEST(StatisticsReference, DifferenceInDifferencesOwnClustersIsHC1) {
  // vcovCL(fit, cluster = ~id, type = "HC1") = vcovHC(fit, type = "HC1") on the unweighted fit
  const auto data = did_data(false, true);
  const auto r = difference_in_differences(data);
  ASSERT_TRUE(r);
  const double se[4] = {0.41011687037052585, 0.55764757625596573, 0.60588907505271827, 0.87316425998538605};
  for (int i = 0; i < 4; ++i) NEAR(r->std_errors[i], se[i]);
  EXPECT_EQ(r->df, 47);
}

TEST(StatisticsReference, CochranAndDesign) {
  // n0 <- qnorm(0.975)^2 * 0.25 / 0.05^2; n0 / (1 + (n0 - 1) / 2000)
  auto s = cochran_proportion(0.5, 0.05);
  ASSERT_TRUE(s);
  NEAR(s->exact, 384.14588206941227);
  EXPECT_EQ(s->n, 385u);
  s = cochran_proportion(0.5, 0.05, 0.95, 2000);
  NEAR(s->exact, 322.38553666369597);
  EXPECT_EQ(s->n, 323u);
  // n0 <- qnorm(0.95)^2 * 0.3 * 0.7 / 0.04^2; n0 / (1 + (n0 - 1) / 850)
  s = cochran_proportion(0.3, 0.04, 0.9);
  NEAR(s->exact, 355.10257835002255);
  s = cochran_proportion(0.3, 0.04, 0.9, 850);
  NEAR(s->exact, 250.67398494497502);
  EXPECT_EQ(s->n, 251u);
  // n0 <- qnorm(0.975)^2 * 12^2 / 2^2; n0 / (1 + (n0 - 1) / 500)
  s = cochran_mean(12, 2);
  NEAR(s->exact, 138.29251754498844);
  s = cochran_mean(12, 2, 0.95, 500);
  NEAR(s->exact, 108.50003235384445);
  EXPECT_EQ(s->n, 109u);
  // Arithmetic: 1 + (15 − 1)·0.05 = 1.7; 385 · 1.7 / 0.9 = 727.2…
  NEAR(*design_effect(15, 0.05), 1.7);
  const auto inflated = inflate_sample(385, 1.7, 0.9);
  NEAR(inflated->exact, 385 * 1.7 / 0.9);
  EXPECT_EQ(inflated->n, 728u);
}

TEST(StatisticsReference, IntraclassCorrelation) {
  // tab <- anova(lm(iy ~ ig)): MSB = tab["ig", "Mean Sq"], MSW = tab["Residuals", "Mean Sq"];
  // m0 <- (N - sum(table(ig)^2) / N) / (G - 1); (MSB - MSW) / (MSB + (m0 - 1) * MSW)
  const std::vector<double> iy{4.1, 3.8, 4.6, 5.2, 6.0, 5.5, 5.9, 3.1, 2.7, 3.6, 4.8, 4.4, 5.1, 4.9, 4.0};
  const std::vector<std::int64_t> ig{1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 5};
  const auto r = icc_anova(iy, ig);
  ASSERT_TRUE(r);
  NEAR(r->m0, 2.8333333333333335);
  NEAR(r->raw, 0.80022005990128953);
  NEAR(r->icc, 0.80022005990128953);
  NEAR(r->mean_cluster_size, 3);
  EXPECT_EQ(r->clusters, 5u);
  // Clusters with identical means: the estimate is −1, planned with as 0.
  const std::vector<double> iy2{1, 5, 1, 5, 1, 5, 1, 5};
  const std::vector<std::int64_t> ig2{1, 1, 2, 2, 3, 3, 4, 4};
  const auto negative = icc_anova(iy2, ig2);
  ASSERT_TRUE(negative);
  NEAR(negative->raw, -1);
  EXPECT_EQ(negative->icc, 0);
}

TEST(StatisticsReference, SizeToDetectAChange) {
  // power.prop.test(p1 = .30, p2 = .45, power = .8, sig.level = .05, tol = 1e-12)$n
  auto s = n_two_proportions(0.30, 0.45, 0.05, 0.8);
  ASSERT_TRUE(s);
  NEAR(s->exact, 162.3343820637082);
  EXPECT_EQ(s->n, 163u);
  // ... power = .9, alternative = "one.sided"
  s = n_two_proportions(0.30, 0.45, 0.05, 0.9, Sides::one_sided);
  NEAR(s->exact, 176.53191595559088);
  // power.t.test(delta = 2.5, sd = 6, power = .8, sig.level = .05, strict = TRUE, tol = 1e-12)$n
  s = n_two_means(2.5, 6, 0.05, 0.8);
  ASSERT_TRUE(s);
  NEAR(s->exact, 91.389222526359802);
  EXPECT_EQ(s->n, 92u);
  // ... power = .9, alternative = "one.sided"
  s = n_two_means(2.5, 6, 0.05, 0.9, Sides::one_sided);
  NEAR(s->exact, 99.339299514228415);
  // power.t.test(delta = 1, sd = 1, power = .95, sig.level = .01, strict = TRUE, tol = 1e-12)$n
  s = n_two_means(-1, 1, 0.01, 0.95);  // the sign of the change does not matter
  NEAR(s->exact, 37.328446757318169);
}

}  // namespace
}  // namespace gotong::analytics::stats
