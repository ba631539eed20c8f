// The data tree XPath expressions are evaluated over: an XForms instance (the submission being
// validated, or a secondary instance such as a choice list) and light references to its nodes.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::forms::xpath {

class Instance;

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

// A node of an Instance: an element, one of its attributes, or its text (for `text()`).
// Copyable by value (16 bytes); valid while the instance lives and is not modified.
struct NodeRef {
  static constexpr std::uint32_t kElement = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kText = kElement - 1;

  const Instance* instance = nullptr;
  NodeId element = kNoNode;
  // kElement for the element itself, kText for its text node, else an attribute index.
  std::uint32_t sub = kElement;

  bool empty() const { return instance == nullptr; }
  bool is_element() const { return instance != nullptr && sub == kElement; }
  bool is_attribute() const { return instance != nullptr && sub < kText; }
  bool is_text() const { return instance != nullptr && sub == kText; }
  bool is_document() const { return is_element() && element == 0; }

  std::string_view name() const;
  // The node's own text: an element's text content without descendants, an attribute's value.
  std::string_view text() const;
  // XPath string-value: for an element with children, its text followed by all descendants' text.
  std::string string_value() const;
  // Same without allocating when the node is a leaf; `scratch` holds the result otherwise.
  std::string_view string_value(std::string& scratch) const;
  NodeRef parent() const;

  friend bool operator==(const NodeRef&, const NodeRef&) = default;
};

// An element tree kept in flat arrays so that building, clearing and rebuilding it for each of
// millions of submissions reuses memory. Node 0 is the document node (no name); the root element
// is its only child. Elements can only be appended, which keeps sibling order stable and makes
// document order cheap to compare.
class Instance {
 public:
  Instance();
  // Document with a root element named `root_name`.
  explicit Instance(std::string_view root_name);

  NodeId document() const { return 0; }
  NodeId root() const { return elements_[0].first_child; }
  // Appends a child element under `parent` (the document for the root element).
  NodeId add_element(NodeId parent, std::string_view name, std::string_view text = {});
  void set_text(NodeId element, std::string_view text);
  // Adds or replaces an attribute.
  void set_attribute(NodeId element, std::string_view name, std::string_view value);
  // Drops every node but keeps the allocated memory.
  void clear();
  // Room for about `elements` elements and `text_bytes` of names, texts and attributes.
  void reserve(std::size_t elements, std::size_t text_bytes);

  NodeRef node(NodeId element) const { return NodeRef{this, element, NodeRef::kElement}; }
  // Looks up a simple absolute path such as "/data/household/member[2]/age" (names and 1-based
  // indexes among same-named siblings only); an empty NodeRef when nothing matches.
  NodeRef find(std::string_view path) const;

  std::size_t element_count() const { return elements_.size(); }
  std::string_view name(NodeId e) const { return view(elements_[e].name); }
  std::string_view text(NodeId e) const { return view(elements_[e].text); }
  NodeId parent(NodeId e) const { return elements_[e].parent; }
  NodeId first_child(NodeId e) const { return elements_[e].first_child; }
  NodeId last_child(NodeId e) const { return elements_[e].last_child; }
  NodeId next_sibling(NodeId e) const { return elements_[e].next_sibling; }
  NodeId previous_sibling(NodeId e) const { return elements_[e].previous_sibling; }
  std::uint32_t sibling_index(NodeId e) const { return elements_[e].sibling_index; }
  std::uint32_t depth(NodeId e) const { return elements_[e].depth; }

  // Attributes of an element form a list: first_attribute, then next_attribute until kNoNode.
  std::uint32_t first_attribute(NodeId e) const { return elements_[e].first_attribute; }
  std::uint32_t next_attribute(std::uint32_t a) const { return attributes_[a].next; }
  std::uint32_t attribute_index(std::uint32_t a) const { return attributes_[a].index; }
  std::string_view attribute_name(std::uint32_t a) const { return view(attributes_[a].name); }
  std::string_view attribute_value(std::uint32_t a) const { return view(attributes_[a].value); }

 private:
  // Text lives in one pool; spans are offsets so the pool may grow.
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  struct Element {
    Span name;
    Span text;
    NodeId parent = kNoNode;
    NodeId first_child = kNoNode;
    NodeId last_child = kNoNode;
    NodeId next_sibling = kNoNode;
    NodeId previous_sibling = kNoNode;
    std::uint32_t sibling_index = 0;
    std::uint32_t depth = 0;
    std::uint32_t first_attribute = kNoNode;
    std::uint32_t last_attribute = kNoNode;
    std::uint32_t attribute_count = 0;
  };
  struct Attribute {
    Span name;
    Span value;
    std::uint32_t next = kNoNode;
    std::uint32_t index = 0;
  };

  Span store(std::string_view s);
  std::string_view view(Span s) const { return std::string_view(pool_.data() + s.offset, s.size); }

  std::string pool_;
  std::vector<Element> elements_;
  std::vector<Attribute> attributes_;
};

// Secondary instances by id, for `instance('districts')/root/item`.
class InstanceSet {
 public:
  // Returns the stored instance so callers can fill it in place.
  Instance& add(std::string id, Instance instance);
  const Instance* find(std::string_view id) const;

 private:
  std::map<std::string, Instance, std::less<>> instances_;
};

// Document order: negative when a comes first, 0 when equal. Nodes of different instances are
// ordered by address, which is arbitrary but consistent.
int compare_document_order(const NodeRef& a, const NodeRef& b);

}  // namespace gotong::forms::xpath
