package io.gradtune.driver.report;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.driver.study.TrialResult;
import io.gradtune.driver.study.TrialState;
import io.gradtune.worker.stopping.Decision;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exact bytes of {@code trials.csv}: header, number formats, quoting and the LF line separator. */
class TrialsCsvTest {

    static final SearchSpace SPACE = new SearchSpace(List.of(
            new FloatParameter("learning_rate", 1e-4, 1e-1, true, null),
            new IntParameter("units_2", 8, 64, false, null),
            new CategoricalParameter("activation", List.of("relu", "tanh"), null)));

    static TrialResult result(String id, Map<String, Object> params, TrialState state, double objective,
                              Decision stop, String error) {
        return result(id, params, state, objective, stop, error, new TrialResult.Placement(1, "driver", "127.0.0.1"));
    }

    static TrialResult result(String id, Map<String, Object> params, TrialState state, double objective,
                              Decision stop, String error, TrialResult.Placement placement) {
        return new TrialResult(id, 1, params, state, objective, objective, 0.25, 0.125, 3, 4, 1.23456, stop, error,
                1234, null, placement);
    }

    @Test
    void ordinaryRowsKeepTheirFormat() {
        Map<String, Object> p1 = new LinkedHashMap<>();
        p1.put("learning_rate", 0.001);
        p1.put("units_2", 32);
        p1.put("activation", "relu");
        Map<String, Object> p2 = new LinkedHashMap<>();
        p2.put("learning_rate", 0.05);
        p2.put("activation", "tanh"); // units_2 inactive: empty cell
        String csv = TrialsCsv.render(SPACE, List.of(
                result("t0001", p1, TrialState.COMPLETED, 0.9375, null, null),
                result("t0002", p2, TrialState.PRUNED, 0.5,
                        new Decision(Decision.Action.PRUNE, "asha", 2, "below the cutoff 0.7", Map.of()), null),
                result("t0003", p2, TrialState.FAILED, Double.NaN, null, "java.lang.OutOfMemoryError: heap",
                        new TrialResult.Placement(2, "4", "10.0.0.4")),
                result("t0004", p2, TrialState.FAILED, Double.NaN, null, "lost", TrialResult.Placement.NONE)));
        assertEquals("trial_id,state,objective,val_accuracy,val_loss,train_loss,best_epoch,epochs,seconds,num_params,"
                        + "diagnosis,stop_reason,error,attempts,executor,host,learning_rate,units_2,activation\n"
                        + "t0001,COMPLETED,0.9375,0.9375,0.25,0.125,3,4,1.235,1234,,,,1,driver,127.0.0.1,0.001,32,relu\n"
                        + "t0002,PRUNED,0.5,0.5,0.25,0.125,3,4,1.235,1234,,asha@2: below the cutoff 0.7,,1,driver,"
                        + "127.0.0.1,0.05,,tanh\n"
                        + "t0003,FAILED,,,0.25,0.125,3,4,1.235,1234,,,java.lang.OutOfMemoryError: heap,2,4,10.0.0.4,"
                        + "0.05,,tanh\n"
                        + "t0004,FAILED,,,0.25,0.125,3,4,1.235,1234,,,lost,,,,0.05,,tanh\n",
                csv);
    }

    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuotedAsRfc4180() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("learning_rate", 0.001);
        p.put("units_2", 32);
        p.put("activation", "relu");
        String csv = TrialsCsv.render(SPACE, List.of(result("t0001", p, TrialState.FAILED, Double.NaN,
                new Decision(Decision.Action.PRUNE, "divergence", 1, "loss NaN, \"diverged\"", Map.of()),
                "boom, \"bad\"\n\tat a.B(B.java:1)\r\n")));
        assertEquals("t0001,FAILED,,,0.25,0.125,3,4,1.235,1234,,\"divergence@1: loss NaN, \"\"diverged\"\"\","
                        + "\"boom, \"\"bad\"\"\n\tat a.B(B.java:1)\r\n\",1,driver,127.0.0.1,0.001,32,relu\n",
                csv.substring(csv.indexOf('\n') + 1));
    }
}
