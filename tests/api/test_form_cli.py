"""`gotong form convert` and `gotong form check`: XLSForm → XForm on the command line, errors as
`sheet:row:column: message`, exit status 1 on errors."""
import os
import subprocess
import tempfile
import unittest

from support import BIN as GOTONG_BIN, REPO

CORPUS = os.path.join(REPO, "tests", "data", "xlsform")


def gotong(*args):
    return subprocess.run([GOTONG_BIN, *args], capture_output=True, text=True, timeout=60)


class FormCommandLineTest(unittest.TestCase):
    def test_convert_writes_an_xform(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "tutorial.xml")
            r = gotong("form", "convert", os.path.join(CORPUS, "example_xls", "tutorial.xls"), "-o", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, encoding="utf-8") as f:
                xml = f.read()
            self.assertIn("<h:html", xml)
            self.assertIn("<bind ", xml)
            check = gotong("form", "check", out)
            self.assertEqual(check.returncode, 0, check.stderr)
            self.assertIn("a valid XForm", check.stdout)

    def test_convert_to_standard_output(self):
        r = gotong("form", "convert", os.path.join(CORPUS, "example_xls", "text_and_integer.xlsx"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("</h:html>", r.stdout)

    def test_errors_name_sheet_row_and_column(self):
        r = gotong("form", "check", os.path.join(CORPUS, "example_xls", "unknown_question_type.xls"))
        self.assertEqual(r.returncode, 1)
        lines = [l for l in r.stderr.splitlines() if l.startswith("survey:")]
        self.assertTrue(lines, r.stderr)
        sheet, row, column, message = lines[0].split(":", 3)
        self.assertTrue(row.isdigit() and int(row) > 1, lines[0])
        self.assertTrue(column.isdigit(), lines[0])
        self.assertIn("type", message)

    def test_check_reports_ok_for_a_good_form(self):
        r = gotong("form", "check", os.path.join(CORPUS, "example_xls", "xlsform_spec_test.xlsx"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(": ok (form id", r.stdout)

    def test_a_file_that_is_not_a_workbook_is_refused(self):
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            f.write(b"this is not a zip file")
            f.flush()
            r = gotong("form", "check", f.name)
            self.assertEqual(r.returncode, 1)
            self.assertTrue(r.stderr.strip())

    def test_a_missing_file_is_a_clear_error(self):
        r = gotong("form", "convert", "/nonexistent/form.xlsx")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent/form.xlsx", r.stderr)


if __name__ == "__main__":
    unittest.main()
