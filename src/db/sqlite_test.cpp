#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "base/error.hpp"
#include "db/database.hpp"

namespace gotong::db {

namespace fs = std::filesystem;

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("gotong-db-test-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    db = open("sqlite:" + (dir / "t.db").string());
    db->write([](Connection& c) {
      c.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n REAL)");
    });
  }
  void TearDown() override {
    db.reset();
    fs::remove_all(dir);
  }
  fs::path dir;
  std::unique_ptr<Database> db;
};

TEST_F(SqliteTest, BindsDollarParametersInAnyOrder) {
  db->write([](Connection& c) {
    c.exec("INSERT INTO t(n, name) VALUES ($2, $1)", {"a", 1.5});
    c.exec("INSERT INTO t(name, n) VALUES ($1, $2)", {"b", nullptr});
  });
  auto rows = db->read_value([](Connection& c) { return c.query("SELECT name, n FROM t ORDER BY name"); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text_at(0), "a");
  EXPECT_DOUBLE_EQ(rows[0].double_at(1), 1.5);
  EXPECT_TRUE(rows[1].null_at(1));
  EXPECT_EQ(rows[1]["name"].as_string(), "b");
}

TEST_F(SqliteTest, ReturningGivesTheNewId) {
  auto id = db->write_value(
      [](Connection& c) { return *c.query_int("INSERT INTO t(name) VALUES ($1) RETURNING id", {"x"}); });
  EXPECT_GT(id, 0);
}

TEST_F(SqliteTest, FailedJobIsRolledBackAndOthersInTheGroupCommit) {
  // Many threads write at once so their jobs share commit groups; every odd job fails halfway.
  constexpr int kThreads = 16, kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int k = t * kPerThread + i;
        try {
          db->write([&](Connection& c) {
            c.exec("INSERT INTO t(name) VALUES ($1)", {"row" + std::to_string(k)});
            if (k % 2) throw std::runtime_error("job fails after writing");
          });
        } catch (const std::runtime_error&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), kThreads * kPerThread / 2);
  auto count = db->read_value([](Connection& c) { return *c.query_int("SELECT COUNT(*) FROM t"); });
  EXPECT_EQ(count, kThreads * kPerThread / 2);
  auto odd = db->read_value(
      [](Connection& c) { return *c.query_int("SELECT COUNT(*) FROM t WHERE name = 'row1'"); });
  EXPECT_EQ(odd, 0);
}

TEST_F(SqliteTest, AsyncWritesAnswerAfterTheirCommitWithoutAThreadWaiting) {
  // One thread queues 200 jobs without waiting; every fifth fails. Each `done` must see its own
  // outcome, and a successful job's row must already be readable from another connection.
  constexpr int kJobs = 200;
  std::mutex m;
  std::condition_variable cv;
  int answered = 0, failed = 0, unseen = 0;
  for (int k = 0; k < kJobs; ++k) {
    const std::string name = "async" + std::to_string(k);
    db->write_async(
        [name, k](Connection& c) {
          c.exec("INSERT INTO t(name) VALUES ($1)", {name});
          if (k % 5 == 0) throw std::runtime_error("job fails after writing");
        },
        Isolation::read_committed,
        [&, name, k](std::exception_ptr error) {
          bool visible = false;
          if (!error)
            visible = db->read_value([&](Connection& c) {
              return c.query_int("SELECT COUNT(*) FROM t WHERE name = $1", {name}).value_or(0) == 1;
            });
          std::lock_guard lock(m);
          ++answered;
          if (error) ++failed;
          if (!error && !visible) ++unseen;
          if ((k % 5 == 0) != static_cast<bool>(error)) ++unseen;  // the wrong job was told it failed
          cv.notify_all();
        });
  }
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return answered == kJobs; }));
  EXPECT_EQ(failed, kJobs / 5);
  EXPECT_EQ(unseen, 0);
}

