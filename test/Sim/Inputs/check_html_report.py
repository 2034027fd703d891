"""Loads a rebocc HTML report in headless Chromium and checks what it drew.

usage: check_html_report.py REPORT.html REPORT.json [--screenshot PNG]

The page must be self-contained (nothing fetched), load without a console
message (the page has no script: any message is an error, e.g. an invalid
SVG attribute), and draw, per report, one row per layer in its latency and
energy charts, with a bar of positive rendered width for every layer whose
value in the JSON report is positive. A probe script appended to a copy of
the page measures the rendered bars (getBoundingClientRect, so layout really
happened) and writes its findings into the DOM that --dump-dom prints.
Prints one line per chart for FileCheck; exits 1 on the first failure.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROBE = """<script>
(function () {
  var charts = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var section = svg.closest('section');
    var rows = svg.querySelectorAll('g.row');
    var drawn = 0;
    rows.forEach(function (row) {
      var width = 0;
      row.querySelectorAll('rect.bar').forEach(function (bar) {
        width += bar.getBoundingClientRect().width;
      });
      if (width > 0) drawn++;
    });
    charts.push({kind: svg.dataset.chart,
                 report: section ? section.querySelector('h2').textContent : '',
                 rows: rows.length, drawn: drawn,
                 width: svg.getBoundingClientRect().width});
  });
  var out = document.createElement('pre');
  out.id = 'rebocc-probe';
  out.textContent = JSON.stringify(charts);
  document.body.appendChild(out);
})();
</script>"""


def fail(message):
    print("check_html_report: error: " + message, file=sys.stderr)
    sys.exit(1)


def chromium(args, url):
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
           "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
           "--window-size=1400,1400"] + args + [url]
    # Chromium wants a writable home for its profile.
    home = tempfile.mkdtemp()
    try:
        env = dict(os.environ, HOME=home)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                              env=env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if done.returncode != 0:
        fail("chromium exited with %d:\n%s" % (done.returncode, done.stderr))
    console = [l for l in done.stderr.splitlines() if ":CONSOLE" in l]
    if console:
        fail("console messages while loading the page:\n" + "\n".join(console))
    return done.stdout


def expected(report):
    """(label, layers) of each report in the JSON (compare or single)."""
    runs = report["compare"] if "compare" in report else [report]
    return [(r["cost"]["mapping"] or "report %d" % (i + 1), r["cost"]["layers"])
            for i, r in enumerate(runs)]


def main():
    args = sys.argv[1:]
    screenshot = None
    if "--screenshot" in args:
        i = args.index("--screenshot")
        screenshot = args[i + 1]
        del args[i:i + 2]
    page_path, report_path = args
    page = open(page_path, encoding="utf-8").read()
    # Self-contained: no reference to anything outside the page (the SVG
    # namespace is a name, not a fetch).
    outside = re.findall(r'(?:src|href)\s*=|@import|url\(|<script|<link',
                         page, re.IGNORECASE)
    if outside:
        fail("the page refers outside itself or runs a script: %s" % outside)

    work = tempfile.mkdtemp()
    try:
        probed = os.path.join(work, "probed.html")
        with open(probed, "w", encoding="utf-8") as f:
            f.write(page.replace("</body>", PROBE + "</body>"))
        dom = chromium(["--dump-dom"], "file://" + probed)
        if screenshot:
            chromium(["--screenshot=" + os.path.abspath(screenshot)],
                     "file://" + os.path.abspath(page_path))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    found = re.search(r'<pre id="rebocc-probe">(.*?)</pre>', dom, re.DOTALL)
    if not found:
        fail("the probe did not run")
    charts = json.loads(html.unescape(found.group(1)))

    runs = expected(json.load(open(report_path, encoding="utf-8")))
    by_key = {(c["report"], c["kind"]): c for c in charts}
    run_energy = [c for c in charts if c["kind"] == "run-energy"]
    if len(run_energy) != 1 or run_energy[0]["rows"] != len(runs):
        fail("run-energy chart: %s, want one with %d rows" % (run_energy, len(runs)))
    print("run-energy rows %d drawn %d" % (run_energy[0]["rows"], run_energy[0]["drawn"]))
    for label, layers in runs:
        want = {
            "latency": sum(1 for l in layers if (l["latency_s"] or 0) > 0),
            "energy": sum(1 for l in layers if (l["energy_j"]["total"] or 0) > 0),
        }
        for kind, drawn in want.items():
            chart = by_key.get((label, kind))
            if chart is None:
                fail("no %s chart for %s" % (kind, label))
            if chart["rows"] != len(layers) or chart["drawn"] != drawn:
                fail("%s %s: %d rows, %d drawn; the report has %d layers, %d "
                     "with a positive value" % (kind, label, chart["rows"],
                                                chart["drawn"], len(layers), drawn))
            if chart["width"] <= 0:
                fail("%s %s has no width" % (kind, label))
            print("%s %s rows %d drawn %d" % (kind, label, chart["rows"], chart["drawn"]))


if __name__ == "__main__":
    main()
