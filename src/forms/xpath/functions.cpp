// The ODK XPath function library: the evaluator's Call nodes land in Evaluator::call().
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "forms/xpath/dates.hpp"
#include "forms/xpath/digest.hpp"
#include "forms/xpath/error.hpp"
#include "forms/xpath/evaluator.hpp"
#include "forms/xpath/geo.hpp"
#include "forms/xpath/regex.hpp"
#include "forms/xpath/utf8.hpp"

namespace gotong::forms::xpath {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// uuid(n) beyond this is surely a mistake and would only exhaust memory.
constexpr double kMaxUuidLength = 100000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Calls f(token) for each space-separated item of a select_multiple answer.
template <typename F>
void for_each_item(std::string_view list, F&& f) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_space(list[i])) ++i;
    std::size_t j = i;
    while (j < list.size() && !is_space(list[j])) ++j;
    if (j > i && !f(list.substr(i, j - i))) return;
    i = j;
  }
}

// XPath round(): the closest integer, halves towards positive infinity.
double xpath_round(double x) {
  if (!std::isfinite(x)) return x;
  const double r = std::floor(x);
  const double rounded = (x - r >= 0.5) ? r + 1 : r;
  return (rounded == 0 && std::signbit(x)) ? -0.0 : rounded;
}

// Fractional days are not exact in binary: round to whole milliseconds so that a dateTime
// converted to a number and back keeps its last millisecond.
double days_to_millis(double days) { return std::round(days * dates::kMillisPerDay); }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return utf8::to_lower(static_cast<unsigned char>(x)) ==
                  utf8::to_lower(static_cast<unsigned char>(y));
         });
}

std::string map_case(std::string_view s, bool upper) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const char32_t c = utf8::next(s, i);
    const char32_t m = upper ? utf8::to_upper(c) : utf8::to_lower(c);
    if (m == c) {
      out.append(s.substr(start, i - start));  // keeps malformed bytes as they were
    } else {
      utf8::append(out, m);
    }
  }
  return out;
}

std::string translate(std::string_view s, std::string_view from, std::string_view to) {
  std::vector<std::pair<char32_t, std::string_view>> map;  // code point -> replacement bytes
  std::vector<std::string_view> to_chars;
  for (std::size_t i = 0; i < to.size();) {
    const std::size_t start = i;
    utf8::next(to, i);
    to_chars.push_back(to.substr(start, i - start));
  }
  std::size_t index = 0;
  for (std::size_t i = 0; i < from.size(); ++index) {
    const char32_t c = utf8::next(from, i);
    // The first occurrence in `from` wins; beyond the length of `to` the character is removed.
    if (std::none_of(map.begin(), map.end(), [c](const auto& m) { return m.first == c; })) {
      map.emplace_back(c, index < to_chars.size() ? to_chars[index] : std::string_view());
    }
  }
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const char32_t c = utf8::next(s, i);
    const auto it =
        std::find_if(map.begin(), map.end(), [c](const auto& m) { return m.first == c; });
    out.append(it == map.end() ? s.substr(start, i - start) : it->second);
  }
  return out;
}

std::string normalize_space(std::string_view s) {
  std::string out;
  for_each_item(s, [&](std::string_view word) {
    if (!out.empty()) out.push_back(' ');
    out.append(word);
    return true;
  });
  return out;
}

// The characters of `s` from `first` (inclusive) to `last` (exclusive), 0-based and clamped.
std::string_view code_point_slice(std::string_view s, std::size_t first, std::size_t last) {
  if (first >= last) return {};
  const std::size_t begin = utf8::offset_of(s, first);
  const std::size_t end = begin + utf8::offset_of(s.substr(begin), last - first);
  return s.substr(begin, end - begin);
}

void keep_inside(NodeSet& set, const NodeRef& scope);

bool is_descendant_or_self(const NodeRef& node, const NodeRef& ancestor) {
  if (node.instance != ancestor.instance) return false;
  if (node == ancestor) return true;
  if (!ancestor.is_element()) return false;
  for (NodeRef n = node.parent(); !n.empty(); n = n.parent()) {
    if (n == ancestor) return true;
  }
  return false;
}

