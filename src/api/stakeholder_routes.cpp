// Stakeholders (organisations and people, Mendelow quadrant), the engagement log and its
// follow-ups (with the overdue list).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/engagements.hpp"
#include "domain/programs.hpp"
#include "domain/stakeholders.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace st = domain::stakeholders;
namespace eng = domain::engagements;
using domain::Permission;

namespace {
http::Response stakeholder_response(int status, const st::Stakeholder& s) {
  return versioned_response(status, st::to_json(s), s.version);
}
http::Response engagement_response(int status, const eng::Engagement& e) {
  return versioned_response(status, eng::to_json(e, eng::today()), e.version);
}
http::Response follow_up_response(int status, const eng::FollowUp& f) {
  return versioned_response(status, eng::to_json(f, eng::today()), f.version);
}

}  // namespace

void add_stakeholder_routes(Routes& r) {
  // ?kind=&type=&quadrant=&program=&organisation=&q=
  r.add("GET", "/api/v1/orgs/{org}/stakeholders", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    st::Filter f;
    f.kind = q.get("kind");
    f.type = q.get("type");
    f.quadrant = q.get("quadrant");
    f.text = q.get("q");
    f.program_id = q.get_int("program");
    f.organisation_id = q.get_int("organisation");
    int limit = q.limit(50, 200);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return st::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& s : page.items) items.push_back(st::to_json(s));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/stakeholders", Access::member, Permission::edit_programs, [](Call& call) {
    auto in = st::parse_input(call.body());
    auto s = call.db().write_value([&](db::Connection& c) { return st::create(c, call.org(), in); });
    return stakeholder_response(201, s);
  });

  r.add("GET", "/api/v1/orgs/{org}/stakeholders/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto s = call.db().read_value([&](db::Connection& c) { return st::get(c, call.org(), id); });
    return stakeholder_response(200, s);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/stakeholders/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = st::parse_input(call.body());
          auto version = call.if_match();
          auto s = call.db().write_value(
              [&](db::Connection& c) { return st::update(c, call.org(), id, version, in); });
          return stakeholder_response(200, s);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/stakeholders/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { st::remove(c, call.org(), id, version); });
          return no_content();
        });

  // -- engagement log ---------------------------------------------------------------------
  // ?stakeholder=&program=&kind=&from=&to=, newest first.
  r.add("GET", "/api/v1/orgs/{org}/engagements", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    eng::Filter f;
    f.stakeholder_id = q.get_int("stakeholder");
    f.program_id = q.get_int("program");
    f.kind = q.get("kind");
    f.from = q.get_date("from");
    f.to = q.get_date("to");
    int limit = q.limit(50, 200);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return eng::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    const auto t = eng::today();
    for (const auto& e : page.items) items.push_back(eng::to_json(e, t));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/engagements", Access::member, Permission::edit_programs, [](Call& call) {
    auto in = eng::parse_input(call.body());
    auto e = call.db().write_value([&](db::Connection& c) { return eng::create(c, call.org(), in); });
    return engagement_response(201, e);
  });

  r.add("GET", "/api/v1/orgs/{org}/engagements/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto e = call.db().read_value([&](db::Connection& c) { return eng::get(c, call.org(), id); });
    return engagement_response(200, e);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/engagements/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = eng::parse_input(call.body());
          auto version = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return eng::update(c, call.org(), id, version, in); });
          return engagement_response(200, e);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/engagements/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { eng::remove(c, call.org(), id, version); });
          return no_content();
        });

  r.add("POST", "/api/v1/orgs/{org}/engagements/{id}/follow-ups", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = eng::parse_follow_up(call.body());
          auto f = call.db().write_value(
              [&](db::Connection& c) { return eng::add_follow_up(c, call.org(), id, in); });
          return follow_up_response(201, f);
        });

  // ?status=open|done&overdue=true&owner=USER&engagement=ID&as_of=YYYY-MM-DD, soonest due first.
  r.add("GET", "/api/v1/orgs/{org}/follow-ups", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    eng::FollowUpFilter f;
    f.status = q.get("status");
    if (auto o = q.get("overdue")) {
      if (*o == "true" || *o == "1")
        f.overdue = true;
      else if (*o != "false" && *o != "0")
        throw Error(ErrorCode::bad_request, "overdue must be true or false",
                    {{"overdue", "must be true or false"}});
    }
    f.owner_user_id = q.get_int("owner");
    f.engagement_id = q.get_int("engagement");
    f.as_of = q.get_date("as_of").value_or(eng::today());
    int limit = q.limit(100, 500);
    auto list =
        call.db().read_value([&](db::Connection& c) { return eng::follow_ups(c, call.org(), f, limit); });
    bj::array items;
    for (const auto& x : list) items.push_back(eng::to_json(x, f.as_of));
    return page_response(std::move(items), std::nullopt);
  });

  r.add("GET", "/api/v1/orgs/{org}/follow-ups/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto f = call.db().read_value([&](db::Connection& c) { return eng::get_follow_up(c, call.org(), id); });
    return follow_up_response(200, f);
  });

  // Permission `read` here: the owner of a follow-up may close it; the domain checks the rest.
  r.add("PATCH", "/api/v1/orgs/{org}/follow-ups/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto in = eng::parse_follow_up(call.body());
    auto version = call.if_match();
    auto f = call.db().write_value(
        [&](db::Connection& c) { return eng::update_follow_up(c, call.org(), id, version, in); });
    return follow_up_response(200, f);
  });
}

}  // namespace gotong::api
