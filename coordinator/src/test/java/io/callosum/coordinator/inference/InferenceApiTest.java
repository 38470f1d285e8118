package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The inference API over real HTTP, against real encoder versions of a generated cohort. */
@QuarkusTest
class InferenceApiTest {
    private static StoredEncoders stored;

    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry models;

    @Inject
    ApiTokens tokens;

    private String embed;

    @BeforeEach
    void encodersAndAToken() throws IOException {
        stored = StoredEncoders.once(records, models);
        embed = tokens.create("inference test", EnumSet.of(Scope.EMBED), "test").secret();
    }

    @Test
    void modelsListVersionsWithLineageAndModalities() {
        ModelVersion latest = stored.latest();
        given().auth().oauth2(embed).when().get("/api/v1/models").then()
                .statusCode(200)
                .body("find { it.id == " + latest.id() + " }.parentId", equalTo((int) stored.versions.get(1).id()))
                .body("find { it.id == " + latest.id() + " }.round", equalTo(2))
                .body("find { it.id == " + latest.id() + " }.modalities", equalTo(List.of("imaging", "omics")));
        given().when().get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void anUploadedNiftiIsEmbeddedWithTheEnsembleVarianceOverThreeVersions() {
        file("imaging", imagingFile(), stored.latest().id()).statusCode(200)
                .body("modelVersion", equalTo((int) stored.latest().id()))
                .body("modality", equalTo("imaging"))
                .body("embeddings", hasSize(1))
                .body("embeddings[0].embedding", hasSize(StoredEncoders.MODEL.dim()))
                .body("embeddings[0].uncertainty.ensemble.available", equalTo(true))
                .body("embeddings[0].uncertainty.ensemble.versions", hasSize(3))
                .body("embeddings[0].uncertainty.ensemble.meanVariance", greaterThan(0f))
                .body("embeddings[0].uncertainty.ood.available", equalTo(false))
                .body("embeddings[0].uncertainty.ood.reason", containsString("no reference bank"));
    }

    @Test
    void anAlignedVersionPlacesTheEmbeddingInTheSharedSpaceWithTheFrozenEncodersLineage() {
        List<Float> pretrained = file("imaging", imagingFile(), stored.latest().id()).statusCode(200)
                .body("sharedSpace.available", equalTo(false))
                .body("sharedSpace.reason", containsString("has no shared-space heads"))
                .body("embeddings[0].shared", nullValue())
                .extract().path("embeddings[0].embedding");
        ValidatableResponse aligned = file("imaging", imagingFile(), stored.bound().id()).statusCode(200)
                .body("modelVersion", equalTo((int) stored.bound().id()))
                .body("sharedSpace.available", equalTo(true))
                .body("sharedSpace.dimension", equalTo(StoredEncoders.SPACE.sharedDim()))
                .body("embeddings[0].shared", hasSize(StoredEncoders.SPACE.sharedDim()))
                .body("embeddings[0].uncertainty.ensemble.versions", equalTo(List.of((int) stored.bound().id(),
                        (int) stored.versions.get(1).id(), (int) stored.versions.get(0).id())))
                .body("embeddings[0].uncertainty.ensemble.meanVariance", greaterThan(0f));
        assertEquals(pretrained, aligned.extract().path("embeddings[0].embedding"), "frozen encoders");
        List<Float> shared = aligned.extract().path("embeddings[0].shared");
        assertEquals(1.0, Math.sqrt(shared.stream().mapToDouble(v -> v * v).sum()), 1e-4, "a unit vector");

        file("omics", stored.site.resolve("omics/omics.tsv").toFile(), stored.aligned.get(0).id()).statusCode(200)
                .body("sharedSpace.available", equalTo(false))
                .body("sharedSpace.reason", equalTo("model version " + stored.aligned.get(0).id()
                        + " has shared-space heads for [imaging] but none for omics"))
                .body("embeddings[0].shared", nullValue());
    }

    @Test
    void anOmicsTableIsEmbeddedRowByRow() {
        file("omics", stored.site.resolve("omics/omics.tsv").toFile(), stored.latest().id()).statusCode(200)
                .body("embeddings", hasSize(24))
                .body("embeddings.subject", hasItem("sub-0001"));
    }

    @Test
    void aReferenceBankGivesEveryEmbeddingAMahalanobisScoreAndAFlag() {
        // The middle version, so that the latest one stays without a bank for the other tests.
        long version = stored.versions.get(1).id();
        List<Map<String, Object>> subjects = new ArrayList<>();
        for (int i = 0; i < stored.imaging.size(); i++) {
            subjects.add(Map.of("label", stored.imaging.diagnoses()[i], "shape", List.of(16, 16, 16),
                    "values", stored.imaging.inputs()[i]));
        }
        Map<String, Object> bank = new LinkedHashMap<>();
        String name = "generated-imaging-" + UUID.randomUUID().toString().substring(0, 8);
        bank.put("name", name);
        bank.put("modality", "imaging");
        bank.put("model_version", version);
        bank.put("subjects", subjects);
        String admin = tokens.create("bank admin", EnumSet.of(Scope.ADMIN), "test").secret();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bank).when().post("/api/v1/references")
                .then().statusCode(200)
                .body("subjects", equalTo(24))
                .body("threshold", greaterThan(0f));

        float[] far = stored.imaging.inputs()[0].clone();
        Arrays.fill(far, 0, far.length / 2, 25f);
        Map<String, Object> tensor = Map.of("modality", "imaging", "model_version", version,
                "shape", List.of(16, 16, 16), "values", far);
        given().auth().oauth2(embed).contentType(ContentType.JSON).body(tensor).when().post("/api/v1/embeddings")
                .then().statusCode(200)
                .body("embeddings[0].uncertainty.ood.available", equalTo(true))
                .body("embeddings[0].uncertainty.ood.referenceBank", equalTo(name))
                .body("embeddings[0].uncertainty.ood.energy", notNullValue())
                .body("embeddings[0].uncertainty.ood.outOfDistribution", equalTo(true));
    }