void keep_inside(NodeSet& set, const NodeRef& scope) {
  set.erase(std::remove_if(set.begin(), set.end(),
                           [&](const NodeRef& r) { return !is_descendant_or_self(r, scope); }),
            set.end());
}

// The text of an argument, borrowed from a literal or a leaf node when possible: most
// string-function arguments are either, so no copy is made.
class ArgText {
 public:
  explicit ArgText(Value v) : value_(std::move(v)) { view_ = value_.to_string_view(scratch_); }
  ArgText(const ArgText&) = delete;
  ArgText& operator=(const ArgText&) = delete;
  std::string_view view() const { return view_; }

 private:
  Value value_;
  std::string scratch_;
  std::string_view view_;
};

// Park-Miller "minimal standard" generator, so a seeded randomize() gives the same order on
// every run (and, as far as we know, the order ODK clients give).
class SeededShuffle {
 public:
  explicit SeededShuffle(double seed) {
    const double s = std::fmod(std::trunc(seed), 2147483647.0);
    state_ = static_cast<std::int64_t>(s);
    if (state_ <= 0) state_ += 2147483646;
    if (state_ <= 0) state_ = 1;  // 0 would stick at 0
  }
  double next() {
    state_ = state_ * 16807 % 2147483647;
    return static_cast<double>(state_ - 1) / 2147483646.0;
  }

 private:
  std::int64_t state_;
};

}  // namespace

RandomSource::RandomSource() : engine_(std::random_device{}()) {}

RandomSource& Evaluator::random() {
  if (ctx_.random != nullptr) return *ctx_.random;
  thread_local RandomSource source;
  return source;
}

std::string Evaluator::context_string(const Frame& f) const { return f.node.string_value(); }

double Evaluator::local_millis(const Value& v) const {
  const int tz = ctx_.timezone_offset_minutes;
  switch (v.type()) {
    case ValueType::Date: return v.to_number() * dates::kMillisPerDay;
    case ValueType::DateTime: return v.utc_millis() + tz * dates::kMillisPerMinute;
    case ValueType::Number: return days_to_millis(v.to_number());
    case ValueType::Boolean: return kNaN;
    case ValueType::String:
    case ValueType::NodeSet: {
      std::string scratch;
      const std::string_view s = trim(v.to_string_view(scratch));
      if (auto d = dates::parse_date(s)) return static_cast<double>(*d) * dates::kMillisPerDay;
      if (auto ms = dates::parse_date_time(s, tz)) return *ms + tz * dates::kMillisPerMinute;
      if (auto n = parse_number(s)) return days_to_millis(*n);
      return kNaN;
    }
  }
  return kNaN;
}

Value Evaluator::to_date(const Value& v) const {
  const double ms = local_millis(v);
  return Value::date(std::floor(ms / dates::kMillisPerDay));
}

Value Evaluator::to_date_time(const Value& v) const {
  const int tz = ctx_.timezone_offset_minutes;
  // A number is days since 1970-01-01T00:00Z; dates and date text start at local midnight.
  if (v.type() == ValueType::Number) return Value::date_time(days_to_millis(v.to_number()), tz);
  return Value::date_time(local_millis(v) - tz * dates::kMillisPerMinute, tz);
}

double Evaluator::decimal_time(const Value& v) const {
  const int tz = ctx_.timezone_offset_minutes;
  double ms = kNaN;
  if (v.type() == ValueType::DateTime) {
    ms = local_millis(v);
  } else if (v.type() == ValueType::String || v.type() == ValueType::NodeSet) {
    std::string scratch;
    const std::string_view s = v.to_string_view(scratch);
    if (auto t = dates::parse_time(s, tz)) {
      ms = *t;
    } else if (auto dt = dates::parse_date_time(s, tz)) {
      ms = *dt + tz * dates::kMillisPerMinute;
    }
  }
  if (std::isnan(ms)) return kNaN;
  double day = std::fmod(ms, dates::kMillisPerDay);
  if (day < 0) day += dates::kMillisPerDay;
  // Round to the millisecond so that 06:00 gives 0.25, not 0.25000000000000006.
  return std::round(day) / dates::kMillisPerDay;
}

