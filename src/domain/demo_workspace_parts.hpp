// The pieces of the demo workspace (demo_workspace.hpp), shared by its source files: who acts,
// where, and the ids one part hands to the next.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::demo_workspace::detail {

// The organisation as its people act in it: the audit log names the coordinator, the field
// officer and the partner instead of the command line.
struct People {
  OrgScope admin, coordinator, officer, partner;
  std::int64_t coordinator_id = 0, officer_id = 0, partner_id = 0;
};
People people(db::Connection& c);

struct Place {
  std::int64_t village_id = 0;
  std::vector<std::int64_t> dusun;  // I Bosen, II Oelbubuk, III Fatumnasi, IV Nenas
  std::int64_t form_id = 0;         // the household survey
};
Place place(db::Connection& c, const OrgScope& s);

// Ids the design part makes and the field part and the indicators use.
struct Design {
  std::map<std::string, std::int64_t> problems;      // by key ("air", "sanitasi", ...)
  std::map<std::string, std::int64_t> stakeholders;  // by key
  std::int64_t program_id = 0;
  std::map<std::string, std::int64_t> nodes;  // results framework by code ("G", "O1", "OP1.1", "A1.1.1")
};

// Problems, prioritisation sessions, the problem and objective tree, stakeholders, the program
// with its framework, sharing and the engagement log.
Design write_design(db::Connection& c, const People& who, const Place& where);
// Activities, events, participants and attendance, budget lines and expenditures, feedback.
void write_field(db::Connection& c, const People& who, const Place& where, const Design& d);

// The indicators, each in its own write job, skipping those the program has; returns how many
// were made. Runs after the design and field parts (the attendance indicators count their events).
std::size_t write_indicators(db::Database& db, const People& who, std::int64_t program_id,
                             std::int64_t form_id);

// The program's id, or nullopt before the design part was written.
std::optional<std::int64_t> find_program(db::Connection& c, std::int64_t org_id);

// Reproducible draws from the raw generator output (the standard distributions differ between
// library implementations, and the demo must be the same everywhere).
class Draw {
 public:
  explicit Draw(std::uint32_t seed) : g_(seed) {}
  double uniform() { return static_cast<double>(g_() >> 5) / 134217728.0; }  // [0, 1)
  bool chance(double p) { return uniform() < p; }
  int between(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }  // inclusive

 private:
  std::mt19937 g_;
};

}  // namespace gotong::domain::demo_workspace::detail
