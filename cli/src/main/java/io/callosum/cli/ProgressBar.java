package io.callosum.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar for long CLI work: redrawn in place, at most five times a second, with a rate and ETA. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw = Long.MIN_VALUE;

    public ProgressBar(PrintWriter out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** Redraws with {@code done} of the total finished and an optional status after the counts. */
    public void update(long done, String status) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        String eta = done == 0 || done >= total ? "" : String.format(Locale.ROOT, ", ETA %.0fs",
                seconds / done * (total - done));
        out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.1fs%s%s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, total, seconds, eta, status.isEmpty() ? "" : "  " + status);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    public void update(long done) {
        update(done, "");
    }
}
