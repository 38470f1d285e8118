package io.callosum.cli.demo.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart building blocks on their own, apart from any report. */
class ReportChartsTest {

    @Test
    void ticksAreRoundNumbersCoveringTheData() {
        AxisScale scale = AxisScale.covering(DoubleStream.of(0.43, 0.87, Double.NaN));

        assertEquals(List.of(0.4, 0.5, 0.6, 0.7, 0.8, 0.9), scale.ticks().stream().map(t -> Math.round(t * 10) / 10.0).toList());
        assertEquals("0.5", scale.label(0.5));
    }

    @Test
    void wholeNumberDataGetsWholeNumberTicks() {
        AxisScale scale = AxisScale.covering(DoubleStream.of(0, 1, 2, 3));

        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), scale.ticks());
        assertEquals("2", scale.label(2));
    }

    @Test
    void anAxisWithoutFiniteDataStillHasARange() {
        AxisScale empty = AxisScale.covering(DoubleStream.of(Double.NaN, Double.POSITIVE_INFINITY));
        AxisScale flat = AxisScale.covering(DoubleStream.of(0.5, 0.5));

        assertTrue(empty.max() > empty.min());
        assertTrue(flat.min() < 0.5 && flat.max() > 0.5);
    }

    @Test
    void aLineChartWithOnlyNaNIsStillAChart() {
        String svg = new SvgLineChart("t", "x", "y")
                .addSeries("nothing", List.of(new SvgLineChart.Point(1, Double.NaN), new SvgLineChart.Point(Double.NaN, 2)))
                .toSvg();

        assertTrue(svg.contains("<path class=\"series\" data-series=\"nothing\""));
        assertFalse(svg.contains("NaN"));
        assertFalse(svg.contains("Infinity"));
    }

    @Test
    void barsStackOnlyFiniteValues() {
        String svg = new SvgBarChart("t", "round", "s", List.of("1", "2"))
                .addSeries("train", List.of(2.0, Double.NaN))
                .addSeries("evaluate", List.of(1.0, 1.0))
                .toSvg();

        assertEquals(3, svg.split("class=\"segment\"", -1).length - 1);
        assertFalse(svg.contains("NaN"));
    }

    @Test
    void aBarSeriesMustHaveOneValuePerCategory() {
        SvgBarChart chart = new SvgBarChart("t", "round", "s", List.of("1", "2"));

        assertThrows(IllegalArgumentException.class, () -> chart.addSeries("train", List.of(1.0)));
    }
}
