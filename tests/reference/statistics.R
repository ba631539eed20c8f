# Reference values for src/analytics/statistics_reference_test.cpp, computed with R 4.2.2 and the
# Debian 12 packages r-cran-survey 4.1-1, r-cran-sandwich 3.0-2, r-cran-lmtest 0.9-40 and
# r-cran-effectsize 0.8.3. Not run by ./test (R is not a project dependency); rerun by hand with
#   Rscript tests/reference/statistics.R
# after changing a data set, and paste the printed values into the test.
suppressMessages({library(survey); library(sandwich); library(lmtest); library(effectsize)})
p <- function(name, x) cat(sprintf("%-28s %s\n", name, paste(sprintf("%.17g", x), collapse = ", ")))

A <- c(12.1, 15.3, 9.8, 11.4, 14.2, 13.7, 10.9, 12.5)
B <- c(10.2, 9.1, 11.8, 8.7, 10.5, 9.9, 12.0)
before <- c(3.2, 4.1, 2.8, 5.0, 3.9, 4.4, 3.1, 2.5, 4.8, 3.6)
after <- c(3.9, 4.0, 3.5, 5.6, 4.8, 4.9, 3.3, 3.4, 5.1, 4.5)

cat("== summary and mean\n")
p("sd(A)", sd(A))
t1 <- t.test(A); p("t.test(A) ci", t1$conf.int); p("se", t1$stderr)
t2 <- t.test(A, conf.level = 0.9); p("t.test(A, conf.level=.9) ci", t2$conf.int)

cat("== proportion\n")
p("wilson 37/120", prop.test(37, 120, correct = FALSE)$conf.int)
p("wilson 0/25", prop.test(0, 25, correct = FALSE)$conf.int)
p("wilson 25/25 (90%)", prop.test(25, 25, correct = FALSE, conf.level = 0.9)$conf.int)
p("clopper 37/120", binom.test(37, 120)$conf.int)
p("clopper 0/25", binom.test(0, 25)$conf.int)
p("clopper 25/25", binom.test(25, 25)$conf.int)
ph <- 37 / 120; z <- qnorm(0.975); p("wald 37/120", ph + c(-1, 1) * z * sqrt(ph * (1 - ph) / 120))

cat("== weighted\n")
d <- data.frame(y = c(4.2, 3.8, 5.1, 2.9, 6.3, 4.4, 3.7, 5.5, 4.9, 2.2, 3.3, 4.0),
                yb = c(1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1),
                w = c(1.2, 0.8, 1.5, 2.0, 1.1, 0.9, 1.3, 1.7, 0.6, 1.4, 1.0, 2.2),
                village = c(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4))
for (ids in c("~village", "~1")) {
  des <- svydesign(ids = as.formula(ids), weights = ~w, data = d)
  m <- svymean(~y, des)
  p(paste("svymean y", ids), c(coef(m), SE(m), confint(m, df = degf(des))))
  mb <- svymean(~yb, des)
  pb <- as.numeric(coef(mb)); se <- as.numeric(SE(mb)); nstar <- pb * (1 - pb) / se^2
  p(paste("svymean yb", ids), c(pb, se, nstar))
  p(paste("wilson on n*", ids), prop.test(pb * nstar, nstar, correct = FALSE)$conf.int)
}
kish <- sum(d$w)^2 / sum(d$w^2)
p("kish n", kish)
p("wilson 0 on kish n", prop.test(0, kish, correct = FALSE)$conf.int)

cat("== welch\n")
w <- t.test(A, B)
p("t, df, p", c(w$statistic, w$parameter, w$p.value)); p("ci", w$conf.int); p("se", w$stderr)
p("p less", t.test(A, B, alternative = "less")$p.value)
p("p greater", t.test(A, B, alternative = "greater")$p.value)
p("ci 90", t.test(A, B, conf.level = 0.9)$conf.int)
p("cohens_d pooled", cohens_d(A, B)$Cohens_d)
p("hedges_g pooled", hedges_g(A, B)$Hedges_g)

cat("== paired\n")
pt <- t.test(after, before, paired = TRUE)
p("t, df, p", c(pt$statistic, pt$parameter, pt$p.value)); p("ci", pt$conf.int); p("se", pt$stderr)
p("p greater", t.test(after, before, paired = TRUE, alternative = "greater")$p.value)
p("cohens_d paired (d_z)", cohens_d(after, before, paired = TRUE)$Cohens_d)
p("hedges_g paired", hedges_g(after, before, paired = TRUE)$Hedges_g)

cat("== two proportions\n")
pr <- prop.test(c(45, 30), c(120, 115), correct = FALSE)
p("z = sign*sqrt(X2), p", c(sqrt(pr$statistic), pr$p.value))
p("p greater", prop.test(c(45, 30), c(120, 115), correct = FALSE, alternative = "greater")$p.value)
p("p less", prop.test(c(45, 30), c(120, 115), correct = FALSE, alternative = "less")$p.value)
wa <- prop.test(45, 120, correct = FALSE)$conf.int; wb <- prop.test(30, 115, correct = FALSE)$conf.int
pa <- 45 / 120; pb <- 30 / 115
p("newcombe (prop.test wilson)", c(pa - pb - sqrt((pa - wa[1])^2 + (wb[2] - pb)^2),
                                    pa - pb + sqrt((wa[2] - pa)^2 + (pb - wb[1])^2)))
