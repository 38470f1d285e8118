package io.callosum.protocol.secagg;

/**
 * Clipping and fixed-point quantization of float32 updates into Z_(2^32), chosen so that the sum of up to {@code n}
 * quantized values never wraps around.
 *
 * <p>Each value is clipped to {@code [-c, c]} (the update is a difference from the global model, so this bounds how
 * far one site can move any parameter in one round) and mapped to the integer {@code round(x * scale)}, with
 * {@code scale = M / c} and {@code M = floor((2^31 - 1) / n)}. Every quantized value then lies in {@code [-M, M]},
 * so the sum of {@code n} of them lies in {@code [-nM, nM]}, inside the signed 32-bit range, and reading the
 * aggregate mod 2^32 as a signed int gives the exact integer sum. Admissible: any finite {@code c > 0} and
 * {@code 1 <= n <= 2^31 - 1}; the clipped sum always lies in {@code [-n c, n c]}.
 *
 * <p>Error: rounding to nearest moves each value by at most {@code 1 / (2 scale)}, so the dequantized sum of
 * {@code m <= n} values differs from the sum of the clipped values by at most {@code m / (2 scale)
 * <= n / (2 scale) = n c / (2M) ≈ n² c / 2^32} (plus the float32 rounding of the result). For example, 100 sites at
 * {@code c = 1}: 2.3e-6 on the sum, 2.3e-8 on the mean.
 */
public final class FixedPointQuantizer {
    private final double clip;
    private final double scale;

    public FixedPointQuantizer(double clip, int maxSummands) {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clipping bound must be positive and finite, got " + clip);
        }
        if (maxSummands < 1) {
            throw new IllegalArgumentException("number of summands must be positive, got " + maxSummands);
        }
        this.clip = clip;
        this.scale = (Integer.MAX_VALUE / maxSummands) / clip;
    }

    /** Clips and quantizes; NaN or infinite values are refused with their index, as they carry no usable update. */
    public int[] quantize(float[] values) {
        int[] quantized = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float value = values[i];
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("update value " + i + " is " + value + "; only finite values can be"
                        + " aggregated");
            }
            double clipped = Math.max(-clip, Math.min(clip, value));
            quantized[i] = (int) Math.round(clipped * scale);
        }
        return quantized;
    }

    /** The float sum of an aggregate of at most {@code maxSummands} quantized vectors. */
    public float[] dequantizeSum(int[] sum) {
        float[] values = new float[sum.length];
        dequantizeSum(sum, 0, sum.length, values);
        return values;
    }

    /** Dequantizes {@code sum[from, to)} into the same positions of {@code values}. */
    void dequantizeSum(int[] sum, int from, int to, float[] values) {
        for (int i = from; i < to; i++) {
            values[i] = (float) (sum[i] / scale);
        }
    }

    /** The largest difference between the dequantized sum of {@code summands} values and the sum of the clipped values. */
    public double sumErrorBound(int summands) {
        return summands / (2 * scale);
    }
}
