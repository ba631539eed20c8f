// The participant register of an organisation: the people its events reach, with sex, birth
// year, disability by the Washington Group short set, area and phone. The NIK (national id) is
// only ever kept as a digest keyed with the organisation's own salt: it is never returned,
// logged or written to the audit log. Duplicates (same NIK digest, or the same folded name,
// birth year and village) are offered as pairs for merging, so that "unique people reached"
// counts people and not registrations.
//
// Partner users see the participants who attended events of programs shared with them, and
// those they registered themselves.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/activity_fields.hpp"
#include "domain/context.hpp"

namespace gotong::domain::participants {

// -- pure rules ---------------------------------------------------------------------------
// The six domains of the Washington Group short set, in the set's order.
inline constexpr std::array<const char*, 6> kWgDomains = {"seeing",      "hearing",   "walking",
                                                          "remembering", "self_care", "communicating"};
// Answers to each question ("Do you have difficulty ...?").
inline constexpr std::array<const char*, 4> kWgAnswers = {"none", "some", "a_lot", "cannot"};
using WgAnswers = std::array<std::optional<std::string>, 6>;  // nullopt: not asked

// The Washington Group's recommended cut-off: "with" a disability when any domain is answered
// a_lot or cannot; "without" when all six were answered and none is; otherwise "unknown".
std::string_view disability_status(const WgAnswers& wg);

// Age bands for disaggregation, by age reached in the year of the event.
inline constexpr std::array<const char*, 5> kAgeBands = {"0-4", "5-17", "18-59", "60+", "unknown"};
// Index into kAgeBands; 4 (unknown) without a birth year or for a birth after the year.
std::size_t age_band(std::optional<int> birth_year, int year);

// A NIK is 16 ASCII digits.
bool valid_nik(std::string_view nik);

// The key names are compared by: folded (case, accents, punctuation) with single spaces.
std::string name_key(std::string_view name);

// -- the register -------------------------------------------------------------------------
struct Participant {
  std::int64_t id = 0;
  std::string name;
  std::string sex;  // female, male
  std::optional<int> birth_year;
  WgAnswers wg;
  std::string disability;  // with, without, unknown
  std::optional<activity_fields::AreaRef> area;
  std::optional<std::int64_t> village_id;
  std::string phone;
  bool has_nik = false;
  std::optional<std::int64_t> merged_into;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

// A create or update body; unset members keep their value. `nik` is optional(nullopt) when the
// body clears it with null. `wg` replaces all six answers when given (a domain left out: not asked).
struct Input {
  std::optional<std::string> name, sex, phone;
  std::optional<std::optional<std::int64_t>> birth_year, area_id;
  std::optional<std::optional<std::string>> nik;
  std::optional<WgAnswers> wg;
};
// Error(validation) for a wrong shape or value; field names get `prefix` ("walk_ins[2].").
// The NIK is checked here and its value never appears in an error.
Input parse_input(const boost::json::object& body, const std::string& prefix = "");

struct Filter {
  std::optional<std::string> text;      // words of the name
  std::optional<std::int64_t> area_id;  // living in this area or below it
  std::optional<std::string> sex, disability;
};
struct Page {
  std::vector<Participant> items;
  std::optional<std::string> next_cursor;
};
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
// Error(not_found) unless visible to the scope. A merged participant is still found (with
// merged_into set), so that clients holding its old id can follow it.
Participant get(db::Connection& c, const OrgScope& s, std::int64_t id);
// Needs collect_data. `prefix` names the fields in errors (walk-ins of an attendance list).
Participant create(db::Connection& c, const OrgScope& s, const Input& in, const std::string& prefix = "");
Participant update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                   const Input& in);
// Puts the participant in the bin (edit_programs): no longer listed or counted in reach.
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

// For walk-ins: the live participant with this NIK (following a merge), if the organisation has one.
std::optional<std::int64_t> find_by_nik(db::Connection& c, const OrgScope& s, std::string_view nik);
// The live participant an id stands for: itself, or the one it was merged into; nullopt when
// it is not a participant of the organisation or is in the bin.
std::optional<std::int64_t> live_id(db::Connection& c, const OrgScope& s, std::int64_t id);
// SQL condition keeping the participants (alias `p`) the scope may see; appends its parameters.
std::string visible_condition(const OrgScope& s, db::Params& params);

// -- duplicates and merging ---------------------------------------------------------------
struct Candidate {
  std::int64_t low_id = 0, high_id = 0;
  bool same_nik = false;
  bool same_name_birth_year_village = false;
};
// Candidate pairs among the organisation's live participants, same NIK first, then by the
// lower id; pairs decided to be different people are left out. SQL groups the keys, so only
// participants sharing a key are read (100,000 participants in well under a second).
std::vector<Candidate> find_candidates(db::Connection& c, std::int64_t org_id);

struct Pair {
  Candidate candidate;
  Participant low, high;
  std::int64_t low_attendance = 0, high_attendance = 0;
};
struct Duplicates {
  std::vector<Pair> items;
  std::int64_t total = 0;
  std::optional<std::string> next_cursor;
};
// Needs edit_programs (merging is a coordinator's decision).
Duplicates duplicates(db::Connection& c, const OrgScope& s, std::optional<std::string> cursor, int limit);
// Records that the two are different people (edit_programs); they are no longer offered.
void dismiss(db::Connection& c, const OrgScope& s, std::int64_t a, std::int64_t b);

struct MergeResult {
  Participant kept;
  std::int64_t merged_id = 0;
  std::int64_t attendance_moved = 0;    // attendances moved to the kept participant
  std::int64_t attendance_dropped = 0;  // both attended the same event: counted once
};
// Moves `merge_id`'s attendance to `keep_id`, fills the kept participant's empty fields from
// the other, and marks the other merged. 409 when both have a NIK and they differ.
MergeResult merge(db::Connection& c, const OrgScope& s, std::int64_t keep_id, std::int64_t expected_version,
                  std::int64_t merge_id);

boost::json::object to_json(const Participant& p);

// Rows of participants by id (for lists of attendees and pairs), without visibility checks.
std::vector<Participant> load_many(db::Connection& c, std::int64_t org_id,
                                   const std::vector<std::int64_t>& ids);

}  // namespace gotong::domain::participants
