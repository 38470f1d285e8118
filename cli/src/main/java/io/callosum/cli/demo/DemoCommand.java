package io.callosum.cli.demo;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.cli.BatchSamplingConverter;
import io.callosum.cli.ProgressBar;
import io.callosum.cli.TagConverter;
import io.callosum.cli.demo.report.DemoReport;
import io.callosum.cli.demo.report.ReportWriter;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.encoders.synth.AcquisitionShift;
import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.encoders.synth.SiteProfile;
import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.ProvisionPlan;
import io.callosum.protocol.pki.ServerNames;
import io.callosum.protocol.pki.Validity;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.FileBlobStore;
import io.callosum.protocol.transfer.TensorArchive;
import io.callosum.site.training.ModelSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The whole mission on one machine: a generated cohort of three hospitals holding different modalities, the
 * coordinator on an embedded PostgreSQL, three site-agent processes over loopback gRPC, federated JEPA rounds with
 * a live display, then a report comparing the federated encoders with centralized and local-only pretraining, and
 * the alignment phase over them with its retrieval and uncertainty assessment on freshly generated subjects.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a 3-site federation on generated data and write report.json and report.html.")
public class DemoCommand implements Callable<Integer> {
    static final String HOME_PROPERTY = "callosum.home";
    private static final int SITES = 3;
    private static final String CONSORTIUM = "Callosum demo";
    private static final int DEMO_EEG_SECONDS = 4;
    /**
     * FedAvgM's server step in the demo. Only two sites hold imaging, and averaging their updates shortens the step
     * where they disagree: in replays of the demo's imaging federation over 7 sampling seeds, 1.5 raised the
     * federated probe from 0.598 to 0.648 on average (see the README); EEG and omics were unchanged.
     */
    static final double FEDAVGM_SERVER_STEP = 1.5;

    @Option(names = "--out", defaultValue = "callosum-demo", paramLabel = "DIR",
            description = "cohort, database, logs and report (default ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--subjects", defaultValue = "240", description = "generated subjects (default ${DEFAULT-VALUE})")
    int subjects;

    @Option(names = "--rounds", defaultValue = "20", description = "federated rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--local-steps", defaultValue = "5",
            description = "local steps per round (default ${DEFAULT-VALUE}: averaging every 5 steps kept the EEG encoder"
                    + " nearer centralized pretraining than every 10 or 20, with the same 100 steps per site)")
    int localSteps;

    /** How the learning rate moves over the federation's local steps (and over each baseline's own). */
    enum Schedule {
        COSINE, CONSTANT;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The schedule a user writes in lower case, as the coordinator's configuration spells it. */
    static final class ScheduleConverter extends TagConverter<Schedule> {
        ScheduleConverter() {
            super(Schedule.class, Schedule::tag);
        }
    }

    @Option(names = "--lr-schedule", defaultValue = "cosine", converter = ScheduleConverter.class,
            description = "cosine (the learning rate falls to 0 over the federation's local steps, and over each"
                    + " baseline's own) or constant (default ${DEFAULT-VALUE})")
    Schedule learningRateSchedule;

    @Option(names = "--batch-sampling", defaultValue = "class-balanced", converter = BatchSamplingConverter.class,
            description = "how the sites' batches, and the baselines', draw subjects: class-balanced (every"
                    + " diagnosis a site records the same share; its non-IID class mix otherwise pulls the sites'"
                    + " encoders apart) or uniform (default ${DEFAULT-VALUE})")
    BatchSampling batchSampling;

    @Option(names = "--traits", description = "generate every subject with eight strongly expressed traits besides the"
            + " clinical phenotype (an identity each modality shows, for cross-modal retrieval; omics then expresses"
            + " them instead of the clinical components)")
    boolean traits;

    @Option(names = "--strategy", defaultValue = "fedavgm",
            description = "fedavg, fedprox, fedavgm, fedadam or fedyogi (default ${DEFAULT-VALUE})")
    String strategy;

    @Option(names = "--server-learning-rate", paramLabel = "ETA",
            description = "the server's step along the sites' mean update, for fedavgm, fedadam and fedyogi (default "
                    + FEDAVGM_SERVER_STEP + " for fedavgm: averaging the two imaging sites' updates shortens them;"
                    + " Flower's 0.1 and 0.01 for fedadam and fedyogi)")
    Optional<Double> serverLearningRate;

    @Option(names = "--server-momentum", defaultValue = "0", paramLabel = "BETA",
            description = "fedavgm's server momentum (default ${DEFAULT-VALUE})")
    double serverMomentum;