    @Test
    void aFileOfAnotherModalityIsRefusedSayingWhatWasExpected() {
        File edf = stored.site.resolve("eeg").toFile().listFiles()[0];
        file("imaging", edf, stored.latest().id()).statusCode(422)
                .body("error", containsString("is not a readable NIfTI-1 image"));
    }

    @Test
    void aCorruptNiftiIsRefusedNamingTheField() throws IOException {
        byte[] image;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(imagingFile().toPath()))) {
            image = in.readAllBytes();
        }
        image[0] = 7;
        Path corrupt = Files.createTempFile("corrupt", ".nii");
        Files.write(corrupt, image);
        file("imaging", corrupt.toFile(), stored.latest().id()).statusCode(422)
                .body("status", equalTo(422))
                .body("error", containsString("is not a readable NIfTI-1 image"))
                .body("error", containsString("sizeof_hdr"));

        Path truncated = Files.createTempFile("truncated", ".nii.gz");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(imagingFile().toPath()), 100));
        file("imaging", truncated.toFile(), stored.latest().id()).statusCode(422)
                .body("error", containsString("is not a readable NIfTI-1 image"));
    }

    @Test
    void anUploadOverTheLimitIsRefusedWith413() throws IOException {
        Path big = Files.createTempFile("big", ".nii");
        Files.write(big, new byte[1_500_000]);
        file("imaging", big.toFile(), stored.latest().id()).statusCode(413)
                .body("error", containsString("over the limit of 1048576 bytes"));
    }

    @Test
    void aSingleOmicsRowCannotBeStandardizedAndIsRefused() throws IOException {
        List<String> lines = Files.readAllLines(stored.site.resolve("omics/omics.tsv"));
        Path one = Files.createTempFile("one-row", ".tsv");
        Files.write(one, lines.subList(0, 2));
        file("omics", one.toFile(), stored.latest().id()).statusCode(422)
                .body("error", containsString("at least 2 rows"));
    }

    @Test
    void badParametersAreRefusedWith4xxSayingWhich() {
        file("shared", imagingFile(), stored.latest().id()).statusCode(400)
                .body("error", containsString("not an input modality"));
        file("mri", imagingFile(), stored.latest().id()).statusCode(400)
                .body("error", containsString("unknown modality 'mri'"));
        file("imaging", imagingFile(), 987654321L).statusCode(404)
                .body("error", equalTo("no model version 987654321"));
        file("eeg", stored.site.resolve("eeg").toFile().listFiles()[0], stored.latest().id()).statusCode(422)
                .body("error", containsString("holds no eeg encoder"));
        given().auth().oauth2(embed).contentType(ContentType.JSON)
                .body(Map.of("modality", "imaging", "shape", List.of(16, 16, 16), "values", new float[10]))
                .when().post("/api/v1/embeddings").then().statusCode(422)
                .body("error", equalTo("shape [16, 16, 16] needs 4096 values, got 10"));
    }

    @Test
    void embeddingNeedsATokenWithTheEmbedScope() {
        given().multiPart("file", imagingFile()).multiPart("modality", "imaging").when().post("/api/v1/embeddings")
                .then().statusCode(401).body("error", containsString("missing bearer token"));
        String predictOnly = tokens.create("predict only", EnumSet.of(Scope.PREDICT), "test").secret();
        given().auth().oauth2(predictOnly).multiPart("file", imagingFile()).multiPart("modality", "imaging")
                .when().post("/api/v1/embeddings").then().statusCode(403)
                .body("error", containsString("lacks scope 'embed'"));
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/embeddings"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/models"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void apiLatencyIsInThePrometheusMetrics() {
        given().auth().oauth2(embed).when().get("/api/v1/models").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count{"))
                .body(containsString("uri=\"/api/v1/models\""));
    }

    private File imagingFile() {
        return stored.site.resolve("imaging").toFile().listFiles()[0];
    }

    private ValidatableResponse file(String modality, File file, long version) {
        return given().auth().oauth2(embed).multiPart("file", file).multiPart("modality", modality)
                .multiPart("model_version", String.valueOf(version)).when().post("/api/v1/embeddings").then();
    }
}
