package io.gradtune.worker.data;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The train and validation rows of a study as the driver read and split them, in the compact form it broadcasts to
 * executors: row-major {@code float} features and {@code int} labels per part (and a regression's {@code float}
 * targets), the feature names and class counts.
 * Scaling is not applied here: it is a tunable parameter, so each executor fits it on these training rows per scaling
 * value ({@link DataLoader#prepared}), exactly as it does for a file it reads itself. The test part stays on the driver.
 *
 * <p>A plain serializable class (no record, no collections): Java serialization writes the arrays in bulk, and Kryo,
 * if a study configures it, can set its fields.
 */
public final class SharedData implements Serializable {

    private static final long serialVersionUID = 2L;

    private final String fingerprint;
    private final String[] featureNames;
    private final float[] trainFeatures;
    private final int[] trainLabels;
    private final int trainClasses;
    private final float[] valFeatures;
    private final int[] valLabels;
    private final int valClasses;
    /** The parts' numeric targets (regression), or null. */
    private final float[] trainTargets;
    private final float[] valTargets;

    private SharedData(String fingerprint, String[] featureNames, float[] trainFeatures, int[] trainLabels,
                       int trainClasses, float[] valFeatures, int[] valLabels, int valClasses, float[] trainTargets,
                       float[] valTargets) {
        this.fingerprint = fingerprint;
        this.featureNames = featureNames;
        this.trainFeatures = trainFeatures;
        this.trainLabels = trainLabels;
        this.trainClasses = trainClasses;
        this.valFeatures = valFeatures;
        this.valLabels = valLabels;
        this.valClasses = valClasses;
        this.trainTargets = trainTargets;
        this.valTargets = valTargets;
    }

    /** The train and validation parts of {@code parts} (their arrays, not copies) under the data's digest. */
    public static SharedData of(String fingerprint, StratifiedSplit.Parts parts) {
        Table train = parts.train();
        Table val = parts.validation();
        return new SharedData(fingerprint, train.featureNames().toArray(new String[0]), train.features(),
                train.labels(), train.numClasses(), val.features(), val.labels(), val.numClasses(), train.targets(),
                val.targets());
    }

    /** The digest of the rows this data was split from ({@link #digest}). */
    public String fingerprint() {
        return fingerprint;
    }

    /** Tables over these arrays (no copy); the test part is empty. */
    public StratifiedSplit.Parts parts() {
        List<String> names = List.of(featureNames);
        Table train = new Table(names, trainFeatures, trainLabels, trainClasses, trainTargets);
        Table val = new Table(names, valFeatures, valLabels, valClasses, valTargets);
        return new StratifiedSplit.Parts(train, val, train.select(new int[0]));
    }

    /** Bytes of the feature and label arrays: what a broadcast moves, give or take serialization headers. */
    public long payloadBytes() {
        return 4L * (trainFeatures.length + valFeatures.length + trainLabels.length + valLabels.length
                + (trainTargets == null ? 0 : trainTargets.length + valTargets.length));
    }

    /**
     * SHA-256 over the rows as read, in order (feature names, class count, labels, features as IEEE bits), then the
     * same for the separate validation table when there is one. Equal digests mean the same rows in the same
     * order, wherever they were read from; it keys the executors' per-JVM copy and is the provenance of data that
     * is not a local file.
     */
    public static String digest(Table all, Table validation) {
        return validation == null ? digest(List.of(all)) : digest(List.of(all, validation));
    }

    /**
     * SHA-256 over the tables in order, each after the first preceded by a 1 byte: {@link #digest(Table, Table)} of
     * one or two tables, and of a data class's drained train, validation and test splits.
     */
    public static String digest(List<Table> tables) {
        MessageDigest sha = sha256();
        for (int i = 0; i < tables.size(); i++) {
            if (i > 0) {
                sha.update((byte) 1);
            }
            update(sha, tables.get(i));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, Table t) {
        for (String name : t.featureNames()) {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(t.numClasses()).putInt(t.rows()).putInt(t.columns());
        for (int label : t.labels()) {
            buf = drainIfFull(sha, buf);
            buf.putInt(label);
        }
        for (float f : t.features()) {
            buf = drainIfFull(sha, buf);
            buf.putInt(Float.floatToIntBits(f));
        }
        if (t.targets() != null) {   // a regression's targets; a classification's digest is as it always was
            for (float y : t.targets()) {
                buf = drainIfFull(sha, buf);
                buf.putInt(Float.floatToIntBits(y));
            }
        }
        buf.flip();
        sha.update(buf);
    }

    private static ByteBuffer drainIfFull(MessageDigest sha, ByteBuffer buf) {
        if (buf.remaining() < 4) {
            buf.flip();
            sha.update(buf);
            buf.clear();
        }
        return buf;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
