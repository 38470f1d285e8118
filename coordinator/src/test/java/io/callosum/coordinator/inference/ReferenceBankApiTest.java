package io.callosum.coordinator.inference;

import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.references.ReferenceBankStore;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.encoders.synth.AcquisitionShift;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import io.callosum.uncertainty.ood.Auroc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference banks over real HTTP: registered from uploaded files or vectors, kept in PostgreSQL, listed, deleted. */
@QuarkusTest
class ReferenceBankApiTest {
    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry models;

    @Inject
    ApiTokens tokens;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog audit;

    private StoredEncoders stored;
    private String admin;
    private String embed;

    @BeforeEach
    void encodersAndTokens() throws IOException {
        stored = StoredEncoders.once(records, models);
        admin = tokens.create("bank admin", EnumSet.of(Scope.ADMIN), "test").secret();
        embed = tokens.create("bank reader", EnumSet.of(Scope.EMBED), "test").secret();
    }

    @Test
    void uploadedLabelledFilesMakeABankThatSurvivesAFreshServiceAndScoresEmbeddings() {
        String name = unique("uploaded");
        long version = stored.versions.get(0).id();
        String labels = StoredEncoders.labels(stored.imaging);
        float threshold = upload(admin, name, "imaging", version, imagingFiles(), labels).statusCode(200)
                .body("name", equalTo(name))
                .body("modelVersion", equalTo((int) version))
                .body("subjects", equalTo(24))
                .body("classes", equalTo(3))
                .extract().path("threshold");

        given().auth().oauth2(embed).when().get("/api/v1/references/" + name).then().statusCode(200)
                .body("modelVersion", equalTo((int) version))
                .body("modalities[0].modality", equalTo("imaging"))
                .body("modalities[0].subjects", equalTo(24))
                .body("modalities[0].classes", equalTo(3));
        given().auth().oauth2(embed).when().get("/api/v1/references").then().statusCode(200)
                .body("name", hasItem(name));
        given().auth().oauth2(embed).multiPart("file", imagingFiles().get(0)).multiPart("modality", "imaging")
                .multiPart("model_version", String.valueOf(version)).when().post("/api/v1/embeddings").then()
                .statusCode(200)
                .body("embeddings[0].uncertainty.ood.referenceBank", equalTo(name))
                .body("embeddings[0].uncertainty.ood.threshold", equalTo(threshold));

        // A new service over the same database, as after a restart: nothing cached, everything read back.
        ReferenceBanks restarted = new ReferenceBanks(new ReferenceBankStore(dataSource), audit);
        StoredBank bank = restarted.bank(name);
        assertEquals(version, bank.modelVersion());
        ReferenceBanks.Fitted fitted = restarted.modality(bank, Modality.IMAGING);
        assertEquals(threshold, fitted.threshold(), 1e-4);
        assertEquals(stored.imaging.subjects().stream().sorted().toList(), fitted.subjects().subjects());
        assertTrue(fitted.subjects().labelled());
    }

    @Test
    void inputsFromUnseenEquipmentAreFlaggedAndSetApartByTheirAcquisition() throws IOException {
        String name = unique("acquisition");
        long version = stored.versions.get(0).id();
        // A bank of 56 subjects from one scanner (a 97.5% threshold over 24 out-of-fold distances is nearly their
        // maximum, and moves with it), then 8 new subjects on that scanner and the same 8 on equipment outside every
        // site's range.
        int bankSize = 56;
        CohortSpec cohort = new CohortSpec(bankSize + 8, 1, 11, 16, 1, 64, 24, 3);
        Path cohorts = Files.createTempDirectory("acquisition");
        List<File> usualFiles = imagingFiles(new CohortGenerator(cohort), cohorts.resolve("usual"));
        List<File> unseenFiles = imagingFiles(new CohortGenerator(cohort).withShift(AcquisitionShift.UNSEEN_EQUIPMENT),
                cohorts.resolve("unseen"));
        float acquisitionThreshold = upload(admin, name, "imaging", version, usualFiles.subList(0, bankSize), null)
                .statusCode(200)
                .body("quantile", equalTo(0.975f))
                .body("acquisitionThreshold", greaterThan(0f))
                .extract().path("acquisitionThreshold");

        List<Scored> usual = scored(usualFiles.subList(bankSize, usualFiles.size()), version, name,
                acquisitionThreshold);
        List<Scored> unseen = scored(unseenFiles.subList(bankSize, unseenFiles.size()), version, name,
                acquisitionThreshold);

        // Imaging texture and thermal noise share their scale, so a few shifted inputs score like the bank's tail.
        assertTrue(unseen.stream().filter(Scored::flagged).count() >= 6, "unseen-equipment inputs are flagged: "
                + unseen);
        assertTrue(usual.stream().filter(Scored::flagged).count() <= 1, "new subjects on the bank's scanner: "
                + usual);
        double auroc = Auroc.of(usual.stream().mapToDouble(Scored::acquisition).toArray(),
                unseen.stream().mapToDouble(Scored::acquisition).toArray());
        assertTrue(auroc >= 0.9, "the acquisition distance sets unseen equipment apart: AUROC " + auroc);
    }

