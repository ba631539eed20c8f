#include "domain/prioritisation.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "base/error.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"
#include "domain/program_fields.hpp"

namespace gotong::domain::prioritisation {

namespace bj = boost::json;

// -- the computations ----------------------------------------------------------------------
namespace {

// Totals compared for ties at a millionth of a point: two problems with the same scores must
// tie even when their sums were added up in another order.
std::int64_t tie_key(double v) { return std::llround(v * 1e6); }

// Competition ranking ("1, 2, 2, 4") over items already sorted best first.
template <class T, class Key>
void assign_ranks(std::vector<T>& items, Key key) {
  for (std::size_t i = 0; i < items.size(); ++i)
    items[i].rank = i > 0 && key(items[i]) == key(items[i - 1]) ? items[i - 1].rank : static_cast<int>(i + 1);
}

}  // namespace

std::vector<ScoredProblem> rank_scores(const std::vector<std::int64_t>& problems,
                                       const std::vector<Criterion>& criteria,
                                       const std::vector<Score>& scores) {
  std::map<std::int64_t, std::size_t> at_problem, at_criterion;
  for (std::size_t i = 0; i < problems.size(); ++i) at_problem.emplace(problems[i], i);
  for (std::size_t j = 0; j < criteria.size(); ++j) at_criterion.emplace(criteria[j].id, j);
  const std::size_t m = criteria.size();
  std::vector<double> sum(problems.size() * m, 0);
  std::vector<int> count(problems.size() * m, 0);
  std::vector<std::set<std::string>> who(problems.size());
  for (const auto& s : scores) {
    auto p = at_problem.find(s.problem_id);
    auto c = at_criterion.find(s.criterion_id);
    if (p == at_problem.end() || c == at_criterion.end()) continue;
    sum[p->second * m + c->second] += s.score;
    ++count[p->second * m + c->second];
    who[p->second].insert(s.participant);
  }
  double weight_sum = 0;
  for (const auto& c : criteria) weight_sum += c.weight;

  std::vector<ScoredProblem> out;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    ScoredProblem sp;
    sp.problem_id = problems[i];
    sp.participants = static_cast<int>(who[i].size());
    sp.complete = m > 0;
    for (std::size_t j = 0; j < m; ++j) {
      CriterionResult r{criteria[j].id, criteria[j].name, criteria[j].weight,
                        std::nullopt,   count[i * m + j], 0};
      if (r.scores > 0) {
        r.mean = sum[i * m + j] / r.scores;
        // 5 is the highest score: a problem scored 5 on every criterion totals 100.
        r.contribution = 100.0 * r.weight * *r.mean / (5.0 * weight_sum);
      } else {
        sp.complete = false;
      }
      sp.total += r.contribution;
      sp.criteria.push_back(std::move(r));
    }
    out.push_back(std::move(sp));
  }
  // Stable: equal totals keep the session's order.
  std::stable_sort(out.begin(), out.end(), [](const ScoredProblem& a, const ScoredProblem& b) {
    return tie_key(a.total) > tie_key(b.total);
  });
  assign_ranks(out, [](const ScoredProblem& p) { return tie_key(p.total); });
  return out;
}

PairwiseRanking rank_pairwise(const std::vector<std::int64_t>& problems, const std::vector<Vote>& votes) {
  std::map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < problems.size(); ++i) at.emplace(problems[i], i);
  // (participant, smaller id, larger id) → winner relative to that order; later votes replace.
  std::map<std::tuple<std::string, std::int64_t, std::int64_t>, Winner> latest;
  for (const auto& v : votes) {
    if (v.problem_a == v.problem_b || !at.count(v.problem_a) || !at.count(v.problem_b)) continue;
    Winner w = v.winner;
    std::int64_t lo = v.problem_a, hi = v.problem_b;
    if (lo > hi) {
      std::swap(lo, hi);
      if (w != Winner::tie) w = w == Winner::a ? Winner::b : Winner::a;
    }
    latest[{v.participant, lo, hi}] = w;
  }
  PairwiseRanking out;
  const std::size_t n = problems.size();
  out.pairs_per_participant = static_cast<int>(n * (n > 0 ? n - 1 : 0) / 2);
  std::vector<PairwiseProblem> stats(n);
  for (std::size_t i = 0; i < n; ++i) stats[i].problem_id = problems[i];
  std::map<std::string, std::set<std::pair<std::int64_t, std::int64_t>>> voted;
  for (const auto& [k, w] : latest) {
    const auto& [who, lo, hi] = k;
    auto& a = stats[at.at(lo)];
    auto& b = stats[at.at(hi)];
    if (w == Winner::tie) {
      a.points += 0.5;
      b.points += 0.5;
      ++a.ties;
      ++b.ties;
    } else {
      auto& winner = w == Winner::a ? a : b;
      auto& loser = w == Winner::a ? b : a;
      winner.points += 1;
      ++winner.wins;
      ++loser.losses;
    }
    voted[who].insert({lo, hi});
  }
  out.complete = !voted.empty();
  for (const auto& [who, pairs] : voted) {
    MissingPairs mp{who, static_cast<int>(pairs.size()), {}};
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        std::pair<std::int64_t, std::int64_t> key{std::min(problems[i], problems[j]),
                                                  std::max(problems[i], problems[j])};
        if (!pairs.count(key)) mp.missing.emplace_back(problems[i], problems[j]);
      }
    if (!mp.missing.empty()) out.complete = false;
    out.participants.push_back(std::move(mp));
  }
  std::stable_sort(stats.begin(), stats.end(), [](const PairwiseProblem& a, const PairwiseProblem& b) {
    return tie_key(a.points) > tie_key(b.points);
  });
  assign_ranks(stats, [](const PairwiseProblem& p) { return tie_key(p.points); });
  out.items = std::move(stats);
  return out;
}

