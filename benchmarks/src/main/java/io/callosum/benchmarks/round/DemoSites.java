package io.callosum.benchmarks.round;

import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.encoders.synth.SiteProfile;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.training.FitSettings;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.training.ModelSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The demo's three sites in one process: its generated cohort (240 subjects, 4 s of EEG at 128 Hz, imaging 32³,
 * omics 1,000 features), its model and its fit settings, each site's {@link LocalTraining} opened on its share.
 * Keep these in step with {@code DemoCommand}, whose round this benchmark stands for.
 */
final class DemoSites implements AutoCloseable {
    static final ModelSettings MODEL = new ModelSettings(64, 3, 4, 32, 2, 8, 128, 20, 7);
    static final FitSettings FIT = FitSettings.defaults();
    private static final int SUBJECTS = 240;
    private static final int SITES = 3;
    private static final long COHORT_SEED = 11;
    private static final int EEG_SECONDS = 4;

    record Site(String name, Set<Modality> modalities, LocalTraining training) {
    }

    private final List<Site> sites;

    private DemoSites(List<Site> sites) {
        this.sites = sites;
    }

    static DemoSites open() throws IOException {
        Path dir = Files.createTempDirectory("callosum-bench-round");
        CohortSpec defaults = CohortSpec.defaults(SUBJECTS, SITES, COHORT_SEED);
        CohortSpec spec = new CohortSpec(SUBJECTS, SITES, COHORT_SEED, defaults.imagingEdge(), EEG_SECONDS,
                defaults.eegRate(), defaults.omicsFeatures(), defaults.omicsModules());
        Cohort cohort = new CohortGenerator(spec).write(dir, subject -> { });
        List<Site> sites = new ArrayList<>();
        try {
            for (SiteProfile profile : cohort.sites()) {
                LocalTraining training = LocalTraining.open(profile.name(), dir.resolve(profile.name()), MODEL,
                        SiteAgentSettings.DEFAULT_SEED);
                sites.add(new Site(profile.name(), Set.copyOf(profile.modalities()), training));
            }
        } catch (IOException | RuntimeException e) {
            sites.forEach(site -> site.training().close());
            throw e;
        }
        return new DemoSites(List.copyOf(sites));
    }

    List<Site> sites() {
        return sites;
    }

    /** Each modality's tensors from the first site holding it, as the coordinator assembles the initial model. */
    TensorSet initialGlobal() {
        Set<Modality> covered = EnumSet.noneOf(Modality.class);
        List<NamedTensor> tensors = new ArrayList<>();
        for (Site site : sites) {
            Set<Modality> missing = EnumSet.copyOf(site.modalities());
            missing.removeAll(covered);
            if (!missing.isEmpty()) {
                tensors.addAll(site.training().parameters().select(missing).tensors());
                covered.addAll(missing);
            }
        }
        return TensorSet.of(tensors);
    }

    @Override
    public void close() {
        sites.forEach(site -> site.training().close());
    }
}
