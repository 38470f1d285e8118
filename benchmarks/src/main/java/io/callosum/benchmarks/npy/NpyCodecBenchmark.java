package io.callosum.benchmarks.npy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.callosum.benchmarks.Benchmark;
import io.callosum.benchmarks.BenchmarkOptions;
import io.callosum.benchmarks.Measurement;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Encode and decode throughput of one large float32 tensor, and the heap each path allocates, against a plain
 * {@code System.arraycopy} of the same bytes: the least any path that produces a new array must pay.
 */
public final class NpyCodecBenchmark implements Benchmark {
    private final BenchmarkOptions options;

    public NpyCodecBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    @Override
    public void run(PrintStream out) {
        int elements = Math.toIntExact(options.elements());
        long tensorBytes = (long) elements * Float.BYTES;
        ByteBuffer values = ByteBuffer.allocate(Math.toIntExact(tensorBytes)).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < elements; i++) {
            values.putFloat((float) random.nextDouble(-1, 1));
        }
        NpyArray tensor = NpyArray.view(DType.FLOAT32, Shape.of(elements), values.flip());
        byte[] encoded = NpyCodec.encode(tensor);
        TensorSet model = TensorSet.of(List.of(new NamedTensor("imaging/weight", Modality.IMAGING, tensor)));
        Parameters parameters = FlowerParameters.encode(model);
        Parameters received = receivedOverTheWire(parameters);

        int warmups = options.warmups();
        int runs = options.runs();
        Measurement baseline = Measurement.of("memcpy baseline (System.arraycopy)", warmups, runs, () -> {
            byte[] copy = new byte[encoded.length];
            System.arraycopy(encoded, 0, copy, 0, encoded.length);
            return copy;
        });
        List<Measurement> results = List.of(
                baseline,
                Measurement.of("encode to .npy bytes", warmups, runs, () -> NpyCodec.encode(tensor)),
                Measurement.of("decode .npy to float[]", warmups, runs, () -> NpyCodec.decode(encoded).toFloatArray()),
                Measurement.of("decode .npy as a view (no copy)", warmups, runs, () -> NpyCodec.decode(encoded)),
                Measurement.of("tensor set to Flower Parameters", warmups, runs, () -> FlowerParameters.encode(model)),
                Measurement.of("received Parameters to tensor set", warmups, runs,
                        () -> FlowerParameters.decode(received, model.manifest())),
                Measurement.of("Parameters to wire bytes", warmups, runs, parameters::toByteString));

        out.printf(Locale.ROOT, "%n.npy codec: float32 tensor of %,d elements (%.1f MB); median of %d runs after %d warm-ups%n",
                elements, tensorBytes / 1e6, runs, warmups);
        out.printf(Locale.ROOT, "%-36s %10s %9s %11s %12s %14s%n",
                "operation", "time", "GB/s", "vs memcpy", "extra heap", "heap/tensor");
        for (Measurement m : results) {
            out.printf(Locale.ROOT, "%-36s %8.2fms %9.2f %10.2fx %10.1fMB %13.3fx%n",
                    m.name(), m.medianSeconds() * 1e3, m.gigabytesPerSecond(tensorBytes),
                    m.gigabytesPerSecond(tensorBytes) / baseline.gigabytesPerSecond(tensorBytes),
                    m.allocatedBytes() / 1e6, (double) m.allocatedBytes() / tensorBytes);
        }
        out.println("GB/s counts tensor bytes; 'extra heap' is what one call allocates, an upper bound on its peak.");
    }

    /** Parameters as gRPC hands them over: parsed from the wire, each tensor one contiguous array. */
    private static Parameters receivedOverTheWire(Parameters sent) {
        try {
            return Parameters.parseFrom(sent.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Parameters did not survive their own encoding", e);
        }
    }
}
