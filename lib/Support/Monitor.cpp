//===- Monitor.cpp - progress line and stage timing on stderr -------------===//

#include "rebocc/Support/Monitor.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

namespace rebocc::support {

namespace {
double secondsSince(Monitor::Clock::time_point start) {
  return std::chrono::duration<double>(Monitor::Clock::now() - start).count();
}
} // namespace

Monitor &Monitor::get() {
  static Monitor monitor;
  return monitor;
}

void Monitor::configure(llvm::StringRef toolName, bool showProgress,
                        bool timeStages) {
  tool = toolName.str();
  progress = showProgress;
  timing = timeStages;
  terminal = llvm::sys::Process::StandardErrIsDisplayed();
  stage.clear();
  scopes.clear();
  stages.clear();
  started = Clock::now();
}

std::string Monitor::line(llvm::StringRef text) const {
  std::string out = tool + ": " + stage;
  for (const std::string &scope : scopes)
    out += ": " + scope;
  if (!text.empty())
    out += ": " + text.str();
  return out;
}

void Monitor::draw(llvm::StringRef text, bool force) {
  if (!progress)
    return;
  llvm::raw_ostream &os = llvm::errs();
  if (!terminal) {
    os << line(text) << '\n';
    return;
  }
  // A terminal shows one line, rewritten: throttled so that a run of fast
  // steps does not spend its time drawing.
  Clock::time_point now = Clock::now();
  if (!force && lineShown && now - lastDraw < std::chrono::milliseconds(50))
    return;
  lastDraw = now;
  std::string shown = line(text);
  unsigned columns = llvm::sys::Process::StandardErrColumns();
  if (columns > 1 && shown.size() >= columns) {
    // No wrap: \r returns to the start of this line only. Bytes are at
    // least as many as columns; cut at a UTF-8 character boundary.
    size_t cut = columns - 1;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80)
      --cut;
    shown.resize(cut);
  }
  os << '\r' << shown << "\x1b[K";
  os.flush();
  lineShown = true;
}

void Monitor::clearLine() {
  if (!lineShown)
    return;
  llvm::errs() << "\r\x1b[K";
  llvm::errs().flush();
  lineShown = false;
}

void Monitor::addTime(llvm::StringRef name, double seconds) {
  for (StageTime &s : stages)
    if (s.name == name) {
      s.seconds += seconds;
      ++s.count;
      return;
    }
  stages.push_back({name.str(), seconds, 1});
}

Monitor::Stage::Stage(llvm::StringRef name) : start(Clock::now()) {
  Monitor &m = get();
  previous = m.stage;
  m.stage = name.str();
  m.draw("", /*force=*/true);
}

Monitor::Stage::~Stage() {
  Monitor &m = get();
  if (m.timing)
    m.addTime(m.stage, secondsSince(start));
  m.stage = previous;
  // The next output may be an error message: it starts on a clean line.
  m.clearLine();
}

Monitor::Scope::Scope(llvm::StringRef text) {
  Monitor &m = get();
  m.scopes.push_back(text.str());
  m.draw("", /*force=*/false);
}

Monitor::Scope::~Scope() { get().scopes.pop_back(); }

void Monitor::step(llvm::StringRef text) { draw(text, /*force=*/false); }

void Monitor::finish(llvm::raw_ostream &os) {
  clearLine();
  if (!timing)
    return;
  double total = secondsSince(started);
  size_t width = 5; // "total"
  for (const StageTime &s : stages)
    width = std::max(width, s.name.size());
  os << tool << ": wall time per stage\n";
  auto row = [&](llvm::StringRef name, double seconds, int count) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%10.4f s", seconds);
    os << "  " << name << std::string(width - name.size() + 2, ' ') << buf;
    if (count > 1)
      os << "  (" << count << " times)";
    os << '\n';
  };
  for (const StageTime &s : stages)
    row(s.name, s.seconds, s.count);
  row("total", total, 1);
  os.flush();
}

MonitorCLOptions::MonitorCLOptions(llvm::cl::OptionCategory &category)
    : progress("progress", llvm::cl::cat(category),
               llvm::cl::desc("Show a progress line on stderr even when it is "
                              "not a terminal (one line per step)")),
      quiet("quiet", llvm::cl::cat(category),
            llvm::cl::desc("No progress line on stderr, even on a terminal")),
      timing("timing", llvm::cl::cat(category),
             llvm::cl::desc("Print the wall time of every stage to stderr at "
                            "the end (rebocc: with MLIR's pass timing)")) {}

bool MonitorCLOptions::apply(llvm::StringRef tool, std::string &error) const {
  if (progress && quiet) {
    error = "--progress and --quiet exclude each other";
    return false;
  }
  bool show = progress || (!quiet && llvm::sys::Process::StandardErrIsDisplayed());
  Monitor::get().configure(tool, show, timing);
  return true;
}

} // namespace rebocc::support
