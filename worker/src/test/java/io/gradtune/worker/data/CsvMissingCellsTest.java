package io.gradtune.worker.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Empty and NaN feature cells: kept as NaN when the study fills or drops them, else the first one's line and column. */
class CsvMissingCellsTest {

    @TempDir
    Path dir;

    @Test
    void keptMissingCellsAreNanAndOtherProblemsAreStillReported() throws IOException {
        Path f = Files.writeString(dir.resolve("m.csv"), "a,b,label\n1,2,0\nNaN,2,1\n3, ,1\nnan,,0\n");
        Table t = CsvTableReader.read(f, "label", null, false, true);
        assertEquals(4, t.rows());
        float[] x = t.features();
        assertTrue(Float.isNaN(x[2]) && Float.isNaN(x[5]) && Float.isNaN(x[6]) && Float.isNaN(x[7]));
        assertEquals(1f, x[0]);
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,x,0\n2,,\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvTableReader.read(bad, "label", null, false, true));
        List<String> seen = e.problems().stream().map(p -> p.position() + "|" + p.column()).toList();
        assertEquals(List.of("line 2|b", "line 3|label"), seen, "a non-number and a missing label stay errors");
        Table unlabelled = CsvTableReader.readUnlabelled(f, List.of("a", "b"), true);
        assertTrue(Float.isNaN(unlabelled.features()[2]));
    }

    @Test
    void withoutKeepingTheFirstMissingCellIsReportedWithItsLineAndColumnAndTheDataMissingRemedy() throws IOException {
        Path f = Files.writeString(dir.resolve("m.csv"), "a,b,label\n1,2,0\n3,,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvTableReader.read(f, "label"));
        DataProblem first = e.problems().get(0);
        assertEquals("line 3", first.position());
        assertEquals("b", first.column());
        assertTrue(e.getMessage().contains("data.missing"), e.getMessage());
    }
}
