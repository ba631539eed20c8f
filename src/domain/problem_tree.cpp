#include "domain/problem_tree.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"

namespace gotong::domain::problem_tree {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxNodes = 300;
constexpr int kMaxDepth = 20;

std::string at_node(std::size_t i) { return "nodes[" + std::to_string(i) + "]"; }

// A node reference as the body gives it: ids travel as strings, numbers are accepted.
std::optional<std::string> ref_of(const bj::object& o, std::string_view name, const std::string& at) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (it->value().is_int64()) return std::to_string(it->value().get_int64());
  if (!it->value().is_string())
    throw invalid_field(at + "." + std::string(name), "must be a string naming a node");
  std::string r = text::trim(std::string_view(it->value().get_string()));
  if (r.empty() || r.size() > 100 || !text::is_clean_utf8(r))
    throw invalid_field(at + "." + std::string(name), "must be a node's id or a name of up to 100 bytes");
  return r;
}

struct Row {
  std::int64_t version = 0;
  bool deleted = false;
};
Row problem_row(db::Connection& c, const OrgScope& s, std::int64_t problem_id) {
  auto r = c.query_one("SELECT tree_version, deleted_at FROM problems WHERE id = $1 AND org_id = $2",
                       {problem_id, s.org_id()});
  if (!r) throw Error(ErrorCode::not_found, "no problem " + std::to_string(problem_id));
  return {r->int_at(0), !r->null_at(1)};
}

// Parents first: the core, then each level by position (nodes of a damaged tree whose parent
// chain does not reach the core come last rather than being lost).
std::vector<Node> ordered(std::vector<Node> nodes) {
  std::map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < nodes.size(); ++i) at[nodes[i].id] = i;
  std::vector<int> depth(nodes.size(), -1);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    int d = 0;
    std::size_t k = i;
    while (nodes[k].parent_id && d <= static_cast<int>(nodes.size())) {
      auto it = at.find(*nodes[k].parent_id);
      if (it == at.end()) break;
      k = it->second;
      ++d;
    }
    depth[i] = d;
  }
  std::vector<std::size_t> order(nodes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(depth[a], nodes[a].position, nodes[a].id) <
           std::tie(depth[b], nodes[b].position, nodes[b].id);
  });
  std::vector<Node> out;
  for (std::size_t i : order) out.push_back(std::move(nodes[i]));
  return out;
}

Tree load(db::Connection& c, std::int64_t problem_id, std::int64_t version) {
  Tree t;
  t.problem_id = problem_id;
  t.version = version;
  for (const auto& r :
       c.query("SELECT id, parent_id, kind, text, objective_text, position FROM problem_tree_nodes "
               "WHERE problem_id = $1",
               {problem_id}))
    t.nodes.push_back(
        {r.int_at(0), r.opt_int(1), r.text_at(2), r.text_at(3), r.text_at(4), static_cast<int>(r.int_at(5))});
  t.nodes = ordered(std::move(t.nodes));
  return t;
}

void check_writable(const Row& row, std::int64_t expected_version) {
  if (row.version != expected_version)
    throw Error(ErrorCode::precondition_failed, "the problem tree was changed by someone else; reload it");
  if (row.deleted)
    throw Error(ErrorCode::conflict, "the problem is in the bin; restore it before editing its tree");
}

std::optional<std::string> node_text(const bj::object& o, std::string_view name, const std::string& at,
                                     bool required) {
  try {
    return fields::text(o, name, 500, required);
  } catch (const Error& e) {
    if (e.details().empty()) throw;
    throw invalid_field(at + "." + e.details().front().field, e.details().front().message);
  }
}

}  // namespace

