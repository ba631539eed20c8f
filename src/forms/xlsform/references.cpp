#include "forms/xlsform/references.hpp"

namespace gotong::forms::xlsform {

namespace {

constexpr std::string_view kLastSaved = "last-saved#";

bool is_name_start(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
}

bool is_name_char(unsigned char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_name_start(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!is_name_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

ReferenceScan scan_references(std::string_view text) {
  ReferenceScan scan;
  for (std::size_t i = text.find("${"); i != std::string_view::npos; i = text.find("${", i + 1)) {
    auto end = text.find('}', i + 2);
    if (end == std::string_view::npos) {
      if (!scan.malformed) scan.malformed = ExpressionProblem{i, "'${' without a closing '}'"};
      break;
    }
    std::string_view name = text.substr(i + 2, end - i - 2);
    ReferenceToken token;
    token.position = i;
    token.length = end - i + 1;
    if (name.starts_with(kLastSaved)) {
      token.last_saved = true;
      name.remove_prefix(kLastSaved.size());
    }
    if (!is_valid_name(name)) {
      if (!scan.malformed) {
        scan.malformed = ExpressionProblem{
            i, name.empty() ? "empty reference '${}'"
                            : "'" + std::string(text.substr(i, end - i + 1)) + "' is not a valid reference"};
      }
      i = end;
      continue;
    }
    token.name = std::string(name);
    scan.references.push_back(std::move(token));
    i = end;
  }
  return scan;
}

ReferenceResolver::ReferenceResolver(const Form& form) {
  struct Walker {
    ReferenceResolver& self;
    void operator()(const Element& parent) {
      for (const Element& child : parent.children) {
        self.by_name_[child.name].push_back(&child);
        self.parent_[&child] = &parent;
        (*this)(child);
      }
    }
  };
  Walker{*this}(form.root);
}

const std::vector<const Element*>& ReferenceResolver::lookup(std::string_view name) const {
  static const std::vector<const Element*> none;
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? none : it->second;
}

std::string ReferenceResolver::path_of(const ReferenceToken& token) const {
  const auto& found = lookup(token.name);
  if (found.empty()) return {};
  if (token.last_saved) {
    return "instance('__last-saved')" + found.front()->path;
  }
  return found.front()->path;
}

std::string ReferenceResolver::expression(std::string_view text) const {
  ReferenceScan scan = scan_references(text);
  std::string out;
  std::size_t at = 0;
  for (const ReferenceToken& token : scan.references) {
    std::string path = path_of(token);
    if (path.empty()) continue;
    out.append(text.substr(at, token.position - at));
    out += ' ';
    out += path;
    out += ' ';
    at = token.position + token.length;
  }
  out.append(text.substr(at));
  return out;
}

std::string ReferenceResolver::predicate(std::string_view text, const Element& context) const {
  const Element* repeat = nullptr;
  for (auto it = parent_.find(&context); it != parent_.end(); it = parent_.find(it->second)) {
    if (it->second->kind == ElementKind::repeat) {
      repeat = it->second;
      break;
    }
  }
  if (repeat == nullptr) return expression(text);
  ReferenceScan scan = scan_references(text);
  std::string out;
  std::size_t at = 0;
  for (const ReferenceToken& token : scan.references) {
    const auto& found = lookup(token.name);
    if (found.empty()) continue;
    std::string path = found.front()->path;
    std::string replacement;
    if (!token.last_saved && path.starts_with(repeat->path + "/")) {
      auto from = segments(context.path);
      auto to = segments(path);
      std::size_t common = 0;
      while (common < from.size() && common < to.size() && from[common] == to[common]) ++common;
      replacement = "current()";
      for (std::size_t i = common; i < from.size(); ++i) replacement += "/..";
      for (std::size_t i = common; i < to.size(); ++i) {
        replacement += '/';
        replacement += to[i];
      }
    } else {
      replacement = path_of(token);
    }
    out.append(text.substr(at, token.position - at));
    out += ' ';
    out += replacement;
    out += ' ';
    at = token.position + token.length;
  }
  out.append(text.substr(at));
  return out;
}

std::vector<ReferenceResolver::Piece> ReferenceResolver::pieces(std::string_view text) const {
  std::vector<Piece> out;
  ReferenceScan scan = scan_references(text);
  std::size_t at = 0;
  for (const ReferenceToken& token : scan.references) {
    std::string path = path_of(token);
    if (path.empty()) continue;
    if (token.position > at) out.push_back({false, std::string(text.substr(at, token.position - at))});
    out.push_back({true, std::move(path)});
    at = token.position + token.length;
  }
  if (at < text.size()) out.push_back({false, std::string(text.substr(at))});
  return out;
}

}  // namespace gotong::forms::xlsform
