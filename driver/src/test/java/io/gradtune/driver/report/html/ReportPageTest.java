package io.gradtune.driver.report.html;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportPageTest {

    @Test
    void dataBlockCannotBeClosedByTheData(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("trials.csv"), "trial_id,state,objective,val_accuracy,val_loss,train_loss,"
                + "best_epoch,epochs,seconds,num_params,diagnosis,stop_reason,error,attempts,executor,host,lr\n"
                + "t0001,FAILED,,,,,0,0,1.0,0,,,\"boom </script><script>alert(1)</script>\",1,driver,h,0.1\n"
                + "t0002,COMPLETED,0.9,0.9,0.3,0.2,3,3,1.0,10,HEALTHY,,,1,driver,h,0.2\n");
        ObjectNode model = ReportModel.build(RunSnapshot.read(dir), null, false);
        String page = ReportPage.render(model);
        int start = page.indexOf("<script type=\"application/json\" id=\"gradtune-data\">");
        int end = page.indexOf("</script>", start);
        String block = page.substring(start, end);
        assertFalse(block.contains("<script>"), "the data block holds no markup");
        assertTrue(block.contains("\\u003c/script\\u003e"));
        ObjectNode back = (ObjectNode) RunSnapshot.JSON.readTree(block.substring(block.indexOf('>') + 1));
        assertEquals("boom </script><script>alert(1)</script>", back.path("trials").path(0).path("error").asText());
        assertEquals("t0002", back.path("study").path("best").path("trialId").asText());
        assertTrue(page.contains("echarts"), "the chart library is inlined");
        assertFalse(page.contains("src=\"http"), "nothing is fetched at view time");
    }

    @Test
    void compareNamesBestThenAndNowAndTheParametersThatMoved(@TempDir Path dir) throws Exception {
        String header = "trial_id,state,objective,val_accuracy,val_loss,train_loss,best_epoch,epochs,seconds,num_params,"
                + "diagnosis,stop_reason,error,attempts,executor,host,lr,activation\n";
        Path then = Files.createDirectories(dir.resolve("then"));
        Files.writeString(then.resolve("trials.csv"), header
                + "t0001,COMPLETED,0.80,0.80,0.5,0.4,3,3,1.0,10,HEALTHY,,,1,driver,h,0.1,relu\n"
                + "t0002,COMPLETED,0.70,0.70,0.6,0.5,3,3,1.0,10,HEALTHY,,,1,driver,h,0.2,tanh\n");
        Path now = Files.createDirectories(dir.resolve("now"));
        Files.writeString(now.resolve("trials.csv"), header
                + "t0001,COMPLETED,0.85,0.85,0.4,0.3,3,3,1.0,10,HEALTHY,,,1,driver,h,0.1,tanh\n"
                + "t0002,PRUNED,0.20,0.20,2.0,2.0,1,1,1.0,10,VANISHING_GRADIENT,plateau@1: x,,1,driver,h,0.3,relu\n");
        ObjectNode c = (ObjectNode) ReportModel.build(RunSnapshot.read(now), RunSnapshot.read(then), false).path("compare");
        assertEquals("t0001", c.path("bestThen").path("trialId").asText());
        assertEquals(0.80, c.path("bestThen").path("objective").asDouble(), 1e-12);
        assertEquals(0.85, c.path("bestNow").path("objective").asDouble(), 1e-12);
        assertEquals(0.05, c.path("delta").asDouble(), 1e-9);
        assertEquals(1, c.path("moved").size(), c.toString());
        assertEquals("activation", c.path("moved").path(0).path("param").asText());
        assertEquals("relu", c.path("moved").path(0).path("then").asText());
        assertEquals("tanh", c.path("moved").path(0).path("now").asText());
    }

    @Test
    void notARunDirectoryNamesIt(@TempDir Path dir) {
        RunSnapshot.NotARunDirectory e = assertThrows(RunSnapshot.NotARunDirectory.class, () -> RunSnapshot.read(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("holds no study"), e.getMessage());
    }

    @Test
    void importanceFindsTheParameterThatMatters() {
        SplittableRandom r = new SplittableRandom(3);
        List<Map<String, Object>> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double lr = r.nextDouble();
            double noise = r.nextDouble();
            String act = i % 2 == 0 ? "relu" : "tanh";
            xs.add(Map.of("lr", lr, "noise", noise, "activation", act));
            ys.add(3 * lr + 0.01 * noise);
        }
        Map<String, Double> imp = ParameterImportance.of(List.of("lr", "noise", "activation"), xs, ys, 0);
        assertTrue(imp.get("lr") > 0.8, imp.toString());
        assertEquals(imp, ParameterImportance.of(List.of("lr", "noise", "activation"), xs, ys, 0), "deterministic");
        assertTrue(ParameterImportance.of(List.of("lr"), xs.subList(0, 3), ys.subList(0, 3), 0).isEmpty());
    }
}
