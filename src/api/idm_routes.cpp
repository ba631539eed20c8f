// The Village Development Index: the indicator list, assessments per village and year (entered
// or imported from CSV), a village's history, the weakest indicators of an assessment, and the
// links from IDM indicators to problems and programs.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/text.hpp"
#include "domain/idm.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace idm = domain::idm;
using domain::Permission;

namespace {

http::Response assessment_response(int status, const idm::Assessment& a) {
  return versioned_response(status, idm::to_json(a), a.version);
}

}  // namespace

void add_idm_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/idm/indicators", Access::member, Permission::read, [](Call&) {
    bj::array items;
    for (const auto& i : idm::indicators()) items.push_back(idm::to_json(i));
    return json_response(200, bj::object{{"items", std::move(items)}});
  });

  // ?area= (a village, or every village below a district/regency/province) &year=
  r.add("GET", "/api/v1/orgs/{org}/idm/assessments", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    idm::Filter f;
    f.area_id = q.get_int("area");
    if (auto y = q.get_int("year")) f.year = static_cast<int>(*y);
    const int limit = q.limit(50, 200);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return idm::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& a : page.items) items.push_back(idm::to_json(a));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/idm/assessments", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto in = idm::parse_input(call.body());
          auto a = call.db().write_value([&](db::Connection& c) { return idm::create(c, call.org(), in); });
          return assessment_response(201, a);
        });

  r.add("GET", "/api/v1/orgs/{org}/idm/assessments/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto a = call.db().read_value([&](db::Connection& c) { return idm::get(c, call.org(), id); });
    return assessment_response(200, a);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/idm/assessments/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = idm::parse_input(call.body());
          auto version = call.if_match();
          auto a = call.db().write_value(
              [&](db::Connection& c) { return idm::update(c, call.org(), id, version, in); });
          return assessment_response(200, a);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/idm/assessments/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { idm::remove(c, call.org(), id, version); });
          return no_content();
        });

  // ?limit= (default 10)
  r.add("GET", "/api/v1/orgs/{org}/idm/assessments/{id}/weakest", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          const int limit = call.query().limit(10, 100);
          return json_response(200, call.db().read_value([&](db::Connection& c) {
            return idm::weakest(c, call.org(), id, limit);
          }));
        });

  // text/csv: desa,tahun,indikator,skor[,catatan]; all rows or nothing.
  r.add("POST", "/api/v1/orgs/{org}/idm/import", Access::member, Permission::edit_programs, [](Call& call) {
    const std::string ct =
        text::to_lower_ascii(std::string(call.req.headers.get("Content-Type").value_or("")));
    if (ct.rfind("text/csv", 0) != 0 && ct.rfind("text/plain", 0) != 0)
      throw Error(ErrorCode::unsupported_media_type,
                  "send the file as Content-Type: text/csv (columns desa, tahun, indikator, skor, catatan)");
    auto result = call.db().write_value(
        [&](db::Connection& c) { return idm::import_csv(c, call.org(), call.req.body); });
    bj::array created, updated;
    for (const auto& a : result.created) created.push_back(idm::to_json(a));
    for (const auto& a : result.updated) updated.push_back(idm::to_json(a));
    return json_response(
        200,
        bj::object{{"rows", result.rows}, {"created", std::move(created)}, {"updated", std::move(updated)}});
  });

  r.add("GET", "/api/v1/orgs/{org}/areas/{id}/idm", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    return json_response(
        200, call.db().read_value([&](db::Connection& c) { return idm::history(c, call.org(), id); }));
  });

  // ?indicator=&problem=&program=
  r.add("GET", "/api/v1/orgs/{org}/idm/links", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    idm::LinkFilter f;
    if (auto code = q.get("indicator")) {
      const auto* def = idm::find_indicator(*code);
      if (!def) throw Error(ErrorCode::bad_request, "indicator: not an IDM indicator code");
      f.indicator = def->code;
    }
    f.problem_id = q.get_int("problem");
    f.program_id = q.get_int("program");
    auto ls = call.db().read_value([&](db::Connection& c) { return idm::links(c, call.org(), f); });
    bj::array items;
    for (const auto& l : ls) items.push_back(idm::to_json(l));
    return page_response(std::move(items), std::nullopt);
  });

  r.add("POST", "/api/v1/orgs/{org}/idm/links", Access::member, Permission::edit_programs, [](Call& call) {
    auto body = call.body();
    auto l = call.db().write_value([&](db::Connection& c) { return idm::create_link(c, call.org(), body); });
    return json_response(201, idm::to_json(l));
  });

  r.add("DELETE", "/api/v1/orgs/{org}/idm/links/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          call.db().write([&](db::Connection& c) { idm::remove_link(c, call.org(), id); });
          return no_content();
        });
}

}  // namespace gotong::api
