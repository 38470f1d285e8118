package io.callosum.cli.demo;

import io.callosum.alignment.retrieval.CrossModalRetrieval;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.cli.demo.report.DemoReport.PairRetrieval;
import io.callosum.protocol.tensor.Modality;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Judges the aligned model centrally on subjects no site held (a generated site holding every modality): retrieval
 * between every two modalities in the shared space beside chance, and beside what the same frozen embeddings allow
 * ({@link TruthMappedRetrieval}). {@link UncertaintyAssessment} says how far its predictions can be trusted.
 */
final class AlignmentAssessment {
    private static final int CURVE_LENGTH = 50;
    static final List<Modality> DATA = List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);

    private final AlignmentConfig space;
    private final Modality anchor;
    private final Map<Modality, SubjectEmbeddings> encoded = new EnumMap<>(Modality.class);
    private final Map<Modality, SubjectEmbeddings> projected = new EnumMap<>(Modality.class);
    private final Map<Modality, SubjectEmbeddings> trained = new EnumMap<>(Modality.class);
    private final TruthMappedRetrieval reference;

    private AlignmentAssessment(AlignmentConfig space, Modality anchor, TruthMappedRetrieval reference) {
        this.space = space;
        this.anchor = anchor;
        this.reference = reference;
    }

    /**
     * Embeds the held-out site's subjects with the aligned model's encoders and heads, and the training sites' own
     * training subjects (those the heads were bound on) for the truth-mapped reference.
     */
    static AlignmentAssessment of(Path heldOutSite, List<Path> trainingSites, AlignedEncoders encoders,
                                  AlignmentConfig space, Modality anchor, TruthMappedRetrieval reference)
            throws IOException {
        AlignmentAssessment assessment = new AlignmentAssessment(space, anchor, reference);
        assessment.embed(heldOutSite, encoders);
        for (Modality modality : DATA) {
            encoders.trainingSubjects(trainingSites, modality).ifPresent(e -> assessment.trained.put(modality, e));
        }
        return assessment;
    }

    private void embed(Path site, AlignedEncoders encoders) throws IOException {
        try (SharedSpace shared = SharedSpace.of(encoders.sharedSpace(), space)) {
            for (Modality modality : DATA) {
                Optional<AlignedEncoders.Embedded> embedded = encoders.embed(site, modality);
                if (embedded.isPresent()) {
                    encoded.put(modality, embedded.get().embeddings());
                    projected.put(modality, shared.project(embedded.get().embeddings()));
                }
            }
        }
        if (!encoded.containsKey(anchor)) {
            throw new IllegalArgumentException("the held-out site has no " + anchor + " subjects to assess on");
        }
    }

    int subjects() {
        return encoded.get(anchor).size();
    }

    /** Every two modalities, the earlier in imaging, EEG, omics order querying the later's bank. */
    List<PairRetrieval> retrieval() {
        List<Modality> held = List.copyOf(projected.keySet());
        List<PairRetrieval> pairs = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            for (int j = i + 1; j < held.size(); j++) {
                Modality query = held.get(i);
                Modality bank = held.get(j);
                RetrievalReport report = CrossModalRetrieval.evaluate(projected.get(query), projected.get(bank));
                List<Double> curve = IntStream.rangeClosed(1, Math.min(CURVE_LENGTH, report.bankSize()))
                        .mapToObj(report::recallAt).toList();
                RetrievalReport mapped = reference.evaluate(trained.get(query), encoded.get(query),
                        trained.get(bank), encoded.get(bank));
                pairs.add(new PairRetrieval(query.tag(), bank.tag(), query == anchor || bank == anchor,
                        report.bankSize(), report.recallAt(1), report.recallAt(10), report.chanceAt(1),
                        report.chanceAt(10), curve, mapped.recallAt(1), mapped.recallAt(10)));
            }
        }
        return pairs;
    }

}
