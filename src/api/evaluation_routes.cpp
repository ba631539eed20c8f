// Evaluations of programs: baseline and endline rounds, outcome variables, comparison areas, the
// OECD-DAC criteria and lessons; the results table computed from the submissions.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "domain/evaluations.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace ev = domain::evaluations;
using domain::Permission;

namespace {

http::Response evaluation_response(int status, const ev::Evaluation& e) {
  return versioned_response(status, ev::to_json(e), e.version);
}

}  // namespace

void add_evaluation_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/evaluation-criteria", Access::member, Permission::read,
        [](Call&) { return json_response(200, ev::criteria_reference()); });

  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/evaluations", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto list = call.db().read_value([&](db::Connection& c) { return ev::list(c, call.org(), id); });
          bj::array items;
          for (const auto& e : list) items.push_back(ev::to_json(e));
          return page_response(std::move(items), std::nullopt);
        });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/evaluations", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = ev::parse_input(call.body());
          auto e =
              call.db().write_value([&](db::Connection& c) { return ev::create(c, call.org(), id, in); });
          return evaluation_response(201, e);
        });

  r.add("GET", "/api/v1/orgs/{org}/evaluations/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto e = call.db().read_value([&](db::Connection& c) { return ev::get(c, call.org(), id); });
    return evaluation_response(200, e);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/evaluations/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = ev::parse_input(call.body());
          auto version = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return ev::update(c, call.org(), id, version, in); });
          return evaluation_response(200, e);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/evaluations/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { ev::remove(c, call.org(), id, version); });
          return no_content();
        });

  r.add("GET", "/api/v1/orgs/{org}/evaluations/{id}/results", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          return json_response(
              200, call.db().read_value([&](db::Connection& c) { return ev::results(c, call.org(), id); }));
        });
}

}  // namespace gotong::api
