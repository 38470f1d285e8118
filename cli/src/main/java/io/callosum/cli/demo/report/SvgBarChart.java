package io.callosum.cli.demo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * A stacked bar chart as an SVG element: one bar per category, one coloured segment per series stacked from zero,
 * a y axis with ticks and a legend. The same input always gives the same SVG text.
 */
public final class SvgBarChart {
    private static final double BAR_FRACTION = 0.6;
    private static final int MAX_CATEGORY_LABELS = 15;

    private record Series(String name, List<Double> values) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> categories;
    private final List<Series> series = new ArrayList<>();

    public SvgBarChart(String title, String xLabel, String yLabel, List<String> categories) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.categories = List.copyOf(categories);
    }

    /** One value per category, in the categories' order. */
    public SvgBarChart addSeries(String name, List<Double> values) {
        if (values.size() != categories.size()) {
            throw new IllegalArgumentException("series " + name + " has " + values.size() + " values for "
                    + categories.size() + " categories");
        }
        series.add(new Series(name, new ArrayList<>(values)));
        return this;
    }

    public String toSvg() {
        AxisScale y = AxisScale.covering(DoubleStream.concat(DoubleStream.of(0),
                IntStream.range(0, categories.size()).mapToDouble(this::stackHeight)));
        ChartFrame frame = new ChartFrame(title, xLabel, yLabel, y);
        double slot = (ChartFrame.PLOT_RIGHT - ChartFrame.PLOT_LEFT) / Math.max(1, categories.size());
        int labelEvery = (categories.size() + MAX_CATEGORY_LABELS - 1) / MAX_CATEGORY_LABELS;
        for (int c = 0; c < categories.size(); c++) {
            double left = ChartFrame.PLOT_LEFT + c * slot + slot * (1 - BAR_FRACTION) / 2;
            drawStack(frame, c, left, slot * BAR_FRACTION);
            if (c % labelEvery == 0) {
                frame.xTick(left + slot * BAR_FRACTION / 2, categories.get(c));
            }
        }
        frame.legend(series.stream().map(Series::name).toList());
        return frame.close();
    }

    /** Only positive finite values can be stacked; anything else (a missing or NaN measurement) adds no segment. */
    private static boolean stackable(Double value) {
        return value != null && Double.isFinite(value) && value > 0;
    }

    private double stackHeight(int category) {
        return series.stream().map(s -> s.values().get(category)).filter(SvgBarChart::stackable)
                .mapToDouble(Double::doubleValue).sum();
    }

    private void drawStack(ChartFrame frame, int category, double left, double width) {
        double base = 0;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Double value = s.values().get(category);
            if (!stackable(value)) {
                continue;
            }
            double top = frame.yPixel(base + value);
            double bottom = frame.yPixel(base);
            frame.body().append("<rect class=\"segment\" data-series=\"").append(Markup.escape(s.name()))
                    .append("\" x=\"").append(Markup.coordinate(left)).append("\" y=\"").append(Markup.coordinate(top))
                    .append("\" width=\"").append(Markup.coordinate(width)).append("\" height=\"")
                    .append(Markup.coordinate(bottom - top)).append("\" fill=\"").append(ChartFrame.color(i))
                    .append("\"><title>").append(Markup.escape(categories.get(category))).append(' ')
                    .append(Markup.escape(s.name())).append(": ").append(Markup.number(value, 3))
                    .append("</title></rect>\n");
            base += value;
        }
    }
}
