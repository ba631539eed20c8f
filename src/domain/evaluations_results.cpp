// The results table of an evaluation: the stored records of each round are read once (as the
// indicators read them: the records of received and approved submissions, through each version's
// compiled layout), every variable's plan adds what each record contributes per cluster, and the
// statistics (analytics/statistics.hpp) compare the rounds and the arms.
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <unordered_map>

#include "analytics/statistics.hpp"
#include "base/error.hpp"
#include "base/time.hpp"
#include "domain/evaluations.hpp"
#include "domain/evaluations_spec.hpp"
#include "domain/evaluations_text.hpp"
#include "domain/programs.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::evaluations {

namespace bj = boost::json;
namespace stats = analytics::stats;

namespace {

constexpr double kConfidence = 0.95;

// What one variable found in one round, per cluster ("" without comparison areas).
struct Cell {
  std::vector<double> values;               // mean: every value
  std::uint64_t successes = 0, trials = 0;  // proportion
};
using Cells = std::map<std::string, Cell>;

struct VariablePlans {
  detail::Measure measure = detail::Measure::mean;
  // Per form version: its compiled plan (null when the variable cannot be read in that version).
  std::unordered_map<std::int64_t, std::shared_ptr<const analytics::Plan>> by_version;
  analytics::Aggregation aggregation;
};

// The instant a day starts, shifted by whole days: the plans decide by the local date (any time zone of
// Indonesia and then some), this only spares reading records far outside the round.
std::int64_t day_start_ms(const std::string& date, int shift_days) {
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  return (days_from_civil(y, m, d) + shift_days) * 86'400'000LL;
}

struct RoundData {
  std::vector<detail::Measure> measures;  // per variable
  std::vector<Cells> cells;               // per variable
};

// Reads the round's records once for all variables. Plans are compiled before the scan: PostgreSQL
// runs no other statement on a connection while a query's rows are still arriving.
RoundData read_round(db::Connection& c, const OrgScope& s, const Evaluation& e, const Round& r) {
  std::vector<std::int64_t> versions = r.version_ids;
  if (versions.empty())
    for (const auto& row :
         c.query("SELECT id FROM form_versions WHERE form_id = $1 AND status <> 'draft' ORDER BY id",
                 {r.form_id}))
      versions.push_back(row.int_at(0));
  std::vector<std::shared_ptr<const submissions::CompiledVersion>> compiled;  // keeps schemas alive
  std::vector<VariablePlans> plans(e.variables.size());
  for (std::size_t i = 0; i < e.variables.size(); ++i) {
    const detail::Resolved res =
        detail::resolve(c, s, e.variables[i], r, e.cluster_level, "variables[" + std::to_string(i) + "]");
    plans[i].measure = res.measure;
    for (auto vid : versions) {
      auto cv = submissions::compiled_version(c, vid);
      compiled.push_back(cv);
      try {
        plans[i].by_version.emplace(
            vid, std::make_shared<const analytics::Plan>(cv->schema, cv->layout, res.spec, false));
      } catch (const analytics::PlanError&) {
        // A version that cannot answer the variable contributes nothing to it.
      }
    }
  }
  analytics::Plan::Scratch scratch;
  std::string sql =
      "SELECT version_id, submitted_at, area_code, record FROM submissions "
      "WHERE form_id = $1 AND deleted_at IS NULL AND state IN ('received', 'approved')";
  db::Params params{r.form_id};
  if (r.from) {
    params.push_back(day_start_ms(*r.from, -1));
    sql += " AND submitted_at >= $" + std::to_string(params.size());
  }
  if (r.to) {
    params.push_back(day_start_ms(*r.to, 2));
    sql += " AND submitted_at < $" + std::to_string(params.size());
  }
  c.each(sql + " ORDER BY id", params, [&](const db::Row& row) {
    const std::int64_t vid = row.int_at(0);
    const std::string* record = std::get_if<std::string>(&row[3].storage());
    const std::string* area = std::get_if<std::string>(&row[2].storage());
    if (!record) return true;
    for (auto& p : plans) {
      auto it = p.by_version.find(vid);
      if (it == p.by_version.end()) continue;
      it->second->add(*record, row.int_at(1), area ? std::string_view(*area) : std::string_view(), 1,
                      p.aggregation, scratch);
    }
    return true;
  });
  RoundData out;
  out.cells.resize(plans.size());
  for (std::size_t i = 0; i < plans.size(); ++i) {
    out.measures.push_back(plans[i].measure);
    plans[i].aggregation.for_each(
        [&](std::string_view, std::string_view cell, const analytics::Accumulator& a) {
          Cell& into = out.cells[i][std::string(cell)];
          if (plans[i].measure == detail::Measure::mean) {
            for (const auto& [fixed, count] : a.numbers)
              for (std::int64_t k = 0; k < count; ++k) into.values.push_back(analytics::from_fixed(fixed));
          } else {
            into.successes += static_cast<std::uint64_t>(std::max<std::int64_t>(0, a.n));
            into.trials += static_cast<std::uint64_t>(std::max<std::int64_t>(0, a.n_b));
          }
        });
  }
  return out;
}

enum class Arm { treatment, control, none };

bool within(const std::string& key, const std::string& code) {
  return key == code ||
         (key.size() > code.size() && key.compare(0, code.size(), code) == 0 && key[code.size()] == '.');
}

Arm arm_of(const Evaluation& e, const std::string& cluster) {
  if (e.control.empty()) return Arm::treatment;  // no comparison: every unit is "the program's"
  if (cluster.empty()) return Arm::none;
  for (const auto& a : e.treatment)
    if (within(cluster, a.code)) return Arm::treatment;
  for (const auto& a : e.control)
    if (within(cluster, a.code)) return Arm::control;
  return Arm::none;
}

Cell merged(const Evaluation& e, const Cells& cells, Arm arm) {
  Cell out;
  for (const auto& [key, cell] : cells) {
    if (arm_of(e, key) != arm) continue;
    out.values.insert(out.values.end(), cell.values.begin(), cell.values.end());
    out.successes += cell.successes;
    out.trials += cell.trials;
  }
  return out;
}

double round4(double v) { return std::round(v * 10000.0) / 10000.0; }
// p-values keep four significant digits: 0.00001234 stays readable, not 0.
double round_p(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return 1;
  const double digits = 4 - std::ceil(std::log10(p));
  const double scale = std::pow(10.0, digits);
  return std::round(p * scale) / scale;
}
bj::array interval(const stats::Interval& ci, double scale) {
  return bj::array{round4(ci.lower * scale), round4(ci.upper * scale)};
}

bj::object shortfall_json(stats::Shortfall s) {
  return bj::object{{"key", stats::shortfall_key(s)},
                    {"message", stats::shortfall_text(s, "id")},
                    {"message_en", stats::shortfall_text(s, "en")}};
}

struct Side {
  std::optional<double> value;  // percent for proportions
  bj::object json;
};

Side side(detail::Measure m, const Cell& cell) {
  Side out;
  bj::object& o = out.json;
  if (m == detail::Measure::mean) {
    o["n"] = static_cast<std::int64_t>(cell.values.size());
    if (cell.values.empty()) {
      o["value"] = nullptr;
      o["ci"] = nullptr;
      o["shortfall"] = shortfall_json(stats::Shortfall::no_observations);
      return out;
    }
    double sum = 0;
    for (double v : cell.values) sum += v;
    out.value = sum / static_cast<double>(cell.values.size());
    o["value"] = round4(*out.value);
    auto est = stats::mean(cell.values, kConfidence);
    if (est) {
      o["ci"] = interval(est->ci, 1);
    } else {
      o["ci"] = nullptr;
      o["shortfall"] = shortfall_json(est.shortfall());
    }
    return out;
  }
  o["n"] = static_cast<std::int64_t>(cell.trials);
  o["count"] = static_cast<std::int64_t>(cell.successes);
  if (cell.trials == 0) {
    o["value"] = nullptr;
    o["ci"] = nullptr;
    o["shortfall"] = shortfall_json(stats::Shortfall::no_observations);
    return out;
  }
  out.value = 100.0 * static_cast<double>(cell.successes) / static_cast<double>(cell.trials);
  o["value"] = round4(*out.value);
  auto est = stats::proportion(cell.successes, cell.trials, kConfidence);
  if (est) {
    o["ci"] = interval(est->ci, 100);
  } else {
    o["ci"] = nullptr;
    o["shortfall"] = shortfall_json(est.shortfall());
  }
  return out;
}

bj::object row(const Evaluation& e, std::size_t index, detail::Measure m, const Cells& before,
               const Cells& after) {
  const Variable& v = e.variables[index];
  const bool percent = m == detail::Measure::proportion;
  const double scale = percent ? 100.0 : 1.0;
  const bool comparison = !e.control.empty();
  const Cell tb = merged(e, before, Arm::treatment), ta = merged(e, after, Arm::treatment);
  Side b = side(m, tb), a = side(m, ta);

  text::Row t;
  t.label_id = v.label;
  t.label_en = v.label_en;
  t.percent = percent;
  t.unit_id = v.unit_label;
  t.unit_en = v.unit_label_en.empty() ? v.unit_label : v.unit_label_en;
  t.desired = v.desired;
  t.before = b.value;
  t.after = a.value;
  t.comparison = comparison;

  bj::object change;
  auto no_change = [&](stats::Shortfall sf) {
    change = bj::object{
        {"value", nullptr}, {"ci", nullptr}, {"p_value", nullptr}, {"shortfall", shortfall_json(sf)}};
    t.change_shortfall_id = stats::shortfall_text(sf, "id");
    t.change_shortfall_en = stats::shortfall_text(sf, "en");
  };
  if (m == detail::Measure::mean) {
    auto r = stats::welch_t_test(ta.values, tb.values, stats::Alternative::two_sided, kConfidence);
    if (r) {
      change = bj::object{{"value", round4(r->difference)},
                          {"ci", interval(r->ci, 1)},
                          {"p_value", round_p(r->p_value)},
                          {"test", "welch_t"},
                          {"t", round4(r->t)},
                          {"df", round4(r->df)},
                          {"effect_size", round4(r->hedges_g)}};
      t.change = r->difference;
      t.p_value = r->p_value;
    } else {
      no_change(r.shortfall());
    }
  } else {
    auto r = stats::two_proportion_test(ta.successes, ta.trials, tb.successes, tb.trials,
                                        stats::Alternative::two_sided, kConfidence);
    if (r) {
      change = bj::object{{"value", round4(100 * r->risk_difference)},
                          {"ci", interval(r->ci, 100)},
                          {"p_value", round_p(r->p_value)},
                          {"test", "two_proportion_z"},
                          {"z", round4(r->z)},
                          {"effect_size", round4(r->cohens_h)}};
      t.change = 100 * r->risk_difference;
      t.p_value = r->p_value;
    } else {
      no_change(r.shortfall());
    }
  }

  bj::object o{{"variable_id", std::to_string(v.id)},
               {"label", v.label},
               {"label_en", v.label_en.empty() ? v.label : v.label_en},
               {"kind", v.kind},
               {"measure", percent ? "proportion" : "mean"},
               {"unit", percent ? "%" : v.unit_label},
               {"desired", v.desired},
               {"group", comparison ? "treatment" : "all"},
               {"before", std::move(b.json)},
               {"after", std::move(a.json)},
               {"change", std::move(change)}};

  if (comparison) {
    const Cell cb = merged(e, before, Arm::control), ca = merged(e, after, Arm::control);
    Side csb = side(m, cb), csa = side(m, ca);
    if (csb.value && csa.value) t.control_change = *csa.value - *csb.value;
    bj::object control{{"before", std::move(csb.json)},
                       {"after", std::move(csa.json)},
                       {"change", t.control_change ? bj::value(round4(*t.control_change)) : bj::value()}};
    // The regression form with clusters: one observation per unit (a proportion's units are 0 or 1).
    std::vector<stats::DidObservation> obs;
    std::map<std::string, std::int64_t> cluster_ids;
    auto add = [&](const Cells& cells, bool post) {
      for (const auto& [key, cell] : cells) {
        const Arm arm = arm_of(e, key);
        if (arm == Arm::none) continue;
        const std::int64_t id =
            cluster_ids.emplace(key, static_cast<std::int64_t>(cluster_ids.size())).first->second;
        const bool treated = arm == Arm::treatment;
        if (m == detail::Measure::mean) {
          for (double y : cell.values) obs.push_back({y, treated, post, id, 1.0});
        } else {
          for (std::uint64_t k = 0; k < cell.trials; ++k)
            obs.push_back({k < cell.successes ? 1.0 : 0.0, treated, post, id, 1.0});
        }
      }
    };
    add(before, false);
    add(after, true);
    auto d = stats::difference_in_differences(obs, kConfidence);
    bj::object did;
    if (d) {
      const bool few = d->treated_clusters < 2 || d->control_clusters < 2;
      did = bj::object{{"estimate", round4(d->estimate * scale)},
                       {"std_error", round4(d->std_error * scale)},
                       {"ci", interval(d->ci, scale)},
                       {"p_value", round_p(d->p_value)},
                       {"df", round4(d->df)},
                       {"n", static_cast<std::int64_t>(d->n)},
                       {"clusters", static_cast<std::int64_t>(d->clusters)},
                       {"treated_clusters", static_cast<std::int64_t>(d->treated_clusters)},
                       {"control_clusters", static_cast<std::int64_t>(d->control_clusters)},
                       {"method", "ols_cluster_robust_cr1"},
                       {"few_clusters", few}};
      t.did = d->estimate * scale;
      t.did_p_value = d->p_value;
      t.few_clusters = few;
    } else {
      did = bj::object{{"estimate", nullptr},
                       {"ci", nullptr},
                       {"p_value", nullptr},
                       {"shortfall", shortfall_json(d.shortfall())}};
      t.did_shortfall_id = stats::shortfall_text(d.shortfall(), "id");
      t.did_shortfall_en = stats::shortfall_text(d.shortfall(), "en");
    }
    o["control"] = std::move(control);
    o["did"] = std::move(did);
  } else {
    o["control"] = nullptr;
    o["did"] = nullptr;
  }
  const auto sentences = text::describe(t);
  o["sentence"] = sentences.id;
  o["sentence_en"] = sentences.en;
  return o;
}

}  // namespace

bj::object results(db::Connection& c, const OrgScope& s, std::int64_t id) {
  const Evaluation e = get(c, s, id);
  const auto before = read_round(c, s, e, e.baseline);
  const auto after = read_round(c, s, e, e.endline);
  bj::array rows;
  for (std::size_t i = 0; i < e.variables.size(); ++i)
    rows.push_back(row(e, i, before.measures[i], before.cells[i], after.cells[i]));
  return bj::object{{"evaluation_id", std::to_string(e.id)},
                    {"title", e.title},
                    {"confidence", kConfidence},
                    {"comparison", !e.control.empty()},
                    {"cluster_level", e.cluster_level ? bj::value(*e.cluster_level) : bj::value()},
                    {"rows", std::move(rows)}};
}

}  // namespace gotong::domain::evaluations