const char* winner_name(Winner w) {
  switch (w) {
    case Winner::a:
      return "a";
    case Winner::b:
      return "b";
    case Winner::tie:
      return "tie";
  }
  return "tie";
}

// -- sessions ------------------------------------------------------------------------------
namespace {

struct DefaultCriterion {
  const char* key;
  const char* name;
};
// Higher scores argue for a higher priority on every criterion (feasibility 5 = easiest to address).
constexpr DefaultCriterion kDefaultCriteria[] = {{"severity", "Severity"},
                                                 {"people_affected", "People affected"},
                                                 {"urgency", "Urgency"},
                                                 {"feasibility", "Feasibility"},
                                                 {"community_priority", "Community priority"}};

constexpr std::size_t kMaxScoringProblems = 50, kMaxPairwiseProblems = 30, kMaxCriteria = 20;

constexpr const char* kColumns =
    "id, title, description, held_on, method, status, created_by, created_at, updated_at, closed_at, version";

std::optional<std::int64_t> user_or_null(const OrgScope& s) {
  return s.actor().user_id ? std::optional(s.actor().user_id) : std::nullopt;
}

Session from_row(const db::Row& r) {
  Session p;
  p.id = r.int_at(0);
  p.title = r.text_at(1);
  p.description = r.text_at(2);
  p.held_on = r.opt_text(3);
  p.method = r.text_at(4);
  p.status = r.text_at(5);
  p.created_by = r.opt_int(6);
  p.created_at = r.int_at(7);
  p.updated_at = r.int_at(8);
  p.closed_at = r.opt_int(9);
  p.version = r.int_at(10);
  return p;
}

Session load_detail(db::Connection& c, Session p) {
  for (const auto& r :
       c.query("SELECT pp.problem_id, p.title, p.status, p.deleted_at FROM prioritisation_problems pp "
               "JOIN problems p ON p.id = pp.problem_id WHERE pp.prioritisation_id = $1 "
               "ORDER BY pp.position",
               {p.id}))
    p.problems.push_back({r.int_at(0), r.text_at(1), r.text_at(2), !r.null_at(3)});
  for (const auto& r : c.query("SELECT id, key, name, weight, position FROM prioritisation_criteria "
                               "WHERE prioritisation_id = $1 ORDER BY position, id",
                               {p.id}))
    p.criteria.push_back(
        {r.int_at(0), r.text_at(1), r.text_at(2), r.double_at(3), static_cast<int>(r.int_at(4))});
  const char* table = p.method == "scoring" ? "prioritisation_scores" : "prioritisation_votes";
  for (const auto& r :
       c.query(std::string("SELECT participant, MAX(participant_name), MAX(user_id), COUNT(*) FROM ") +
                   table + " WHERE prioritisation_id = $1 GROUP BY participant",
               {p.id}))
    p.participants.push_back({r.text_at(0), r.text_at(1), r.opt_int(2), static_cast<int>(r.int_at(3))});
  std::sort(p.participants.begin(), p.participants.end(), [](const Participant& a, const Participant& b) {
    return std::tie(a.name, a.key) < std::tie(b.name, b.key);
  });
  return p;
}

Session load(db::Connection& c, const OrgScope& s, std::int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns +
                             " FROM prioritisations WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL",
                         {id, s.org_id()});
  if (!row) throw Error(ErrorCode::not_found, "no prioritisation session " + std::to_string(id));
  return load_detail(c, from_row(*row));
}

void check_version(const Session& p, std::int64_t expected) {
  if (p.version != expected)
    throw Error(ErrorCode::precondition_failed,
                "the prioritisation session was changed by someone else; reload it");
}

void check_draft(const Session& p) {
  if (p.status != "draft") throw Error(ErrorCode::conflict, "the prioritisation session is closed");
}

bj::value number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    return bj::value(static_cast<std::int64_t>(v));
  return bj::value(v);
}

