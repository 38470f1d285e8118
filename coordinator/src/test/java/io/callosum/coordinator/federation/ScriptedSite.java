package io.callosum.coordinator.federation;

import io.callosum.alignment.space.HeadNames;
import io.callosum.protocol.federation.AlignmentSpace;
import io.callosum.protocol.federation.FitPlan;
import io.callosum.protocol.federation.ModalityExamples;
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
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.privacy.PrivacyBudgetExceededException;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.TransferClient;
import io.callosum.site.secagg.PrivacyBudget;
import io.callosum.site.secagg.SecureFitSession;
import io.callosum.site.secagg.SitePrivacy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A site agent whose "training" is known arithmetic: its update is the global tensors it was sent plus its own
 * offset, so the aggregate a round must produce can be computed by hand. It speaks Callosum's conventions
 * (properties, manifests, chunked transfer by reference) exactly as the real site agent does; in a secure
 * alignment round it updates, as a real site does, only the heads of its modalities and the loss's tensors.
 */
final class ScriptedSite implements ScriptedParticipant.Behaviour, AutoCloseable {
    static final Status SUCCESS = Status.newBuilder().setCode(Code.OK).setMessage("Success").build();
    private static final Parameters NO_TENSORS = Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE)
            .build();

    private final SiteProperties properties;
    private final TensorSet initial;
    private final float offset;
    private final long examples;
    private final ManagedChannel transferChannel;
    private final MessageTally transferMessages = new MessageTally();
    private final TransferClient transfer;
    private final Path downloads;
    private final int maxMessageBytes;
    private final AtomicInteger uploadCount = new AtomicInteger();
    private final AtomicInteger downloadCount = new AtomicInteger();
    private volatile int dropAtRound = -1;
    private volatile int nanAtRound = -1;
    private volatile long fitDelayMillis;
    private final SecureRandom random = new SecureRandom();
    private volatile SecureFitSession secure;
    private volatile SecAggStage silentAt;
    private volatile SitePrivacy privacy;
    private volatile Map<Modality, Long> modalityExamples = Map.of();

    ScriptedSite(String name, Set<Modality> modalities, TensorSet initial, float offset, long examples, int port,
                 int maxMessageBytes) {
        Map<Modality, Integer> subjects = new LinkedHashMap<>();
        modalities.forEach(m -> subjects.put(m, (int) examples));
        this.properties = new SiteProperties(name, subjects);
        this.initial = initial.select(modalities);
        this.offset = offset;
        this.examples = examples;
        this.maxMessageBytes = maxMessageBytes;
        try {
            this.privacy = new SitePrivacy(name, PrivacyBudget.defaults(name).withLedgerDir(
                    Files.createTempDirectory("ledger-" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException("no directory for " + name + "'s privacy ledger", e);
        }
        this.transferChannel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(maxMessageBytes).intercept(transferMessages).build();
        this.transfer = new TransferClient(transferChannel, maxMessageBytes);
        try {
            this.downloads = Files.createTempDirectory("scripted-site-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("no directory for " + name + "'s downloads", e);
        }
    }

    ScriptedSite droppingAtRound(int round) {
        dropAtRound = round;
        return this;
    }

    ScriptedSite sendingNanAtRound(int round) {
        nanAtRound = round;
        return this;
    }

    /** Spends at most {@code epsilon} of differential privacy (at δ = 1e-5), its ledger in a fresh directory. */
    ScriptedSite withPrivacyBudget(double epsilon) throws IOException {
        privacy = new SitePrivacy(name(), new PrivacyBudget(epsilon, 1e-5, Files.createTempDirectory("ledger-")));
        return this;
    }

    /** Leaves (closes its stream) when a secure round reaches {@code stage}. */
    ScriptedSite droppingAtStage(SecAggStage stage) {
        silentAt = stage;
        return this;
    }

    ScriptedSite slowBy(long millis) {
        fitDelayMillis = millis;
        return this;
    }

    String name() {
        return properties.site();
    }

    /** How many tensor sets this site sent over the transfer service (its initial model, its updates). */
    int uploads() {
        return uploadCount.get();
    }

    /** How many global models this site fetched over the transfer service. */
    int downloads() {
        return downloadCount.get();
    }

    MessageTally transferMessages() {
        return transferMessages;
    }

    @Override
    public ClientMessage answer(ServerMessage instruction) throws Exception {
        switch (instruction.getMsgCase()) {
            case GET_PROPERTIES_INS -> {
                Map<String, Scalar> described = new LinkedHashMap<>(properties.toProperties());
                if (instruction.getGetPropertiesIns().getConfigCount() > 0) {
                    // A set too large for get_parameters_res is uploaded now and named beside its manifest.
                    describeOrUpload(initial, described);
                }
                return ClientMessage.newBuilder().setGetPropertiesRes(ClientMessage.GetPropertiesRes.newBuilder()
                        .setStatus(SUCCESS).putAllProperties(described)).build();
            }
            case GET_PARAMETERS_INS -> {
                return ClientMessage.newBuilder().setGetParametersRes(ClientMessage.GetParametersRes.newBuilder()
                        .setStatus(SUCCESS).setParameters(FlowerParameters.encode(initial))).build();
            }
            case FIT_INS -> {
                ServerMessage.FitIns fit = instruction.getFitIns();
                Optional<SecAggStage> stage = SecureFitEntries.stage(fit.getConfigMap(), "test fit_ins");
                if (stage.isPresent()) {
                    return secureFit(fit, stage.get());
                }
                int round = FitPlan.from(fit.getConfigMap()).round();
                if (round == dropAtRound) {
                    return null;
                }
                TimeUnit.MILLISECONDS.sleep(fitDelayMillis);
                TensorSet global = received(fit.getParameters(), fit.getConfigMap());
                TensorSet update = shifted(global, round == nanAtRound ? Float.NaN : offset);
                Map<String, Scalar> metrics = new LinkedHashMap<>();
                metrics.put("loss." + properties.modalities().iterator().next(), ScalarMaps.of(1.0 / round));
                Parameters parameters = describeOrUpload(update, metrics) ? NO_TENSORS : FlowerParameters.encode(update);
                return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(SUCCESS)
                        .setParameters(parameters).setNumExamples(fitExamples(metrics)).putAllMetrics(metrics))
                        .build();
            }
            case EVALUATE_INS -> {
                ServerMessage.EvaluateIns evaluate = instruction.getEvaluateIns();
                TensorSet global = received(evaluate.getParameters(), evaluate.getConfigMap());
                Map<String, Scalar> metrics = new LinkedHashMap<>();
                for (Modality modality : properties.modalities()) {
                    metrics.put("probe_accuracy." + modality, ScalarMaps.of(0.5 + offset / 10));
                    metrics.put("examples." + modality, ScalarMaps.of(examples));
                }
                return ClientMessage.newBuilder().setEvaluateRes(ClientMessage.EvaluateRes.newBuilder()
                        .setStatus(SUCCESS).setLoss(mean(global)).setNumExamples(examples).putAllMetrics(metrics))
                        .build();
            }
            default -> throw new IllegalStateException("unexpected " + instruction.getMsgCase());
        }
    }

    /** A secure round's stages, answered by the site agent's own session with this site's known update. */
    private ClientMessage secureFit(ServerMessage.FitIns fit, SecAggStage stage) throws Exception {
        if (stage == silentAt) {
            return null;
        }
        Map<String, Scalar> config = fit.getConfigMap();
        Map<String, Scalar> entries = new LinkedHashMap<>();
        Parameters parameters = NO_TENSORS;
        long answeredExamples = 0;
        switch (stage) {
            case ADVERTISE_KEYS -> {
                TensorSet global = received(fit.getParameters(), config);
                TensorSet trained = AlignmentSpace.in(config, "test fit_ins").isPresent() ? sharedSpaceOf(global)
                        : global;
                try {
                    secure = SecureFitSession.open(config, random, privacy);
                } catch (PrivacyBudgetExceededException e) {
                    return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(
                            Status.newBuilder().setCode(Code.FIT_NOT_IMPLEMENTED).setMessage("refused: "
                                    + e.getMessage()))).build();
                }
                entries.putAll(secure.advertise(global, shifted(trained, offset)));
                answeredExamples = fitExamples(entries);
            }
            case SHARE_KEYS -> entries.putAll(secure.shareKeys(config));
            case MASKED_INPUT -> {
                TensorSet masked = secure.maskedInput(config);
                entries.putAll(secure.maskedInputEntries());
                parameters = describeOrUpload(masked, entries) ? NO_TENSORS : FlowerParameters.encode(masked);
            }
            case UNMASKING -> entries.putAll(secure.unmask(config));
        }
        return ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder().setStatus(SUCCESS)
                .setParameters(parameters).setNumExamples(answeredExamples).putAllMetrics(entries)).build();
    }

    /**
     * From now on a fit reports {@code counts} as its examples per modality ({@code examples.<modality>}) and their
     * sum as num_examples, as a site agent does; before, the one count for every modality and no per-modality metric.
     */
    void reportExamplesPerModality(Map<Modality, Long> counts) {
        modalityExamples = Map.copyOf(counts);
    }

    /** num_examples of a fit, with the per-modality counts put into {@code metrics} when there are any. */
    private long fitExamples(Map<String, Scalar> metrics) {
        Map<Modality, Long> counts = modalityExamples;
        counts.forEach((modality, count) -> metrics.put(ModalityExamples.key(modality), ScalarMaps.of(count)));
        return counts.isEmpty() ? examples : counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Puts the manifest of {@code tensors} into {@code entries} and, when the set is too large for one message,
     * uploads it and puts its reference there too; whether it went by reference.
     */
    private boolean describeOrUpload(TensorSet tensors, Map<String, Scalar> entries) throws IOException {
        entries.put(FlowerParameters.MANIFEST_KEY, FlowerParameters.manifestEntry(tensors.manifest()));
        if (ParameterReference.travelsInline(tensors, maxMessageBytes)) {
            return false;
        }
        ParameterReference.put(entries, transfer.upload(tensors));
        uploadCount.incrementAndGet();
        return true;
    }

    private TensorSet received(Parameters parameters, Map<String, Scalar> config) throws Exception {
        Optional<BlobId> reference = ParameterReference.in(config, "test");
        if (reference.isPresent()) {
            downloadCount.incrementAndGet();
            return transfer.downloadTensors(reference.get(), downloads);
        }
        return FlowerParameters.decode(parameters, FlowerParameters.manifestIn(config).orElseThrow());
    }

    /** The shared-space tensors a site binding its modalities trains: their heads and the loss's. */
    private TensorSet sharedSpaceOf(TensorSet global) {
        return TensorSet.of(global.select(EnumSet.of(Modality.SHARED)).tensors().stream()
                .filter(t -> HeadNames.headOf(t.name()).map(properties.modalities()::contains).orElse(true))
                .toList());
    }

    static TensorSet shifted(TensorSet tensors, float by) {
        List<NamedTensor> shifted = new ArrayList<>();
        for (NamedTensor tensor : tensors) {
            float[] values = tensor.array().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += by;
            }
            shifted.add(new NamedTensor(tensor.name(), tensor.modality(),
                    NpyArray.ofFloats(tensor.array().shape(), values)));
        }
        return TensorSet.of(shifted);
    }

    private static float mean(TensorSet tensors) {
        double sum = 0;
        long count = 0;
        for (NamedTensor tensor : tensors) {
            for (float v : tensor.array().toFloatArray()) {
                sum += v;
                count++;
            }
        }
        return (float) (sum / Math.max(1, count));
    }


    @Override
    public void close() throws InterruptedException, IOException {
        transferChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        FederationTestSupport.deleteTree(downloads);
    }
}
