package io.callosum.protocol.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivacyLedgerTest {
    private static final String SITE = "site-a";
    private static final double DELTA = 1e-5;
    /** One release at z_eff = 2 costs ε ≈ 2.17 and two cost ≈ 3.2, so the second is refused under a budget of 3. */
    private static final PrivacySettings TIGHT = new PrivacySettings(1, 2, 3, DELTA);
    private static final PrivacySettings ROOMY = new PrivacySettings(1, 2, 100, DELTA);

    @TempDir
    Path directory;

    @Test
    void chargesAddUpAsTheAccountantComposesAcrossFederations() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, ROOMY)) {
            assertEquals(0, ledger.spent().epsilon());
            PrivacySpend first = ledger.charge("mri", 1, 1, 2);
            ledger.charge("mri", 2, 1, 3);
            PrivacySpend third = ledger.charge("eeg", 1, 1, 2);

            double expected = RdpAccountant.empty().plusGaussian(2, 2).plusGaussian(3).epsilon(DELTA).epsilon();
            assertEquals(expected, third.totalEpsilon(), 1e-12);
            assertEquals(expected, ledger.spent().epsilon(), 1e-12);
            double single = RdpAccountant.empty().plusGaussian(2).epsilon(DELTA).epsilon();
            assertEquals(single, first.roundEpsilon(), 1e-12);
            assertEquals(single, first.totalEpsilon(), 1e-12);
            assertEquals(single, third.roundEpsilon(), 1e-12);
            assertEquals(100 - expected, third.remainingEpsilon(), 1e-12);
            assertEquals(new PrivacySpend("eeg", 1, 1, 2, single, expected, DELTA, 100), third);
        }
        assertEquals(3, dataLines().size());
    }

    @Test
    void aReleaseOverTheBudgetIsRefusedAndNothingIsWritten() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, TIGHT)) {
            PrivacySpend spent = ledger.charge("mri", 1, 1, 2);
            byte[] before = Files.readAllBytes(ledger.file());
            Set<Path> filesBefore = files();

            PrivacyBudgetExceededException refused = assertThrows(PrivacyBudgetExceededException.class,
                    () -> ledger.charge("mri", 2, 1, 2));
            String message = refused.getMessage();
            for (String part : List.of("site 'site-a'", "federation 'mri'", "round 2 (attempt 1)", "ε = 3.0000",
                    String.format(Locale.ROOT, "%.4f is spent", spent.totalEpsilon()))) {
                assertTrue(message.contains(part), message + " lacks " + part);
            }
            assertEquals(3, refused.epsilonBudget());
            assertEquals(spent.totalEpsilon(), refused.epsilonSpent(), 1e-12);
            assertTrue(refused.epsilonIfCharged() > 3);
            assertTrue(message.contains(String.format(Locale.ROOT, "bring it to %.4f",
                    refused.epsilonIfCharged())), message);

            assertArrayEquals(before, Files.readAllBytes(ledger.file()));
            assertEquals(filesBefore, files());
            assertEquals(spent.totalEpsilon(), ledger.spent().epsilon(), 1e-12);
            // The refusal did not take the key: with more noise the same attempt still fits.
            ledger.charge("mri", 2, 1, 20);
        }
    }

    @Test
    void aFirstReleaseOverTheBudgetCreatesNoLedgerFile() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, new PrivacySettings(1, 0.5, 1, DELTA))) {
            assertThrows(PrivacyBudgetExceededException.class, () -> ledger.charge("mri", 1, 1, 0.5));
            assertFalse(Files.exists(ledger.file()));
        }
    }

    @Test
    void spendSurvivesAReopenAndKeysStayTaken() throws Exception {
        double spent;
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, ROOMY)) {
            ledger.charge("mri", 1, 1, 1.5);
            ledger.charge("mri", 1, 2, 1.5);
            spent = ledger.charge("omics", 4, 1, 2.25).totalEpsilon();
        }
        try (PrivacyLedger reopened = PrivacyLedger.open(directory, SITE, ROOMY)) {
            assertEquals(spent, reopened.spent().epsilon());
            assertThrows(IllegalStateException.class, () -> reopened.charge("omics", 4, 1, 2.25));
            double next = reopened.charge("omics", 5, 1, 2.25).totalEpsilon();
            assertEquals(RdpAccountant.empty().plusGaussian(1.5, 2).plusGaussian(2.25, 2).epsilon(DELTA).epsilon(),
                    next, 1e-12);
        }
        // A tighter budget on restart refuses further releases but keeps what was spent.
        try (PrivacyLedger tighter = PrivacyLedger.open(directory, SITE, new PrivacySettings(1, 2, 1, DELTA))) {
            assertThrows(PrivacyBudgetExceededException.class, () -> tighter.charge("mri", 9, 1, 50));
            assertEquals(4, dataLines().size());
        }
    }

    @Test
    void everyAttemptOfARoundIsChargedAndARepeatedKeyIsRefused() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, ROOMY)) {
            assertEquals(1, ledger.charge("mri", 3, 2).attempt());
            PrivacySpend retry = ledger.charge("mri", 3, 2);
            assertEquals(2, retry.attempt());
            assertEquals(RdpAccountant.empty().plusGaussian(2, 2).epsilon(DELTA).epsilon(), retry.totalEpsilon(),
                    1e-12);
            assertEquals(1, ledger.charge("mri", 4, 2).attempt());

            double before = ledger.spent().epsilon();
            String message = assertThrows(IllegalStateException.class, () -> ledger.charge("mri", 3, 2, 2))
                    .getMessage();
            assertTrue(message.contains("already charged"), message);
            assertEquals(before, ledger.spent().epsilon());
            assertEquals(3, dataLines().size());
        }
    }

    @Test
    void badNamesAndNoiselessReleasesAreRefusedUnrecorded() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, ROOMY)) {
            for (String name : new String[] {"", " ", "a\tb", "a\nb", "#comment"}) {
                String message = assertThrows(IllegalArgumentException.class, () -> ledger.charge(name, 1, 1, 2))
                        .getMessage();
                assertTrue(message.contains("federation name"), message);
            }
            assertThrows(IllegalArgumentException.class, () -> ledger.charge("mri", -1, 1, 2));
            String message = assertThrows(IllegalArgumentException.class, () -> ledger.charge("mri", 1, 1, 0))
                    .getMessage();
            assertTrue(message.contains("unbounded ε"), message);
            assertFalse(Files.exists(ledger.file()));
        }
        assertThrows(IllegalArgumentException.class, () -> PrivacyLedger.open(directory, "bad\tsite", ROOMY));
    }

    @Test
    void corruptLedgersFailNamingFileAndLineAndAreLeftAsTheyAre() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, ROOMY)) {
            ledger.charge("mri", 1, 1, 2);
            ledger.charge("mri", 2, 1, 2);
            ledger.charge("mri", 3, 1, 2);
        }
        Path file = directory.resolve(PrivacyLedger.FILE_NAME);
        String valid = Files.readString(file);
        // Lines: 1 header, 2 column names, 3-5 the releases.
        assertCorrupt(file, valid, text -> "", "line 1", "empty");
        assertCorrupt(file, valid, text -> text.replace("# callosum privacy ledger v1", "# ledger"), "line 1",
                "header");
        assertCorrupt(file, valid, text -> replaceLine(text, 4, "mri\t2\t1\ttwo\t3.2\t1.0E-5"), "line 4",
                "z_eff must be a number, found 'two'");
        assertCorrupt(file, valid, text -> replaceLine(text, 5, "mri\t3\t1\t2.0"), "line 5",
                "expected 6 tab-separated fields");
        assertCorrupt(file, valid, text -> replaceLine(text, 3, "mri\t-1\t1\t2.0\t2.2\t1.0E-5"), "line 3",
                "round must be an integer >= 0");
        assertCorrupt(file, valid, text -> replaceLine(text, 3, "mri\t1\t1\t-2.0\t2.2\t1.0E-5"), "line 3",
                "z_eff must be positive");
        assertCorrupt(file, valid, text -> replaceLine(text, 4, lineOf(text, 3)), "line 4", "already on line 3");
        assertCorrupt(file, valid, text -> removeLine(text, 4), "line 4", "lines are missing or were edited");
        assertCorrupt(file, valid, text -> text + "\n", "line 6", "expected 6 tab-separated fields");

        Files.write(file, new byte[] {'#', ' ', (byte) 0xc3, (byte) 0x28});
        String message = assertThrows(CorruptLedgerException.class, () -> PrivacyLedger.open(directory, SITE, ROOMY))
                .getMessage();
        assertTrue(message.contains(file.toString()) && message.contains("not UTF-8"), message);

        // Each failure released the lock: the restored file opens with its spend intact.
        Files.writeString(file, valid);
        try (PrivacyLedger restored = PrivacyLedger.open(directory, SITE, ROOMY)) {
            assertEquals(RdpAccountant.empty().plusGaussian(2, 3).epsilon(DELTA).epsilon(),
                    restored.spent().epsilon(), 1e-12);
        }
    }

    @Test
    void aLedgerIsOpenedByOneWriterAndOneSiteOnly() throws Exception {
        try (PrivacyLedger ledger = PrivacyLedger.open(directory, SITE, ROOMY)) {
            ledger.charge("mri", 1, 1, 2);
            String message = assertThrows(IllegalStateException.class,
                    () -> PrivacyLedger.open(directory, SITE, ROOMY)).getMessage();
            assertTrue(message.contains("open elsewhere"), message);
        }
        String message = assertThrows(IllegalArgumentException.class,
                () -> PrivacyLedger.open(directory, "site-b", ROOMY)).getMessage();
        assertTrue(message.contains("belongs to site 'site-a'"), message);
        PrivacyLedger closed = PrivacyLedger.open(directory, SITE, ROOMY);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.charge("mri", 2, 1, 2));
    }

    private void assertCorrupt(Path file, String valid, UnaryOperator<String> damage, String line, String problem)
            throws IOException {
        String damaged = damage.apply(valid);
        Files.writeString(file, damaged);
        String message = assertThrows(CorruptLedgerException.class, () -> PrivacyLedger.open(directory, SITE, ROOMY))
                .getMessage();
        assertTrue(message.contains(file.toString()) && message.contains(line + ":") && message.contains(problem),
                message);
        assertEquals(damaged, Files.readString(file), "a corrupt ledger is never rewritten");
    }

    private static String replaceLine(String text, int line, String replacement) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        lines.set(line - 1, replacement);
        return String.join("\n", lines) + "\n";
    }

    private static String removeLine(String text, int line) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        lines.remove(line - 1);
        return String.join("\n", lines) + "\n";
    }

    private static String lineOf(String text, int line) {
        return text.lines().toList().get(line - 1);
    }

    private List<String> dataLines() throws IOException {
        return Files.readAllLines(directory.resolve(PrivacyLedger.FILE_NAME), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.startsWith("#")).toList();
    }

    private Set<Path> files() throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.map(Path::getFileName).collect(Collectors.toSet());
        }
    }
}
