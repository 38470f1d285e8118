package io.callosum.encoders.synth;

import io.callosum.encoders.edf.EdfAnnotation;
import io.callosum.encoders.edf.EdfChannel;
import io.callosum.encoders.edf.EdfRecording;
import io.callosum.encoders.edf.EdfSignal;
import io.callosum.encoders.edf.EdfWriter;
import io.callosum.encoders.nifti.NiftiHeader;
import io.callosum.encoders.nifti.NiftiImage;
import io.callosum.encoders.nifti.NiftiWriter;
import io.callosum.encoders.omics.OmicsMatrix;
import io.callosum.encoders.omics.OmicsWriter;
import io.callosum.protocol.tensor.Modality;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Writes a synthetic multi-site cohort in the site layout hospitals use ({@code imaging/*.nii.gz},
 * {@code eeg/*.edf}, {@code omics/omics.tsv}, {@code subjects.tsv}) through the project's own writers, from a
 * known latent state per subject, so the same code path reads generated and real data and the truth is known.
 * A subject's modalities share its diagnosis and severity (what a probe predicts) and its {@link Phenotype} (what
 * identifies it across modalities, so that cross-modal retrieval has something to find); {@code subjects.tsv}
 * records all of them.
 */
public final class CohortGenerator {
    public static final String SUBJECTS_FILE = "subjects.tsv";
    public static final String OMICS_FILE = "omics/omics.tsv";
    private static final List<Set<Modality>> MODALITY_PATTERNS = List.of(
            EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS),
            EnumSet.of(Modality.IMAGING, Modality.EEG),
            EnumSet.of(Modality.EEG, Modality.OMICS),
            EnumSet.of(Modality.IMAGING, Modality.OMICS));
    private static final double EEG_RANGE_MICROVOLTS = 800;
    /** The phenotype has its own stream, so adding it left every other draw of a seed's cohort as it was. */
    private static final long PHENOTYPE_SALT = 0x5DEECE66DL;

    private final CohortSpec spec;
    private final AcquisitionShift shift;
    private final Set<Modality> only;
    private final boolean traits;

    public CohortGenerator(CohortSpec spec) {
        this(spec, null, null, false);
    }

    private CohortGenerator(CohortSpec spec, AcquisitionShift shift, Set<Modality> only, boolean traits) {
        this.spec = spec;
        this.shift = shift;
        this.only = only;
        this.traits = traits;
    }

    /**
     * This generator with every subject given {@value Phenotype#TRAITS} strongly expressed traits besides the clinical
     * phenotype (see {@link Phenotype}), which omics then expresses instead of the clinical components; the subjects,
     * their diagnoses and the sites stay those of the same spec without them.
     */
    public CohortGenerator withTraits() {
        return new CohortGenerator(spec, shift, only, true);
    }

    /**
     * This generator with every site acquiring with {@code shift}'s equipment instead of its own; the subjects,
     * class mixes and modalities stay those of the same spec without it.
     */
    public CohortGenerator withShift(AcquisitionShift shift) {
        return new CohortGenerator(spec, shift, only, traits);
    }

    /**
     * This generator with every site holding exactly {@code modalities} (a cheap large pool of one modality, say);
     * the subjects stay those of the same spec without it.
     */
    public CohortGenerator holding(Set<Modality> modalities) {
        if (modalities.isEmpty() || !Modality.DATA.containsAll(modalities)) {
            throw new IllegalArgumentException("a site holds one or more of " + Modality.DATA + ", not "
                    + modalities);
        }
        return new CohortGenerator(spec, shift, EnumSet.copyOf(modalities), traits);
    }

    /** Site profiles and subject states, deterministic in the seed. */
    public Cohort plan() {
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<SiteProfile> sites = new ArrayList<>();
        for (int s = 0; s < spec.sites(); s++) {
            double[] mix = new double[CohortSpec.CLASSES];
            Arrays.fill(mix, spec.sites() == 1 ? 1.0 / CohortSpec.CLASSES : 0.2);
            if (spec.sites() > 1) {
                mix[s % CohortSpec.CLASSES] = 0.6;
            }
            double[] direction = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double norm = Math.sqrt(Arrays.stream(direction).map(d -> d * d).sum());
            SiteProfile site = new SiteProfile(s, String.format(Locale.ROOT, "site-%02d", s + 1), mix,
                    only != null ? only : spec.sites() == 1 ? MODALITY_PATTERNS.get(0)
                            : MODALITY_PATTERNS.get(s % MODALITY_PATTERNS.size()),
                    random.nextDouble(0.8, 1.25), random.nextDouble(0.1, 0.5),
                    Arrays.stream(direction).map(d -> d / norm).toArray(), random.nextDouble(0.8, 1.25),
                    random.nextBoolean() ? 50 : 60, random.nextDouble(2, 8), random.nextDouble(0.1, 0.4),
                    SiteProfile.OMICS_NOISE, SiteProfile.OMICS_MISSING_RATE, random.nextLong());
            sites.add(shift == null ? site : shift.applyTo(site));
        }
        List<SubjectState> subjects = new ArrayList<>();
        for (int i = 0; i < spec.subjects(); i++) {
            SiteProfile site = sites.get(i % spec.sites());
            int diagnosis = draw(site.classMix(), random);
            double severity = random.nextDouble();
            long subjectSeed = random.nextLong();
            subjects.add(new SubjectState(String.format(Locale.ROOT, "sub-%04d", i + 1), site.index(), diagnosis,
                    severity, Phenotype.draw(new SplittableRandom(subjectSeed ^ PHENOTYPE_SALT), traits), subjectSeed));
        }
        return new Cohort(spec, sites, subjects);
    }

    /** Writes every site under {@code out/<site>/}; {@code progress} hears each finished subject. */
    public Cohort write(Path out, IntConsumer progress) throws IOException {
        Cohort cohort = plan();
        OmicsSynthesizer.Genes genes = OmicsSynthesizer.Genes.of(spec.omicsFeatures(), spec.omicsModules());
        List<String> features = new ArrayList<>();
        for (int g = 0; g < spec.omicsFeatures(); g++) {
            features.add(String.format(Locale.ROOT, "GENE%04d", g + 1));
        }
        int done = 0;
        for (SiteProfile site : cohort.sites()) {
            Path dir = out.resolve(site.name());
            for (Modality modality : site.modalities()) {
                Files.createDirectories(dir.resolve(modality.tag()));
            }
            List<SubjectState> subjects = cohort.subjectsAt(site.index());
            List<float[]> profiles = new ArrayList<>();
            try (BufferedWriter table = Files.newBufferedWriter(dir.resolve(SUBJECTS_FILE))) {
                table.write("subject_id\timaging\teeg\tomics\tdiagnosis\tseverity\t"
                        + String.join("\t", Phenotype.columns(traits)) + "\n");
                for (SubjectState subject : subjects) {
                    SplittableRandom random = new SplittableRandom(subject.seed());
                    String imaging = "";
                    String eeg = "";
                    String omics = "";
                    if (site.modalities().contains(Modality.IMAGING)) {
                        imaging = "imaging/" + subject.id() + ".nii.gz";
                        writeImaging(subject, site, dir.resolve(imaging), random.split());
                    }
                    if (site.modalities().contains(Modality.EEG)) {
                        eeg = "eeg/" + subject.id() + ".edf";
                        writeEeg(subject, site, dir.resolve(eeg), random.split());
                    }
                    if (site.modalities().contains(Modality.OMICS)) {
                        omics = OMICS_FILE;
                        profiles.add(OmicsSynthesizer.profile(subject, site, genes, random.split()));
                    }
                    table.write(String.join("\t", subject.id(), imaging, eeg, omics,
                            Integer.toString(subject.diagnosis()), String.format(Locale.ROOT, "%.4f", subject.severity()),
                            Arrays.stream(subject.phenotype().values())
                                    .mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                                    .collect(Collectors.joining("\t"))));
                    table.write('\n');
                    progress.accept(++done);
                }
            }
            if (site.modalities().contains(Modality.OMICS)) {
                writeOmics(subjects, features, profiles, dir.resolve(OMICS_FILE));
            }
        }
        writeSites(cohort, out.resolve("sites.tsv"));
        return cohort;
    }

    private void writeImaging(SubjectState subject, SiteProfile site, Path file, SplittableRandom random)
            throws IOException {
        int edge = spec.imagingEdge();
        float[] voxels = ImagingSynthesizer.volume(subject, site, edge, random);
        NiftiWriter.write(new NiftiImage(NiftiHeader.float32(new int[] {edge, edge, edge}, new float[] {1f, 1f, 1f},
                "callosum synthetic T1w " + site.name()), voxels), file);
    }

    private void writeEeg(SubjectState subject, SiteProfile site, Path file, SplittableRandom random)
            throws IOException {
        float[][] signals = EegSynthesizer.signals(subject, site, spec.eegSeconds(), spec.eegRate(), random);
        List<EdfChannel> channels = new ArrayList<>();
        for (int ch = 0; ch < signals.length; ch++) {
            channels.add(new EdfChannel(EdfSignal.of("EEG " + EegSynthesizer.CHANNELS.get(ch), "uV",
                    -EEG_RANGE_MICROVOLTS, EEG_RANGE_MICROVOLTS, spec.eegRate()), signals[ch]));
        }
        EdfWriter.write(new EdfRecording("X X X X", "Startdate X X X " + site.name(),
                LocalDateTime.of(2026, 1, 1, 9, 0), 1.0, spec.eegSeconds(), channels,
                List.of(new EdfAnnotation(0, spec.eegSeconds(), "resting state, eyes closed"))), file);
    }

    private static void writeOmics(List<SubjectState> subjects, List<String> features, List<float[]> profiles,
                                   Path file) throws IOException {
        float[] values = new float[subjects.size() * features.size()];
        BitSet missing = new BitSet();
        for (int r = 0; r < profiles.size(); r++) {
            float[] profile = profiles.get(r);
            for (int c = 0; c < profile.length; c++) {
                int at = r * features.size() + c;
                values[at] = profile[c];
                missing.set(at, Float.isNaN(profile[c]));
            }
        }
        OmicsWriter.write(new OmicsMatrix(subjects.stream().map(SubjectState::id).toList(), features, values, missing),
                file, "subject_id");
    }

    private static void writeSites(Cohort cohort, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("site\tmodalities\tclass_mix\tsubjects\tscanner_gain\tbias_strength\teeg_gain\tmains_hz"
                    + "\tline_noise_uv\tomics_batch_scale\tomics_noise\tomics_missing_rate\n");
            for (SiteProfile site : cohort.sites()) {
                out.write(String.join("\t", site.name(),
                        site.modalities().stream().map(Modality::tag).collect(Collectors.joining(",")),
                        Arrays.stream(site.classMix()).mapToObj(p -> String.format(Locale.ROOT, "%.2f", p))
                                .collect(Collectors.joining(",")),
                        Integer.toString(cohort.subjectsAt(site.index()).size()),
                        String.format(Locale.ROOT, "%.3f", site.scannerGain()),
                        String.format(Locale.ROOT, "%.3f", site.biasStrength()),
                        String.format(Locale.ROOT, "%.3f", site.eegGain()),
                        String.format(Locale.ROOT, "%.0f", site.mainsHz()),
                        String.format(Locale.ROOT, "%.2f", site.lineNoise()),
                        String.format(Locale.ROOT, "%.3f", site.omicsBatchScale()),
                        String.format(Locale.ROOT, "%.3f", site.omicsNoise()),
                        String.format(Locale.ROOT, "%.3f", site.omicsMissingRate())));
                out.write('\n');
            }
        }
    }

    private static int draw(double[] mix, SplittableRandom random) {
        double u = random.nextDouble();
        for (int c = 0; c < mix.length - 1; c++) {
            u -= mix[c];
            if (u < 0) {
                return c;
            }
        }
        return mix.length - 1;
    }
}
