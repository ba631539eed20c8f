// The community's problems (needs assessment): what, where, who is affected, where it was raised,
// SDGs Desa goals and sectors, status, and the evidence behind it (a form field, an indicator, a
// document, a URL). Deleting puts a problem in the bin, from which it can be restored.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::problems {

inline constexpr const char* kSources[] = {"musyawarah_desa", "survey", "observation", "government_data",
                                           "other"};
inline constexpr const char* kStatuses[] = {"open", "addressed", "dropped"};
inline constexpr const char* kEvidenceKinds[] = {"form_field", "indicator", "document", "url"};
inline constexpr int kSdgGoals = 18;  // SDGs Desa (Permendesa PDTT 13/2020): goals 1–18

struct AreaRef {
  std::int64_t id = 0;
  std::string name, code, full_name;
};
struct AffectedGroup {
  std::string name;                   // "Rumah tangga tanpa sambungan air"
  std::optional<std::int64_t> count;  // people or households, when known
};
struct Evidence {
  std::int64_t id = 0;
  std::string kind;  // form_field, indicator, document, url
  std::optional<std::int64_t> form_id;
  std::string form_title;  // form_field
  std::string reference;   // field path, indicator id or code, document name, URL
  std::string note;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0;
};
struct Problem {
  std::int64_t id = 0;
  std::string title, description;
  std::optional<AreaRef> area;
  std::vector<AffectedGroup> affected_groups;
  std::string source;                // kSources
  std::vector<int> sdg_goals;        // ascending
  std::vector<std::string> sectors;  // as typed
  std::string status;                // kStatuses
  std::vector<Evidence> evidence;
  bool has_tree = false;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> deleted_at;
  std::int64_t version = 1;
  std::int64_t tree_version = 1;
};

// A create or update body, checked for shape; members left unset keep their value on update.
struct Input {
  std::optional<std::string> title, description, source, status;
  std::optional<std::optional<std::int64_t>> area_id;  // null clears it
  std::optional<std::vector<AffectedGroup>> affected_groups;
  std::optional<std::vector<int>> sdg_goals;
  std::optional<std::vector<std::string>> sectors;
};
// Error(validation) with the field for a wrong shape or value that needs no database.
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::string> text;      // words of the title, description or affected groups
  std::optional<std::int64_t> area_id;  // problems in this area or below it
  std::optional<std::string> tag;       // an SDGs Desa goal number ("6") or a sector name
  std::optional<std::string> source, status;
  bool deleted = false;  // the bin instead of the live problems
};
struct Page {
  std::vector<Problem> items;
  std::optional<std::string> next_cursor;
};
// Newest first.
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
// Also a problem in the bin; Error(not_found) unless it is the scope's organisation's.
Problem get(db::Connection& c, const OrgScope& s, std::int64_t id);
Problem create(db::Connection& c, const OrgScope& s, const Input& in);
// 409 for a problem in the bin.
Problem update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
               const Input& in);
Problem remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
Problem restore(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

struct EvidenceInput {
  std::string kind;
  std::optional<std::int64_t> form_id;  // form_field
  std::string reference;                // form_field: the field's name or path
  std::string note;
};
EvidenceInput parse_evidence(const boost::json::object& body);
// A form field must exist in the form's published version; the link keeps the field's path.
Evidence add_evidence(db::Connection& c, const OrgScope& s, std::int64_t problem_id, const EvidenceInput& in);
void remove_evidence(db::Connection& c, const OrgScope& s, std::int64_t problem_id, std::int64_t evidence_id);

// The key a tag filter compares: "sdg:6" for a goal number, "sector:air-bersih" for a sector;
// Error(validation) on `field` for anything else.
std::string tag_key(std::string_view tag, const std::string& field = "tag");

boost::json::object to_json(const Problem& p);
boost::json::object to_json(const Evidence& e);

}  // namespace gotong::domain::problems
