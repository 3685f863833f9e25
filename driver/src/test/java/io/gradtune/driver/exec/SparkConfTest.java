package io.gradtune.driver.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The driver host/bind rule and the precedence of gradtune's defaults, spark-submit's values and the config's. */
class SparkConfTest {

    private static SparkConf build(SparkConf base, String master, Map<String, String> properties) {
        return SparkTrialExecutor.sparkConf(base, master, "gradtune-test", properties);
    }

    private static SparkConf empty() {
        return new SparkConf(false);   // no system properties: the test sees only what it sets
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "local[*]", "local[2]", "local[4,3]", "local-cluster[2,1,1024]"})
    void localMastersPinTheDriverToLoopback(String master) {
        SparkConf conf = build(empty(), master, Map.of());
        assertEquals("127.0.0.1", conf.get("spark.driver.host"));
        assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
        assertEquals(master, conf.get("spark.master"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark://127.0.0.1:7077", "spark://master.example:7077", "yarn",
            "k8s://https://k8s.example:6443", "localhost"})
    void otherMastersLeaveDriverHostAndBindAddressToSpark(String master) {
        SparkConf conf = build(empty(), master, Map.of());
        assertFalse(conf.contains("spark.driver.host"), "spark.driver.host must be Spark's default on " + master);
        assertFalse(conf.contains("spark.driver.bindAddress"), "spark.driver.bindAddress must be Spark's default on " + master);
    }

    @Test
    void configPropertiesWinOverTheLocalPin() {
        SparkConf conf = build(empty(), "local[2]", Map.of("spark.driver.host", "10.1.2.3",
                "spark.driver.bindAddress", "0.0.0.0"));
        assertEquals("10.1.2.3", conf.get("spark.driver.host"));
        assertEquals("0.0.0.0", conf.get("spark.driver.bindAddress"));
    }

    @Test
    void configPropertiesSetTheDriverHostOnACluster() {
        SparkConf conf = build(empty(), "spark://m:7077", Map.of("spark.driver.host", "driver.example"));
        assertEquals("driver.example", conf.get("spark.driver.host"));
        assertFalse(conf.contains("spark.driver.bindAddress"));
    }

    @Test
    void submittedValuesWinOverDefaultsAndLoseToTheConfig() {
        SparkConf submitted = empty().set("spark.ui.enabled", "true").set("spark.driver.host", "192.0.2.7")
                .set("spark.task.maxFailures", "4").set("spark.scheduler.mode", "FIFO");
        SparkConf conf = build(submitted, "local[*]", Map.of("spark.scheduler.mode", "FAIR"));
        assertEquals("true", conf.get("spark.ui.enabled"));          // --conf beats gradtune's default
        assertEquals("192.0.2.7", conf.get("spark.driver.host"));     // --conf beats the local pin
        assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
        assertEquals("4", conf.get("spark.task.maxFailures"));
        assertEquals("FAIR", conf.get("spark.scheduler.mode"));       // the config beats --conf
    }

    @Test
    void gradtuneDefaultsAreSetWhenNothingElseSaysOtherwise() {
        SparkConf conf = build(empty(), "spark://m:7077", Map.of());
        assertEquals("false", conf.get("spark.ui.enabled"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("FAIR", conf.get("spark.scheduler.mode"));
        assertEquals("gradtune-test", conf.get("spark.app.name"));
        assertEquals("-XX:TieredStopAtLevel=1 -XX:+UseParallelGC", conf.get("spark.executor.defaultJavaOptions"));
    }

    @Test
    void executorJvmFlagsAreADefaultThatTheUsersOptionsFollow() {
        SparkConf conf = build(empty().set("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=4"),
                "spark://m:7077", Map.of());
        assertEquals("-XX:TieredStopAtLevel=4", conf.get("spark.executor.extraJavaOptions"));  // appended: it wins
        assertEquals(SparkTrialExecutor.EXECUTOR_JVM_FLAGS, conf.get("spark.executor.defaultJavaOptions"));
        SparkConf own = build(empty(), "spark://m:7077", Map.of("spark.executor.defaultJavaOptions", "-XX:+UseG1GC"));
        assertEquals("-XX:+UseG1GC", own.get("spark.executor.defaultJavaOptions"));
    }

    @Test
    void theStudysMasterAndNameWinOverSparkSubmits() {
        SparkConf submitted = empty().set("spark.master", "local[*]").set("spark.app.name", "io.gradtune.driver.cli.Gradtune");
        assertEquals("local[*]", SparkTrialExecutor.ignoredSubmitMaster(submitted, "spark://m:7077"));
        SparkConf conf = build(submitted, "spark://m:7077", Map.of());
        assertEquals("spark://m:7077", conf.get("spark.master"));
        assertEquals("gradtune-test", conf.get("spark.app.name"));
        assertFalse(conf.contains("spark.driver.host"));
    }

    @Test
    void noWarningWhenSparkSubmitsMasterIsTheStudysOrAbsent() {
        assertNull(SparkTrialExecutor.ignoredSubmitMaster(empty(), "local[*]"));
        assertNull(SparkTrialExecutor.ignoredSubmitMaster(empty().set("spark.master", "spark://m:7077"), "spark://m:7077"));
    }

    @Test
    void localMasterRecognition() {
        assertTrue(SparkTrialExecutor.isLocalMaster(" local[*] "));
        assertFalse(SparkTrialExecutor.isLocalMaster("localhost:7077"));
        assertFalse(SparkTrialExecutor.isLocalMaster("spark://local:7077"));
    }
}
