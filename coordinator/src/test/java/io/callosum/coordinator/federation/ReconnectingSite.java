package io.callosum.coordinator.federation;

import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * A site agent that keeps coming back: whenever its stream ends without the server's ReconnectIns (the
 * coordinator died, or is not up yet) it joins again with the same {@link ScriptedSite}, as the real site
 * agent does. It stops once the server ends its run with ReconnectIns, or when closed.
 */
final class ReconnectingSite implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconnectingSite.class);
    private static final long RETRY_MILLIS = 300;
    private static final long STREAM_MINUTES = 5;

    private final ScriptedSite site;
    private final String name;
    private final int port;
    private final Thread loop;
    private volatile boolean released;

    ReconnectingSite(ScriptedSite site, int port, String name) {
        this.site = site;
        this.name = name;
        this.port = port;
        this.loop = new Thread(this::rejoinUntilReleased, "site-" + name);
        loop.setDaemon(true);
        loop.start();
    }

    private void rejoinUntilReleased() {
        while (true) {
            ScriptedParticipant stream = new ScriptedParticipant(port, site);
            try {
                if (stream.awaitEnding(TimeUnit.MINUTES.toSeconds(STREAM_MINUTES)).reconnect()) {
                    released = true;
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // A stream the coordinator broke ends normally; this is the site's own failure, or silence.
                LOG.warnf(e, "site %s: stream failed; joining again", name);
            } finally {
                closeQuietly(stream);
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether the coordinator ended this site's run with ReconnectIns, waiting up to the timeout for it. */
    boolean awaitReleased(long seconds) throws InterruptedException {
        loop.join(TimeUnit.SECONDS.toMillis(seconds));
        return released;
    }

    private static void closeQuietly(ScriptedParticipant stream) {
        try {
            stream.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        loop.interrupt();
        loop.join(TimeUnit.SECONDS.toMillis(10));
        site.close();
    }
}
