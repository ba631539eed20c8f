// The XLSForm question type vocabulary: every spelling pyxform accepts, mapped to one
// QuestionType, and what each type becomes in an XForm (bind type, body control, preload).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "forms/xlsform/form.hpp"

namespace gotong::forms::xlsform {

struct TypeInfo {
  std::string_view bind_type;       // "string", "int"...; empty: no type attribute
  std::string_view control;         // "input", "select1", "upload"...; empty: no body control
  std::string_view mediatype;       // upload controls
  std::string_view preload;         // jr:preload
  std::string_view preload_params;  // jr:preloadParams
  bool read_only = false;           // notes
  bool needs_list = false;          // selects and ranks: a choices list name follows the type
  bool metadata = false;            // filled by the client; no label needed
};

const TypeInfo& type_info(QuestionType type);

// The canonical XLSForm spelling ("integer", "select_one", "start-geopoint"...).
std::string_view type_name(QuestionType type);

// A type cell, split: "select one from colors or specify other" -> select_one, "colors", true.
struct ParsedType {
  QuestionType type = QuestionType::none;
  std::string list_name;  // selects/rank: list; *_from_file: file name; loops: list
  bool or_other = false;
  // Structure rows
  enum class Structure { none, begin_group, begin_repeat, begin_loop, end_group, end_repeat, end_loop };
  Structure structure = Structure::none;
  std::string error;  // set when the type is recognised but malformed
};

// nullopt when the type is unknown.
std::optional<ParsedType> parse_type(std::string_view type_text);

bool is_select(QuestionType type);         // select_one/multiple (+from_file/external), rank
bool uses_choice_list(QuestionType type);  // needs a list from the choices sheet

}  // namespace gotong::forms::xlsform
