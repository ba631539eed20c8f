#include "domain/roles.hpp"

#include <initializer_list>

namespace gotong::domain {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::admin: return "admin";
    case Role::coordinator: return "coordinator";
    case Role::field_officer: return "field_officer";
    case Role::partner: return "partner";
    case Role::viewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : {Role::admin, Role::coordinator, Role::field_officer, Role::partner, Role::viewer}) {
    if (s == role_name(r)) return r;
  }
  if (s == "field-officer") return Role::field_officer;
  return std::nullopt;
}

bool allows(Role role, Permission p) {
  switch (p) {
    case Permission::read: return true;
    case Permission::manage_members:
    case Permission::manage_organisation:
    case Permission::read_audit: return role == Role::admin;
    case Permission::manage_areas:
    case Permission::edit_programs:
    case Permission::review_data:
    case Permission::approve_values:
    case Permission::manage_forms: return role == Role::admin || role == Role::coordinator;
    case Permission::collect_data:
      return role == Role::admin || role == Role::coordinator || role == Role::field_officer ||
             role == Role::partner;
  }
  return false;
}

}  // namespace gotong::domain
