#include "domain/results.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"

namespace gotong::domain::results {

namespace bj = boost::json;

namespace {

constexpr const char* kColumns =
    "n.id, n.org_id, n.program_id, n.parent_id, n.tier, n.code, n.title, n.narrative, n.assumptions, "
    "n.risks, "
    "n.position, n.created_at, n.updated_at, n.version";

ResultNode from_row(const db::Row& r) {
  ResultNode n;
  n.id = r.int_at(0);
  n.org_id = r.int_at(1);
  n.program_id = r.int_at(2);
  n.parent_id = r.opt_int(3);
  n.tier = static_cast<int>(r.int_at(4));
  n.code = r.text_at(5);
  n.title = r.text_at(6);
  n.narrative = r.text_at(7);
  n.assumptions = r.text_at(8);
  n.risks = r.text_at(9);
  n.position = r.int_at(10);
  n.created_at = r.int_at(11);
  n.updated_at = r.int_at(12);
  n.version = r.int_at(13);
  return n;
}

std::optional<ResultNode> load(db::Connection& c, std::int64_t org_id, std::int64_t id) {
  auto row = c.query_one(
      std::string("SELECT ") + kColumns + " FROM result_nodes n WHERE n.id = $1 AND n.org_id = $2",
      {id, org_id});
  if (!row) return std::nullopt;
  ResultNode n = from_row(*row);
  for (const auto& r :
       c.query("SELECT problem_id FROM result_node_problems WHERE node_id = $1 ORDER BY problem_id", {id}))
    n.problem_ids.push_back(r.int_at(0));
  return n;
}

std::string tier_label(const programs::Program& p, int tier) {
  return tier >= 0 && static_cast<std::size_t>(tier) < p.tiers.size()
             ? p.tiers[static_cast<std::size_t>(tier)]
             : "tier " + std::to_string(tier);
}

// The node's parent must be a node of the same program; its tier decides the child's.
ResultNode parent_in_program(db::Connection& c, const OrgScope& s, std::int64_t parent_id,
                             std::int64_t program_id) {
  auto parent = load(c, s.org_id(), parent_id);
  if (!parent || parent->program_id != program_id)
    throw invalid_field("parent_id", "is not a node of this program's results framework");
  return *parent;
}

void check_tier(const programs::Program& p, std::optional<int> given, int tier,
                const std::optional<ResultNode>& parent) {
  if (given && *given != tier) {
    if (parent)
      throw invalid_field("tier", "a child is exactly one tier below its parent: '" + parent->title +
                                      "' is at tier " + std::to_string(parent->tier) + " (" +
                                      tier_label(p, parent->tier) + "), so its children are at tier " +
                                      std::to_string(tier));
    throw invalid_field("tier", "a node without a parent is at the top tier (0)");
  }
  if (static_cast<std::size_t>(tier) >= p.tiers.size())
    throw invalid_field("parent_id",
                        "the framework has " + std::to_string(p.tiers.size()) + " tiers; '" +
                            (parent ? parent->title : std::string()) + "' is at the last tier (" +
                            tier_label(p, parent ? parent->tier : 0) + ") and cannot have children");
}

void check_code(db::Connection& c, std::int64_t program_id, const std::string& code, std::int64_t self) {
  if (code.empty()) return;
  if (c.query_int("SELECT 1 FROM result_nodes WHERE program_id = $1 AND code = $2 AND id <> $3",
                  {program_id, code, self}))
    throw Error(ErrorCode::conflict, "another node of this framework has the code '" + code + "'",
                {{"code", "already used in this program"}});
}

void write_problems(db::Connection& c, const OrgScope& s, std::int64_t node_id,
                    const std::optional<std::vector<std::int64_t>>& ids) {
  if (!ids) return;
  for (std::size_t i = 0; i < ids->size(); ++i)
    if (!c.query_int("SELECT 1 FROM problems WHERE id = $1 AND org_id = $2", {(*ids)[i], s.org_id()}))
      throw invalid_field("problem_ids[" + std::to_string(i) + "]", "is not a problem of this organisation");
  c.exec("DELETE FROM result_node_problems WHERE node_id = $1", {node_id});
  for (auto id : *ids)
    c.exec("INSERT INTO result_node_problems(node_id, problem_id) VALUES ($1, $2)", {node_id, id});
}

std::int64_t next_position(db::Connection& c, std::int64_t program_id, std::optional<std::int64_t> parent) {
  auto p = parent ? c.query_int("SELECT MAX(position) FROM result_nodes WHERE parent_id = $1", {*parent})
                  : c.query_int(
                        "SELECT MAX(position) FROM result_nodes WHERE program_id = $1 AND parent_id IS NULL",
                        {program_id});
  return p ? *p + 1 : 0;
}

struct Descendant {
  std::int64_t id;
  int tier;
};
// The node's descendants with their tiers.
std::vector<Descendant> descendants(db::Connection& c, std::int64_t id) {
  std::vector<Descendant> out;
  std::vector<std::int64_t> frontier{id};
  while (!frontier.empty()) {
    std::int64_t cur = frontier.back();
    frontier.pop_back();
    for (const auto& r : c.query("SELECT id, tier FROM result_nodes WHERE parent_id = $1", {cur})) {
      out.push_back({r.int_at(0), static_cast<int>(r.int_at(1))});
      frontier.push_back(r.int_at(0));
    }
  }
  return out;
}

}  // namespace

ResultNode require_node(db::Connection& c, const OrgScope& s, std::int64_t node_id) {
  s.require(Permission::read);
  auto n = load(c, s.org_id(), node_id);
  if (!n) throw Error(ErrorCode::not_found, "no result node " + std::to_string(node_id));
  try {
    programs::require_visible(c, s, n->program_id);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found)
      throw Error(ErrorCode::not_found, "no result node " + std::to_string(node_id));
    throw;
  }
  return *n;
}

