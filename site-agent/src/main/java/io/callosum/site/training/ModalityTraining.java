package io.callosum.site.training;

import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.diagnostics.EffectiveRank;
import io.callosum.encoders.diagnostics.LinearProbe;
import io.callosum.encoders.diagnostics.ProbeSplit;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.StepResult;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** One modality at one site: its training and held-out subjects and the JEPA trainer of its encoder. */
final class ModalityTraining implements AutoCloseable {
    private static final LinearProbe PROBE = new LinearProbe(1e-3);
    private static final int EVALUATION_MASKS = 4;

    private final ModalityDataset train;
    private final ModalityDataset heldOut;
    private final EncoderConfig encoderConfig;
    private final long seed;
    private final long samplingSeed;
    private JepaTrainer trainer;
    private long stepsDone;

    /**
     * {@code config}'s seed fixes the initial weights every site shares and the masks of held-out evaluation;
     * {@code samplingSeed} this site's own stream of training batches and masks.
     */
    ModalityTraining(ModalityDataset train, ModalityDataset heldOut, EncoderConfig encoderConfig, JepaConfig config,
                     long samplingSeed) {
        this.train = train;
        this.heldOut = heldOut;
        this.encoderConfig = encoderConfig;
        this.seed = config.seed();
        this.samplingSeed = samplingSeed;
        this.trainer = new JepaTrainer(train, encoderConfig, config);
    }

    Modality modality() {
        return train.modality();
    }

    int trainSubjects() {
        return train.size();
    }

    int heldOutSubjects() {
        return heldOut.size();
    }

    TensorSet parameters() {
        return trainer.parameters();
    }

    void load(TensorSet tensors) {
        trainer.load(tensors);
    }

    /**
     * Starts a round's local training with its objective and optimizer settings and a fresh optimizer, as a Flower
     * client builds a new optimizer in every fit: the moments a site accumulated on its own previous trajectory point
     * away from the global model it has just been sent (in a replay of the demo's 5 rounds in one process, keeping
     * them left the global EEG encoder's probe 5 to 8 points lower and the imaging one 5 points lower). The weights
     * carry over; the site's sampling seed moves on with the steps done, so that a new round does not replay the
     * batches and masks of the first.
     */
    void startRound(FitSettings settings) {
        JepaConfig wanted = settings.jepaConfig(modality(), samplingSeed + stepsDone);
        TensorSet weights = trainer.parameters();
        JepaTrainer rebuilt = new JepaTrainer(train, encoderConfig, wanted);
        rebuilt.load(weights);
        trainer.close();
        trainer = rebuilt;
    }

    /** The current encoder's pooled embeddings of the training subjects, or of the held-out ones. */
    SubjectEmbeddings embeddings(boolean heldOutSubjects) {
        return SubjectEmbeddings.of(heldOutSubjects ? heldOut : train, trainer);
    }

    void anchorAtCurrentWeights(float mu) {
        trainer.setProximalAnchor(mu);
    }

    /** Trains {@code steps} steps; the losses are means over them. */
    Map<String, Double> train(int steps) {
        double loss = 0;
        double prediction = 0;
        double regularizer = 0;
        for (int i = 0; i < steps; i++) {
            StepResult step = trainer.step();
            stepsDone++;
            if (!Float.isFinite(step.loss())) {
                throw new IllegalStateException(modality() + " loss became " + step.loss() + " at local step "
                        + (i + 1) + "; lower the learning rate");
            }
            loss += step.loss();
            prediction += step.prediction();
            regularizer += step.regularizer();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "loss", loss / steps);
        put(metrics, "prediction_loss", prediction / steps);
        put(metrics, "regularizer", regularizer / steps);
        put(metrics, "examples", train.size());
        return metrics;
    }

    /** Held-out loss, and the probe fitted on the training subjects' embeddings and scored on the held-out ones. */
    Map<String, Double> evaluate() {
        StepResult loss = trainer.lossOn(heldOut.inputs(), EVALUATION_MASKS, seed);
        float[][] trainEmbeddings = trainer.embed(train.inputs());
        float[][] heldOutEmbeddings = trainer.embed(heldOut.inputs());
        float[][] all = concat(trainEmbeddings, heldOutEmbeddings);
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "loss", loss.loss());
        put(metrics, "prediction_loss", loss.prediction());
        put(metrics, "examples", heldOut.size());
        if (train.labelled() && heldOut.labelled()) {
            ProbeSplit split = new ProbeSplit(IntStream.range(0, train.size()).toArray(),
                    IntStream.range(train.size(), all.length).toArray());
            int[] labels = IntStream.concat(Arrays.stream(train.diagnoses()), Arrays.stream(heldOut.diagnoses()))
                    .toArray();
            put(metrics, "probe_accuracy", PROBE.accuracy(split, all, labels));
        }
        put(metrics, "effective_rank", EffectiveRank.of(all) / encoderConfig.dim());
        return metrics;
    }

    private void put(Map<String, Double> metrics, String name, double value) {
        metrics.put(name + "." + modality().tag(), value);
    }

    private static float[][] concat(float[][] first, float[][] second) {
        float[][] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
