package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link DataFingerprint} against the standard SHA-256 test vectors (FIPS 180-2). */
class DataFingerprintTest {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    @TempDir
    Path dir;

    @Test
    void aCsvFileIsItsSha256sum() throws IOException {
        Path csv = write("iris.csv", "abc");
        DataFingerprint f = DataFingerprint.of(spec(csv, "csv", null));
        assertEquals(ABC, f.sha256());
        assertEquals(Map.of(csv.toString(), ABC), f.files());
        assertEquals(Map.of("sha256", ABC, "files", Map.of(csv.toString(), ABC)), f.toMap());
    }

    @Test
    void streamsFilesLargerThanItsBuffer() throws IOException {
        byte[] a = new byte[1_000_000];
        Arrays.fill(a, (byte) 'a');
        Path big = Files.write(dir.resolve("big.csv"), a);
        Path empty = write("empty.csv", "");
        DataFingerprint f = DataFingerprint.of(List.of(big, empty));
        assertEquals(MILLION_A, f.files().get(big.toString()));
        assertEquals(EMPTY, f.files().get(empty.toString()));
        assertEquals(MILLION_A, f.sha256(), "an empty file adds nothing to the concatenation");
    }

    @Test
    void idxImagesBringTheirLabelsFile() throws IOException {
        Path images = write("train-images-idx3-ubyte", "ab");
        Path labels = write("train-labels-idx1-ubyte", "c");
        DataSpec spec = spec(images, "idx", null);
        assertEquals(List.of(images, labels), DataFingerprint.files(spec));
        assertEquals(ABC, DataFingerprint.of(spec).sha256(), "images then labels");
    }

    @Test
    void theValidationFileComesAfterTheTrainingFile() throws IOException {
        Path train = write("train.csv", "a");
        Path val = write("val.csv", "bc");
        DataFingerprint f = DataFingerprint.of(spec(train, "csv", val));
        assertEquals(List.of(train.toString(), val.toString()), List.copyOf(f.files().keySet()));
        assertEquals(ABC, f.sha256());
    }

    @Test
    void theTestFileComesLast() throws IOException {
        Path train = write("train.csv", "a");
        Path val = write("val.csv", "b");
        Path test = write("test.csv", "c");
        DataFingerprint f = DataFingerprint.of(spec(train, "csv", val).withTestPath(test.toString()));
        assertEquals(List.of(train.toString(), val.toString(), test.toString()), List.copyOf(f.files().keySet()));
        assertEquals(ABC, f.sha256());
    }

    @Test
    void aDirectoryIsEveryFileUnderItSortedByRelativePath() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.createDirectory(data.resolve("sub"));
        Files.writeString(data.resolve("sub/c.csv"), "c");
        Files.writeString(data.resolve("b.csv"), "b");
        Files.writeString(data.resolve("a.csv"), "a");
        DataSpec spec = spec(data, "csv", null);
        assertEquals(List.of(data.resolve("a.csv"), data.resolve("b.csv"), data.resolve("sub/c.csv")),
                DataFingerprint.files(spec));
        assertEquals(ABC, DataFingerprint.of(spec).sha256());
    }

    @Test
    void aMissingFileIsAnError() throws IOException {
        assertThrows(DataFormatException.class, () -> DataFingerprint.of(spec(dir.resolve("nope.csv"), "csv", null)));
        Path images = write("t10k-images-idx3-ubyte", "x");
        assertThrows(DataFormatException.class, () -> DataFingerprint.files(spec(images, "idx", null)),
                "the labels file is missing");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    private static DataSpec spec(Path path, String format, Path val) {
        return new DataSpec(path.toString(), format, "label", val == null ? null : val.toString(), 0.7, 0.15,
                "standard", 1L);
    }
}
