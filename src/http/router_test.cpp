#include "http/router.hpp"
#include "http/message.hpp"

#include <gtest/gtest.h>

namespace gotong::http {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    r.add("GET", "/api/v1/orgs/{org}/areas", 0);
    r.add("POST", "/api/v1/orgs/{org}/areas", 1);
    r.add("GET", "/api/v1/orgs/{org}/areas/{id}", 2);
    r.add("DELETE", "/api/v1/orgs/{org}/areas/{id}", 3);
    r.add("GET", "/api/v1/orgs/{org}/areas/search", 4);
    r.add("GET", "/api/v1/health", 5);
  }
  Router r;
};

TEST_F(RouterTest, MatchesWithParameters) {
  auto m = r.match("GET", "/api/v1/orgs/demo/areas/42");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.target, 2u);
  EXPECT_EQ(m.params.get("org"), "demo");
  EXPECT_EQ(m.params.get("id"), "42");
  EXPECT_FALSE(m.params.get("nope"));
}

TEST_F(RouterTest, LiteralBeatsParameter) {
  auto m = r.match("GET", "/api/v1/orgs/demo/areas/search");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.target, 4u);
}

TEST_F(RouterTest, UnknownPathIs404) {
  EXPECT_EQ(r.match("GET", "/api/v1/nope").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.match("GET", "/api/v1/orgs//areas").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.match("GET", "/api/v1/health/").outcome, Router::Outcome::not_found);
}

TEST_F(RouterTest, WrongMethodIs405WithAllowedMethods) {
  auto m = r.match("PUT", "/api/v1/orgs/demo/areas/7");
  ASSERT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
}

TEST_F(RouterTest, HeadMatchesGet) {
  auto m = r.match("HEAD", "/api/v1/health");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.target, 5u);
}

TEST_F(RouterTest, RejectsBadPatternsAndDuplicates) {
  EXPECT_THROW(r.add("GET", "/api/v1/health", 9), std::logic_error);
  EXPECT_THROW(r.add("GET", "api/v1/x", 9), std::logic_error);
  EXPECT_THROW(r.add("GET", "/api/v1/x{y}", 9), std::logic_error);
}

TEST(RedactTarget, HidesDeviceTokensOnly) {
  EXPECT_EQ(redact_target("/key/abc123/openrosa/demo/formList"), "/key/***/openrosa/demo/formList");
  EXPECT_EQ(redact_target("/key/abc123"), "/key/***");
  EXPECT_EQ(redact_target("/key/abc?x=1"), "/key/***?x=1");
  EXPECT_EQ(redact_target("/api/v1/orgs/demo/areas?q=key"), "/api/v1/orgs/demo/areas?q=key");
}

}  // namespace gotong::http
