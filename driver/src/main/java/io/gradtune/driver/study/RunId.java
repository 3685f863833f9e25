package io.gradtune.driver.study;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The id of one run of a study (one {@code run} or {@code resume} process): the UTC start time, to the second, and
 * 128 random bits, e.g. {@code 20261129T084900Z-5f0c...}. Every trial spec and epoch record of the run carries it,
 * so two runs of a study with the same name on the same topics never take each other's records. It tells runs
 * apart; it is not a secret and proves nothing about who wrote a record (that is what Kafka ACLs are for).
 */
public final class RunId {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private RunId() {
    }

    /** A new run id: never the same twice (128 random bits), and sorted by start time when listed. */
    public static String generate() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(bits);
    }
}
