package io.gradtune.driver.exec;

import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;

/**
 * The function of a trial's one-task Spark job ({@code SparkContext.runJob}): the partition's one element, the trial
 * spec's JSON, handed to {@link TrainTrialFunction}, whose JSON outcome is the task's result.
 *
 * <p>Why not {@code JavaRDD.map(fn).collect()}: {@code map} wraps {@code fn} in a Scala lambda, and Spark's closure
 * cleaner then reads and parses the class file of that lambda's enclosing class with ASM on every job, i.e. for every
 * trial (a profile of {@code bench overhead} showed it as most of the submitting thread's CPU, and its JIT
 * compilations among the largest of the run). A named class is not a closure: the cleaner leaves it alone, and the
 * task runs exactly the same function on the same input.
 */
final class TrialJobFunction extends AbstractFunction2<TaskContext, Iterator<String>, String> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TrainTrialFunction trial;

    TrialJobFunction(TrainTrialFunction trial) {
        this.trial = trial;
    }

    @Override
    public String apply(TaskContext context, Iterator<String> specs) {
        String spec = specs.next();
        if (specs.hasNext()) {
            throw new IllegalStateException("a trial's partition holds one spec");
        }
        return trial.call(spec);
    }
}
