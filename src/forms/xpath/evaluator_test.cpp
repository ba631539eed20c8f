#include "forms/xpath/evaluator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "forms/xpath/test_support.hpp"

namespace gotong::forms::xpath {
namespace {

using testing::Survey;

std::vector<std::string> names(const Value& v) {
  std::vector<std::string> out;
  for (const NodeRef& n : v.node_set()) out.push_back(n.string_value());
  return out;
}

TEST(XpathPaths, AbsoluteAndRelative) {
  Survey s;
  EXPECT_EQ(s.str("/data/name"), "Siti");
  EXPECT_EQ(s.num("/data/age"), 34);
  EXPECT_EQ(s.num("count(/data/household/member)"), 3);
  EXPECT_EQ(s.str("/data/household/member[2]/name"), "Budi");
  EXPECT_EQ(s.str("/data/household/member[last()]/name"), "Citra");
  EXPECT_EQ(s.str("/data/household/member[position() = 2]/name"), "Budi");
  EXPECT_EQ(s.str("name"), "Siti");  // relative to /data
  EXPECT_EQ(s.str("./household/member[1]/name"), "Ani");
  EXPECT_EQ(s.str("/data/@id"), "household_survey");
  EXPECT_EQ(s.num("count(/data/@*)"), 2);
  EXPECT_EQ(s.num("count(/data/*)"), 9);
  EXPECT_EQ(s.num("count(/*)"), 1);
  EXPECT_EQ(s.num("count(/)"), 1);
  EXPECT_EQ(s.str("/data/name/text()"), "Siti");
  EXPECT_EQ(s.num("count(/data/household/text())"), 0);
  EXPECT_EQ(s.num("count(/data/missing)"), 0);
  EXPECT_EQ(s.str("/data/missing"), "");
  EXPECT_TRUE(std::isnan(s.num("/data/missing")));
  // The string-value of a group is its descendants' text in document order.
  EXPECT_EQ(s.str("/data/household/member[2]"), "Budi40");
}

TEST(XpathPaths, ContextParentAndCurrent) {
  Survey s;
  const EvalContext at_budi = s.at("/data/household/member[2]/age");
  EXPECT_EQ(compile(".").evaluate_number(at_budi), 40);
  EXPECT_EQ(compile("../name").evaluate_string(at_budi), "Budi");
  EXPECT_EQ(compile("../../member[1]/name").evaluate_string(at_budi), "Ani");
  EXPECT_EQ(compile("count(../../member)").evaluate_number(at_budi), 3);
  EXPECT_EQ(compile("current()/../name").evaluate_string(at_budi), "Budi");
}

TEST(XpathPaths, AxesAndDescendants) {
  Survey s;
  EXPECT_EQ(s.num("count(//name)"), 4);
  EXPECT_EQ(s.num("count(/data//age)"), 4);
  // "//name[1]" is each parent's first name child; it is not "(//name)[1]".
  EXPECT_EQ(s.num("count(//name[1])"), 4);
  EXPECT_EQ(s.num("count((//name)[1])"), 1);
  EXPECT_EQ(s.num("count(/descendant::name[1])"), 1);
  EXPECT_EQ(s.str("/data/household//member[2]//name"), "Budi");
  EXPECT_EQ(s.num("count(//@*)"), 2);
  EXPECT_EQ(s.num("count(//text())"), 13);  // every non-empty leaf
  EXPECT_EQ(s.num("count(/data/household//*)"), 9);
  EXPECT_EQ(names(s.eval("/data/household/member/name/..")),
            (std::vector<std::string>{"Ani10", "Budi40", "Citra25"}));
  EXPECT_EQ(s.str("/data/household/member[2]/preceding-sibling::member/name"), "Ani");
  EXPECT_EQ(s.num("count(/data/household/member[1]/following-sibling::member)"), 2);
  EXPECT_EQ(s.str("/data/household/member[3]/preceding-sibling::member[1]/name"),
            "Budi");  // reverse axis
  EXPECT_EQ(s.num("count(/data/household/member[2]/name/ancestor::*)"), 3);
  EXPECT_EQ(s.num("count(/data/household/member[2]/name/ancestor-or-self::node())"),
            5);  // with the document
  EXPECT_EQ(s.str("/data/household/member[2]/name/ancestor::*[1]/age"), "40");
  EXPECT_EQ(s.str("/data/household/member[1]/following::name[1]"), "Budi");
  EXPECT_EQ(s.str("/data/household/member[2]/preceding::name[1]"), "Ani");
  EXPECT_EQ(s.num("count(/data/@id/following::*)"), 19);  // an attribute precedes its content
  EXPECT_EQ(s.num("count(/data/name/text()/following::*)"), 18);
  EXPECT_EQ(s.num("count(/data/name/text()/following::text())"), 12);
  // Everything before member[2] but its ancestors: seven fields, member[1] with name and age.
  EXPECT_EQ(s.num("count(/data/household/member[2]/preceding::*)"), 10);
  EXPECT_EQ(s.num("count(/data/self::data)"), 1);
  EXPECT_EQ(s.num("count(/data/self::other)"), 0);
  EXPECT_EQ(s.num("count(/data/descendant-or-self::data)"), 1);
}

TEST(XpathPaths, PredicatesFilterAndPositions) {
  Survey s;
  EXPECT_EQ(s.num("count(/data/household/member[age > 18])"), 2);
  EXPECT_EQ(s.str("/data/household/member[age > 18]/name"), "Budi");
  EXPECT_EQ(s.str("/data/household/member[age > 18][2]/name"),
            "Citra");  // positions after filtering
  EXPECT_EQ(s.str("/data/household/member[name = 'Citra']/age"), "25");
  EXPECT_EQ(s.num("count(/data/household/member[position() > 1])"), 2);
  EXPECT_EQ(s.num("count(/data/household/member[0])"), 0);
  EXPECT_EQ(s.num("count(/data/household/member[1.5])"), 0);
  EXPECT_EQ(s.num("count(/data/household/member[4])"), 0);
  EXPECT_EQ(s.str("/data/household/member[1 + 1]/name"),
            "Budi");  // a computed number is a position
  EXPECT_EQ(s.str("(/data/household/member/name)[3]"), "Citra");
  EXPECT_EQ(s.str("(/data/household/member)[last()]/age"), "25");
  EXPECT_EQ(s.num("count(/data/household/member[name][age])"), 3);
  EXPECT_EQ(s.num("count(/data/household/member[nothing])"), 0);
  EXPECT_EQ(s.str("/data/household/member[age = max(../member/age)]/name"), "Budi");
  // Parts that do not depend on the tested node are computed once; results stay the same.
  EXPECT_EQ(s.str("/data/household/member[position() = count(/data/household/member)]/name"),
            "Citra");
  EXPECT_EQ(s.str("/data/household/member[age = max(/data/household/member/age)]/name"), "Budi");
  EXPECT_EQ(s.num("count(/data/household/member[random() < 2])"), 3);
  EXPECT_EQ(s.str("/data/household/member[name = /data/household/member[age = 25]/name]/age"),
            "25");
}

TEST(XpathPaths, UnionIsInDocumentOrderWithoutDuplicates) {
  Survey s;
  EXPECT_EQ(names(s.eval("/data/age | /data/name | /data/age")),
            (std::vector<std::string>{"Siti", "34"}));
  EXPECT_EQ(s.num("count(//name | /data/household/member/name)"), 4);
  EXPECT_THROW(s.eval("1 | /data/age"), EvaluationError);
}

TEST(XpathPaths, CascadingSelectWithCurrent) {
  Survey s;
  // choice_filter "province = ${province}" becomes this itemset on the district question.
  const Expression itemset =
      compile("instance('districts')/root/item[province = current()/../province]");
  const EvalContext at_district = s.at("/data/district");
  const Value items = itemset.evaluate(at_district);
  ASSERT_EQ(items.node_set().size(), 2u);
  EXPECT_EQ(compile("instance('districts')/root/item[province = current()/../province]/label")
                .evaluate_string(at_district),
            "Bogor");
  // Inside the predicate `..` is the item's parent, not the question's: nothing matches.
  EXPECT_EQ(compile("count(instance('districts')/root/item[province = ../province])")
                .evaluate_number(at_district),
            0);
  // Absolute paths always mean the main instance, even inside the secondary one.
  EXPECT_EQ(compile("count(instance('districts')/root/item[province = /data/province])")
                .evaluate_number(at_district),
            2);
  // Same compiled expression, other answer.
  Survey other;
  other.main.set_text(other.main.find("/data/province").element, "P2");
  const Expression second =
      compile("instance('districts')/root/item[province = current()/../province][2]/label");
  EXPECT_EQ(second.evaluate_string(other.at("/data/district")), "Bantul");
  EXPECT_EQ(second.evaluate_string(at_district), "Bekasi");
  EXPECT_EQ(s.num("count(instance('districts')/root/item)"), 4);
  EXPECT_EQ(s.str("instance('districts')/root/item[name = 'd3']/label"), "Sleman");
}

TEST(XpathPaths, UnknownInstanceIsAnError) {
  Survey s;
  try {
    s.eval("instance('nope')/root/item");
    FAIL();
  } catch (const EvaluationError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown instance 'nope'");
    EXPECT_EQ(e.position, 0u);
  }
}

TEST(XpathPaths, NonNodeSetInPathIsAnError) {
  Survey s;
  EXPECT_THROW(s.eval("concat('a', 'b')/x"), EvaluationError);
  EXPECT_THROW(s.eval("count('abc')"), EvaluationError);
  EXPECT_THROW(s.eval("('a')[1]"), EvaluationError);
}

TEST(XpathCompare, NodeSetAgainstValues) {
  Survey s;
  EXPECT_TRUE(s.yes("/data/household/member/age = 40"));   // some node equals
  EXPECT_TRUE(s.yes("/data/household/member/age != 40"));  // some node differs
  EXPECT_TRUE(s.yes("/data/household/member/age > 39"));
  EXPECT_FALSE(s.yes("/data/household/member/age > 40"));
  EXPECT_TRUE(s.yes("39 < /data/household/member/age"));  // value on the left
  EXPECT_FALSE(s.yes("40 < /data/household/member/age"));
  EXPECT_TRUE(s.yes("/data/household/member/name = 'Budi'"));
  EXPECT_FALSE(s.yes("/data/household/member/name = 'Dewi'"));
  EXPECT_TRUE(s.yes("/data/household/member/age = '10'"));
  EXPECT_FALSE(s.yes("/data/household/member/age = '10.0'"));  // strings compare as strings
  EXPECT_TRUE(s.yes("/data/household/member/age = 10.0"));     // numbers as numbers
  EXPECT_TRUE(s.yes("/data/name = true()"));                   // non-empty node-set is true
  EXPECT_TRUE(s.yes("/data/missing = false()"));
  // An empty node-set compares false with every string, both = and != (XPath 1.0).
  EXPECT_FALSE(s.yes("/data/missing = ''"));
  EXPECT_FALSE(s.yes("/data/missing != ''"));
  EXPECT_TRUE(s.yes("/data/district = ''"));  // present but empty
  EXPECT_TRUE(s.yes("not(/data/missing)"));
}

TEST(XpathCompare, NodeSetAgainstNodeSet) {
  Survey s;
  EXPECT_FALSE(s.yes("/data/household/member/age = /data/age"));
  EXPECT_TRUE(s.yes("/data/household/member/age < /data/age"));
  EXPECT_TRUE(s.yes("/data/household/member/age > /data/age"));
  EXPECT_TRUE(s.yes("/data/household/member/name != /data/household/member/name"));
  EXPECT_TRUE(s.yes("/data/household/member[1]/name = /data/household/member/name"));
  EXPECT_FALSE(s.yes("/data/missing = /data/missing"));
}

TEST(XpathCompare, AtomicValues) {
  EXPECT_TRUE(testing::yes("'1' = 1.0"));
  EXPECT_TRUE(testing::yes("'abc' = 'abc'"));
  EXPECT_FALSE(testing::yes("'abc' = 'ABC'"));
  EXPECT_TRUE(testing::yes("true() = 'x'"));  // boolean wins: 'x' is true
  EXPECT_TRUE(testing::yes("false() = ''"));
  EXPECT_TRUE(testing::yes("1 = true()"));
  EXPECT_TRUE(testing::yes("'10' > '9'"));      // relational always compares numbers
  EXPECT_FALSE(testing::yes("'abc' < 'abd'"));  // NaN
  EXPECT_FALSE(testing::yes("0 div 0 = 0 div 0"));
  EXPECT_TRUE(testing::yes("0 div 0 != 0 div 0"));
  EXPECT_TRUE(testing::yes("1 div 0 > 1000000"));
}

TEST(XpathEval, ArithmeticFollowsIeee) {
  EXPECT_EQ(testing::str("1 div 0"), "Infinity");
  EXPECT_EQ(testing::str("-1 div 0"), "-Infinity");
  EXPECT_EQ(testing::str("0 div 0"), "NaN");
  EXPECT_EQ(testing::num("5 mod 2"), 1);
  EXPECT_EQ(testing::num("5 mod -2"), 1);  // XPath 1.0 examples
  EXPECT_EQ(testing::num("-5 mod 2"), -1);
  EXPECT_EQ(testing::num("-5 mod -2"), -1);
  EXPECT_EQ(testing::num("7.5 mod 2"), 1.5);
  EXPECT_EQ(testing::num("'3' + '4'"), 7);
  EXPECT_TRUE(std::isnan(testing::num("'a' + 1")));
  EXPECT_EQ(testing::num("true() + true()"), 2);
}

TEST(XpathEval, SameExpressionOverManyInstances) {
  const Expression adult = compile("/data/age >= 18 and /data/sex = 'female'");
  int count = 0;
  for (int i = 0; i < 100; ++i) {
    Instance in("data");
    in.add_element(in.root(), "age", std::to_string(i));
    in.add_element(in.root(), "sex", i % 2 == 0 ? "female" : "male");
    EvalContext ctx;
    ctx.context = in.node(in.root());
    if (adult.evaluate_boolean(ctx)) ++count;
  }
  EXPECT_EQ(count, 41);  // even ages 18..98
}

TEST(XpathEval, InstanceCanBeClearedAndRefilled) {
  const Expression total = compile("sum(/data/item/qty)");
  Instance in;
  double sums[3];
  for (int round = 0; round < 3; ++round) {
    in.clear();
    const NodeId data = in.add_element(in.document(), "data");
    for (int k = 0; k <= round; ++k)
      in.add_element(in.add_element(data, "item"), "qty", std::to_string(10 * (k + 1)));
    EvalContext ctx;
    ctx.main = &in;
    sums[round] = total.evaluate_number(ctx);
  }
  EXPECT_EQ(sums[0], 10);
  EXPECT_EQ(sums[1], 30);
  EXPECT_EQ(sums[2], 60);
}

TEST(XpathEval, ConcurrentEvaluationOfOneExpression) {
  const Expression e =
      compile("count(/data/household/member[age > 18]) + string-length(/data/name)");
  Survey a;
  Survey b;
  double ra = 0;
  double rb = 0;
  std::thread t1([&] {
    for (int i = 0; i < 2000; ++i) ra += e.evaluate_number(a.ctx);
  });
  std::thread t2([&] {
    for (int i = 0; i < 2000; ++i) rb += e.evaluate_number(b.ctx);
  });
  t1.join();
  t2.join();
  EXPECT_EQ(ra, 2000 * 6);
  EXPECT_EQ(rb, 2000 * 6);
}

TEST(XpathEval, ResultTypes) {
  Survey s;
  EXPECT_EQ(s.eval("/data/name").type(), ValueType::NodeSet);
  EXPECT_EQ(s.eval("'x'").type(), ValueType::String);
  EXPECT_EQ(s.eval("1").type(), ValueType::Number);
  EXPECT_EQ(s.eval("1 = 1").type(), ValueType::Boolean);
  EXPECT_EQ(s.eval("today()").type(), ValueType::Date);
  EXPECT_EQ(s.eval("now()").type(), ValueType::DateTime);
  // A literal result owns its text: it survives the Expression.
  Value v;
  {
    const Expression e = compile("'a fairly long literal that does not fit in a small string'");
    v = e.evaluate(EvalContext{});
  }
  EXPECT_EQ(v.to_string(), "a fairly long literal that does not fit in a small string");
}

TEST(XpathEval, EmptyExpressionObject) {
  Expression e;
  EXPECT_TRUE(e.empty());
  EXPECT_THROW(e.evaluate(EvalContext{}), std::logic_error);
}

}  // namespace
}  // namespace gotong::forms::xpath
