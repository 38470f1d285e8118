package io.callosum.coordinator.access;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who made the current request, as the {@link AccessFilter} established it: {@code token-<id>} for an API token,
 * {@value BootstrapToken#ACTOR} for the bootstrap token, the user name for a console session. Resources use it as
 * the audit log's actor.
 */
@RequestScoped
public class Caller {
    private String actor = "anonymous";
    private ConsoleUser consoleUser;

    public String actor() {
        return actor;
    }

    public ConsoleUser consoleUser() {
        if (consoleUser == null) {
            throw new IllegalStateException("this request has no console session");
        }
        return consoleUser;
    }

    void token(ApiToken token) {
        this.actor = "token-" + token.id();
    }

    void bootstrap() {
        this.actor = BootstrapToken.ACTOR;
    }

    void consoleUser(ConsoleUser user) {
        this.actor = user.name();
        this.consoleUser = user;
    }
}
