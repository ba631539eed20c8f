#include "domain/auth.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "domain/test_support.hpp"

namespace gotong::domain {

using testing::TestDatabase;

namespace {
ErrorCode login_error(db::Database& db, const std::string& email, const std::string& pw, const std::string& ip,
                      const auth::ThrottlePolicy& p = {}) {
  try {
    auth::login(db, email, pw, ip, "test", "req", p);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::internal;  // "no error"
}
}  // namespace

TEST(Auth, LoginCreatesASessionThatAuthenticates) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auto s = auth::login(t.db(), "A@alpha.id ", "correct horse battery", "10.0.0.1", "ua", "r1");
  EXPECT_FALSE(s.token.empty());
  auto a = t.db().read_value([&](db::Connection& c) { return auth::from_session(c, s.token); });
  ASSERT_TRUE(a);
  EXPECT_EQ(a->actor.email, "a@alpha.id");
  EXPECT_EQ(a->csrf_token, s.csrf_token);
  EXPECT_FALSE(t.db().read_value([&](db::Connection& c) { return auth::from_session(c, s.token + "x"); }));
  auth::logout(t.db(), a->actor, *a->session_id);
  EXPECT_FALSE(t.db().read_value([&](db::Connection& c) { return auth::from_session(c, s.token); }));
}

TEST(Auth, WrongPasswordAndUnknownUserLookTheSame) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  EXPECT_EQ(login_error(t.db(), "a@alpha.id", "wrong password", "10.0.0.1"), ErrorCode::unauthenticated);
  EXPECT_EQ(login_error(t.db(), "nobody@alpha.id", "wrong password", "10.0.0.1"), ErrorCode::unauthenticated);
}

TEST(Auth, AccountIsLockedAfterRepeatedFailuresEvenForTheRightPassword) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auth::ThrottlePolicy p;
  p.account_failures = 3;
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login_error(t.db(), "a@alpha.id", "nope nope", "10.0.0." + std::to_string(i), p), ErrorCode::unauthenticated);
  try {
    auth::login(t.db(), "a@alpha.id", "correct horse battery", "10.0.0.9", "ua", "r", p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::too_many_requests);
    EXPECT_GT(e.retry_after_seconds(), 0);
    EXPECT_LE(e.retry_after_seconds(), 15 * 60);
  }
}

TEST(Auth, AddressIsLockedAfterFailuresAcrossAccounts) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auth::ThrottlePolicy p;
  p.address_failures = 4;
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(login_error(t.db(), "u" + std::to_string(i) + "@x.id", "nope nope", "10.9.9.9", p), ErrorCode::unauthenticated);
  EXPECT_EQ(login_error(t.db(), "a@alpha.id", "correct horse battery", "10.9.9.9", p), ErrorCode::too_many_requests);
  EXPECT_EQ(login_error(t.db(), "a@alpha.id", "correct horse battery", "10.1.1.1", p), ErrorCode::internal);  // succeeds
}

TEST(Auth, PasswordChangeEndsOtherSessions) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auto s1 = auth::login(t.db(), "a@alpha.id", "correct horse battery", "1.1.1.1", "ua", "r");
  auto s2 = auth::login(t.db(), "a@alpha.id", "correct horse battery", "1.1.1.1", "ua", "r");
  Actor actor{s1.user.id, s1.user.email, s1.user.name, {}, {}, {}};
  EXPECT_THROW(auth::change_password(t.db(), actor, s1.id, "wrong current", "a new password"), Error);
  auth::change_password(t.db(), actor, s1.id, "correct horse battery", "a new password");
  t.db().read([&](db::Connection& c) {
    EXPECT_TRUE(auth::from_session(c, s1.token));
    EXPECT_FALSE(auth::from_session(c, s2.token));
  });
  EXPECT_NO_THROW(auth::login(t.db(), "a@alpha.id", "a new password", "1.1.1.1", "ua", "r"));
}

TEST(Auth, ApiTokensWorkUntilRevokedAndOnlyByTheirOwner) {
  TestDatabase t;
  auto a = t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auto b = t.org_with_member("alpha", Role::viewer, "b@alpha.id");
  auto tok = t.db().write_value([&](db::Connection& c) { return auth::create_token(c, a.actor(), a.actor().user_id, "script"); });
  EXPECT_EQ(tok.secret.rfind("gotong_", 0), 0u);
  auto who = auth::from_api_token(t.db(), tok.secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->actor.user_id, a.actor().user_id);
  EXPECT_FALSE(auth::from_api_token(t.db(), "gotong_not-a-token"));
  EXPECT_THROW(t.db().write([&](db::Connection& c) { auth::revoke_token(c, b.actor(), tok.id); }), Error);
  t.db().write([&](db::Connection& c) { auth::revoke_token(c, a.actor(), tok.id); });
  EXPECT_FALSE(auth::from_api_token(t.db(), tok.secret));
  auto listed = t.db().read_value([&](db::Connection& c) { return auth::list_tokens(c, a.actor().user_id); });
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].revoked_at);
  EXPECT_TRUE(listed[0].secret.empty());
}

}  // namespace gotong::domain
