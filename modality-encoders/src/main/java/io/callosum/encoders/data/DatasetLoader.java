package io.callosum.encoders.data;

import io.callosum.encoders.edf.EdfChannel;
import io.callosum.encoders.edf.EdfReader;
import io.callosum.encoders.edf.EdfRecording;
import io.callosum.encoders.format.MalformedFileException;
import io.callosum.encoders.nifti.NiftiImage;
import io.callosum.encoders.nifti.NiftiReader;
import io.callosum.encoders.omics.OmicsMatrix;
import io.callosum.encoders.omics.OmicsReader;
import io.callosum.protocol.tensor.Modality;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one modality of a site into normalized model inputs. Normalization is per recording for imaging and EEG
 * (removing scanner and amplifier gain) and per feature over the site's subjects for omics; missing omics values
 * become 0 with their mask set to 0, never an unmarked zero.
 */
public final class DatasetLoader {
    private DatasetLoader() {
    }

    public static ModalityDataset load(SiteCatalog catalog, Modality modality) throws IOException {
        List<SubjectEntry> subjects = catalog.with(modality);
        if (subjects.isEmpty()) {
            throw new IOException(catalog.dir() + ": no subject has " + modality + " data");
        }
        return switch (modality) {
            case IMAGING -> imaging(subjects);
            case EEG -> eeg(subjects);
            case OMICS -> omics(subjects);
            case SHARED, PLAIN -> throw new IllegalArgumentException("'" + modality + "' is not a data modality");
        };
    }

    private static ModalityDataset imaging(List<SubjectEntry> subjects) throws IOException {
        float[][] inputs = new float[subjects.size()][];
        int edge = -1;
        for (int i = 0; i < inputs.length; i++) {
            Path file = subjects.get(i).file(Modality.IMAGING).orElseThrow();
            NiftiImage image = NiftiReader.read(file);
            int[] dims = image.header().dims();
            if (dims.length != 3 || dims[0] != dims[1] || dims[1] != dims[2]) {
                throw new MalformedFileException(file, "dim", Arrays.toString(dims) + " is not a cube");
            }
            if (edge >= 0 && dims[0] != edge) {
                throw new MalformedFileException(file, "dim", "edge " + dims[0] + " differs from the site's " + edge);
            }
            edge = dims[0];
            inputs[i] = standardized(image.voxels());
        }
        return new ModalityDataset(Modality.IMAGING, new InputGeometry.Volume(edge), ids(subjects), inputs,
                diagnoses(subjects));
    }

    private static ModalityDataset eeg(List<SubjectEntry> subjects) throws IOException {
        float[][] inputs = new float[subjects.size()][];
        InputGeometry.Montage montage = null;
        for (int i = 0; i < inputs.length; i++) {
            Path file = subjects.get(i).file(Modality.EEG).orElseThrow();
            EdfRecording recording = EdfReader.read(file);
            List<EdfChannel> channels = recording.channels();
            int samples = channels.get(0).samples().length;
            for (EdfChannel channel : channels) {
                if (channel.samples().length != samples) {
                    throw new MalformedFileException(file, "signal '" + channel.signal().label() + "'",
                            "sample rate differs from the first channel's; resample before training");
                }
            }
            InputGeometry.Montage here = new InputGeometry.Montage(channels.size(), samples);
            if (montage != null && !montage.equals(here)) {
                throw new MalformedFileException(file, "signals", here + " differs from the site's " + montage);
            }
            montage = here;
            float[] input = new float[here.inputLength()];
            for (int ch = 0; ch < channels.size(); ch++) {
                float[] values = channels.get(ch).samples();
                double mean = mean(values);
                for (int s = 0; s < samples; s++) {
                    input[ch * samples + s] = (float) (values[s] - mean);
                }
            }
            inputs[i] = scaledToUnitVariance(input);
        }
        return new ModalityDataset(Modality.EEG, montage, ids(subjects), inputs, diagnoses(subjects));
    }

    private static ModalityDataset omics(List<SubjectEntry> subjects) throws IOException {
        Map<Path, OmicsMatrix> matrices = new HashMap<>();
        List<float[]> rows = new ArrayList<>();
        List<boolean[]> observed = new ArrayList<>();
        List<String> features = null;
        for (SubjectEntry subject : subjects) {
            Path file = subject.file(Modality.OMICS).orElseThrow();
            OmicsMatrix matrix = matrices.get(file);
            if (matrix == null) {
                matrix = OmicsReader.read(file);
                matrices.put(file, matrix);
            }
            if (features != null && !features.equals(matrix.features())) {
                throw new MalformedFileException(file, "line 1", "features differ from the site's other omics files");
            }
            features = matrix.features();
            int row = matrix.subjects().indexOf(subject.id());
            if (row < 0) {
                throw new MalformedFileException(file, "column 1", "no row for subject '" + subject.id() + "'");
            }
            rows.add(matrix.row(row));
            observed.add(matrix.observed(row));
        }
        int f = features.size();
        double[] mean = new double[f];
        double[] sd = new double[f];
        for (int c = 0; c < f; c++) {
            int n = 0;
            double sum = 0;
            double sumSq = 0;
            for (int r = 0; r < rows.size(); r++) {
                if (observed.get(r)[c]) {
                    n++;
                    sum += rows.get(r)[c];
                    sumSq += rows.get(r)[c] * rows.get(r)[c];
                }
            }
            mean[c] = n == 0 ? 0 : sum / n;
            sd[c] = n < 2 ? 1 : Math.max(1e-6, Math.sqrt(Math.max(0, sumSq / n - mean[c] * mean[c])));
        }
        float[][] inputs = new float[rows.size()][2 * f];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < f; c++) {
                boolean measured = observed.get(r)[c];
                inputs[r][c] = measured ? (float) ((rows.get(r)[c] - mean[c]) / sd[c]) : 0f;
                inputs[r][f + c] = measured ? 1f : 0f;
            }
        }
        return new ModalityDataset(Modality.OMICS, new InputGeometry.Features(f), ids(subjects), inputs,
                diagnoses(subjects));
    }

    private static float[] standardized(float[] values) {
        double mean = mean(values);
        float[] centred = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            centred[i] = (float) (values[i] - mean);
        }
        return scaledToUnitVariance(centred);
    }

    private static float[] scaledToUnitVariance(float[] centred) {
        double sumSq = 0;
        for (float v : centred) {
            sumSq += v * v;
        }
        float scale = (float) (1 / Math.max(1e-6, Math.sqrt(sumSq / centred.length)));
        for (int i = 0; i < centred.length; i++) {
            centred[i] *= scale;
        }
        return centred;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static List<String> ids(List<SubjectEntry> subjects) {
        return subjects.stream().map(SubjectEntry::id).toList();
    }

    private static int[] diagnoses(List<SubjectEntry> subjects) {
        return subjects.stream().mapToInt(s -> s.diagnosis().orElse(-1)).toArray();
    }
}
