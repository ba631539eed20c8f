// GET /api/v1/health and the OpenAPI document.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/resources.hpp"
#include "db/migrations.hpp"

namespace gotong::api {

namespace bj = boost::json;

void add_system_routes(Routes& r) {
  r.add("GET", "/api/v1/health", Access::open, std::nullopt, [](Call& call) {
    auto level = call.db().read_value([](db::Connection& c) {
      return c.query_int("SELECT MAX(version) FROM schema_migrations").value_or(0);
    });
    return json_response(200, bj::object{{"status", "ok"},
                                         {"version", call.svc.settings.version},
                                         {"database", bj::object{{"engine", db::engine_name(call.db().engine())},
                                                                 {"migration", level}}}});
  });

  r.add("GET", "/api/v1/openapi.json", Access::open, std::nullopt, [](Call&) {
    auto doc = resource("openapi.json");
    if (!doc) throw Error(ErrorCode::internal, "the OpenAPI document is missing from this build");
    http::Response res;
    res.headers.set("Content-Type", "application/json");
    res.headers.set("Cache-Control", "public, max-age=300");
    res.body = std::string(*doc);
    return res;
  });
}

}  // namespace gotong::api
