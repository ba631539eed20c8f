// Feedback and complaints from the community (accountability to affected people): received by
// staff (in person, phone, SMS/WhatsApp, letter, suggestion box) or sent without an account
// through a program's public link, optionally anonymously; handled received → in_progress →
// resolved (with a response; a resolved one may be reopened); and the response-time figures.
// Sensitive feedback (abuse, exploitation, fraud) is seen only by admins and coordinators.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/activity_fields.hpp"
#include "domain/context.hpp"

namespace gotong::domain::feedback {

inline constexpr const char* kChannels[] = {"in_person", "phone", "sms_whatsapp",
                                            "letter",    "box",   "public_link"};
inline constexpr const char* kCategories[] = {"question", "suggestion", "complaint", "sensitive"};
inline constexpr const char* kStatuses[] = {"received", "in_progress", "resolved"};

// Who may see sensitive feedback and handle any: the organisation's admins and coordinators.
bool handles_feedback(const OrgScope& s);

// -- pure rules ---------------------------------------------------------------------------
// Whether a status may follow another: received → in_progress | resolved, in_progress →
// resolved, resolved → in_progress (reopened). Staying is not a transition.
bool allowed_transition(std::string_view from, std::string_view to);
// The p-th quantile (0 ≤ p ≤ 1) of `values` by linear interpolation between the closest ranks
// (Hyndman & Fan type 7, as spreadsheets' PERCENTILE.INC); nullopt when empty. Sorts `values`.
std::optional<double> quantile(std::vector<double>& values, double p);
// A reference like "FB-7K3M9Q2A" from a random number: eight letters and digits that cannot
// be mistaken for each other when read out over the phone (no 0/O, 1/I/L).
std::string make_reference(std::uint64_t random);

// -- feedback -----------------------------------------------------------------------------
struct Feedback {
  std::int64_t id = 0;
  std::optional<std::int64_t> program_id;
  std::string program_name;
  std::string reference, channel, category, message;
  bool anonymous = false;
  std::string sender_name, sender_contact;
  std::optional<activity_fields::AreaRef> area;
  std::string status, response;
  std::int64_t received_at = 0;
  std::optional<std::int64_t> first_response_at, resolved_at;
  std::int64_t reopened = 0;
  std::optional<std::int64_t> received_by;
  std::string received_by_name;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct Input {
  std::optional<std::optional<std::int64_t>> program_id, area_id;
  std::optional<std::string> channel, category, message, sender_name, sender_contact, status, response;
  std::optional<bool> anonymous;
  std::optional<std::int64_t> received_at;  // staff may enter what arrived earlier (a letter)
};
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::int64_t> program_id;
  std::optional<std::string> status, category, channel, reference;
  std::optional<std::int64_t> from, to;  // received_at within [from, to)
};
struct Page {
  std::vector<Feedback> items;
  std::optional<std::string> next_cursor;
};
// Newest first; what the scope may see (no sensitive ones unless handles_feedback, partners
// only feedback about programs shared with them).
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
Feedback get(db::Connection& c, const OrgScope& s, std::int64_t id);
// Received by staff (collect_data); the status starts at received.
Feedback create(db::Connection& c, const OrgScope& s, const Input& in);
// Handling: status, response, category, program, area (handles_feedback). Resolving needs a
// response; reopening clears the resolution time.
Feedback update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                const Input& in);
boost::json::object to_json(const Feedback& f);
// What the sender or a staff member who may not see it gets back: the reference and the status.
boost::json::object receipt_json(const Feedback& f);
// Whether the scope may see this feedback (for answering a create with the full item or not).
bool visible_to(const OrgScope& s, const Feedback& f);

struct Spread {
  std::int64_t count = 0;
  std::optional<double> median, p90;  // days
};
struct Figures {
  std::int64_t total = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_status, by_category, by_channel;
  Spread to_first_response, to_resolution;
};
// Over the feedback the scope may see, filtered like list() (status, category and reference ignored).
Figures figures(db::Connection& c, const OrgScope& s, const Filter& f);
boost::json::object to_json(const Figures& f);

// -- public links -------------------------------------------------------------------------
struct Link {
  std::int64_t program_id = 0;
  std::string token;
  std::int64_t created_at = 0;
};
// The program's live link; Error(not_found) when it has none.
Link link(db::Connection& c, const OrgScope& s, std::int64_t program_id);
// Makes a new link for the program, revoking the one before (handles_feedback).
Link create_link(db::Connection& c, const OrgScope& s, std::int64_t program_id);
void revoke_link(db::Connection& c, const OrgScope& s, std::int64_t program_id);
boost::json::object to_json(const Link& l, std::string_view org_slug);

struct PublicInput {
  std::string message;
  std::string category = "complaint";
  bool anonymous = false;
  std::string sender_name, sender_contact;
};
PublicInput parse_public_input(const boost::json::object& body);

struct ThrottlePolicy {
  int posts = 20;  // posts from one address within the window
  std::int64_t window_ms = 60 * 60 * 1000;
};
// Feedback sent through the public link `token` of organisation `org_slug`; returns the
// reference. Every attempt (a wrong token too) counts against the sender's address:
// Error(too_many_requests) with a retry-after beyond the policy. Error(not_found) for an
// unknown organisation or token, a revoked link or a deleted program.
std::string receive_public(db::Database& db, std::string_view org_slug, std::string_view token,
                           const PublicInput& in, const std::string& ip, const std::string& request_id,
                           const ThrottlePolicy& policy = {});

}  // namespace gotong::domain::feedback
