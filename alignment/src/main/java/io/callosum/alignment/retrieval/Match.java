package io.callosum.alignment.retrieval;

/** A subject of the reference bank and its cosine similarity to the query in the shared space. */
public record Match(String subject, double cosine) {
}
