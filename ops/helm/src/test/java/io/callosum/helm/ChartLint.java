package io.callosum.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code helm lint --strict}, which fails on warnings as well as errors. */
final class ChartLint {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ChartLint() {
    }

    static void assertLintsStrictly(CallosumChart chart) {
        assertLintsStrictly(chart.directory());
    }

    /**
     * Lints the chart with the operator's values merged over its defaults. helm-java's lint takes no values
     * (helm lint --values), and a chart whose schema requires values with no sensible default (a site's name)
     * does not lint on its defaults alone; so this lints a copy whose values.yaml carries them.
     */
    static void assertLintsStrictly(CallosumChart chart, String testValuesFile, Path workDir) throws IOException {
        Path copy = workDir.resolve(chart.directory().getFileName());
        copyTree(chart.directory(), copy);
        JsonNode defaults = YAML.readTree(copy.resolve("values.yaml").toFile());
        JsonNode merged = YAML.readerForUpdating(defaults).readValue(CallosumChart.testValues(testValuesFile).toFile());
        YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
        assertLintsStrictly(copy);
    }

    private static void assertLintsStrictly(Path chartDirectory) {
        LintResult result = new Helm(chartDirectory).lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict " + chartDirectory + ":\n"
                + String.join("\n", result.getMessages()));
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.copy(path, target.resolve(source.relativize(path).toString()));
            }
        }
    }
}
