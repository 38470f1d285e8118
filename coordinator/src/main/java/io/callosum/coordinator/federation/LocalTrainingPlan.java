package io.callosum.coordinator.federation;

/** What every site does locally in a round of a JEPA federation. */
public record LocalTrainingPlan(int localSteps, double learningRate, int batchSize, String objective, double lambda) {
}
