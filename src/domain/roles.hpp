// Roles and what each may do: the one place where access rules live. Handlers name the
// permission they need; nothing else compares role names.
#pragma once

#include <optional>
#include <string_view>

namespace gotong::domain {

enum class Role { admin, coordinator, field_officer, partner, viewer };

std::string_view role_name(Role r);            // "field_officer"
std::optional<Role> parse_role(std::string_view s);  // accepts "field_officer" and "field-officer"

enum class Permission {
  read,                // see the organisation's data
  manage_members,      // add users, change roles, remove members
  manage_organisation, // rename, settings
  read_audit,          // read the audit log
  manage_areas,        // add or change the organisation's own sub-areas
  edit_programs,       // problems, programs, indicators, stakeholders, budget
  collect_data,        // submit data, record attendance
  review_data,         // approve or reject submissions
  manage_forms,        // upload, publish, close forms
  approve_values,      // approve or return indicator values entered by hand
};

bool allows(Role role, Permission p);

}  // namespace gotong::domain
