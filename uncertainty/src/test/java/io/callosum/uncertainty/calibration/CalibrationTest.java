package io.callosum.uncertainty.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callosum.uncertainty.SyntheticClasses;
import io.callosum.uncertainty.stats.Probabilities;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    private static final int BINS = 15;
    /** The over-confident model's logits are the Bayes-optimal ones times this factor, so T should come out near it. */
    private static final double OVER_CONFIDENCE = 3;

    @Test
    void eceIsTheCountWeightedGapBetweenAccuracyAndConfidence() {
        double[][] p = {{0.9, 0.1}, {0.8, 0.2}, {0.3, 0.7}, {0.6, 0.4}};
        int[] labels = {0, 1, 1, 0};
        ReliabilityDiagram diagram = ReliabilityDiagram.of(p, labels, 10);
        assertEquals(4, diagram.subjects());
        assertEquals((0.1 + 0.8 + 0.3 + 0.4) / 4, diagram.expectedCalibrationError(), 1e-12);
        assertEquals(0.75, diagram.accuracy(), 1e-12);
        ReliabilityBin seventy = diagram.bins().get(6);
        assertEquals(0.6, seventy.lower(), 1e-12);
        assertEquals(0.7, seventy.upper(), 1e-12);
        assertEquals(1, seventy.count(), "confidence 0.7 falls in (0.6, 0.7]");
        assertTrue(Double.isNaN(diagram.bins().get(0).confidence()));
    }

    @Test
    void theBayesOptimalModelIsCalibratedAlready() {
        SyntheticClasses data = SyntheticClasses.generate(20_000, 1, 31);
        ReliabilityDiagram diagram = ReliabilityDiagram.of(data.probabilities(), data.labels(), BINS);
        assertTrue(diagram.expectedCalibrationError() < 0.02, "ECE " + diagram.expectedCalibrationError());
        double temperature = TemperatureScaling.fit(data.logits(), data.labels()).temperature();
        assertTrue(Math.abs(temperature - 1) < 0.05, "T " + temperature);
    }

    @Test
    void temperatureScalingRepairsAnOverConfidentModel() {
        SyntheticClasses calibration = SyntheticClasses.generate(10_000, OVER_CONFIDENCE, 32);
        SyntheticClasses evaluation = SyntheticClasses.generate(10_000, OVER_CONFIDENCE, 33);
        CalibrationReport report = CalibrationReport.of(calibration.logits(), calibration.labels(),
                evaluation.logits(), evaluation.labels(), BINS);
        assertTrue(Math.abs(report.temperature() - OVER_CONFIDENCE) < 0.3, "T " + report.temperature());
        assertTrue(report.eceBefore() > 0.05, "ECE before " + report.eceBefore());
        assertTrue(report.eceAfter() < 0.02, "ECE after " + report.eceAfter());
        assertEquals(report.before().accuracy(), report.after().accuracy(), 1e-12,
                "a temperature never changes the top label");
    }

    @Test
    void fittedTemperatureMinimizesTheNegativeLogLikelihood() {
        SyntheticClasses data = SyntheticClasses.generate(5_000, OVER_CONFIDENCE, 34);
        double t = TemperatureScaling.fit(data.logits(), data.labels()).temperature();
        double best = TemperatureScaling.negativeLogLikelihood(data.logits(), data.labels(), t);
        for (double factor : new double[] {0.9, 0.99, 1.01, 1.1}) {
            assertTrue(best <= TemperatureScaling.negativeLogLikelihood(data.logits(), data.labels(), t * factor),
                    "NLL at T·" + factor + " below the fitted T");
        }
        double[][] calibrated = new TemperatureScaling(t).calibrate(data.logits());
        assertEquals(Probabilities.softmax(data.logits()[0], t)[1], calibrated[0][1], 1e-12);
    }

    @Test
    void refusesBadInput() {
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> ReliabilityDiagram.of(new double[][] {{0.6, 0.6}}, new int[] {0}, 10));
        assertTrue(sum.getMessage().contains("sums to 1.2"), sum.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fit(new double[][] {{1, 2}, {2, 1}}, new int[] {0}));
        assertTrue(lengths.getMessage().contains("mismatched lengths"), lengths.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> TemperatureScaling.fit(new double[][] {{1, Double.NaN}}, new int[] {0}));
        assertTrue(nan.getMessage().contains("calibration logits row 0 entry 1 is NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TemperatureScaling(0));
        assertThrows(IllegalArgumentException.class,
                () -> ReliabilityDiagram.of(new double[][] {{0.5, 0.5}}, new int[] {0}, 0));
    }
}
