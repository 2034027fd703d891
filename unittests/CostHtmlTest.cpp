//===- CostHtmlTest.cpp - the HTML page's charts, axes and names ----------===//
//
// A two-layer report built by hand, so every figure on the page is computed
// here on paper: axis ranges, bar widths, tooltips and label shortening.
//
//===----------------------------------------------------------------------===//

#include "rebocc/Model/CostModel.h"

#include <gtest/gtest.h>

using namespace rebocc::model;

namespace {

// 50 code points, two of them two-byte UTF-8: "/features/features.10/conv/"
// (27) + "conv.0/Conv·é" (13) + "_quantized" (10).
const std::string kLong =
    "/features/features.10/conv/conv.0/Conv\xc2\xb7\xc3\xa9_quantized";

CostReport handReport() {
  CostReport r;
  r.mapping = "reboc";
  LayerCost conv;
  conv.name = kLong;
  conv.latencyS = 3.7e-6;
  conv.dynamicJ.adc = 2e-9;
  conv.staticJ.buffer = 5e-6;
  LayerCost relu;
  relu.name = "<b>&amp";
  relu.kind = "digital";
  relu.latencyS = 1e-6;
  relu.dynamicJ.digital = 1e-9;
  r.layers = {conv, relu};
  r.dynamicJ.adc = 2e-9;
  r.dynamicJ.digital = 1e-9;
  r.staticJ.buffer = 5e-6;
  return r;
}

/// The <svg> of the chart of `kind` in `html`.
std::string chart(const std::string &html, const std::string &kind) {
  size_t start = html.find("data-chart=\"" + kind + "\"");
  if (start == std::string::npos)
    return "";
  return html.substr(start, html.find("</svg>", start) - start);
}

} // namespace

TEST(CostHtml, LatencyAxisAndBarsByHand) {
  std::string latency = chart(costToHtml({handReport()}, {}), "latency");
  ASSERT_FALSE(latency.empty());
  // Largest 3.7 us: a fifth is 0.74 us, rounded up to a 1 us step; the axis
  // ends at 4 us, labelled in microseconds.
  EXPECT_NE(latency.find(">latency (\xc2\xb5s)<"), std::string::npos);
  EXPECT_NE(latency.find(">4</text>"), std::string::npos);
  EXPECT_EQ(latency.find(">5</text>"), std::string::npos);
  // Label column: 40 characters of 6.6 px + 10 = 274; the panel is
  // 640 - 274 - 18 = 348 px wide, so 3.7 of 4 us is 321.9 px, 1 us 87 px.
  EXPECT_NE(latency.find("width=\"321.9\""), std::string::npos);
  EXPECT_NE(latency.find("width=\"87\""), std::string::npos);
  // 1e-6 s reads as 1 us, not 1000 ns.
  EXPECT_NE(latency.find(": latency 1 \xc2\xb5s</title>"), std::string::npos);
}

TEST(CostHtml, StaticEnergyHasItsOwnAxis) {
  std::string energy = chart(costToHtml({handReport()}, {}), "energy");
  // Dynamic: largest 2 nJ, step 0.5 nJ, axis to 2 nJ. Static: 5 uJ, step
  // 1 uJ. On one axis the 2 nJ bar would be 0.04 % of the 5 uJ one.
  EXPECT_NE(energy.find(">dynamic energy (nJ)<"), std::string::npos);
  EXPECT_NE(energy.find(">static energy (\xc2\xb5J)<"), std::string::npos);
  EXPECT_NE(energy.find(">0.5</text>"), std::string::npos);
  // Only the components that appear are in the legend.
  EXPECT_NE(energy.find(">adc</text>"), std::string::npos);
  EXPECT_NE(energy.find(">buffer</text>"), std::string::npos);
  EXPECT_EQ(energy.find(">rotator</text>"), std::string::npos);
}

TEST(CostHtml, FullNamesOnHoverAndEscaped) {
  std::string html = costToHtml({handReport()}, {});
  // The label keeps the first 18 and the last 21 characters around an
  // ellipsis ("/features/features" and "nv.0/Conv·é_quantized"); the row's
  // tooltip and the utilization table have the name whole, still UTF-8.
  EXPECT_NE(html.find(">/features/features\xe2\x80\xa6"
                      "nv.0/Conv\xc2\xb7\xc3\xa9_quantized</text>"),
            std::string::npos);
  EXPECT_NE(html.find("<title>" + kLong + ": latency 3.7 \xc2\xb5s</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"name\">" + kLong + "</td>"),
            std::string::npos);
  // Markup in a name is text.
  EXPECT_EQ(html.find("<b>&amp"), std::string::npos);
  EXPECT_NE(html.find(">&lt;b&gt;&amp;amp</text>"), std::string::npos);
}

TEST(CostHtml, ReportsSideBySideOnOneScale) {
  CostReport reboc = handReport(), dense = handReport();
  dense.mapping = "dense";
  dense.layers[0].latencyS = 7.4e-6; // twice ReBoc's
  std::string html = costToHtml({reboc, dense}, {});
  EXPECT_NE(html.find("<h2>reboc against dense</h2>"), std::string::npos);
  EXPECT_NE(html.find("<th>dense / reboc</th>"), std::string::npos);
  // Both latency charts run to 8 us (step 2 us), so ReBoc's 3.7 us bar is
  // 3.7 / 8 * 348 = 160.95 px (161 to 4 digits) and dense's 7.4 us one
  // twice that.
  size_t second = html.find("<h2>dense</h2>");
  ASSERT_NE(second, std::string::npos);
  std::string first = chart(html.substr(0, second), "latency");
  std::string other = chart(html.substr(second), "latency");
  EXPECT_NE(first.find("width=\"161\""), std::string::npos);
  EXPECT_NE(other.find("width=\"321.9\""), std::string::npos);
  EXPECT_NE(first.find(">8</text>"), std::string::npos);
}
