// Fuzz target: the ODK XPath engine (forms/xpath). The input is an expression: check() it
// without a ${name} resolver, compile() it with one, and evaluate it (as a value, boolean,
// number and string) over a small fixed household instance with a secondary instance, a fixed
// clock and a seeded random source. compile() may only throw ExpressionError and evaluation
// only EvaluationError; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "forms/xpath/expression.hpp"

namespace xp = gotong::forms::xpath;

namespace {

struct Fixture {
  xp::Instance main{"data"};
  xp::InstanceSet instances;
  xp::NodeId age = xp::kNoNode;
  xp::NodeId member = xp::kNoNode;

  Fixture() {
    const xp::NodeId root = main.root();
    main.set_attribute(root, "id", "household");
    main.set_attribute(root, "version", "2026112801");
    main.add_element(root, "name", "Siti Rahayu");
    age = main.add_element(root, "age", "34");
    main.add_element(root, "roles", "head farmer");
    main.add_element(root, "visit", "2026-11-28");
    main.add_element(root, "start", "2026-11-28T08:15:00.000+07:00");
    main.add_element(root, "location", "-6.9147 107.6098 700 5");
    main.add_element(root, "area", "-6.9 107.6 0 0; -6.9 107.7 0 0; -6.8 107.7 0 0; -6.9 107.6 0 0");
    main.add_element(root, "income", "1250000.50");
    main.add_element(root, "district", "garut");
    main.add_element(root, "empty");
    const xp::NodeId household = main.add_element(root, "household");
    for (int i = 0; i < 3; ++i) {
      member = main.add_element(household, "member");
      main.set_attribute(member, "idx", std::to_string(i + 1));
      main.add_element(member, "sex", i % 2 == 0 ? "f" : "m");
      main.add_element(member, "born", std::to_string(1960 + 17 * i));
    }
    const xp::NodeId meta = main.add_element(root, "meta");
    main.add_element(meta, "instanceID", "uuid:6f1c2a7e-0000-4000-8000-000000000001");

    xp::Instance districts("root");
    const char* const names[][2] = {{"garut", "jabar"}, {"bandung", "jabar"}, {"sleman", "diy"}};
    for (const auto& [name, province] : names) {
      const xp::NodeId item = districts.add_element(districts.root(), "item");
      districts.add_element(item, "name", name);
      districts.add_element(item, "province", province);
      districts.add_element(item, "label", std::string("Kab. ") + name);
    }
    instances.add("districts", std::move(districts));
  }
};

std::optional<std::string> resolve(std::string_view name) {
  static const char* const known[] = {"name", "age", "roles", "visit", "start", "location", "area", "income",
                                      "district", "empty"};
  for (const char* k : known) {
    if (name == k) return "/data/" + std::string(k);
  }
  if (name == "sex" || name == "born") return "/data/household/member/" + std::string(name);
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  (void)xp::check(text);
  xp::CompileOptions options;
  options.resolve_reference = resolve;
  (void)xp::check(text, options);

  xp::Expression expression;
  try {
    expression = xp::compile(text, options);
  } catch (const xp::ExpressionError&) {
    return 0;
  }

  xp::RandomSource random(42);
  xp::EvalContext ctx;
  ctx.context = fixture.main.node(fixture.age);
  ctx.current = fixture.main.node(fixture.member);
  ctx.main = &fixture.main;
  ctx.instances = &fixture.instances;
  ctx.clock = [] { return std::int64_t{1795851296000}; };  // a fixed instant (2026-11-28, UTC)
  ctx.timezone_offset_minutes = 420;
  ctx.random = &random;
  ctx.choice_label = [](std::string_view value, std::string_view) -> std::optional<std::string> {
    if (value == "f") return "Perempuan";
    if (value == "m") return "Laki-laki";
    return std::nullopt;
  };

  auto attempt = [&](auto&& evaluate) {
    try {
      evaluate();
    } catch (const xp::EvaluationError&) {
    }
  };
  attempt([&] { (void)expression.evaluate(ctx); });
  attempt([&] { (void)expression.evaluate_boolean(ctx); });
  attempt([&] { (void)expression.evaluate_number(ctx); });
  attempt([&] { (void)expression.evaluate_string(ctx); });
  return 0;
}