double parse_weight(const bj::value& v, const std::string& at) {
  double w = 0;
  if (v.is_int64())
    w = static_cast<double>(v.get_int64());
  else if (v.is_uint64())
    w = static_cast<double>(v.get_uint64());
  else if (v.is_double())
    w = v.get_double();
  else
    throw invalid_field(at, "must be a number greater than 0");
  if (!std::isfinite(w) || w <= 0 || w > 100)
    throw invalid_field(at, "must be a number greater than 0 and at most 100");
  return w;
}

std::vector<CriterionInput> parse_criteria(const bj::value& v) {
  if (!v.is_array()) throw invalid_field("criteria", "must be an array of {name, weight}");
  const auto& a = v.get_array();
  if (a.empty()) throw invalid_field("criteria", "a scoring matrix needs at least one criterion");
  if (a.size() > kMaxCriteria) throw invalid_field("criteria", "must have at most 20 criteria");
  std::vector<CriterionInput> out;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "criteria[" + std::to_string(i) + "]";
    if (!a[i].is_object()) throw invalid_field(at, "must be an object {id, name, weight}");
    const auto& o = a[i].get_object();
    CriterionInput ci;
    try {
      ci.id = json::optional_id(o, "id");
      ci.name = *fields::text(o, "name", 200, true);
    } catch (const Error& e) {
      if (e.details().empty()) throw;
      throw invalid_field(at + "." + e.details().front().field, e.details().front().message);
    }
    if (auto w = o.find("weight"); w != o.end() && !w->value().is_null())
      ci.weight = parse_weight(w->value(), at + ".weight");
    std::string key = text::fold(ci.name);
    if (std::find(names.begin(), names.end(), key) != names.end())
      throw invalid_field(at + ".name", "names the criterion '" + ci.name + "' twice");
    names.push_back(std::move(key));
    if (ci.id && std::any_of(out.begin(), out.end(), [&](const CriterionInput& x) { return x.id == ci.id; }))
      throw invalid_field(at + ".id", "names the same criterion twice");
    out.push_back(std::move(ci));
  }
  return out;
}

// Error(validation) on problem_ids unless each is a problem of the organisation that is not in
// the bin (problems already in the session may stay when they were binned meanwhile).
void check_problems(db::Connection& c, const OrgScope& s, const std::string& method,
                    const std::vector<std::int64_t>& ids, const std::vector<SessionProblem>& current) {
  const std::size_t min = method == "pairwise" ? 2 : 1;
  const std::size_t max = method == "pairwise" ? kMaxPairwiseProblems : kMaxScoringProblems;
  if (ids.size() < min)
    throw invalid_field("problem_ids", method == "pairwise" ? "pairwise ranking needs at least two problems"
                                                            : "must name at least one problem");
  if (ids.size() > max)
    throw invalid_field("problem_ids",
                        "must name at most " + std::to_string(max) + " problems for " + method);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto row =
        c.query_one("SELECT deleted_at FROM problems WHERE id = $1 AND org_id = $2", {ids[i], s.org_id()});
    const bool kept =
        std::any_of(current.begin(), current.end(), [&](const SessionProblem& p) { return p.id == ids[i]; });
    if (!row || (!row->null_at(0) && !kept))
      throw invalid_field("problem_ids[" + std::to_string(i) + "]", "is not a problem of this organisation");
  }
}

void write_problems(db::Connection& c, const OrgScope& s, std::int64_t id,
                    const std::vector<std::int64_t>& ids) {
  c.exec("DELETE FROM prioritisation_problems WHERE prioritisation_id = $1", {id});
  for (std::size_t i = 0; i < ids.size(); ++i)
    c.exec(
        "INSERT INTO prioritisation_problems(prioritisation_id, problem_id, org_id, position) VALUES "
        "($1,$2,$3,$4)",
        {id, ids[i], s.org_id(), static_cast<std::int64_t>(i)});
}

void insert_criterion(db::Connection& c, const OrgScope& s, std::int64_t id, const std::string& key,
                      const std::string& name, double weight, std::size_t position) {
  c.exec(
      "INSERT INTO prioritisation_criteria(org_id, prioritisation_id, key, name, weight, position) "
      "VALUES ($1,$2,$3,$4,$5,$6)",
      {s.org_id(), id, key, name, weight, static_cast<std::int64_t>(position)});
}

bool in_session(const Session& p, std::int64_t problem_id) {
  return std::any_of(p.problems.begin(), p.problems.end(),
                     [&](const SessionProblem& x) { return x.id == problem_id; });
}

}  // namespace

Input parse_input(const bj::object& body) {
  Input in;
  in.title = fields::text(body, "title", 200);
  if (in.title && in.title->empty()) throw invalid_field("title", "must not be empty");
  in.description = fields::text(body, "description", 20000);
  in.method = json::optional_string(body, "method", 20);
  if (in.method && *in.method != "scoring" && *in.method != "pairwise")
    throw invalid_field("method", "must be scoring or pairwise");
  if (auto it = body.find("held_on"); it != body.end()) {
    if (it->value().is_null())
      in.held_on = std::optional<std::string>();
    else
      in.held_on = fields::date(body, "held_on");
  }
  in.problem_ids = fields::ids(body, "problem_ids", 100);
  if (auto it = body.find("criteria"); it != body.end() && !it->value().is_null())
    in.criteria = parse_criteria(it->value());
  return in;
}

