package io.callosum.site.training;

import io.callosum.alignment.binding.AnchorBinding;
import io.callosum.alignment.binding.BindingConfig;
import io.callosum.alignment.binding.BindingResult;
import io.callosum.alignment.binding.PairMetrics;
import io.callosum.alignment.retrieval.CrossModalRetrieval;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A site's side of the alignment phase: the federation's frozen encoders embed the site's subjects, and the shared
 * space's heads are bound to the anchor modality on its training subjects (fit) or scored by cross-modal retrieval
 * on its held-out ones (evaluate). Only the shared-space tensors and aggregate metrics come out.
 */
public final class LocalAlignment {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAlignment.class);
    private static final Set<Modality> SHARED = EnumSet.of(Modality.SHARED);
    private static final int[] RECALL_AT = {1, 10};

    private final String site;
    private final LocalTraining training;

    public LocalAlignment(String site, LocalTraining training) {
        this.site = site;
        this.training = training;
    }

    /**
     * Why this site cannot take part in binding to {@code anchor}, or empty when it can: it must hold the anchor and
     * at least one other modality, since binding pairs a modality with the anchor on the same subjects.
     */
    public Optional<String> refusal(Modality anchor) {
        Set<Modality> held = training.modalities().keySet();
        if (!held.contains(anchor)) {
            return Optional.of("site " + site + " holds no " + anchor + " data, the alignment anchor (it holds "
                    + held + ")");
        }
        if (held.size() < 2) {
            return Optional.of("site " + site + " holds only the anchor modality " + anchor
                    + "; binding needs another modality of the same subjects");
        }
        return Optional.empty();
    }

    /**
     * Loads the global encoders, embeds the training subjects with them and binds the site's heads to the anchor,
     * starting from the global shared-space tensors; the update is the shared-space tensors alone, weighted by the
     * number of subjects paired with the anchor.
     */
    public FitOutcome fit(TensorSet global, BindingConfig config) {
        long start = System.nanoTime();
        training.loadEncoders(global);
        BindingResult result = AnchorBinding.train(embeddings(false), global.select(SHARED), config);
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (PairMetrics pair : result.pairs()) {
            String key = pairKey(pair.modality(), pair.anchor());
            metrics.put("alignment_loss_before." + key, pair.lossBefore());
            metrics.put("alignment_loss." + key, pair.lossAfter());
            metrics.put("alignment_pairs." + key, (double) pair.subjects());
        }
        metrics.put("train_seconds", (System.nanoTime() - start) / 1e9);
        LOG.info("[site {}] aligned {} to {} over {} subjects: {}", site, result.pairs().stream()
                .map(PairMetrics::modality).toList(), config.anchor(), result.subjects(), metrics);
        return new FitOutcome(result.parameters(), result.subjects(), metrics);
    }

    /**
     * Retrieval on the held-out subjects: each held modality's shared-space embedding queries the anchor's held-out
     * subjects for the same subject. Reports R@1 and R@10 with their chance levels per pair; the loss is the mean
     * share of queries whose own record is not ranked first.
     */
    public EvaluationOutcome evaluate(TensorSet global, AlignmentConfig config, Modality anchor) {
        training.loadEncoders(global);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<RetrievalReport> reports = new ArrayList<>();
        try (SharedSpace space = SharedSpace.of(global.select(SHARED), config)) {
            SubjectEmbeddings bank = space.project(training.modalities().get(anchor).embeddings(true));
            Set<String> banked = Set.copyOf(bank.subjects());
            for (SubjectEmbeddings heldOut : embeddings(true)) {
                if (heldOut.modality() == anchor) {
                    continue;
                }
                Optional<SubjectEmbeddings> queries = restrict(space.project(heldOut), banked);
                if (queries.isEmpty()) {
                    continue;
                }
                RetrievalReport report = CrossModalRetrieval.evaluate(queries.get(), bank);
                reports.add(report);
                String key = pairKey(heldOut.modality(), anchor);
                for (int k : RECALL_AT) {
                    metrics.put("retrieval_r" + k + "." + key, report.recallAt(k));
                    metrics.put("retrieval_chance_r" + k + "." + key, report.chanceAt(k));
                }
            }
        }
        double loss = reports.stream().mapToDouble(r -> 1 - r.recallAt(1)).average().orElse(1);
        LOG.info("[site {}] retrieval on {} held-out {} subjects: {}", site, training.modalities().get(anchor)
                .heldOutSubjects(), anchor, metrics);
        return new EvaluationOutcome(loss, training.modalities().get(anchor).heldOutSubjects(), metrics);
    }

    private List<SubjectEmbeddings> embeddings(boolean heldOut) {
        List<SubjectEmbeddings> embeddings = new ArrayList<>();
        training.modalities().values().forEach(modality -> embeddings.add(modality.embeddings(heldOut)));
        return embeddings;
    }

    /** The rows of subjects also in {@code subjects}, or empty when there are none. */
    private static Optional<SubjectEmbeddings> restrict(SubjectEmbeddings embeddings, Set<String> subjects) {
        List<String> kept = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            if (subjects.contains(embeddings.subjects().get(i))) {
                kept.add(embeddings.subjects().get(i));
                vectors.add(embeddings.vectors()[i]);
            }
        }
        return kept.isEmpty() ? Optional.empty()
                : Optional.of(new SubjectEmbeddings(embeddings.modality(), kept, vectors.toArray(float[][]::new)));
    }

    private static String pairKey(Modality modality, Modality anchor) {
        return modality.tag() + "_" + anchor.tag();
    }
}
