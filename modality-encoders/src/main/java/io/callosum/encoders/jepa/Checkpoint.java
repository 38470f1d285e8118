package io.callosum.encoders.jepa;

import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.protocol.tensor.Modality;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a saved encoder is, beside its weights: modality, input geometry, sizes, objective and steps done, so that
 * it can be rebuilt to continue training or to embed without repeating the options it was trained with.
 */
public record Checkpoint(Modality modality, InputGeometry geometry, EncoderConfig encoder, Objective objective,
                         int step) {
    public static final String FILE = "checkpoint.properties";

    public void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("modality", modality.tag());
        p.setProperty("geometry", encode(geometry));
        p.setProperty("dim", Integer.toString(encoder.dim()));
        p.setProperty("depth", Integer.toString(encoder.depth()));
        p.setProperty("heads", Integer.toString(encoder.heads()));
        p.setProperty("predictor.dim", Integer.toString(encoder.predictorDim()));
        p.setProperty("predictor.depth", Integer.toString(encoder.predictorDepth()));
        p.setProperty("patch", Integer.toString(encoder.patch()));
        p.setProperty("groups", Integer.toString(encoder.groups()));
        p.setProperty("objective", objective.name().toLowerCase());
        p.setProperty("step", Integer.toString(step));
        try (Writer out = Files.newBufferedWriter(dir.resolve(FILE))) {
            p.store(out, "Callosum JEPA encoder checkpoint");
        }
    }

    public static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        try {
            return new Checkpoint(Modality.fromTag(required(p, "modality")), decode(required(p, "geometry")),
                    new EncoderConfig(integer(p, "dim"), integer(p, "depth"), integer(p, "heads"),
                            integer(p, "predictor.dim"), integer(p, "predictor.depth"), integer(p, "patch"),
                            integer(p, "groups")),
                    Objective.valueOf(required(p, "objective").toUpperCase()), integer(p, "step"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String encode(InputGeometry geometry) {
        if (geometry instanceof InputGeometry.Volume v) {
            return "volume:" + v.edge();
        }
        if (geometry instanceof InputGeometry.Montage m) {
            return "montage:" + m.channels() + "x" + m.samples();
        }
        return "features:" + ((InputGeometry.Features) geometry).features();
    }

    private static InputGeometry decode(String text) {
        String[] kind = text.split(":", 2);
        String[] sizes = kind.length == 2 ? kind[1].split("x") : new String[0];
        try {
            return switch (kind[0]) {
                case "volume" -> new InputGeometry.Volume(Integer.parseInt(sizes[0]));
                case "montage" -> new InputGeometry.Montage(Integer.parseInt(sizes[0]), Integer.parseInt(sizes[1]));
                case "features" -> new InputGeometry.Features(Integer.parseInt(sizes[0]));
                default -> throw new IllegalArgumentException("unknown geometry '" + text + "'");
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("geometry '" + text + "' is not volume:E, montage:CxS or features:F");
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }

    private static int integer(Properties p, String key) {
        try {
            return Integer.parseInt(required(p, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not an integer");
        }
    }
}
