package io.callosum.protocol.pki;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Site names become certificate subjects, registry keys and file names, so they are held to a character set that is
 * safe in all three.
 */
public final class SiteNames {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");

    private SiteNames() {
    }

    public static void check(String site) {
        if (site == null || site.isBlank()) {
            throw new IllegalArgumentException("empty site name");
        }
        if (!ALLOWED.matcher(site).matches() || site.equals(".") || site.equals("..")) {
            throw new IllegalArgumentException("bad site name \"" + site + "\": use only letters, digits, '.', '_' and '-'");
        }
    }

    public static List<String> checkAll(List<String> sites) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("no sites given");
        }
        Set<String> seen = new HashSet<>();
        for (String site : sites) {
            check(site);
            if (!seen.add(site)) {
                throw new IllegalArgumentException("site \"" + site + "\" is given twice");
            }
        }
        return List.copyOf(sites);
    }
}
