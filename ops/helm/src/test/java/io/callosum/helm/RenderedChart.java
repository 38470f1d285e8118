package io.callosum.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** A chart rendered by {@code helm template}, its objects indexed by kind and name. */
final class RenderedChart {
    static final String RELEASE = "trial";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, JsonNode> objectsByKindAndName;

    private RenderedChart(Map<String, JsonNode> objectsByKindAndName) {
        this.objectsByKindAndName = objectsByKindAndName;
    }

    static Rendering of(CallosumChart chart) {
        return new Rendering(chart);
    }

    /** The object, or a failure that lists what was rendered instead. */
    JsonNode get(String kind, String name) {
        JsonNode object = objectsByKindAndName.get(key(kind, name));
        if (object == null) {
            throw new NoSuchElementException(
                    key(kind, name) + " not rendered; rendered: " + objectsByKindAndName.keySet());
        }
        return object;
    }

    boolean has(String kind, String name) {
        return objectsByKindAndName.containsKey(key(kind, name));
    }

    List<JsonNode> all(String kind) {
        return objectsByKindAndName.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(kind + "/"))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The pod template of a Deployment or StatefulSet. */
    PodTemplate podTemplate(String kind, String name) {
        return new PodTemplate(get(kind, name).path("spec").path("template"));
    }

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    private static RenderedChart parse(String manifests) {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        try (var parser = YAML.createParser(manifests)) {
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document != null && document.hasNonNull("kind")) {
                    objects.put(key(document.get("kind").asText(), document.at("/metadata/name").asText()), document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template produced unparseable YAML:\n" + manifests, e);
        }
        return new RenderedChart(objects);
    }

    /** The values of one {@code helm template} call, then its outcome: the objects, or the refusal. */
    static final class Rendering {
        private final CallosumChart chart;
        private final List<Path> valuesFiles = new ArrayList<>();
        private final Map<String, Object> sets = new LinkedHashMap<>();

        private Rendering(CallosumChart chart) {
            this.chart = chart;
        }

        Rendering values(String testValuesFile) {
            valuesFiles.add(CallosumChart.testValues(testValuesFile));
            return this;
        }

        Rendering set(String key, Object value) {
            sets.put(key, value);
            return this;
        }

        RenderedChart render() {
            return parse(command().call());
        }

        /** The error Helm reports when it refuses these values. */
        String refusal() {
            return assertThrows(IllegalStateException.class, () -> command().call(),
                    () -> chart + " rendered although its values are invalid: " + sets + " " + valuesFiles)
                    .getMessage();
        }

        private TemplateCommand command() {
            TemplateCommand command = new Helm(chart.directory()).template().withName(RELEASE);
            valuesFiles.forEach(command::withValuesFile);
            sets.forEach(command::set);
            return command;
        }
    }
}
