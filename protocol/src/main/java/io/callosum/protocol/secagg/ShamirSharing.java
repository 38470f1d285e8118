package io.callosum.protocol.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir t-of-n sharing of 32-byte secrets over GF(2^521 - 1), a Mersenne prime comfortably above 2^256, so any
 * 32-byte secret is a field element. Fewer than {@code t} shares reveal nothing about the secret; any {@code t}
 * reconstruct it by Lagrange interpolation at 0.
 */
public final class ShamirSharing {
    public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);
    /** A share's value as fixed-width big-endian bytes: ceil(521 / 8). */
    public static final int SHARE_BYTES = 66;
    public static final int SECRET_BYTES = 32;

    /** One evaluation {@code (x, f(x))} of the sharing polynomial; {@code x} is the holder's client id + 1. */
    public record Share(int x, BigInteger y) {
        public Share {
            if (x <= 0) {
                throw new IllegalArgumentException("share index must be positive, got " + x);
            }
            if (y.signum() < 0 || y.compareTo(PRIME) >= 0) {
                throw new IllegalArgumentException("share value is not a field element");
            }
        }

        public static Share of(int holder, byte[] value) {
            if (value.length != SHARE_BYTES) {
                throw new IllegalArgumentException("share must have " + SHARE_BYTES + " bytes, got " + value.length);
            }
            return new Share(holder + 1, new BigInteger(1, value));
        }

        public byte[] value() {
            byte[] magnitude = y.toByteArray();
            byte[] fixed = new byte[SHARE_BYTES];
            int copy = Math.min(magnitude.length, SHARE_BYTES);
            System.arraycopy(magnitude, magnitude.length - copy, fixed, SHARE_BYTES - copy, copy);
            return fixed;
        }
    }

    private final SecureRandom random;

    public ShamirSharing(SecureRandom random) {
        this.random = random;
    }

    /** Shares of {@code secret} for each holder (evaluated at holder id + 1), any {@code threshold} of which recover it. */
    public List<Share> split(byte[] secret, int threshold, Collection<Integer> holders) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("secret must have " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        BigInteger[] coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(1, secret);
        for (int i = 1; i < threshold; i++) {
            coefficients[i] = randomFieldElement();
        }
        List<Share> shares = new ArrayList<>(holders.size());
        for (int holder : holders) {
            BigInteger x = BigInteger.valueOf(holder + 1L);
            BigInteger y = BigInteger.ZERO;
            for (int i = threshold - 1; i >= 0; i--) {
                y = y.multiply(x).add(coefficients[i]).mod(PRIME);
            }
            shares.add(new Share(holder + 1, y));
        }
        return shares;
    }

    /**
     * The secret from at least {@code threshold} shares with distinct indices (the first {@code threshold} are used).
     * A result that does not fit in 32 bytes means the shares were not of one sharing, which is refused.
     */
    public static byte[] combine(List<Share> shares, int threshold) {
        if (shares.size() < threshold) {
            throw new IllegalArgumentException("need " + threshold + " shares, got " + shares.size());
        }
        List<Share> used = shares.subList(0, threshold);
        Set<Integer> indices = new HashSet<>();
        for (Share share : used) {
            if (!indices.add(share.x())) {
                throw new IllegalArgumentException("two shares at index " + share.x());
            }
        }
        // Lagrange at 0: secret = sum_i y_i * prod_(j != i) x_j / prod_(j != i) (x_j - x_i). The denominators are
        // inverted together with one modInverse (Montgomery's trick), the costly step, instead of one each.
        BigInteger[] numerators = new BigInteger[threshold];
        BigInteger[] denominators = new BigInteger[threshold];
        BigInteger[] denominatorPrefix = new BigInteger[threshold + 1];
        denominatorPrefix[0] = BigInteger.ONE;
        for (int i = 0; i < threshold; i++) {
            Share share = used.get(i);
            numerators[i] = BigInteger.ONE;
            denominators[i] = BigInteger.ONE;
            for (Share other : used) {
                if (other != share) {
                    numerators[i] = numerators[i].multiply(BigInteger.valueOf(other.x())).mod(PRIME);
                    denominators[i] = denominators[i].multiply(BigInteger.valueOf(other.x() - (long) share.x()))
                            .mod(PRIME);
                }
            }
            denominatorPrefix[i + 1] = denominatorPrefix[i].multiply(denominators[i]).mod(PRIME);
        }
        // Walking back, inverseOfPrefix is the inverse of the first i + 1 denominators' product.
        BigInteger inverseOfPrefix = denominatorPrefix[threshold].modInverse(PRIME);
        BigInteger secret = BigInteger.ZERO;
        for (int i = threshold - 1; i >= 0; i--) {
            BigInteger inverseDenominator = inverseOfPrefix.multiply(denominatorPrefix[i]).mod(PRIME);
            inverseOfPrefix = inverseOfPrefix.multiply(denominators[i]).mod(PRIME);
            BigInteger lagrangeAtZero = numerators[i].multiply(inverseDenominator);
            secret = secret.add(used.get(i).y().multiply(lagrangeAtZero)).mod(PRIME);
        }
        if (secret.bitLength() > 8 * SECRET_BYTES) {
            throw new IllegalArgumentException("shares are inconsistent: they interpolate to no 32-byte secret");
        }
        byte[] magnitude = secret.toByteArray();
        byte[] fixed = new byte[SECRET_BYTES];
        int copy = Math.min(magnitude.length, SECRET_BYTES);
        System.arraycopy(magnitude, magnitude.length - copy, fixed, SECRET_BYTES - copy, copy);
        return fixed;
    }

    private BigInteger randomFieldElement() {
        BigInteger candidate;
        do {
            candidate = new BigInteger(521, random);
        } while (candidate.compareTo(PRIME) >= 0);
        return candidate;
    }
}
