package io.callosum.alignment.retrieval;

import io.callosum.alignment.space.SubjectEmbeddings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Cross-modal retrieval in the shared space: a query embedding of one modality ranks the subjects of a reference
 * bank of another modality by cosine similarity. Inputs are shared-space embeddings (see
 * {@code SharedSpace.project}); they are normalized here again, so any non-zero vectors will do.
 */
public final class CrossModalRetrieval {
    private CrossModalRetrieval() {
    }

    /** The {@code k} bank subjects most similar to {@code query}, most similar first. */
    public static List<Match> nearest(float[] query, SubjectEmbeddings bank, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        checkWidth(query.length, bank);
        double[] q = unit(query, "query");
        List<Match> matches = new ArrayList<>(bank.size());
        for (int i = 0; i < bank.size(); i++) {
            matches.add(new Match(bank.subjects().get(i), dot(q, unit(bank.vectors()[i], bank.subjects().get(i)))));
        }
        matches.sort(Comparator.comparingDouble(Match::cosine).reversed());
        return List.copyOf(matches.subList(0, Math.min(k, matches.size())));
    }

    /**
     * Ranks, for every query subject, its own record among all of the bank's; every query subject must be in the
     * bank. A bank subject as similar as the true one counts as ranked above it.
     */
    public static RetrievalReport evaluate(SubjectEmbeddings queries, SubjectEmbeddings bank) {
        checkWidth(queries.width(), bank);
        Map<String, Integer> bankRows = bank.rows();
        double[][] units = new double[bank.size()][];
        for (int i = 0; i < bank.size(); i++) {
            units[i] = unit(bank.vectors()[i], bank.subjects().get(i));
        }
        int[] ranks = new int[queries.size()];
        for (int q = 0; q < queries.size(); q++) {
            String subject = queries.subjects().get(q);
            Integer own = bankRows.get(subject);
            if (own == null) {
                throw new IllegalArgumentException("query subject '" + subject + "' (" + queries.modality()
                        + ") is not in the " + bank.modality() + " bank of " + bank.size() + " subjects");
            }
            double[] query = unit(queries.vectors()[q], subject);
            double target = dot(query, units[own]);
            int rank = 1;
            for (int i = 0; i < units.length; i++) {
                if (i != own && dot(query, units[i]) >= target) {
                    rank++;
                }
            }
            ranks[q] = rank;
        }
        return new RetrievalReport(queries.modality(), bank.modality(), queries.subjects(), ranks, bank.size());
    }

    private static void checkWidth(int width, SubjectEmbeddings bank) {
        if (width != bank.width()) {
            throw new IllegalArgumentException("query vectors have " + width + " values, the " + bank.modality()
                    + " bank's " + bank.width() + ": both must be in the same shared space");
        }
    }

    private static double[] unit(float[] vector, String subject) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("the vector of '" + subject + "' has norm " + Math.sqrt(norm)
                    + "; cosine similarity needs a finite non-zero vector");
        }
        double scale = 1 / Math.sqrt(norm);
        double[] unit = new double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
