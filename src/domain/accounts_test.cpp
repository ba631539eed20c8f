#include "domain/accounts.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "domain/audit.hpp"
#include "domain/test_support.hpp"

namespace gotong::domain {

using testing::TestDatabase;

TEST(Accounts, ValidatesInput) {
  EXPECT_EQ(accounts::normalise_email("  Maria@Demo.Gotong.ID "), "maria@demo.gotong.id");
  EXPECT_THROW(accounts::normalise_email("maria"), Error);
  EXPECT_THROW(accounts::normalise_email("maria@localhost"), Error);
  EXPECT_THROW(accounts::check_slug("Bad Slug"), Error);
  EXPECT_THROW(accounts::check_slug("-x"), Error);
  EXPECT_NO_THROW(accounts::check_slug("yayasan-air-2"));
  EXPECT_THROW(accounts::check_password("short"), Error);
}

TEST(Accounts, ScopeRequiresMembership) {
  TestDatabase t;
  auto a = t.org_with_member("alpha", Role::admin, "a@alpha.id");
  t.org_with_member("beta", Role::admin, "b@beta.id");
  t.db().read([&](db::Connection& c) {
    EXPECT_THROW(resolve_scope(c, a.actor(), "beta"), Error);
    EXPECT_THROW(resolve_scope(c, a.actor(), "nope"), Error);
    EXPECT_EQ(resolve_scope(c, a.actor(), "alpha").org_id(), a.org_id());
  });
}

TEST(Accounts, RenameChecksVersionAndAudits) {
  TestDatabase t;
  auto s = t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auto o = t.db().write_value([&](db::Connection& c) { return accounts::rename_organisation(c, s, 1, "Yayasan Alfa"); });
  EXPECT_EQ(o.version, 2);
  EXPECT_EQ(o.name, "Yayasan Alfa");
  try {
    t.db().write([&](db::Connection& c) { accounts::rename_organisation(c, s, 1, "Stale"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::precondition_failed);
  }
  auto log = t.db().read_value([&](db::Connection& c) { return audit::list(c, s, {.action = "organisation.update"}); });
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].before.as_object().at("name").as_string(), "Org alpha");
  EXPECT_EQ(log[0].after.as_object().at("name").as_string(), "Yayasan Alfa");
  EXPECT_EQ(log[0].actor, "a@alpha.id");
}

TEST(Accounts, NonAdminsCannotManageMembers) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auto coord = t.org_with_member("alpha", Role::coordinator, "c@alpha.id");
  try {
    t.db().write([&](db::Connection& c) { accounts::rename_organisation(c, coord, 1, "x"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::forbidden);
  }
}

TEST(Accounts, TheLastAdminStays) {
  TestDatabase t;
  auto admin = t.org_with_member("alpha", Role::admin, "a@alpha.id");
  auto err = [&](auto fn) {
    try {
      t.db().write(fn);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::internal;
  };
  EXPECT_EQ(err([&](db::Connection& c) { accounts::remove_member(c, admin, admin.actor().user_id); }), ErrorCode::conflict);
  EXPECT_EQ(err([&](db::Connection& c) { accounts::change_role(c, admin, admin.actor().user_id, 1, Role::viewer); }),
            ErrorCode::conflict);
  auto second = t.org_with_member("alpha", Role::viewer, "v@alpha.id");
  auto m = t.db().write_value([&](db::Connection& c) {
    return accounts::change_role(c, admin, second.actor().user_id, 1, Role::admin);
  });
  EXPECT_EQ(m.role, Role::admin);
  EXPECT_NO_THROW(t.db().write([&](db::Connection& c) { accounts::remove_member(c, admin, admin.actor().user_id); }));
}

TEST(Accounts, DuplicateUsersAndOrganisationsConflict) {
  TestDatabase t;
  t.org_with_member("alpha", Role::admin, "a@alpha.id");
  EXPECT_THROW(t.db().write([](db::Connection& c) { accounts::create_organisation(c, Actor::cli(), "alpha", "Again"); }),
               Error);
  EXPECT_THROW(t.db().write([](db::Connection& c) { accounts::create_user(c, Actor::cli(), "A@Alpha.id", "Again", "h"); }),
               Error);
}

}  // namespace gotong::domain
