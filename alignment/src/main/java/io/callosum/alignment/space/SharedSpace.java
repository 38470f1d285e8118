package io.callosum.alignment.space;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.PairList;
import io.callosum.encoders.jepa.ModelTensors;
import io.callosum.encoders.optim.LearningRateSchedule;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared latent space as one site (or the coordinator) holds it: a projection head per modality it holds and
 * the loss parameters, on the first GPU DJL sees, else on the CPU. It projects frozen encoder embeddings into the
 * space, scores the compatibility of two inputs, and moves its weights in and out as tensors tagged
 * {@link Modality#SHARED} (named as {@link HeadNames} says).
 */
public final class SharedSpace implements AutoCloseable {
    private static final String MODEL_NAME = "shared-space";
    private static final int PROJECT_BATCH = 256;

    private final AlignmentConfig config;
    private final Map<Modality, Integer> inputWidths;
    private final Model model;
    private final SpaceBlock block;
    private final ParameterStore store;
    private final ModelTensors tensors;

    /** Heads for the given modalities and encoder embedding widths, randomly initialized. */
    public SharedSpace(Map<Modality, Integer> inputWidths, AlignmentConfig config) {
        if (inputWidths.isEmpty()) {
            throw new IllegalArgumentException("the shared space needs at least one modality");
        }
        this.config = config;
        this.inputWidths = new EnumMap<>(inputWidths);
        Device device = Engine.getInstance().defaultDevice();
        this.block = new SpaceBlock(this.inputWidths, config);
        this.model = Model.newInstance(MODEL_NAME, device);
        model.setBlock(block);
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1));
        this.store = new ParameterStore(model.getNDManager(), false);
        PairList<String, Parameter> named = new PairList<>();
        block.heads().forEach((modality, head) -> head.getParameters().forEach(p ->
                named.add(HeadNames.headPath(modality) + p.getKey(), p.getValue())));
        block.loss().getParameters().forEach(p -> named.add(HeadNames.LOSS_PATH + p.getKey(), p.getValue()));
        this.tensors = new ModelTensors(Modality.SHARED, named);
    }

    /**
     * The starting point of a federation's alignment phase: heads for every modality, deterministic in
     * {@code seed} (the engine's random generator is reseeded).
     */
    public static TensorSet initialParameters(Map<Modality, Integer> inputWidths, AlignmentConfig config,
                                              long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        try (SharedSpace space = new SharedSpace(inputWidths, config)) {
            return space.parameters();
        }
    }

    /** A space with a head for every head in {@code parameters}, set to their values. */
    public static SharedSpace of(TensorSet parameters, AlignmentConfig config) {
        SharedSpace space = new SharedSpace(inputWidths(parameters), config);
        try {
            space.load(parameters);
            return space;
        } catch (RuntimeException e) {
            space.close();
            throw e;
        }
    }

    /** The input width of every head present in {@code parameters}, read from the head's input normalization. */
    public static Map<Modality, Integer> inputWidths(TensorSet parameters) {
        Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
        for (NamedTensor tensor : parameters) {
            if (tensor.modality() != Modality.SHARED) {
                continue;
            }
            HeadNames.headOf(tensor.name()).ifPresent(modality -> {
                if (tensor.name().equals(HeadNames.headPrefix(modality) + ProjectionHead.INPUT_WIDTH_PARAMETER)) {
                    widths.put(modality, Math.toIntExact(tensor.array().shape().dims()[0]));
                }
            });
        }
        return widths;
    }

    public AlignmentConfig config() {
        return config;
    }

    public Set<Modality> modalities() {
        return inputWidths.keySet();
    }

    /** The encoder embedding width {@code modality}'s head takes. */
    public int inputWidth(Modality modality) {
        Integer width = inputWidths.get(modality);
        if (width == null) {
            throw new IllegalArgumentException("the shared space has no " + modality + " head (it has "
                    + inputWidths.keySet() + ")");
        }
        return width;
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** This space's heads and loss parameters as float32 tensors tagged {@code shared}. */
    public TensorSet parameters() {
        return tensors.export();
    }

    /**
     * Sets the weights of this space's heads and of the loss from {@code parameters}, which may also hold other
     * modalities' heads (ignored: a site trains only the heads of what it holds) and tensors of other modalities
     * (ignored). Refuses, before any weight changes, a missing tensor of one of this space's heads, a wrong shape, a
     * non-finite value, an unknown parameter of one of its heads, or a head name that names no data modality.
     */
    public void load(TensorSet parameters) {
        List<NamedTensor> mine = new ArrayList<>();
        for (NamedTensor tensor : parameters) {
            if (tensor.modality() != Modality.SHARED) {
                continue;
            }
            boolean ownHead = HeadNames.headOf(tensor.name()).filter(inputWidths::containsKey).isPresent();
            if (ownHead || tensor.name().startsWith(HeadNames.LOSS_PREFIX)) {
                mine.add(tensor);
            }
        }
        tensors.load(TensorSet.of(mine));
    }

    /** The temperature τ = 1/s the loss and the energy use now. */
    public double temperature() {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            return 1 / block.loss().scale(store, manager, false).getFloat();
        }
    }

    /** Shared-space images of encoder embeddings: unit vectors, same modality and subjects. */
    public SubjectEmbeddings project(SubjectEmbeddings embeddings) {
        return new SubjectEmbeddings(embeddings.modality(), embeddings.subjects(),
                project(embeddings.modality(), embeddings.vectors()));
    }

    /** Shared-space images of {@code modality}'s encoder embeddings, computed in inference mode batch by batch. */
    public float[][] project(Modality modality, float[][] embeddings) {
        checkWidths(modality, embeddings);
        int dim = config.sharedDim();
        float[][] out = new float[embeddings.length][];
        for (int start = 0; start < embeddings.length; start += PROJECT_BATCH) {
            int end = Math.min(embeddings.length, start + PROJECT_BATCH);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray x = manager.create(Arrays.copyOfRange(embeddings, start, end)).toDevice(device(), false);
                float[] flat = forward(store, modality, x, false).toFloatArray();
                for (int i = 0; i < end - start; i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
        }
        return out;
    }

    /**
     * The energy E(x, y) of each row pair: how incompatible input {@code xs[i]} of {@code xModality} is with
     * {@code ys[i]} of {@code yModality}, from their encoder embeddings. For InfoNCE E = −cos(h(x), h(y))/τ, for
     * SigLIP E = −log σ(cos/τ + b); lower means more likely the same subject.
     */
    public double[] energies(Modality xModality, float[][] xs, Modality yModality, float[][] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("energy needs pairs: " + xs.length + " " + xModality + " inputs, "
                    + ys.length + " " + yModality + " inputs");
        }
        float[][] hx = project(xModality, xs);
        float[][] hy = project(yModality, ys);
        double scale = 1 / temperature();
        double bias = bias();
        double[] energies = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double cosine = 0;
            for (int j = 0; j < hx[i].length; j++) {
                cosine += hx[i][j] * hy[i][j];
            }
            energies[i] = config.loss().energy(cosine, scale, bias);
        }
        return energies;
    }

    /** {@link #energies} of one pair. */
    public double energy(Modality xModality, float[] x, Modality yModality, float[] y) {
        return energies(xModality, new float[][] {x}, yModality, new float[][] {y})[0];
    }

    /** For training loops: {@code modality}'s head applied to a batch already on this space's device. */
    public NDArray forward(ParameterStore parameters, Modality modality, NDArray x, boolean training) {
        ProjectionHead head = block.heads().get(modality);
        if (head == null) {
            throw new IllegalArgumentException("the shared space has no " + modality + " head (it has "
                    + inputWidths.keySet() + ")");
        }
        return head.forward(parameters, new NDList(x), training).singletonOrThrow();
    }

    /** For training loops: the configured contrastive loss of paired shared-space rows, with the learnt scale. */
    public NDArray loss(ParameterStore parameters, NDArray a, NDArray b, boolean training) {
        LossParameters loss = block.loss();
        return config.loss().of(a, b, loss.scale(parameters, a.getManager(), training),
                loss.bias(parameters, a.getManager(), training));
    }

    /**
     * A trainer over every head and the loss parameters with Adam on {@code schedule}, on this space's device.
     * The weights keep their values: initialization leaves initialized parameters alone.
     */
    public Trainer newTrainer(LearningRateSchedule schedule) {
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule.tracker()).build())
                .optDevices(new Device[] {device()}));
        trainer.initialize(new Shape(1));
        return trainer;
    }

    private double bias() {
        NDArray bias = block.loss().bias(store, model.getNDManager(), false);
        return bias == null ? 0 : bias.getFloat();
    }

    private void checkWidths(Modality modality, float[][] embeddings) {
        int width = inputWidth(modality);
        for (int i = 0; i < embeddings.length; i++) {
            if (embeddings[i].length != width) {
                throw new IllegalArgumentException(modality + " embedding " + i + " has " + embeddings[i].length
                        + " values; the " + modality + " head takes " + width);
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