Page list(db::Connection& c, const OrgScope& s, const Filter& f, std::optional<std::string> cursor,
          int limit) {
  s.require(Permission::read);
  db::Params params{s.org_id()};
  std::string where = " WHERE org_id = $1 AND deleted_at IS NULL";
  auto next = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.status) {
    if (*f.status != "draft" && *f.status != "closed")
      throw invalid_field("status", "must be draft or closed");
    where += " AND status = " + next(*f.status);
  }
  if (f.method) {
    if (*f.method != "scoring" && *f.method != "pairwise")
      throw invalid_field("method", "must be scoring or pairwise");
    where += " AND method = " + next(*f.method);
  }
  if (cursor) {
    std::int64_t before = 0;
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), before);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || before <= 0)
      throw Error(ErrorCode::bad_request, "cursor is not one this server gave out");
    where += " AND id < " + next(before);
  }
  Page page;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + " FROM prioritisations" + where +
                                   " ORDER BY id DESC LIMIT " + std::to_string(limit + 1),
                               params)) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = std::to_string(page.items.back().id);
      break;
    }
    page.items.push_back(load_detail(c, from_row(r)));
  }
  return page;
}

Session get(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  return load(c, s, id);
}

Session create(db::Connection& c, const OrgScope& s, const Input& in) {
  s.require(Permission::edit_programs);
  if (!in.title) throw invalid_field("title", "is required");
  if (!in.method) throw invalid_field("method", "is required (scoring or pairwise)");
  if (!in.problem_ids) throw invalid_field("problem_ids", "is required");
  if (*in.method == "pairwise" && in.criteria)
    throw invalid_field("criteria", "pairwise ranking has no criteria; use method scoring");
  check_problems(c, s, *in.method, *in.problem_ids, {});
  const auto now = now_millis();
  auto id = *c.query_int(
      "INSERT INTO prioritisations(org_id, title, description, held_on, method, status, created_by, "
      "created_at, "
      "updated_at) VALUES ($1,$2,$3,$4,$5,'draft',$6,$7,$7) RETURNING id",
      {s.org_id(), *in.title, in.description.value_or(""), in.held_on ? *in.held_on : std::nullopt,
       *in.method, user_or_null(s), now});
  write_problems(c, s, id, *in.problem_ids);
  if (*in.method == "scoring") {
    if (in.criteria) {
      for (std::size_t i = 0; i < in.criteria->size(); ++i) {
        if ((*in.criteria)[i].id)
          throw invalid_field("criteria[" + std::to_string(i) + "].id", "is not a criterion of this session");
        insert_criterion(c, s, id, "", (*in.criteria)[i].name, (*in.criteria)[i].weight, i);
      }
    } else {
      std::size_t i = 0;
      for (const auto& d : kDefaultCriteria) insert_criterion(c, s, id, d.key, d.name, 1.0, i++);
    }
  }
  Session out = load(c, s, id);
  audit::record(c, s, {{}, "prioritisation.create", "prioritisation", std::to_string(id), {}, to_json(out)});
  return out;
}

Session update(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
               const Input& in) {
  s.require(Permission::edit_programs);
  Session before = load(c, s, id);
  check_version(before, expected_version);
  check_draft(before);
  if (in.method && *in.method != before.method)
    throw invalid_field("method", "cannot change; create a new session for the other method");
  if (in.criteria && before.method != "scoring")
    throw invalid_field("criteria", "pairwise ranking has no criteria");
  if (in.problem_ids) {
    check_problems(c, s, before.method, *in.problem_ids, before.problems);
    // Entries about problems taken out of the session go with them.
    for (const auto& p : before.problems) {
      if (std::find(in.problem_ids->begin(), in.problem_ids->end(), p.id) != in.problem_ids->end()) continue;
      c.exec("DELETE FROM prioritisation_scores WHERE prioritisation_id = $1 AND problem_id = $2",
             {id, p.id});
      c.exec(
          "DELETE FROM prioritisation_votes WHERE prioritisation_id = $1 AND (problem_a = $2 OR problem_b = "
          "$2)",
          {id, p.id});
    }
    write_problems(c, s, id, *in.problem_ids);
  }
  if (in.criteria) {
    for (std::size_t i = 0; i < in.criteria->size(); ++i) {
      const auto& ci = (*in.criteria)[i];
      if (ci.id && std::none_of(before.criteria.begin(), before.criteria.end(),
                                [&](const CriterionRow& r) { return r.id == *ci.id; }))
        throw invalid_field("criteria[" + std::to_string(i) + "].id", "is not a criterion of this session");
    }
    for (const auto& r : before.criteria) {
      if (std::any_of(in.criteria->begin(), in.criteria->end(),
                      [&](const CriterionInput& ci) { return ci.id == r.id; }))
        continue;
      c.exec("DELETE FROM prioritisation_scores WHERE criterion_id = $1", {r.id});
      c.exec("DELETE FROM prioritisation_criteria WHERE id = $1", {r.id});
    }
    for (std::size_t i = 0; i < in.criteria->size(); ++i) {
      const auto& ci = (*in.criteria)[i];
      if (ci.id)
        c.exec("UPDATE prioritisation_criteria SET name = $1, weight = $2, position = $3 WHERE id = $4",
               {ci.name, ci.weight, static_cast<std::int64_t>(i), *ci.id});
      else
        insert_criterion(c, s, id, "", ci.name, ci.weight, i);
    }
  }
  Session p = before;
  if (in.title) p.title = *in.title;
  if (in.description) p.description = *in.description;
  if (in.held_on) p.held_on = *in.held_on;
  c.exec(
      "UPDATE prioritisations SET title = $1, description = $2, held_on = $3, updated_at = $4, "
      "version = version + 1 WHERE id = $5",
      {p.title, p.description, p.held_on, now_millis(), id});
  Session after = load(c, s, id);
  audit::record(
      c, s,
      {{}, "prioritisation.update", "prioritisation", std::to_string(id), to_json(before), to_json(after)});
  return after;
}