# Columns are the groups (successes, failures): group a first.
p("cohens_h", cohens_h(matrix(c(45, 75, 30, 85), nrow = 2))$Cohens_h)

cat("== chi-square\n")
m <- matrix(c(20, 15, 10, 12, 18, 25), nrow = 2, byrow = TRUE)
cs <- chisq.test(m)
p("X2, df, p", c(cs$statistic, cs$parameter, cs$p.value)); p("expected (row-major)", t(cs$expected))
p("cramers_v", cramers_v(m, adjust = FALSE)$Cramers_v)
m2 <- matrix(c(12, 5, 7, 15), nrow = 2, byrow = TRUE)
cy <- chisq.test(m2, correct = TRUE); cn <- chisq.test(m2, correct = FALSE)
p("2x2 yates X2, p", c(cy$statistic, cy$p.value)); p("2x2 plain X2, p", c(cn$statistic, cn$p.value))
p("2x2 cramers_v", cramers_v(m2, adjust = FALSE)$Cramers_v)

cat("== difference of two estimates (0.62, SE 0.05) - (0.48, SE 0.04)\n")
p("ci", 0.14 + c(-1, 1) * qnorm(0.975) * sqrt(0.0041))
p("p two-sided, greater", c(2 * pnorm(-0.14 / sqrt(0.0041)), pnorm(0.14 / sqrt(0.0041), lower.tail = FALSE)))

cat("== did\n")
rows <- list()
for (v in 1:8) for (post in 0:1) for (h in 1:3) {
  treat <- as.integer(v <= 4)
  y <- 10 + 0.7 * v + 1.5 * post + 2.0 * treat * post + (((v * v * 7 + h * 5 + post * 3 * v) %% 13) - 6) / 3
  rows[[length(rows) + 1]] <- data.frame(y = y, treat = treat, post = post, village = v,
                                         w = 1 + ((v + 2 * h + post) %% 4) * 0.5, id = length(rows) + 1)
}
dd <- do.call(rbind, rows)
for (wt in c("unweighted", "weighted")) {
  fit <- if (wt == "weighted") lm(y ~ treat * post, data = dd, weights = w) else lm(y ~ treat * post, data = dd)
  V <- vcovCL(fit, cluster = ~village, type = "HC1")
  ct <- coeftest(fit, vcov. = V, df = 8 - 1)
  p(paste(wt, "coef"), coef(fit)); p(paste(wt, "se"), sqrt(diag(V)))
  p(paste(wt, "t, p"), ct[4, 3:4]); p(paste(wt, "ci"), coefci(fit, vcov. = V, df = 8 - 1)[4, ])
}
fit <- lm(y ~ treat * post, data = dd)
V <- vcovCL(fit, cluster = ~id, type = "HC1")
p("hc1 (own clusters) se", sqrt(diag(V))); p("hc1 HC1 via vcovHC", sqrt(diag(vcovHC(fit, type = "HC1"))))

cat("== icc (one-way ANOVA estimator)\n")
iy <- c(4.1, 3.8, 4.6, 5.2, 6.0, 5.5, 5.9, 3.1, 2.7, 3.6, 4.8, 4.4, 5.1, 4.9, 4.0)
ig <- factor(c(1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 5))
tab <- anova(lm(iy ~ ig)); msb <- tab["ig", "Mean Sq"]; msw <- tab["Residuals", "Mean Sq"]
ng <- table(ig); N <- length(iy); G <- length(ng); m0 <- (N - sum(ng^2) / N) / (G - 1)
p("msb, msw, m0, icc", c(msb, msw, m0, (msb - msw) / (msb + (m0 - 1) * msw)))
iy2 <- c(1, 5, 1, 5, 1, 5, 1, 5); ig2 <- factor(c(1, 1, 2, 2, 3, 3, 4, 4))
tab <- anova(lm(iy2 ~ ig2)); msb <- tab["ig2", "Mean Sq"]; msw <- tab["Residuals", "Mean Sq"]
p("negative: icc", (msb - msw) / (msb + (2 - 1) * msw))

cat("== sample size\n")
z <- qnorm(0.975); n0 <- z^2 * 0.25 / 0.05^2
p("cochran .5 .05 .95", n0); p("  N=2000", n0 / (1 + (n0 - 1) / 2000))
z <- qnorm(0.95); n0 <- z^2 * 0.3 * 0.7 / 0.04^2
p("cochran .3 .04 .90", n0); p("  N=850", n0 / (1 + (n0 - 1) / 850))
z <- qnorm(0.975); n0 <- z^2 * 12^2 / 2^2
p("cochran mean sd12 e2", n0); p("  N=500", n0 / (1 + (n0 - 1) / 500))
p("power.prop .30 .45", power.prop.test(p1 = .30, p2 = .45, power = .8, sig.level = .05, tol = 1e-12)$n)
p("power.prop one-sided", power.prop.test(p1 = .30, p2 = .45, power = .9, sig.level = .05,
                                           alternative = "one.sided", tol = 1e-12)$n)
p("power.t 2.5/6", power.t.test(delta = 2.5, sd = 6, power = .8, sig.level = .05, strict = TRUE, tol = 1e-12)$n)
p("power.t one-sided", power.t.test(delta = 2.5, sd = 6, power = .9, sig.level = .05, strict = TRUE,
                                     alternative = "one.sided", tol = 1e-12)$n)
p("power.t 1/1 .01", power.t.test(delta = 1, sd = 1, power = .95, sig.level = .01, strict = TRUE, tol = 1e-12)$n)
