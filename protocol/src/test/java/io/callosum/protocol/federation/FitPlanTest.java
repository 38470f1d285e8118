package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitPlanTest {
    private static final FitPlan ANNEALED = new FitPlan(3, 5, 1e-3, 100, 10, 32, "class-balanced", "sigreg", 0.5,
            Map.of(Modality.OMICS, 0.2), 0, ModelPlan.defaults());

    @Test
    void aPlanSurvivesTheFitInsConfig() {
        assertEquals(ANNEALED, FitPlan.from(ANNEALED.toConfig()));
    }

    /** A coordinator from before learning-rate schedules sends neither key: its sites keep a constant rate. */
    @Test
    void noDecayKeysMeanAConstantRate() {
        Map<String, Scalar> config = ANNEALED.toConfig();
        config.remove("callosum.fit.lr_decay_steps");
        config.remove("callosum.fit.lr_decay_start");
        FitPlan plan = FitPlan.from(config);
        assertEquals(0, plan.decaySteps());
        assertEquals(0, plan.decayStart());
    }

    /** A coordinator from before batch sampling was configurable sends no key: its sites draw uniformly. */
    @Test
    void noSamplingKeyMeansUniformBatches() {
        Map<String, Scalar> config = ANNEALED.toConfig();
        config.remove("callosum.fit.batch_sampling");
        assertEquals(FitPlan.UNIFORM_SAMPLING, FitPlan.from(config).batchSampling());
    }

    @Test
    void aDecayThatStartsPastItsEndIsRefused() {
        Map<String, Scalar> config = ANNEALED.toConfig();
        config.put("callosum.fit.lr_decay_start", ScalarMaps.of(101L));
        ConfigFormatException refusal = assertThrows(ConfigFormatException.class, () -> FitPlan.from(config));
        assertTrue(refusal.getMessage().contains("step 101 of 100"), refusal.getMessage());

        config.put("callosum.fit.lr_decay_start", ScalarMaps.of(-1L));
        refusal = assertThrows(ConfigFormatException.class, () -> FitPlan.from(config));
        assertTrue(refusal.getMessage().contains("'callosum.fit.lr_decay_start' must be 0 or a positive int"),
                refusal.getMessage());
    }

    @Test
    void aModalitysOwnLambdaOverridesThePlansAndTheOthersKeepIt() {
        FitPlan plan = FitPlan.from(ANNEALED.toConfig());
        assertEquals(0.2, plan.lambda(Modality.OMICS));
        assertEquals(0.5, plan.lambda(Modality.EEG));
        assertEquals(0.5, plan.lambda(Modality.IMAGING));
    }

    /** A coordinator from before per-modality λ sends only the plan's: every encoder uses it. */
    @Test
    void noModalityLambdaKeysMeanOneLambdaThroughout() {
        Map<String, Scalar> config = ANNEALED.toConfig();
        config.remove("callosum.fit.lambda.omics");
        FitPlan plan = FitPlan.from(config);
        assertEquals(Map.of(), plan.modalityLambdas());
        assertEquals(0.5, plan.lambda(Modality.OMICS));
        assertEquals(plan, FitPlan.from(plan.toConfig()));
    }

    @Test
    void aLambdaForWhatHasNoEncoderIsRefusedByItsKey() {
        Map<String, Scalar> config = ANNEALED.toConfig();
        config.put("callosum.fit.lambda.shared", ScalarMaps.of(0.1));
        ConfigFormatException refusal = assertThrows(ConfigFormatException.class, () -> FitPlan.from(config));
        assertTrue(refusal.getMessage().contains("'callosum.fit.lambda.shared' names shared, which has no encoder"),
                refusal.getMessage());

        config.remove("callosum.fit.lambda.shared");
        config.put("callosum.fit.lambda.mri", ScalarMaps.of(0.1));
        refusal = assertThrows(ConfigFormatException.class, () -> FitPlan.from(config));
        assertTrue(refusal.getMessage().contains("'callosum.fit.lambda.mri' names no modality"), refusal.getMessage());

        config.remove("callosum.fit.lambda.mri");
        config.put("callosum.fit.lambda.eeg", ScalarMaps.of("low"));
        refusal = assertThrows(ConfigFormatException.class, () -> FitPlan.from(config));
        assertTrue(refusal.getMessage().contains("'callosum.fit.lambda.eeg' must be a number"), refusal.getMessage());
    }
}