std::vector<NodeInput> parse_nodes(const bj::object& body) {
  auto it = body.find("nodes");
  if (it == body.end() || !it->value().is_array())
    throw invalid_field("nodes", "must be an array of {id, parent_id, kind, text, objective_text}");
  const auto& a = it->value().get_array();
  if (a.size() > kMaxNodes) throw invalid_field("nodes", "must have at most 300 nodes");
  std::vector<NodeInput> out;
  std::set<std::string> refs;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = at_node(i);
    if (!a[i].is_object())
      throw invalid_field(at, "must be an object {id, parent_id, kind, text, objective_text}");
    const auto& o = a[i].get_object();
    NodeInput n;
    n.ref = ref_of(o, "id", at).value_or("");
    if (!n.ref.empty() && !refs.insert(n.ref).second) throw invalid_field(at + ".id", "names two nodes");
    n.parent = ref_of(o, "parent_id", at);
    auto kind = json::optional_string(o, "kind", 20);
    if (!kind || (*kind != "core" && *kind != "cause" && *kind != "effect"))
      throw invalid_field(at + ".kind", "must be core, cause or effect");
    n.kind = *kind;
    n.text = *node_text(o, "text", at, true);
    n.objective_text = node_text(o, "objective_text", at, false);
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<std::size_t> check_structure(const std::vector<NodeInput>& nodes) {
  if (nodes.empty()) return {};
  std::map<std::string, std::size_t> by_ref;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (!nodes[i].ref.empty()) by_ref[nodes[i].ref] = i;
  std::optional<std::size_t> core;
  std::vector<std::optional<std::size_t>> parent(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    if (n.kind == "core") {
      if (core) throw invalid_field(at_node(i) + ".kind", "a problem tree has one core node");
      if (n.parent) throw invalid_field(at_node(i) + ".parent_id", "the core node has no parent");
      core = i;
      continue;
    }
    if (!n.parent)
      throw invalid_field(at_node(i) + ".parent_id",
                          "is required: a " + n.kind + " hangs below another node");
    auto p = by_ref.find(*n.parent);
    if (p == by_ref.end()) throw invalid_field(at_node(i) + ".parent_id", "names no node of the tree");
    const std::string& pk = nodes[p->second].kind;
    if (n.kind == "cause" && pk == "effect")
      throw invalid_field(at_node(i) + ".parent_id",
                          "a cause goes below the core or another cause, not an effect");
    if (n.kind == "effect" && pk == "cause")
      throw invalid_field(at_node(i) + ".parent_id",
                          "an effect goes above the core or another effect, not a cause");
    parent[i] = p->second;
  }
  if (!core) throw invalid_field("nodes", "a problem tree needs its core problem: one node of kind core");

  // Every chain of parents must end at the core; one that comes back to a node is a cycle.
  std::vector<int> depth(nodes.size(), -1);
  depth[*core] = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::vector<std::size_t> path;
    std::set<std::size_t> on_path;
    std::size_t k = i;
    while (depth[k] < 0) {
      if (!on_path.insert(k).second) {
        std::string names;
        auto from = std::find(path.begin(), path.end(), k);
        for (auto p = from; p != path.end(); ++p) names += "'" + nodes[*p].text + "' → ";
        throw invalid_field(at_node(k) + ".parent_id", "makes a cycle: " + names + "'" + nodes[k].text + "'");
      }
      path.push_back(k);
      k = *parent[k];
    }
    for (auto p = path.rbegin(); p != path.rend(); ++p) {
      depth[*p] = depth[k] + 1;
      k = *p;
      if (depth[*p] > kMaxDepth)
        throw invalid_field(at_node(*p) + ".parent_id",
                            "the tree may have at most 20 levels above or below the core");
    }
  }
  std::vector<std::size_t> order(nodes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return depth[a] < depth[b]; });
  return order;
}

Tree get(db::Connection& c, const OrgScope& s, std::int64_t problem_id) {
  s.require(Permission::read);
  return load(c, problem_id, problem_row(c, s, problem_id).version);
}

