package io.callosum.encoders.jepa;

/** Which tokens the encoder sees (context) and which the predictor must predict (targets); disjoint, sorted. */
public record TokenMask(long[] context, long[] targets) {
}
