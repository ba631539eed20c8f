// Areas: browse and search the official regions with the organisation's own sub-areas, and
// manage those sub-areas (dusun, RW, RT).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/areas.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace areas = domain::areas;
using domain::Permission;

void add_area_routes(Routes& r) {
  // ?parent=ID lists children (no parent: the provinces); ?q=TEXT searches by name.
  r.add("GET", "/api/v1/orgs/{org}/areas", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    auto text = q.get("q");
    auto parent = q.get_int("parent");
    int limit = q.limit(20, 100);
    bj::array items;
    call.db().read([&](db::Connection& c) {
      auto found = text ? areas::search(c, call.org(), *text, limit) : areas::children(c, call.org(), parent);
      for (const auto& a : found) items.push_back(areas::to_json(a));
    });
    return page_response(std::move(items), std::nullopt);
  });

  r.add("GET", "/api/v1/orgs/{org}/areas/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto a = call.db().read_value([&](db::Connection& c) { return areas::get(c, call.org(), id); });
    return versioned_response(200, areas::to_json(a), a.version);
  });

  r.add("POST", "/api/v1/orgs/{org}/areas", Access::member, Permission::manage_areas, [](Call& call) {
    auto body = call.body();
    auto parent = json::optional_id(body, "parent_id");
    if (!parent) throw invalid_field("parent_id", "is required");
    std::string name = json::required_string(body, "name", 120);
    std::string kind = json::optional_string(body, "kind", 20).value_or("dusun");
    auto a = call.db().write_value([&](db::Connection& c) { return areas::create(c, call.org(), *parent, name, kind); });
    return versioned_response(201, areas::to_json(a), a.version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/areas/{id}", Access::member, Permission::manage_areas, [](Call& call) {
    auto id = call.id_param("id");
    auto body = call.body();
    auto version = call.if_match();
    std::string name = json::required_string(body, "name", 120);
    auto a = call.db().write_value([&](db::Connection& c) { return areas::rename(c, call.org(), id, version, name); });
    return versioned_response(200, areas::to_json(a), a.version);
  });

  r.add("DELETE", "/api/v1/orgs/{org}/areas/{id}", Access::member, Permission::manage_areas, [](Call& call) {
    auto id = call.id_param("id");
    call.db().write([&](db::Connection& c) { areas::remove(c, call.org(), id); });
    return no_content();
  });
}

}  // namespace gotong::api