    @Option(names = "--lambda", defaultValue = "0.5", paramLabel = "LAMBDA",
            description = "SIGReg's weight against the prediction error, for every encoder --modality-lambda leaves"
                    + " (default ${DEFAULT-VALUE})")
    float lambda;

    @Option(names = "--modality-lambda", split = ",", defaultValue = "omics=0.3", paramLabel = "MODALITY=LAMBDA",
            description = "a modality's own SIGReg weight in place of --lambda, in the federation and its baselines"
                    + " alike (default ${DEFAULT-VALUE}: omics pretrains best at 0.3, and in replays of the demo's"
                    + " omics federation over 5 seeds it raised the federated probe from 0.767 to 0.806 on average)")
    Map<String, Float> modalityLambda;

    @Option(names = "--seed", defaultValue = "11", description = "cohort seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--secure-aggregation", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "mask the sites' updates with SecAgg+ so the coordinator sees only their sum"
                    + " (default on; --no-secure-aggregation sends them in the clear, over mTLS still)")
    boolean secureAggregation;

    @Option(names = "--dp-noise", defaultValue = "0", paramLabel = "Z",
            description = "differential privacy: the sites clip their updates to L2 norm --dp-clip and add noise so"
                    + " that the sum carries Z × clip (default ${DEFAULT-VALUE}: off; needs secure aggregation)")
    double dpNoise;

    @Option(names = "--dp-clip", defaultValue = "1.0", paramLabel = "C",
            description = "L2 clipping norm of a site's update under differential privacy (default ${DEFAULT-VALUE})")
    double dpClip;

    @Option(names = "--probe-subjects", defaultValue = "600",
            description = "freshly generated subjects, holding every modality, that the pretraining comparison's probes"
                    + " are fitted and scored on (default ${DEFAULT-VALUE}: 180 test subjects per split, where the"
                    + " training sites' own subjects left 48)")
    int probeSubjects;

    @Option(names = "--held-out-subjects", defaultValue = "200",
            description = "freshly generated subjects the aligned model is assessed on (default ${DEFAULT-VALUE})")
    int heldOutSubjects;

    @Option(names = "--calibration-subjects", defaultValue = "10000",
            description = "freshly generated subjects, holding only the anchor modality, that the diagnosis probe is"
                    + " fitted, calibrated and tested on (default ${DEFAULT-VALUE}: a 90%% conformal set's coverage of"
                    + " one random half then moves by about ±0.6 points, so all of 20 splits stay within ±2 points"
                    + " but in about one run in 50; with 6,000, one split strays further in about one run in 4)")
    int calibrationSubjects;

    @Option(names = "--shifted-subjects", defaultValue = "100",
            description = "freshly generated subjects of a site with unseen scanner, amplifier and assay, for"
                    + " out-of-distribution detection (default ${DEFAULT-VALUE})")
    int shiftedSubjects;

    @Option(names = "--exit", description = "stop the coordinator when the report is written")
    boolean exit;

    @Option(names = "--http-port", defaultValue = "8080", description = "API, health and metrics port (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--grpc-port", defaultValue = "9092", description = "Flower gRPC port (default ${DEFAULT-VALUE})")
    int grpcPort;

    @Option(names = "--startup-timeout", defaultValue = "PT2M",
            description = "how long to wait for the coordinator to become ready (default ${DEFAULT-VALUE})")
    Duration startupTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant started = Instant.now();
        Path dir = outDir.toAbsolutePath();
        Files.createDirectories(dir.resolve("logs"));
        String federation = "demo-" + started.getEpochSecond();
        // 4 s of EEG at 128 Hz in 128-sample patches (76 tokens) keeps a CPU round in seconds; 10 s in 64-sample
        // patches (380 tokens) takes minutes per round on two cores.
        ModelSettings model = new ModelSettings(64, 3, 4, 32, 2, 8, 128, 20, 7);
        float learningRate = 1e-3f;
        int batchSize = 32;
        Map<Modality, Float> modalityLambdas = modalityLambdas();

        Cohort cohort = generate(out, dir.resolve("cohort"));
        Map<String, Path> sites = new LinkedHashMap<>();
        for (SiteProfile site : cohort.sites()) {
            sites.put(site.name(), dir.resolve("cohort").resolve(site.name()));
        }

