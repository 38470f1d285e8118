package io.callosum.protocol.privacy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdpAccountantTest {
    private static final double DELTA = 1e-5;

    @Test
    void theReferenceAnalyticGaussianMatchesKnownValues() {
        // scipy.stats.norm.cdf
        assertEquals(0.0013498980316300933, AnalyticGaussian.phi(-3), 1e-12 * 0.00135);
        assertEquals(2.866515718791933e-07, AnalyticGaussian.phi(-5), 1e-11 * 2.9e-7);
        assertEquals(0.6179114221889526, AnalyticGaussian.phi(0.3), 1e-14);
        // Bisection with scipy's Φ on the same formula gives 4.377178 for z = 1, δ = 1e-5.
        assertEquals(4.377178, AnalyticGaussian.epsilon(1, DELTA), 1e-5);
    }

    @Test
    void oneGaussianIsBoundedAboveTheExactEpsilonAndCloseToIt() {
        for (double z : new double[] {0.5, 1, 2, 5, 20}) {
            double exact = AnalyticGaussian.epsilon(z, DELTA);
            double rdp = RdpAccountant.empty().plusGaussian(z).epsilon(DELTA).epsilon();
            assertTrue(rdp >= exact, "z = " + z + ": RDP ε " + rdp + " undercuts the exact ε " + exact);
            assertTrue(rdp <= 1.12 * exact, "z = " + z + ": RDP ε " + rdp + " is loose against the exact " + exact);
        }
    }

    @Test
    void kRoundsAtZAreExactlyOneGaussianAtZOverRootK() {
        for (double z : new double[] {1, 3}) {
            for (int rounds : new int[] {10, 100, 1000}) {
                RdpAccountant composed = RdpAccountant.empty();
                for (int round = 0; round < rounds; round++) {
                    composed = composed.plusGaussian(z);
                }
                RdpAccountant single = RdpAccountant.empty().plusGaussian(z / Math.sqrt(rounds));
                double[] orders = RdpAccountant.orders();
                for (int i = 0; i < orders.length; i++) {
                    assertEquals(single.rdp()[i], composed.rdp()[i], 1e-10 * single.rdp()[i], "order " + orders[i]);
                }
                double epsilon = composed.epsilon(DELTA).epsilon();
                assertEquals(single.epsilon(DELTA).epsilon(), epsilon, 1e-9 * epsilon);
                assertEquals(epsilon, RdpAccountant.empty().plusGaussian(z, rounds).epsilon(DELTA).epsilon(),
                        1e-9 * epsilon);
                assertTrue(epsilon >= AnalyticGaussian.epsilon(z / Math.sqrt(rounds), DELTA));
            }
        }
    }

    @Test
    void theRdpCurveIsAlphaOverTwoZSquaredPerRound() {
        double[] orders = RdpAccountant.orders();
        double[] rdp = RdpAccountant.empty().plusGaussian(2, 3).rdp();
        for (int i = 0; i < orders.length; i++) {
            assertEquals(3 * orders[i] / 8, rdp[i], 1e-12 * rdp[i]);
        }
        assertEquals(1.01, orders[0]);
        assertEquals(16384, orders[orders.length - 1]);
    }

    @Test
    void nothingReleasedCostsNothingAndMoreRoundsOrLessNoiseCostMore() {
        assertEquals(0, RdpAccountant.empty().epsilon(DELTA).epsilon());
        assertEquals(0, RdpAccountant.empty().plusGaussian(1, 0).epsilon(DELTA).epsilon());
        double previous = 0;
        for (int rounds = 1; rounds <= 64; rounds *= 2) {
            double epsilon = RdpAccountant.empty().plusGaussian(1, rounds).epsilon(DELTA).epsilon();
            assertTrue(epsilon > previous, rounds + " rounds");
            previous = epsilon;
        }
        assertTrue(RdpAccountant.empty().plusGaussian(2).epsilon(DELTA).epsilon()
                < RdpAccountant.empty().plusGaussian(1).epsilon(DELTA).epsilon());
    }

    @Test
    void theImprovedConversionIsTighterThanZcdp() {
        for (double z : new double[] {0.7, 1, 4}) {
            for (int rounds : new int[] {1, 50}) {
                double rdp = RdpAccountant.empty().plusGaussian(z, rounds).epsilon(DELTA).epsilon();
                double zcdp = RdpAccountant.zcdpEpsilon(z, rounds, DELTA);
                assertTrue(rdp < zcdp, "z = " + z + ", " + rounds + " rounds: " + rdp + " vs zCDP " + zcdp);
                assertTrue(rdp > 0.8 * zcdp, "zCDP and RDP should agree roughly: " + rdp + " vs " + zcdp);
            }
        }
    }

    @Test
    void noiselessReleasesAndBadDeltasAreRefused() {
        RdpAccountant empty = RdpAccountant.empty();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> empty.plusGaussian(0)).getMessage()
                .contains("unbounded ε"));
        assertThrows(IllegalArgumentException.class, () -> empty.plusGaussian(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> empty.plusGaussian(1, -1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> empty.epsilon(0)).getMessage()
                .contains("delta"));
        assertThrows(IllegalArgumentException.class, () -> empty.epsilon(1));
        assertThrows(IllegalArgumentException.class, () -> RdpAccountant.zcdpEpsilon(1, 1, 1.5));
    }
}
