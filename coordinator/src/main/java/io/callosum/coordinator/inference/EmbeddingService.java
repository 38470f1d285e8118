package io.callosum.coordinator.inference;

import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Embeds model inputs with a stored version, and scores each embedding's uncertainty: the spread over that version
 * and its nearest ancestors (an ensemble along the training trajectory), and the distance to the version's
 * reference bank. A version with shared-space heads also places each embedding in the shared latent space.
 */
@ApplicationScoped
public class EmbeddingService {
    private final ModelCatalog catalog;
    private final VersionEncoders encoders;
    private final VersionHeads heads;
    private final ReferenceBanks banks;
    private final InferenceSettings settings;

    public EmbeddingService(ModelCatalog catalog, VersionEncoders encoders, VersionHeads heads, ReferenceBanks banks,
                            InferenceSettings settings) {
        this.catalog = catalog;
        this.encoders = encoders;
        this.heads = heads;
        this.banks = banks;
        this.settings = settings;
    }

    public EmbeddingResult embed(ModalityDataset inputs, Optional<Long> version, String inputKind) {
        Modality modality = inputs.modality();
        ModelCatalog.Chosen chosen = catalog.choose(modality, version, settings.ensembleSize() - 1);
        List<EmbeddingPipeline.Member> members = new ArrayList<>();
        members.add(member(chosen.version(), chosen, inputs));
        chosen.ancestors().forEach(ancestor -> members.add(member(ancestor, chosen, inputs)));
        long id = chosen.version().id();
        EmbeddingPipeline.Embedded embedded = EmbeddingPipeline.run(inputs, members, "version " + id
                        + " has no ancestor holding a " + modality + " encoder to compare with",
                embeddings -> heads.project(chosen.version(), chosen.plan(), modality, embeddings),
                rows -> tokenStatistics(chosen, inputs, rows), banks.scorer(id, modality));
        return new EmbeddingResult(id, chosen.plan().name(), modality.tag(), inputKind, embedded.shared(),
                embedded.subjects());
    }

    /** The chosen version's embeddings of the inputs, one row per input subject. */
    public float[][] encode(ModelCatalog.Chosen chosen, ModalityDataset inputs) {
        return encode(chosen.version(), chosen, inputs.modality(), inputs).apply(inputs.inputs());
    }

    /** The chosen version's tokenizer statistics of the inputs, one row per input subject. */
    public float[][] tokenStatistics(ModelCatalog.Chosen chosen, ModalityDataset inputs) {
        return tokenStatistics(chosen, inputs, inputs.inputs());
    }

    private float[][] tokenStatistics(ModelCatalog.Chosen chosen, ModalityDataset inputs, float[][] rows) {
        return encoders.tokenStatistics(chosen.version(), chosen.plan().model(), inputs.modality(), inputs.geometry(),
                rows);
    }

    private EmbeddingPipeline.Member member(ModelVersion version, ModelCatalog.Chosen chosen, ModalityDataset inputs) {
        return new EmbeddingPipeline.Member(version.id(), encode(version, chosen, inputs.modality(), inputs));
    }

    private Function<float[][], float[][]> encode(ModelVersion version, ModelCatalog.Chosen chosen, Modality modality,
                                                  ModalityDataset inputs) {
        return rows -> encoders.embed(version, chosen.plan().model(), modality, inputs.geometry(), rows);
    }
}