std::vector<ResultNode> nodes(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  programs::require_visible(c, s, program_id);
  std::vector<ResultNode> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                   " FROM result_nodes n WHERE n.program_id = $1 AND n.org_id = $2 "
                                   "ORDER BY n.tier, n.position, n.id",
                               {program_id, s.org_id()})) {
    at[r.int_at(0)] = out.size();
    out.push_back(from_row(r));
  }
  for (const auto& r :
       c.query("SELECT np.node_id, np.problem_id FROM result_node_problems np JOIN result_nodes n ON "
               "n.id = np.node_id WHERE n.program_id = $1 ORDER BY np.node_id, np.problem_id",
               {program_id}))
    out[at.at(r.int_at(0))].problem_ids.push_back(r.int_at(1));
  return out;
}

bj::object to_json(const ResultNode& n, const programs::Program& p) {
  bj::array problems;
  for (auto id : n.problem_ids) problems.emplace_back(std::to_string(id));
  return bj::object{{"id", std::to_string(n.id)},
                    {"program_id", std::to_string(n.program_id)},
                    {"parent_id", n.parent_id ? bj::value(std::to_string(*n.parent_id)) : bj::value()},
                    {"tier", n.tier},
                    {"tier_name", tier_label(p, n.tier)},
                    {"code", n.code},
                    {"title", n.title},
                    {"narrative", n.narrative},
                    {"assumptions", n.assumptions},
                    {"risks", n.risks},
                    {"position", n.position},
                    {"problem_ids", std::move(problems)},
                    {"created_at", format_iso8601(n.created_at)},
                    {"updated_at", format_iso8601(n.updated_at)},
                    {"version", n.version}};
}

