package io.callosum.cli.demo.report;

import java.util.List;

/**
 * The parts every chart shares: canvas, title, y axis with grid, axis titles and legend. Charts draw their data
 * inside the plot area and place their own x ticks.
 */
final class ChartFrame {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final double PLOT_LEFT = 64;
    static final double PLOT_RIGHT = 624;
    static final double PLOT_TOP = 40;
    static final double PLOT_BOTTOM = 260;

    // Okabe–Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
    private static final List<String> PALETTE = List.of(
            "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000");
    private static final double LEGEND_TOP = 318;
    private static final double LEGEND_ROW = 18;
    private static final double CHAR_WIDTH = 7;
    // Inside the SVG so that a chart copied out of the page still looks the same.
    private static final String STYLE = """
            <style>
            .chart-title { font: bold 14px sans-serif; fill: #222; }
            .axis-title { font: 12px sans-serif; fill: #444; }
            .tick, .legend { font: 11px sans-serif; fill: #444; }
            .grid { stroke: #e4e4e4; stroke-width: 1; }
            .axis { stroke: #666; stroke-width: 1; }
            .series { fill: none; stroke-width: 2; stroke-linejoin: round; }
            </style>
            """;

    private final StringBuilder svg = new StringBuilder();
    private final AxisScale y;

    ChartFrame(String title, String xLabel, String yLabel, AxisScale y) {
        this.y = y;
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"")
                .append(Markup.escape(title)).append("\">\n");
        svg.append("<title>").append(Markup.escape(title)).append("</title>\n").append(STYLE);
        text(WIDTH / 2.0, 22, "middle", "chart-title", title);
        text((PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 40, "middle", "axis-title", xLabel);
        svg.append("<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(16,")
                .append(Markup.coordinate((PLOT_TOP + PLOT_BOTTOM) / 2)).append(") rotate(-90)\">")
                .append(Markup.escape(yLabel)).append("</text>\n");
        for (double tick : y.ticks()) {
            double py = yPixel(tick);
            line(PLOT_LEFT, py, PLOT_RIGHT, py, "grid");
            text(PLOT_LEFT - 6, py + 4, "end", "tick", y.label(tick));
        }
        line(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, "axis");
        line(PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM, "axis");
    }

    static String color(int seriesIndex) {
        return PALETTE.get(seriesIndex % PALETTE.size());
    }

    /** Values outside the axis are clamped to the plot area's edge rather than drawn over the labels. */
    double yPixel(double value) {
        double fraction = Math.max(0, Math.min(1, y.fraction(value)));
        return PLOT_BOTTOM - fraction * (PLOT_BOTTOM - PLOT_TOP);
    }

    void xTick(double px, String label) {
        line(px, PLOT_BOTTOM, px, PLOT_BOTTOM + 4, "axis");
        text(px, PLOT_BOTTOM + 18, "middle", "tick", label);
    }

    /** Left to right below the plot, wrapping onto a new row when the next name would run past the edge. */
    void legend(List<String> names) {
        double x = PLOT_LEFT;
        double rowY = LEGEND_TOP;
        for (int i = 0; i < names.size(); i++) {
            double itemWidth = 18 + names.get(i).length() * CHAR_WIDTH + 16;
            if (x + itemWidth > WIDTH && x > PLOT_LEFT) {
                x = PLOT_LEFT;
                rowY += LEGEND_ROW;
            }
            svg.append("<rect class=\"swatch\" x=\"").append(Markup.coordinate(x)).append("\" y=\"")
                    .append(Markup.coordinate(rowY - 10)).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(color(i)).append("\"/>\n");
            text(x + 18, rowY, "start", "legend", names.get(i));
            x += itemWidth;
        }
    }

    StringBuilder body() {
        return svg;
    }

    String close() {
        return svg.append("</svg>\n").toString();
    }

    private void line(double x1, double y1, double x2, double y2, String cssClass) {
        svg.append("<line class=\"").append(cssClass).append("\" x1=\"").append(Markup.coordinate(x1))
                .append("\" y1=\"").append(Markup.coordinate(y1)).append("\" x2=\"").append(Markup.coordinate(x2))
                .append("\" y2=\"").append(Markup.coordinate(y2)).append("\"/>\n");
    }

    private void text(double x, double y, String anchor, String cssClass, String content) {
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(Markup.coordinate(x))
                .append("\" y=\"").append(Markup.coordinate(y)).append("\" text-anchor=\"").append(anchor).append("\">")
                .append(Markup.escape(content)).append("</text>\n");
    }
}
