package io.callosum.encoders.synth;

import io.callosum.encoders.edf.EdfReader;
import io.callosum.encoders.edf.EdfRecording;
import io.callosum.encoders.nifti.NiftiImage;
import io.callosum.encoders.nifti.NiftiReader;
import io.callosum.encoders.omics.OmicsMatrix;
import io.callosum.encoders.omics.OmicsReader;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortGeneratorTest {
    private static final CohortSpec SMALL = new CohortSpec(8, 2, 11, 16, 2, 64, 60, 3);

    @Test
    void writesTheSiteLayoutInRealFormatsThatReadBack(@TempDir Path out) throws IOException {
        AtomicInteger progress = new AtomicInteger();
        Cohort cohort = new CohortGenerator(SMALL).write(out, progress::set);

        assertEquals(8, progress.get());
        assertTrue(Files.isRegularFile(out.resolve("sites.tsv")));
        SiteProfile full = cohort.sites().get(0);
        assertEquals(Set.of(Modality.IMAGING, Modality.EEG, Modality.OMICS), full.modalities());
        assertEquals(Set.of(Modality.IMAGING, Modality.EEG), cohort.sites().get(1).modalities(), "sites differ");

        Path site = out.resolve("site-01");
        List<String> rows = Files.readAllLines(site.resolve("subjects.tsv"));
        assertEquals("subject_id\timaging\teeg\tomics\tdiagnosis\tseverity\tphenotype_atrophy"
                + "\tphenotype_grey_white_contrast\tphenotype_asymmetry\tphenotype_cortex\tphenotype_laterality",
                rows.get(0));
        assertEquals(5, rows.size());
        SubjectState first = cohort.subjectsAt(0).get(0);
        assertTrue(rows.get(1).startsWith("sub-0001\timaging/sub-0001.nii.gz\teeg/sub-0001.edf\tomics/omics.tsv\t"
                + first.diagnosis() + "\t"), rows.get(1));

        NiftiImage image = NiftiReader.read(site.resolve("imaging/sub-0001.nii.gz"));
        assertArrayEquals(new int[] {16, 16, 16}, image.header().dims());
        EdfRecording eeg = EdfReader.read(site.resolve("eeg/sub-0001.edf"));
        assertEquals(19, eeg.channels().size());
        assertEquals(128, eeg.channels().get(0).samples().length);
        assertEquals("resting state, eyes closed", eeg.annotations().get(0).text());
        OmicsMatrix omics = OmicsReader.read(site.resolve("omics/omics.tsv"));
        assertEquals(List.of("sub-0001", "sub-0003", "sub-0005", "sub-0007"), omics.subjects());
        assertEquals(60, omics.features().size());
        assertTrue(Files.notExists(out.resolve("site-02/omics")), "site-02 holds no omics");
    }

    @Test
    void theSameSeedWritesTheSameBytes(@TempDir Path out) throws IOException {
        new CohortGenerator(SMALL).write(out.resolve("a"), n -> { });
        new CohortGenerator(SMALL).write(out.resolve("b"), n -> { });

        for (String file : List.of("site-01/eeg/sub-0003.edf", "site-01/omics/omics.tsv", "site-02/subjects.tsv")) {
            assertArrayEquals(Files.readAllBytes(out.resolve("a").resolve(file)),
                    Files.readAllBytes(out.resolve("b").resolve(file)), file);
        }
    }

    @Test
    void cohortsOfDifferentSeedsShareTheirGenesBiology(@TempDir Path out) throws IOException {
        CohortSpec spec = new CohortSpec(60, 1, 21, 16, 1, 64, 40, 4);
        double[] first = geneCorrelations(new CohortGenerator(spec), out.resolve("a"));
        double[] second = geneCorrelations(new CohortGenerator(new CohortSpec(60, 1, 22, 16, 1, 64, 40, 4)),
                out.resolve("b"));

        double agreement = correlation(first, second);
        assertTrue(agreement > 0.8, "genes co-vary alike in a cohort of another seed (module membership and loading"
                + " signs are biology, not sampling): correlation of the gene-gene correlations " + agreement);
    }

    private static double[] geneCorrelations(CohortGenerator generator, Path out) throws IOException {
        generator.holding(Set.of(Modality.OMICS)).write(out, n -> { });
        OmicsMatrix omics = OmicsReader.read(out.resolve("site-01/omics/omics.tsv"));
        int genes = omics.features().size();
        double[][] columns = new double[genes][omics.subjects().size()];
        for (int s = 0; s < omics.subjects().size(); s++) {
            float[] row = omics.row(s);
            for (int g = 0; g < genes; g++) {
                columns[g][s] = Float.isNaN(row[g]) ? 0 : row[g];
            }
        }
        double[] pairs = new double[genes * (genes - 1) / 2];
        int k = 0;
        for (int a = 0; a < genes; a++) {
            for (int b = a + 1; b < genes; b++) {
                pairs[k++] = correlation(columns[a], columns[b]);
            }
        }
        return pairs;
    }

    private static double correlation(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void sitesHaveDifferentClassMixes() {
        Cohort cohort = new CohortGenerator(CohortSpec.defaults(600, 3, 5)).plan();

        for (SiteProfile site : cohort.sites()) {
            List<SubjectState> subjects = cohort.subjectsAt(site.index());
            long favoured = subjects.stream().filter(s -> s.diagnosis() == site.index() % 3).count();
            assertTrue(favoured > 0.5 * subjects.size(), site.name() + ": " + favoured + " of " + subjects.size());
        }
    }

    @Test
    void frontalThetaCarriesDiagnosisOneInEeg() {
        Cohort cohort = new CohortGenerator(CohortSpec.defaults(3, 1, 3)).plan();
        SiteProfile site = cohort.sites().get(0);
        double healthy = thetaPower(new SubjectState("a", 0, 0, 0.5, Phenotype.average(), 1), site);
        double diagnosed = thetaPower(new SubjectState("b", 0, 1, 0.5, Phenotype.average(), 1), site);

        assertTrue(diagnosed > 3 * healthy, diagnosed + " vs " + healthy);
    }

    @Test
    void aDiagnosisDrivesEveryModuleOfItsProgramAndNoOther() {
        Cohort cohort = new CohortGenerator(CohortSpec.defaults(3, 1, 3)).plan();
        SiteProfile site = cohort.sites().get(0);
        OmicsSynthesizer.Genes genes = OmicsSynthesizer.Genes.of(1000, 20);
        assertEquals(3, OmicsSynthesizer.programSize(20));
        double[] healthy = new double[6];
        double[] diagnosed = new double[6];
        int sameSign = 0;
        for (int i = 0; i < 40; i++) {
            float[] a = OmicsSynthesizer.profile(new SubjectState("a", 0, 0, 0.5, Phenotype.average(), i), site, genes,
                    new SplittableRandom(i));
            float[] b = OmicsSynthesizer.profile(new SubjectState("b", 0, 1, 0.5, Phenotype.average(), i), site, genes,
                    new SplittableRandom(i));
            for (int module = 0; module < 6; module++) {
                healthy[module] += Math.abs(moduleActivity(a, genes, module));
                diagnosed[module] += Math.abs(moduleActivity(b, genes, module));
            }
            sameSign += Math.signum(moduleActivity(b, genes, 0)) == Math.signum(moduleActivity(b, genes, 1)) ? 1 : 0;
        }
        for (int module = 0; module < 3; module++) {
            assertTrue(diagnosed[module] > 2 * healthy[module], "module " + module + ": " + diagnosed[module]
                    + " vs " + healthy[module]);
        }
        for (int module = 3; module < 6; module++) {
            assertTrue(diagnosed[module] < 1.5 * healthy[module], "module " + module + " is the other program's");
        }
        assertTrue(sameSign > 8 && sameSign < 32, "the program's modules take their signs independently: " + sameSign);
    }

    @Test
    void subjectsTsvRecordsEachSubjectsPhenotype(@TempDir Path out) throws IOException {
        for (boolean withTraits : new boolean[] {false, true}) {
            CohortGenerator generator = withTraits ? new CohortGenerator(SMALL).withTraits() : new CohortGenerator(SMALL);
            Path dir = out.resolve(withTraits ? "traits" : "clinical");
            Cohort cohort = generator.write(dir, n -> { });

            List<String> rows = Files.readAllLines(dir.resolve("site-02/subjects.tsv"));
            List<String> header = List.of(rows.get(0).split("\t"));
            assertEquals(Phenotype.columns(withTraits), header.subList(6, header.size()));
            assertEquals(withTraits ? 13 : 5, header.size() - 6);
            SubjectState second = cohort.subjectsAt(1).get(1);
            String[] cells = rows.get(2).split("\t");
            assertEquals(second.id(), cells[0]);
            double[] phenotype = second.phenotype().values();
            assertEquals(header.size() - 6, phenotype.length);
            for (int k = 0; k < phenotype.length; k++) {
                assertEquals(phenotype[k], Double.parseDouble(cells[6 + k]), 1e-4, header.get(6 + k));
            }
            assertEquals(8, cohort.subjects().stream().map(SubjectState::phenotype).distinct().count(),
                    "every subject has its own phenotype");
        }
    }

    /** Traits come from the phenotype's own stream after the clinical components, which they leave as they were. */
    @Test
    void traitsLeaveEverythingElseOfTheCohortAsItWas() {
        Cohort clinical = new CohortGenerator(SMALL).plan();
        Cohort withTraits = new CohortGenerator(SMALL).withTraits().plan();
        for (int i = 0; i < clinical.subjects().size(); i++) {
            SubjectState a = clinical.subjects().get(i);
            SubjectState b = withTraits.subjects().get(i);
            assertEquals(a.diagnosis(), b.diagnosis());
            assertEquals(a.seed(), b.seed());
            assertArrayEquals(a.phenotype().clinical(), b.phenotype().clinical());
            assertEquals(0, a.phenotype().traits().length);
            assertEquals(Phenotype.TRAITS, b.phenotype().traits().length);
        }
    }

    /** Atrophy, a clinical component, in imaging's and EEG's own terms: brain size, alpha frequency. */
    @Test
    void imagingAndEegExpressAtrophy() {
        Cohort cohort = new CohortGenerator(CohortSpec.defaults(3, 1, 3)).plan();
        SiteProfile site = cohort.sites().get(0);
        Phenotype atrophied = new Phenotype(2, 0, 0, 0, 0, new double[0]);
        Phenotype preserved = new Phenotype(-2, 0, 0, 0, 0, new double[0]);

        assertTrue(brainVoxels(atrophied, site) < 0.9 * brainVoxels(preserved, site), "atrophy shrinks the brain");
        assertTrue(alphaPeakHz(atrophied, site) < alphaPeakHz(preserved, site) - 1,
                alphaPeakHz(atrophied, site) + " Hz vs " + alphaPeakHz(preserved, site) + " Hz");
    }

    /**
     * Each trait, moved from −2 to +2 with everything else (and every random draw) kept, changes each modality along
     * that trait's own pattern: the power of its own EEG rhythm and no other's, the brain's shape, the free modules'
     * activity. Eight such patterns per modality are what single a subject out among many.
     */
    @Test
    void everyModalityExpressesEachTraitAlongItsOwnPattern() {
        SiteProfile site = new CohortGenerator(CohortSpec.defaults(3, 1, 3)).plan().sites().get(0);
        OmicsSynthesizer.Genes genes = OmicsSynthesizer.Genes.of(1000, 20);
        int free = OmicsSynthesizer.firstFreeModule(20);
        int widening = 0;
        for (int k = 0; k < Phenotype.TRAITS; k++) {
            SubjectState high = subject(withTrait(k, 2), 0);
            SubjectState low = subject(withTrait(k, -2), 0);

            float[] highO1 = EegSynthesizer.signals(high, site, 4, 128, new SplittableRandom(5))[17];
            float[] lowO1 = EegSynthesizer.signals(low, site, 4, 128, new SplittableRandom(5))[17];
            for (int j = 0; j < Phenotype.TRAITS; j++) {
                double hz = EegSynthesizer.TRAIT_HZ[j];
                double logRatio = Math.log(power(highO1, hz, 128) / power(lowO1, hz, 128));
                assertTrue(j == k ? logRatio > 3 : Math.abs(logRatio) < 0.1,
                        "trait " + k + " moves the power at " + hz + " Hz by " + logRatio);
            }

            double widthChange = brainWidth(high, site) - brainWidth(low, site);
            double axisLoading = ImagingSynthesizer.TRAIT_ANATOMY[0][k];
            if (Math.abs(axisLoading) > 0.3) {
                widening++;
                assertEquals(Math.signum(axisLoading), Math.signum(widthChange), "trait " + k + " widens the brain by "
                        + widthChange + " voxels² against a loading of " + axisLoading);
            }

            double[] activityChange = new double[20 - free];
            double[] loading = new double[20 - free];
            for (int module = free; module < 20; module++) {
                loading[module - free] = genes.traitLoading()[module][k];
            }
            for (int i = 0; i < 50; i++) {
                float[] up = OmicsSynthesizer.profile(high, site, genes, new SplittableRandom(i));
                float[] down = OmicsSynthesizer.profile(low, site, genes, new SplittableRandom(i));
                for (int module = free; module < 20; module++) {
                    activityChange[module - free] += moduleActivity(up, genes, module)
                            - moduleActivity(down, genes, module);
                }
            }
            assertTrue(correlation(activityChange, loading) > 0.95, "omics modules follow trait " + k + "'s loading");
        }
        assertTrue(widening >= 2, "traits that load on the brain's width: " + widening);
    }

    private static Phenotype withTrait(int k, double value) {
        double[] traits = new double[Phenotype.TRAITS];
        traits[k] = value;
        return new Phenotype(0, 0, 0, 0, 0, traits);
    }

    /**
     * The brain's left–right spread: the mean squared distance from the midline of its voxels, a fifth of the squared
     * semi-axis for an ellipsoid whatever its other axes.
     */
    private static double brainWidth(SubjectState subject, SiteProfile site) {
        float[] voxels = ImagingSynthesizer.volume(subject, site, 32, new SplittableRandom(6));
        double c = 15.5;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < voxels.length; i++) {
            if (voxels[i] > 50 * site.scannerGain()) {
                sum += (i % 32 - c) * (i % 32 - c);
                count++;
            }
        }
        return sum / count;
    }

    /**
     * The imaging texture is local (neighbouring voxels alike, voxels 4 apart unrelated), so no part of a volume
     * predicts the texture of another and a JEPA encoder has no reason to spend its embedding on it.
     */
    @Test
    void imagingTextureIsLocal() {
        int edge = 32;
        double[] texture = ImagingSynthesizer.texture(edge, new SplittableRandom(3));
        double sd = Math.sqrt(Arrays.stream(texture).map(v -> v * v).average().orElseThrow());
        assertTrue(sd > 5 && sd < 7, "texture standard deviation " + sd);
        assertTrue(correlationAlongX(texture, edge, 1) > 0.5, "neighbours alike");
        assertTrue(Math.abs(correlationAlongX(texture, edge, 4)) < 0.05, "4 voxels apart unrelated: "
                + correlationAlongX(texture, edge, 4));
    }

    private static double correlationAlongX(double[] field, int edge, int lag) {
        double product = 0;
        double square = 0;
        for (int i = 0; i < field.length; i++) {
            if (i % edge + lag < edge) {
                product += field[i] * field[i + lag];
                square += field[i] * field[i];
            }
        }
        return product / square;
    }

    private static SubjectState subject(Phenotype phenotype, int diagnosis) {
        return new SubjectState("p", 0, diagnosis, 0.5, phenotype, 1);
    }

    private static int brainVoxels(Phenotype phenotype, SiteProfile site) {
        float[] voxels = ImagingSynthesizer.volume(subject(phenotype, 0), site, 32, new SplittableRandom(2));
        int inside = 0;
        for (float v : voxels) {
            inside += v > 50 * site.scannerGain() ? 1 : 0;
        }
        return inside;
    }

    /** The frequency between 6 and 14 Hz with the most power at O1, in 0.25 Hz steps. */
    private static double alphaPeakHz(Phenotype phenotype, SiteProfile site) {
        float[] o1 = EegSynthesizer.signals(subject(phenotype, 0), site, 10, 128, new SplittableRandom(4))[17];
        double best = 0;
        double bestHz = 0;
        for (double hz = 6; hz <= 14; hz += 0.25) {
            double power = power(o1, hz, 128);
            if (power > best) {
                best = power;
                bestHz = hz;
            }
        }
        return bestHz;
    }

    private static double thetaPower(SubjectState subject, SiteProfile site) {
        return power(EegSynthesizer.signals(subject, site, 10, 128, new SplittableRandom(4))[4], 6, 128);
    }

    private static double power(float[] signal, double hz, int rate) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < signal.length; i++) {
            re += signal[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += signal[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return re * re + im * im;
    }

    /** The mean of a module's genes' departures from baseline along their loadings: the module's activity. */
    private static double moduleActivity(float[] profile, OmicsSynthesizer.Genes genes, int module) {
        double projection = 0;
        int count = 0;
        for (int g = 0; g < profile.length; g++) {
            if (genes.module()[g] == module && !Float.isNaN(profile[g])) {
                projection += (profile[g] - genes.baseline()[g]) * genes.loading()[g];
                count++;
            }
        }
        return projection / count;
    }
}
