package io.callosum.coordinator.inference;

import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.references.ProbeStore;
import io.callosum.coordinator.references.StoredProbe;
import io.callosum.coordinator.registry.ModelRegistry;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.callosum.coordinator.inference.ReferenceBankApiTest.unique;
import static io.callosum.coordinator.inference.ReferenceBankApiTest.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diagnosis probes over real HTTP: fitted and calibrated on a labelled omics bank, predicting conformal sets. */
@QuarkusTest
class PredictionApiTest {
    private static String bank;
    private static String probe;

    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry models;

    @Inject
    ApiTokens tokens;

    @Inject
    AgroalDataSource dataSource;

    private StoredEncoders stored;
    private String admin;
    private String predict;

    @BeforeEach
    void aProbeOnALabelledBank() throws IOException {
        stored = StoredEncoders.once(records, models);
        admin = tokens.create("probe admin", EnumSet.of(Scope.ADMIN), "test").secret();
        predict = tokens.create("predictions", EnumSet.of(Scope.PREDICT), "test").secret();
        synchronized (PredictionApiTest.class) {
            if (bank == null) {
                bank = unique("diagnosed");
                upload(admin, bank, "omics", stored.bound().id(), List.of(omicsTable()),
                        StoredEncoders.labels(stored.omics)).statusCode(200)
                        .body("classes", equalTo(3));
                probe = unique("diagnosis");
                register(probe, bank, "aps").statusCode(201)
                        .body("bank", equalTo(bank))
                        .body("modelVersion", equalTo((int) stored.bound().id()))
                        .body("classes", equalTo(3))
                        .body("scoreFunction", equalTo("aps"))
                        .body("calibrationSubjects", greaterThan(9));
            }
        }
    }

    @Test
    void predictionsGiveProbabilitiesAndConformalSetsThatGrowWithCoverage() {
        ValidatableResponse usual = predict(omicsTable(), "omics", probe, null).statusCode(200)
                .body("modelVersion", equalTo((int) stored.bound().id()))
                .body("probe.name", equalTo(probe))
                .body("coverage", equalTo(0.9f))
                .body("predictions", hasSize(24))
                .body("predictions[0].probabilities", hasSize(3));
        List<Map<String, Object>> atNinety = usual.extract().path("predictions");
        List<Map<String, Object>> atHalf = predict(omicsTable(), "omics", probe, "0.5").statusCode(200)
                .extract().path("predictions");
        int coveredNinety = 0;
        int coveredHalf = 0;
        for (int i = 0; i < atNinety.size(); i++) {
            List<?> wide = (List<?>) atNinety.get(i).get("set");
            List<?> narrow = (List<?>) atHalf.get(i).get("set");
            assertTrue(wide.containsAll(narrow), "the 0.9 set holds the 0.5 set: " + wide + " " + narrow);
            @SuppressWarnings("unchecked")
            double total = ((List<Number>) atNinety.get(i).get("probabilities")).stream()
                    .mapToDouble(Number::doubleValue).sum();
            assertEquals(1.0, total, 1e-6);
            int truth = stored.omics.diagnoses()[stored.omics.subjects().indexOf((String) atNinety.get(i)
                    .get("subject"))];
            coveredNinety += wide.contains(truth) ? 1 : 0;
            coveredHalf += narrow.contains(truth) ? 1 : 0;
        }
        assertTrue(coveredNinety >= coveredHalf && coveredNinety >= 18, coveredNinety + " and " + coveredHalf
                + " of 24 true diagnoses covered at 0.9 and 0.5");
    }

