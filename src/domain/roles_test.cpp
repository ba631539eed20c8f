#include "domain/roles.hpp"

#include <gtest/gtest.h>

namespace gotong::domain {

TEST(Roles, NamesRoundTrip) {
  for (Role r : {Role::admin, Role::coordinator, Role::field_officer, Role::partner, Role::viewer})
    EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_EQ(parse_role("field-officer"), Role::field_officer);
  EXPECT_FALSE(parse_role("superuser"));
  EXPECT_FALSE(parse_role("Admin"));
}

TEST(Roles, OnlyAdminsManageMembersAndReadTheAudit) {
  EXPECT_TRUE(allows(Role::admin, Permission::manage_members));
  EXPECT_TRUE(allows(Role::admin, Permission::read_audit));
  for (Role r : {Role::coordinator, Role::field_officer, Role::partner, Role::viewer}) {
    EXPECT_FALSE(allows(r, Permission::manage_members)) << role_name(r);
    EXPECT_FALSE(allows(r, Permission::read_audit)) << role_name(r);
  }
}

TEST(Roles, ViewersOnlyRead) {
  EXPECT_TRUE(allows(Role::viewer, Permission::read));
  for (Permission p : {Permission::manage_areas, Permission::edit_programs, Permission::collect_data,
                       Permission::review_data, Permission::manage_forms, Permission::manage_organisation})
    EXPECT_FALSE(allows(Role::viewer, p));
}

TEST(Roles, FieldOfficersCollectButDoNotReview) {
  EXPECT_TRUE(allows(Role::field_officer, Permission::collect_data));
  EXPECT_FALSE(allows(Role::field_officer, Permission::review_data));
  EXPECT_FALSE(allows(Role::field_officer, Permission::edit_programs));
  EXPECT_TRUE(allows(Role::coordinator, Permission::review_data));
}

}  // namespace gotong::domain
