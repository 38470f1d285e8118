package io.callosum.protocol.privacy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * Standard normal samples from a cryptographically secure generator, added to a vector.
 *
 * <p>{@code java.util.Random} (and hence its {@code nextGaussian}) is predictable from a few outputs, which would let
 * anyone who sees the noisy value subtract the noise. {@code SecureRandom.nextGaussian} is secure but asks the
 * generator for 4 bytes at a time (about 2 µs per sample, 20 s for a 10-million-parameter update), so uniforms are
 * read here in 32 KiB blocks from a {@link SecureRandom}, 53 bits each, and turned into normals by the Box–Muller
 * transform, which is exact in real arithmetic and has no data-dependent rejection loop.
 *
 * <p>Known limitation, not fixed here: the samples are floating-point numbers, not real ones. Mironov (2012, "On
 * significance of the least significant bits for differential privacy") showed that the set of doubles a textbook
 * floating-point Laplace sampler can output around a value depends on that value, so an observer can sometimes tell
 * inputs apart exactly; the same kind of attack applies to floating-point Gaussian samplers (Jin et al. 2022, "Are we
 * there yet? Timing and floating-point attacks on differential privacy systems"). Box–Muller with 53-bit uniforms
 * also truncates the tail at {@link #MAX_DEVIATIONS} standard deviations (probability below 1e-16). A discrete
 * Gaussian or Skellam sampler on the secure-aggregation lattice would be the rigorous fix.
 */
final class GaussianNoise {
    /** The largest |sample|: {@code sqrt(-2 ln 2^-53)}, from the smallest uniform Box–Muller can draw. */
    static final double MAX_DEVIATIONS = Math.sqrt(-2 * Math.log(0x1.0p-53));

    private static final int BLOCK_BYTES = 32 * 1024;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final SecureRandom random;
    private final byte[] block = new byte[BLOCK_BYTES];
    private int position = BLOCK_BYTES;

    GaussianNoise(SecureRandom random) {
        this.random = random;
    }

    /** Adds independent {@code N(0, std²)} samples to every value, in double, rounding each sum once to float. */
    synchronized void addTo(float[] values, double std) {
        for (int i = 0; i < values.length; i += 2) {
            // u1 in (0, 1] keeps the logarithm finite; u2 in [0, 1) is the angle.
            double u1 = ((nextLong() >>> 11) + 1) * 0x1.0p-53;
            double u2 = (nextLong() >>> 11) * 0x1.0p-53;
            double radius = std * Math.sqrt(-2 * Math.log(u1));
            double angle = 2 * Math.PI * u2;
            values[i] = (float) (values[i] + radius * Math.cos(angle));
            if (i + 1 < values.length) {
                values[i + 1] = (float) (values[i + 1] + radius * Math.sin(angle));
            }
        }
    }

    private long nextLong() {
        if (position == BLOCK_BYTES) {
            random.nextBytes(block);
            position = 0;
        }
        long bits = (long) LITTLE_ENDIAN_LONG.get(block, position);
        position += Long.BYTES;
        return bits;
    }
}
