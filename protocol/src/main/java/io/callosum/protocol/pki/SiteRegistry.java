package io.callosum.protocol.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consortium's sites by name, as {@code sites.tsv}: the names the coordinator admits, with the serial and
 * fingerprint of each site's certificate so an operator can match a file to a row. A revoked row stays, marked, so
 * the history of a name is kept.
 */
public record SiteRegistry(Map<String, RegisteredSite> sites) {
    static final String HEADER = "site\tserial\tsha256\tnot_after\tstatus";

    public SiteRegistry {
        sites = Collections.unmodifiableMap(new LinkedHashMap<>(sites));
    }

    public static SiteRegistry of(List<RegisteredSite> rows) {
        Map<String, RegisteredSite> sites = new LinkedHashMap<>();
        rows.forEach(row -> sites.put(row.site(), row));
        return new SiteRegistry(sites);
    }

    public Optional<RegisteredSite> site(String name) {
        return Optional.ofNullable(sites.get(name));
    }

    public SiteRegistry withRevoked(String site) {
        RegisteredSite row = site(site).orElseThrow(() -> new IllegalArgumentException("site \"" + site
                + "\" is not registered"));
        Map<String, RegisteredSite> updated = new LinkedHashMap<>(sites);
        updated.put(site, row.asRevoked());
        return new SiteRegistry(updated);
    }

    public String toTsv() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (RegisteredSite row : sites.values()) {
            text.append(row.site()).append('\t').append(Fingerprints.serial(row.serial())).append('\t')
                    .append(row.fingerprint()).append('\t').append(row.notAfter()).append('\t')
                    .append(row.revoked() ? "revoked" : "active").append('\n');
        }
        return text.toString();
    }

    public static SiteRegistry read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": not a site registry (the first line must be \"" + HEADER.replace("\t", "\\t")
                    + "\")");
        }
        Map<String, RegisteredSite> sites = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            RegisteredSite row = parse(file, i + 1, lines.get(i));
            if (sites.put(row.site(), row) != null) {
                throw new IOException(file + ":" + (i + 1) + ": site \"" + row.site() + "\" is listed twice");
            }
        }
        return new SiteRegistry(sites);
    }

    private static RegisteredSite parse(Path file, int lineNumber, String line) throws IOException {
        String[] fields = line.split("\t", -1);
        String where = file + ":" + lineNumber + ": ";
        if (fields.length != 5) {
            throw new IOException(where + "expected 5 tab-separated fields, found " + fields.length);
        }
        if (!fields[4].equals("active") && !fields[4].equals("revoked")) {
            throw new IOException(where + "status must be active or revoked, not \"" + fields[4] + "\"");
        }
        try {
            return new RegisteredSite(fields[0], Fingerprints.parseSerial(fields[1]), fields[2], Instant.parse(fields[3]),
                    fields[4].equals("revoked"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException(where + e.getMessage(), e);
        }
    }
}
