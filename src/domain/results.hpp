// A program's results framework (IATI result levels): a tree of nodes whose depth is the
// program's number of tiers, each child exactly one tier below its parent, each node with a
// narrative, assumptions, risks and the problems it addresses. Seeded from an objective tree.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"
#include "domain/programs.hpp"
#include "domain/result_templates.hpp"

namespace gotong::domain::results {

struct ResultNode {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t program_id = 0;
  std::optional<std::int64_t> parent_id;
  int tier = 0;  // 0 = top; the name is the program's tiers[tier]
  std::string code, title, narrative, assumptions, risks;
  std::int64_t position = 0;  // order among siblings
  std::vector<std::int64_t> problem_ids;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// Error(not_found) unless the node exists in the scope's organisation and its program is
// visible to the scope (programs::require_visible).
ResultNode require_node(db::Connection& c, const OrgScope& s, std::int64_t node_id);

// Every node of the program, parents before children (by tier, then position).
std::vector<ResultNode> nodes(db::Connection& c, const OrgScope& s, std::int64_t program_id);
// {program_id, framework_template, tiers, nodes: [{..., tier_name, children: [...]}]}
boost::json::object tree_json(const programs::Program& p, const std::vector<ResultNode>& all);

// A create or update body. parent_id: absent = unchanged (create: top tier), null = top tier.
struct NodeInput {
  std::optional<std::optional<std::int64_t>> parent_id;
  std::optional<int> tier;  // when given it must be the tier the parent implies
  std::optional<std::string> code, title, narrative, assumptions, risks;
  std::optional<std::int64_t> position;
  std::optional<std::vector<std::int64_t>> problem_ids;
};
NodeInput parse_node_input(const boost::json::object& body);

ResultNode create_node(db::Connection& c, const OrgScope& s, std::int64_t program_id, const NodeInput& in);
// Moving (a new parent_id) carries the node's subtree along, shifting its tiers so every child
// stays one tier below its parent; refused when the subtree would fall below the last tier.
ResultNode update_node(db::Connection& c, const OrgScope& s, std::int64_t node_id,
                       std::int64_t expected_version, const NodeInput& in);
// Refused (409) while the node has children, or rows of other parts (indicators, activities)
// refer to it by a foreign key.
void remove_node(db::Connection& c, const OrgScope& s, std::int64_t node_id, std::int64_t expected_version);

boost::json::object to_json(const ResultNode& n, const programs::Program& p);

// -- seeding from an objective tree -------------------------------------------------------
// One node of an objective tree, as problem_tree.hpp gives it.
struct SeedSource {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string kind;  // end, purpose, means
  std::string statement;
};
struct PlannedNode {
  std::int64_t source_id = 0;
  std::optional<std::size_t> parent;  // index of an earlier PlannedNode
  int tier = 0;
  std::string title;
};
// The framework an objective tree gives, parents first: ends → tier 0, purpose → tier 1,
// means right below a purpose → tier 2, deeper means → tier 3 (all of them: the tree is
// flattened there), each clamped to the last of `tier_count` tiers. A node's parent is its
// nearest ancestor one tier up, or else the first node one tier up (an objective tree may hang
// its ends below the purpose). Error(validation) when a tier the tree needs has no node.
std::vector<PlannedNode> plan_seed(const std::vector<SeedSource>& tree, int tier_count);
// Creates the framework from objective tree `objective_tree_id`; 409 when the program has nodes.
std::vector<ResultNode> seed(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                             std::int64_t objective_tree_id);

}  // namespace gotong::domain::results
