//===- MonitorTest.cpp - stage timing of the progress monitor -------------===//

#include "rebocc/Support/Monitor.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <thread>

using rebocc::support::Monitor;

TEST(Monitor, StagesOfOneNameAddUp) {
  Monitor &m = Monitor::get();
  m.configure("tool", /*progress=*/false, /*timing=*/true);
  {
    Monitor::Stage load("load");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  { Monitor::Stage simulate("simulate"); }
  {
    Monitor::Stage load("load");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(m.stageTimes().size(), 2u);
  EXPECT_EQ(m.stageTimes()[0].name, "load");
  EXPECT_EQ(m.stageTimes()[0].count, 2);
  // Two sleeps of 20 ms: at least 40 ms of wall time.
  EXPECT_GE(m.stageTimes()[0].seconds, 0.040);
  EXPECT_EQ(m.stageTimes()[1].name, "simulate");
  EXPECT_EQ(m.stageTimes()[1].count, 1);

  std::string text;
  llvm::raw_string_ostream os(text);
  m.finish(os);
  EXPECT_EQ(text.rfind("tool: wall time per stage\n  load ", 0), 0u) << text;
  EXPECT_NE(text.find(" s  (2 times)\n  simulate "), std::string::npos) << text;
  EXPECT_NE(text.find("\n  total "), std::string::npos) << text;
}

TEST(Monitor, NothingWithoutTiming) {
  Monitor &m = Monitor::get();
  m.configure("tool", /*progress=*/false, /*timing=*/false);
  { Monitor::Stage load("load"); }
  EXPECT_TRUE(m.stageTimes().empty());
  std::string text;
  llvm::raw_string_ostream os(text);
  m.finish(os);
  EXPECT_EQ(text, "");
}
