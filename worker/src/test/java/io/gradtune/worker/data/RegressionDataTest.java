package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A regression's data: a numeric target read, checked, split with the seed, broadcast and standardized. */
class RegressionDataTest {

    @TempDir
    Path dir;

    @Test
    void theTargetColumnIsReadAsANumber() throws IOException {
        Path f = Files.writeString(dir.resolve("r.csv"), "a,y,b\n1,2.5,3\n4,-1e2,6\n");
        Table t = CsvTableReader.read(f, "y", null, true);
        assertTrue(t.isRegression());
        assertEquals(List.of("a", "b"), t.featureNames());
        assertArrayEquals(new float[] {1, 3, 4, 6}, t.features());
        assertArrayEquals(new float[] {2.5f, -100f}, t.targets());
        assertArrayEquals(new int[] {0, 0}, t.labels());
        assertEquals(1, t.numClasses());
        assertNull(CsvTableReader.read(Files.writeString(dir.resolve("c.csv"), "a,y\n1,0\n2,1\n"), "y").targets());
    }

    @Test
    void everyBadTargetIsReportedWithLineColumnAndValue() throws IOException {
        Path f = Files.writeString(dir.resolve("bad.csv"), "a,y\n1,2\n2,abc\n3,\n4,NaN\n5,Infinity\n6,1e39\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvTableReader.read(f, "y", null, true));
        List<String> seen = e.problems().stream().map(p -> p.position() + "|" + p.column() + "|" + p.value()).toList();
        assertEquals(List.of("line 3|y|abc", "line 4|y|", "line 5|y|NaN", "line 6|y|Infinity", "line 7|y|1e39"), seen,
                e.getMessage());
        assertTrue(e.getMessage().contains("bad.csv, line 3, column 'y', value 'abc': target not a number"),
                e.getMessage());
        assertTrue(e.getMessage().contains("target empty cell"), e.getMessage());
    }

    @Test
    void onlyCsvHoldsATarget() throws IOException {
        Path f = Files.writeString(dir.resolve("x.idx"), "");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataLoader.read(f, "idx", "label", null, true));
        assertTrue(e.getMessage().contains("regression"), e.getMessage());
    }

    /** One "class": the stratified split is a seeded shuffle of all rows, cut at the fractions; targets follow rows. */
    @Test
    void theSplitIsASeededShuffleAndTheTargetsFollowTheirRows() {
        int n = 100;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 10 * i + 0.5f;
        }
        Table all = Table.regression(List.of("x"), x, y);
        StratifiedSplit.Parts p = StratifiedSplit.split(all, 0.6, 0.2, 3);
        assertEquals(60, p.train().rows());
        assertEquals(20, p.validation().rows());
        assertEquals(20, p.test().rows());
        for (Table part : List.of(p.train(), p.validation(), p.test())) {
            for (int r = 0; r < part.rows(); r++) {
                assertEquals(10 * part.features()[r] + 0.5f, part.targets()[r]);
            }
        }
        float[] seen = new float[n];
        int k = 0;
        for (Table part : List.of(p.train(), p.validation(), p.test())) {
            for (float v : part.features()) {
                seen[k++] = v;
            }
        }
        Arrays.sort(seen);
        assertArrayEquals(x, seen, "every row in exactly one part");
        assertArrayEquals(p.validation().features(), StratifiedSplit.split(all, 0.6, 0.2, 3).validation().features());
        assertNotEquals(Arrays.toString(p.validation().features()),
                Arrays.toString(StratifiedSplit.split(all, 0.6, 0.2, 4).validation().features()), "another seed");
        assertNotEquals(Arrays.toString(Arrays.copyOf(x, 20)), Arrays.toString(p.validation().features()),
                "shuffled, not cut in file order");
    }

    @Test
    void theBroadcastCarriesTheTargetsAndTheDigestCoversThem() {
        Table all = Table.regression(List.of("x"), new float[] {1, 2, 3, 4, 5}, new float[] {1, 2, 3, 4, 5});
        Table other = Table.regression(List.of("x"), new float[] {1, 2, 3, 4, 5}, new float[] {1, 2, 3, 4, 6});
        assertNotEquals(SharedData.digest(all, null), SharedData.digest(other, null));
        StratifiedSplit.Parts parts = StratifiedSplit.split(all, 0.6, 0.2, 0);
        StratifiedSplit.Parts back = SharedData.of("d", parts).parts();
        assertArrayEquals(parts.train().targets(), back.train().targets());
        assertArrayEquals(parts.validation().targets(), back.validation().targets());
    }

    /** The network fits the target standardized on the training rows; the validation targets stay as read. */
    @Test
    void preparedDataStandardizesTheTargetOnTheTrainingRows() throws IOException {
        Path f = Files.writeString(dir.resolve("p.csv"), "a,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        DataSpec spec = new DataSpec(f.toString(), "csv", "y", null, 0.6, 0.2, "none", 0, null, null, null,
                DataSpec.REGRESSION);
        PreparedData d = DataLoader.prepared(spec, "none");
        assertTrue(d.regression());
        assertEquals(1, d.numClasses());
        assertEquals(1, d.trainY().columns());
        float[] train = DataLoader.parts(spec).train().targets();
        double mean = 0;
        for (float v : train) {
            mean += v;
        }
        mean /= train.length;
        assertEquals(mean, d.target().mean(), 1e-9);
        float[] z = d.trainY().dup().data().asFloat();
        double sum = 0;
        double sq = 0;
        for (float v : z) {
            sum += v;
            sq += v * v;
        }
        assertEquals(0, sum / z.length, 1e-6);
        assertEquals(1, sq / z.length, 1e-5);
        assertArrayEquals(DataLoader.parts(spec).validation().targets(), d.target().valTargets());
    }
}
