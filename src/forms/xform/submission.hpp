// Submissions as the server receives them (XML instances from ODK Collect, Web Forms or the
// API): parsing them safely into an XPath instance, and checking them against their form's
// rules. A submission that breaks a rule is still kept (field data is never thrown away); the
// issues found are stored with it.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "forms/xform/schema.hpp"
#include "forms/xpath/instance.hpp"

namespace gotong::forms::xform {

// The submission cannot be read at all (not XML, DOCTYPE, too deep, no instanceID).
class SubmissionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Submission {
  std::string root;         // root element name
  std::string form_id;      // root's id attribute
  std::string version;      // root's version attribute
  std::string instance_id;  // meta/instanceID ("uuid:...")
  std::string deprecated_id;  // meta/deprecatedID, set when this edits an earlier submission
  std::string instance_name;  // meta/instanceName
  xpath::Instance data;
};

// Parses the XML; throws SubmissionError with a clear message. Depth is limited to 64 and
// DOCTYPEs are refused, so hostile input (billion laughs, 10,000-deep nesting) costs nothing.
Submission read_submission(std::string_view xml);

struct Issue {
  std::string path;     // "/data/household/member[2]/age"
  std::string rule;     // required, constraint, type, choice
  std::string message;  // in the form's default language when the form has a message
};

// Compiles a form's rules once and checks any number of submissions; safe to share between
// threads.
class Validator {
 public:
  // `timezone_offset_minutes`: local time for today()/now() in constraints (WIB 420, WITA 480).
  explicit Validator(const Schema& schema, int timezone_offset_minutes = 0);
  ~Validator();
  Validator(Validator&&) noexcept;
  std::vector<Issue> validate(const Submission& s) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The checks of a value's lexical form by XForms type (int, decimal, date, time, dateTime,
// geopoint, geotrace, geoshape); other types accept anything. Exposed for tests.
bool valid_for_type(std::string_view type, std::string_view value);

}  // namespace gotong::forms::xform
