// The 4W matrix (who, what, where, when; people targeted and reached by sex) across the programs
// the caller sees: JSON, and CSV with the HXL hashtag row second.
#include <boost/json.hpp>
#include <cctype>

#include "api/api.hpp"
#include "base/error.hpp"
#include "domain/four_w.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace fw = domain::four_w;
using domain::Permission;

namespace {

// ?program=&from=&to=&area=
fw::Filter filter_of(const Query& q) {
  fw::Filter f;
  f.program_id = q.get_int("program");
  f.from = q.get_date("from");
  f.to = q.get_date("to");
  f.area_id = q.get_int("area");
  if (f.from && f.to && *f.to < *f.from) throw Error(ErrorCode::bad_request, "to is before from");
  return f;
}

bj::value text_or_null(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(); }

}  // namespace

void add_four_w_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/4w", Access::member, Permission::read, [](Call& call) {
    const fw::Filter f = filter_of(call.query());
    auto rows = call.db().read_value([&](db::Connection& c) { return fw::matrix(c, call.org(), f); });
    bj::array items;
    for (const auto& row : rows) items.push_back(fw::to_json(row));
    return json_response(
        200, bj::object{{"items", std::move(items)},
                        {"program_id", f.program_id ? bj::value(std::to_string(*f.program_id)) : bj::value()},
                        {"from", text_or_null(f.from)},
                        {"to", text_or_null(f.to)},
                        {"area_id", f.area_id ? bj::value(std::to_string(*f.area_id)) : bj::value()}});
  });

  r.add("GET", "/api/v1/orgs/{org}/4w.csv", Access::member, Permission::read, [](Call& call) {
    const fw::Filter f = filter_of(call.query());
    auto rows = call.db().read_value([&](db::Connection& c) { return fw::matrix(c, call.org(), f); });
    http::Response res;
    res.headers.set("Content-Type", "text/csv; charset=utf-8");
    std::string name = "4w-";  // the organisation as named in the path, reduced to what a header may hold
    for (char ch : call.param("org"))
      if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')
        name.push_back(ch);
    res.headers.set("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.headers.set("Cache-Control", "no-store");
    res.body = fw::to_csv(rows);
    return res;
  });
}

}  // namespace gotong::api
