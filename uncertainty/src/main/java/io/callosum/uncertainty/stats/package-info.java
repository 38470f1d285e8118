/**
 * Small numerical pieces shared by the uncertainty packages: input checks with messages that name what was
 * wrong, a numerically stable log-sum-exp and softmax, and equal-width bins over [0, 1].
 */
package io.callosum.uncertainty.stats;
