// Submissions through the JSON API: receiving them (JSON answers, an XML instance, or multipart
// like OpenRosa), the list with filters, one submission, review, comments, edits, the bin and
// attachments.
#include <boost/json.hpp>
#include <fstream>
#include <memory>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "domain/forms.hpp"
#include "domain/submissions.hpp"
#include "http/multipart.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace subs = domain::submissions;
using domain::Permission;

namespace {

std::string media_type(const Call& call) {
  std::string ct(call.req.headers.get("Content-Type").value_or(""));
  auto semi = ct.find(';');
  if (semi != std::string::npos) ct.resize(semi);
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  for (char& ch : ct) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ct;
}

bool is_xml(const std::string& type) { return type == "application/xml" || type == "text/xml"; }

// The schema answers are written against: the version named in the body, else the published one.
std::shared_ptr<const subs::CompiledVersion> schema_for(Call& call, std::int64_t form_id,
                                                        const std::optional<std::string>& version) {
  return call.db().read_value([&](db::Connection& c) {
    auto form = domain::forms::get(c, call.org(), form_id);
    std::optional<std::int64_t> version_id;
    if (!version) {
      if (form.published) version_id = form.published->id;
    } else {
      for (const auto& v : domain::forms::versions(c, call.org(), form_id))
        if (v.version == *version && v.status != "draft") version_id = v.id;
    }
    if (!version_id)
      throw Error(ErrorCode::not_found, version ? "the form has no published version '" + *version + "'"
                                                : "the form is not published yet");
    return subs::compiled_version(c, *version_id);
  });
}

// Fills in.xml (and files) from the request body in any of the three accepted shapes.
void read_incoming(Call& call, std::int64_t form_id, subs::Incoming& in) {
  const std::string type = media_type(call);
  if (is_xml(type)) {
    in.xml = call.req.body;
  } else if (auto boundary = http::multipart_boundary(call.req.headers.get("Content-Type").value_or(""))) {
    bool have_xml = false;
    for (const auto& part : http::parse_multipart(call.req.body, *boundary)) {
      if (part.name == "xml_submission_file") {
        in.xml = std::string(part.body);
        have_xml = true;
      } else if (part.filename) {
        in.files.push_back({*part.filename, part.content_type, part.body});
      }
    }
    if (!have_xml) throw invalid_field("xml_submission_file", "is required");
  } else {
    auto body = call.body();
    std::string instance_id = json::required_string(body, "instance_id", 100);
    auto version = json::optional_string(body, "version", 200);
    const bj::value* answers = body.if_contains("answers");
    if (!answers || !answers->is_object()) throw invalid_field("answers", "must be an object");
    auto cv = schema_for(call, form_id, version);
    in.xml = subs::xml_from_json(cv->schema, answers->as_object(), instance_id);
  }
  in.device_id = std::string(call.req.headers.get("X-Device-Id").value_or(""));
  if (in.device_id.size() > 200) in.device_id.resize(200);
}

bj::object received_json(const subs::Received& r) {
  return bj::object{{"outcome", subs::outcome_name(r.outcome)},
                    {"id", std::to_string(r.id)},
                    {"instance_id", r.instance_id},
                    {"state", r.state},
                    {"issue_count", r.issue_count},
                    {"attachments_expected", r.attachments_expected},
                    {"attachments_present", r.attachments_present}};
}

subs::Filter filter_from(const Query& q) {
  subs::Filter f;
  f.form_id = q.get_int("form");
  f.from = q.get_time("from");
  f.to = q.get_time("to");
  f.submitter_id = q.get_int("submitter");
  f.area_code = q.get("area");
  f.deleted = q.get("deleted").value_or("") == "true";
  for (const auto& [name, value] : q.items()) {
    if (name == "state") {
      std::size_t start = 0;
      for (;;) {
        auto comma = value.find(',', start);
        std::string one = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!one.empty()) f.states.push_back(one);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (name.starts_with("field.") && name.size() > 6) {
      f.fields.emplace_back(name.substr(6), value);
    }
  }
  if (f.fields.size() > 10) throw Error(ErrorCode::bad_request, "at most 10 field filters");
  return f;
}

http::Response summary_response(int status, const subs::Summary& s) {
  return versioned_response(status, subs::to_json(s), s.version);
}

}  // namespace

void add_submission_routes(Routes& r) {
  r.add("GET", "/api/v1/orgs/{org}/submissions", Access::member, Permission::read, [](Call& call) {
    auto q = call.query();
    auto filter = filter_from(q);
    int limit = q.limit(50, 500);
    auto page = call.db().read_value([&](db::Connection& c) {
      // ?area= takes an area id or a Kemendagri code, like the form's area field.
      if (filter.area_code) filter.area_code = subs::area_key(c, call.org(), *filter.area_code);
      return subs::list(c, call.org(), filter, q.get("cursor"), limit);
    });
    bj::array items;
    for (const auto& s : page.items) items.push_back(subs::to_json(s));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/forms/{id}/submissions", Access::member, Permission::collect_data,
        [](Call& call) {
          auto form_id = call.id_param("id");
          subs::Incoming in;
          in.source = "api";
          in.form_id = form_id;
          read_incoming(call, form_id, in);
          // Answered once the group commit is on disk, without a thread waiting for it.
          auto later = std::make_shared<http::Later>();
          subs::receive_async(call.db(), call.org(), call.attachments(), std::move(in),
                              [later](std::function<subs::Received()> result) {
                                later->finish([result = std::move(result)] {
                                  auto received = result();
                                  return json_response(
                                      received.outcome == subs::Outcome::duplicate ? 200 : 201,
                                      received_json(received));
                                });
                              });
          return http::deferred_response(std::move(later));
        });

  r.add("GET", "/api/v1/orgs/{org}/submissions/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto d = call.db().read_value([&](db::Connection& c) { return subs::get(c, call.org(), id); });
    return versioned_response(200, subs::to_json(d), d.summary.version);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/submissions/{id}", Access::member, Permission::review_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto body = call.body();
          auto version = call.if_match();
          std::string state = json::required_string(body, "state", 20);
          std::string comment = json::optional_string(body, "comment", 10'000).value_or("");
          auto s = call.db().write_value(
              [&](db::Connection& c) { return subs::set_state(c, call.org(), id, version, state, comment); });
          return summary_response(200, s);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/submissions/{id}", Access::member, Permission::review_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto s = call.db().write_value(
              [&](db::Connection& c) { return subs::remove(c, call.org(), id, version); });
          return summary_response(200, s);
        });

  r.add("POST", "/api/v1/orgs/{org}/submissions/{id}/restore", Access::member, Permission::review_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          auto s = call.db().write_value(
              [&](db::Connection& c) { return subs::restore(c, call.org(), id, version); });
          return summary_response(200, s);
        });