Session close(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Session before = load(c, s, id);
  check_version(before, expected_version);
  check_draft(before);
  const auto now = now_millis();
  c.exec(
      "UPDATE prioritisations SET status = 'closed', closed_at = $1, updated_at = $1, version = version + 1 "
      "WHERE id = $2",
      {now, id});
  Session after = load(c, s, id);
  bj::object after_json = to_json(after);
  // The ranking as it stood when the session closed, so the audit log shows what was decided.
  after_json["ranking"] = ranking(c, s, id);
  audit::record(c, s,
                {{},
                 "prioritisation.close",
                 "prioritisation",
                 std::to_string(id),
                 to_json(before),
                 std::move(after_json)});
  return after;
}

void remove(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version) {
  s.require(Permission::edit_programs);
  Session before = load(c, s, id);
  check_version(before, expected_version);
  const auto now = now_millis();
  c.exec("UPDATE prioritisations SET deleted_at = $1, updated_at = $1, version = version + 1 WHERE id = $2",
         {now, id});
  audit::record(c, s,
                {{}, "prioritisation.delete", "prioritisation", std::to_string(id), to_json(before), {}});
}

Who participant(const OrgScope& s, const std::optional<std::string>& name) {
  if (name) {
    std::string n = text::trim(*name);
    if (n.empty()) throw invalid_field("participant", "must not be empty");
    if (n.size() > 200) throw invalid_field("participant", "must have at most 200 bytes");
    if (!text::is_clean_utf8(n))
      throw invalid_field("participant", "must be text without control characters");
    std::string key = text::fold(n);
    if (key.empty()) throw invalid_field("participant", "must contain letters or digits");
    return Who{"name:" + key, n, std::nullopt};
  }
  if (!s.actor().user_id) throw invalid_field("participant", "is required");
  const std::string& shown = s.actor().name.empty() ? s.actor().email : s.actor().name;
  return Who{"user:" + std::to_string(s.actor().user_id), shown, s.actor().user_id};
}

namespace {

// The array `name` of a scores or votes body: present, not empty, at most `max` objects.
const bj::array& entry_array(const bj::object& body, const char* name, std::size_t max, const char* shape) {
  auto it = body.find(name);
  if (it == body.end() || !it->value().is_array())
    throw invalid_field(name, std::string("must be an array of ") + shape);
  const auto& a = it->value().get_array();
  if (a.empty()) throw invalid_field(name, "must not be empty");
  if (a.size() > max) throw invalid_field(name, "must have at most " + std::to_string(max) + " entries");
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!a[i].is_object())
      throw invalid_field(std::string(name) + "[" + std::to_string(i) + "]",
                          std::string("must be an object ") + shape);
  return a;
}

// Two required ids of one entry; errors name the entry ("votes[3].problem_a").
std::pair<std::int64_t, std::int64_t> required_ids(const bj::object& o, const std::string& at,
                                                   const char* first, const char* second) {
  auto id = [&](const char* name) {
    std::optional<std::int64_t> v;
    try {
      v = json::optional_id(o, name);
    } catch (const Error& e) {
      if (e.details().empty()) throw;
      throw invalid_field(at + "." + e.details().front().field, e.details().front().message);
    }
    if (!v) throw invalid_field(at + "." + name, "is required");
    return *v;
  };
  return {id(first), id(second)};
}

}  // namespace

