package io.callosum.benchmarks.transfer;

import io.callosum.benchmarks.Benchmark;
import io.callosum.benchmarks.BenchmarkOptions;
import io.callosum.benchmarks.Measurement;
import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.ChunkSize;
import io.callosum.protocol.transfer.FileBlobStore;
import io.callosum.protocol.transfer.TensorArchive;
import io.callosum.protocol.transfer.TransferClient;
import io.callosum.protocol.transfer.TransferService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A 1 GiB tensor archive uploaded to and downloaded from a {@link TransferService} over loopback gRPC (Netty) with
 * Callosum's default 64 MiB message limit, against {@code Files.copy} of the same file measured in the same run.
 * The limit is only a ceiling: chunks carry {@link ChunkSize#dataBytes()}, which is capped far below it.
 * Both transfer directions hash every byte on each side and force the result to disk; the copy does neither.
 * The size is fixed (--elements does not apply): it is what forces a model into many chunks.
 */
public final class ChunkedTransferBenchmark implements Benchmark {
    private static final int TENSORS = 16;
    private static final int ELEMENTS_PER_TENSOR = 16 << 20;
    private static final int MAX_MESSAGE_BYTES = ChunkSize.DEFAULT_MAX_MESSAGE_BYTES;

    private final BenchmarkOptions options;

    public ChunkedTransferBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    @Override
    public void run(PrintStream out) {
        Path work = null;
        try {
            work = Files.createTempDirectory("callosum-transfer-bench-");
            measure(work, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(work);
        }
    }

    private void measure(Path work, PrintStream out) throws IOException {
        Path archive = writeArchive(work.resolve("model.tensors"));
        long bytes = Files.size(archive);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(new TransferService(new FileBlobStore(work.resolve("store")), MAX_MESSAGE_BYTES))
                .build()
                .start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext().maxInboundMessageSize(MAX_MESSAGE_BYTES).build();
        try {
            TransferClient client = new TransferClient(channel, MAX_MESSAGE_BYTES);
            BlobId id = client.upload(archive);
            Path copy = work.resolve("copy.tensors");
            Path downloaded = work.resolve("downloaded.tensors");
            int warmups = options.warmups();
            int runs = options.runs();
            Measurement baseline = Measurement.of("Files.copy baseline", warmups, runs,
                    () -> io(() -> Files.copy(archive, replacing(copy))));
            List<Measurement> results = List.of(baseline,
                    Measurement.of("upload (already stored: verified, kept once)", warmups, runs,
                            () -> io(() -> client.upload(archive))),
                    Measurement.of("download (verified before it appears)", warmups, runs,
                            () -> io(() -> client.download(id, replacing(downloaded)))));
            print(out, bytes, baseline, results);
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            awaitQuietly(channel, server);
        }
    }

    private void print(PrintStream out, long bytes, Measurement baseline, List<Measurement> results) {
        ChunkSize chunkSize = new ChunkSize(MAX_MESSAGE_BYTES);
        out.printf(Locale.ROOT, "%nchunked transfer: %,d-byte tensor archive (%d float32 tensors) over loopback gRPC,"
                        + " %d MiB message limit, %,d chunks of %d KiB each way; median of %d runs after %d warm-ups%n",
                bytes, TENSORS, MAX_MESSAGE_BYTES >> 20, chunkSize.chunksFor(bytes), chunkSize.dataBytes() >> 10,
                options.runs(), options.warmups());
        out.printf(Locale.ROOT, "%-46s %9s %10s %13s%n", "operation", "time", "MB/s", "vs Files.copy");
        double baselineRate = bytes / baseline.medianSeconds();
        for (Measurement m : results) {
            double rate = bytes / m.medianSeconds();
            out.printf(Locale.ROOT, "%-46s %8.2fs %10.0f %12.2fx%n", m.name(), m.medianSeconds(), rate / 1e6,
                    rate / baselineRate);
        }
        out.println("Transfers hash every byte on both sides and fsync what they store; Files.copy does neither.");
        out.println("Chunks are capped well below the message limit: chunks as large as the limit were twice as slow.");
    }

    /** 1 GiB in 16 tensors that all view one 64 MiB random buffer: the archive is full size, the heap is not. */
    private static Path writeArchive(Path file) throws IOException {
        ByteBuffer values = ByteBuffer.allocate(ELEMENTS_PER_TENSOR * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(7);
        while (values.hasRemaining()) {
            values.putFloat((float) random.nextDouble(-1, 1));
        }
        values.flip();
        List<NamedTensor> tensors = new ArrayList<>();
        for (int i = 0; i < TENSORS; i++) {
            tensors.add(new NamedTensor("imaging/block" + i + ".weight", Modality.IMAGING,
                    NpyArray.view(DType.FLOAT32, Shape.of(ELEMENTS_PER_TENSOR), values.duplicate().order(ByteOrder.LITTLE_ENDIAN))));
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            TensorArchive.write(TensorSet.of(tensors), out);
        }
        return file;
    }

    private static Path replacing(Path target) throws IOException {
        Files.deleteIfExists(target);
        return target;
    }

    private interface IoOperation {
        Object run() throws IOException;
    }

    private static Object io(IoOperation operation) {
        try {
            return operation.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitQuietly(ManagedChannel channel, Server server) {
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the benchmark's files under " + dir, e);
        }
    }
}
