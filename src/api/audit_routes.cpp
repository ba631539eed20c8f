// Reading the audit log (admins only). There are deliberately no routes that change it.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "domain/audit.hpp"

namespace gotong::api {

namespace bj = boost::json;
using domain::Permission;

void add_audit_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/audit", Access::member, Permission::read_audit, [](Call& call) {
    Query q = call.query();
    domain::audit::Filter f;
    f.action = q.get("action");
    f.object_type = q.get("object_type");
    f.object_id = q.get("object_id");
    f.actor_user_id = q.get_int("actor");
    f.since = q.get_time("since");
    f.until = q.get_time("until");
    f.before_id = q.get_int("cursor");
    f.limit = q.limit(50, 500);
    bj::array items;
    std::optional<std::string> next;
    call.db().read([&](db::Connection& c) {
      auto records = domain::audit::list(c, call.org(), f);
      if (static_cast<int>(records.size()) == f.limit) next = std::to_string(records.back().id);
      for (const auto& rec : records) items.push_back(domain::audit::to_json(rec));
    });
    return page_response(std::move(items), next);
  });
}

}  // namespace gotong::api
