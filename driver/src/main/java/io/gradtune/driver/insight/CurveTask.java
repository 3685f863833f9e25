package io.gradtune.driver.insight;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.train.WorkerRuntime;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark task of one learning-curve fraction: a {@link CurveJob} as JSON in, a {@link FractionCurve} as JSON out.
 * The study's train and validation rows come from a broadcast; the task trains with as many native threads as it has
 * cores ({@code spark.task.cpus}) and stops between epochs when its job is cancelled.
 */
public final class CurveTask implements Function<String, String> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<SharedData> data;

    public CurveTask(Broadcast<SharedData> data) {
        this.data = data;
    }

    @Override
    public String call(String jobJson) throws JsonProcessingException {
        CurveJob job = LearningCurve.JSON.readValue(jobJson, CurveJob.class);
        TaskContext ctx = TaskContext.get();
        WorkerRuntime.ensureInitialized();
        if (ctx != null && ctx.cpus() > 0) {
            WorkerRuntime.useThreads(ctx.cpus());
        }
        StratifiedSplit.Parts parts = data.value().parts();
        FractionCurve curve = CurveTrainer.train(job, parts.train(), parts.validation(),
                () -> ctx != null && ctx.isInterrupted());
        return LearningCurve.JSON.writeValueAsString(curve);
    }
}
