package io.callosum.protocol.tensor;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.Shape;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NpzArchiveTest {
    @Test
    void holdsOneNpyMemberPerTensorAndTheManifest() throws Exception {
        TensorSet set = TensorSet.of(List.of(
                new NamedTensor("imaging/w", Modality.IMAGING, NpyArray.ofFloats(Shape.of(2, 2), 1f, 2f, 3f, 4f)),
                new NamedTensor("eeg/b", Modality.EEG, NpyArray.ofFloats(Shape.of(1), -5f))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpzArchive.write(set, out);

        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                members.put(entry.getName(), zip.readAllBytes());
            }
        }
        assertEquals(List.of("imaging/w.npy", "eeg/b.npy", NpzArchive.MANIFEST), List.copyOf(members.keySet()));
        NpyArray imaging = NpyCodec.decode(members.get("imaging/w.npy"));
        assertEquals(Shape.of(2, 2), imaging.shape());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, imaging.toFloatArray());
        assertArrayEquals(new float[] {-5f}, NpyCodec.decode(members.get("eeg/b.npy")).toFloatArray());
        assertEquals(set.manifest(), TensorManifest.parse(new String(members.get(NpzArchive.MANIFEST),
                StandardCharsets.UTF_8)));
    }
}