        Path pki = provision(out, dir.resolve("pki"), CONSORTIUM, sites.keySet());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("callosum.storage.dir", dir.resolve("blobs").toString());
        properties.put("callosum.tls.enabled", "true");
        properties.put("callosum.tls.dir", pki.toString());
        properties.put("callosum.federation.secure-aggregation.enabled", Boolean.toString(secureAggregation));
        properties.put("callosum.federation.differential-privacy.noise-multiplier", Double.toString(dpNoise));
        properties.put("callosum.federation.differential-privacy.clip-norm", Double.toString(dpClip));
        properties.put("callosum.federation.autostart", "true");
        properties.put("callosum.federation.name", federation);
        properties.put("callosum.federation.rounds", Integer.toString(rounds));
        properties.put("callosum.federation.min-sites", Integer.toString(SITES));
        properties.put("callosum.federation.strategy.name", strategy);
        serverLearningRate.or(() -> strategy.equals("fedavgm") ? Optional.of(FEDAVGM_SERVER_STEP) : Optional.empty())
                .ifPresent(eta -> properties.put("callosum.federation.strategy.server-learning-rate",
                        Double.toString(eta)));
        properties.put("callosum.federation.strategy.server-momentum", Double.toString(serverMomentum));
        properties.put("callosum.federation.training.local-steps", Integer.toString(localSteps));
        properties.put("callosum.federation.training.batch-size", Integer.toString(batchSize));
        properties.put("callosum.federation.training.learning-rate", Float.toString(learningRate));
        properties.put("callosum.federation.training.lambda", Float.toString(lambda));
        modalityLambdas.forEach((modality, own) -> properties.put(
                "callosum.federation.training.modality-lambda." + modality.tag(), Float.toString(own)));
        properties.put("callosum.federation.training.learning-rate-schedule", learningRateSchedule.tag());
        properties.put("callosum.federation.training.batch-sampling", batchSampling.tag());
        properties.put("callosum.federation.model.eeg-patch", Integer.toString(model.eegPatch()));
        DemoSettings settings = new DemoSettings(httpPort, grpcPort, Optional.of(dir.resolve("postgres")), properties,
                Optional.of(dir.resolve("logs/coordinator.log")), DemoSettings.newApiToken());
        Path apiToken = settings.writeApiToken(dir.resolve("api-token"));
        Path runJar = Path.of(System.getProperty(HOME_PROPERTY, ".")).resolve("coordinator/target/quarkus-app/quarkus-run.jar");

