package io.gradtune.worker.bench;

import io.gradtune.worker.data.DataLoader;
import io.gradtune.worker.data.Table;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TransferBenchmark}'s split of the target task and a tiny real run of its four arms. */
class TransferBenchmarkTest {

    private static final Path DIGITS = Path.of("..", "data", "digits.csv");

    @Test
    void theShotsAreDrawnPerClassAndTheRestIsDealtToValidationAndTestWithoutOverlap() {
        Table target = TransferBenchmark.relabel(DataLoader.read(DIGITS, "csv", "label"), 5);
        assertEquals(896, target.rows(), "digits 5-9");
        assertTrue(Arrays.stream(target.labels()).allMatch(l -> l >= 0 && l < 5));
        Table[] parts = TransferBenchmark.draw(target, 3, new Random(1));
        assertEquals(15, parts[0].rows());
        for (int c = 0; c < 5; c++) {
            int cls = c;
            assertEquals(3, Arrays.stream(parts[0].labels()).filter(l -> l == cls).count(), "3 shots of class " + c);
        }
        assertEquals(896 - 15, parts[1].rows() + parts[2].rows());
        assertTrue(Math.abs(parts[1].rows() - parts[2].rows()) <= 5, "halves: " + parts[1].rows() + ", " + parts[2].rows());
        Set<String> seen = new HashSet<>();
        for (Table t : parts) {
            int c = t.columns();
            for (int i = 0; i < t.rows(); i++) {
                float[] row = Arrays.copyOfRange(t.features(), i * c, (i + 1) * c);
                seen.add(Arrays.toString(row) + t.labels()[i]);
            }
        }
        assertTrue(seen.size() >= 896 - 5, "the three parts are disjoint (digits has a few duplicate images)");
        assertEquals(Arrays.toString(parts[0].labels()),
                Arrays.toString(TransferBenchmark.draw(target, 3, new Random(1))[0].labels()), "seeded");
        assertThrows(IllegalArgumentException.class, () -> TransferBenchmark.draw(target, 200, new Random(1)));
        Table[] capped = TransferBenchmark.draw(target, 3, new Random(1), 10);
        assertEquals(Arrays.toString(parts[0].labels()), Arrays.toString(capped[0].labels()), "same training rows");
        for (int c = 0; c < 5; c++) {
            int cls = c;
            assertEquals(10, Arrays.stream(capped[1].labels()).filter(l -> l == cls).count(), "10 validation rows");
            assertEquals(10, Arrays.stream(capped[2].labels()).filter(l -> l == cls).count(), "10 test rows");
        }
    }

    @Test
    void everyArmTrainsOnTheSameRowsAndChoosesItsRateFromTheGrid() {
        TransferBenchmark.Options o = new TransferBenchmark.Options(DIGITS, "mlp", Map.of("layers", 2, "units", 32),
                List.of(3), List.of(2), List.of(0.003, 0.01), 2, 1, 2, 16, 16);
        TransferBenchmark.Result result = TransferBenchmark.runAll(o, new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream()));
        List<TransferBenchmark.Cell> cells = result.chosen();
        assertEquals(TransferBenchmark.ARMS, cells.stream().map(TransferBenchmark.Cell::arm).toList());
        for (TransferBenchmark.Cell c : cells) {
            assertTrue(o.rates().contains(c.rate()), c.toString());
            assertEquals(2, c.test().length);
            assertTrue(Arrays.stream(c.test()).allMatch(a -> a >= 0 && a <= 1), Arrays.toString(c.test()));
        }
        assertTrue(IntStream.range(0, 2).allMatch(s -> cells.get(0).pairedToScratch()[s] == 0), "scratch minus itself");
        String table = TransferBenchmark.table(cells, 2);
        assertTrue(table.contains("| 3 | 2 | transfer-frozen |"), table);
        assertTrue(TransferBenchmark.toJson(o, cells).contains("\"benchmark\":\"transfer\""));
        List<TransferBenchmark.Cell> same = result.sameRate();
        assertEquals(2 * TransferBenchmark.ARMS.size(), same.size(), "every arm at each of the two rates");
        for (TransferBenchmark.Cell c : same) {
            TransferBenchmark.Cell scratch = same.stream().filter(x -> x.arm().equals("scratch")
                    && x.rate() == c.rate()).findFirst().orElseThrow();
            for (int s = 0; s < 2; s++) {
                assertEquals(c.test()[s] - scratch.test()[s], c.pairedToScratch()[s], 0.0, "paired at the same rate");
            }
        }
        for (TransferBenchmark.Cell c : cells) {
            TransferBenchmark.Cell atRate = same.stream().filter(x -> x.arm().equals(c.arm())
                    && x.rate() == c.rate()).findFirst().orElseThrow();
            assertArrayEquals(atRate.test(), c.test(), 0.0, "the chosen cell is the same networks at its rate");
        }
        String json = TransferBenchmark.toJson(o, cells, same);
        assertTrue(json.contains("\"same_rate_cells\":[") && !TransferBenchmark.toJson(o, cells)
                .contains("same_rate_cells"), json);
    }

    @Test
    void badOptionsNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TransferBenchmark.Options(
                DIGITS, "rnn", Map.of(), List.of(1), List.of(1), List.of(0.01), 3, 1, 1, 16, 16));
        assertTrue(e.getMessage().contains("--model rnn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransferBenchmark.Options(
                DIGITS, "mlp", Map.of(), List.of(0), List.of(1), List.of(0.01), 3, 1, 1, 16, 16));
        assertTrue(e.getMessage().contains("--shots [0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransferBenchmark.Options(
                Path.of("no-such.csv"), "mlp", Map.of(), List.of(1), List.of(1), List.of(0.01), 3, 1, 1, 16, 16));
        assertTrue(e.getMessage().contains("--data no-such.csv: file not found"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransferBenchmark.Options(
                DIGITS, "mlp", Map.of("layers", 2), List.of(1), List.of(1), List.of(0.01), 3, 3, 1, 16, 16));
        assertTrue(e.getMessage().contains("--freeze 3: the network has 2 hidden layers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransferBenchmark.Options(
                DIGITS, "mlp", Map.of(), List.of(1), List.of(1), List.of(0.01), 3, 1, 1, 16, 16, -1));
        assertTrue(e.getMessage().contains("--eval-per-class -1"), e.getMessage());
    }
}
