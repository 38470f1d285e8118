package io.callosum.cli.synth;

import io.callosum.cli.ProgressBar;
import io.callosum.encoders.synth.AcquisitionShift;
import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./callosum synth}: a generated multi-site cohort in real formats, with known ground truth. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate a synthetic multi-site cohort (NIfTI, EDF+, omics TSV) with known diagnoses.")
public class SynthCommand implements Callable<Integer> {
    @Option(names = "--subjects", defaultValue = "120", description = "subjects in all (default ${DEFAULT-VALUE})")
    int subjects;

    @Option(names = "--sites", defaultValue = "3", description = "hospitals (default ${DEFAULT-VALUE})")
    int sites;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory, one folder per site")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--imaging-size", defaultValue = "32", description = "voxels per edge (default ${DEFAULT-VALUE})")
    int imagingEdge;

    @Option(names = "--eeg-seconds", defaultValue = "10", description = "EEG length (default ${DEFAULT-VALUE})")
    int eegSeconds;

    @Option(names = "--eeg-rate", defaultValue = "128", description = "EEG sample rate in Hz (default ${DEFAULT-VALUE})")
    int eegRate;

    @Option(names = "--omics-features", defaultValue = "1000", description = "genes (default ${DEFAULT-VALUE})")
    int omicsFeatures;

    @Option(names = "--shift", description = "acquire every site with equipment unlike the usual sites' (scanner gain"
            + " and bias field, EEG amplifier gain and line noise, omics noise and missing rate outside their ranges),"
            + " to test out-of-distribution detection")
    boolean shift;

    @Option(names = "--traits", description = "give every subject eight strongly expressed traits besides the clinical"
            + " phenotype: an identity each modality shows, for cross-modal retrieval (omics then expresses them"
            + " instead of the clinical components)")
    boolean traits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CohortSpec cohortSpec = new CohortSpec(subjects, sites, seed, imagingEdge, eegSeconds, eegRate, omicsFeatures,
                Math.max(3, omicsFeatures / 50));
        PrintWriter out = spec.commandLine().getOut();
        ProgressBar progress = new ProgressBar(out, "synth", subjects);
        CohortGenerator generator = new CohortGenerator(cohortSpec);
        if (shift) {
            generator = generator.withShift(AcquisitionShift.UNSEEN_EQUIPMENT);
        }
        if (traits) {
            generator = generator.withTraits();
        }
        Cohort cohort = generator.write(this.out, progress::update);
        cohort.sites().forEach(site -> out.printf(Locale.ROOT, "  %s  %-20s %3d subjects, class mix %s%n", site.name(),
                site.modalities(), cohort.subjectsAt(site.index()).size(), Arrays.toString(site.classMix())));
        out.printf("Wrote %s (ground truth in each site's subjects.tsv, site nuisance in sites.tsv)%n", this.out);
        return 0;
    }
}
