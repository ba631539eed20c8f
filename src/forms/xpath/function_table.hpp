// The functions an ODK XPath expression may call, with their argument counts, so the parser can
// reject unknown names and wrong arities before anything is evaluated.
#pragma once

#include <cstdint>
#include <string_view>

namespace gotong::forms::xpath {

enum class FunctionId : std::uint16_t {
  // nodes and context
  Last,
  Position,
  Count,
  Current,
  Instance,
  IndexedRepeat,
  Pulldata,
  Randomize,
  // logic
  If,
  Coalesce,
  Once,
  True,
  False,
  Not,
  Boolean,
  BooleanFromString,
  Checklist,
  WeightedChecklist,
  // select_one / select_multiple answers
  Selected,
  SelectedAt,
  CountSelected,
  ChoiceName,
  // strings
  String,
  Concat,
  Join,
  Substr,
  Substring,
  SubstringBefore,
  SubstringAfter,
  StringLength,
  NormalizeSpace,
  Contains,
  StartsWith,
  EndsWith,
  Regex,
  Translate,
  LowerCase,
  UpperCase,
  Uuid,
  Digest,
  Base64Decode,
  ExtractSigned,
  // numbers
  Number,
  Int,
  Round,
  Floor,
  Ceiling,
  Abs,
  Pow,
  Log,
  Log10,
  Exp,
  Exp10,
  Sqrt,
  Sin,
  Cos,
  Tan,
  Asin,
  Acos,
  Atan,
  Atan2,
  Pi,
  Random,
  Sum,
  CountNonEmpty,
  Max,
  Min,
  // dates
  Today,
  Now,
  Date,
  DateTime,
  DecimalDateTime,
  DecimalTime,
  FormatDate,
  FormatDateTime,
  // geo
  Area,
  Distance,
};

inline constexpr std::uint8_t kVariadic = 255;

struct FunctionInfo {
  std::string_view name;
  FunctionId id;
  std::uint8_t min_args;
  std::uint8_t max_args;  // kVariadic: no upper bound
};

// nullptr for an unknown name.
const FunctionInfo* find_function(std::string_view name);
const FunctionInfo& function_info(FunctionId id);

}  // namespace gotong::forms::xpath
