package io.callosum.alignment.binding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.jepa.GradientTape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * ImageBind-style anchor binding, one site's local part (Girdhar et al. 2023): every modality the site holds is
 * bound only to the anchor modality, with the contrastive loss over the subjects observed in both. Heads of
 * modalities never observed together at any site (imaging and EEG when no site holds both) still align, through
 * the anchor's head, which every site trains and aggregation averages. Frozen encoders: the inputs are their
 * pooled embeddings.
 *
 * <p>This is the unit a federated round runs per site: start from the global shared-space tensors, take a few
 * optimizer steps, return the updated tensors and metrics.
 */
public final class AnchorBinding {
    private AnchorBinding() {
    }

    /**
     * Trains the heads of {@code site}'s modalities and the anchor's, starting from {@code current} (which may hold
     * more heads than the site uses), and returns them updated. Modalities with fewer than 2 subjects also in the
     * anchor are left out. Refuses, naming what was wrong, two embedding sets of one modality, a missing anchor, no
     * modality paired with the anchor (subject ids that do not match), a head missing from {@code current}, and
     * embeddings of another width than their head takes.
     */
    public static BindingResult train(Collection<SubjectEmbeddings> site, TensorSet current, BindingConfig config) {
        Map<Modality, SubjectEmbeddings> byModality = byModality(site);
        Modality anchorModality = config.anchor();
        SubjectEmbeddings anchor = byModality.get(anchorModality);
        if (anchor == null) {
            throw new IllegalArgumentException("the site gave no embeddings of the anchor modality " + anchorModality
                    + " (it gave " + byModality.keySet() + ")");
        }
        List<SubjectPairs> pairs = pairsWithAnchor(byModality, anchor);
        Map<Modality, Integer> widths = checkedWidths(byModality, pairs, anchorModality, current);
        try (SharedSpace space = new SharedSpace(widths, config.space())) {
            space.load(current);
            try (Trainer trainer = space.newTrainer(config.schedule());
                 NDManager data = trainer.getManager().newSubManager()) {
                return new Run(space, trainer, config, byModality, pairs, data).train();
            }
        }
    }

    private static Map<Modality, SubjectEmbeddings> byModality(Collection<SubjectEmbeddings> site) {
        Map<Modality, SubjectEmbeddings> byModality = new EnumMap<>(Modality.class);
        for (SubjectEmbeddings embeddings : site) {
            if (byModality.put(embeddings.modality(), embeddings) != null) {
                throw new IllegalArgumentException("the site gave two sets of " + embeddings.modality()
                        + " embeddings; give one per modality");
            }
        }
        return byModality;
    }

    private static List<SubjectPairs> pairsWithAnchor(Map<Modality, SubjectEmbeddings> byModality,
                                                      SubjectEmbeddings anchor) {
        List<SubjectPairs> pairs = new ArrayList<>();
        List<String> unpaired = new ArrayList<>();
        for (SubjectEmbeddings embeddings : byModality.values()) {
            if (embeddings.modality() == anchor.modality()) {
                continue;
            }
            SubjectPairs paired = SubjectPairs.of(embeddings, anchor);
            if (paired.size() >= 2) {
                pairs.add(paired);
            } else {
                unpaired.add(embeddings.modality() + " shares " + paired.size() + " subject id(s) with it (first "
                        + embeddings.modality() + " id '" + embeddings.subjects().get(0) + "', first "
                        + anchor.modality() + " id '" + anchor.subjects().get(0) + "')");
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no modality has at least 2 subjects also observed in the anchor "
                    + anchor.modality() + (unpaired.isEmpty() ? ": the site gave only the anchor"
                    : ": " + String.join("; ", unpaired)));
        }
        return pairs;
    }

    private static Map<Modality, Integer> checkedWidths(Map<Modality, SubjectEmbeddings> byModality,
                                                        List<SubjectPairs> pairs, Modality anchor,
                                                        TensorSet current) {
        Map<Modality, Integer> given = SharedSpace.inputWidths(current);
        Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
        List<Modality> trained = new ArrayList<>(pairs.stream().map(SubjectPairs::modality).toList());
        trained.add(anchor);
        for (Modality modality : trained) {
            Integer headWidth = given.get(modality);
            if (headWidth == null) {
                throw new IllegalArgumentException("the given shared-space parameters hold no " + modality
                        + " head (they hold " + given.keySet() + ")");
            }
            int width = byModality.get(modality).width();
            if (width != headWidth) {
                throw new IllegalArgumentException(modality + " embeddings are " + width + " wide; the " + modality
                        + " head in the given parameters takes " + headWidth);
            }
            widths.put(modality, width);
        }
        return widths;
    }

