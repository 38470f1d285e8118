package io.callosum.cli.inspect;

import io.callosum.protocol.npy.NpyArray;

import java.util.Locale;

/** Shape, type and value statistics of one tensor; non-finite values are counted, never averaged in. */
public record TensorSummary(String descr, String shape, boolean fortranOrder, long elements, long nonFinite,
                            double min, double max, double mean) {

    public static TensorSummary of(NpyArray array) {
        long count = array.elementCount();
        long nonFinite = 0;
        long finite = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (long i = 0; i < count; i++) {
            double value = array.getDouble(i);
            if (!Double.isFinite(value)) {
                nonFinite++;
                continue;
            }
            finite++;
            min = Math.min(min, value);
            max = Math.max(max, value);
            sum += value;
        }
        return new TensorSummary(array.header().descr(), array.shape().toString(), array.fortranOrder(), count,
                nonFinite, finite == 0 ? Double.NaN : min, finite == 0 ? Double.NaN : max,
                finite == 0 ? Double.NaN : sum / finite);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s%s, %d elements, min %.6g, max %.6g, mean %.6g%s",
                descr, shape, fortranOrder ? " (Fortran order)" : "", elements, min, max, mean,
                nonFinite == 0 ? "" : ", " + nonFinite + " NaN/inf");
    }
}
