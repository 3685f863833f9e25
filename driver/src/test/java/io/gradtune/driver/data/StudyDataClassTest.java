package io.gradtune.driver.data;

import io.gradtune.driver.cli.Gradtune;
import io.gradtune.driver.config.ConfigException;
import io.gradtune.driver.config.StudyConfig;
import io.gradtune.driver.config.StudyConfigLoader;
import io.gradtune.driver.report.Provenance;
import io.gradtune.driver.testing.Cli;
import io.gradtune.driver.testing.TestData;
import io.gradtune.worker.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data class's splits as the driver prepares them ({@link StudyData#readLocal}): drained once, taken as train,
 * validation and test, fingerprinted by the drained arrays; a bad class is a config error on {@code data.class}
 * (exit 2 from the command line, before anything starts).
 */
class StudyDataClassTest {

    @TempDir
    Path dir;

    private StudyConfig config(Class<?> data) {
        return StudyConfigLoader.load(dir.resolve("s.yaml"), """
                study: s
                data: {class: %s, seed: 2}
                search: {algorithm: random, max_trials: 1}
                space: {units: 4}
                training: {epochs: 1}
                """.formatted(data.getName()));
    }

    @Test
    void theSplitsAreTheClasssOwnAndTheFingerprintTheirDigest() {
        StudyData data = StudyData.readLocal(config(TestData.Blobs.class));
        assertEquals(240, data.shared().parts().train().rows());
        assertEquals(90, data.shared().parts().validation().rows());
        assertEquals(90, data.test().rows());
        assertEquals(4, data.numFeatures());
        assertEquals(3, data.numClasses());
        assertArrayEquals(new long[]{30, 30, 30}, data.validationClassCounts());
        assertEquals(SharedData.digest(List.of(data.shared().parts().train(), data.shared().parts().validation(),
                data.test())), data.spec().fingerprint());
        assertTrue(data.summary().contains("240 train / 90 validation / 90 test examples x 4 features, 3 classes"),
                data.summary());
        assertEquals(data.spec().fingerprint(), StudyData.readLocal(config(TestData.Blobs.class)).spec().fingerprint(),
                "deterministic");
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = (Map<String, Object>) Provenance.collect(config(TestData.Blobs.class)
                .withData(data.spec())).get("data");
        assertEquals(data.spec().fingerprint(), provenance.get("sha256"), provenance.toString());
    }

    @Test
    void aRegressionClassGivesTargetsAndNoTestPart() {
        StudyConfig c = StudyConfigLoader.load(dir.resolve("r.yaml"), """
                study: r
                data: {class: %s, task: regression}
                search: {algorithm: random, max_trials: 1}
                space: {units: 4}
                training: {epochs: 1}
                """.formatted(TestData.Line.class.getName()));
        assertEquals("val_r2", c.objective().metric());
        StudyData data = StudyData.readLocal(c);
        assertTrue(data.shared().parts().train().isRegression());
        assertEquals(60, data.shared().parts().train().rows());
        assertEquals(0, data.test().rows());
        ConfigException e = assertThrows(ConfigException.class, () -> StudyData.readLocal(config(TestData.Line.class)));
        assertTrue(e.getMessage().contains("labels are 1 wide") && e.getMessage().contains("data.task: regression"),
                e.getMessage());
    }

    @Test
    void aBadClassIsAConfigErrorNamingItAndTheCause() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyData.readLocal(config(TestData.EmptyValidation.class)));
        assertEquals("data.class", e.field());
        assertTrue(e.getMessage().contains(TestData.EmptyValidation.class.getName())
                && e.getMessage().contains("validation iterator gave no examples"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> StudyData.readLocal(config(TestData.Throwing.class)));
        assertTrue(e.getMessage().contains("the warehouse is closed"), e.getMessage());
    }

    @Test
    void theCommandLineExitsWithTwoBeforeAnythingStarts() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, """
                study: bad
                data: {class: com.acme.NoSuchData}
                space: {units: 4}
                output: {dir: '%s'}
                """.formatted(dir.resolve("runs")));
        Cli r = Cli.run("run", cfg.toString());
        assertEquals(Gradtune.EXIT_USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("data.class") && r.err().contains("com.acme.NoSuchData")
                && r.err().contains("not found on the classpath"), r.err());
        assertTrue(Files.notExists(dir.resolve("runs")), "nothing written");
        r = Cli.run("validate", cfg.toString());
        assertEquals(Gradtune.EXIT_USAGE, r.code(), r.out() + r.err());
    }
}