std::vector<ScoreInput> parse_scores(const bj::object& body) {
  const auto& a =
      entry_array(body, "scores", kMaxScoringProblems * kMaxCriteria, "{problem_id, criterion_id, score}");
  std::vector<ScoreInput> out;
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "scores[" + std::to_string(i) + "]";
    const auto& o = a[i].get_object();
    ScoreInput si;
    std::tie(si.problem_id, si.criterion_id) = required_ids(o, at, "problem_id", "criterion_id");
    auto sv = o.find("score");
    if (sv == o.end()) throw invalid_field(at + ".score", "is required (1 to 5, or null to remove it)");
    if (!sv->value().is_null()) {
      if (!sv->value().is_int64() || sv->value().get_int64() < 1 || sv->value().get_int64() > 5)
        throw invalid_field(at + ".score", "must be an integer from 1 to 5 (or null to remove it)");
      si.score = static_cast<int>(sv->value().get_int64());
    }
    if (!seen.insert({si.problem_id, si.criterion_id}).second)
      throw invalid_field(at, "scores the same problem on the same criterion twice");
    out.push_back(si);
  }
  return out;
}

std::vector<VoteInput> parse_votes(const bj::object& body) {
  const auto& a = entry_array(body, "votes", kMaxPairwiseProblems * (kMaxPairwiseProblems - 1) / 2,
                              "{problem_a, problem_b, winner}");
  std::vector<VoteInput> out;
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string at = "votes[" + std::to_string(i) + "]";
    const auto& o = a[i].get_object();
    VoteInput v;
    std::tie(v.problem_a, v.problem_b) = required_ids(o, at, "problem_a", "problem_b");
    auto w = json::optional_string(o, "winner", 10);
    if (!w || (*w != "a" && *w != "b" && *w != "tie"))
      throw invalid_field(at + ".winner", "must be a, b or tie");
    v.winner = *w == "a" ? Winner::a : *w == "b" ? Winner::b : Winner::tie;
    if (v.problem_a == v.problem_b) throw invalid_field(at, "compares a problem with itself");
    if (!seen.insert({std::min(v.problem_a, v.problem_b), std::max(v.problem_a, v.problem_b)}).second)
      throw invalid_field(at, "votes on the same pair of problems twice in one request");
    out.push_back(v);
  }
  return out;
}

std::vector<Entry> entries(db::Connection& c, const OrgScope& s, std::int64_t id,
                           const std::optional<std::string>& participant) {
  s.require(Permission::read);
  Session p = load(c, s, id);
  db::Params params{id};
  std::string where = " WHERE prioritisation_id = $1";
  if (participant) {
    params.push_back(*participant);
    where += " AND participant = $2";
  }
  std::vector<Entry> out;
  if (p.method == "scoring") {
    for (const auto& r :
         c.query("SELECT participant, participant_name, user_id, problem_id, criterion_id, score, "
                 "updated_at FROM prioritisation_scores" +
                     where + " ORDER BY participant, problem_id, criterion_id",
                 params)) {
      Entry e;
      e.participant = r.text_at(0);
      e.participant_name = r.text_at(1);
      e.user_id = r.opt_int(2);
      e.problem_id = r.int_at(3);
      e.criterion_id = r.int_at(4);
      e.score = static_cast<int>(r.int_at(5));
      e.updated_at = r.int_at(6);
      out.push_back(std::move(e));
    }
  } else {
    for (const auto& r :
         c.query("SELECT participant, participant_name, user_id, problem_a, problem_b, winner, "
                 "updated_at FROM prioritisation_votes" +
                     where + " ORDER BY participant, problem_a, problem_b",
                 params)) {
      Entry e;
      e.participant = r.text_at(0);
      e.participant_name = r.text_at(1);
      e.user_id = r.opt_int(2);
      e.problem_id = r.int_at(3);
      e.problem_b = r.int_at(4);
      const std::string w = r.text_at(5);
      e.winner = w == "a" ? Winner::a : w == "b" ? Winner::b : Winner::tie;
      e.updated_at = r.int_at(6);
      out.push_back(std::move(e));
    }
  }
  return out;
}

namespace {
bj::array entries_json(const std::vector<Entry>& es, const std::string& method) {
  bj::array a;
  for (const auto& e : es) a.push_back(to_json(e, method));
  return a;
}
}  // namespace