bj::object tree_json(const programs::Program& p, const std::vector<ResultNode>& all) {
  // `all` has parents before children, so walking it backwards finishes every subtree before its
  // parent takes it; siblings are collected in reverse and turned around when taken.
  std::map<std::int64_t, std::vector<bj::object>> reversed_children;
  std::vector<bj::object> reversed_roots;
  for (std::size_t i = all.size(); i-- > 0;) {
    bj::object o = to_json(all[i], p);
    bj::array kids;
    if (auto it = reversed_children.find(all[i].id); it != reversed_children.end()) {
      for (auto k = it->second.rbegin(); k != it->second.rend(); ++k) kids.push_back(std::move(*k));
      reversed_children.erase(it);
    }
    o["children"] = std::move(kids);
    if (all[i].parent_id)
      reversed_children[*all[i].parent_id].push_back(std::move(o));
    else
      reversed_roots.push_back(std::move(o));
  }
  bj::array roots;
  for (auto r = reversed_roots.rbegin(); r != reversed_roots.rend(); ++r) roots.push_back(std::move(*r));
  bj::array tiers;
  for (const auto& t : p.tiers) tiers.emplace_back(t);
  return bj::object{{"program_id", std::to_string(p.id)},
                    {"framework_template", p.framework_template},
                    {"tiers", std::move(tiers)},
                    {"nodes", std::move(roots)}};
}

NodeInput parse_node_input(const bj::object& body) {
  NodeInput in;
  in.parent_id = fields::nullable_id(body, "parent_id");
  if (auto t = fields::bounded_int(body, "tier", 0, kMaxTiers - 1, true); t && *t)
    in.tier = static_cast<int>(**t);
  in.code = fields::text(body, "code", 40);
  in.title = fields::text(body, "title", 500);
  if (in.title && in.title->empty()) throw invalid_field("title", "must not be empty");
  in.narrative = fields::text(body, "narrative", 20000);
  in.assumptions = fields::text(body, "assumptions", 20000);
  in.risks = fields::text(body, "risks", 20000);
  if (auto pos = fields::bounded_int(body, "position", 0, 1'000'000, true); pos && *pos) in.position = **pos;
  in.problem_ids = fields::ids(body, "problem_ids");
  return in;
}

ResultNode create_node(db::Connection& c, const OrgScope& s, std::int64_t program_id, const NodeInput& in) {
  s.require(Permission::edit_programs);
  programs::Program p = programs::require_visible(c, s, program_id);
  if (!in.title) throw invalid_field("title", "is required");
  std::optional<ResultNode> parent;
  if (in.parent_id && *in.parent_id) parent = parent_in_program(c, s, **in.parent_id, program_id);
  const int tier = parent ? parent->tier + 1 : 0;
  check_tier(p, in.tier, tier, parent);
  const std::string code = in.code.value_or("");
  check_code(c, program_id, code, 0);
  const auto now = now_millis();
  const std::optional<std::int64_t> parent_id = parent ? std::optional(parent->id) : std::nullopt;
  auto row = c.query_one(
      "INSERT INTO result_nodes(org_id, program_id, parent_id, tier, code, title, narrative, assumptions, "
      "risks, "
      "position, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id",
      {s.org_id(), program_id, parent_id, tier, code, *in.title, in.narrative.value_or(""),
       in.assumptions.value_or(""), in.risks.value_or(""),
       in.position ? *in.position : next_position(c, program_id, parent_id), now});
  const std::int64_t id = row->int_at(0);
  write_problems(c, s, id, in.problem_ids);
  ResultNode n = *load(c, s.org_id(), id);
  audit::record(c, s, {{}, "result_node.create", "result_node", std::to_string(id), {}, to_json(n, p)});
  return n;
}

