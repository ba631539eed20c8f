// Budgets: the categories (APBDes bidang), budget lines with planned amounts per month,
// expenditures with their receipts (multipart upload, served only to those who see the
// program), and the report of planned against actual.
#include <boost/json.hpp>
#include <fstream>
#include <memory>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/text.hpp"
#include "domain/budget.hpp"
#include "domain/programs.hpp"
#include "http/multipart.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace budget = domain::budget;
using domain::Permission;

namespace {

http::Response line_response(int status, const budget::Line& l) {
  return versioned_response(status, budget::to_json(l), l.version);
}
http::Response expenditure_response(int status, const budget::Expenditure& e) {
  return versioned_response(status, budget::to_json(e), e.version);
}

}  // namespace

void add_budget_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/budget-categories", Access::member, Permission::read, [](Call&) {
    bj::array items;
    for (const auto& b : budget::kApbdesBidang) items.push_back(bj::object{{"id", b.id}, {"name", b.name}});
    return json_response(200, bj::object{{"items", std::move(items)}});
  });

  // ?activity=
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/budget-lines", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto activity = call.query().get_int("activity");
          auto ls = call.db().read_value(
              [&](db::Connection& c) { return budget::lines(c, call.org(), id, activity); });
          bj::array items;
          for (const auto& l : ls) items.push_back(budget::to_json(l));
          return page_response(std::move(items), std::nullopt);
        });

  r.add("POST", "/api/v1/orgs/{org}/programs/{id}/budget-lines", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = budget::parse_line_input(call.body());
          auto l = call.db().write_value(
              [&](db::Connection& c) { return budget::create_line(c, call.org(), id, in); });
          return line_response(201, l);
        });

  r.add("GET", "/api/v1/orgs/{org}/budget-lines/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto l = call.db().read_value([&](db::Connection& c) { return budget::get_line(c, call.org(), id); });
    return line_response(200, l);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/budget-lines/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = budget::parse_line_input(call.body());
          auto version = call.if_match();
          auto l = call.db().write_value(
              [&](db::Connection& c) { return budget::update_line(c, call.org(), id, version, in); });
          return line_response(200, l);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/budget-lines/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { budget::remove_line(c, call.org(), id, version); });
          return no_content();
        });

  // -- expenditures -----------------------------------------------------------------------
  r.add("POST", "/api/v1/orgs/{org}/budget-lines/{id}/expenditures", Access::member,
        Permission::edit_programs, [](Call& call) {
          auto id = call.id_param("id");
          auto in = budget::parse_expenditure_input(call.body());
          auto e = call.db().write_value(
              [&](db::Connection& c) { return budget::create_expenditure(c, call.org(), id, in); });
          return expenditure_response(201, e);
        });

  // ?line=&from=&to=&deleted=true (the bin)
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/expenditures", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          Query q = call.query();
          budget::ExpenditureFilter f;
          f.line_id = q.get_int("line");
          f.from = q.get_date("from");
          f.to = q.get_date("to");
          f.deleted = q.get("deleted").value_or("") == "true";
          int limit = q.limit(50, 500);
          auto page = call.db().read_value([&](db::Connection& c) {
            return budget::expenditures(c, call.org(), id, f, q.get("cursor"), limit);
          });
          bj::array items;
          for (const auto& e : page.items) items.push_back(budget::to_json(e));
          return page_response(std::move(items), page.next_cursor);
        });

  r.add("GET", "/api/v1/orgs/{org}/expenditures/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto e =
        call.db().read_value([&](db::Connection& c) { return budget::get_expenditure(c, call.org(), id); });
    return expenditure_response(200, e);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/expenditures/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = budget::parse_expenditure_input(call.body());
          auto version = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return budget::update_expenditure(c, call.org(), id, version, in); });
          return expenditure_response(200, e);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/expenditures/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { budget::remove_expenditure(c, call.org(), id, version); });
          return no_content();
        });

  // -- receipts ---------------------------------------------------------------------------
  // multipart/form-data with one field "file"; If-Match is the expenditure's version.
  r.add("POST", "/api/v1/orgs/{org}/expenditures/{id}/receipt", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto boundary = http::multipart_boundary(call.req.headers.get("Content-Type").value_or(""));
          if (!boundary)
            throw Error(ErrorCode::unsupported_media_type,
                        "upload the receipt as multipart/form-data with a field 'file'");
          std::optional<http::Part> file;
          for (auto& part : http::parse_multipart(call.req.body, *boundary)) {
            if (part.name != "file") continue;
            if (file) throw invalid_field("file", "send one receipt");
            file = std::move(part);
          }
          if (!file) throw invalid_field("file", "is required");
          if (!file->filename || file->filename->empty()) throw invalid_field("file", "needs a file name");
          auto e = budget::set_receipt(call.db(), call.org(), call.attachments(), id, version,
                                       *file->filename, file->content_type, file->body);
          return expenditure_response(200, e);
        });

  r.add("GET", "/api/v1/orgs/{org}/expenditures/{id}/receipt", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto rec =
              call.db().read_value([&](db::Connection& c) { return budget::receipt(c, call.org(), id); });
          auto file =
              std::make_shared<std::ifstream>(call.attachments().path_of(rec.sha256), std::ios::binary);
          if (!*file) throw Error(ErrorCode::not_found, "the receipt's file is missing on the server");
          http::Response res;
          res.headers.set("Content-Type", rec.content_type);
          // Always a download, never rendered in the app's origin.
          res.headers.set("Content-Disposition",
                          "attachment; filename*=UTF-8''" + text::percent_encode(rec.name));
          res.headers.set("X-Content-Type-Options", "nosniff");
          // The address stays when the receipt is replaced: revalidate by ETag instead of keeping it.
          res.headers.set("Cache-Control", "private, no-cache");
          res.headers.set("ETag", "\"" + rec.sha256 + "\"");
          res.stream = [file](std::string& out) {
            char buf[16 * 1024];
            file->read(buf, sizeof buf);
            out.append(buf, static_cast<std::size_t>(file->gcount()));
            return file->gcount() > 0;
          };
          return res;
        });

  r.add("DELETE", "/api/v1/orgs/{org}/expenditures/{id}/receipt", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto e = call.db().write_value(
              [&](db::Connection& c) { return budget::remove_receipt(c, call.org(), id, version); });
          return expenditure_response(200, e);
        });

  // -- report -----------------------------------------------------------------------------
  // ?as_of=YYYY-MM-DD (default today)
  r.add("GET", "/api/v1/orgs/{org}/programs/{id}/budget-report", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          auto as_of = call.query().get_date("as_of").value_or("");
          auto rep = call.db().read_value(
              [&](db::Connection& c) { return budget::report(c, call.org(), id, as_of); });
          return json_response(200, rep);
        });
}

}  // namespace gotong::api
