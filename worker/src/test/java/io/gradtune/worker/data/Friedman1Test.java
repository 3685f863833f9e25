package io.gradtune.worker.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped regression example's data is exactly what its committed generator writes. */
class Friedman1Test {

    @Test
    void theShippedFileIsTheGeneratorsOutput() throws IOException {
        Path shipped = Path.of("../data/friedman1.csv");
        assertEquals(Friedman1.csv(), Files.readString(shipped), "regenerate: java -cp worker/target/test-classes "
                + "io.gradtune.worker.data.Friedman1 data/friedman1.csv");
        Table t = CsvTableReader.read(shipped, "y", null, true);
        assertEquals(Friedman1.ROWS, t.rows());
        assertEquals(Friedman1.FEATURES, t.columns());
    }
}
