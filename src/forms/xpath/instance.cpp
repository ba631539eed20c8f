#include "forms/xpath/instance.hpp"

#include <charconv>
#include <stdexcept>

namespace gotong::forms::xpath {

std::string_view NodeRef::name() const {
  if (instance == nullptr || sub == kText) return {};
  if (sub == kElement) return instance->name(element);
  return instance->attribute_name(sub);
}

std::string_view NodeRef::text() const {
  if (instance == nullptr) return {};
  if (sub == kElement || sub == kText) return instance->text(element);
  return instance->attribute_value(sub);
}

namespace {

// Own text then each descendant's, in document order, without recursion (depth is unbounded).
void append_descendant_text(const Instance& in, NodeId e, std::string& out) {
  out.append(in.text(e));
  NodeId n = in.first_child(e);
  while (n != kNoNode) {
    out.append(in.text(n));
    if (in.first_child(n) != kNoNode) {
      n = in.first_child(n);
      continue;
    }
    while (n != e && in.next_sibling(n) == kNoNode) n = in.parent(n);
    if (n == e) break;
    n = in.next_sibling(n);
  }
}

}  // namespace

std::string_view NodeRef::string_value(std::string& scratch) const {
  if (instance == nullptr) return {};
  if (sub != kElement || instance->first_child(element) == kNoNode) return text();
  scratch.clear();
  append_descendant_text(*instance, element, scratch);
  return scratch;
}

std::string NodeRef::string_value() const {
  std::string scratch;
  return std::string(string_value(scratch));
}

NodeRef NodeRef::parent() const {
  if (instance == nullptr) return {};
  if (sub != kElement) return NodeRef{instance, element, kElement};
  const NodeId p = instance->parent(element);
  if (p == kNoNode) return {};
  return NodeRef{instance, p, kElement};
}

Instance::Instance() { elements_.emplace_back(); }

Instance::Instance(std::string_view root_name) : Instance() { add_element(0, root_name); }

Instance::Span Instance::store(std::string_view s) {
  if (s.empty()) return {};
  if (pool_.size() + s.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("xpath instance text exceeds 4 GiB");
  }
  Span span{static_cast<std::uint32_t>(pool_.size()), static_cast<std::uint32_t>(s.size())};
  pool_.append(s);
  return span;
}

NodeId Instance::add_element(NodeId parent, std::string_view name, std::string_view text) {
  if (parent >= elements_.size()) throw std::out_of_range("xpath instance: no such parent");
  Element e;
  e.name = store(name);
  e.text = store(text);
  e.parent = parent;
  e.depth = elements_[parent].depth + 1;
  const auto id = static_cast<NodeId>(elements_.size());
  Element& p = elements_[parent];
  e.previous_sibling = p.last_child;
  e.sibling_index = p.last_child == kNoNode ? 0 : elements_[p.last_child].sibling_index + 1;
  if (p.last_child == kNoNode) {
    p.first_child = id;
  } else {
    elements_[p.last_child].next_sibling = id;
  }
  p.last_child = id;
  elements_.push_back(e);
  return id;
}

void Instance::reserve(std::size_t elements, std::size_t text_bytes) {
  elements_.reserve(elements);
  pool_.reserve(text_bytes);
}

void Instance::set_text(NodeId element, std::string_view text) {
  elements_.at(element).text = store(text);
}

void Instance::set_attribute(NodeId element, std::string_view name, std::string_view value) {
  Element& e = elements_.at(element);
  for (std::uint32_t a = e.first_attribute; a != kNoNode; a = attributes_[a].next) {
    if (view(attributes_[a].name) == name) {
      attributes_[a].value = store(value);
      return;
    }
  }
  Attribute attr;
  attr.name = store(name);
  attr.value = store(value);
  attr.index = e.attribute_count++;
  const auto id = static_cast<std::uint32_t>(attributes_.size());
  attributes_.push_back(attr);
  if (e.last_attribute == kNoNode) {
    e.first_attribute = id;
  } else {
    attributes_[e.last_attribute].next = id;
  }
  e.last_attribute = id;
}

void Instance::clear() {
  pool_.clear();
  elements_.clear();
  attributes_.clear();
  elements_.emplace_back();
}

NodeRef Instance::find(std::string_view path) const {
  if (path.empty() || path.front() != '/') return {};
  NodeId current = 0;
  std::size_t i = 1;
  while (i <= path.size()) {
    std::size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    std::string_view step = path.substr(i, end - i);
    if (step.empty()) return {};
    std::uint32_t wanted = 1;
    if (const auto bracket = step.find('['); bracket != std::string_view::npos) {
      if (step.back() != ']') return {};
      const auto digits = step.substr(bracket + 1, step.size() - bracket - 2);
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), wanted);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || wanted == 0) return {};
      step = step.substr(0, bracket);
    }
    NodeId found = kNoNode;
    for (NodeId c = first_child(current); c != kNoNode; c = next_sibling(c)) {
      if (name(c) == step && --wanted == 0) {
        found = c;
        break;
      }
    }
    if (found == kNoNode) return {};
    current = found;
    i = end + 1;
  }
  return node(current);
}

Instance& InstanceSet::add(std::string id, Instance instance) {
  auto [it, inserted] = instances_.insert_or_assign(std::move(id), std::move(instance));
  return it->second;
}

const Instance* InstanceSet::find(std::string_view id) const {
  const auto it = instances_.find(id);
  return it == instances_.end() ? nullptr : &it->second;
}

namespace {

// Rank of a node among the nodes that belong to one element: the element, then its attributes,
// then its text; its children come after all of them.
std::uint64_t local_rank(const NodeRef& n) {
  if (n.sub == NodeRef::kElement) return 0;
  if (n.sub == NodeRef::kText) return std::uint64_t{1} << 33;
  return 1 + std::uint64_t{n.instance->attribute_index(n.sub)};
}

}  // namespace

int compare_document_order(const NodeRef& a, const NodeRef& b) {
  if (a.instance != b.instance)
    return std::less<const Instance*>()(a.instance, b.instance) ? -1 : 1;
  if (a.element == b.element) {
    const auto ra = local_rank(a);
    const auto rb = local_rank(b);
    return ra < rb ? -1 : (ra > rb ? 1 : 0);
  }
  const Instance& in = *a.instance;
  NodeId x = a.element;
  NodeId y = b.element;
  // Lift the deeper node until both are at the same depth; if it meets the other, that one is
  // its ancestor and comes first (its attributes and text too).
  while (in.depth(x) > in.depth(y)) {
    const NodeId p = in.parent(x);
    if (p == y) return 1;
    x = p;
  }
  while (in.depth(y) > in.depth(x)) {
    const NodeId p = in.parent(y);
    if (p == x) return -1;
    y = p;
  }
  while (in.parent(x) != in.parent(y)) {
    x = in.parent(x);
    y = in.parent(y);
  }
  return in.sibling_index(x) < in.sibling_index(y) ? -1 : 1;
}

}  // namespace gotong::forms::xpath
