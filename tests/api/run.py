#!/usr/bin/env python3
"""Runs the API tests: `run.py` runs every tests/api/test_*.py module, `run.py MODULE...` only
those (e.g. `run.py test_sessions`, or `run.py sessions`). The binary is $GOTONG_BIN (default
build/release/gotong). Prints `N passed, M failed[, K skipped]` last; exits non-zero on failure."""

import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    sys.dont_write_bytecode = True  # keep the source tree clean
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if argv:
        suite = unittest.TestSuite()
        for name in argv:
            name = os.path.basename(name)
            if name.endswith(".py"):
                name = name[:-3]
            if not name.startswith("test_"):
                name = "test_" + name
            suite.addTests(loader.loadTestsFromName(name))
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    started = time.monotonic()
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    elapsed = time.monotonic() - started
    # A test with failing sub-tests counts once.
    bad = {id(getattr(t, "test_case", t)) for t, _ in result.failures + result.errors}
    bad |= {id(t) for t in result.unexpectedSuccesses}
    failed = len(bad)
    skipped = len(result.skipped)
    passed = max(0, result.testsRun - failed - skipped)
    sys.stderr.flush()
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print("API tests finished in %.1f s" % elapsed)
    print(line)
    sys.stdout.flush()
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
