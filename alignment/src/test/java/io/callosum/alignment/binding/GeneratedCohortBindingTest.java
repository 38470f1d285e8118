package io.callosum.alignment.binding;

import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path a site agent takes: a generated site's files read by the project's readers, embedded by its (here
 * untrained, tiny) encoders, and the embeddings bound to the omics anchor.
 */
class GeneratedCohortBindingTest {
    private static final int DIM = 16;

    @TempDir
    Path cohort;

    @Test
    void aGeneratedSitesEncoderEmbeddingsBindToTheAnchor() throws IOException {
        new CohortGenerator(new CohortSpec(48, 1, 9, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        SiteCatalog catalog = SiteCatalog.read(cohort.resolve("site-01"));
        List<SubjectEmbeddings> site = new ArrayList<>();
        Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
        for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
            ModalityDataset dataset = DatasetLoader.load(catalog, modality);
            int patch = switch (modality) {
                case IMAGING -> 8;
                case EEG -> 16;
                default -> 1;
            };
            try (JepaTrainer encoder = new JepaTrainer(dataset, new EncoderConfig(DIM, 1, 2, 8, 1, patch, 6),
                    JepaConfig.defaults(Objective.SIGREG))) {
                site.add(SubjectEmbeddings.of(dataset, encoder));
                widths.put(modality, encoder.encoder().dim());
            }
        }
        AlignmentConfig space = new AlignmentConfig(8, 16, ContrastiveLoss.INFONCE, 0.07f, true);
        TensorSet initial = SharedSpace.initialParameters(widths, space, 1);

        BindingResult result = AnchorBinding.train(site, initial, new BindingConfig(Modality.OMICS, space, 40, 5e-3f,
                16, 2));

        assertEquals(48, result.subjects());
        assertEquals(List.of(Modality.IMAGING, Modality.EEG), result.pairs().stream().map(PairMetrics::modality)
                .toList());
        for (PairMetrics pair : result.pairs()) {
            assertEquals(48, pair.subjects());
            assertTrue(pair.lossAfter() < pair.lossBefore(), pair.toString());
        }
        assertEquals(widths, SharedSpace.inputWidths(result.parameters()));
    }
}
