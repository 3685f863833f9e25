package io.gradtune.driver.exec;

import org.apache.spark.SparkConf;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.Test;
import scala.Tuple2;
import scala.collection.JavaConverters;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the README says about {@code spark.executorEnv.NAME}: Spark hides a property's value in its UI, event log and
 * REST API (all go through {@code Utils.redact}) only when the name or the value matches {@code spark.redaction.regex}.
 */
class SparkRedactionTest {

    private static Map<String, String> redacted(SparkConf conf, Map<String, String> properties) {
        List<Tuple2<String, String>> kvs = properties.entrySet().stream()
                .map(e -> new Tuple2<>(e.getKey(), e.getValue())).collect(Collectors.toList());
        return JavaConverters.seqAsJavaList(Utils.redact(conf, JavaConverters.asScalaBuffer(kvs).toSeq())).stream()
                .collect(Collectors.toMap(Tuple2::_1, Tuple2::_2));
    }

    @Test
    void anExecutorEnvValueIsHiddenOnlyWhenItsNameMatchesTheDefaultRegex() {
        Map<String, String> shown = redacted(new SparkConf(false), Map.of(
                "spark.executorEnv.GRADTUNE_KAFKA_PASSWORD", "v1",
                "spark.executorEnv.KAFKA_SECRET", "v2",
                "spark.executorEnv.KAFKA_PW", "v3"));
        assertEquals("*********(redacted)", shown.get("spark.executorEnv.GRADTUNE_KAFKA_PASSWORD"));
        assertEquals("*********(redacted)", shown.get("spark.executorEnv.KAFKA_SECRET"));
        assertEquals("v3", shown.get("spark.executorEnv.KAFKA_PW"), "a name the regex does not match is shown");
    }

    @Test
    void theStudysSparkConfHidesEveryNameGradtunesRuleCallsSecret() {
        SparkConf conf = SparkTrialExecutor.sparkConf(new SparkConf(false), "local[1]", "t", Map.of());
        Map<String, String> shown = redacted(conf, Map.of(
                "spark.executorEnv.GT_KAFKA_JAAS", "v1",
                "spark.hadoop.fs.s3a.access.key", "v2",
                "spark.executorEnv.GT_API_KEY", "v3",
                "spark.executorEnv.KAFKA_PW", "v4"));
        assertEquals("*********(redacted)", shown.get("spark.executorEnv.GT_KAFKA_JAAS"));
        assertEquals("*********(redacted)", shown.get("spark.hadoop.fs.s3a.access.key"));
        assertEquals("*********(redacted)", shown.get("spark.executorEnv.GT_API_KEY"));
        assertEquals("v4", shown.get("spark.executorEnv.KAFKA_PW"), "outside the rule: name such variables *_PASSWORD");
    }
}
