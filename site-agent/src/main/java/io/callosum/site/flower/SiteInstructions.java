package io.callosum.site.flower;

import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.Objective;
import io.callosum.protocol.federation.FitPlan;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.federation.ParameterReference;
import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.flower.proto.Transport.Status;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.TransferClient;
import io.callosum.site.training.EvaluationOutcome;
import io.callosum.site.training.FitOutcome;
import io.callosum.site.training.FitSettings;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.training.ModelSettings;
import io.grpc.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a site agent does for each Flower instruction. It keeps its local models across streams, so a reconnect
 * after a coordinator restart costs nothing but the next instruction; only the site's own updated tensors and
 * aggregate metrics ever leave it.
 */
final class SiteInstructions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SiteInstructions.class);
    private static final Status SUCCESS = Status.newBuilder().setCode(Code.OK).setMessage("Success").build();

    private final SiteAgentSettings settings;
    private final TransferClient transfer;
    private final SiteProperties properties;
    private final Path spool;
    private LocalTraining training;
    private ModelPlan trainingPlan;

    SiteInstructions(SiteAgentSettings settings, Channel channel) {
        this.settings = settings;
        this.transfer = new TransferClient(channel, settings.maxMessageBytes());
        this.properties = inventory(settings);
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
        FitPlan plan = FitPlan.from(instruction.getConfigMap());
        LocalTraining local = trainingFor(plan.model());
        TensorSet global = received(instruction.getParameters(), instruction.getConfigMap(), "fit_ins");
        LOG.info("[{} round {}] fitting {} local steps on {} ({} bytes received)", settings.site(), plan.round(),
                plan.localSteps(), global.modalities(), global.byteSize());
        FitOutcome outcome = local.fit(global, new FitSettings(plan.localSteps(), (float) plan.learningRate(),
                plan.batchSize(), Objective.valueOf(plan.objective().toUpperCase(Locale.ROOT)), (float) plan.lambda(),
                (float) plan.proximalMu()));
        Map<String, Scalar> metrics = new LinkedHashMap<>();
        outcome.metrics().forEach((key, value) -> metrics.put(key, ScalarMaps.of(value)));
        Parameters parameters = outgoing(outcome.update(), metrics);
        LOG.info("[{} round {}] sending {} tensors ({} bytes) trained on {} examples: {}", settings.site(),
                plan.round(), outcome.update().size(), outcome.update().byteSize(), outcome.examples(),
                outcome.metrics());
        return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(SUCCESS)
                .setParameters(parameters).setNumExamples(outcome.examples()).putAllMetrics(metrics)).build();
    }

    private ClientMessage evaluate(ServerMessage.EvaluateIns instruction) {
        Map<String, Scalar> config = instruction.getConfigMap();
        long round = ScalarMaps.integer(config, FitPlan.ROUND, "evaluate_ins config");
        LocalTraining local = trainingFor(ModelPlan.from(config, "evaluate_ins config"));
        TensorSet global = received(instruction.getParameters(), config, "evaluate_ins");
        EvaluationOutcome outcome = local.evaluate(global);
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
        return describeOrUpload(update, metrics)
                ? Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE).build()
                : FlowerParameters.encode(update);
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
    }
}
