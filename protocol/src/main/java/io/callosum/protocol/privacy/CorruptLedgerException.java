package io.callosum.protocol.privacy;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The privacy ledger file cannot be read as written. Never answered by starting from an empty ledger: that would
 * silently forget what the site has already spent.
 */
public final class CorruptLedgerException extends IOException {

    CorruptLedgerException(Path file, int line, String problem) {
        super("privacy ledger " + file + ", line " + line + ": " + problem
                + "; the file must be repaired by hand or restored, it is not reset");
    }

    CorruptLedgerException(Path file, String problem, Throwable cause) {
        super("privacy ledger " + file + ": " + problem + "; the file must be repaired by hand or restored, it is not"
                + " reset", cause);
    }
}
