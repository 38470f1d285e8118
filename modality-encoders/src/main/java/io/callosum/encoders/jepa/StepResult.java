package io.callosum.encoders.jepa;

/** One optimisation step: the loss minimised and its two parts. */
public record StepResult(int step, float loss, float prediction, float regularizer) {
}
