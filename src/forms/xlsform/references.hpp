// XLSForm ${name} references: finding them in text, checking names, and rewriting them into
// the absolute instance paths (" /data/group/name ") an XForm needs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "forms/xlsform/expression_check.hpp"
#include "forms/xlsform/form.hpp"

namespace gotong::forms::xlsform {

struct ReferenceToken {
  std::string name;          // "age" for ${age}; "age" also for ${last-saved#age}
  std::size_t position = 0;  // byte offset of '$'
  std::size_t length = 0;    // bytes of the whole reference
  bool last_saved = false;   // ${last-saved#age}: the value from the last saved submission
};

struct ReferenceScan {
  std::vector<ReferenceToken> references;
  std::optional<ExpressionProblem> malformed;  // first "${" that is not a valid reference
};

ReferenceScan scan_references(std::string_view text);

// XLSForm names are XML element names without colons: a letter or '_' first, then letters,
// digits, '-', '.' or '_' (non-ASCII letters allowed).
bool is_valid_name(std::string_view name);

class ReferenceResolver {
 public:
  // `form` must have its paths set and must outlive the resolver.
  explicit ReferenceResolver(const Form& form);

  // Every element with this name.
  const std::vector<const Element*>& lookup(std::string_view name) const;

  // ${x} -> " /data/x " (pyxform pads with spaces); unknown names stay as written.
  std::string expression(std::string_view text) const;
  // Like expression(), but a reference to a node in the same repeat as `context` becomes
  // " current()/../x ": inside an itemset predicate "." is the choice, not the question.
  std::string predicate(std::string_view text, const Element& context) const;

  // Text split around references, for labels: {false, "Hi "}, {true, "/data/name"}, ...
  struct Piece {
    bool reference = false;
    std::string text;  // literal text, or the path of the reference
  };
  std::vector<Piece> pieces(std::string_view text) const;

 private:
  std::string path_of(const ReferenceToken& token) const;

  std::unordered_map<std::string, std::vector<const Element*>> by_name_;
  std::unordered_map<const Element*, const Element*> parent_;
};

}  // namespace gotong::forms::xlsform
