package io.callosum.cli.demo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * A line chart as an SVG element: numeric axes with ticks, one named line per series and a legend. A point whose x or
 * y is NaN or infinite leaves a gap in its line; the same input always gives the same SVG text.
 */
public final class SvgLineChart {
    private static final double X_INSET = 12;

    public record Point(double x, double y) {
        boolean isFinite() {
            return Double.isFinite(x) && Double.isFinite(y);
        }
    }

    private record Series(String name, List<Point> points) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Double> yAlwaysShown = new ArrayList<>();

    public SvgLineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgLineChart addSeries(String name, List<Point> points) {
        series.add(new Series(name, List.copyOf(points)));
        return this;
    }

    /** Stretches the y axis to show these values even without data there, e.g. 0 and 1 for an accuracy. */
    public SvgLineChart includeInYRange(double... values) {
        for (double value : values) {
            yAlwaysShown.add(value);
        }
        return this;
    }

    public String toSvg() {
        AxisScale x = AxisScale.covering(points().mapToDouble(Point::x));
        AxisScale y = AxisScale.covering(DoubleStream.concat(
                points().mapToDouble(Point::y), yAlwaysShown.stream().mapToDouble(Double::doubleValue)));
        ChartFrame frame = new ChartFrame(title, xLabel, yLabel, y);
        for (double tick : x.ticks()) {
            frame.xTick(xPixel(x, tick), x.label(tick));
        }
        for (int i = 0; i < series.size(); i++) {
            drawSeries(frame, x, series.get(i), ChartFrame.color(i));
        }
        frame.legend(series.stream().map(Series::name).toList());
        return frame.close();
    }

    private Stream<Point> points() {
        return series.stream().flatMap(s -> s.points().stream()).filter(Point::isFinite);
    }

    /** Inset from the plot's edges so that the first and last markers do not sit on the y axis or the border. */
    private static double xPixel(AxisScale x, double value) {
        double left = ChartFrame.PLOT_LEFT + X_INSET;
        return left + x.fraction(value) * (ChartFrame.PLOT_RIGHT - X_INSET - left);
    }

    /** One path per series, restarting after each gap; markers make points visible that have no neighbour to join. */
    private static void drawSeries(ChartFrame frame, AxisScale x, Series s, String color) {
        StringBuilder path = new StringBuilder();
        StringBuilder markers = new StringBuilder();
        boolean penDown = false;
        for (Point p : s.points()) {
            if (!p.isFinite()) {
                penDown = false;
                continue;
            }
            String px = Markup.coordinate(xPixel(x, p.x()));
            String py = Markup.coordinate(frame.yPixel(p.y()));
            if (!path.isEmpty()) {
                path.append(' ');
            }
            path.append(penDown ? 'L' : 'M').append(px).append(' ').append(py);
            penDown = true;
            markers.append("<circle cx=\"").append(px).append("\" cy=\"").append(py).append("\" r=\"3\" fill=\"")
                    .append(color).append("\"><title>").append(Markup.escape(s.name())).append(": ")
                    .append(x.label(p.x())).append(", ").append(Markup.number(p.y(), 4))
                    .append("</title></circle>\n");
        }
        frame.body().append("<path class=\"series\" data-series=\"").append(Markup.escape(s.name()))
                .append("\" stroke=\"").append(color).append("\" d=\"").append(path).append("\"/>\n").append(markers);
    }
}
