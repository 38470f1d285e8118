package io.callosum.coordinator.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operators' API endpoint callable by people and by programs: from a console session whose user has at least
 * {@link #role()}, or with a bearer token holding {@link #scope()}. A request with an {@code Authorization} header
 * is judged by its token alone.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresRoleOrScope {
    Role role();

    Scope scope() default Scope.ADMIN;
}
