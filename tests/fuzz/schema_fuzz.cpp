// Fuzz target: reading an XForm into a Schema (forms/xform/schema). read_schema may only throw
// XFormError. A schema that reads is then given to a Validator (which compiles its binds'
// expressions and secondary instances) and checks one fixed submission, which must not throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "forms/xform/schema.hpp"
#include "forms/xform/submission.hpp"

namespace xf = gotong::forms::xform;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const xf::Submission submission = xf::read_submission(
      "<data id=\"survey\" version=\"1\"><name>Budi</name><age>41</age><roles>head</roles>"
      "<group><q>3</q></group><rep><x>1</x></rep><rep><x>2</x></rep>"
      "<meta><instanceID>uuid:0d7c9d1e-0000-4000-8000-000000000002</instanceID></meta></data>");
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  xf::Schema schema;
  try {
    schema = xf::read_schema(xml);
  } catch (const xf::XFormError&) {
    return 0;
  }
  (void)schema.find("/data/name");
  for (const auto& node : schema.nodes) {
    (void)xf::Schema::label_in(node.labels, "English (en)", schema.default_language, node.name);
  }
  const xf::Validator validator(schema, 420);
  (void)validator.validate(submission);
  return 0;
}
