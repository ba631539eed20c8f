#include "domain/demo_workspace.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "domain/accounts.hpp"
#include "domain/areas.hpp"
#include "domain/demo.hpp"
#include "domain/demo_survey.hpp"
#include "domain/demo_workspace_parts.hpp"
#include "domain/forms.hpp"

namespace gotong::domain::demo_workspace {

namespace detail {

namespace {
constexpr const char* kVillageCode = "53.02.03.2003";

std::pair<OrgScope, std::int64_t> as_user(db::Connection& c, const char* email) {
  auto user = accounts::find_user(c, email);
  if (!user) throw Error(ErrorCode::internal, std::string("the demo user ") + email + " is missing");
  Actor actor{user->id, user->email, user->name, std::nullopt, {}, {}};
  return {resolve_scope(c, actor, demo::kOrgSlug), user->id};
}
}  // namespace

People people(db::Connection& c) {
  auto org = accounts::find_organisation(c, demo::kOrgSlug);
  if (!org) throw Error(ErrorCode::internal, "the demo organisation is missing");
  auto [coordinator, coordinator_id] = as_user(c, "koordinator@demo.gotong.id");
  auto [officer, officer_id] = as_user(c, "petugas@demo.gotong.id");
  auto [partner, partner_id] = as_user(c, "mitra@demo.gotong.id");
  return People{OrgScope::for_cli(org->id, org->slug),
                coordinator,
                officer,
                partner,
                coordinator_id,
                officer_id,
                partner_id};
}

Place place(db::Connection& c, const OrgScope& s) {
  Place p;
  auto village = areas::find_by_code(c, kVillageCode);
  if (!village) throw Error(ErrorCode::internal, "the demo village is missing from the regions list");
  p.village_id = village->id;
  auto dusun = areas::children(c, s, village->id);
  std::sort(dusun.begin(), dusun.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  for (const auto& d : dusun) p.dusun.push_back(d.id);
  if (p.dusun.size() != 4) throw Error(ErrorCode::internal, "the demo village should have four dusun");
  p.form_id = forms::get_by_xml_form_id(c, s, demo_survey::kFormId).id;
  return p;
}

}  // namespace detail

Result load(db::Database& db) {
  Result r;
  auto [who, where, program] = db.read_value([](db::Connection& c) {
    auto who = detail::people(c);
    auto where = detail::place(c, who.admin);
    auto program = detail::find_program(c, who.admin.org_id());
    return std::make_tuple(std::move(who), std::move(where), program);
  });
  if (!program) {
    // One job: the design and field parts appear together or not at all.
    program = db.write_value([&](db::Connection& c) {
      auto design = detail::write_design(c, who, where);
      detail::write_field(c, who, where, design);
      return design.program_id;
    });
    r.program_created = true;
  }
  r.indicators_created = detail::write_indicators(db, who, *program, where.form_id);
  return r;
}

}  // namespace gotong::domain::demo_workspace
