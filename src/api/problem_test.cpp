#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"

namespace gotong::api {

TEST(Problem, BodyFollowsRfc9457WithFieldErrors) {
  http::Request req;
  req.path = "/api/v1/orgs/demo/areas";
  req.request_id = "abc123";
  auto r = problem_response(Error(ErrorCode::validation, "bad input", {{"name", "must not be empty"}}), req);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "https://gotong.id/problems/validation");
  EXPECT_EQ(v.at("status").as_int64(), 422);
  EXPECT_EQ(v.at("detail").as_string(), "bad input");
  EXPECT_EQ(v.at("instance").as_string(), "/api/v1/orgs/demo/areas");
  EXPECT_EQ(v.at("request_id").as_string(), "abc123");
  EXPECT_EQ(v.at("errors").as_array().at(0).as_object().at("field").as_string(), "name");
}

TEST(Problem, ThrottlingCarriesRetryAfter) {
  http::Request req;
  auto r = problem_response(Error(ErrorCode::too_many_requests, "slow down").with_retry_after(42), req);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("Retry-After"), "42");
}

TEST(Problem, EveryCodeHasADistinctTypeAndAnErrorStatus) {
  std::set<std::string_view> slugs;
  for (int c = 0; c <= static_cast<int>(ErrorCode::internal); ++c) {
    const auto& info = error_info(static_cast<ErrorCode>(c));
    EXPECT_GE(info.http_status, 400);
    EXPECT_LT(info.http_status, 600);
    EXPECT_TRUE(slugs.insert(info.slug).second) << info.slug;
  }
}

}  // namespace gotong::api
