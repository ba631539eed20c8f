// Seeding a results framework from an objective tree (results.hpp): the planning is pure
// (plan_seed), the writing takes the tree from domain/problem_tree.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/problem_tree.hpp"
#include "domain/results.hpp"

namespace gotong::domain::results {

namespace bj = boost::json;

std::vector<PlannedNode> plan_seed(const std::vector<SeedSource>& tree, int tier_count) {
  std::map<std::int64_t, std::size_t> by_id;
  for (std::size_t i = 0; i < tree.size(); ++i) by_id[tree[i].id] = i;
  auto parent_of = [&](std::size_t i) -> std::optional<std::size_t> {
    if (!tree[i].parent_id) return std::nullopt;
    auto it = by_id.find(*tree[i].parent_id);
    return it == by_id.end() ? std::nullopt : std::optional(it->second);
  };
  // Natural tier of each node: ends 0, purpose 1, means 2 right below a non-means node, else 3.
  std::vector<int> tier(tree.size());
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto& k = tree[i].kind;
    if (k == "end")
      tier[i] = 0;
    else if (k == "purpose")
      tier[i] = 1;
    else if (k == "means") {
      auto up = parent_of(i);
      tier[i] = up && tree[*up].kind == "means" ? 3 : 2;
    } else {
      throw Error(ErrorCode::validation, "the objective tree has a node of unknown kind '" + k + "'");
    }
    tier[i] = std::min(tier[i], tier_count - 1);
  }
  // Parents first: by tier, then in the tree's order.
  std::vector<std::size_t> order(tree.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return tier[a] < tier[b]; });

  std::vector<PlannedNode> out;
  std::map<std::size_t, std::size_t> planned_at;  // tree index → index in out
  std::map<int, std::size_t> first_at_tier;       // tier → index in out of its first node
  for (std::size_t i : order) {
    PlannedNode n{tree[i].id, std::nullopt, tier[i], tree[i].statement};
    if (tier[i] > 0) {
      // The nearest ancestor one tier up (a guard against cycles: at most the tree's size steps).
      std::optional<std::size_t> up = parent_of(i);
      for (std::size_t steps = 0; up && steps < tree.size(); ++steps, up = parent_of(*up))
        if (tier[*up] == tier[i] - 1) {
          n.parent = planned_at.at(*up);
          break;
        }
      if (!n.parent) {
        auto it = first_at_tier.find(tier[i] - 1);
        if (it == first_at_tier.end()) {
          static const char* const kWhat[] = {"an end (goal)", "a purpose", "a means"};
          throw Error(ErrorCode::validation, std::string("the objective tree has no ") +
                                                 kWhat[std::min(tier[i] - 1, 2)] + " to put '" +
                                                 tree[i].statement + "' under");
        }
        n.parent = it->second;
      }
    }
    planned_at[i] = out.size();
    first_at_tier.emplace(tier[i], out.size());
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<ResultNode> seed(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                             std::int64_t objective_tree_id) {
  s.require(Permission::edit_programs);
  programs::Program p = programs::require_visible(c, s, program_id);
  if (c.query_int("SELECT 1 FROM result_nodes WHERE program_id = $1", {program_id}))
    throw Error(ErrorCode::conflict, "the program already has a results framework; seed only an empty one");
  std::vector<SeedSource> tree;
  for (const auto& o : problem_tree::objective_tree(c, s, objective_tree_id))
    tree.push_back({o.id, o.parent_id, o.kind, o.statement});
  if (tree.empty()) throw invalid_field("objective_tree_id", "the objective tree is empty");
  auto plan = plan_seed(tree, static_cast<int>(p.tiers.size()));
  const auto now = now_millis();
  std::vector<std::int64_t> ids;
  std::map<std::pair<std::optional<std::int64_t>, int>, std::int64_t> positions;
  for (const auto& n : plan) {
    std::optional<std::int64_t> parent = n.parent ? std::optional(ids.at(*n.parent)) : std::nullopt;
    std::string title = n.title;
    if (title.size() > 500) {  // cut at a character boundary, not inside a UTF-8 sequence
      std::size_t cut = 500;
      while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
      title.resize(cut);
    }
    if (title.empty()) title = "(no statement)";
    std::int64_t position = positions[{parent, n.tier}]++;
    auto row = c.query_one(
        "INSERT INTO result_nodes(org_id, program_id, parent_id, tier, title, position, created_at, "
        "updated_at) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id",
        {s.org_id(), program_id, parent, n.tier, title, position, now});
    ids.push_back(row->int_at(0));
  }
  auto all = nodes(c, s, program_id);
  bj::object after = tree_json(p, all);
  after["objective_tree_id"] = std::to_string(objective_tree_id);
  audit::record(c, s, {{}, "result_node.seed", "program", std::to_string(program_id), {}, after});
  return all;
}

}  // namespace gotong::domain::results
