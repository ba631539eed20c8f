// Exports of a form's submissions as a download: CSV files in a zip, XLSX, or JSON, streamed
// with chunked transfer encoding (domain/exports does the work). The query filters which
// submissions (state, from, to, submitter) and shapes the values (lang, choices,
// split_multiple, group_names, bom).
#include "api/api.hpp"
#include "base/error.hpp"
#include "domain/exports.hpp"

namespace gotong::api {

namespace exports = domain::exports;
using domain::Permission;

namespace {

bool flag(const Query& q, std::string_view name, bool fallback) {
  auto v = q.get(name);
  if (!v) return fallback;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  throw Error(ErrorCode::bad_request, "the parameter " + std::string(name) + " must be true or false");
}

exports::Options options_from(const Query& q) {
  exports::Options o;
  for (const auto& [name, value] : q.items()) {
    if (name != "state") continue;
    std::size_t start = 0;
    for (;;) {  // state=approved,received or state=approved&state=received
      auto comma = value.find(',', start);
      std::string one = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!one.empty()) o.states.push_back(one);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  o.from = q.get_time("from");
  o.to = q.get_time("to");
  o.submitter_id = q.get_int("submitter");
  o.lang = q.get("lang").value_or("");
  const std::string choices = q.get("choices").value_or("names");
  if (choices != "names" && choices != "labels")
    throw Error(ErrorCode::bad_request, "the parameter choices must be names or labels");
  o.choice_labels = choices == "labels";
  o.split_multiple = flag(q, "split_multiple", false);
  o.group_names = flag(q, "group_names", true);
  o.bom = flag(q, "bom", true);
  return o;
}

RouteHandler export_handler(exports::Format format) {
  return [format](Call& call) {
    auto id = call.id_param("id");
    auto e = exports::start(call.db(), call.org(), id, format, options_from(call.query()));
    http::Response r;
    r.headers.set("Content-Type", e.content_type);
    std::string name;  // form ids are XML names; anything odd is dropped to keep the header valid
    for (char ch : e.file_name)
      if (ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20) name.push_back(ch);
    r.headers.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
    r.headers.set("Cache-Control", "no-store");
    r.stream = std::move(e.next);
    return r;
  };
}

}  // namespace

void add_export_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/export.csv.zip", Access::member, Permission::read,
        export_handler(exports::Format::csv_zip));
  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/export.xlsx", Access::member, Permission::read,
        export_handler(exports::Format::xlsx));
  r.add("GET", "/api/v1/orgs/{org}/forms/{id}/export.json", Access::member, Permission::read,
        export_handler(exports::Format::json));
}

}  // namespace gotong::api