    @Test
    void aStoredProbeReadBackGivesTheSameProbabilities() {
        float[] values = stored.omics.inputs()[3];
        List<Integer> shape = List.of(2, values.length / 2);
        Map<String, Object> body = Map.of("modality", "omics", "shape", shape, "values", values, "probe", probe,
                "coverage", 0.8);
        List<Float> probabilities = given().auth().oauth2(predict).contentType(ContentType.JSON).body(body).when()
                .post("/api/v1/predictions").then().statusCode(200)
                .body("coverage", equalTo(0.8f))
                .extract().path("predictions[0].probabilities");
        StoredProbe read = new ProbeStore(dataSource).find(probe).orElseThrow();
        List<Float> embedded = given().auth().oauth2(tokens.create("e", EnumSet.of(Scope.EMBED), "test").secret())
                .contentType(ContentType.JSON).body(Map.of("modality", "omics", "model_version", stored.bound().id(),
                        "shape", shape, "values", values))
                .when().post("/api/v1/embeddings").then().statusCode(200)
                .extract().path("embeddings[0].embedding");
        float[] embedding = new float[embedded.size()];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = embedded.get(i);
        }
        double[] again = read.probe().probabilities(embedding);
        for (int k = 0; k < again.length; k++) {
            assertEquals(again[k], probabilities.get(k), 1e-5);
        }
    }

    @Test
    void coverageProbeAndModalityRefusalsSayWhatWasWrong() {
        predict(omicsTable(), "omics", probe, "1.5").statusCode(400)
                .body("error", equalTo("'coverage' must lie in (0, 1), got 1.5"));
        predict(omicsTable(), "omics", probe, "0").statusCode(400);
        predict(omicsTable(), "omics", probe, "0.99").statusCode(422)
                .body("error", containsString("coverage 0.99 needs at least 99 calibration subjects"));
        predict(omicsTable(), "omics", "no-such-probe", null).statusCode(404)
                .body("error", equalTo("no diagnosis probe 'no-such-probe'"));
        predict(imagingFile(), "imaging", probe, null).statusCode(422)
                .body("error", containsString("reads omics embeddings; the input is imaging"));
    }

    @Test
    void probesNeedLabelsAUniqueNameAndKeepTheirBank() {
        String unlabelled = unique("unlabelled");
        upload(admin, unlabelled, "omics", stored.bound().id(), List.of(omicsTable()), null).statusCode(200);
        register(unique("blind"), unlabelled, "lac").statusCode(422)
                .body("error", containsString("has no labels for omics"));
        register(probe, bank, "lac").statusCode(409).body("error", containsString("exists already"));
        register(unique("odd"), bank, "topk").statusCode(400).body("error", containsString("aps or lac"));

        String lac = unique("lac");
        register(lac, bank, "lac").statusCode(201).body("scoreFunction", equalTo("lac"));
        given().auth().oauth2(admin).when().delete("/api/v1/references/" + bank).then().statusCode(409)
                .body("error", containsString("is used by a diagnosis probe"));
        given().auth().oauth2(predict).when().get("/api/v1/probes/" + lac).then().statusCode(200)
                .body("maxCoverage", greaterThan(0.9f));
        given().auth().oauth2(admin).when().delete("/api/v1/probes/" + lac).then().statusCode(204);
        given().auth().oauth2(predict).when().get("/api/v1/probes/" + lac).then().statusCode(404);
    }

    @Test
    void badUploadsAndMissingScopesAreRefused() throws IOException {
        Path corrupt = Files.createTempFile("corrupt", ".tsv");
        Files.writeString(corrupt, "subject\tgene-1\nsub-1\tnot-a-number\nsub-2\t1\n");
        predict(corrupt.toFile(), "omics", probe, null).statusCode(422)
                .body("error", containsString("is not a readable omics table"));
        Path big = Files.createTempFile("big", ".tsv");
        Files.write(big, new byte[1_500_000]);
        predict(big.toFile(), "omics", probe, null).statusCode(413);

        given().multiPart("file", omicsTable()).multiPart("modality", "omics").multiPart("probe", probe).when()
                .post("/api/v1/predictions").then().statusCode(401).body("status", equalTo(401));
        String embedOnly = tokens.create("embed only", EnumSet.of(Scope.EMBED), "test").secret();
        given().auth().oauth2(embedOnly).multiPart("file", omicsTable()).multiPart("modality", "omics")
                .multiPart("probe", probe).when().post("/api/v1/predictions").then().statusCode(403)
                .body("error", containsString("lacks scope 'predict'"));
        given().auth().oauth2(predict).contentType(ContentType.JSON)
                .body(Map.of("name", unique("x"), "bank", bank, "modality", "omics")).when().post("/api/v1/probes")
                .then().statusCode(403).body("error", containsString("lacks scope 'admin'"));
    }

    private ValidatableResponse register(String name, String bankName, String score) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", name, "bank", bankName, "modality", "omics", "score", score)).when()
                .post("/api/v1/probes").then();
    }

    private ValidatableResponse predict(File file, String modality, String probeName, String coverage) {
        RequestSpecification request = given().auth().oauth2(predict).multiPart("file", file).multiPart("modality", modality)
                .multiPart("probe", probeName);
        if (coverage != null) {
            request = request.multiPart("coverage", coverage);
        }
        return request.when().post("/api/v1/predictions").then();
    }

    private File imagingFile() {
        return stored.site.resolve("imaging").toFile().listFiles()[0];
    }

    private File omicsTable() {
        return stored.site.resolve("omics/omics.tsv").toFile();
    }
}
