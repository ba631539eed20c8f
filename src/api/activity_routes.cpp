// Activities of a program (under its results framework), their events, and the reach of an
// activity or a program (sessions held, people reached, unique people reached).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/activities.hpp"
#include "domain/attendance.hpp"
#include "domain/programs.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace act = domain::activities;
namespace att = domain::attendance;
using domain::Permission;

namespace {

http::Response activity_response(int status, const act::Activity& a) {
  return versioned_response(status, act::to_json(a), a.version);
}
http::Response event_response(int status, const act::Event& e) {
  return versioned_response(status, act::to_json(e), e.version);
}

// ?from=&to=&as_of= of the reach routes.
att::ReachFilter reach_filter(const Query& q) {
  att::ReachFilter f;
  f.from = q.get_date("from");
  f.to = q.get_date("to");
  f.as_of = q.get_date("as_of").value_or("");
  return f;
}

bj::object reach_json(const att::ReachFilter& f, const att::Reach& r) {
  bj::object o = att::to_json(r);
  o["program_id"] = std::to_string(f.program_id);
  o["activity_id"] = f.activity_id ? bj::value(std::to_string(*f.activity_id)) : bj::value();
  o["from"] = f.from ? bj::value(*f.from) : bj::value();
  o["to"] = f.to ? bj::value(*f.to) : bj::value();
  o["as_of"] = f.as_of;
  return o;
}

std::string today() { return format_iso8601(now_millis()).substr(0, 10); }

}  // namespace

void add_activity_routes(Routes& r) {
  // ?status=&result_node=&responsible_user=&from=&to=
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/activities", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          Query q = call.query();
          act::Filter f;
          f.status = q.get("status");
          f.result_node_id = q.get_int("result_node");
          f.responsible_user_id = q.get_int("responsible_user");
          f.from = q.get_date("from");
          f.to = q.get_date("to");
          int limit = q.limit(50, 200);
          auto page = call.db().read_value(
              [&](db::Connection& c) { return act::list(c, call.org(), id, f, q.get("cursor"), limit); });
          bj::array items;
          for (const auto& a : page.items) items.push_back(act::to_json(a));
          return page_response(std::move(items), page.next_cursor);
        });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/activities", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = act::parse_input(call.body());
          auto a =
              call.db().write_value([&](db::Connection& c) { return act::create(c, call.org(), id, in); });
          return activity_response(201, a);
        });

  r.add("GET", "/api/v1/orgs/{org}/activities/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto a = call.db().read_value([&](db::Connection& c) { return act::get(c, call.org(), id); });
    return activity_response(200, a);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/activities/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = act::parse_input(call.body());
          auto version = call.if_match();
          auto a = call.db().write_value(
              [&](db::Connection& c) { return act::update(c, call.org(), id, version, in); });
          return activity_response(200, a);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/activities/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { act::remove(c, call.org(), id, version); });
          return no_content();
        });

  // -- events -----------------------------------------------------------------------------
  // ?kind=&from=&to=
  r.add("GET", "/api/v1/orgs/{org}/activities/{id}/events", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    Query q = call.query();
    act::EventFilter f{q.get("kind"), q.get_date("from"), q.get_date("to")};
    int limit = q.limit(100, 500);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return act::events(c, call.org(), id, f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& e : page.items) items.push_back(act::to_json(e));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/activities/{id}/events", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = act::parse_event_input(call.body());
          auto e = call.db().write_value(
              [&](db::Connection& c) { return act::create_event(c, call.org(), id, in); });
          return event_response(201, e);
        });

  r.add("GET", "/api/v1/orgs/{org}/events/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto e = call.db().read_value([&](db::Connection& c) { return act::get_event(c, call.org(), id); });
    return event_response(200, e);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/events/{id}", Access::member, Permission::edit_programs, [](Call& call) {
    auto id = call.id_param("id");
    auto in = act::parse_event_input(call.body());
    auto version = call.if_match();
    auto e = call.db().write_value(
        [&](db::Connection& c) { return act::update_event(c, call.org(), id, version, in); });
    return event_response(200, e);
  });

  r.add("DELETE", "/api/v1/orgs/{org}/events/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { act::remove_event(c, call.org(), id, version); });
          return no_content();
        });

  // -- reach ------------------------------------------------------------------------------
  // ?activity=&from=&to=&as_of=
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/reach", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    auto f = reach_filter(q);
    f.program_id = call.id_param("id");
    f.activity_id = q.get_int("activity");
    if (f.as_of.empty()) f.as_of = today();
    auto reach = call.db().read_value([&](db::Connection& c) { return att::reach(c, call.org(), f); });
    return json_response(200, reach_json(f, reach));
  });

  r.add("GET", "/api/v1/orgs/{org}/activities/{id}/reach", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    auto f = reach_filter(q);
    f.activity_id = call.id_param("id");
    if (f.as_of.empty()) f.as_of = today();
    auto reach = call.db().read_value([&](db::Connection& c) {
      f.program_id = act::get(c, call.org(), *f.activity_id).program_id;
      return att::reach(c, call.org(), f);
    });
    return json_response(200, reach_json(f, reach));
  });
}

}  // namespace gotong::api
