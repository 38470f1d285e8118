package io.callosum.helm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Look-ups into a rendered pod template: containers, their environment and mounts, and the volumes. */
record PodTemplate(JsonNode template) {
    JsonNode spec() {
        return template.path("spec");
    }

    JsonNode annotations() {
        return template.path("metadata").path("annotations");
    }

    JsonNode container(String name) {
        return only(spec().path("containers"), container -> container.path("name").asText().equals(name),
                "container " + name);
    }

    /** An environment variable set on the container itself (not through envFrom). */
    JsonNode env(String container, String variable) {
        return only(container(container).path("env"), env -> env.path("name").asText().equals(variable),
                "env " + variable + " of " + container);
    }

    JsonNode mountAt(String container, String mountPath) {
        return only(container(container).path("volumeMounts"),
                mount -> mount.path("mountPath").asText().equals(mountPath), "mount at " + mountPath);
    }

    /** The volume behind the container's mount at this path. */
    JsonNode volumeMountedAt(String container, String mountPath) {
        String volume = mountAt(container, mountPath).path("name").asText();
        return only(spec().path("volumes"), candidate -> candidate.path("name").asText().equals(volume),
                "volume " + volume);
    }

    private static JsonNode only(JsonNode array, Predicate<JsonNode> matches, String what) {
        return stream(array).filter(matches).findFirst()
                .orElseThrow(() -> new NoSuchElementException(what + " not found in " + array));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