  r.add("POST", "/api/v1/orgs/{org}/submissions/{id}/comments", Access::member, Permission::review_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto body = call.body();
          std::string text = json::required_string(body, "body", 10'000);
          auto comment = call.db().write_value(
              [&](db::Connection& c) { return subs::add_comment(c, call.org(), id, text); });
          return json_response(201, subs::to_json(comment));
        });

  r.add("POST", "/api/v1/orgs/{org}/submissions/{id}/edits", Access::member, Permission::review_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          std::string xml, reason;
          if (is_xml(media_type(call))) {
            xml = call.req.body;
            reason = call.query().get("reason").value_or("");
          } else {
            auto body = call.body();
            std::string instance_id = json::required_string(body, "instance_id", 100);
            reason = json::optional_string(body, "reason", 1000).value_or("");
            const bj::value* answers = body.if_contains("answers");
            if (!answers || !answers->is_object()) throw invalid_field("answers", "must be an object");
            auto current =
                call.db().read_value([&](db::Connection& c) { return subs::get(c, call.org(), id); });
            auto cv = call.db().read_value(
                [&](db::Connection& c) { return subs::compiled_version(c, current.summary.version_id); });
            // The edit keeps the earlier instanceID as meta/deprecatedID, as ODK Collect does.
            bj::object answers_with_meta = answers->as_object();
            bj::value& meta = answers_with_meta["meta"];
            if (!meta.is_object()) meta = bj::object();
            if (cv->schema.find("/" + cv->schema.nodes.at(0).name + "/meta/deprecatedID"))
              meta.as_object()["deprecatedID"] = current.summary.current_instance_id;
            xml = subs::xml_from_json(cv->schema, answers_with_meta, instance_id);
          }
          auto s = subs::edit(call.db(), call.org(), id, version, std::move(xml), reason);
          return summary_response(200, s);
        });

  r.add("GET", "/api/v1/orgs/{org}/submissions/{id}/attachments/{name}", Access::member, Permission::read,
        [](Call& call) {
          auto id = call.id_param("id");
          std::string name = call.param("name");
          auto a = call.db().read_value(
              [&](db::Connection& c) { return subs::attachment(c, call.org(), id, name); });
          auto file = std::make_shared<std::ifstream>(call.attachments().path_of(a.sha256), std::ios::binary);
          if (!*file)
            throw Error(ErrorCode::not_found,
                        "the file of attachment '" + name + "' is missing on the server");
          http::Response res;
          res.headers.set("Content-Type", a.content_type);
          res.headers.set("Cache-Control", "private, max-age=86400, immutable");
          res.headers.set("ETag", "\"" + a.sha256 + "\"");
          // Streamed in chunks: photos and videos need not fit in memory many times over.
          res.stream = [file](std::string& out) {
            char buf[16 * 1024];
            file->read(buf, sizeof buf);
            out.append(buf, static_cast<std::size_t>(file->gcount()));
            return file->gcount() > 0;
          };
          return res;
        });
}

}  // namespace gotong::api
