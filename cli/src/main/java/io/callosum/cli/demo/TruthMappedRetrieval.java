package io.callosum.cli.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.callosum.alignment.retrieval.CrossModalRetrieval;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.encoders.synth.SubjectState;

import java.util.HashMap;
import java.util.Map;

/**
 * How far retrieval could go with these frozen encoders, whatever the heads: each modality's embeddings mapped by
 * ridge regression onto what the generator knows of the subject (its phenotype's clinical components and traits,
 * severity and diagnosis), fitted on the training sites' subjects and applied to the held-out ones, which are then
 * ranked by cosine of their standardized predictions. It uses the truth the heads never see, so heads that reach it
 * are as good as these embeddings allow; when it is near chance too, it is the encoders, or the data, that lack
 * what identifies a subject across modalities.
 */
final class TruthMappedRetrieval {
    /** Ridge weight on standardized embeddings: of the order of the 64-wide embedding, against ~100–170 subjects. */
    private static final float RIDGE = 100f;

    private final Map<String, double[]> trainingTruth;
    private final Map<String, double[]> heldOutTruth;

    TruthMappedRetrieval(Cohort training, Cohort heldOut) {
        this.trainingTruth = truth(training);
        this.heldOutTruth = truth(heldOut);
    }

    /** Retrieval of {@code query}'s held-out subjects among {@code bank}'s, through their predicted truth. */
    RetrievalReport evaluate(SubjectEmbeddings queryTraining, SubjectEmbeddings queryHeldOut,
                             SubjectEmbeddings bankTraining, SubjectEmbeddings bankHeldOut) {
        return CrossModalRetrieval.evaluate(predicted(queryTraining, queryHeldOut),
                predicted(bankTraining, bankHeldOut));
    }

    /** The held-out subjects' truth as predicted from their embeddings, standardized per component. */
    private SubjectEmbeddings predicted(SubjectEmbeddings training, SubjectEmbeddings heldOut) {
        int n = training.size();
        int d = training.width();
        float[][] targets = new float[n][];
        for (int i = 0; i < n; i++) {
            targets[i] = floats(truthOf(trainingTruth, training.subjects().get(i)));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(training.vectors());
            NDArray mean = x.mean(new int[] {0});
            NDArray scale = x.sub(mean).square().mean(new int[] {0}).sqrt().add(1e-6f);
            NDArray a = x.sub(mean).div(scale);
            NDArray y = manager.create(targets);
            NDArray yMean = y.mean(new int[] {0});
            NDArray weights = a.transpose().matMul(a).add(manager.eye(d).mul(RIDGE)).inverse()
                    .matMul(a.transpose().matMul(y.sub(yMean)));
            NDArray predicted = manager.create(heldOut.vectors()).sub(mean).div(scale).matMul(weights).add(yMean);
            NDArray centred = predicted.sub(predicted.mean(new int[] {0}));
            NDArray standardized = centred.div(centred.square().mean(new int[] {0}).sqrt().add(1e-6f));
            float[] flat = standardized.toFloatArray();
            int width = (int) standardized.getShape().get(1);
            float[][] rows = new float[heldOut.size()][width];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(flat, i * width, rows[i], 0, width);
            }
            return new SubjectEmbeddings(heldOut.modality(), heldOut.subjects(), rows);
        }
    }

    private static Map<String, double[]> truth(Cohort cohort) {
        Map<String, double[]> truth = new HashMap<>();
        for (SubjectState subject : cohort.subjects()) {
            double[] phenotype = subject.phenotype().values();
            double[] row = new double[phenotype.length + 1 + CohortSpec.CLASSES];
            System.arraycopy(phenotype, 0, row, 0, phenotype.length);
            row[phenotype.length] = subject.severity();
            row[phenotype.length + 1 + subject.diagnosis()] = 1;
            truth.put(subject.id(), row);
        }
        return truth;
    }

    private static double[] truthOf(Map<String, double[]> truth, String subject) {
        double[] row = truth.get(subject);
        if (row == null) {
            throw new IllegalArgumentException("subject '" + subject + "' is not in the generated cohort");
        }
        return row;
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