TEST_F(SqliteTest, ConstraintViolationIsAConflict) {
  db->write([](Connection& c) { c.exec("INSERT INTO t(name) VALUES ('dup')"); });
  try {
    db->write([](Connection& c) { c.exec("INSERT INTO t(name) VALUES ('dup')"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
  }
}

TEST_F(SqliteTest, ReadersCannotWrite) {
  EXPECT_THROW(db->read([](Connection& c) { c.exec("INSERT INTO t(name) VALUES ('r')"); }), std::exception);
}

TEST_F(SqliteTest, WrongParameterStyleIsRefused) {
  EXPECT_THROW(db->read([](Connection& c) { c.query("SELECT * FROM t WHERE name = ?", {"x"}); }),
               std::logic_error);
  EXPECT_THROW(db->read([](Connection& c) { c.query("SELECT * FROM t WHERE name = $2", {"x"}); }),
               std::logic_error);
}

TEST_F(SqliteTest, CommittedWritesSurviveReopen) {
  db->write([](Connection& c) { c.exec("INSERT INTO t(name) VALUES ('durable')"); });
  db.reset();
  db = open("sqlite:" + (dir / "t.db").string());
  EXPECT_EQ(db->read_value(
                [](Connection& c) { return c.query_int("SELECT COUNT(*) FROM t WHERE name = 'durable'"); }),
            1);
}

TEST_F(SqliteTest, BackupIsAConsistentCopy) {
  db->write([](Connection& c) {
    for (int i = 0; i < 100; ++i) c.exec("INSERT INTO t(name) VALUES ($1)", {"b" + std::to_string(i)});
  });
  auto copy = (dir / "copy.db").string();
  db->backup(copy);
  auto other = open("sqlite:" + copy);
  EXPECT_EQ(other->read_value([](Connection& c) { return c.query_int("SELECT COUNT(*) FROM t"); }), 100);
  EXPECT_EQ(
      other->read_value([](Connection& c) { return c.query_one("PRAGMA integrity_check")->text_at(0); }),
      "ok");
}

TEST_F(SqliteTest, EachStopsEarly) {
  db->write([](Connection& c) {
    for (int i = 0; i < 10; ++i) c.exec("INSERT INTO t(name) VALUES ($1)", {std::to_string(i)});
  });
  int seen = 0;
  db->read([&](Connection& c) { c.each("SELECT name FROM t", {}, [&](const Row&) { return ++seen < 3; }); });
  EXPECT_EQ(seen, 3);
}

TEST_F(SqliteTest, ScanReadsColumnsInPlace) {
  db->write(
      [](Connection& c) { c.exec("INSERT INTO t(name, n) VALUES ('a', 1), ('bb', NULL), ('ccc', 3)"); });
  std::vector<std::string> names;
  std::vector<bool> nulls;
  std::int64_t ids = 0;
  db->read([&](Connection& c) {
    c.scan("SELECT id, name, n FROM t WHERE id >= $1 ORDER BY id", {1}, [&](const RowView& r) {
      ids += r.int_at(0);
      names.emplace_back(r.text_at(1));
      nulls.push_back(r.null_at(2));
      return names.size() < 2;  // stops early like each()
    });
  });
  EXPECT_EQ(names, (std::vector<std::string>{"a", "bb"}));
  EXPECT_EQ(nulls, (std::vector<bool>{false, true}));
  EXPECT_EQ(ids, 3);
}

// query_int over INSERT ... RETURNING stops after the first row; the insert must still be whole
// and the job's savepoint still usable (it is stepped to its end).
TEST_F(SqliteTest, ReturningReadByQueryIntKeepsEveryRowOfTheJob) {
  db->write([](Connection& c) {
    for (int i = 0; i < 2000; ++i)
      ASSERT_TRUE(c.query_int("INSERT INTO t(name) VALUES ($1) RETURNING id", {"n" + std::to_string(i)}));
  });
  EXPECT_EQ(db->read_value([](Connection& c) { return *c.query_int("SELECT COUNT(*) FROM t"); }), 2000);
}

// Checkpoints run on their own thread: the WAL is copied into the database file while writes go
// on, and it starts over instead of growing with everything ever written.
TEST_F(SqliteTest, TheWalIsCheckpointedAsWritesGoOn) {
  const std::string blob(3000, 'x');
  for (int round = 0; round < 40; ++round)
    db->write([&](Connection& c) {
      for (int i = 0; i < 100; ++i)
        c.exec("INSERT INTO t(name) VALUES ($1)", {blob + std::to_string(round * 100 + i)});
    });
  // 4,000 rows of 3 KB: about 3,000 pages went through the WAL; without checkpoints it would
  // hold all of them (12 MB) and the database file none.
  for (int i = 0; i < 100 && fs::file_size(dir / "t.db") < 4'000'000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GT(fs::file_size(dir / "t.db"), 4'000'000u);
  EXPECT_EQ(db->read_value([](Connection& c) { return *c.query_int("SELECT COUNT(*) FROM t"); }), 4000);
}

TEST_F(SqliteTest, CloseFinishesQueuedWritesThenRefuses) {
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      try {
        db->write(
            [&](Connection& c) { c.exec("INSERT INTO t(name) VALUES ($1)", {"c" + std::to_string(i)}); });
      } catch (const Error&) {
        return;  // closed: refused cleanly
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  db->close();
  writer.join();
  EXPECT_THROW(db->write([](Connection&) {}), Error);
}

TEST(OpenUrl, UnknownSchemeIsAClearError) {
  try {
    open("mysql://x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sqlite:PATH"), std::string::npos);
  }
}

}  // namespace gotong::db
