// Problems and needs assessment: problems with filters, the bin and evidence links; prioritisation
// sessions (scoring matrix or pairwise ranking) with their scores, votes and ranking; the
// problem tree of each problem and the objective tree it turns into.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/prioritisation.hpp"
#include "domain/problem_tree.hpp"
#include "domain/problems.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace problems = domain::problems;
namespace prio = domain::prioritisation;
namespace tree = domain::problem_tree;
using domain::Permission;

namespace {

http::Response problem_response(int status, const problems::Problem& p) {
  return versioned_response(status, problems::to_json(p), p.version);
}

http::Response session_response(int status, const prio::Session& p) {
  return versioned_response(status, prio::to_json(p), p.version);
}

http::Response tree_response(int status, const tree::Tree& t) {
  return versioned_response(status, tree::to_json(t), t.version);
}

http::Response objective_response(const tree::Tree& t) {
  return versioned_response(200, tree::objective_json(t, tree::to_objectives(t.nodes)), t.version);
}

// The answer to a batch of scores or votes: the participant and all of their entries now.
http::Response entries_response(const prio::Who& who, const std::vector<prio::Entry>& es,
                                const std::string& method) {
  bj::array items;
  for (const auto& e : es) items.push_back(prio::to_json(e, method));
  return json_response(
      200, bj::object{{"participant", who.key}, {"participant_name", who.name}, {"items", std::move(items)}});
}

// The scores or votes of a session (?participant=KEY for one participant's), refused with
// `wrong_method` when the session ranks the other way.
http::Response entries_list(Call& call, std::string_view method, const char* wrong_method) {
  auto id = call.id_param("id");
  auto participant = call.query().get("participant");
  auto [actual, es] = call.db().read_value([&](db::Connection& c) {
    return std::pair(prio::get(c, call.org(), id).method, prio::entries(c, call.org(), id, participant));
  });
  if (actual != method) throw Error(ErrorCode::conflict, wrong_method);
  bj::array items;
  for (const auto& e : es) items.push_back(prio::to_json(e, actual));
  return page_response(std::move(items), std::nullopt);
}

}  // namespace

