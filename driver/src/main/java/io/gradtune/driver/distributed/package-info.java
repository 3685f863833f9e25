/**
 * Data-parallel training of one network across Spark executors with dl4j-spark's parameter averaging
 * ({@link io.gradtune.driver.distributed.DataParallelTrainer}), and the per-layer statistics of the averaged
 * parameters after each epoch ({@link io.gradtune.driver.distributed.EpochStats}). A component for the refit and
 * for trials with {@code training.workers}; see docs/data-parallel.md.
 */
package io.gradtune.driver.distributed;
