//===- Monitor.h - progress line and stage timing on stderr -----*- C++ -*-===//
//
// What a long compile or run tells its user while it works: a progress line
// on stderr (the stage, and within it the layer or trial), and with --timing
// the wall time of every stage at the end. Both go to stderr only, so stdout,
// the output files and the reports are the same with and without them.
//
// One monitor per process: the tool configures it from its flags, the
// compiler and the simulator name their stages (Monitor::Stage) and steps
// (Monitor::step) without knowing whether anything is shown.
//
//===----------------------------------------------------------------------===//

#ifndef REBOCC_SUPPORT_MONITOR_H
#define REBOCC_SUPPORT_MONITOR_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <chrono>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace rebocc::support {

class Monitor {
public:
  using Clock = std::chrono::steady_clock;

  /// The process's monitor; shows and times nothing until configured.
  static Monitor &get();

  /// `progress`: show the progress line; on a terminal it is one line
  /// rewritten in place, elsewhere one line per step. `timing`: record the
  /// stages' wall times for printTiming. `tool` prefixes the lines.
  void configure(llvm::StringRef tool, bool progress, bool timing);
  bool showsProgress() const { return progress; }
  bool times() const { return timing; }

  /// A stage of the run, from construction to destruction: shown on the
  /// progress line, and its wall time added to the stage of that name.
  class Stage {
  public:
    explicit Stage(llvm::StringRef name);
    ~Stage();
    Stage(const Stage &) = delete;
    Stage &operator=(const Stage &) = delete;

  private:
    Clock::time_point start;
    std::string previous; // the enclosing stage, shown again afterwards
  };

  /// Where the run is within the current stage ("trial 2/5") until
  /// destroyed; shown before the steps.
  class Scope {
  public:
    explicit Scope(llvm::StringRef text);
    ~Scope();
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;
  };

  /// The current step ("3/12 crossbar '/fc1/Gemm'"). On a terminal, steps
  /// closer than 50 ms to the last one drawn are not drawn.
  void step(llvm::StringRef text);

  /// Clears a terminal's progress line, so that what is printed next (an
  /// error) starts on a line of its own; the next step draws it again.
  void clearLine();

  /// Ends the progress output (a terminal's line is cleared) and, with
  /// timing, prints every stage's wall time and the total.
  void finish(llvm::raw_ostream &os);

  /// The stages' wall times in first-seen order: {name, seconds}.
  struct StageTime {
    std::string name;
    double seconds = 0;
    int count = 0;
  };
  const std::vector<StageTime> &stageTimes() const { return stages; }

private:
  void draw(llvm::StringRef text, bool force);
  void addTime(llvm::StringRef name, double seconds);
  std::string line(llvm::StringRef text) const;

  std::string tool = "rebocc";
  bool progress = false, timing = false, terminal = false;
  bool lineShown = false; // terminal: a progress line awaits clearing
  std::string stage;
  std::vector<std::string> scopes;
  std::vector<StageTime> stages;
  Clock::time_point started = Clock::now(), lastDraw;
};

/// --progress, --quiet and --timing, as every tool that compiles or runs
/// takes them. Construct one (static) before parsing the command line.
struct MonitorCLOptions {
  explicit MonitorCLOptions(llvm::cl::OptionCategory &category);
  llvm::cl::opt<bool> progress, quiet, timing;

  /// Configures Monitor::get() for `tool`: the progress line when stderr is
  /// a terminal, always with --progress, never with --quiet. False with a
  /// message when both --progress and --quiet are given.
  bool apply(llvm::StringRef tool, std::string &error) const;
};

} // namespace rebocc::support

#endif // REBOCC_SUPPORT_MONITOR_H
