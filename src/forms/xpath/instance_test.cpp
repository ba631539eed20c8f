#include "forms/xpath/instance.hpp"

#include <gtest/gtest.h>

namespace gotong::forms::xpath {
namespace {

TEST(XpathInstance, BuildAndNavigate) {
  Instance in("data");
  const NodeId data = in.root();
  EXPECT_EQ(in.name(data), "data");
  EXPECT_EQ(in.parent(data), in.document());
  const NodeId a = in.add_element(data, "a", "1");
  const NodeId group = in.add_element(data, "group");
  const NodeId b = in.add_element(group, "b", "two");
  const NodeId c = in.add_element(group, "c", "three");
  in.set_attribute(data, "id", "form1");
  in.set_attribute(data, "version", "3");
  in.set_attribute(data, "id", "form2");  // replaces
  EXPECT_EQ(in.first_child(data), a);
  EXPECT_EQ(in.next_sibling(a), group);
  EXPECT_EQ(in.previous_sibling(group), a);
  EXPECT_EQ(in.last_child(group), c);
  EXPECT_EQ(in.sibling_index(c), 1u);
  EXPECT_EQ(in.depth(b), 3u);
  EXPECT_EQ(in.node(b).parent(), in.node(group));
  std::uint32_t attr = in.first_attribute(data);
  EXPECT_EQ(in.attribute_name(attr), "id");
  EXPECT_EQ(in.attribute_value(attr), "form2");
  attr = in.next_attribute(attr);
  EXPECT_EQ(in.attribute_name(attr), "version");
  EXPECT_EQ(in.next_attribute(attr), kNoNode);
  // Group string-value: descendants' text in order.
  EXPECT_EQ(in.node(group).string_value(), "twothree");
  EXPECT_EQ(in.node(data).string_value(), "1twothree");
  std::string scratch;
  EXPECT_EQ(in.node(b).string_value(scratch), "two");
  EXPECT_TRUE(scratch.empty()) << "leaves need no copy";
  in.set_text(b, "2");
  EXPECT_EQ(in.text(b), "2");
}

TEST(XpathInstance, Find) {
  Instance in("data");
  const NodeId rep1 = in.add_element(in.root(), "rep");
  const NodeId rep2 = in.add_element(in.root(), "rep");
  in.add_element(rep1, "q", "first");
  in.add_element(rep2, "q", "second");
  EXPECT_EQ(in.find("/data/rep/q").text(), "first");
  EXPECT_EQ(in.find("/data/rep[2]/q").text(), "second");
  EXPECT_EQ(in.find("/data").element, in.root());
  EXPECT_TRUE(in.find("/data/rep[3]").empty());
  EXPECT_TRUE(in.find("/data/nope").empty());
  EXPECT_TRUE(in.find("data").empty());
  EXPECT_TRUE(in.find("/data//q").empty());
  EXPECT_TRUE(in.find("/data/rep[0]").empty());
  EXPECT_TRUE(in.find("/data/rep[x]").empty());
}

TEST(XpathInstance, DocumentOrder) {
  Instance in("data");
  const NodeId a = in.add_element(in.root(), "a");
  const NodeId b = in.add_element(in.root(), "b");
  const NodeId a1 =
      in.add_element(a, "a1", "x");  // added after b, still before it in document order
  in.set_attribute(a, "k", "v");
  const NodeRef attr{&in, a, in.first_attribute(a)};
  const NodeRef text{&in, a1, NodeRef::kText};
  EXPECT_LT(compare_document_order(in.node(a), in.node(b)), 0);
  EXPECT_LT(compare_document_order(in.node(a1), in.node(b)), 0);
  EXPECT_GT(compare_document_order(in.node(a1), in.node(a)), 0);
  EXPECT_LT(compare_document_order(in.node(a), attr), 0);
  EXPECT_LT(compare_document_order(attr, in.node(a1)), 0);
  EXPECT_LT(compare_document_order(in.node(a1), text), 0);
  EXPECT_EQ(compare_document_order(in.node(b), in.node(b)), 0);
  EXPECT_LT(compare_document_order(in.node(in.document()), in.node(a)), 0);
  EXPECT_EQ(attr.name(), "k");
  EXPECT_EQ(attr.string_value(), "v");
  EXPECT_EQ(text.string_value(), "x");
  EXPECT_EQ(text.parent(), in.node(a1));
}

TEST(XpathInstance, ClearKeepsWorking) {
  Instance in("data");
  in.add_element(in.root(), "a", "1");
  in.clear();
  EXPECT_EQ(in.root(), kNoNode);
  EXPECT_EQ(in.element_count(), 1u);
  const NodeId d = in.add_element(in.document(), "data");
  in.add_element(d, "b", "2");
  EXPECT_EQ(in.find("/data/b").text(), "2");
  EXPECT_THROW(in.add_element(99, "x"), std::out_of_range);
}

TEST(XpathInstance, SecondaryInstances) {
  InstanceSet set;
  Instance& list = set.add("list", Instance("root"));
  list.add_element(list.root(), "item", "x");
  ASSERT_NE(set.find("list"), nullptr);
  EXPECT_EQ(set.find("list")->find("/root/item").text(), "x");
  EXPECT_EQ(set.find("other"), nullptr);
}

}  // namespace
}  // namespace gotong::forms::xpath
