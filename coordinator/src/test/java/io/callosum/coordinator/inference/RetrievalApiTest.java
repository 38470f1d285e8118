package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.registry.ModelRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.callosum.coordinator.inference.ReferenceBankApiTest.unique;
import static io.callosum.coordinator.inference.ReferenceBankApiTest.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-modal retrieval over real HTTP in the fixture's bound shared space: omics rows and images of the generated
 * cohort against a labelled bank holding both modalities of the same subjects.
 */
@QuarkusTest
class RetrievalApiTest {
    private static String bank;

    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry models;

    @Inject
    ApiTokens tokens;

    private StoredEncoders stored;
    private String embed;

    @BeforeEach
    void aBankOfBothModalities() throws IOException {
        stored = StoredEncoders.once(records, models);
        embed = tokens.create("retrieval", EnumSet.of(Scope.EMBED), "test").secret();
        synchronized (RetrievalApiTest.class) {
            if (bank == null) {
                String admin = tokens.create("retrieval admin", EnumSet.of(Scope.ADMIN), "test").secret();
                String name = unique("paired");
                upload(admin, name, "imaging", stored.bound().id(), imagingFiles(), null).statusCode(200);
                upload(admin, name, "omics", stored.bound().id(), List.of(omicsTable()), null).statusCode(200);
                bank = name;
            }
        }
    }

    @Test
    void omicsRowsFindTheirOwnSubjectsImagesWellAboveChance() {
        ValidatableResponse answer = retrieve(omicsTable(), "omics", "imaging", bank, "5").statusCode(200)
                .body("modelVersion", equalTo((int) stored.bound().id()))
                .body("bank", equalTo(bank))
                .body("targetModality", equalTo("imaging"))
                .body("bankSubjects", equalTo(24))
                .body("queries", hasSize(24))
                .body("queries.neighbours", everyItem(hasSize(5)))
                .body("queries[0].neighbours[0].energy", notNullValue());
        List<Map<String, Object>> queries = answer.extract().path("queries");
        int found = 0;
        for (Map<String, Object> query : queries) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> neighbours = (List<Map<String, Object>>) query.get("neighbours");
            for (int i = 1; i < neighbours.size(); i++) {
                double before = ((Number) neighbours.get(i - 1).get("cosine")).doubleValue();
                double after = ((Number) neighbours.get(i).get("cosine")).doubleValue();
                assertTrue(before >= after, "most similar first: " + neighbours);
                assertTrue(((Number) neighbours.get(i - 1).get("energy")).doubleValue()
                        <= ((Number) neighbours.get(i).get("energy")).doubleValue(), "InfoNCE energy is -cos/τ");
            }
            if (neighbours.stream().anyMatch(n -> n.get("subject").equals(query.get("subject")))) {
                found++;
            }
        }
        double recall = found / 24.0;
        double chance = 5 / 24.0;
        assertTrue(recall >= 2 * chance, "recall@5 " + recall + " against chance " + chance);
    }

    @Test
    void aJsonImageTensorRetrievesOmicsSubjects() {
        Map<String, Object> body = Map.of("modality", "imaging", "shape", List.of(16, 16, 16),
                "values", stored.imaging.inputs()[0], "target_modality", "omics", "bank", bank, "k", 3);
        given().auth().oauth2(embed).contentType(ContentType.JSON).body(body).when().post("/api/v1/retrieve")
                .then().statusCode(200)
                .body("queries", hasSize(1))
                .body("queries[0].subject", equalTo("tensor"))
                .body("queries[0].neighbours", hasSize(3))
                .body("queries[0].neighbours[0].label", equalTo(null));
    }

    @Test
    void refusalsSayWhichBankModalityVersionOrKWasWrong() {
        retrieve(imagingFiles().get(0), "imaging", "omics", "no-such-bank", "5").statusCode(404)
                .body("error", equalTo("no reference bank 'no-such-bank'"));
        retrieve(imagingFiles().get(0), "imaging", "eeg", bank, "5").statusCode(422)
                .body("error", equalTo("reference bank '" + bank + "' holds no eeg subjects; it holds [imaging,"
                        + " omics]"));
        retrieve(imagingFiles().get(0), "imaging", "omics", bank, "0").statusCode(400)
                .body("error", containsString("'k' must lie between 1 and 24"));
        retrieve(imagingFiles().get(0), "imaging", "omics", bank, "25").statusCode(400);
        retrieve(imagingFiles().get(0), "imaging", "omics", bank, "two").statusCode(400)
                .body("error", equalTo("'k' must be a number, got 'two'"));

        String admin = tokens.create("retrieval admin", EnumSet.of(Scope.ADMIN), "test").secret();
        String headless = unique("headless");
        upload(admin, headless, "imaging", stored.versions.get(0).id(), imagingFiles().subList(0, 4), null)
                .statusCode(200);
        retrieve(imagingFiles().get(0), "imaging", "imaging", headless, "2").statusCode(422)
                .body("error", containsString("retrieval needs the shared space: model version "
                        + stored.versions.get(0).id()))
                .body("error", containsString("has no shared-space heads"));
    }

    @Test
    void badUploadsAndMissingScopesAreRefused() throws IOException {
        Path corrupt = Files.createTempFile("corrupt", ".nii");
        Files.write(corrupt, new byte[400]);
        retrieve(corrupt.toFile(), "imaging", "omics", bank, "5").statusCode(422)
                .body("error", containsString("is not a readable NIfTI-1 image"));
        retrieve(stored.site.resolve("eeg").toFile().listFiles()[0], "imaging", "omics", bank, "5").statusCode(422)
                .body("error", containsString("is not a readable NIfTI-1 image"));
        Path big = Files.createTempFile("big", ".nii");
        Files.write(big, new byte[1_500_000]);
        retrieve(big.toFile(), "imaging", "omics", bank, "5").statusCode(413)
                .body("error", containsString("over the limit of 1048576 bytes"));

        given().multiPart("file", imagingFiles().get(0)).multiPart("modality", "imaging").when()
                .post("/api/v1/retrieve").then().statusCode(401).body("error", containsString("missing bearer"));
        String predictOnly = tokens.create("predict only", EnumSet.of(Scope.PREDICT), "test").secret();
        given().auth().oauth2(predictOnly).multiPart("file", imagingFiles().get(0)).multiPart("modality", "imaging")
                .when().post("/api/v1/retrieve").then().statusCode(403)
                .body("status", equalTo(403)).body("error", containsString("lacks scope 'embed'"));
    }

    private ValidatableResponse retrieve(File file, String modality, String target, String bankName, String k) {
        return given().auth().oauth2(embed).multiPart("file", file).multiPart("modality", modality)
                .multiPart("target_modality", target).multiPart("bank", bankName).multiPart("k", k)
                .when().post("/api/v1/retrieve").then();
    }

    private List<File> imagingFiles() {
        File[] files = stored.site.resolve("imaging").toFile().listFiles();
        Arrays.sort(files);
        return List.of(files);
    }

    private File omicsTable() {
        return stored.site.resolve("omics/omics.tsv").toFile();
    }
}