std::vector<Entry> record_scores(db::Connection& c, const OrgScope& s, std::int64_t id, const Who& who,
                                 const std::vector<ScoreInput>& scores) {
  s.require(Permission::edit_programs);
  Session p = load(c, s, id);
  if (p.method != "scoring")
    throw Error(ErrorCode::conflict, "this session ranks problems by pairwise votes; send votes, not scores");
  check_draft(p);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const std::string at = "scores[" + std::to_string(i) + "]";
    if (!in_session(p, scores[i].problem_id))
      throw invalid_field(at + ".problem_id", "is not a problem of this session");
    if (std::none_of(p.criteria.begin(), p.criteria.end(),
                     [&](const CriterionRow& r) { return r.id == scores[i].criterion_id; }))
      throw invalid_field(at + ".criterion_id", "is not a criterion of this session");
  }
  auto before = entries(c, s, id, who.key);
  const auto now = now_millis();
  for (const auto& sc : scores) {
    if (!sc.score) {
      c.exec(
          "DELETE FROM prioritisation_scores WHERE prioritisation_id = $1 AND participant = $2 AND "
          "problem_id = $3 "
          "AND criterion_id = $4",
          {id, who.key, sc.problem_id, sc.criterion_id});
      continue;
    }
    c.exec(
        "INSERT INTO prioritisation_scores(prioritisation_id, participant, problem_id, criterion_id, org_id, "
        "participant_name, user_id, score, entered_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) "
        "ON CONFLICT (prioritisation_id, participant, problem_id, criterion_id) DO UPDATE SET "
        "score = excluded.score, participant_name = excluded.participant_name, entered_by = "
        "excluded.entered_by, "
        "updated_at = excluded.updated_at",
        {id, who.key, sc.problem_id, sc.criterion_id, s.org_id(), who.name, who.user_id, *sc.score,
         user_or_null(s), now});
  }
  // The name as typed last is the participant's name everywhere in the session.
  c.exec(
      "UPDATE prioritisation_scores SET participant_name = $1 WHERE prioritisation_id = $2 AND participant = "
      "$3",
      {who.name, id, who.key});
  auto after = entries(c, s, id, who.key);
  audit::record(c, s,
                {{},
                 "prioritisation.scores",
                 "prioritisation",
                 std::to_string(id),
                 bj::object{{"participant", who.key}, {"scores", entries_json(before, p.method)}},
                 bj::object{{"participant", who.key}, {"scores", entries_json(after, p.method)}}});
  return after;
}

std::vector<Entry> record_votes(db::Connection& c, const OrgScope& s, std::int64_t id, const Who& who,
                                const std::vector<VoteInput>& votes) {
  s.require(Permission::edit_programs);
  Session p = load(c, s, id);
  if (p.method != "pairwise")
    throw Error(ErrorCode::conflict,
                "this session ranks problems with a scoring matrix; send scores, not votes");
  check_draft(p);
  for (std::size_t i = 0; i < votes.size(); ++i) {
    const std::string at = "votes[" + std::to_string(i) + "]";
    if (!in_session(p, votes[i].problem_a))
      throw invalid_field(at + ".problem_a", "is not a problem of this session");
    if (!in_session(p, votes[i].problem_b))
      throw invalid_field(at + ".problem_b", "is not a problem of this session");
  }
  auto before = entries(c, s, id, who.key);
  const auto now = now_millis();
  for (const auto& v : votes) {
    std::int64_t lo = v.problem_a, hi = v.problem_b;
    Winner w = v.winner;
    if (lo > hi) {  // stored as (smaller id, larger id): one row per unordered pair
      std::swap(lo, hi);
      if (w != Winner::tie) w = w == Winner::a ? Winner::b : Winner::a;
    }
    c.exec(
        "INSERT INTO prioritisation_votes(prioritisation_id, participant, problem_a, problem_b, org_id, "
        "participant_name, user_id, winner, entered_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) "
        "ON CONFLICT (prioritisation_id, participant, problem_a, problem_b) DO UPDATE SET "
        "winner = excluded.winner, participant_name = excluded.participant_name, "
        "entered_by = excluded.entered_by, updated_at = excluded.updated_at",
        {id, who.key, lo, hi, s.org_id(), who.name, who.user_id, winner_name(w), user_or_null(s), now});
  }
  c.exec(
      "UPDATE prioritisation_votes SET participant_name = $1 WHERE prioritisation_id = $2 AND participant = "
      "$3",
      {who.name, id, who.key});
  auto after = entries(c, s, id, who.key);
  audit::record(c, s,
                {{},
                 "prioritisation.votes",
                 "prioritisation",
                 std::to_string(id),
                 bj::object{{"participant", who.key}, {"votes", entries_json(before, p.method)}},
                 bj::object{{"participant", who.key}, {"votes", entries_json(after, p.method)}}});
  return after;
}

