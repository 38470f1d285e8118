package io.callosum.alignment.binding;

import io.callosum.alignment.retrieval.CrossModalRetrieval;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two sites that never observe imaging and EEG together: site 1 holds imaging and omics of its subjects, site 2
 * EEG and omics of others; omics is the anchor. Held-out subjects, seen by neither site, have all three.
 */
final class TwoSiteScenario {
    static final Map<Modality, Integer> WIDTHS = Map.of(Modality.IMAGING, 48, Modality.EEG, 40, Modality.OMICS, 32);
    private static final int LATENT_DIM = 8;

    final SyntheticViews views;
    final List<List<SubjectEmbeddings>> sites;
    final int heldOutFrom;
    final int heldOutTo;

    TwoSiteScenario(int perSite, int heldOut, double noise, long seed) {
        this.views = new SyntheticViews(2 * perSite + heldOut, LATENT_DIM, WIDTHS, noise, seed);
        this.sites = List.of(
                List.of(views.embeddings(Modality.IMAGING, 0, perSite), views.embeddings(Modality.OMICS, 0, perSite)),
                List.of(views.embeddings(Modality.EEG, perSite, 2 * perSite),
                        views.embeddings(Modality.OMICS, perSite, 2 * perSite)));
        this.heldOutFrom = 2 * perSite;
        this.heldOutTo = 2 * perSite + heldOut;
    }

    TensorSet federate(TensorSet initial, BindingConfig config, int rounds, List<List<BindingResult>> history) {
        return LocalFederation.run(initial, sites, config, rounds, history);
    }

    /** Held-out retrieval for query → bank in the space {@code global} describes. */
    RetrievalReport heldOut(TensorSet global, AlignmentConfig config, Modality query, Modality bank) {
        try (SharedSpace space = SharedSpace.of(global, config)) {
            return CrossModalRetrieval.evaluate(space.project(views.embeddings(query, heldOutFrom, heldOutTo)),
                    space.project(views.embeddings(bank, heldOutFrom, heldOutTo)));
        }
    }

    /** Every ordered pair of the three modalities. */
    static List<Modality[]> orderedPairs() {
        List<Modality[]> pairs = new ArrayList<>();
        for (Modality query : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
            for (Modality bank : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
                if (query != bank) {
                    pairs.add(new Modality[] {query, bank});
                }
            }
        }
        return pairs;
    }
}
