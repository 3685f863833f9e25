package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;
import io.gradtune.worker.protocol.ProtocolCodec;
import io.gradtune.worker.protocol.TrialSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data the driver read and split reaches a trial through {@link SharedData} (the broadcast's value) and
 * {@link DataLoader#provide}: once per JVM, and the trial then sees exactly the arrays an executor would have built
 * from the file itself.
 */
class SharedDataTest {

    static final Path DIGITS = Path.of("..", "data", "digits.csv").toAbsolutePath().normalize();

    static DataSpec plain(long seed) {
        return new DataSpec(DIGITS.toString(), "csv", "label", null, 0.6, 0.2, "standard", seed);
    }

    @Test
    void providedSharedDataGivesTheSamePreparedArraysAsReadingTheFile() throws Exception {
        DataSpec file = plain(3);
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(file);
        String digest = SharedData.digest(DataLoader.read(DIGITS, "csv", "label"), null);
        DataSpec driverRead = file.withFingerprint(digest);
        SharedData shared = roundTrip(SharedData.of(digest, parts));

        AtomicInteger fetched = new AtomicInteger();
        DataLoader.provide(driverRead, () -> {
            fetched.incrementAndGet();
            return shared;
        });
        DataLoader.provide(driverRead, () -> {
            fetched.incrementAndGet();
            return shared;
        });
        assertEquals(1, fetched.get(), "the broadcast value is taken once per JVM and spec");

        for (String scaling : List.of("standard", "minmax", "none")) {
            PreparedData fromFile = DataLoader.prepared(file, scaling);
            PreparedData fromDriver = DataLoader.prepared(driverRead, scaling);
            assertArrayEquals(fromFile.trainX().data().asFloat(), fromDriver.trainX().data().asFloat(), scaling);
            assertArrayEquals(fromFile.valX().data().asFloat(), fromDriver.valX().data().asFloat(), scaling);
            assertArrayEquals(fromFile.trainLabels(), fromDriver.trainLabels());
            assertArrayEquals(fromFile.valLabels(), fromDriver.valLabels());
            assertEquals(fromFile.numClasses(), fromDriver.numClasses());
        }
        assertSame(DataLoader.prepared(driverRead, null), DataLoader.prepared(driverRead, "standard"),
                "trials of one study share one copy");
    }

    @Test
    void theBroadcastFormHoldsOnlyTheTrainAndValidationRows() throws Exception {
        StratifiedSplit.Parts parts = DataLoader.readAndSplit(plain(0));
        SharedData shared = SharedData.of("abc", parts);
        StratifiedSplit.Parts back = roundTrip(shared).parts();
        assertArrayEquals(parts.train().features(), back.train().features());
        assertArrayEquals(parts.validation().labels(), back.validation().labels());
        assertEquals(parts.train().featureNames(), back.train().featureNames());
        assertEquals(0, back.test().rows());
        assertEquals(4L * (parts.train().features().length + parts.validation().features().length
                + parts.train().rows() + parts.validation().rows()), shared.payloadBytes());
    }

    @Test
    void aDriverReadSpecIsNeverReadFromItsPathOnAnExecutor() {
        DataSpec notProvided = new DataSpec("hdfs://nn/data/x.parquet", "parquet", "label", null, 0.6, 0.2,
                "standard", 0, null, null, "0123");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataLoader.prepared(notProvided, null));
        assertTrue(e.getMessage().contains("hdfs://nn/data/x.parquet") && e.getMessage().contains("broadcast"),
                e.getMessage());
    }

    @Test
    void sharedDataOfAnotherDigestIsRefused() throws Exception {
        DataSpec spec = plain(5).withFingerprint("aaaa");
        SharedData other = SharedData.of("bbbb", DataLoader.readAndSplit(plain(5)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataLoader.provide(spec, () -> other));
        assertTrue(e.getMessage().contains("bbbb") && e.getMessage().contains("aaaa"), e.getMessage());
    }

    @Test
    void theDigestFollowsTheRowsNotWhereTheyCameFrom() {
        Table digits = DataLoader.read(DIGITS, "csv", "label");
        String d = SharedData.digest(digits, null);
        assertTrue(d.matches("[0-9a-f]{64}"), d);
        assertEquals(d, SharedData.digest(digits.select(java.util.stream.IntStream.range(0, digits.rows()).toArray()), null));
        assertNotEquals(d, SharedData.digest(digits.select(new int[]{0, 1, 2}), null));
        assertNotEquals(d, SharedData.digest(digits, digits.select(new int[]{0})), "a validation table counts");
    }

    @Test
    void dataSpecCarriesSourceTableColumnsAndDigestThroughTheProtocol() {
        DataSpec data = new DataSpec(null, null, "y", null, 0.7, 0.1, "minmax", 9, "db.digits",
                List.of("a", "b"), "ff00");
        TrialSpec spec = TrialSpec.of("s", "run-1", "t0001", Map.of("layers", 1), 2, 1, data, "k:9092", "m");
        TrialSpec back = ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(spec)).value();
        assertEquals(spec, back);
        assertEquals("table db.digits", back.data().location());
        assertEquals(plain(0), ProtocolCodec.decodeTrialSpec(ProtocolCodec.encode(
                TrialSpec.of("s", "run-1", "t", Map.of(), 1, 1, plain(0), "k", "m"))).value().data(), "older fields only");
        assertTrue(plain(0).readsLocalFiles());
        assertTrue(!data.readsLocalFiles());
        assertTrue(!new DataSpec("file:///x.csv", "csv", "label", null, 0.6, 0.2, "none", 0).readsLocalFiles());
        assertTrue(!new DataSpec("/x.parquet", "parquet", "label", null, 0.6, 0.2, "none", 0).readsLocalFiles());
    }

    @Test
    void csvFeatureColumnsSelectAndOrderTheFeatures() throws IOException {
        Table all = DataLoader.read(DIGITS, "csv", "label");
        Table two = DataLoader.read(DIGITS, "csv", "label", List.of("pixel_3_4", "pixel_0_2"));
        assertEquals(List.of("pixel_3_4", "pixel_0_2"), two.featureNames());
        assertArrayEquals(all.labels(), two.labels());
        int a = all.featureNames().indexOf("pixel_3_4");
        int b = all.featureNames().indexOf("pixel_0_2");
        for (int r = 0; r < all.rows(); r++) {
            assertEquals(all.features()[r * all.columns() + a], two.features()[r * 2]);
            assertEquals(all.features()[r * all.columns() + b], two.features()[r * 2 + 1]);
        }
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DataLoader.read(DIGITS, "csv", "label", List.of("pixel_0_2", "nope")));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("data.feature_columns"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