Value Evaluator::call(const AstNode& n, const Frame& f) {
  const auto args = p_.kids(n);
  const auto arg = [&](std::size_t i) { return eval(args[i], f); };
  const auto num = [&](std::size_t i) { return eval_number(args[i], f); };
  const auto str = [&](std::size_t i) { return eval_string(args[i], f); };
  const auto text = [&](std::size_t i) { return ArgText(eval(args[i], f)); };
  const auto nodes = [&](std::size_t i, const char* what) { return eval_nodes(args[i], f, what); };
  const auto fail = [&](const std::string& message) -> EvaluationError {
    return EvaluationError(n.position, message);
  };
  const auto math = [&](double (*fn)(double)) { return Value::number(fn(num(0))); };

  switch (n.function) {
    // --- nodes and context
    case FunctionId::Last: return Value::number(f.size);
    case FunctionId::Position: {
      if (args.empty()) return Value::number(f.position);
      // ODK: position(node) is the node's 1-based index among same-named siblings (repeats).
      const NodeSet set = nodes(0, "position()");
      if (set.empty() || !set.front().is_element()) return Value::number(kNaN);
      const NodeRef& node = set.front();
      const Instance& in = *node.instance;
      double index = 1;
      for (NodeId s = in.previous_sibling(node.element); s != kNoNode; s = in.previous_sibling(s)) {
        if (in.name(s) == node.name()) ++index;
      }
      return Value::number(index);
    }
    case FunctionId::Count: return Value::number(static_cast<double>(nodes(0, "count()").size()));
    case FunctionId::Current: {
      NodeSet set;
      if (!current_.empty()) set.push_back(current_);
      return Value::nodes(std::move(set));
    }
    case FunctionId::Instance: {
      const std::string id = str(0);
      const Instance* in = ctx_.instances != nullptr ? ctx_.instances->find(id) : nullptr;
      if (in == nullptr) throw fail("unknown instance '" + id + "'");
      NodeSet set;
      set.push_back(in->node(in->document()));
      return Value::nodes(std::move(set));
    }
    case FunctionId::IndexedRepeat: {
      // indexed-repeat(/data/rep/q, /data/rep, 2): the q inside the second rep; further
      // (repeat, index) pairs descend into nested repeats.
      NodeSet result = nodes(0, "indexed-repeat()");
      NodeRef scope;
      for (std::size_t i = 1; i + 1 < args.size(); i += 2) {
        NodeSet repeats = nodes(i, "indexed-repeat()");
        if (!scope.empty()) {
          keep_inside(repeats, scope);
        }
        const double index = xpath_round(num(i + 1));
        if (!(index >= 1 && index <= static_cast<double>(repeats.size()))) return Value::nodes({});
        scope = repeats[static_cast<std::size_t>(index) - 1];
      }
      keep_inside(result, scope);
      return Value::nodes(std::move(result));
    }
    case FunctionId::Pulldata: {
      // pulldata('fruits', 'name', 'id', ${id}) reads a CSV attached as instance 'fruits'.
      const std::string id = str(0);
      const std::string column = str(1);
      const std::string key_column = str(2);
      const std::string key = str(3);
      const Instance* in = ctx_.instances != nullptr ? ctx_.instances->find(id) : nullptr;
      if (in == nullptr) throw fail("unknown instance '" + id + "'");
      const NodeId root = in->root();
      if (root == kNoNode) return Value::string({});
      for (NodeId item = in->first_child(root); item != kNoNode; item = in->next_sibling(item)) {
        NodeId key_node = kNoNode;
        NodeId value_node = kNoNode;
        for (NodeId c = in->first_child(item); c != kNoNode; c = in->next_sibling(c)) {
          if (key_node == kNoNode && in->name(c) == key_column) key_node = c;
          if (value_node == kNoNode && in->name(c) == column) value_node = c;
        }
        if (key_node != kNoNode && in->node(key_node).string_value() == key) {
          return Value::string(value_node == kNoNode ? std::string()
                                                     : in->node(value_node).string_value());
        }
      }
      return Value::string({});
    }
    case FunctionId::Randomize: {
      NodeSet set = nodes(0, "randomize()");
      if (args.size() == 2) {
        const double seed = num(1);
        if (!std::isfinite(seed)) throw fail("randomize() seed must be a number");
        SeededShuffle rng(seed);
        for (std::size_t i = set.size(); i > 1; --i) {
          const double r = std::floor(rng.next() * static_cast<double>(i));
          const std::size_t j = r > 0 ? std::min(static_cast<std::size_t>(r), i - 1) : 0;
          std::swap(set[i - 1], set[j]);
        }
      } else {
        RandomSource& rng = random();
        for (std::size_t i = set.size(); i > 1; --i) std::swap(set[i - 1], set[rng.next() % i]);
      }
      // Not in document order any more, on purpose: the caller lists choices in this order.
      return Value::nodes(std::move(set));
    }

    // --- logic
    case FunctionId::If: return eval_boolean(args[0], f) ? arg(1) : arg(2);
    case FunctionId::Coalesce: {
      Value first = arg(0);
      std::string scratch;
      if (!first.to_string_view(scratch).empty()) return first;
      return arg(1);
    }
    case FunctionId::Once: {
      // Keeps a value once set: the context node's value if it has one, else the expression.
      std::string value = context_string(f);
      if (!value.empty()) return Value::string(std::move(value));
      return arg(0);
    }
    case FunctionId::True: return Value::boolean(true);
    case FunctionId::False: return Value::boolean(false);
    case FunctionId::Not: return Value::boolean(!eval_boolean(args[0], f));
    case FunctionId::Boolean: return Value::boolean(eval_boolean(args[0], f));
    case FunctionId::BooleanFromString: {
      const ArgText s = text(0);
      return Value::boolean(s.view() == "1" || equals_ignoring_case(s.view(), "true"));
    }
    case FunctionId::Checklist:
    case FunctionId::WeightedChecklist: {
      const double min = num(0);
      const double max = num(1);
      double total = 0;
      std::string scratch;
      // ODK: an answer counts when it converts to a number > 0 ("1", "yes" does not).
      const auto counts = [&](double x) { return x > 0; };
      if (n.function == FunctionId::Checklist) {
        for (std::size_t i = 2; i < args.size(); ++i) {
          const Value v = arg(i);
          if (v.is_nodes()) {
            for (const NodeRef& node : v.node_set())
              total += counts(number_of_text(node.string_value(scratch))) ? 1 : 0;
          } else {
            total += counts(number_of(v)) ? 1 : 0;
          }
        }
      } else {
        for (std::size_t i = 2; i + 1 < args.size(); i += 2) {
          const Value v = arg(i);
          const Value w = arg(i + 1);
          if (v.is_nodes() && w.is_nodes()) {
            // Two node-sets: values and weights pair up in order.
            const auto& vs = v.node_set();
            const auto& ws = w.node_set();
            if (vs.size() != ws.size())
              throw fail("weighted-checklist(): values and weights differ in number");
            std::string wscratch;
            for (std::size_t k = 0; k < vs.size(); ++k) {
              if (counts(number_of_text(vs[k].string_value(scratch))))
                total += number_of_text(ws[k].string_value(wscratch));
            }
          } else if (counts(number_of(v))) {
            total += number_of(w);
          }
        }
      }
      return Value::boolean((min < 0 || total >= min) && (max < 0 || total <= max));
    }

    // --- select answers
    case FunctionId::Selected: {
      const ArgText list = text(0);
      const ArgText wanted = text(1);
      const std::string_view item = trim(wanted.view());
      bool found = false;
      for_each_item(list.view(), [&](std::string_view token) {
        found = token == item;
        return !found;
      });
      return Value::boolean(found);
    }
    case FunctionId::SelectedAt: {
      const ArgText list = text(0);
      const double index = std::trunc(num(1));
      std::string result;
      double i = 0;
      for_each_item(list.view(), [&](std::string_view token) {
        if (i++ == index) {
          result = std::string(token);
          return false;
        }
        return true;
      });
      return Value::string(std::move(result));
    }
    case FunctionId::CountSelected: {
      const ArgText list = text(0);
      double count = 0;
      for_each_item(list.view(), [&](std::string_view) {
        ++count;
        return true;
      });
      return Value::number(count);
    }
    case FunctionId::ChoiceName: {
      const std::string value = str(0);
      const std::string path = str(1);
      if (!ctx_.choice_label) return Value::string({});
      return Value::string(ctx_.choice_label(value, trim(path)).value_or(std::string()));
    }

    // --- strings
    case FunctionId::String: return Value::string(args.empty() ? context_string(f) : str(0));
    case FunctionId::Concat:
    case FunctionId::Join: {
      // ODK lets both take node-sets, contributing every node (XPath 1.0 would take the first).
      std::string separator;
      std::size_t first = 0;
      if (n.function == FunctionId::Join) {
        separator = str(0);
        first = 1;
      }
      std::string out;
      bool any = false;
      std::string scratch;
      const auto add = [&](std::string_view s) {
        if (any) out.append(separator);
        out.append(s);
        any = true;
      };
      for (std::size_t i = first; i < args.size(); ++i) {
        const Value v = arg(i);
        if (v.is_nodes()) {
          for (const NodeRef& node : v.node_set()) add(node.string_value(scratch));
        } else {
          add(v.to_string_view(scratch));
        }
      }
      return Value::string(std::move(out));
    }
    case FunctionId::Substr: {
      // ODK substr(s, start, end?): 0-based, end exclusive; negative indexes count from the end.
      const ArgText arg0 = text(0);
      const std::string_view s = arg0.view();
      const auto len = static_cast<double>(utf8::length(s));
      const auto clamp = [&](double x) {
        if (std::isnan(x)) return 0.0;
        x = std::trunc(x);
        if (x < 0) x = std::max(0.0, len + x);
        return std::min(x, len);
      };
      const double start = clamp(num(1));
      const double end = args.size() == 3 ? clamp(num(2)) : len;
      return Value::string(std::string(
          code_point_slice(s, static_cast<std::size_t>(start), static_cast<std::size_t>(end))));
    }
    case FunctionId::Substring: {
      // XPath 1.0: characters at 1-based positions p with round(start) <= p < round(start) +
      // round(len).
      const ArgText arg0 = text(0);
      const std::string_view s = arg0.view();
      const double first = xpath_round(num(1));
      const double last =
          args.size() == 3 ? first + xpath_round(num(2)) : std::numeric_limits<double>::infinity();
      const auto len = static_cast<double>(utf8::length(s));
      const double lo = std::max(first, 1.0);
      const double hi = std::min(last, len + 1);
      if (!(lo < hi)) return Value::string({});
      return Value::string(std::string(
          code_point_slice(s, static_cast<std::size_t>(lo) - 1, static_cast<std::size_t>(hi) - 1)));
    }
    case FunctionId::SubstringBefore:
    case FunctionId::SubstringAfter: {
      const ArgText arg0 = text(0);
      const ArgText arg1 = text(1);
      const std::string_view s = arg0.view();
      const std::string_view needle = arg1.view();
      const std::size_t at = s.find(needle);
      if (at == std::string_view::npos) return Value::string({});
      if (n.function == FunctionId::SubstringBefore)
        return Value::string(std::string(s.substr(0, at)));
      return Value::string(std::string(s.substr(at + needle.size())));
    }
    case FunctionId::StringLength:
      if (args.empty()) return Value::number(static_cast<double>(utf8::length(context_string(f))));
      return Value::number(static_cast<double>(utf8::length(text(0).view())));
    case FunctionId::NormalizeSpace:
      return Value::string(normalize_space(args.empty() ? context_string(f) : str(0)));
    case FunctionId::Contains:
    case FunctionId::StartsWith:
    case FunctionId::EndsWith: {
      const ArgText haystack = text(0);
      const ArgText needle = text(1);
      if (n.function == FunctionId::Contains)
        return Value::boolean(haystack.view().find(needle.view()) != std::string_view::npos);
      if (n.function == FunctionId::StartsWith)
        return Value::boolean(haystack.view().starts_with(needle.view()));
      return Value::boolean(haystack.view().ends_with(needle.view()));
    }
    case FunctionId::Regex: {
      const ArgText value = text(0);
      try {
        if (n.regex >= 0)
          return Value::boolean(
              regex_search(p_.regexes[static_cast<std::size_t>(n.regex)], value.view()));
        return Value::boolean(regex_search(compile_regex(text(1).view()), value.view()));
      } catch (const std::invalid_argument& e) {
        throw fail(e.what());
      } catch (const std::length_error& e) {
        throw fail(e.what());
      }
    }
    case FunctionId::Translate: {
      const ArgText a = text(0);
      const ArgText b = text(1);
      const ArgText c = text(2);
      return Value::string(translate(a.view(), b.view(), c.view()));
    }
    case FunctionId::LowerCase: return Value::string(map_case(str(0), false));
    case FunctionId::UpperCase: return Value::string(map_case(str(0), true));
    case FunctionId::Uuid: {
      RandomSource& rng = random();
      if (args.empty()) {  // RFC 4122 version 4
        std::string bytes(16, '\0');
        for (std::size_t i = 0; i < 16; i += 8) {
          const std::uint64_t r = rng.next();
          for (std::size_t k = 0; k < 8; ++k)
            bytes[i + k] = static_cast<char>((r >> (8 * k)) & 0xFF);
        }
        bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x40);
        bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);
        const std::string hex = to_hex(bytes);
        return Value::string(hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
                             "-" + hex.substr(16, 4) + "-" + hex.substr(20));
      }
      const double length = std::trunc(num(0));
      if (!(length > 0)) return Value::string({});
      if (length > kMaxUuidLength) throw fail("uuid() length is too large");
      static constexpr char kAlphabet[] =
          "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
      std::string out;
      for (double i = 0; i < length; ++i) out.push_back(kAlphabet[rng.next() % 62]);
      return Value::string(std::move(out));
    }
    case FunctionId::Digest: {
      const std::string data = str(0);
      const std::string name = str(1);
      const auto algorithm = parse_digest_algorithm(name);
      if (!algorithm)
        throw fail("unsupported digest algorithm '" + name +
                   "' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)");
      const std::string encoding = args.size() == 3 ? str(2) : "base64";
      const std::string raw = digest(*algorithm, data);
      if (equals_ignoring_case(encoding, "base64")) return Value::string(base64_encode(raw));
      if (equals_ignoring_case(encoding, "hex")) return Value::string(to_hex(raw));
      throw fail("unsupported digest encoding '" + encoding + "' (use base64 or hex)");
    }
    case FunctionId::Base64Decode:
      return Value::string(base64_decode(str(0)).value_or(std::string()));
    case FunctionId::ExtractSigned: {
      // extract-signed(base64 signed message, base64 Ed25519 public key): the message when the
      // signature holds, else "".
      const auto message = base64_decode(str(0));
      const auto key = base64_decode(str(1));
      if (!message || !key) return Value::string({});
      return Value::string(open_signed(*message, *key).value_or(std::string()));
    }

    // --- numbers
    case FunctionId::Number:
      return Value::number(args.empty() ? number_of_text(context_string(f)) : num(0));
    case FunctionId::Int: return Value::number(std::trunc(num(0)));
    case FunctionId::Round: {
      const double x = num(0);
      if (args.size() == 1) return Value::number(xpath_round(x));
      const double digits = std::trunc(num(1));
      if (std::isnan(digits)) return Value::number(kNaN);
      const double scale = std::pow(10.0, digits);
      return Value::number(xpath_round(x * scale) / scale);
    }
    case FunctionId::Floor: return math([](double x) { return std::floor(x); });
    case FunctionId::Ceiling: return math([](double x) { return std::ceil(x); });
    case FunctionId::Abs: return math([](double x) { return std::fabs(x); });
    case FunctionId::Pow: {
      const double base = num(0);
      return Value::number(std::pow(base, num(1)));
    }
    case FunctionId::Log: return math([](double x) { return std::log(x); });
    case FunctionId::Log10: return math([](double x) { return std::log10(x); });
    case FunctionId::Exp: return math([](double x) { return std::exp(x); });
    case FunctionId::Exp10: return Value::number(std::pow(10.0, num(0)));
    case FunctionId::Sqrt: return math([](double x) { return std::sqrt(x); });
    case FunctionId::Sin: return math([](double x) { return std::sin(x); });
    case FunctionId::Cos: return math([](double x) { return std::cos(x); });
    case FunctionId::Tan: return math([](double x) { return std::tan(x); });
    case FunctionId::Asin: return math([](double x) { return std::asin(x); });
    case FunctionId::Acos: return math([](double x) { return std::acos(x); });
    case FunctionId::Atan: return math([](double x) { return std::atan(x); });
    case FunctionId::Atan2: {
      const double y = num(0);
      return Value::number(std::atan2(y, num(1)));
    }
    case FunctionId::Pi: return Value::number(std::numbers::pi);
    case FunctionId::Random: return Value::number(random().next_double());
    case FunctionId::Sum: {
      double total = 0;
      std::string scratch;
      for (const NodeRef& node : nodes(0, "sum()"))
        total += number_of_text(node.string_value(scratch));
      return Value::number(total);
    }
    case FunctionId::CountNonEmpty: {
      double count = 0;
      std::string scratch;
      for (const NodeRef& node : nodes(0, "count-non-empty()"))
        count += node.string_value(scratch).empty() ? 0 : 1;
      return Value::number(count);
    }
    case FunctionId::Max:
    case FunctionId::Min: {
      // Every node of node-set arguments counts; an empty input or any non-number gives NaN.
      const bool is_max = n.function == FunctionId::Max;
      double best = kNaN;
      bool any = false;
      std::string scratch;
      const auto take = [&](double x) {
        if (std::isnan(x)) {
          best = kNaN;
          return false;
        }
        if (!any || (is_max ? x > best : x < best)) best = x;
        any = true;
        return true;
      };
      for (std::size_t i = 0; i < args.size(); ++i) {
        const Value v = arg(i);
        if (v.is_nodes()) {
          for (const NodeRef& node : v.node_set()) {
            if (!take(number_of_text(node.string_value(scratch)))) return Value::number(kNaN);
          }
        } else if (!take(number_of(v))) {
          return Value::number(kNaN);
        }
      }
      return Value::number(any ? best : kNaN);
    }

    // --- dates
    case FunctionId::Today:
    case FunctionId::Now: {
      const std::int64_t now = ctx_.clock ? ctx_.clock()
                                          : std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count();
      const int tz = ctx_.timezone_offset_minutes;
      if (n.function == FunctionId::Now) return Value::date_time(static_cast<double>(now), tz);
      return Value::date(std::floor((static_cast<double>(now) + tz * dates::kMillisPerMinute) /
                                    dates::kMillisPerDay));
    }
    case FunctionId::Date: return to_date(arg(0));
    case FunctionId::DateTime: return to_date_time(arg(0));
    case FunctionId::DecimalDateTime: return Value::number(num(0));  // number() knows dateTimes
    case FunctionId::DecimalTime: return Value::number(decimal_time(arg(0)));
    case FunctionId::FormatDate:
    case FunctionId::FormatDateTime: {
      const double ms = local_millis(arg(0));
      return Value::string(dates::format_pattern(ms, str(1)));
    }

    // --- geo
    case FunctionId::Area:
    case FunctionId::Distance: {
      std::vector<GeoPoint> points;
      std::string scratch;
      bool ok = true;
      for (std::size_t i = 0; i < args.size() && ok; ++i) {
        const Value v = arg(i);
        if (v.is_nodes()) {
          for (const NodeRef& node : v.node_set())
            ok = ok && parse_geo_points(node.string_value(scratch), points);
        } else {
          ok = parse_geo_points(v.to_string_view(scratch), points);
        }
      }
      if (!ok) return Value::number(kNaN);
      if (n.function == FunctionId::Area) return Value::number(polygon_area_square_meters(points));
      return Value::number(path_length_meters(points));
    }
  }
  throw fail("internal error: function not implemented");
}

}  // namespace gotong::forms::xpath
