package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.stream.StreamSupport;

/** Reading the coordinator's answer to {@code GET /api/federations/{name}}. */
final class FederationView {
    private FederationView() {
    }

    static String status(JsonNode view) {
        return view.get("federation").get("status").asText();
    }

    static boolean finished(JsonNode view) {
        return status(view).equals("completed") || status(view).equals("failed");
    }

    static List<JsonNode> versions(JsonNode view) {
        return StreamSupport.stream(view.get("versions").spliterator(), false).toList();
    }

    /** The round records (attempts), without their per-participant results. */
    static List<JsonNode> rounds(JsonNode view) {
        return StreamSupport.stream(view.get("rounds").spliterator(), false).map(r -> r.get("round")).toList();
    }

    static String sha256(JsonNode version) {
        JsonNode content = version.get("content");
        return content.isTextual() ? content.asText() : content.get("sha256").asText();
    }
}
