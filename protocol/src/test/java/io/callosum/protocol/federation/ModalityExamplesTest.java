package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModalityExamplesTest {

    @Test
    void eachModalityWeighsItsOwnExamplesAndTheRestTheTotal() {
        Map<String, Scalar> metrics = new LinkedHashMap<>();
        metrics.put("examples.omics", ScalarMaps.of(56.0));
        metrics.put("examples.eeg", ScalarMaps.of(40L));
        metrics.put("loss.omics", ScalarMaps.of(0.3));
        ModalityExamples examples = ModalityExamples.in(96, metrics, "fit_res");
        assertEquals(56, examples.of(Modality.OMICS));
        assertEquals(40, examples.of(Modality.EEG));
        assertEquals(96, examples.of(Modality.SHARED));
        assertEquals(ModalityExamples.uniform(7).of(Modality.IMAGING), 7);
    }

    @Test
    void aCountThatIsNoWholePositiveNumberIsRefusedByName() {
        for (Scalar bad : new Scalar[] {ScalarMaps.of(-4L), ScalarMaps.of(0.0), ScalarMaps.of(2.5),
                ScalarMaps.of(Double.NaN), ScalarMaps.of(Double.POSITIVE_INFINITY), ScalarMaps.of("many")}) {
            ConfigFormatException refusal = assertThrows(ConfigFormatException.class,
                    () -> ModalityExamples.in(10, Map.of("examples.imaging", bad), "fit_res"));
            assertTrue(refusal.getMessage().startsWith("fit_res: 'examples.imaging'"), refusal.getMessage());
        }
        ConfigFormatException inflated = assertThrows(ConfigFormatException.class,
                () -> ModalityExamples.in(10, Map.of("examples.omics", ScalarMaps.of(11L)), "fit_res"));
        assertEquals("fit_res: 'examples.omics' is 11, more than the 10 examples of the whole update",
                inflated.getMessage());
        ConfigFormatException none = assertThrows(ConfigFormatException.class,
                () -> ModalityExamples.in(0, Map.of(), "fit_res"));
        assertEquals("fit_res: num_examples must be > 0, got 0", none.getMessage());
    }

    @Test
    void maskedInputWeightsTravelPerModalityAndMustLieInTheUnitInterval() {
        Map<Modality, Double> weights = Map.of(Modality.IMAGING, 0.25, Modality.OMICS, 1.0);
        Map<String, Scalar> entries = SecureFitEntries.weightEntries(weights);
        assertEquals(weights, SecureFitEntries.weights(entries, weights.keySet(), "fit_ins config"));

        ConfigFormatException missing = assertThrows(ConfigFormatException.class, () -> SecureFitEntries.weights(
                entries, EnumSet.of(Modality.EEG), "fit_ins config"));
        assertTrue(missing.getMessage().contains("callosum.secagg.weight.eeg"), missing.getMessage());
        entries.put("callosum.secagg.weight.omics", ScalarMaps.of(1.5));
        ConfigFormatException outside = assertThrows(ConfigFormatException.class, () -> SecureFitEntries.weights(
                entries, weights.keySet(), "fit_ins config"));
        assertEquals("fit_ins config: 'callosum.secagg.weight.omics' must be in (0, 1], got 1.5",
                outside.getMessage());
    }
}
