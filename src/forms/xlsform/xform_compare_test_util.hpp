// Test helper: reduces an XForm to canonical text sections (instance, binds, body with labels
// resolved through itext, file instances) so two XForms can be compared structurally,
// ignoring whitespace, attribute order, itext ids and inline-items-vs-itemset spelling.
#pragma once

#include <string>

namespace gotong::forms::xlsform::testing {

struct CanonicalXForm {
  std::string error;  // set when the XML does not parse
  std::string title;
  std::string submission;
  std::string primary_instance;
  std::string binds;
  std::string body;
  std::string file_instances;    // secondary instances with src
  std::string choice_instances;  // ids of inline secondary instances
};

CanonicalXForm canonicalize(const std::string& xml);

}  // namespace gotong::forms::xlsform::testing