    /** One local run's state: the pairs' embeddings on the device, the trainer and the batch sampler. */
    private static final class Run {
        private final SharedSpace space;
        private final Trainer trainer;
        private final BindingConfig config;
        private final Modality anchor;
        private final List<SubjectPairs> pairs;
        private final List<NDArray> inputs = new ArrayList<>();
        private final List<NDArray> anchorInputs = new ArrayList<>();
        private final ParameterStore store;
        private final Random random;

        Run(SharedSpace space, Trainer trainer, BindingConfig config, Map<Modality, SubjectEmbeddings> site,
            List<SubjectPairs> pairs, NDManager data) {
            this.space = space;
            this.trainer = trainer;
            this.config = config;
            this.anchor = config.anchor();
            this.pairs = pairs;
            this.store = new ParameterStore(trainer.getManager(), false);
            this.random = new Random(config.seed());
            for (SubjectPairs pair : pairs) {
                inputs.add(rows(data, pair.rows(), site.get(pair.modality()).vectors()));
                anchorInputs.add(rows(data, pair.anchorRows(), site.get(anchor).vectors()));
            }
        }

        BindingResult train() {
            double[] before = evaluate();
            float[] losses = new float[config.steps()];
            for (int step = 0; step < losses.length; step++) {
                losses[step] = GradientTape.exclusively(this::step);
            }
            double[] after = evaluate();
            List<PairMetrics> metrics = new ArrayList<>();
            Set<String> subjects = new HashSet<>();
            for (int p = 0; p < pairs.size(); p++) {
                SubjectPairs pair = pairs.get(p);
                metrics.add(new PairMetrics(pair.modality(), anchor, pair.size(), before[p], after[p]));
                subjects.addAll(pair.subjects());
            }
            return new BindingResult(space.parameters(), subjects.size(), metrics, losses);
        }

        private float step() {
            try (NDManager batch = trainer.getManager().newSubManager()) {
                float loss;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray total = null;
                    for (int p = 0; p < pairs.size(); p++) {
                        NDArray rows = batch.create(sample(pairs.get(p).size()));
                        NDArray pairLoss = pairLoss(p, rows, true);
                        total = total == null ? pairLoss : total.add(pairLoss);
                    }
                    total = total.div(pairs.size());
                    collector.backward(total);
                    loss = total.getFloat();
                }
                trainer.step();
                return loss;
            }
        }

        /** Each pair's loss over all its subjects, in consecutive batches of the configured size. */
        private double[] evaluate() {
            double[] losses = new double[pairs.size()];
            for (int p = 0; p < pairs.size(); p++) {
                int n = pairs.get(p).size();
                for (long[] chunk : chunks(n)) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray rows = batch.create(chunk);
                        losses[p] += pairLoss(p, rows, false).getFloat() * chunk.length / n;
                    }
                }
            }
            return losses;
        }

        private NDArray pairLoss(int pair, NDArray rows, boolean training) {
            NDIndex index = new NDIndex("{}", rows);
            NDArray a = space.forward(store, pairs.get(pair).modality(), inputs.get(pair).get(index), training);
            NDArray b = space.forward(store, anchor, anchorInputs.get(pair).get(index), training);
            return space.loss(store, a, b, training);
        }

        /** Distinct rows, as many as a batch holds or the pair has: contrastive negatives must be other subjects. */
        private long[] sample(int n) {
            int size = Math.min(n, config.batchSize());
            long[] order = new long[n];
            Arrays.setAll(order, i -> i);
            for (int i = 0; i < size; i++) {
                int j = i + random.nextInt(n - i);
                long swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            return Arrays.copyOf(order, size);
        }

        /** Consecutive batches covering 0..n−1, none smaller than 2 (a last single row joins the batch before). */
        private List<long[]> chunks(int n) {
            List<long[]> chunks = new ArrayList<>();
            int start = 0;
            while (start < n) {
                int end = Math.min(n, start + config.batchSize());
                if (n - end == 1) {
                    end = n;
                }
                int from = start;
                long[] chunk = new long[end - start];
                Arrays.setAll(chunk, i -> from + i);
                chunks.add(chunk);
                start = end;
            }
            return chunks;
        }

        private static NDArray rows(NDManager manager, int[] rows, float[][] vectors) {
            float[][] selected = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                selected[i] = vectors[rows[i]];
            }
            return manager.create(selected);
        }
    }
}
