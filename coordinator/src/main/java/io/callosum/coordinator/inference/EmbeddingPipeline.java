package io.callosum.coordinator.inference;

import io.callosum.encoders.data.ModalityDataset;
import io.callosum.uncertainty.variance.EmbeddingSpread;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The work of one embeddings request once its inputs are decoded and its version chosen, free of storage and HTTP
 * (so that benchmarks run exactly this): embed with the chosen version and its ancestors, take the spread of those
 * draws, project into the shared space and score the embeddings and the inputs' tokenizer statistics against the
 * reference bank.
 */
public final class EmbeddingPipeline {
    private EmbeddingPipeline() {
    }

    /** One version of the ensemble: its id and its encoder of the inputs' modality. */
    public record Member(long version, Function<float[][], float[][]> encoder) {
    }

    /** Per input subject its embedding, shared-space vector and uncertainty, and whether there was a shared space. */
    public record Embedded(SharedProjection.Status shared, List<EmbeddingResult.SubjectEmbedding> subjects) {
    }

    /**
     * @param members         the chosen version first, then its ancestors nearest first
     * @param noEnsemble      why there is no ensemble variance when {@code members} holds only the chosen version
     * @param project         the chosen version's shared-space projection of the chosen version's embeddings
     * @param tokenStatistics the chosen version's tokenizer statistics of the inputs, computed only when
     *                        {@code reference} reads them
     * @param reference       the out-of-distribution score of one input: its embedding by the chosen version and
     *                        its tokenizer statistics
     */
    public static Embedded run(ModalityDataset inputs, List<Member> members, String noEnsemble,
                               Function<float[][], SharedProjection> project,
                               Function<float[][], float[][]> tokenStatistics,
                               ReferenceScorer reference) {
        List<float[][]> draws = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (Member member : members) {
            draws.add(member.encoder().apply(inputs.inputs()));
            versions.add(member.version());
        }
        float[][] embeddings = draws.get(0);
        List<EmbeddingSpread> spreads = draws.size() >= 2 ? EmbeddingSpread.perInput(draws) : List.of();
        SharedProjection shared = project.apply(embeddings);
        float[][] statistics = reference.readsTokenStatistics() ? tokenStatistics.apply(inputs.inputs()) : null;
        List<EmbeddingResult.SubjectEmbedding> subjects = new ArrayList<>();
        for (int i = 0; i < embeddings.length; i++) {
            Uncertainty.Ensemble ensemble = spreads.isEmpty()
                    ? Uncertainty.Ensemble.unavailable(versions, noEnsemble)
                    : new Uncertainty.Ensemble(true, versions, spreads.get(i).meanVariance(), spreads.get(i).trace(),
                    null);
            subjects.add(new EmbeddingResult.SubjectEmbedding(inputs.subjects().get(i), embeddings[i],
                    shared.vector(i), new Uncertainty(ensemble, reference.score(embeddings[i],
                    statistics == null ? null : statistics[i]))));
        }
        return new Embedded(shared.status(), subjects);
    }
}
