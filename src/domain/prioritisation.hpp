// Prioritisation sessions: several participants rank a set of the organisation's problems,
// either with a scoring matrix of weighted criteria (each problem scored 1–5 per criterion) or
// by pairwise comparison (every pair once per participant, ties allowed). The rankings are
// computed by pure functions (rank_scores, rank_pairwise) from the stored entries.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::prioritisation {

// -- the computations (pure) ----------------------------------------------------------------
struct Criterion {
  std::int64_t id = 0;
  std::string name;
  double weight = 1;  // > 0
};
struct Score {
  std::string participant;  // participant key
  std::int64_t problem_id = 0, criterion_id = 0;
  int score = 0;  // 1–5
};
struct CriterionResult {
  std::int64_t criterion_id = 0;
  std::string name;
  double weight = 0;
  std::optional<double> mean;  // of the participants who scored this problem on this criterion
  int scores = 0;              // how many did
  double contribution = 0;     // weight × mean, as points of the 0–100 total
};
struct ScoredProblem {
  std::int64_t problem_id = 0;
  int rank = 0;           // ties share a rank (1, 2, 2, 4)
  double total = 0;       // 100 × Σ weight × mean / (5 × Σ weight); a criterion nobody scored adds 0
  int participants = 0;   // who scored the problem on at least one criterion
  bool complete = false;  // every criterion has at least one score
  std::vector<CriterionResult> criteria;
};
// Every problem of `problems` (the session's order breaks ties), best first. Scores of other
// problems or criteria are ignored.
std::vector<ScoredProblem> rank_scores(const std::vector<std::int64_t>& problems,
                                       const std::vector<Criterion>& criteria,
                                       const std::vector<Score>& scores);

enum class Winner { a, b, tie };
struct Vote {
  std::string participant;
  std::int64_t problem_a = 0, problem_b = 0;
  Winner winner = Winner::tie;
};
struct PairwiseProblem {
  std::int64_t problem_id = 0;
  int rank = 0;
  double points = 0;  // 1 per win, 0.5 per tie
  int wins = 0, ties = 0, losses = 0;
};
struct MissingPairs {
  std::string participant;
  int votes = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> missing;  // in the session's order
};
struct PairwiseRanking {
  std::vector<PairwiseProblem> items;      // best first
  int pairs_per_participant = 0;           // n(n−1)/2
  std::vector<MissingPairs> participants;  // everyone who voted, by participant key
  bool complete = false;                   // someone voted and nobody misses a pair
};
// A later vote of a participant on the same pair replaces the earlier one (either order of the
// pair). Votes on problems outside `problems` are ignored.
PairwiseRanking rank_pairwise(const std::vector<std::int64_t>& problems, const std::vector<Vote>& votes);

// -- sessions ------------------------------------------------------------------------------
struct CriterionRow {
  std::int64_t id = 0;
  std::string key;  // severity, people_affected, urgency, feasibility, community_priority; "" when added
  std::string name;
  double weight = 1;
  int position = 0;
};
struct SessionProblem {
  std::int64_t id = 0;
  std::string title, status;
  bool deleted = false;  // put in the bin after it was added
};
struct Participant {
  std::string key;  // "user:<id>" or "name:<folded name>"
  std::string name;
  std::optional<std::int64_t> user_id;
  int entries = 0;  // scores or votes
};
struct Session {
  std::int64_t id = 0;
  std::string title, description;
  std::optional<std::string> held_on;  // YYYY-MM-DD
  std::string method;                  // scoring, pairwise
  std::string status;                  // draft, closed
  std::vector<SessionProblem> problems;
  std::vector<CriterionRow> criteria;  // scoring only
  std::vector<Participant> participants;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> closed_at;
  std::int64_t version = 1;
};

struct CriterionInput {
  std::optional<std::int64_t> id;  // an existing criterion of the session keeps its scores
  std::string name;
  double weight = 1;
};
// Members left unset keep their value on update. criteria replace the whole list: a criterion
// left out is removed with its scores; so are the entries of a problem left out of problem_ids.
struct Input {
  std::optional<std::string> title, description, method;
  std::optional<std::optional<std::string>> held_on;
  std::optional<std::vector<std::int64_t>> problem_ids;
  std::optional<std::vector<CriterionInput>> criteria;
};
Input parse_input(const boost::json::object& body);

struct Filter {
  std::optional<std::string> status;
  std::optional<std::string> method;
};
struct Page {
  std::vector<Session> items;
  std::optional<std::string> next_cursor;
};
// Newest first.
Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit);
Session get(db::Connection& c, const OrgScope& s, std::int64_t id);
// Scoring sessions without criteria get the five default ones, each of weight 1.
Session create(db::Connection& c, const OrgScope& s, const Input& in);
Session update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
               const Input& in);
// No more scores, votes or changes; the ranking stays readable.
Session close(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

// Who the entries of a request are from: a name typed by the facilitator, else the caller.
struct Who {
  std::string key, name;
  std::optional<std::int64_t> user_id;
};
Who participant(const OrgScope& s, const std::optional<std::string>& name);

struct ScoreInput {
  std::int64_t problem_id = 0, criterion_id = 0;
  std::optional<int> score;  // nullopt removes the participant's score of that cell
};
std::vector<ScoreInput> parse_scores(const boost::json::object& body);
struct VoteInput {
  std::int64_t problem_a = 0, problem_b = 0;
  Winner winner = Winner::tie;
};
std::vector<VoteInput> parse_votes(const boost::json::object& body);

struct Entry {  // a stored score or vote, as listed
  std::string participant, participant_name;
  std::optional<std::int64_t> user_id;
  std::int64_t problem_id = 0;
  std::int64_t criterion_id = 0;  // scores
  int score = 0;                  // scores
  std::int64_t problem_b = 0;     // votes (problem_id is problem a, the smaller id)
  Winner winner = Winner::tie;    // votes
  std::int64_t updated_at = 0;
};
// Stores one participant's scores (each replaces that participant's earlier score of the cell);
// returns all of that participant's scores in the session.
std::vector<Entry> record_scores(db::Connection& c, const OrgScope& s, std::int64_t id, const Who& who,
                                 const std::vector<ScoreInput>& scores);
// Stores one participant's votes (each replaces that participant's earlier vote on the pair);
// returns all of that participant's votes in the session.
std::vector<Entry> record_votes(db::Connection& c, const OrgScope& s, std::int64_t id, const Who& who,
                                const std::vector<VoteInput>& votes);
// Every stored score (scoring) or vote (pairwise), optionally of one participant key.
std::vector<Entry> entries(db::Connection& c, const OrgScope& s, std::int64_t id,
                           const std::optional<std::string>& participant);

// The session's ranking with the breakdown of each problem, as the API shows it.
boost::json::object ranking(db::Connection& c, const OrgScope& s, std::int64_t id);

boost::json::object to_json(const Session& p);
boost::json::object to_json(const Entry& e, const std::string& method);
const char* winner_name(Winner w);

}  // namespace gotong::domain::prioritisation
