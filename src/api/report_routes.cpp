// Program progress reports: the report for a period as PDF, XLSX, an HTML page (the web app's view
// and browser printing) or its JSON model, the narrative sections the coordinator writes for it, and the
// organisation's programs with their results as IATI 2.03 XML.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/program_report.hpp"
#include "domain/report_narratives.hpp"
#include "reports/iati_writer.hpp"
#include "reports/writers.hpp"

namespace gotong::api {

namespace narratives = domain::report_narratives;
using domain::Permission;

namespace {

http::Response download(std::string bytes, const char* content_type, const std::string& file_name) {
  http::Response r;
  r.headers.set("Content-Type", content_type);
  // file_name() gives ASCII letters, digits, '-' and '.', safe inside the quotes.
  r.headers.set("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  r.headers.set("Cache-Control", "no-store");
  r.body = std::move(bytes);
  return r;
}

narratives::Key narrative_key(const Call& call) {
  const Query q = call.query();
  return narratives::make_key(call.id_param("id"), q.get("from"), q.get("to"), q.get("lang"));
}

bool iati_ref_char(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
         ch == '_' || ch == '.';
}

reports::IatiOptions iati_options(const Call& call) {
  const Query q = call.query();
  reports::IatiOptions o;
  std::string fallback = "GOTONG-";
  for (char ch : call.org().slug()) fallback.push_back(iati_ref_char(ch) ? ch : '-');
  o.organisation_ref = q.get("org_ref").value_or(fallback);
  if (o.organisation_ref.empty() || o.organisation_ref.size() > 100)
    throw invalid_field("org_ref", "must be the organisation's IATI identifier (1 to 100 characters)");
  for (char ch : o.organisation_ref)
    if (!iati_ref_char(ch))
      throw invalid_field("org_ref",
                          "may hold only letters, digits, '-', '_' and '.' (e.g. ID-KHH-AHU-0012345)");
  o.organisation_type = q.get("org_type").value_or("22");
  static constexpr const char* kTypes[] = {"10", "11", "15", "21", "22", "23", "24", "30",
                                           "40", "60", "70", "71", "72", "73", "80", "90"};
  bool known = false;
  for (const char* t : kTypes) known = known || o.organisation_type == t;
  if (!known) throw invalid_field("org_type", "must be an IATI OrganisationType code (e.g. 22 national NGO)");
  const std::string lang = q.get("lang").value_or("id");
  if (lang != "id" && lang != "en") throw invalid_field("lang", "must be 'id' or 'en'");
  o.lang = lang == "id" ? reports::Lang::id : reports::Lang::en;
  o.generated_at = format_iso8601(now_millis()).substr(0, 19) + "Z";
  return o;
}

}  // namespace

void add_report_routes(Routes& r) {
  // ?from=&to= (days; default the program's period), lang=id|en, format=pdf|xlsx|html|json (default json)
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/report", Access::member, Permission::read, [](Call& call) {
    const Query q = call.query();
    const std::string format = q.get("format").value_or("json");
    if (format != "pdf" && format != "xlsx" && format != "json" && format != "html")
      throw invalid_field("format", "must be pdf, xlsx, html or json");
    domain::program_report::Request req;
    req.program_id = call.id_param("id");
    req.from = q.get("from");
    req.to = q.get("to");
    req.lang = q.get("lang");
    // Gathered in one read snapshot; rendered after the connection is handed back.
    const auto report = call.db().read_value(
        [&](db::Connection& c) { return domain::program_report::gather(c, call.org(), req); });
    if (format == "pdf")
      return download(reports::render_pdf(report), "application/pdf", reports::file_name(report, "pdf"));
    if (format == "xlsx")
      return download(reports::render_xlsx(report),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      reports::file_name(report, "xlsx"));
    if (format == "html") {
      http::Response res;
      res.headers.set("Content-Type", "text/html; charset=utf-8");
      // A page of our own making: inline styles only, no script, framed only by the app itself.
      res.headers.set("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
      res.headers.set("X-Frame-Options", "SAMEORIGIN");
      res.headers.set("Cache-Control", "no-store");
      res.body = reports::render_html(report);
      return res;
    }
    return json_response(200, reports::to_json(report));
  });

  // ?from=&to=&lang=
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/report/narrative", Access::member, Permission::read,
        [](Call& call) {
          const auto key = narrative_key(call);
          const auto st =
              call.db().read_value([&](db::Connection& c) { return narratives::get(c, call.org(), key); });
          return versioned_response(200, narratives::to_json(key, st), st.version);
        });

  r.add("PUT", "/api/v1/orgs/{org}/programs/{id}/report/narrative", Access::member, Permission::edit_programs,
        [](Call& call) {
          const auto key = narrative_key(call);
          const auto in = narratives::parse_input(call.body());
          const auto version = call.if_match();
          const auto st = call.db().write_value(
              [&](db::Connection& c) { return narratives::put(c, call.org(), key, version, in); });
          return versioned_response(200, narratives::to_json(key, st), st.version);
        });

  // ?org_ref= (the organisation's IATI identifier), org_type= (IATI OrganisationType), lang=
  r.add("GET", "/api/v1/orgs/{org}/iati.xml", Access::member, Permission::read, [](Call& call) {
    const auto options = iati_options(call);
    const auto file = call.db().read_value(
        [&](db::Connection& c) { return domain::program_report::gather_iati(c, call.org(), options); });
    return download(reports::render_iati(file), "application/xml; charset=utf-8",
                    "iati-activities-" + call.org().slug() + ".xml");
  });
}

}  // namespace gotong::api