void add_problem_routes(Routes& r) {
  // ?q=words&area=ID&tag=6|sector&source=survey&status=open&deleted=true; newest first.
  r.add("GET", "/api/v1/orgs/{org}/problems", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    problems::Filter f;
    f.text = q.get("q");
    f.area_id = q.get_int("area");
    f.tag = q.get("tag");
    f.source = q.get("source");
    f.status = q.get("status");
    f.deleted = q.get("deleted").value_or("") == "true";
    int limit = q.limit(50, 200);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return problems::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& p : page.items) items.push_back(problems::to_json(p));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/problems", Access::member, Permission::edit_programs, [](Call& call) {
    auto in = problems::parse_input(call.body());
    auto p = call.db().write_value([&](db::Connection& c) { return problems::create(c, call.org(), in); });
    return problem_response(201, p);
  });

  r.add("GET", "/api/v1/orgs/{org}/problems/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto p = call.db().read_value([&](db::Connection& c) { return problems::get(c, call.org(), id); });
    return problem_response(200, p);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/problems/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = problems::parse_input(call.body());
          auto version = call.if_match();
          auto p = call.db().write_value(
              [&](db::Connection& c) { return problems::update(c, call.org(), id, version, in); });
          return problem_response(200, p);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/problems/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto p = call.db().write_value(
              [&](db::Connection& c) { return problems::remove(c, call.org(), id, version); });
          return problem_response(200, p);
        });

  r.add("POST", "/api/v1/orgs/{org}/problems/{id}/restore", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto p = call.db().write_value(
              [&](db::Connection& c) { return problems::restore(c, call.org(), id, version); });
          return problem_response(200, p);
        });

  r.add("POST", "/api/v1/orgs/{org}/problems/{id}/evidence", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = problems::parse_evidence(call.body());
          auto e = call.db().write_value(
              [&](db::Connection& c) { return problems::add_evidence(c, call.org(), id, in); });
          return json_response(201, problems::to_json(e));
        });

  r.add("DELETE", "/api/v1/orgs/{org}/problems/{id}/evidence/{evidence}", Access::member,
        Permission::edit_programs, [](Call& call) {
          auto id = call.id_param("id");
          auto evidence = call.id_param("evidence");
          call.db().write([&](db::Connection& c) { problems::remove_evidence(c, call.org(), id, evidence); });
          return no_content();
        });

  // -- the problem tree -------------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/problems/{id}/tree", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto t = call.db().read_value([&](db::Connection& c) { return tree::get(c, call.org(), id); });
    return tree_response(200, t);
  });

  r.add("PUT", "/api/v1/orgs/{org}/problems/{id}/tree", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto nodes = tree::parse_nodes(call.body());
          auto version = call.if_match();
          auto t = call.db().write_value(
              [&](db::Connection& c) { return tree::replace(c, call.org(), id, version, nodes); });
          return tree_response(200, t);
        });

  r.add("GET", "/api/v1/orgs/{org}/problems/{id}/objective-tree", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto t = call.db().read_value([&](db::Connection& c) { return tree::get(c, call.org(), id); });
          return objective_response(t);
        });

  r.add("PATCH", "/api/v1/orgs/{org}/problems/{id}/objective-tree", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto texts = tree::parse_objectives(call.body());
          auto version = call.if_match();
          auto t = call.db().write_value(
              [&](db::Connection& c) { return tree::set_objectives(c, call.org(), id, version, texts); });
          return objective_response(t);
        });

  // -- prioritisation sessions ------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/prioritisations", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    prio::Filter f{q.get("status"), q.get("method")};
    int limit = q.limit(50, 200);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return prio::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& p : page.items) items.push_back(prio::to_json(p));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/prioritisations", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto in = prio::parse_input(call.body());
          auto p = call.db().write_value([&](db::Connection& c) { return prio::create(c, call.org(), in); });
          return session_response(201, p);
        });

  r.add("GET", "/api/v1/orgs/{org}/prioritisations/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto p = call.db().read_value([&](db::Connection& c) { return prio::get(c, call.org(), id); });
    return session_response(200, p);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/prioritisations/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = prio::parse_input(call.body());
          auto version = call.if_match();
          auto p = call.db().write_value(
              [&](db::Connection& c) { return prio::update(c, call.org(), id, version, in); });
          return session_response(200, p);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/prioritisations/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { prio::remove(c, call.org(), id, version); });
          return no_content();
        });

  r.add("POST", "/api/v1/orgs/{org}/prioritisations/{id}/close", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto p = call.db().write_value(
              [&](db::Connection& c) { return prio::close(c, call.org(), id, version); });
          return session_response(200, p);
        });

  // ?participant=KEY ("user:5", "name:ibu maria") for one participant's entries.
  r.add("GET", "/api/v1/orgs/{org}/prioritisations/{id}/scores", Access::member, Permission::read,
        [](Call& call) {
          return entries_list(call, "scoring",
                              "this session ranks problems by pairwise votes; see its votes");
        });

  r.add("POST", "/api/v1/orgs/{org}/prioritisations/{id}/scores", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto body = call.body();
          auto who = prio::participant(call.org(), json::optional_string(body, "participant", 1000));
          auto scores = prio::parse_scores(body);
          auto es = call.db().write_value(
              [&](db::Connection& c) { return prio::record_scores(c, call.org(), id, who, scores); });
          return entries_response(who, es, "scoring");
        });

  r.add("GET", "/api/v1/orgs/{org}/prioritisations/{id}/votes", Access::member, Permission::read,
        [](Call& call) {
          return entries_list(call, "pairwise",
                              "this session ranks problems with a scoring matrix; see its scores");
        });

  r.add("POST", "/api/v1/orgs/{org}/prioritisations/{id}/votes", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto body = call.body();
          auto who = prio::participant(call.org(), json::optional_string(body, "participant", 1000));
          auto votes = prio::parse_votes(body);
          auto es = call.db().write_value(
              [&](db::Connection& c) { return prio::record_votes(c, call.org(), id, who, votes); });
          return entries_response(who, es, "pairwise");
        });

  r.add("GET", "/api/v1/orgs/{org}/prioritisations/{id}/ranking", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto out =
              call.db().read_value([&](db::Connection& c) { return prio::ranking(c, call.org(), id); });
          return json_response(200, out);
        });
}

}  // namespace gotong::api
