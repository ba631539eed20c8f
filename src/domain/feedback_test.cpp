// Feedback rules: the status transitions (with reopening), quantiles by linear interpolation,
// and references that read well over the phone.
#include "domain/feedback.hpp"

#include <gtest/gtest.h>

namespace gotong::domain::feedback {

TEST(Feedback, Transitions) {
  EXPECT_TRUE(allowed_transition("received", "in_progress"));
  EXPECT_TRUE(allowed_transition("received", "resolved"));
  EXPECT_TRUE(allowed_transition("in_progress", "resolved"));
  EXPECT_TRUE(allowed_transition("resolved", "in_progress"));  // reopened
  EXPECT_FALSE(allowed_transition("in_progress", "received"));
  EXPECT_FALSE(allowed_transition("resolved", "received"));
  EXPECT_FALSE(allowed_transition("received", "received"));
}

TEST(Feedback, QuantilesInterpolate) {
  std::vector<double> v{10, 1, 4, 2};
  EXPECT_DOUBLE_EQ(*quantile(v, 0.5), 3.0);  // between 2 and 4
  EXPECT_DOUBLE_EQ(*quantile(v, 0.9), 8.2);  // rank 2.7: 4 + 0.7 × (10 − 4)
  EXPECT_DOUBLE_EQ(*quantile(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(*quantile(v, 1.0), 10.0);
  std::vector<double> one{2.5};
  EXPECT_DOUBLE_EQ(*quantile(one, 0.9), 2.5);
  std::vector<double> none;
  EXPECT_FALSE(quantile(none, 0.5));
  std::vector<double> odd{3, 1, 2};
  EXPECT_DOUBLE_EQ(*quantile(odd, 0.5), 2.0);
}

TEST(Feedback, References) {
  EXPECT_EQ(make_reference(0), "FB-22222222");
  EXPECT_EQ(make_reference(1), "FB-32222222");
  EXPECT_EQ(make_reference(31), "FB-23222222");
  const std::string r = make_reference(0x9e3779b97f4a7c15ULL);
  ASSERT_EQ(r.size(), 11u);
  for (char ch : r.substr(3)) {
    EXPECT_EQ(std::string("0O1IL").find(ch), std::string::npos) << r;
  }
}

}  // namespace gotong::domain::feedback
