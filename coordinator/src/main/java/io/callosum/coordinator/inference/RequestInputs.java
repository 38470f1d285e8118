package io.callosum.coordinator.inference;

import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How every inference endpoint reads the parts of a request that they share: modality, version, inputs, numbers. */
final class RequestInputs {
    private RequestInputs() {
    }

    /** A data modality's tag; 400 naming the choices for anything else. */
    static Modality modality(String tag, String field) {
        if (tag == null || tag.isBlank()) {
            throw InferenceException.badRequest("'" + field + "' is missing: one of imaging, eeg, omics");
        }
        Modality modality;
        try {
            modality = Modality.fromTag(tag.strip());
        } catch (IllegalArgumentException e) {
            throw InferenceException.badRequest(e.getMessage());
        }
        if (modality == Modality.SHARED || modality == Modality.PLAIN) {
            throw InferenceException.badRequest("'" + tag + "' is not an input modality: one of imaging, eeg, omics");
        }
        return modality;
    }

    static Modality modality(String tag) {
        return modality(tag, "modality");
    }

    static Optional<Long> version(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            throw InferenceException.badRequest("'model_version' must be a version id, got '" + text + "'");
        }
    }

    /** An optional number given as multipart text; 400 naming the field when it is not one. */
    static Optional<Double> optionalNumber(String text, String field) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(text.strip()));
        } catch (NumberFormatException e) {
            throw InferenceException.badRequest("'" + field + "' must be a number, got '" + text + "'");
        }
    }

    static Optional<Integer> optionalInteger(String text, String field) {
        return optionalNumber(text, field).map(value -> {
            if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                throw InferenceException.badRequest("'" + field + "' must be a whole number, got '" + text + "'");
            }
            return value.intValue();
        });
    }

    /** One uploaded file, decoded as a site decodes its own. */
    static ModalityDataset file(FileUpload file, Modality modality) {
        if (file == null) {
            throw InferenceException.badRequest("multipart field 'file' is missing");
        }
        return InputDecoder.file(file.uploadedFile(), file.fileName(), modality);
    }

    /**
     * Several uploaded files of one modality as one set of subjects: an image or recording is the subject its file
     * is named after (without extensions), an omics table gives one subject per row.
     */
    static ModalityDataset files(List<FileUpload> files, Modality modality) {
        if (files == null || files.isEmpty()) {
            throw InferenceException.badRequest("multipart field 'file' is missing (one part per file)");
        }
        ModalityDataset first = null;
        List<String> subjects = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (FileUpload upload : files) {
            ModalityDataset one = file(upload, modality);
            if (first != null && !first.geometry().equals(one.geometry())) {
                throw InferenceException.unprocessable("file '" + upload.fileName() + "' is a "
                        + VersionEncoders.describe(one.geometry()) + ", unlike file '" + files.get(0).fileName()
                        + "' (" + VersionEncoders.describe(first.geometry()) + ")");
            }
            first = first == null ? one : first;
            subjects.addAll(modality == Modality.OMICS ? one.subjects() : List.of(stem(upload.fileName())));
            rows.addAll(List.of(one.inputs()));
        }
        return new ModalityDataset(modality, first.geometry(), subjects, rows.toArray(float[][]::new),
                new int[rows.size()]);
    }

    /** JSON tensors of one modality and shape, one per subject. */
    static ModalityDataset tensors(Modality modality, List<String> subjects, List<List<Integer>> shapes,
                                   List<float[]> values) {
        ModalityDataset first = null;
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ModalityDataset one = InputDecoder.tensor(modality, shapes.get(i), values.get(i));
            if (first != null && !first.geometry().equals(one.geometry())) {
                throw InferenceException.unprocessable("subject " + i + " has shape " + shapes.get(i)
                        + ", unlike subject 0 (" + shapes.get(0) + ")");
            }
            first = first == null ? one : first;
            rows.add(one.inputs()[0]);
        }
        return new ModalityDataset(modality, first.geometry(), subjects, rows.toArray(float[][]::new),
                new int[rows.size()]);
    }

    private static String stem(String fileName) {
        String name = fileName == null || fileName.isBlank() ? "upload" : fileName.replaceAll(".*[/\\\\]", "");
        for (String extension : List.of(".nii.gz", ".nii", ".edf", ".tsv", ".csv")) {
            if (name.toLowerCase(Locale.ROOT).endsWith(extension)) {
                return name.substring(0, name.length() - extension.length());
            }
        }
        return name;
    }
}
