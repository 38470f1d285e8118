package io.callosum.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads a federation's state from the coordinator's API (what the demo's live display and report are made of), and
 * starts one there when the coordinator does not start it on its own; every call carries the demo's bootstrap token.
 */
final class FederationWatcher {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI federations;
    private final URI federation;
    private final String authorization;

    FederationWatcher(DemoSettings settings, String name) {
        this.federations = URI.create(settings.httpUrl() + "/api/federations");
        this.federation = URI.create(settings.httpUrl() + "/api/federations/" + name);
        this.authorization = "Bearer " + settings.apiToken();
    }

    /** Starts the federation {@code plan} describes (as the coordinator's API writes plans). */
    void start(JsonNode plan) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(federations).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(plan))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(federations + " refused the plan with " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** The federation view, or null while the coordinator has not created it yet. */
    JsonNode view() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(federation).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException(federation + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    static String status(JsonNode view) {
        return view.path("federation").path("status").asText();
    }

    static int completedRounds(JsonNode view) {
        int completed = 0;
        for (JsonNode round : view.path("rounds")) {
            if (round.path("round").path("status").asText().equals("completed")) {
                completed = Math.max(completed, round.path("round").path("round").asInt());
            }
        }
        return completed;
    }

    /** One line about the newest round attempt: what it is doing, or the figures it ended with. */
    static String headline(JsonNode view) {
        JsonNode rounds = view.path("rounds");
        if (rounds.isEmpty()) {
            return "waiting for sites (" + view.path("connected").size() + " connected)";
        }
        JsonNode last = rounds.get(rounds.size() - 1).path("round");
        StringBuilder line = new StringBuilder("round " + last.path("round").asInt() + " "
                + last.path("status").asText());
        last.path("metrics").fields().forEachRemaining(metric -> {
            if (metric.getKey().startsWith("evaluate.probe_accuracy.")) {
                line.append(String.format(Locale.ROOT, " · %s %.2f",
                        metric.getKey().substring("evaluate.probe_accuracy.".length()), metric.getValue().asDouble()));
            }
        });
        return line.toString();
    }
}
