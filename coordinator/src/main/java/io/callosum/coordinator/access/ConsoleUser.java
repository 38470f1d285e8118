package io.callosum.coordinator.access;

/** Who is logged in to the console, and as what. */
public record ConsoleUser(String name, Role role) {
}