Tree replace(db::Connection& c, const OrgScope& s, std::int64_t problem_id, std::int64_t expected_version,
             const std::vector<NodeInput>& nodes) {
  s.require(Permission::edit_programs);
  Row row = problem_row(c, s, problem_id);
  check_writable(row, expected_version);
  const auto order = check_structure(nodes);
  Tree before = load(c, problem_id, row.version);
  std::map<std::string, const Node*> existing;
  for (const auto& n : before.nodes) existing[std::to_string(n.id)] = &n;

  // Detach first, so that removed nodes can go whatever their place, and kept nodes can move.
  c.exec("UPDATE problem_tree_nodes SET parent_id = NULL WHERE problem_id = $1", {problem_id});
  std::set<std::string> kept;
  for (const auto& n : nodes)
    if (existing.count(n.ref)) kept.insert(n.ref);
  for (const auto& [ref, n] : existing)
    if (!kept.count(ref)) c.exec("DELETE FROM problem_tree_nodes WHERE id = $1", {n->id});

  std::map<std::string, int> next_position;  // parent ref → next sibling position, in body order
  std::vector<int> position(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) position[i] = next_position[nodes[i].parent.value_or("")]++;
  std::map<std::string, std::int64_t> id_of;
  std::vector<std::int64_t> superseded;  // kept nodes that had to be stored anew
  const auto now = now_millis();
  for (std::size_t i : order) {
    const NodeInput& n = nodes[i];
    std::optional<std::int64_t> parent_id;
    if (n.parent) parent_id = id_of.at(*n.parent);  // parents come first in `order`
    auto old = existing.find(n.ref);
    // Ids grow from parent to child, so that copying the table in id order (migrate-data)
    // inserts every parent before its children: a node moved below a newer node is stored anew.
    const bool keep_id = old != existing.end() && (!parent_id || *parent_id < old->second->id);
    const std::string objective =
        n.objective_text.value_or(old != existing.end() ? old->second->objective_text : std::string());
    if (keep_id) {
      c.exec(
          "UPDATE problem_tree_nodes SET parent_id = $1, kind = $2, text = $3, objective_text = $4, "
          "position = $5, updated_at = $6 WHERE id = $7",
          {parent_id, n.kind, n.text, objective, position[i], now, old->second->id});
      id_of[n.ref] = old->second->id;
    } else {
      auto id = *c.query_int(
          "INSERT INTO problem_tree_nodes(org_id, problem_id, parent_id, kind, text, objective_text, "
          "position, "
          "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
          {s.org_id(), problem_id, parent_id, n.kind, n.text, objective, position[i], now});
      if (!n.ref.empty()) id_of[n.ref] = id;
      if (old != existing.end()) superseded.push_back(old->second->id);
    }
  }
  // Nothing points at them any more: every parent was detached above and set anew.
  for (auto id : superseded) c.exec("DELETE FROM problem_tree_nodes WHERE id = $1", {id});
  c.exec("UPDATE problems SET tree_version = tree_version + 1 WHERE id = $1", {problem_id});
  Tree after = load(c, problem_id, row.version + 1);
  audit::record(
      c, s,
      {{}, "problem_tree.update", "problem", std::to_string(problem_id), to_json(before), to_json(after)});
  return after;
}

std::vector<std::pair<std::int64_t, std::string>> parse_objectives(const bj::object& body) {
  auto it = body.find("nodes");
  if (it == body.end() || !it->value().is_array())
    throw invalid_field("nodes", "must be an array of {id, objective_text}");
  const auto& a = it->value().get_array();
  if (a.size() > kMaxNodes) throw invalid_field("nodes", "must have at most 300 nodes");
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = at_node(i);
    if (!a[i].is_object()) throw invalid_field(at, "must be an object {id, objective_text}");
    const auto& o = a[i].get_object();
    std::optional<std::int64_t> id;
    try {
      id = json::optional_id(o, "id");
    } catch (const Error&) {
      throw invalid_field(at + ".id", "must be the id of a node of the tree");
    }
    if (!id) throw invalid_field(at + ".id", "is required");
    auto text = node_text(o, "objective_text", at, false);
    if (!text) throw invalid_field(at + ".objective_text", "is required (\"\" clears it)");
    if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == *id; }))
      throw invalid_field(at + ".id", "names the same node twice");
    out.emplace_back(*id, std::move(*text));
  }
  return out;
}