        out.printf("Starting the coordinator (log: %s)...%n", dir.resolve("logs/coordinator.log"));
        out.flush();
        List<SiteProcess> siteProcesses = new ArrayList<>();
        try (CoordinatorProcess coordinator = CoordinatorProcess.start(runJar, settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(siteProcesses, coordinator), "stop-demo"));
            if (!coordinator.awaitReady(startupTimeout)) {
                spec.commandLine().getErr().printf("The coordinator did not become ready within %s; see %s%n",
                        startupTimeout, dir.resolve("logs/coordinator.log"));
                return 1;
            }
            startSites(sites, pki, siteProcesses, dir, ".log");
            out.printf("Sites %s joining over mTLS on loopback%s (logs in %s)%n", sites.keySet(),
                    secureAggregation ? ", updates securely aggregated" : "", dir.resolve("logs"));
            JsonNode view = watch(out, new FederationWatcher(settings, federation));
            if (!FederationWatcher.status(view).equals("completed")) {
                spec.commandLine().getErr().printf("The federation ended %s: %s%n", FederationWatcher.status(view),
                        view.path("federation").path("failureReason").asText());
                return 1;
            }
            TensorSet global = finalModel(dir, view);
            List<DemoReport.ModalityComparison> comparison = compare(out, sites, model, global, batchSize,
                    learningRate, modalityLambdas, dir.resolve("probe-pool"));
            Optional<Aligned> aligned = align(out, settings, view, cohort, sites, pki, siteProcesses, model, dir);
            List<DemoReport.RoundSummary> roundSummaries = DemoReports.rounds(view);
            DemoReport report = new DemoReport(federation, started, Instant.now(),
                    new DemoReport.Settings(rounds, localSteps, batchSize, DemoReports.strategy(view), "sigreg",
                            DemoReports.lambda(view), learningRateSchedule.tag(), batchSampling.tag(), subjects,
                            traits, Engine.getInstance().defaultDevice().toString()),
                    DemoReports.protections(CONSORTIUM, List.copyOf(sites.keySet()), dpNoise, dpClip,
                            roundSummaries),
                    siteSummaries(cohort, sites), roundSummaries, comparison,
                    DemoReports.timings(Duration.between(started, Instant.now()).toMillis() / 1000.0, roundSummaries),
                    aligned.map(Aligned::alignment).orElse(null), aligned.map(Aligned::uncertainty).orElse(null));
            ReportWriter.writeJson(report, dir.resolve("report.json"));
            ReportWriter.writeHtml(report, dir.resolve("report.html"));
            printSummary(out, comparison, report, dir);
            out.print(Endpoints.describe(settings, coordinator.pid(), apiToken));
            out.flush();
            if (exit) {
                return 0;
            }
            out.println("The coordinator stays up with the console and API; Ctrl-C stops it.");
            out.flush();
            return coordinator.waitFor();
        } finally {
            for (SiteProcess site : siteProcesses) {
                site.close();
            }
        }
    }

    /**
     * A consortium of the demo's sites with its own CA, as {@code ./callosum provision} makes one; made afresh for
     * each run, so that no certificate outlives the demo that trusted it.
     */
    private static Path provision(PrintWriter out, Path pki, String consortium, Set<String> sites) throws Exception {
        if (Files.exists(pki)) {
            try (Stream<Path> old = Files.walk(pki)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        new ConsortiumDirectory(pki).provision(new ProvisionPlan(consortium, List.copyOf(sites), ServerNames.LOOPBACK,
                Validity.CA_DEFAULT, Validity.LEAF_DEFAULT, ProvisionPlan.REVOCATION_LIST_DEFAULT, false),
                Instant.now());
        out.printf("Provisioned consortium %s: a CA, the coordinator's certificate and one per site in %s%n",
                consortium, pki);
        return pki;
    }

    /**
     * The alignment phase over the pretrained encoders, then its assessment on freshly generated subjects; empty,
     * said why, when the phase did not complete. The sites' agents ended with the pretraining run, so they are
     * started again for it.
     */
    private Optional<Aligned> align(PrintWriter out, DemoSettings settings, JsonNode pretrained, Cohort cohort,
                                    Map<String, Path> sites, Path pki, List<SiteProcess> siteProcesses,
                                    ModelSettings model, Path dir) throws Exception {
        Instant started = Instant.now();
        AlignmentPhase phase = AlignmentPhase.after(pretrained.path("federation").path("plan").path("name").asText());
        FederationWatcher watcher = new FederationWatcher(settings, phase.federation());
        watcher.start(phase.plan(pretrained.path("federation").path("plan"),
                phase.participants(cohort.sites()).size()));
        for (SiteProcess site : siteProcesses) {
            site.close();
        }
        siteProcesses.clear();
        startSites(sites, pki, siteProcesses, dir, "-alignment.log");
        out.printf("Alignment phase %s: %d rounds binding every modality to %s over the frozen encoders%n",
                phase.federation(), phase.rounds(), phase.anchor());
        JsonNode view = watch(out, watcher);
        if (!FederationWatcher.status(view).equals("completed")) {
            spec.commandLine().getErr().printf("The alignment phase ended %s: %s; the report has no alignment"
                    + " section%n", FederationWatcher.status(view),
                    view.path("federation").path("failureReason").asText());
            return Optional.empty();
        }
        Path heldOut = dir.resolve("held-out");
        Cohort heldOutCohort = generator(heldOutSubjects, 1, seed + 1).write(heldOut,
                new ProgressBar(out, "held-out subjects", heldOutSubjects)::update);
        out.println();
        Path shifted = dir.resolve("shifted");
        generator(shiftedSubjects, 1, seed + 2).withShift(AcquisitionShift.UNSEEN_EQUIPMENT)
                .write(shifted, new ProgressBar(out, "unseen-equipment subjects", shiftedSubjects)::update);
        out.println();
        Path pool = dir.resolve("calibration");
        generator(calibrationSubjects, 1, seed + 3).holding(Set.of(phase.anchor())).write(pool,
                new ProgressBar(out, "calibration subjects (" + phase.anchor().tag() + ")", calibrationSubjects)
                        ::update);
        out.println();
        TensorSet alignedModel = finalModel(dir, view);
        AlignedEncoders encoders = new AlignedEncoders(alignedModel, model);
        AlignmentAssessment assessment = AlignmentAssessment.of(heldOut.resolve("site-01"), List.copyOf(sites.values()),
                encoders, phase.space(), phase.anchor(), new TruthMappedRetrieval(cohort, heldOutCohort));
        List<DemoReport.PairRetrieval> pairs = assessment.retrieval();
        DemoReport.Uncertainty uncertainty = new UncertaintyAssessment(encoders, phase.anchor()).assess(pool.resolve("site-01"), List.copyOf(sites.values()),
                heldOut.resolve("site-01"), shifted.resolve("site-01"), seed);
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        return Optional.of(new Aligned(new DemoReport.Alignment(phase.federation(), phase.anchor().tag(),
                phase.rounds(), phase.localSteps(), assessment.subjects(), seconds, pairs), uncertainty));
    }

    private record Aligned(DemoReport.Alignment alignment, DemoReport.Uncertainty uncertainty) {
    }

    /** One agent process per site, logging to {@code logs/<site><logSuffix>}. */
    private void startSites(Map<String, Path> sites, Path pki, List<SiteProcess> siteProcesses, Path dir,
                            String logSuffix) throws IOException {
        for (Map.Entry<String, Path> site : sites.entrySet()) {
            siteProcesses.add(SiteProcess.start(site.getKey(), site.getValue(), grpcPort, pki,
                    dir.resolve("state").resolve(site.getKey()),
                    dir.resolve("logs").resolve(site.getKey() + logSuffix)));
        }
    }

    /**
     * The demo's cohorts: the generator's defaults but a shorter EEG recording (see {@link #call}), with traits when
     * {@code --traits} asks for them, the same for the sites', probe, held-out and calibration cohorts.
     */
    private CohortGenerator generator(int subjects, int sites, long seed) {
        CohortSpec defaults = CohortSpec.defaults(subjects, sites, seed);
        CohortGenerator generator = new CohortGenerator(new CohortSpec(subjects, sites, seed, defaults.imagingEdge(),
                DEMO_EEG_SECONDS, defaults.eegRate(), defaults.omicsFeatures(), defaults.omicsModules()));
        return traits ? generator.withTraits() : generator;
    }

    private Cohort generate(PrintWriter out, Path cohortDir) throws Exception {
        ProgressBar progress = new ProgressBar(out, "cohort", subjects);
        Cohort cohort = generator(subjects, SITES, seed).write(cohortDir, progress::update);
        out.println();
        for (SiteProfile site : cohort.sites()) {
            out.printf("  %s holds %s%n", site.name(), site.modalities());
        }
        return cohort;
    }

    private static JsonNode watch(PrintWriter out, FederationWatcher watcher) throws Exception {
        ProgressBar progress = null;
        while (true) {
            JsonNode view = watcher.view();
            if (view != null) {
                int total = view.path("federation").path("plan").path("rounds").asInt();
                if (progress == null) {
                    progress = new ProgressBar(out, "rounds", total);
                }
                progress.update(FederationWatcher.completedRounds(view), FederationWatcher.headline(view));
                String status = FederationWatcher.status(view);
                if (status.equals("completed") || status.equals("failed")) {
                    out.println();
                    return view;
                }
            }
            Thread.sleep(1000);
        }
    }

    /** {@code --modality-lambda} by data modality, refused by name where a key names none. */
    Map<Modality, Float> modalityLambdas() {
        Map<Modality, Float> lambdas = new EnumMap<>(Modality.class);
        modalityLambda.forEach((tag, own) -> {
            Modality modality;
            try {
                modality = Modality.fromTag(tag);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--modality-lambda " + tag + "=" + own + ": "
                        + e.getMessage());
            }
            if (!Modality.DATA.contains(modality)) {
                throw new ParameterException(spec.commandLine(), "--modality-lambda " + tag + "=" + own + ": "
                        + modality + " has no encoder (expected one of " + Modality.DATA + ")");
            }
            lambdas.put(modality, own);
        });
        return lambdas;
    }

    private static TensorSet finalModel(Path dir, JsonNode view) throws Exception {
        JsonNode versions = view.path("versions");
        String sha256 = versions.get(versions.size() - 1).path("content").path("sha256").asText();
        return TensorArchive.read(new FileBlobStore(dir.resolve("blobs/versions")).path(BlobId.of(sha256)));
    }

    private List<DemoReport.ModalityComparison> compare(PrintWriter out, Map<String, Path> sites, ModelSettings model,
                                                        TensorSet global, int batchSize, float learningRate,
                                                        Map<Modality, Float> modalityLambdas, Path probePool)
            throws Exception {
        generator(probeSubjects, 1, seed + 4).write(probePool,
                new ProgressBar(out, "probe subjects", probeSubjects)::update);
        out.println();
        SiteCatalog probeSite = SiteCatalog.read(probePool.resolve("site-01"));
        ProbeComparison comparison = new ProbeComparison(sites, model, batchSize, learningRate, lambda,
                modalityLambdas, learningRateSchedule == Schedule.COSINE, batchSampling);
        List<DemoReport.ModalityComparison> results = new ArrayList<>();
        for (Modality modality : global.modalities().stream().sorted().toList()) {
            results.add(comparison.compare(modality, global, rounds * localSteps,
                    DatasetLoader.load(probeSite, modality),
                    total -> new ProgressBar(out, "baselines " + modality, total)::update));
            out.println();
        }
        return results;
    }

    private static List<DemoReport.SiteSummary> siteSummaries(Cohort cohort, Map<String, Path> sites)
            throws IOException {
        List<DemoReport.SiteSummary> summaries = new ArrayList<>();
        for (SiteProfile site : cohort.sites()) {
            SiteCatalog catalog = SiteCatalog.read(sites.get(site.name()));
            Map<String, Integer> subjects = new TreeMap<>();
            for (Modality modality : site.modalities()) {
                subjects.put(modality.tag(), catalog.with(modality).size());
            }
            summaries.add(new DemoReport.SiteSummary(site.name(),
                    site.modalities().stream().map(Modality::tag).sorted().toList(), subjects));
        }
        return summaries;
    }

    private void printSummary(PrintWriter out, List<DemoReport.ModalityComparison> comparison,
                              DemoReport report, Path dir) {
        out.printf("Probe accuracy on %d freshly generated subjects (federated / centralized / local-only at the weakest"
                + " site):%n", probeSubjects);
        for (DemoReport.ModalityComparison c : comparison) {
            out.printf(Locale.ROOT, "  %-8s %.3f / %.3f (%.0f%%, goal 95%%: %s) / %.3f at %s (%s); random init %.3f;"
                            + " centralized after %d steps %.3f%n",
                    c.modality(), c.federated(), c.centralized(), 100 * c.federatedOverCentralized(),
                    c.meetsCentralizedGoal() ? "met" : "missed", c.localOnly(), c.weakestSite(),
                    c.meetsLocalGoal() ? "met" : "missed", c.randomInit(), c.federationLength(),
                    c.centralizedAtFederationLength());
        }
        if (report.alignment() != null) {
            out.printf("Cross-modal retrieval among %d held-out subjects (anchor %s):%n",
                    report.alignment().heldOutSubjects(), report.alignment().anchor());
            for (DemoReport.PairRetrieval p : report.alignment().pairs()) {
                out.printf(Locale.ROOT, "  %-7s → %-7s R@1 %.3f (chance %.3f), R@10 %.3f (chance %.3f)%s;"
                                + " mapped onto the truth: %.3f / %.3f%n",
                        p.query(), p.bank(), p.recallAt1(), p.chanceAt1(), p.recallAt10(), p.chanceAt10(),
                        p.boundDirectly() ? "" : ", bound only through the anchor", p.truthMappedRecallAt1(),
                        p.truthMappedRecallAt10());
            }
        }
        if (report.uncertainty() != null) {
            DemoReport.Uncertainty u = report.uncertainty();
            out.printf(Locale.ROOT, "Diagnosis probe on %s: accuracy %.3f, ECE %.3f → %.3f after temperature scaling;"
                            + " %.0f%% conformal sets cover %.1f%%–%.1f%% over %d calibration splits%n",
                    u.modality(), u.accuracy(), u.eceBefore(), u.eceAfter(), 100 * u.level(),
                    100 * u.splitCoverage().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    100 * u.splitCoverage().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    u.splitCoverage().size());
            for (DemoReport.OodDetection d : u.outOfDistribution()) {
                out.printf(Locale.ROOT, "  unseen equipment flagged on %s embeddings: AUROC %.3f (Mahalanobis),"
                        + " %.3f (energy), %.3f (tokenizer statistics), %d shifted against %d held-out subjects%n",
                        d.modality(), d.mahalanobisAuroc(), d.energyAuroc(), d.tokenStatisticsAuroc(), d.shifted(),
                        d.inDistribution());
            }
        }
        out.printf("Report: %s and %s%n", dir.resolve("report.json"), dir.resolve("report.html"));
    }

    private static void stopAll(List<SiteProcess> sites, CoordinatorProcess coordinator) {
        try {
            for (SiteProcess site : sites) {
                site.close();
            }
            coordinator.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
