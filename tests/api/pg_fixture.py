#!/usr/bin/env python3
"""One PostgreSQL cluster shared by the `api_pg_*` CTest entries (a CTest fixture, see tests.cmake):

  pg_fixture.py start FILE   starts a throwaway cluster with a migrated template database holding
                             the demo workspace and writes {"dir", "url", "template"} to FILE
  pg_fixture.py stop FILE    stops the cluster named in FILE, removes it and FILE

The tests find FILE in $GOTONG_TEST_PG_CLUSTER and copy the template for each server."""

import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import support  # noqa: E402


def stop(path):
    try:
        with open(path) as f:
            info = json.load(f)
    except (OSError, ValueError):
        return 0
    support.pg_stop_cluster(info["dir"])
    os.remove(path)
    return 0


def main(argv):
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        sys.stderr.write("usage: pg_fixture.py start|stop FILE\n")
        return 2
    path = os.path.abspath(argv[1])
    if argv[0] == "stop":
        return stop(path)
    stop(path)  # a cluster left by an interrupted run
    info = support.pg_start_cluster()
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(info, f)
    os.replace(tmp, path)
    print("PostgreSQL cluster for the API tests: %s (template %s)" % (info["url"], info["template"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
