// Feedback and complaints: received by staff, handled (status, response), the response-time
// figures, each program's public link, and the public, sign-in-free address behind that link
// (answered with the reference number only).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "domain/feedback.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace fb = domain::feedback;
using domain::Permission;

namespace {

fb::Filter filter_from(const Query& q) {
  fb::Filter f;
  f.program_id = q.get_int("program");
  f.status = q.get("status");
  f.category = q.get("category");
  f.channel = q.get("channel");
  f.reference = q.get("reference");
  f.from = q.get_time("from");
  f.to = q.get_time("to");
  return f;
}

}  // namespace

void add_feedback_routes(Routes& r) {
  // ?program=&status=&category=&channel=&reference=&from=&to= (received_at, ISO-8601)
  r.add("GET", "/api/v1/orgs/{org}/feedback", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    auto f = filter_from(q);
    int limit = q.limit(50, 500);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return fb::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& x : page.items) items.push_back(fb::to_json(x));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/feedback", Access::member, Permission::collect_data, [](Call& call) {
    auto in = fb::parse_input(call.body());
    auto f = call.db().write_value([&](db::Connection& c) { return fb::create(c, call.org(), in); });
    // Staff who may not read it afterwards (sensitive feedback) get only its reference.
    if (!fb::visible_to(call.org(), f)) return json_response(201, fb::receipt_json(f));
    return versioned_response(201, fb::to_json(f), f.version);
  });

  r.add("GET", "/api/v1/orgs/{org}/feedback/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto f = call.db().read_value([&](db::Connection& c) { return fb::get(c, call.org(), id); });
    return versioned_response(200, fb::to_json(f), f.version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/feedback/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = fb::parse_input(call.body());
          auto version = call.if_match();
          auto f = call.db().write_value(
              [&](db::Connection& c) { return fb::update(c, call.org(), id, version, in); });
          return versioned_response(200, fb::to_json(f), f.version);
        });

  // ?program=&channel=&from=&to=
  r.add("GET", "/api/v1/orgs/{org}/feedback-figures", Access::member, Permission::read, [](Call& call) {
    auto f = filter_from(call.query());
    auto figures = call.db().read_value([&](db::Connection& c) { return fb::figures(c, call.org(), f); });
    return json_response(200, fb::to_json(figures));
  });

  // -- public links -----------------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/feedback-link", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto l = call.db().read_value([&](db::Connection& c) { return fb::link(c, call.org(), id); });
          return json_response(200, fb::to_json(l, call.org().slug()));
        });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/feedback-link", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto l =
              call.db().write_value([&](db::Connection& c) { return fb::create_link(c, call.org(), id); });
          return json_response(201, fb::to_json(l, call.org().slug()));
        });

  r.add("DELETE", "/api/v1/orgs/{org}/programs/{id}/feedback-link", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          call.db().write([&](db::Connection& c) { fb::revoke_link(c, call.org(), id); });
          return no_content();
        });

  // No sign-in: the token in the address is the only key. The answer is the reference number.
  r.add("POST", "/api/v1/public/{org}/feedback/{token}", Access::open, std::nullopt, [](Call& call) {
    auto in = fb::parse_public_input(call.body());
    auto reference = fb::receive_public(call.db(), call.param("org"), call.param("token"), in,
                                        call.client_ip(), call.req.request_id);
    return json_response(201, bj::object{{"reference", reference}});
  });
}

}  // namespace gotong::api
