// Programs: CRUD with filters, sharing with users (partners see only what is shared with
// them), the results framework (tree, nodes, templates, seeding from an objective tree).
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/programs.hpp"
#include "domain/results.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace programs = domain::programs;
namespace results = domain::results;
using domain::Permission;

namespace {
http::Response program_response(int status, const programs::Detail& d) {
  return versioned_response(status, programs::to_json(d), d.program.version);
}

struct NodeWithProgram {
  results::ResultNode node;
  programs::Program program;
};
http::Response node_response(int status, const NodeWithProgram& n) {
  return versioned_response(status, results::to_json(n.node, n.program), n.node.version);
}
}  // namespace

void add_program_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/result-templates", Access::member, Permission::read, [](Call&) {
    return json_response(200, bj::object{{"items", results::templates_json()}});
  });

  // ?status=active&area=ID&q=words; newest state of each program, sorted by name.
  r.add("GET", "/api/v1/orgs/{org}/programs", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    programs::Filter f{q.get("status"), q.get_int("area"), q.get("q")};
    int limit = q.limit(50, 200);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return programs::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& d : page.items) items.push_back(programs::to_json(d));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/programs", Access::member, Permission::edit_programs, [](Call& call) {
    auto in = programs::parse_input(call.body());
    auto d = call.db().write_value([&](db::Connection& c) { return programs::create(c, call.org(), in); });
    return program_response(201, d);
  });

  r.add("GET", "/api/v1/orgs/{org}/programs/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto d = call.db().read_value([&](db::Connection& c) { return programs::get(c, call.org(), id); });
    return program_response(200, d);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/programs/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = programs::parse_input(call.body());
          auto version = call.if_match();
          auto d = call.db().write_value(
              [&](db::Connection& c) { return programs::update(c, call.org(), id, version, in); });
          return program_response(200, d);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/programs/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { programs::remove(c, call.org(), id, version); });
          return no_content();
        });

  // -- sharing ----------------------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/members", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto ms = call.db().read_value([&](db::Connection& c) { return programs::members(c, call.org(), id); });
    bj::array items;
    for (const auto& m : ms) items.push_back(programs::to_json(m));
    return page_response(std::move(items), std::nullopt);
  });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/members", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto user = json::optional_id(call.body(), "user_id");
          if (!user) throw invalid_field("user_id", "is required");
          auto m = call.db().write_value(
              [&](db::Connection& c) { return programs::share(c, call.org(), id, *user); });
          return json_response(201, programs::to_json(m));
        });

  r.add("DELETE", "/api/v1/orgs/{org}/programs/{id}/members/{user}", Access::member,
        Permission::edit_programs, [](Call& call) {
          auto id = call.id_param("id");
          auto user = call.id_param("user");
          call.db().write([&](db::Connection& c) { programs::unshare(c, call.org(), id, user); });
          return no_content();
        });

  // -- results framework ------------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/results", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto tree = call.db().read_value([&](db::Connection& c) {
      auto p = programs::require_visible(c, call.org(), id);
      return results::tree_json(p, results::nodes(c, call.org(), id));
    });
    return json_response(200, tree);
  });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/results", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = results::parse_node_input(call.body());
          auto n = call.db().write_value([&](db::Connection& c) {
            auto node = results::create_node(c, call.org(), id, in);
            return NodeWithProgram{node, programs::require_visible(c, call.org(), id)};
          });
          return node_response(201, n);
        });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/results/seed", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto tree_id = json::optional_id(call.body(), "objective_tree_id");
          if (!tree_id) throw invalid_field("objective_tree_id", "is required");
          auto tree = call.db().write_value([&](db::Connection& c) {
            auto all = results::seed(c, call.org(), id, *tree_id);
            return results::tree_json(programs::require_visible(c, call.org(), id), all);
          });
          return json_response(201, tree);
        });

  r.add("GET", "/api/v1/orgs/{org}/result-nodes/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto n = call.db().read_value([&](db::Connection& c) {
      auto node = results::require_node(c, call.org(), id);
      return NodeWithProgram{node, programs::require_visible(c, call.org(), node.program_id)};
    });
    return node_response(200, n);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/result-nodes/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = results::parse_node_input(call.body());
          auto version = call.if_match();
          auto n = call.db().write_value([&](db::Connection& c) {
            auto node = results::update_node(c, call.org(), id, version, in);
            return NodeWithProgram{node, programs::require_visible(c, call.org(), node.program_id)};
          });
          return node_response(200, n);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/result-nodes/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { results::remove_node(c, call.org(), id, version); });
          return no_content();
        });
}

}  // namespace gotong::api