Tree set_objectives(db::Connection& c, const OrgScope& s, std::int64_t problem_id,
                    std::int64_t expected_version,
                    const std::vector<std::pair<std::int64_t, std::string>>& texts) {
  s.require(Permission::edit_programs);
  Row row = problem_row(c, s, problem_id);
  check_writable(row, expected_version);
  Tree before = load(c, problem_id, row.version);
  bj::array was, now_is;
  const auto now = now_millis();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& [id, text] = texts[i];
    auto n =
        std::find_if(before.nodes.begin(), before.nodes.end(), [&](const Node& x) { return x.id == id; });
    if (n == before.nodes.end())
      throw invalid_field(at_node(i) + ".id", "is not a node of this problem's tree");
    c.exec("UPDATE problem_tree_nodes SET objective_text = $1, updated_at = $2 WHERE id = $3",
           {text, now, id});
    was.push_back(bj::object{{"id", std::to_string(id)}, {"objective_text", n->objective_text}});
    now_is.push_back(bj::object{{"id", std::to_string(id)}, {"objective_text", text}});
  }
  c.exec("UPDATE problems SET tree_version = tree_version + 1 WHERE id = $1", {problem_id});
  audit::record(c, s,
                {{},
                 "problem_tree.objectives",
                 "problem",
                 std::to_string(problem_id),
                 bj::object{{"nodes", std::move(was)}},
                 bj::object{{"nodes", std::move(now_is)}}});
  return load(c, problem_id, row.version + 1);
}

std::vector<ObjectiveNode> to_objectives(const std::vector<Node>& nodes) {
  std::map<std::int64_t, int> depth;
  std::vector<ObjectiveNode> out;
  for (const auto& n : nodes) {
    ObjectiveNode o;
    o.id = n.id;
    o.parent_id = n.parent_id;
    o.source_kind = n.kind;
    o.depth = n.parent_id && depth.count(*n.parent_id) ? depth[*n.parent_id] + 1 : 0;
    depth[n.id] = o.depth;
    if (n.kind == "core") {
      o.kind = "purpose";
      o.level = "purpose";
    } else if (n.kind == "effect") {
      o.kind = "end";
      o.level = "impact";
    } else {
      o.kind = "means";
      o.level = o.depth <= 1 ? "outcome" : "output";
    }
    o.problem_text = n.text;
    o.objective_text = n.objective_text;
    o.statement = n.objective_text.empty() ? n.text : n.objective_text;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<ObjectiveNode> objective_tree(db::Connection& c, const OrgScope& s, std::int64_t problem_id) {
  return to_objectives(get(c, s, problem_id).nodes);
}

bj::object to_json(const Tree& t) {
  bj::array nodes;
  for (const auto& n : t.nodes)
    nodes.push_back(
        bj::object{{"id", std::to_string(n.id)},
                   {"parent_id", n.parent_id ? bj::value(std::to_string(*n.parent_id)) : bj::value()},
                   {"kind", n.kind},
                   {"text", n.text},
                   {"objective_text", n.objective_text},
                   {"position", n.position}});
  return bj::object{
      {"problem_id", std::to_string(t.problem_id)}, {"version", t.version}, {"nodes", std::move(nodes)}};
}

bj::object objective_json(const Tree& t, const std::vector<ObjectiveNode>& nodes) {
  bj::array out;
  std::int64_t missing = 0;
  for (const auto& o : nodes) {
    if (o.objective_text.empty()) ++missing;
    out.push_back(
        bj::object{{"id", std::to_string(o.id)},
                   {"parent_id", o.parent_id ? bj::value(std::to_string(*o.parent_id)) : bj::value()},
                   {"kind", o.kind},
                   {"level", o.level},
                   {"source_kind", o.source_kind},
                   {"depth", o.depth},
                   {"problem_text", o.problem_text},
                   {"objective_text", o.objective_text},
                   {"statement", o.statement}});
  }
  return bj::object{{"objective_tree_id", std::to_string(t.problem_id)},
                    {"problem_id", std::to_string(t.problem_id)},
                    {"version", t.version},
                    {"complete", !nodes.empty() && missing == 0},
                    {"missing_objectives", missing},
                    {"nodes", std::move(out)}};
}

}  // namespace gotong::domain::problem_tree
