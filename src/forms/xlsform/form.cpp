#include "forms/xlsform/form.hpp"

namespace gotong::forms::xlsform {

namespace {
// A plain search: in flat forms a child's path need not start with its group's.
const Element* find_below(const Element& element, std::string_view path) {
  for (const Element& child : element.children) {
    if (child.path == path) return &child;
    if (const Element* found = find_below(child, path)) return found;
  }
  return nullptr;
}
}  // namespace

const ChoiceList* Form::find_list(std::string_view name) const {
  for (const ChoiceList& list : choices) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

const Element* Form::find(std::string_view path) const {
  if (path == root.path) return &root;
  return find_below(root, path);
}

}  // namespace gotong::forms::xlsform
