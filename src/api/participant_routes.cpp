// The participant register (NIK accepted, never returned), duplicate candidates and merging,
// and the attendance of events with their counts by sex, age band and disability.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/attendance.hpp"
#include "domain/participants.hpp"
#include "domain/program_fields.hpp"

namespace gotong::api {

namespace bj = boost::json;
namespace part = domain::participants;
namespace att = domain::attendance;
using domain::Permission;

namespace {

http::Response participant_response(int status, const part::Participant& p) {
  return versioned_response(status, part::to_json(p), p.version);
}

bj::array ids_json(const std::vector<std::int64_t>& ids) {
  bj::array a;
  for (auto id : ids) a.emplace_back(std::to_string(id));
  return a;
}

}  // namespace

void add_participant_routes(Routes& r) {
  // ?q=&area=&sex=&disability=
  r.add("GET", "/api/v1/orgs/{org}/participants", Access::member, Permission::read, [](Call& call) {
    Query q = call.query();
    part::Filter f{q.get("q"), q.get_int("area"), q.get("sex"), q.get("disability")};
    int limit = q.limit(50, 500);
    auto page = call.db().read_value(
        [&](db::Connection& c) { return part::list(c, call.org(), f, q.get("cursor"), limit); });
    bj::array items;
    for (const auto& p : page.items) items.push_back(part::to_json(p));
    return page_response(std::move(items), page.next_cursor);
  });

  r.add("POST", "/api/v1/orgs/{org}/participants", Access::member, Permission::collect_data, [](Call& call) {
    auto in = part::parse_input(call.body());
    auto p = call.db().write_value([&](db::Connection& c) { return part::create(c, call.org(), in); });
    return participant_response(201, p);
  });

  r.add("GET", "/api/v1/orgs/{org}/participants/{id}", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    auto p = call.db().read_value([&](db::Connection& c) { return part::get(c, call.org(), id); });
    return participant_response(200, p);
  });

  r.add("PATCH", "/api/v1/orgs/{org}/participants/{id}", Access::member, Permission::collect_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto in = part::parse_input(call.body());
          auto version = call.if_match();
          auto p = call.db().write_value(
              [&](db::Connection& c) { return part::update(c, call.org(), id, version, in); });
          return participant_response(200, p);
        });

  r.add("DELETE", "/api/v1/orgs/{org}/participants/{id}", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto version = call.if_match();
          call.db().write([&](db::Connection& c) { part::remove(c, call.org(), id, version); });
          return no_content();
        });

  // The kept participant is the one in the address; If-Match is its version.
  r.add("POST", "/api/v1/orgs/{org}/participants/{id}/merge", Access::member, Permission::edit_programs,
        [](Call& call) {
          auto id = call.id_param("id");
          auto other = json::optional_id(call.body(), "merge_id");
          if (!other) throw invalid_field("merge_id", "is required");
          auto version = call.if_match();
          auto m = call.db().write_value(
              [&](db::Connection& c) { return part::merge(c, call.org(), id, version, *other); });
          bj::object o{{"kept", part::to_json(m.kept)},
                       {"merged_id", std::to_string(m.merged_id)},
                       {"attendance_moved", m.attendance_moved},
                       {"attendance_dropped", m.attendance_dropped}};
          return versioned_response(200, o, m.kept.version);
        });

  r.add("GET", "/api/v1/orgs/{org}/participant-duplicates", Access::member, Permission::edit_programs,
        [](Call& call) {
          Query q = call.query();
          int limit = q.limit(50, 500);
          auto d = call.db().read_value(
              [&](db::Connection& c) { return part::duplicates(c, call.org(), q.get("cursor"), limit); });
          bj::array items;
          for (const auto& p : d.items) {
            bj::array reasons;
            if (p.candidate.same_nik) reasons.emplace_back("same_nik");
            if (p.candidate.same_name_birth_year_village)
              reasons.emplace_back("same_name_birth_year_village");
            bj::object low = part::to_json(p.low), high = part::to_json(p.high);
            low["attendance_count"] = p.low_attendance;
            high["attendance_count"] = p.high_attendance;
            items.push_back(bj::object{{"reasons", std::move(reasons)},
                                       {"participants", bj::array{std::move(low), std::move(high)}}});
          }
          return json_response(
              200, bj::object{{"items", std::move(items)},
                              {"total", d.total},
                              {"next_cursor", d.next_cursor ? bj::value(*d.next_cursor) : bj::value()}});
        });

  r.add("POST", "/api/v1/orgs/{org}/participant-duplicates/dismiss", Access::member,
        Permission::edit_programs, [](Call& call) {
          auto ids = domain::fields::ids(call.body(), "participant_ids", 2);
          if (!ids || ids->size() != 2)
            throw invalid_field("participant_ids", "name two different participants");
          call.db().write([&](db::Connection& c) { part::dismiss(c, call.org(), (*ids)[0], (*ids)[1]); });
          return no_content();
        });

  // -- attendance -------------------------------------------------------------------------
  r.add("GET", "/api/v1/orgs/{org}/events/{id}/attendance", Access::member, Permission::read, [](Call& call) {
    auto id = call.id_param("id");
    bj::array items;
    bj::object counts;
    call.db().read([&](db::Connection& c) {
      for (const auto& a : att::attendees(c, call.org(), id)) {
        bj::object o = part::to_json(a.participant);
        o["recorded_at"] = format_iso8601(a.recorded_at);
        items.push_back(std::move(o));
      }
      counts = att::to_json(att::event_counts(c, call.org(), id));
    });
    return json_response(200, bj::object{{"items", std::move(items)}, {"counts", std::move(counts)}});
  });

  // {participant_ids: [...], walk_ins: [{name, sex, ...}]}
  r.add("POST", "/api/v1/orgs/{org}/events/{id}/attendance", Access::member, Permission::collect_data,
        [](Call& call) {
          auto id = call.id_param("id");
          auto body = call.body();
          auto ids = domain::fields::ids(body, "participant_ids", 2000).value_or(std::vector<std::int64_t>{});
          std::vector<part::Input> walk_ins;
          if (auto it = body.find("walk_ins"); it != body.end() && !it->value().is_null()) {
            if (!it->value().is_array()) throw invalid_field("walk_ins", "must be an array of participants");
            const auto& a = it->value().get_array();
            if (a.size() > 500) throw invalid_field("walk_ins", "must have at most 500 participants");
            for (std::size_t i = 0; i < a.size(); ++i) {
              const std::string at = "walk_ins[" + std::to_string(i) + "]";
              if (!a[i].is_object()) throw invalid_field(at, "must be an object like a participant");
              walk_ins.push_back(part::parse_input(a[i].get_object(), at + "."));
            }
          }
          if (ids.empty() && walk_ins.empty())
            throw invalid_field("participant_ids", "name at least one participant");
          auto added = call.db().write_value(
              [&](db::Connection& c) { return att::add(c, call.org(), id, ids, walk_ins); });
          return json_response(200, bj::object{{"added", ids_json(added.added)},
                                               {"already_present", ids_json(added.already)},
                                               {"walk_ins_created", ids_json(added.created)},
                                               {"walk_ins_matched", ids_json(added.matched)}});
        });

  r.add("DELETE", "/api/v1/orgs/{org}/events/{id}/attendance/{participant}", Access::member,
        Permission::collect_data, [](Call& call) {
          auto id = call.id_param("id");
          auto participant = call.id_param("participant");
          call.db().write([&](db::Connection& c) { att::remove(c, call.org(), id, participant); });
          return no_content();
        });
}

}  // namespace gotong::api
