package io.gradtune.worker.data;

import io.gradtune.worker.protocol.DataSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * SHA-256 digests of the files a {@link DataSpec} refers to, for provenance: the same digest means the same bytes
 * were trained on. Files are streamed, never loaded whole.
 *
 * <p>The files, in order: those of {@code path}, then those of {@code valPath} (when set), then {@code testPath}'s (when
 * set: the held-out rows the refit scores are part of what a result depends on). A file stands for itself,
 * except that an IDX images file brings its labels file right after it ({@link IdxTableReader#labelsFileFor}); a
 * directory stands for every regular file under it (recursively, hidden ones included), sorted by relative path.
 * Each file gets its own digest, and {@code sha256} is the digest of all of them concatenated in that order, so for
 * a single file it is that file's {@code sha256sum}, and in general {@code cat files... | sha256sum}.
 *
 * @param sha256 digest of the files' concatenated bytes, lower-case hex
 * @param files  each file's digest by path, in hashing order
 */
public record DataFingerprint(String sha256, Map<String, String> files) {

    private static final int BUFFER = 1 << 16;

    public DataFingerprint {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** Hashes the files of {@code spec}; a missing file is a {@link DataFormatException}. */
    public static DataFingerprint of(DataSpec spec) {
        return of(files(spec));
    }

    /** Hashes {@code files} in order. */
    public static DataFingerprint of(List<Path> files) {
        MessageDigest all = sha256Digest();
        Map<String, String> each = new LinkedHashMap<>();
        byte[] buffer = new byte[BUFFER];
        for (Path file : files) {
            MessageDigest one = sha256Digest();
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    one.update(buffer, 0, n);
                    all.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read data file to hash it: " + e.getMessage(), e);
            }
            each.put(file.toString(), HexFormat.of().formatHex(one.digest()));
        }
        return new DataFingerprint(HexFormat.of().formatHex(all.digest()), each);
    }

    /** The files of {@code spec} in hashing order (see the class comment). */
    public static List<Path> files(DataSpec spec) {
        Set<Path> out = new LinkedHashSet<>();
        addFiles(out, spec.path(), spec.format());
        if (spec.valPath() != null) {
            addFiles(out, spec.valPath(), spec.format());
        }
        if (spec.testPath() != null) {
            addFiles(out, spec.testPath(), spec.format());
        }
        return List.copyOf(out);
    }

    /** The JSON form: {@code sha256} and {@code files}. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sha256", sha256);
        out.put("files", files);
        return Collections.unmodifiableMap(out);
    }

    private static void addFiles(Set<Path> out, String location, String format) {
        if (location == null) {
            throw new DataFormatException("no data path");
        }
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            out.addAll(directory(path));
        } else if (Files.isRegularFile(path)) {
            out.add(path);
            if (format != null && "idx".equals(format.toLowerCase(Locale.ROOT))) {
                Path labels = IdxTableReader.labelsFileFor(path);
                if (!Files.isRegularFile(labels)) {
                    throw new DataFormatException(labels + ": IDX labels file not found");
                }
                out.add(labels);
            }
        } else {
            throw new DataFormatException(path + ": data file not found");
        }
    }

    private static List<Path> directory(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
            files.sort((a, b) -> relative(dir, a).compareTo(relative(dir, b)));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list data directory: " + e.getMessage(), e);
        }
    }

    /** The path of {@code file} under {@code dir} with {@code /} separators, so the order is the same everywhere. */
    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
