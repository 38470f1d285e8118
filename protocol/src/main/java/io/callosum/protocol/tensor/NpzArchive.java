package io.callosum.protocol.tensor;

import io.callosum.protocol.npy.NpyCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A tensor set as NumPy's {@code .npz} (a zip of {@code .npy} files, what {@code numpy.load} opens), so a model
 * version can be read without Callosum: {@code np.load(f)["imaging/patch_embed"]}. Tensor names become the member
 * names; the modalities, which {@code .npz} has no place for, travel in a {@value #MANIFEST} member holding the
 * {@link TensorManifest} text.
 */
public final class NpzArchive {
    public static final String MANIFEST = "callosum-manifest.tsv";

    private NpzArchive() {
    }

    /** Writes {@code set} to {@code out} and finishes the zip; {@code out} is left open. */
    public static void write(TensorSet set, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        // Trained weights hardly compress; the fastest level keeps a download from waiting on the CPU.
        zip.setLevel(Deflater.BEST_SPEED);
        for (NamedTensor tensor : set) {
            zip.putNextEntry(new ZipEntry(tensor.name() + ".npy"));
            NpyCodec.write(tensor.array(), zip);
            zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(set.manifest().encode().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.finish();
    }
}