bj::object ranking(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::read);
  Session p = load(c, s, id);
  auto all = entries(c, s, id, std::nullopt);
  std::vector<std::int64_t> ids;
  std::map<std::int64_t, const SessionProblem*> by_id;
  for (const auto& sp : p.problems) {
    ids.push_back(sp.id);
    by_id[sp.id] = &sp;
  }
  std::map<std::string, std::string> names;
  for (const auto& pt : p.participants) names[pt.key] = pt.name;
  auto problem_fields = [&](bj::object& o, std::int64_t problem_id) {
    const SessionProblem& sp = *by_id.at(problem_id);
    o["problem_id"] = std::to_string(problem_id);
    o["title"] = sp.title;
    o["deleted"] = sp.deleted;
  };
  bj::object out{{"prioritisation_id", std::to_string(p.id)},
                 {"method", p.method},
                 {"status", p.status},
                 {"participants", static_cast<std::int64_t>(p.participants.size())}};
  bj::array items;
  if (p.method == "scoring") {
    std::vector<Criterion> criteria;
    double weight_sum = 0;
    bj::array criteria_json;
    for (const auto& cr : p.criteria) {
      criteria.push_back({cr.id, cr.name, cr.weight});
      weight_sum += cr.weight;
      criteria_json.push_back(bj::object{
          {"id", std::to_string(cr.id)}, {"key", cr.key}, {"name", cr.name}, {"weight", number(cr.weight)}});
    }
    std::vector<Score> scores;
    for (const auto& e : all) scores.push_back({e.participant, e.problem_id, e.criterion_id, e.score});
    for (const auto& r : rank_scores(ids, criteria, scores)) {
      bj::object o{{"rank", r.rank}};
      problem_fields(o, r.problem_id);
      o["total"] = number(r.total);
      o["participants"] = r.participants;
      o["complete"] = r.complete;
      bj::array breakdown;
      for (const auto& cr : r.criteria)
        breakdown.push_back(bj::object{{"criterion_id", std::to_string(cr.criterion_id)},
                                       {"name", cr.name},
                                       {"weight", number(cr.weight)},
                                       {"mean", cr.mean ? number(*cr.mean) : bj::value()},
                                       {"scores", cr.scores},
                                       {"contribution", number(cr.contribution)}});
      o["criteria"] = std::move(breakdown);
      items.push_back(std::move(o));
    }
    out["criteria"] = std::move(criteria_json);
    out["weight_sum"] = number(weight_sum);
  } else {
    std::vector<Vote> votes;
    for (const auto& e : all) votes.push_back({e.participant, e.problem_id, e.problem_b, e.winner});
    auto r = rank_pairwise(ids, votes);
    for (const auto& it : r.items) {
      bj::object o{{"rank", it.rank}};
      problem_fields(o, it.problem_id);
      o["points"] = number(it.points);
      o["wins"] = it.wins;
      o["ties"] = it.ties;
      o["losses"] = it.losses;
      items.push_back(std::move(o));
    }
    bj::array who;
    for (const auto& mp : r.participants) {
      bj::array missing;
      for (const auto& [a, b] : mp.missing)
        missing.push_back(bj::object{{"problem_a", std::to_string(a)}, {"problem_b", std::to_string(b)}});
      who.push_back(bj::object{{"participant", mp.participant},
                               {"name", names.count(mp.participant) ? names[mp.participant] : mp.participant},
                               {"votes", mp.votes},
                               {"missing_pairs", std::move(missing)}});
    }
    out["pairs_per_participant"] = r.pairs_per_participant;
    out["complete"] = r.complete;
    out["participant_votes"] = std::move(who);
  }
  out["items"] = std::move(items);
  return out;
}

bj::object to_json(const Entry& e, const std::string& method) {
  bj::object o{{"participant", e.participant},
               {"participant_name", e.participant_name},
               {"user_id", e.user_id ? bj::value(std::to_string(*e.user_id)) : bj::value()}};
  if (method == "scoring") {
    o["problem_id"] = std::to_string(e.problem_id);
    o["criterion_id"] = std::to_string(e.criterion_id);
    o["score"] = e.score;
  } else {
    o["problem_a"] = std::to_string(e.problem_id);
    o["problem_b"] = std::to_string(e.problem_b);
    o["winner"] = winner_name(e.winner);
  }
  o["updated_at"] = format_iso8601(e.updated_at);
  return o;
}

bj::object to_json(const Session& p) {
  bj::array problems, problem_ids, criteria, participants;
  for (const auto& sp : p.problems) {
    problems.push_back(bj::object{
        {"id", std::to_string(sp.id)}, {"title", sp.title}, {"status", sp.status}, {"deleted", sp.deleted}});
    problem_ids.emplace_back(std::to_string(sp.id));
  }
  for (const auto& cr : p.criteria)
    criteria.push_back(bj::object{
        {"id", std::to_string(cr.id)}, {"key", cr.key}, {"name", cr.name}, {"weight", number(cr.weight)}});
  for (const auto& pt : p.participants)
    participants.push_back(
        bj::object{{"participant", pt.key},
                   {"name", pt.name},
                   {"user_id", pt.user_id ? bj::value(std::to_string(*pt.user_id)) : bj::value()},
                   {"entries", pt.entries}});
  return bj::object{{"id", std::to_string(p.id)},
                    {"title", p.title},
                    {"description", p.description},
                    {"held_on", p.held_on ? bj::value(*p.held_on) : bj::value()},
                    {"method", p.method},
                    {"status", p.status},
                    {"problem_ids", std::move(problem_ids)},
                    {"problems", std::move(problems)},
                    {"criteria", std::move(criteria)},
                    {"participants", std::move(participants)},
                    {"created_by", p.created_by ? bj::value(std::to_string(*p.created_by)) : bj::value()},
                    {"created_at", format_iso8601(p.created_at)},
                    {"updated_at", format_iso8601(p.updated_at)},
                    {"closed_at", p.closed_at ? bj::value(format_iso8601(*p.closed_at)) : bj::value()},
                    {"version", p.version}};
}

}  // namespace gotong::domain::prioritisation
