#include "domain/report_evaluations.hpp"

#include <boost/json.hpp>

#include "base/error.hpp"
#include "domain/evaluations.hpp"

namespace gotong::domain::report_evaluations {

namespace bj = boost::json;

namespace {

std::optional<double> number(const bj::value* v) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}

const bj::object* member_object(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string text(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

reports::EvaluationRow row_of(const bj::object& r, reports::Lang lang) {
  const bool id = lang == reports::Lang::id;
  reports::EvaluationRow out;
  out.variable = text(r, id ? "label" : "label_en");
  const std::string unit = text(r, "unit");
  if (!unit.empty()) out.variable += " (" + unit + ")";
  out.statistic = text(r, "measure");
  if (const auto* b = member_object(r, "before")) {
    out.before = number(b->if_contains("value"));
    if (auto n = number(b->if_contains("n"))) out.n_before = static_cast<std::int64_t>(*n);
  }
  if (const auto* a = member_object(r, "after")) {
    out.after = number(a->if_contains("value"));
    if (auto n = number(a->if_contains("n"))) out.n_after = static_cast<std::int64_t>(*n);
  }
  if (const auto* ch = member_object(r, "change")) {
    out.change = number(ch->if_contains("value"));
    out.p_value = number(ch->if_contains("p_value"));
    const bj::value* ci = ch->if_contains("ci");
    if (ci && ci->is_array() && ci->as_array().size() == 2) {
      out.ci_low = number(&ci->as_array()[0]);
      out.ci_high = number(&ci->as_array()[1]);
    }
  }
  if (const auto* did = member_object(r, "did")) out.did = number(did->if_contains("estimate"));
  out.sentence = text(r, id ? "sentence" : "sentence_en");
  return out;
}

}  // namespace

std::vector<reports::Evaluation> for_report(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                                            reports::Lang lang) {
  const bool id = lang == reports::Lang::id;
  std::vector<reports::Evaluation> out;
  for (const auto& e : evaluations::list(c, s, program_id)) {
    reports::Evaluation re;
    re.title = e.title;
    // An evaluation whose definition no longer holds (a field or indicator gone) keeps its
    // criteria and lessons in the report, with the reason instead of the table. Only the rules'
    // own errors are caught: they are thrown before any statement fails, so the snapshot stays usable.
    try {
      const bj::object results = evaluations::results(c, s, e.id);
      if (const bj::value* rows = results.if_contains("rows"); rows && rows->is_array())
        for (const auto& r : rows->as_array())
          if (r.is_object()) re.rows.push_back(row_of(r.as_object(), lang));
    } catch (const Error& err) {
      if (err.code() != ErrorCode::validation && err.code() != ErrorCode::conflict) throw;
      re.note = std::string(id ? "Hasil tidak dapat dihitung: " : "The results could not be computed: ") +
                err.what();
    }
    for (const auto& cr : e.criteria) {
      if (!cr.rating && cr.evidence.empty() && cr.narrative.empty()) continue;
      reports::CriterionRating rating;
      rating.criterion = cr.criterion;
      rating.rating = cr.rating;
      if (cr.rating)
        rating.rating_label = std::to_string(*cr.rating) + " – " +
                              std::string(id ? evaluations::rating_label_id(*cr.rating)
                                             : evaluations::rating_label_en(*cr.rating));
      for (const auto& ev : cr.evidence)
        rating.evidence += (rating.evidence.empty() ? "" : "\n") + ("• " + ev);
      rating.narrative = cr.narrative;
      re.criteria.push_back(std::move(rating));
    }
    for (const auto& l : e.lessons) re.lessons += (re.lessons.empty() ? "" : "\n") + ("• " + l.text);
    out.push_back(std::move(re));
  }
  return out;
}

}  // namespace gotong::domain::report_evaluations