ResultNode update_node(db::Connection& c, const OrgScope& s, std::int64_t node_id,
                       std::int64_t expected_version, const NodeInput& in) {
  s.require(Permission::edit_programs);
  ResultNode before = require_node(c, s, node_id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the node was changed by someone else; reload it");
  programs::Program p = programs::require_visible(c, s, before.program_id);
  ResultNode n = before;
  const auto now = now_millis();
  const bool moving = in.parent_id && *in.parent_id != before.parent_id;
  if (moving) {
    std::optional<ResultNode> parent;
    if (*in.parent_id) {
      if (**in.parent_id == node_id) throw invalid_field("parent_id", "a node cannot be its own parent");
      parent = parent_in_program(c, s, **in.parent_id, before.program_id);
    }
    const int tier = parent ? parent->tier + 1 : 0;
    check_tier(p, in.tier, tier, parent);
    auto below = descendants(c, node_id);
    if (parent &&
        std::any_of(below.begin(), below.end(), [&](const Descendant& d) { return d.id == parent->id; }))
      throw invalid_field("parent_id", "a node cannot move below its own descendant");
    // The subtree moves along: every tier in it shifts by the same amount.
    const int delta = tier - before.tier;
    if (delta != 0 && !below.empty()) {
      int deepest = before.tier;
      for (const auto& d : below) deepest = std::max(deepest, d.tier);
      if (static_cast<std::size_t>(deepest + delta) >= p.tiers.size())
        throw invalid_field("parent_id", "moving '" + before.title +
                                             "' there would put nodes below it under the last tier (" +
                                             p.tiers.back() + ")");
      for (const auto& d : below)
        c.exec("UPDATE result_nodes SET tier = $1, updated_at = $2, version = version + 1 WHERE id = $3",
               {d.tier + delta, now, d.id});
    }
    n.parent_id = parent ? std::optional(parent->id) : std::nullopt;
    n.tier = tier;
    n.position = in.position ? *in.position : next_position(c, before.program_id, n.parent_id);
  } else {
    if (in.tier && *in.tier != before.tier)
      throw invalid_field("tier",
                          "the tier follows the parent: move the node under another parent to change it");
    if (in.position) n.position = *in.position;
  }
  if (in.code) n.code = *in.code;
  if (in.title) n.title = *in.title;
  if (in.narrative) n.narrative = *in.narrative;
  if (in.assumptions) n.assumptions = *in.assumptions;
  if (in.risks) n.risks = *in.risks;
  check_code(c, before.program_id, n.code, node_id);
  c.exec(
      "UPDATE result_nodes SET parent_id = $1, tier = $2, code = $3, title = $4, narrative = $5, assumptions "
      "= $6, "
      "risks = $7, position = $8, updated_at = $9, version = version + 1 WHERE id = $10",
      {n.parent_id, n.tier, n.code, n.title, n.narrative, n.assumptions, n.risks, n.position, now, node_id});
  write_problems(c, s, node_id, in.problem_ids);
  ResultNode after = *load(c, s.org_id(), node_id);
  audit::record(c, s,
                {{},
                 "result_node.update",
                 "result_node",
                 std::to_string(node_id),
                 to_json(before, p),
                 to_json(after, p)});
  return after;
}

void remove_node(db::Connection& c, const OrgScope& s, std::int64_t node_id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  ResultNode before = require_node(c, s, node_id);
  if (before.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the node was changed by someone else; reload it");
  programs::Program p = programs::require_visible(c, s, before.program_id);
  if (c.query_int("SELECT 1 FROM result_nodes WHERE parent_id = $1", {node_id}))
    throw Error(ErrorCode::conflict, "'" + before.title + "' has nodes below it; remove or move them first");
  c.exec("DELETE FROM result_node_problems WHERE node_id = $1", {node_id});
  try {
    c.exec("DELETE FROM result_nodes WHERE id = $1", {node_id});
  } catch (const Error& e) {
    // A foreign key of another part (indicators, activities) still points at the node.
    if (e.code() != ErrorCode::conflict) throw;
    throw Error(ErrorCode::conflict,
                "'" + before.title + "' still has indicators or activities; remove or move them first");
  }
  audit::record(c, s,
                {{}, "result_node.delete", "result_node", std::to_string(node_id), to_json(before, p), {}});
}

}  // namespace gotong::domain::results
