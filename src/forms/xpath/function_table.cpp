#include "forms/xpath/function_table.hpp"

#include <array>

namespace gotong::forms::xpath {

namespace {

using F = FunctionId;
constexpr std::uint8_t V = kVariadic;

constexpr std::array kFunctions = {
    FunctionInfo{"last", F::Last, 0, 0},
    FunctionInfo{"position", F::Position, 0, 1},
    FunctionInfo{"count", F::Count, 1, 1},
    FunctionInfo{"current", F::Current, 0, 0},
    FunctionInfo{"instance", F::Instance, 1, 1},
    FunctionInfo{"indexed-repeat", F::IndexedRepeat, 3, V},
    FunctionInfo{"pulldata", F::Pulldata, 4, 4},
    FunctionInfo{"randomize", F::Randomize, 1, 2},
    FunctionInfo{"if", F::If, 3, 3},
    FunctionInfo{"coalesce", F::Coalesce, 2, 2},
    FunctionInfo{"once", F::Once, 1, 1},
    FunctionInfo{"true", F::True, 0, 0},
    FunctionInfo{"false", F::False, 0, 0},
    FunctionInfo{"not", F::Not, 1, 1},
    FunctionInfo{"boolean", F::Boolean, 1, 1},
    FunctionInfo{"boolean-from-string", F::BooleanFromString, 1, 1},
    FunctionInfo{"checklist", F::Checklist, 2, V},
    FunctionInfo{"weighted-checklist", F::WeightedChecklist, 2, V},
    FunctionInfo{"selected", F::Selected, 2, 2},
    FunctionInfo{"selected-at", F::SelectedAt, 2, 2},
    FunctionInfo{"count-selected", F::CountSelected, 1, 1},
    FunctionInfo{"jr:choice-name", F::ChoiceName, 2, 2},
    FunctionInfo{"string", F::String, 0, 1},
    FunctionInfo{"concat", F::Concat, 0, V},
    FunctionInfo{"join", F::Join, 1, V},
    FunctionInfo{"substr", F::Substr, 2, 3},
    FunctionInfo{"substring", F::Substring, 2, 3},
    FunctionInfo{"substring-before", F::SubstringBefore, 2, 2},
    FunctionInfo{"substring-after", F::SubstringAfter, 2, 2},
    FunctionInfo{"string-length", F::StringLength, 0, 1},
    FunctionInfo{"normalize-space", F::NormalizeSpace, 0, 1},
    FunctionInfo{"contains", F::Contains, 2, 2},
    FunctionInfo{"starts-with", F::StartsWith, 2, 2},
    FunctionInfo{"ends-with", F::EndsWith, 2, 2},
    FunctionInfo{"regex", F::Regex, 2, 2},
    FunctionInfo{"translate", F::Translate, 3, 3},
    FunctionInfo{"lower-case", F::LowerCase, 1, 1},
    FunctionInfo{"upper-case", F::UpperCase, 1, 1},
    FunctionInfo{"uuid", F::Uuid, 0, 1},
    FunctionInfo{"digest", F::Digest, 2, 3},
    FunctionInfo{"base64-decode", F::Base64Decode, 1, 1},
    FunctionInfo{"extract-signed", F::ExtractSigned, 2, 2},
    FunctionInfo{"number", F::Number, 0, 1},
    FunctionInfo{"int", F::Int, 1, 1},
    FunctionInfo{"round", F::Round, 1, 2},
    FunctionInfo{"floor", F::Floor, 1, 1},
    FunctionInfo{"ceiling", F::Ceiling, 1, 1},
    FunctionInfo{"abs", F::Abs, 1, 1},
    FunctionInfo{"pow", F::Pow, 2, 2},
    FunctionInfo{"log", F::Log, 1, 1},
    FunctionInfo{"log10", F::Log10, 1, 1},
    FunctionInfo{"exp", F::Exp, 1, 1},
    FunctionInfo{"exp10", F::Exp10, 1, 1},
    FunctionInfo{"sqrt", F::Sqrt, 1, 1},
    FunctionInfo{"sin", F::Sin, 1, 1},
    FunctionInfo{"cos", F::Cos, 1, 1},
    FunctionInfo{"tan", F::Tan, 1, 1},
    FunctionInfo{"asin", F::Asin, 1, 1},
    FunctionInfo{"acos", F::Acos, 1, 1},
    FunctionInfo{"atan", F::Atan, 1, 1},
    FunctionInfo{"atan2", F::Atan2, 2, 2},
    FunctionInfo{"pi", F::Pi, 0, 0},
    FunctionInfo{"random", F::Random, 0, 0},
    FunctionInfo{"sum", F::Sum, 1, 1},
    FunctionInfo{"count-non-empty", F::CountNonEmpty, 1, 1},
    FunctionInfo{"max", F::Max, 1, V},
    FunctionInfo{"min", F::Min, 1, V},
    FunctionInfo{"today", F::Today, 0, 0},
    FunctionInfo{"now", F::Now, 0, 0},
    FunctionInfo{"date", F::Date, 1, 1},
    FunctionInfo{"date-time", F::DateTime, 1, 1},
    FunctionInfo{"decimal-date-time", F::DecimalDateTime, 1, 1},
    FunctionInfo{"decimal-time", F::DecimalTime, 1, 1},
    FunctionInfo{"format-date", F::FormatDate, 2, 2},
    FunctionInfo{"format-date-time", F::FormatDateTime, 2, 2},
    FunctionInfo{"area", F::Area, 1, 1},
    FunctionInfo{"distance", F::Distance, 1, V},
};

}  // namespace

const FunctionInfo* find_function(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const FunctionInfo& function_info(FunctionId id) {
  for (const auto& f : kFunctions) {
    if (f.id == id) return f;
  }
  return kFunctions.front();
}

}  // namespace gotong::forms::xpath
