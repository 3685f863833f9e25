package io.gradtune.worker.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The csv reader reads a bad file to its end and reports every problem with its line, column and value. */
class CsvProblemsTest {

    @TempDir
    Path dir;

    private DataFormatException failure(String text) throws IOException {
        Path f = Files.writeString(dir.resolve("d.csv"), text);
        return assertThrows(DataFormatException.class, () -> CsvTableReader.read(f, "label"));
    }

    @Test
    void everyProblemIsReportedWithItsEditorLineColumnAndValue() throws IOException {
        DataFormatException e = failure("a,b,label\n1,2,0\n\nNaN,2,1\n3,,1\n4,5\n6,7,-2\n8,9,x\n");
        List<String> seen = e.problems().stream().map(p -> p.position() + "|" + p.column() + "|" + p.value()).toList();
        assertEquals(List.of("line 4|a|NaN", "line 5|b|", "line 6|null|null", "line 7|label|-2", "line 8|label|x"), seen,
                e.getMessage());
        assertEquals(5, e.problemCount());
        assertTrue(e.getMessage().startsWith("5 problems in the data:"), e.getMessage());
        assertTrue(e.getMessage().contains("d.csv, line 6: 2 fields, the header has 3"), e.getMessage());
        assertTrue(e.getMessage().contains("a negative class label"), e.getMessage());
    }

    @Test
    void theFirstTenAreShownAndTheRestCounted() throws IOException {
        StringBuilder csv = new StringBuilder("a,label\n");
        for (int i = 0; i < 25; i++) {
            csv.append("x,0\n");
        }
        DataFormatException e = failure(csv.toString());
        assertEquals(DataProblems.SHOWN, e.problems().size());
        assertEquals(25, e.problemCount());
        assertTrue(e.getMessage().endsWith("... and 15 more"), e.getMessage());
    }

    @Test
    void aGoodFileReadsAsBefore() throws IOException {
        Path f = Files.writeString(dir.resolve("ok.csv"), "a,label,b\n1.5,2,-3\n\n4,0,5e-1\n");
        Table t = CsvTableReader.read(f, "label");
        assertEquals(List.of("a", "b"), t.featureNames());
        assertArrayEquals(new float[] {1.5f, -3f, 4f, 0.5f}, t.features());
        assertArrayEquals(new int[] {2, 0}, t.labels());
        assertEquals(3, t.numClasses());
    }

    @Test
    void theSplitsArithmeticSaysHowManyRowsAClassNeeds() {
        assertEquals(3, StratifiedSplit.minRowsPerClass(0.6, 0.2));
        assertArrayEquals(new int[] {1, 0}, StratifiedSplit.partSizes(2, 0.6, 0.2));
        assertArrayEquals(new int[] {2, 1}, StratifiedSplit.partSizes(3, 0.6, 0.2));
        assertEquals(2, StratifiedSplit.minRowsPerClass(0.5, 0.5));
    }
}
