#include "domain/audit.hpp"

#include <boost/json.hpp>

#include "base/json.hpp"
#include "base/time.hpp"

namespace gotong::domain::audit {

void record(db::Connection& c, const Actor& actor, const Entry& e) {
  auto text = [](const boost::json::value& v) -> db::Value {
    if (v.is_null()) return db::Value();
    return db::Value(json::serialize(v));
  };
  c.exec(
      "INSERT INTO audit_log(org_id, at, actor_user_id, actor, action, object_type, object_id,"
      " before_json, after_json, request_id, ip) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
      {e.org_id, now_millis(), actor.user_id ? db::Value(actor.user_id) : db::Value(), actor.email,
       e.action, e.object_type, e.object_id, text(e.before), text(e.after),
       actor.request_id.empty() ? db::Value() : db::Value(actor.request_id),
       actor.ip.empty() ? db::Value() : db::Value(actor.ip)});
}

std::vector<Record> list(db::Connection& c, const OrgScope& s, const Filter& f) {
  s.require(Permission::read_audit);
  std::string sql =
      "SELECT id, at, actor_user_id, actor, action, object_type, object_id, before_json,"
      " after_json, request_id, ip FROM audit_log WHERE org_id = $1";
  db::Params p{s.org_id()};
  auto add = [&](const std::string& cond, db::Value v) {
    p.push_back(std::move(v));
    sql += " AND " + cond + " $" + std::to_string(p.size());
  };
  if (f.action) {
    if (!f.action->empty() && f.action->back() == '.') {
      // Prefix match as a range, so it uses no LIKE (whose case rules differ between engines).
      std::string hi = *f.action;
      hi.back() = '/';  // the character after '.'
      add("action >=", *f.action);
      add("action <", hi);
    } else {
      add("action =", *f.action);
    }
  }
  if (f.object_type) add("object_type =", *f.object_type);
  if (f.object_id) add("object_id =", *f.object_id);
  if (f.actor_user_id) add("actor_user_id =", *f.actor_user_id);
  if (f.since) add("at >=", *f.since);
  if (f.until) add("at <", *f.until);
  if (f.before_id) add("id <", *f.before_id);
  p.push_back(f.limit);
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(p.size());

  std::vector<Record> out;
  for (const auto& r : c.query(sql, p)) {
    auto parse = [](const db::Value& v) {
      return v.is_null() ? boost::json::value() : json::parse(v.as_string());
    };
    out.push_back(Record{r.int_at(0), r.int_at(1), r.opt_int(2), r.text_at(3), r.text_at(4),
                         r.text_at(5), r.text_at(6), parse(r[7]), parse(r[8]), r.text_at(9),
                         r.text_at(10)});
  }
  return out;
}

boost::json::object to_json(const Record& r) {
  boost::json::object o;
  o["id"] = std::to_string(r.id);
  o["at"] = format_iso8601(r.at);
  o["actor"] = r.actor;
  o["actor_user_id"] = r.actor_user_id ? boost::json::value(std::to_string(*r.actor_user_id))
                                       : boost::json::value();
  o["action"] = r.action;
  o["object_type"] = r.object_type;
  o["object_id"] = r.object_id;
  o["before"] = r.before;
  o["after"] = r.after;
  o["request_id"] = r.request_id;
  o["ip"] = r.ip;
  return o;
}

}  // namespace gotong::domain::audit
