package io.callosum.coordinator.inference;

import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.data.SubjectEntry;
import io.callosum.encoders.omics.OmicsReader;
import io.callosum.protocol.tensor.Modality;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Turns what a client sent into model inputs exactly as a site turns its files into training inputs: an uploaded
 * file goes through the site's own {@link DatasetLoader} (same readers, same normalization) as a one-file catalog;
 * a JSON tensor is taken as an input already in that normalized layout.
 */
public final class InputDecoder {
    private static final int GZIP_MAGIC = 0x1f8b;

    private InputDecoder() {
    }

    /** An uploaded NIfTI-1 (optionally gzipped), EDF/EDF+ or omics TSV/CSV of {@code modality}. */
    public static ModalityDataset file(Path upload, String fileName, Modality modality) {
        Path dir;
        try {
            dir = Files.createTempDirectory("callosum-upload");
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary directory for an upload", e);
        }
        Path file = dir.resolve(storedName(upload, modality, fileName));
        try {
            Files.copy(upload, file);
            List<String> subjects = modality == Modality.OMICS ? omicsSubjects(file) : List.of("upload");
            List<SubjectEntry> entries = subjects.stream()
                    .map(id -> new SubjectEntry(id, Map.of(modality, file), OptionalInt.empty())).toList();
            return DatasetLoader.load(new SiteCatalog(dir, entries), modality);
        } catch (InferenceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw InferenceException.unprocessable("uploaded file '" + fileName + "' is not a readable "
                    + formatOf(modality) + ": " + String.valueOf(e.getMessage()).replace(file.toString(), "file"));
        } finally {
            deleteTree(dir);
        }
    }

    /** A JSON tensor: imaging [e, e, e], EEG [channels, samples], omics [2, features] (values, then observed). */
    public static ModalityDataset tensor(Modality modality, List<Integer> shape, float[] values) {
        if (shape == null || values == null) {
            throw InferenceException.badRequest("a JSON tensor needs 'shape' and 'values'");
        }
        InputGeometry geometry = switch (modality) {
            case IMAGING -> {
                requireRank(shape, 3, "imaging", "[edge, edge, edge]");
                if (!shape.get(0).equals(shape.get(1)) || !shape.get(1).equals(shape.get(2))) {
                    throw InferenceException.unprocessable("imaging shape " + shape + " is not a cube");
                }
                yield new InputGeometry.Volume(shape.get(0));
            }
            case EEG -> {
                requireRank(shape, 2, "eeg", "[channels, samples]");
                yield new InputGeometry.Montage(shape.get(0), shape.get(1));
            }
            case OMICS -> {
                requireRank(shape, 2, "omics", "[2, features] (standardized values, then observed masks)");
                if (shape.get(0) != 2) {
                    throw InferenceException.unprocessable("omics shape " + shape + " must be [2, features]");
                }
                yield new InputGeometry.Features(shape.get(1));
            }
            case SHARED, PLAIN -> throw InferenceException.badRequest("'" + modality + "' is not an input modality");
        };
        if (values.length != geometry.inputLength()) {
            throw InferenceException.unprocessable("shape " + shape + " needs " + geometry.inputLength()
                    + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw InferenceException.unprocessable("value " + i + " is " + values[i]);
            }
        }
        return new ModalityDataset(modality, geometry, List.of("tensor"), new float[][] {values}, new int[] {-1});
    }

    private static void requireRank(List<Integer> shape, int rank, String modality, String layout) {
        if (shape.size() != rank || shape.stream().anyMatch(d -> d == null || d < 1)) {
            throw InferenceException.unprocessable(modality + " tensors have shape " + layout + ", got " + shape);
        }
    }

    /** Omics are standardized per feature over the subjects given, as a site does over its own; one row cannot be. */
    private static List<String> omicsSubjects(Path file) throws IOException {
        List<String> subjects = OmicsReader.read(file).subjects();
        if (subjects.size() < 2) {
            throw InferenceException.unprocessable("an omics upload needs at least 2 rows: each feature is"
                    + " standardized over the uploaded subjects, as sites do over theirs (send a JSON tensor of"
                    + " already standardized values for a single subject)");
        }
        return subjects;
    }

    /** The name the readers expect: they tell gzip by the name, so it follows the bytes, not the client. */
    private static String storedName(Path upload, Modality modality, String fileName) {
        return switch (modality) {
            case IMAGING -> gzipped(upload) ? "upload.nii.gz" : "upload.nii";
            case EEG -> "upload.edf";
            case OMICS -> fileName != null && fileName.toLowerCase().endsWith(".csv") ? "upload.csv" : "upload.tsv";
            case SHARED, PLAIN -> throw InferenceException.badRequest("'" + modality + "' is not an input modality");
        };
    }

    private static boolean gzipped(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return ((in.read() << 8) | in.read()) == GZIP_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    private static String formatOf(Modality modality) {
        return switch (modality) {
            case IMAGING -> "NIfTI-1 image";
            case EEG -> "EDF/EDF+ recording";
            default -> "omics table (TSV/CSV, first column the subject id)";
        };
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the request's answer matters more.
        }
    }
}