    /** One embedded input: its acquisition distance and whether it was flagged (by either score). */
    private record Scored(double acquisition, boolean flagged) {
    }

    private static List<File> imagingFiles(CohortGenerator generator, Path out) throws IOException {
        generator.write(out, n -> { });
        File[] files = out.resolve("site-01/imaging").toFile().listFiles();
        Arrays.sort(files);
        return List.of(files);
    }

    /** Each file embedded and scored against the bank. */
    private List<Scored> scored(List<File> files, long version, String bank, float threshold) {
        List<Scored> scored = new ArrayList<>();
        for (File file : files) {
            ValidatableResponse response = given().auth().oauth2(embed).multiPart("file", file)
                    .multiPart("modality", "imaging").multiPart("model_version", String.valueOf(version)).when()
                    .post("/api/v1/embeddings").then().statusCode(200)
                    .body("embeddings[0].uncertainty.ood.referenceBank", equalTo(bank))
                    .body("embeddings[0].uncertainty.ood.acquisition.available", equalTo(true))
                    .body("embeddings[0].uncertainty.ood.acquisition.threshold", equalTo(threshold));
            float distance = response.extract().path("embeddings[0].uncertainty.ood.acquisition.mahalanobis");
            boolean flagged = response.extract().path("embeddings[0].uncertainty.ood.outOfDistribution");
            boolean unusual = response.extract().path("embeddings[0].uncertainty.ood.acquisition.unusual");
            assertEquals(distance > threshold, unusual, "flagged above the threshold");
            scored.add(new Scored(distance, flagged));
        }
        return scored;
    }

    @Test
    void aBankHoldsEachModalityOnceAndForOneVersion() {
        String name = unique("conflicts");
        long version = stored.versions.get(0).id();
        upload(admin, name, "imaging", version, imagingFiles().subList(0, 6), null).statusCode(200)
                .body("classes", equalTo(1));
        upload(admin, name, "imaging", version, imagingFiles().subList(6, 12), null).statusCode(409)
                .body("error", containsString("already holds 6 imaging subjects"));
        upload(admin, name, "omics", stored.versions.get(1).id(), List.of(omicsTable()), null).statusCode(409)
                .body("error", equalTo("reference bank '" + name + "' holds embeddings of model version " + version
                        + ", not " + stored.versions.get(1).id()));
        // Without a version the bank's own is used.
        upload(admin, name, "omics", null, List.of(omicsTable()), null).statusCode(200)
                .body("modelVersion", equalTo((int) version))
                .body("subjects", equalTo(24));
        given().auth().oauth2(admin).when().get("/api/v1/references/" + name).then().statusCode(200)
                .body("modalities.modality", equalTo(List.of("imaging", "omics")));
    }

