// Indicators: definitions per program, their values per period with targets and status, the
// program dashboard, full recomputation, and values entered by hand with their approval.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/indicators.hpp"
#include "domain/indicators_entries.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace indicators = domain::indicators;
using domain::Permission;

namespace {

http::Response indicator_response(int status, const bj::object& o, std::int64_t version) {
  return versioned_response(status, o, version);
}

http::Response entry_response(int status, const indicators::Entry& e) {
  return versioned_response(status, indicators::to_json(e), e.version);
}

}  // namespace

void add_indicator_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/indicators", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto items = call.db().read_value([&](db::Connection& c) {
            bj::array out;
            for (const auto& ind : indicators::list(c, call.org(), id))
              out.push_back(indicators::to_json(c, ind));
            return out;
          });
          return page_response(std::move(items), std::nullopt);
        });

  // A computed indicator is computed in full before the answer (the values are there at once).
  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/indicators", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = indicators::parse_input(call.body());
          std::int64_t version = 0;
          auto body = call.db().write_value([&](db::Connection& c) {
            auto ind = indicators::create(c, call.org(), id, in);
            version = ind.version;
            return indicators::to_json(c, ind);
          });
          return indicator_response(201, body, version);
        });

  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/dashboard", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto body = call.db().read_value(
              [&](db::Connection& c) { return indicators::dashboard_json(c, call.org(), id); });
          return json_response(200, body);
        });

  r.add("GET", "/api/v1/orgs/{org}/indicators/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    std::int64_t version = 0;
    auto body = call.db().read_value([&](db::Connection& c) {
      auto ind = indicators::get(c, call.org(), id);
      version = ind.version;
      return indicators::to_json(c, ind);
    });
    return indicator_response(200, body, version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/indicators/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = indicators::parse_input(call.body());
          auto expected = call.if_match();
          std::int64_t version = 0;
          auto body = call.db().write_value([&](db::Connection& c) {
            auto ind = indicators::update(c, call.org(), id, expected, in);
            version = ind.version;
            return indicators::to_json(c, ind);
          });
          return indicator_response(200, body, version);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/indicators/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto expected = call.if_match();
          call.db().write([&](db::Connection& c) { indicators::remove(c, call.org(), id, expected); });
          return no_content();
        });

  r.add("GET", "/api/v1/orgs/{org}/indicators/{id}/values", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto body =
        call.db().read_value([&](db::Connection& c) { return indicators::values_json(c, call.org(), id); });
    return json_response(200, body);
  });

  r.add("POST", "/api/v1/orgs/{org}/indicators/{id}/recompute", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto result = call.db().write_value(
              [&](db::Connection& c) { return indicators::recompute(c, call.org(), id); });
          return json_response(200, bj::object{{"submissions", result.submissions},
                                               {"rows", result.rows},
                                               {"differences", result.differences},
                                               {"milliseconds", result.milliseconds}});
        });

  // -- values entered by hand ---------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/indicators/{id}/entries", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          Query q = call.query();
          auto items = call.db().read_value([&](db::Connection& c) {
            bj::array out;
            for (const auto& e : indicators::entries(c, call.org(), id, q.get("state"), q.get("period")))
              out.push_back(indicators::to_json(e));
            return out;
          });
          return page_response(std::move(items), std::nullopt);
        });

  r.add("POST", "/api/v1/orgs/{org}/indicators/{id}/entries", Access::member, Permission::collect_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = indicators::parse_entry_input(call.body());
          auto e = call.db().write_value(
              [&](db::Connection& c) { return indicators::create_entry(c, call.org(), id, in); });
          return entry_response(201, e);
        });

  r.add("GET", "/api/v1/orgs/{org}/indicator-entries/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto e =
        call.db().read_value([&](db::Connection& c) { return indicators::get_entry(c, call.org(), id); });
    return entry_response(200, e);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/indicator-entries/{id}", Access::member, Permission::collect_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = indicators::parse_entry_input(call.body());
          auto expected = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return indicators::update_entry(c, call.org(), id, expected, in); });
          return entry_response(200, e);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/indicator-entries/{id}", Access::member, Permission::collect_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto expected = call.if_match();
          call.db().write([&](db::Connection& c) { indicators::remove_entry(c, call.org(), id, expected); });
          return no_content();
        });

  r.add("POST", "/api/v1/orgs/{org}/indicator-entries/{id}/submit", Access::member, Permission::collect_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto expected = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return indicators::submit_entry(c, call.org(), id, expected); });
          return entry_response(200, e);
        });

  r.add("POST", "/api/v1/orgs/{org}/indicator-entries/{id}/approve", Access::member,
        Permission::approve_values, [](Call& call) {
          auto id = call.id_param("id");
          auto expected = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return indicators::approve_entry(c, call.org(), id, expected); });
          return entry_response(200, e);
        });

  r.add("POST", "/api/v1/orgs/{org}/indicator-entries/{id}/return", Access::member,
        Permission::approve_values, [](Call& call) {
          auto id = call.id_param("id");
          auto reason = json::optional_string(call.body(), "reason", 10000);
          if (!reason) throw invalid_field("reason", "is required: say what to correct");
          auto expected = call.if_match();
          auto e = call.db().write_value([&](db::Connection& c) {
            return indicators::return_entry(c, call.org(), id, expected, *reason);
          });
          return entry_response(200, e);
        });
}

}  // namespace gotong::api
