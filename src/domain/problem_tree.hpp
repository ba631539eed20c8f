// The problem tree of a core problem (one core node, causes below it, effects above it; a cause
// may have causes and an effect further effects) and the objective tree it turns into: each
// node keeps its negative statement and gets the desired state the user writes for it, and the
// nodes map to the levels a results framework is seeded from (results::seed): effects → impact
// (ends), the core → purpose, causes → outcomes right below the core and outputs deeper (means).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::problem_tree {

struct Node {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string kind;  // core, cause, effect
  std::string text;
  std::string objective_text;  // the desired state; empty until the user writes it
  int position = 0;            // among siblings
};
// The tree of problem `problem_id`, parents first (the core, then by depth and position).
struct Tree {
  std::int64_t problem_id = 0;
  std::int64_t version = 1;  // If-Match of the tree, apart from the problem's own version
  std::vector<Node> nodes;
};

// One node of a replacement body. `ref` is the id of a node of this tree (which is kept, with
// its id, unless it moves below a node newer than itself: a parent's id is always the smaller)
// or any other string naming a new node within the body; `parent` names another node of the
// body by its ref. Siblings keep the order of the body.
struct NodeInput {
  std::string ref;  // may be empty for a new node that no other node names as parent
  std::optional<std::string> parent;
  std::string kind, text;
  std::optional<std::string> objective_text;  // unset: a kept node keeps its own
};
// The body {"nodes": [{id, parent_id, kind, text, objective_text}]}, checked for shape.
std::vector<NodeInput> parse_nodes(const boost::json::object& body);
// Checks the structure (pure): no nodes at all, or exactly one core without a parent and every
// other node below a parent of the body (a cause below the core or a cause, an effect below the
// core or an effect), no cycles, at most 20 levels. Returns the indices parents first.
// Error(validation) naming the offending node ("nodes[3].parent_id").
std::vector<std::size_t> check_structure(const std::vector<NodeInput>& nodes);

Tree get(db::Connection& c, const OrgScope& s, std::int64_t problem_id);
// Replaces the whole tree (an empty list removes it); 412 when `expected_version` is stale.
Tree replace(db::Connection& c, const OrgScope& s, std::int64_t problem_id, std::int64_t expected_version,
             const std::vector<NodeInput>& nodes);
// Sets the objective text of some nodes (id → text; "" clears it).
Tree set_objectives(db::Connection& c, const OrgScope& s, std::int64_t problem_id,
                    std::int64_t expected_version,
                    const std::vector<std::pair<std::int64_t, std::string>>& texts);
std::vector<std::pair<std::int64_t, std::string>> parse_objectives(const boost::json::object& body);

struct ObjectiveNode {
  std::int64_t id = 0;  // the problem tree node's id
  std::optional<std::int64_t> parent_id;
  std::string kind;         // end, purpose, means (what results::seed reads)
  std::string level;        // impact, purpose, outcome, output
  std::string source_kind;  // core, cause, effect
  int depth = 0;            // steps from the core
  std::string problem_text, objective_text;
  std::string statement;  // the objective text, or the problem text while none is written
};
// The mapping (pure), in the order of `nodes` (parents first).
std::vector<ObjectiveNode> to_objectives(const std::vector<Node>& nodes);
// The objective tree of problem `problem_id` (its id is the objective tree's id); empty when the
// problem has no tree. Error(not_found) for a problem the organisation does not have.
std::vector<ObjectiveNode> objective_tree(db::Connection& c, const OrgScope& s, std::int64_t problem_id);

boost::json::object to_json(const Tree& t);
boost::json::object objective_json(const Tree& t, const std::vector<ObjectiveNode>& nodes);

}  // namespace gotong::domain::problem_tree