    @Test
    void precomputedVectorsAreCheckedAgainstTheEncoderWidth() {
        String name = unique("vectors");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("modality", "omics");
        request.put("model_version", stored.versions.get(0).id());
        request.put("subjects", List.of(Map.of("id", "a", "vector", new float[3])));
        json(admin, request).statusCode(422).body("error", containsString("has 3 values; model version "
                + stored.versions.get(0).id() + "'s omics embeddings have " + StoredEncoders.MODEL.dim()));
        float[][] vectors = new float[5][StoredEncoders.MODEL.dim()];
        List<Map<String, Object>> subjects = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            Arrays.fill(vectors[i], i);
            vectors[i][i] = 10;
            subjects.add(Map.of("id", "generated-" + i, "vector", vectors[i]));
        }
        request.put("subjects", subjects);
        json(admin, request).statusCode(200).body("subjects", equalTo(5)).body("threshold", greaterThan(0f))
                .body("acquisitionThreshold", nullValue())
                .body("quantile", equalTo(0.95f));
        given().auth().oauth2(embed).multiPart("file", omicsTable()).multiPart("modality", "omics")
                .multiPart("model_version", String.valueOf(stored.versions.get(0).id())).when()
                .post("/api/v1/embeddings").then().statusCode(200)
                .body("embeddings[0].uncertainty.ood.referenceBank", equalTo(name))
                .body("embeddings[0].uncertainty.ood.acquisition.available", equalTo(false))
                .body("embeddings[0].uncertainty.ood.acquisition.reason", containsString("precomputed embeddings"));
    }

    @Test
    void badReferenceUploadsAreRefusedSayingWhatWasWrong() throws IOException {
        long version = stored.versions.get(0).id();
        Path corrupt = Files.createTempFile("sub-bad", ".nii");
        Files.write(corrupt, new byte[400]);
        upload(admin, unique("corrupt"), "imaging", version, List.of(imagingFiles().get(0), corrupt.toFile()), null)
                .statusCode(422).body("error", containsString("is not a readable NIfTI-1 image"));
        File edf = stored.site.resolve("eeg").toFile().listFiles()[0];
        upload(admin, unique("wrong"), "imaging", version, List.of(edf), null)
                .statusCode(422).body("error", containsString("is not a readable NIfTI-1 image"));
        upload(admin, unique("few"), "imaging", version, imagingFiles().subList(0, 3), null)
                .statusCode(422).body("error", equalTo("a reference bank needs at least 4 imaging subjects, got 3"));
        upload(admin, unique("stranger"), "imaging", version, imagingFiles().subList(0, 4), "{\"sub-9999\": 1}")
                .statusCode(422).body("error", containsString("'labels' names subjects not uploaded: [sub-9999]"));
        upload(admin, unique("partly"), "imaging", version, imagingFiles().subList(0, 4), "{\"sub-0001\": 1}")
                .statusCode(422).body("error", containsString("1 of 4 imaging reference subjects have a label"));
        upload(admin, "Bad Name", "imaging", version, imagingFiles().subList(0, 4), null)
                .statusCode(400).body("error", containsString("'name' is 1 to 63 characters"));
    }

    @Test
    void banksNeedTheAdminScopeToChangeAndAnyScopeToRead() {
        String name = unique("scoped");
        upload(null, name, "imaging", stored.versions.get(0).id(), imagingFiles().subList(0, 4), null)
                .statusCode(401).body("status", equalTo(401)).body("error", containsString("missing bearer token"));
        upload(embed, name, "imaging", stored.versions.get(0).id(), imagingFiles().subList(0, 4), null)
                .statusCode(403).body("status", equalTo(403)).body("error", containsString("lacks scope 'admin'"));
        given().when().get("/api/v1/references").then().statusCode(401);
        given().auth().oauth2(embed).when().delete("/api/v1/references/" + name).then().statusCode(403);
    }

    @Test
    void aDeletedBankIsGoneAndAnUnknownOneIsNotFound() {
        String name = unique("deleted");
        upload(admin, name, "imaging", stored.versions.get(0).id(), imagingFiles().subList(0, 4), null)
                .statusCode(200);
        given().auth().oauth2(admin).when().delete("/api/v1/references/" + name).then().statusCode(204);
        given().auth().oauth2(admin).when().get("/api/v1/references/" + name).then().statusCode(404)
                .body("error", equalTo("no reference bank '" + name + "'"));
        given().auth().oauth2(admin).when().delete("/api/v1/references/" + name).then().statusCode(404);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<File> imagingFiles() {
        File[] files = stored.site.resolve("imaging").toFile().listFiles();
        Arrays.sort(files);
        return List.of(files);
    }

    private File omicsTable() {
        return stored.site.resolve("omics/omics.tsv").toFile();
    }

    private ValidatableResponse json(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when()
                .post("/api/v1/references").then();
    }

    static ValidatableResponse upload(String token, String name, String modality, Long version, List<File> files,
                                      String labels) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        request = request.multiPart("name", name).multiPart("modality", modality);
        if (version != null) {
            request = request.multiPart("model_version", String.valueOf(version));
        }
        for (File file : files) {
            request = request.multiPart("file", file);
        }
        if (labels != null) {
            request = request.multiPart("labels", labels);
        }
        return request.when().post("/api/v1/references").then();
    }
}
