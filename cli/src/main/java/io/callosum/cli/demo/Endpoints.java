package io.callosum.cli.demo;

import java.nio.file.Path;

/** The banner an operator reads once the coordinator is up. */
final class Endpoints {
    private Endpoints() {
    }

    static String describe(DemoSettings settings, long pid, Path apiToken) {
        String http = settings.httpUrl();
        return String.format("""

                Callosum coordinator is ready (pid %d)
                  Flower gRPC   localhost:%d   (flwr.proto.FlowerService/Join over mTLS, for the consortium's sites)
                  Console       %s/console/   (the first admin's password is in the coordinator's log)
                  API docs      %s/q/swagger-ui
                  Audit log     %s/api/audit   (a console login, or a bearer token with scope admin)
                  API token     %s   (admin bearer token of this run, e.g. curl -H "Authorization: Bearer $(cat it)")
                  Health        %s/q/health
                  Metrics       %s/q/metrics
                  Database      embedded PostgreSQL, data in %s
                """, pid, settings.grpcPort(), http, http, http, apiToken, http, http,
                settings.databaseDir().map(Object::toString).orElse("~/.callosum/postgres"));
    }
}
