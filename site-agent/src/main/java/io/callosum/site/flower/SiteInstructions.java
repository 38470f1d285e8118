package io.callosum.site.flower;

import io.callosum.alignment.binding.BindingConfig;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.optim.LearningRateSchedule;
import io.callosum.protocol.federation.AlignmentSpace;
import io.callosum.protocol.federation.FitPlan;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.federation.ParameterReference;
import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.federation.SecureFitEntries;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.flower.proto.Transport.Status;
import io.callosum.protocol.privacy.PrivacyBudgetExceededException;
import io.callosum.protocol.secagg.SecAggAbortedException;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.TransferClient;
import io.callosum.site.training.EvaluationOutcome;
import io.callosum.site.training.FitOutcome;
import io.callosum.site.training.FitSettings;
import io.callosum.site.training.LocalAlignment;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.secagg.SecureFitSession;
import io.callosum.site.secagg.SitePrivacy;
import io.callosum.site.training.ModelSettings;
import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a site agent does for each Flower instruction. It keeps its local models across streams, so a reconnect
 * after a coordinator restart costs nothing but the next instruction; only the site's own updated tensors and
 * aggregate metrics ever leave it.
 */
final class SiteInstructions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SiteInstructions.class);
    private static final Status SUCCESS = Status.newBuilder().setCode(Code.OK).setMessage("Success").build();
    private static final Parameters NO_TENSORS = Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE)
            .build();

    private final SiteAgentSettings settings;
    private final TransferClient transfer;
    private final SiteProperties properties;
    private final Path spool;
    private final SecureRandom random = new SecureRandom();
    private final SitePrivacy privacy;
    private LocalTraining training;
    private ModelPlan trainingPlan;
    private SecureFitSession secure;

    SiteInstructions(SiteAgentSettings settings, Channel channel) {
        this.settings = settings;
        this.transfer = new TransferClient(channel, settings.maxMessageBytes());
        this.properties = inventory(settings);
        this.privacy = new SitePrivacy(settings.site(), settings.privacy());
        try {
            this.spool = Files.createTempDirectory("callosum-" + settings.site());
        } catch (IOException e) {
            throw new UncheckedIOException("no spool directory for downloads", e);
        }
        LOG.info("[{}] holds {}", settings.site(), properties.subjects());
    }

    ClientMessage answer(ServerMessage instruction) {
        return switch (instruction.getMsgCase()) {
            case GET_PROPERTIES_INS -> describe(instruction.getGetPropertiesIns().getConfigMap());
            case GET_PARAMETERS_INS -> parameters(instruction.getGetParametersIns().getConfigMap());
            case FIT_INS -> fit(instruction.getFitIns());
            case EVALUATE_INS -> evaluate(instruction.getEvaluateIns());
            default -> throw new IllegalArgumentException("unexpected instruction "
                    + instruction.getMsgCase().name().toLowerCase());
        };
    }

    /**
     * Who this site is; with a model plan in the config, also the names and shapes of its tensors, and when they
     * are too large for {@code get_parameters_res} (which has no map to name a reference in), their upload.
     */
    private ClientMessage describe(Map<String, Scalar> config) {
        Map<String, Scalar> described = new LinkedHashMap<>(properties.toProperties());
        if (!config.isEmpty()) {
            TensorSet parameters = trainingFor(ModelPlan.from(config, "get_properties_ins config")).parameters();
            describeOrUpload(parameters, described);
        }
        return ClientMessage.newBuilder().setGetPropertiesRes(ClientMessage.GetPropertiesRes.newBuilder()
                .setStatus(SUCCESS).putAllProperties(described)).build();
    }

    private ClientMessage parameters(Map<String, Scalar> config) {
        TensorSet parameters = trainingFor(ModelPlan.from(config, "get_parameters_ins config")).parameters();
        LOG.info("[{}] sending initial parameters: {} tensors, {} bytes", settings.site(), parameters.size(),
                parameters.byteSize());
        return ClientMessage.newBuilder().setGetParametersRes(ClientMessage.GetParametersRes.newBuilder()
                .setStatus(SUCCESS).setParameters(FlowerParameters.encode(parameters))).build();
    }

    private ClientMessage fit(ServerMessage.FitIns instruction) {
        Map<String, Scalar> config = instruction.getConfigMap();
        Optional<SecAggStage> stage = SecureFitEntries.stage(config, "fit_ins config");
        if (stage.isPresent() && stage.get() != SecAggStage.ADVERTISE_KEYS) {
            return secureStage(stage.get(), config);
        }
        FitPlan plan = FitPlan.from(config);
        LocalTraining local = trainingFor(plan.model());
        Optional<AlignmentSpace> alignment = AlignmentSpace.in(config, "fit_ins config");
        if (alignment.isEmpty()) {
            FitSettings steps = new FitSettings(plan.localSteps(), (float) plan.learningRate(), plan.batchSize(),
                    Objective.valueOf(plan.objective().toUpperCase(Locale.ROOT)), (float) plan.lambda(),
                    (float) plan.proximalMu(), plan.decaySteps(), plan.decayStart(),
                    BatchSampling.parse(plan.batchSampling(), "fit_ins config"), modalityLambdas(plan));
            return trainAndAnswer(plan, stage.isPresent(), instruction, "fitting " + plan.localSteps()
                    + " local steps", global -> local.fit(global, steps));
        }
        // A site without a pair with the anchor refuses before a secure round could charge its privacy budget.
        AlignmentSpace space = alignment.get();
        LocalAlignment aligning = new LocalAlignment(settings.site(), local);
        Optional<String> refused = aligning.refusal(space.anchor());
        if (refused.isPresent()) {
            LOG.info("[{} round {}] skips the alignment round: {}", settings.site(), plan.round(), refused.get());
            return refusal(refused.get());
        }
        BindingConfig binding = new BindingConfig(space.anchor(), AlignmentConfig.from(space), plan.localSteps(),
                new LearningRateSchedule((float) plan.learningRate(), plan.decaySteps(), plan.decayStart()),
                plan.batchSize(), LocalTraining.samplingSeed(settings.site(), plan.round()));
        return trainAndAnswer(plan, stage.isPresent(), instruction, "binding its heads to " + space.anchor() + " in "
                + plan.localSteps() + " local steps", global -> aligning.fit(global, binding));
    }

    /**
     * Trains for a fit instruction, pretraining or alignment alike, and answers it: with the update, or, in a secure
     * round, with the keys that open the round's later stages, the update kept in the session to be masked there. A
     * secure round is admitted (and charged to the privacy budget, or refused over it) before training.
     */
    private ClientMessage trainAndAnswer(FitPlan plan, boolean secureRound, ServerMessage.FitIns instruction,
                                         String work, Function<TensorSet, FitOutcome> training) {
        Map<String, Scalar> config = instruction.getConfigMap();
        SecureFitSession session = null;
        if (secureRound) {
            secure = null;
            try {
                session = SecureFitSession.open(config, random, privacy);
            } catch (PrivacyBudgetExceededException | UncheckedIOException e) {
                LOG.warn("[{} round {}] refuses the round: {}", settings.site(), plan.round(), e.getMessage());
                return refusal(e.getMessage());
            }
        }
        TensorSet global = received(instruction.getParameters(), config, "fit_ins");
        LOG.info("[{} round {}] {} on {} ({} bytes received){}", settings.site(), plan.round(), work,
                global.modalities(), global.byteSize(), secureRound ? " for secure aggregation" : "");
        FitOutcome outcome = training.apply(global);
        Map<String, Scalar> metrics = new LinkedHashMap<>();
        outcome.metrics().forEach((key, value) -> metrics.put(key, ScalarMaps.of(value)));
        if (session != null) {
            secure = session;
            metrics.putAll(secure.advertise(global, outcome.update()));
            LOG.info("[{} round {}] trained {} tensors on {} examples: {}; keys advertised for secure round {} ({}"
                    + " sites, threshold {})", settings.site(), plan.round(), outcome.update().size(),
                    outcome.examples(), outcome.metrics(), secure.round(), secure.config().clients().size(),
                    secure.config().threshold());
            return fitResult(NO_TENSORS, outcome.examples(), metrics);
        }
        Parameters parameters = outgoing(outcome.update(), metrics);
        LOG.info("[{} round {}] sending {} tensors ({} bytes) trained on {} examples: {}", settings.site(),
                plan.round(), outcome.update().size(), outcome.update().byteSize(), outcome.examples(),
                outcome.metrics());
        return fitResult(parameters, outcome.examples(), metrics);
    }

    /**
     * The stages of a secure round after training. A stage this site cannot take part in (too few neighbours
     * left, a message that breaks the protocol) is answered with a refusal naming why, so the coordinator
     * records it and the round goes on without this site, as SecAgg+ allows.
     */
    private ClientMessage secureStage(SecAggStage stage, Map<String, Scalar> config) {
        if (secure == null) {
            return refusal("stage " + stage + " arrived, but no secure round is open at this site");
        }
        String tag = "[" + settings.site() + " secure round " + secure.round() + "]";
        try {
            return switch (stage) {
                case SHARE_KEYS -> {
                    LOG.info("{} sharing keys with its neighbours", tag);
                    yield fitResult(NO_TENSORS, 0, secure.shareKeys(config));
                }
                case MASKED_INPUT -> {
                    TensorSet masked = secure.maskedInput(config);
                    Map<String, Scalar> entries = secure.maskedInputEntries();
                    LOG.info("{} sending its masked update ({} bytes)", tag, masked.byteSize());
                    yield fitResult(outgoing(masked, entries), 0, entries);
                }
                case UNMASKING -> {
                    Map<String, Scalar> entries = secure.unmask(config);
                    secure = null;
                    LOG.info("{} revealed its shares for unmasking", tag);
                    yield fitResult(NO_TENSORS, 0, entries);
                }
                case ADVERTISE_KEYS -> throw new IllegalStateException("advertising is part of training");
            };
        } catch (SecAggAbortedException | IllegalArgumentException e) {
            secure = null;
            LOG.warn("{} leaves the round: {}", tag, e.getMessage());
            return refusal(e.getMessage());
        }
    }

    private static ClientMessage fitResult(Parameters parameters, long examples, Map<String, Scalar> metrics) {
        return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(SUCCESS)
                .setParameters(parameters).setNumExamples(examples).putAllMetrics(metrics)).build();
    }

    /** Flower's status codes name no refusal; the fit one with the reason is what a Flower server records. */
    private static Map<Modality, Float> modalityLambdas(FitPlan plan) {
        Map<Modality, Float> lambdas = new EnumMap<>(Modality.class);
        plan.modalityLambdas().forEach((modality, lambda) -> lambdas.put(modality, lambda.floatValue()));
        return lambdas;
    }

    private static ClientMessage refusal(String reason) {
        return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(Status.newBuilder()
                .setCode(Code.FIT_NOT_IMPLEMENTED).setMessage("refused: " + reason))).build();
    }

    private ClientMessage evaluate(ServerMessage.EvaluateIns instruction) {
        Map<String, Scalar> config = instruction.getConfigMap();
        long round = ScalarMaps.integer(config, FitPlan.ROUND, "evaluate_ins config");
        LocalTraining local = trainingFor(ModelPlan.from(config, "evaluate_ins config"));
        Optional<AlignmentSpace> alignment = AlignmentSpace.in(config, "evaluate_ins config");
        Optional<String> refused = alignment.flatMap(space -> new LocalAlignment(settings.site(), local)
                .refusal(space.anchor()));
        if (refused.isPresent()) {
            LOG.info("[{} round {}] skips the alignment evaluation: {}", settings.site(), round, refused.get());
            return ClientMessage.newBuilder().setEvaluateRes(ClientMessage.EvaluateRes.newBuilder().setStatus(
                    Status.newBuilder().setCode(Code.EVALUATE_NOT_IMPLEMENTED).setMessage("refused: "
                            + refused.get()))).build();
        }
        TensorSet global = received(instruction.getParameters(), config, "evaluate_ins");
        EvaluationOutcome outcome = alignment.isPresent()
                ? new LocalAlignment(settings.site(), local).evaluate(global, AlignmentConfig.from(alignment.get()),
                        alignment.get().anchor())
                : local.evaluate(global);
        Map<String, Scalar> metrics = new LinkedHashMap<>();
        outcome.metrics().forEach((key, value) -> metrics.put(key, ScalarMaps.of(value)));
        LOG.info("[{} round {}] evaluated on {} held-out examples: {}", settings.site(), round, outcome.examples(),
                outcome.metrics());
        return ClientMessage.newBuilder().setEvaluateRes(ClientMessage.EvaluateRes.newBuilder().setStatus(SUCCESS)
                .setLoss((float) outcome.loss()).setNumExamples(outcome.examples()).putAllMetrics(metrics)).build();
    }

    /** The instruction's tensors: inline with their manifest, or fetched by hash over the transfer service. */
    private TensorSet received(Parameters parameters, Map<String, Scalar> config, String where) {
        Optional<BlobId> reference = ParameterReference.in(config, where + " config");
        if (reference.isPresent()) {
            try {
                return transfer.downloadTensors(reference.get(), spool);
            } catch (IOException e) {
                throw new UncheckedIOException(where + ": tensors " + reference.get() + " could not be fetched", e);
            }
        }
        TensorManifest manifest = FlowerParameters.manifestIn(config).orElseThrow(() ->
                new IllegalArgumentException(where + " carries no '" + FlowerParameters.MANIFEST_KEY + "' manifest"));
        return FlowerParameters.decode(parameters, manifest);
    }

    /** The update inline, or uploaded in chunks when it would not fit one message with room for its framing. */
    private Parameters outgoing(TensorSet update, Map<String, Scalar> metrics) {
        return describeOrUpload(update, metrics) ? NO_TENSORS : FlowerParameters.encode(update);
    }

    /**
     * Puts the manifest of {@code tensors} into {@code entries} and, when the set would not fit one message,
     * uploads it and puts its reference there too; whether it went by reference.
     */
    private boolean describeOrUpload(TensorSet tensors, Map<String, Scalar> entries) {
        entries.put(FlowerParameters.MANIFEST_KEY, FlowerParameters.manifestEntry(tensors.manifest()));
        if (ParameterReference.travelsInline(tensors, settings.maxMessageBytes())) {
            return false;
        }
        try {
            ParameterReference.put(entries, transfer.upload(tensors));
        } catch (IOException e) {
            throw new UncheckedIOException(tensors.size() + " tensors could not be uploaded", e);
        }
        return true;
    }

    private LocalTraining trainingFor(ModelPlan plan) {
        if (training != null && plan.equals(trainingPlan)) {
            return training;
        }
        if (training != null) {
            LOG.info("[{}] the coordinator asks for another model shape; rebuilding the local models", settings.site());
            training.close();
        }
        try {
            training = LocalTraining.open(settings.site(), settings.dataDir(), new ModelSettings(plan.dim(),
                    plan.depth(), plan.heads(), plan.predictorDim(), plan.predictorDepth(), plan.imagingPatch(),
                    plan.eegPatch(), plan.omicsGroups(), plan.seed()), settings.seed());
        } catch (IOException e) {
            throw new UncheckedIOException("site data in " + settings.dataDir() + " could not be loaded", e);
        }
        trainingPlan = plan;
        return training;
    }

    private static SiteProperties inventory(SiteAgentSettings settings) {
        try {
            SiteCatalog catalog = SiteCatalog.read(settings.dataDir());
            Map<Modality, Integer> subjects = new EnumMap<>(Modality.class);
            for (Modality modality : new Modality[] {Modality.IMAGING, Modality.EEG, Modality.OMICS}) {
                int count = catalog.with(modality).size();
                if (count > 0) {
                    subjects.put(modality, count);
                }
            }
            return new SiteProperties(settings.site(), subjects);
        } catch (IOException e) {
            throw new UncheckedIOException("site catalog in " + settings.dataDir() + " could not be read", e);
        }
    }

    @Override
    public void close() {
        if (training != null) {
            training.close();
        }
        try {
            privacy.close();
        } catch (IOException e) {
            LOG.warn("[{}] privacy ledger did not close cleanly: {}", settings.site(), e.getMessage());
        }
    }
}
