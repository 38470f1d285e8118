package io.callosum.protocol.privacy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site's record of every noisy release it made, and the gate that refuses a release its privacy budget cannot
 * pay for.
 *
 * <p>The unit charged is one release: one noisy masked input sent for one attempt of one round, keyed by
 * (federation, round, attempt). A retried attempt of a round trains and noises afresh, and the coordinator may
 * unmask the sums of both attempts, so each attempt is charged in full. Charging a key twice is refused, not
 * ignored: a second charge means a second noisy vector is about to leave under a key already paid for, and letting
 * it through free would under-count. (Re-sending the very same bytes is no new release and needs no charge.) A site
 * that does not know the coordinator's attempt number uses {@link #charge(String, int, double)}, which gives every
 * call a fresh attempt.
 *
 * <p>Charging happens before the masked input is sent and is durable when it returns, so a crash between the two
 * over-counts a release that never left, never the reverse. The file ({@value #FILE_NAME} in the given directory,
 * UTF-8, tab-separated: federation, round, attempt, z_eff, ε after, δ) is rewritten whole for every charge: written
 * to a temporary sibling, forced to disk, renamed over the ledger atomically, then the directory is forced. An
 * exclusive lock on a sibling lock file, held while the ledger is open, keeps a second process from overwriting
 * this one's spend.
 *
 * <p>On load every line is checked, and the ε recorded on each line must not exceed what the lines up to it add up
 * to (which catches deleted lines); anything unreadable fails with {@link CorruptLedgerException} naming the file and
 * line, never with an empty ledger. The budget is the site's total ε over every federation in the ledger, at the
 * current settings' δ.
 */
public final class PrivacyLedger implements AutoCloseable {
    public static final String FILE_NAME = "privacy-ledger.tsv";
    private static final String LOCK_NAME = "privacy-ledger.lock";
    private static final String HEADER_PREFIX = "# callosum privacy ledger v1 site=";
    private static final String COLUMNS = "# federation\tround\tattempt\tz_eff\tepsilon_after\tdelta";
    private static final int FIELDS = 6;
    /** Relative slack when re-deriving a recorded ε: the same doubles added in the same order, so only safety margin. */
    private static final double RECOMPUTE_TOLERANCE = 1e-9;

    private record Key(String federation, int round, int attempt) {
    }

    private record Entry(Key key, double noiseMultiplier, double epsilonAfter, double delta) {
        String line() {
            return key.federation() + '\t' + key.round() + '\t' + key.attempt() + '\t' + noiseMultiplier + '\t'
                    + epsilonAfter + '\t' + delta;
        }
    }

    private record Loaded(Map<Key, Entry> entries, RdpAccountant accountant) {
    }

    private final Path directory;
    private final Path file;
    private final String site;
    private final PrivacySettings settings;
    private final FileChannel lockChannel;
    private final Map<Key, Entry> entries;
    private RdpAccountant accountant;
    private boolean closed;

    private PrivacyLedger(Path directory, String site, PrivacySettings settings, FileChannel lockChannel,
                          Map<Key, Entry> entries, RdpAccountant accountant) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.site = site;
        this.settings = settings;
        this.lockChannel = lockChannel;
        this.entries = entries;
        this.accountant = accountant;
    }

    /**
     * Opens (or starts) the ledger of {@code site} in {@code directory}, holding its lock until {@link #close()}.
     *
     * @throws CorruptLedgerException the file exists but cannot be read as a ledger
     * @throws IllegalStateException  another process (or another ledger in this one) holds the directory's ledger
     */
    public static PrivacyLedger open(Path directory, String site, PrivacySettings settings) throws IOException {
        requireName(site, "site name");
        Path absolute = directory.toAbsolutePath();
        Files.createDirectories(absolute);
        FileChannel lockChannel = lock(absolute);
        try {
            Path file = absolute.resolve(FILE_NAME);
            Loaded loaded = Files.exists(file) ? read(file, site) : new Loaded(new LinkedHashMap<>(),
                    RdpAccountant.empty());
            return new PrivacyLedger(absolute, site, settings, lockChannel, loaded.entries(), loaded.accountant());
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** ε of everything charged so far, at the settings' δ. */
    public synchronized EpsilonDelta spent() {
        return accountant.epsilon(settings.delta());
    }

    /**
     * Charges a release with a fresh attempt number: one more than the highest charged for this round of this
     * federation, or 1 (the coordinator counts attempts from 1).
     */
    public synchronized PrivacySpend charge(String federation, int round, double noiseMultiplier)
            throws PrivacyBudgetExceededException, IOException {
        int attempt = entries.keySet().stream()
                .filter(key -> key.federation().equals(federation) && key.round() == round)
                .mapToInt(Key::attempt).max().orElse(0) + 1;
        return charge(federation, round, attempt, noiseMultiplier);
    }

    /**
     * Records one release with effective noise multiplier {@code z_eff} (from
     * {@link PrivacySettings#effectiveNoiseMultiplier}) and returns the spend after it, durably on disk.
     *
     * @throws PrivacyBudgetExceededException the release would take total ε over the budget; nothing is recorded
     * @throws IllegalStateException          this key was already charged, or the ledger is closed
     * @throws IllegalArgumentException       a bad name, a negative round or attempt, or {@code z_eff <= 0}
     */
    public synchronized PrivacySpend charge(String federation, int round, int attempt, double noiseMultiplier)
            throws PrivacyBudgetExceededException, IOException {
        if (closed) {
            throw new IllegalStateException("privacy ledger " + file + " is closed");
        }
        requireName(federation, "federation name");
        if (round < 0 || attempt < 0) {
            throw new IllegalArgumentException("round and attempt must be >= 0, got round " + round + ", attempt "
                    + attempt);
        }
        Key key = new Key(federation, round, attempt);
        Entry charged = entries.get(key);
        if (charged != null) {
            throw new IllegalStateException("round " + round + " (attempt " + attempt + ") of federation '"
                    + federation + "' is already charged (ε after it: " + charged.epsilonAfter() + "); a new noisy"
                    + " release needs a new attempt number");
        }
        double delta = settings.delta();
        RdpAccountant after = accountant.plusGaussian(noiseMultiplier);
        double totalEpsilon = after.epsilon(delta).epsilon();
        if (totalEpsilon > settings.epsilonBudget()) {
            throw new PrivacyBudgetExceededException(site, federation, round, attempt, delta,
                    settings.epsilonBudget(), accountant.epsilon(delta).epsilon(), totalEpsilon);
        }
        Entry entry = new Entry(key, noiseMultiplier, totalEpsilon, delta);
        List<Entry> all = new ArrayList<>(entries.values());
        all.add(entry);
        replaceFile(all);
        entries.put(key, entry);
        accountant = after;
        forceDirectory();
        double roundEpsilon = RdpAccountant.empty().plusGaussian(noiseMultiplier).epsilon(delta).epsilon();
        return new PrivacySpend(federation, round, attempt, noiseMultiplier, roundEpsilon, totalEpsilon, delta,
                settings.epsilonBudget());
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            lockChannel.close();
        }
    }

    private static FileChannel lock(Path directory) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(LOCK_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("privacy ledger " + directory.resolve(FILE_NAME) + " is open elsewhere"
                    + " (its lock " + LOCK_NAME + " is held); two writers would overwrite each other's spend");
        }
        return channel;
    }

    private static Loaded read(Path file, String site) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new CorruptLedgerException(file, "not UTF-8 text", e);
        }
        if (lines.isEmpty()) {
            throw new CorruptLedgerException(file, 1, "the file is empty, not even the header is left");
        }
        String header = lines.get(0);
        if (!header.startsWith(HEADER_PREFIX)) {
            throw new CorruptLedgerException(file, 1, "expected the header '" + HEADER_PREFIX + "<site>', found '"
                    + header + "'");
        }
        String owner = header.substring(HEADER_PREFIX.length());
        if (!owner.equals(site)) {
            throw new IllegalArgumentException("privacy ledger " + file + " belongs to site '" + owner + "', not '"
                    + site + "'");
        }
        Map<Key, Entry> entries = new LinkedHashMap<>();
        Map<Key, Integer> lineOf = new HashMap<>();
        RdpAccountant accountant = RdpAccountant.empty();
        for (int index = 1; index < lines.size(); index++) {
            String text = lines.get(index);
            int line = index + 1;
            if (text.startsWith("#")) {
                continue;
            }
            Entry entry = parse(file, line, text);
            Integer earlier = lineOf.putIfAbsent(entry.key(), line);
            if (earlier != null) {
                throw new CorruptLedgerException(file, line, "round " + entry.key().round() + " (attempt "
                        + entry.key().attempt() + ") of federation '" + entry.key().federation()
                        + "' is already on line " + earlier);
            }
            accountant = accountant.plusGaussian(entry.noiseMultiplier());
            double recomputed = accountant.epsilon(entry.delta()).epsilon();
            if (recomputed < entry.epsilonAfter() * (1 - RECOMPUTE_TOLERANCE) - RECOMPUTE_TOLERANCE) {
                throw new CorruptLedgerException(file, line, "records ε = " + entry.epsilonAfter() + " after this"
                        + " release, but the releases listed up to it add up to only " + recomputed
                        + ": lines are missing or were edited");
            }
            entries.put(entry.key(), entry);
        }
        return new Loaded(entries, accountant);
    }

    private static Entry parse(Path file, int line, String text) throws CorruptLedgerException {
        String[] fields = text.split("\t", -1);
        if (fields.length != FIELDS) {
            throw new CorruptLedgerException(file, line, "expected " + FIELDS + " tab-separated fields (federation,"
                    + " round, attempt, z_eff, epsilon_after, delta), found " + fields.length + " in '" + text + "'");
        }
        String federation = fields[0];
        try {
            requireName(federation, "federation name");
        } catch (IllegalArgumentException e) {
            throw new CorruptLedgerException(file, line, e.getMessage());
        }
        int round = parseCount(file, line, "round", fields[1]);
        int attempt = parseCount(file, line, "attempt", fields[2]);
        double noiseMultiplier = parseNumber(file, line, "z_eff", fields[3]);
        double epsilonAfter = parseNumber(file, line, "epsilon_after", fields[4]);
        double delta = parseNumber(file, line, "delta", fields[5]);
        if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
            throw new CorruptLedgerException(file, line, "z_eff must be positive and finite, found " + fields[3]);
        }
        if (!(epsilonAfter >= 0) || Double.isInfinite(epsilonAfter)) {
            throw new CorruptLedgerException(file, line, "epsilon_after must be finite and >= 0, found " + fields[4]);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new CorruptLedgerException(file, line, "delta must lie strictly between 0 and 1, found "
                    + fields[5]);
        }
        return new Entry(new Key(federation, round, attempt), noiseMultiplier, epsilonAfter, delta);
    }

    private static int parseCount(Path file, int line, String field, String text) throws CorruptLedgerException {
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the field's name
        }
        throw new CorruptLedgerException(file, line, field + " must be an integer >= 0, found '" + text + "'");
    }

    private static double parseNumber(Path file, int line, String field, String text) throws CorruptLedgerException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new CorruptLedgerException(file, line, field + " must be a number, found '" + text + "'");
        }
    }

    private void replaceFile(List<Entry> all) throws IOException {
        StringBuilder text = new StringBuilder(HEADER_PREFIX).append(site).append('\n').append(COLUMNS).append('\n');
        all.forEach(entry -> text.append(entry.line()).append('\n'));
        // A fixed name is safe: the lock makes this the only writer.
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes the rename itself durable: without it a power cut can bring back the previous file. */
    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got '" + name + "'");
        }
        if (name.startsWith("#") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " must not start with '#' or contain tabs, line breaks or other"
                    + " control characters, got '" + name + "'");
        }
    }
}
