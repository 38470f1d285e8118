package io.callosum.cli.demo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;

/** A linear axis from {@code min} to {@code max} with a tick every {@code step}, where step is 1, 2 or 5 times a power of ten. */
record AxisScale(double min, double max, double step) {
    private static final int TARGET_TICKS = 5;
    private static final int MAX_DECIMALS = 6;

    /** Covers the finite values; whole-number data gets whole-number ticks, as half a round or half a site means nothing. */
    static AxisScale covering(DoubleStream values) {
        double[] finite = values.filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return new AxisScale(0, 1, 0.2);
        }
        double low = DoubleStream.of(finite).min().orElseThrow();
        double high = DoubleStream.of(finite).max().orElseThrow();
        if (low == high) {
            double pad = low == 0 ? 1 : Math.abs(low) * 0.1;
            low -= pad;
            high += pad;
        }
        double step = niceStep((high - low) / TARGET_TICKS);
        if (DoubleStream.of(finite).allMatch(v -> v == Math.rint(v))) {
            step = Math.max(1, step);
        }
        return new AxisScale(Math.floor(low / step) * step, Math.ceil(high / step) * step, step);
    }

    private static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    List<Double> ticks() {
        int count = (int) Math.round((max - min) / step);
        List<Double> ticks = new ArrayList<>(count + 1);
        for (int i = 0; i <= count; i++) {
            double tick = min + i * step;
            // min + i * step lands a hair off zero (or on -0.0), which would print as "-0.00".
            ticks.add(Math.abs(tick) < step * 1e-9 ? 0.0 : tick);
        }
        return ticks;
    }

    /** Where the value lies between min (0) and max (1). */
    double fraction(double value) {
        return (value - min) / (max - min);
    }

    /** As many decimals as the step needs, so ticks at 0.25 read "0.25" and ticks at 2 read "2". */
    String label(double value) {
        int decimals = 0;
        while (decimals < MAX_DECIMALS && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-9) {
            decimals++;
        }
        return Markup.number(value, decimals);
    }
}
