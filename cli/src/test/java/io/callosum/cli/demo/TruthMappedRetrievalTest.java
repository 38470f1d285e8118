package io.callosum.cli.demo;

import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.encoders.synth.SubjectState;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The truth-mapped reference finds held-out subjects across two "modalities" whose embeddings are two different
 * linear mixtures of the subject's truth, and stays near chance when the embeddings carry none of it.
 */
class TruthMappedRetrievalTest {
    private static final int WIDTH = 16;

    private final Cohort training = new CohortGenerator(CohortSpec.defaults(150, 1, 3)).plan();
    private final Cohort heldOut = new CohortGenerator(CohortSpec.defaults(100, 1, 4)).plan();
    private final TruthMappedRetrieval reference = new TruthMappedRetrieval(training, heldOut);

    @Test
    void embeddingsThatCarryTheTruthFindTheirSubjects() {
        RetrievalReport report = reference.evaluate(mixed(training, 1, 0.1), mixed(heldOut, 1, 0.1),
                mixed(training, 2, 0.1), mixed(heldOut, 2, 0.1));
        assertTrue(report.recallAt(1) > 0.5, "R@1 " + report.recallAt(1));
        assertTrue(report.recallAt(10) > 0.9, "R@10 " + report.recallAt(10));
    }

    @Test
    void embeddingsOfNoiseStayNearChance() {
        RetrievalReport report = reference.evaluate(mixed(training, 1, 1e6), mixed(heldOut, 1, 1e6),
                mixed(training, 2, 1e6), mixed(heldOut, 2, 1e6));
        assertTrue(report.recallAt(10) < 3 * report.chanceAt(10), "R@10 " + report.recallAt(10) + " vs chance "
                + report.chanceAt(10));
    }

    /** Each subject's phenotype and severity through a fixed random mixing (seeded by {@code modality}), plus noise. */
    private static SubjectEmbeddings mixed(Cohort cohort, long modality, double noise) {
        Random mixing = new Random(modality);
        double[][] weights = new double[WIDTH][6];
        for (double[] row : weights) {
            for (int k = 0; k < row.length; k++) {
                row[k] = mixing.nextGaussian();
            }
        }
        Random draws = new Random(cohort.spec().seed() * 31 + modality);
        List<SubjectState> subjects = cohort.subjects();
        float[][] vectors = new float[subjects.size()][WIDTH];
        for (int i = 0; i < subjects.size(); i++) {
            double[] phenotype = subjects.get(i).phenotype().values();
            for (int j = 0; j < WIDTH; j++) {
                double value = weights[j][5] * subjects.get(i).severity() + noise * draws.nextGaussian();
                for (int k = 0; k < phenotype.length; k++) {
                    value += weights[j][k] * phenotype[k];
                }
                vectors[i][j] = (float) value;
            }
        }
        return new SubjectEmbeddings(Modality.IMAGING, subjects.stream().map(SubjectState::id).toList(), vectors);
    }
}
