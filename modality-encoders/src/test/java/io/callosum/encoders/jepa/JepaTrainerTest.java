package io.callosum.encoders.jepa;

import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.diagnostics.EffectiveRank;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pretraining on a small generated cohort, small enough for the test run's budget. */
class JepaTrainerTest {
    private static final EncoderConfig TINY = new EncoderConfig(32, 1, 2, 16, 1, 1, 10);
    private static ModalityDataset omics;

    @TempDir
    static Path cohort;

    @BeforeAll
    static void generate() throws IOException {
        new CohortGenerator(new CohortSpec(120, 1, 21, 16, 2, 64, 200, 10)).write(cohort, n -> { });
        omics = DatasetLoader.load(SiteCatalog.read(cohort.resolve("site-01")), Modality.OMICS);
    }

    @Test
    void predictionLossFallsAndACheckpointRestoresTheEncoder(@TempDir Path checkpoint) throws IOException {
        float[][] embeddings;
        try (JepaTrainer trainer = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG))) {
            double first = 0;
            double last = 0;
            for (int i = 0; i < 80; i++) {
                StepResult step = trainer.step();
                assertTrue(Float.isFinite(step.loss()), "step " + i + " loss " + step.loss());
                if (i < 10) {
                    first += step.prediction() / 10;
                } else if (i >= 70) {
                    last += step.prediction() / 10;
                }
            }
            assertTrue(last < 0.7 * first, "prediction loss " + first + " -> " + last);
            trainer.save(checkpoint);
            embeddings = trainer.embed(omics.inputs());
        }
        try (JepaTrainer restored = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG).withSeed(99))) {
            restored.load(checkpoint);
            assertEquals(80, restored.stepsDone());
            assertArrayEquals(embeddings[7], restored.embed(omics.inputs())[7], 1e-5f);
        }
        EncoderConfig wider = new EncoderConfig(64, 1, 2, 16, 1, 1, 10);
        try (JepaTrainer other = new JepaTrainer(omics, wider, JepaConfig.defaults(Objective.SIGREG))) {
            IOException refusal = assertThrows(IOException.class, () -> other.load(checkpoint));
            assertTrue(refusal.getMessage().contains("checkpoint.properties: made for"), refusal.getMessage());
        }
    }

    @Test
    void vicregAndEmaObjectivesTrainToo() {
        for (Objective objective : new Objective[] {Objective.VICREG, Objective.EMA}) {
            try (JepaTrainer trainer = new JepaTrainer(omics, TINY, JepaConfig.defaults(objective))) {
                for (int i = 0; i < 15; i++) {
                    StepResult step = trainer.step();
                    assertTrue(Float.isFinite(step.loss()), objective + " step " + i + " loss " + step.loss());
                }
            }
        }
    }

    /**
     * Without SIGReg the embeddings slide towards one vector (RankMe falls steadily; measured 18.2 -> 6.4 of 32 in 300
     * steps, 2.5 after 1,000) and away from a Gaussian; with it they keep their rank.
     */
    @Test
    void sigregIsWhatKeepsTheEmbeddingsFromCollapsing() {
        float[] lambdas = {0f, 0.5f};
        double[] rank = new double[2];
        float[] statistic = new float[2];
        double initialRank = 0;
        for (int run = 0; run < 2; run++) {
            JepaConfig config = new JepaConfig(Objective.SIGREG, lambdas[run], 32, 1e-3f, 128, 0.996f, 3);
            try (JepaTrainer trainer = new JepaTrainer(omics, TINY, config)) {
                initialRank = EffectiveRank.of(trainer.embed(omics.inputs()));
                for (int i = 0; i < 300; i++) {
                    trainer.step();
                }
                float[][] embeddings = trainer.embed(omics.inputs());
                rank[run] = EffectiveRank.of(embeddings);
                statistic[run] = trainer.sigRegStatistic(embeddings);
            }
        }
        String figures = "rank " + initialRank + " -> " + rank[0] + " without SIGReg, " + rank[1] + " with; statistic "
                + statistic[0] + " without, " + statistic[1] + " with";
        assertTrue(rank[0] < 0.5 * initialRank, figures);
        assertTrue(rank[1] > 0.9 * initialRank, figures);
        assertTrue(statistic[1] < 0.2 * statistic[0], figures);
    }
}
