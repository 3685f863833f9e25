package io.gradtune.driver.config;

import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyConfigLoaderTest {

    @TempDir
    Path dir;

    static final String VALID = """
            study: demo
            objective: {metric: val_accuracy, direction: maximize}
            data:
              source: data.csv
              label_column: label
              split: {train: 0.6, validation: 0.2}
            search: {algorithm: random, max_trials: 7, seed: 3}
            space:
              learning_rate: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
              layers: {type: int, low: 1, high: 3}
              activation: {type: categorical, values: [relu, tanh]}
              units_3: {type: int, low: 8, high: 64, when: {layers: {at_least: 3}}}
            training: {epochs: 4, batch_size: 32, optimizer: adam}
            """;

    Path write(String yaml) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    ConfigException failure(String yaml) throws IOException {
        Path f = write(yaml);
        return assertThrows(ConfigException.class, () -> StudyConfigLoader.load(f));
    }

    @Test
    void readsEveryParameterKindAndTrainingDefaultsBecomeFixedParameters() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID));
        assertEquals("demo", c.study());
        assertEquals(7, c.search().maxTrials());
        assertEquals(3, c.search().seed());
        assertEquals(4, c.training().epochs());
        assertTrue(c.objective().maximize());
        FloatParameter lr = assertInstanceOf(FloatParameter.class, c.space().get("learning_rate"));
        assertTrue(lr.log());
        assertInstanceOf(IntParameter.class, c.space().get("layers"));
        assertInstanceOf(CategoricalParameter.class, c.space().get("activation"));
        assertEquals(3.0, c.space().get("units_3").condition().atLeast());
        assertEquals(32, assertInstanceOf(FixedParameter.class, c.space().get("batch_size")).value());
        assertEquals(dir.resolve("data.csv").toString(), c.data().path());
        assertTrue(c.kafka().embedded());
        assertEquals("local[*]", c.spark().master());
    }

    @Test
    void fixedTrainingParametersKeepTheConfigFilesOrder() throws IOException {
        // trials.csv's columns follow the space's order; Map.copyOf's order varied from one JVM to the next
        StudyConfig c = StudyConfigLoader.load(write(VALID.replace("training: {epochs: 4, batch_size: 32, optimizer: adam}",
                "training: {epochs: 4, weight_init: xavier, optimizer: adam, batch_size: 32, l2: 0.001, dropout: 0.1}")));
        assertEquals(List.of("weight_init", "optimizer", "batch_size", "l2", "dropout"),
                List.copyOf(c.training().defaults().keySet()));
        List<String> names = c.space().parameters().stream().map(p -> p.name()).toList();
        assertEquals(List.of("weight_init", "optimizer", "batch_size", "l2", "dropout"),
                names.subList(names.size() - 5, names.size()));
    }

    @Test
    void shippedQuickstartConfigIsValid() {
        StudyConfig c = StudyConfigLoader.load(Path.of("../configs/quickstart.yaml"));
        assertTrue(c.search().maxTrials() >= 20);
        assertTrue(c.training().epochs() <= 15);
        assertEquals(6, c.space().searched().size());
    }

    @Test
    void bayesianGpAndTpeAreAlgorithmNames() throws IOException {
        for (String algorithm : java.util.List.of("bayesian", "gp", "tpe")) {
            StudyConfig c = StudyConfigLoader.load(write(VALID.replace("algorithm: random", "algorithm: " + algorithm)));
            assertEquals(algorithm, c.search().algorithm());
        }
        ConfigException e = failure(VALID.replace("algorithm: random", "algorithm: smac"));
        assertTrue(e.getMessage().contains("tpe"), e.getMessage());
    }

    @Test
    void repairIsOffUnlessSetAndMustBeABoolean() throws IOException {
        assertFalse(StudyConfigLoader.load(write(VALID)).search().repair());
        String on = VALID.replace("algorithm: random", "algorithm: random, repair: true");
        assertTrue(StudyConfigLoader.load(write(on)).search().repair());
        ConfigException e = failure(VALID.replace("algorithm: random", "algorithm: random, repair: sometimes"));
        assertTrue(e.getMessage().contains("expected true or false"), e.getMessage());
    }

    @Test
    void feedbackIsOnUnlessSetAndMustBeABoolean() throws IOException {
        assertTrue(StudyConfigLoader.load(write(VALID)).search().feedback());
        String off = VALID.replace("algorithm: random", "algorithm: random, feedback: false");
        assertFalse(StudyConfigLoader.load(write(off)).search().feedback());
        ConfigException e = failure(VALID.replace("algorithm: random", "algorithm: random, feedback: 1"));
        assertTrue(e.getMessage().contains("search.feedback"), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyNamesTheKey() throws IOException {
        ConfigException e = failure(VALID + "stuff: 1\n");
        assertEquals("stuff", e.field());
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("study.yaml").toString()), e.getMessage());
    }

    @Test
    void unknownNestedKeyNamesItsPath() throws IOException {
        ConfigException e = failure(VALID.replace("max_trials: 7", "max_trails: 7"));
        assertEquals("search.max_trails", e.field());
    }

    @Test
    void outOfRangeValueNamesFieldAndValue() throws IOException {
        ConfigException e = failure(VALID.replace("train: 0.6", "train: 1.5"));
        assertEquals("data.split.train", e.field());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void missingDatasetNamesTheSourceField() throws IOException {
        ConfigException e = failure(VALID.replace("source: data.csv", "source: nowhere.csv"));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("nowhere.csv") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void unknownSearchParameterIsRejected() throws IOException {
        ConfigException e = failure(VALID.replace("  layers: {type: int", "  lyers: {type: int")
                .replace("when: {layers:", "when: {lyers:"));
        assertEquals("space.lyers", e.field());
    }

    @Test
    void choiceTheNetworkCannotBuildIsRejected() throws IOException {
        ConfigException e = failure(VALID.replace("[relu, tanh]", "[relu, swish]"));
        assertEquals("space.activation", e.field());
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
    }

    @Test
    void conditionOnAnUndefinedParentIsRejected() throws IOException {
        ConfigException e = failure(VALID.replace("when: {layers: {at_least: 3}}", "when: {depth: {at_least: 3}}"));
        assertTrue(e.field().startsWith("space.units_3.when"), e.field());
    }

    @Test
    void malformedYamlReportsTheLine() throws IOException {
        ConfigException e = failure("study: demo\nobjective: [unclosed\n");
        assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
    }

    @Test
    void missingFileIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> StudyConfigLoader.load(dir.resolve("none.yaml")));
        assertTrue(e.getMessage().contains("config file not found"));
    }

    @Test
    void missingStudyNameIsRequired() throws IOException {
        ConfigException e = failure(VALID.replace("study: demo\n", ""));
        assertEquals("study", e.field());
    }

    @Test
    void earlyStoppingErrorsNameTheRuleField() throws IOException {
        ConfigException e = failure(VALID + "early_stopping: {asha: {reduction_factor: 1}}\n");
        assertTrue(e.getMessage().contains("early_stopping.asha.reduction_factor"), e.getMessage());
    }

    @Test
    void earlyStoppingNoneDisablesEveryRule() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID + "early_stopping: none\n"));
        assertTrue(c.stopping().toPolicy(4).rules().isEmpty());
        StudyConfig d = StudyConfigLoader.load(write(VALID));
        assertFalse(d.stopping().toPolicy(4).rules().isEmpty());
    }

    @Test
    void externalKafkaBootstrapIsKept() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID + "kafka: {bootstrap: 'broker:9092', topic_prefix: t1}\n"));
        assertEquals("broker:9092", c.kafka().bootstrap());
        assertEquals("t1.metrics", c.kafka().metricsTopic());
        assertNull(c.kafka().dataDir());
    }

    /** Without spark.master in the config, spark-submit's --master (the system property spark.master) is used. */
    @Test
    void sparkMasterDefaultsToSparkSubmitsThenLocal() throws Exception {
        Path f = dir.resolve("study.yaml");
        Files.writeString(dir.resolve("data.csv"), "a,label\n1,0\n2,1\n");
        Files.writeString(f, VALID);
        String before = System.getProperty("spark.master");
        try {
            System.clearProperty("spark.master");
            assertEquals("local[*]", StudyConfigLoader.load(f).spark().master());
            System.setProperty("spark.master", "spark://127.0.0.1:7077");
            assertEquals("spark://127.0.0.1:7077", StudyConfigLoader.load(f).spark().master());
            Files.writeString(f, VALID + "spark: {master: \"local[2]\"}\n");
            assertEquals("local[2]", StudyConfigLoader.load(f).spark().master(), "the config's master wins");
        } finally {
            if (before == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", before);
            }
        }
    }

    @Test
    void topicPartitionsAndReplicationDefaultToFourAndTheBrokersDefault() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID + "kafka: {bootstrap: 'broker:9092'}\n"));
        assertEquals(StudyConfig.Kafka.DEFAULT_PARTITIONS, c.kafka().partitions());
        assertNull(c.kafka().replicationFactor());
        StudyConfig d = StudyConfigLoader.load(write(VALID
                + "kafka: {bootstrap: 'broker:9092', partitions: 6, replication_factor: 3}\n"));
        assertEquals(6, d.kafka().partitions());
        assertEquals(3, d.kafka().replicationFactor());
        StudyConfig e = StudyConfigLoader.load(write(VALID + "kafka: {replication_factor: null}\n"));
        assertNull(e.kafka().replicationFactor(), "an explicit null is the broker's default too");
        assertEquals(6, d.withKafkaBootstrap("other:9092").kafka().partitions(), "overrides keep the topic settings");
    }

    @Test
    void topicPartitionsAndReplicationMustBeWholeNumbersOfAtLeastOne() throws IOException {
        for (String bad : new String[]{"partitions: 0", "partitions: -2", "partitions: 1.5", "partitions: many",
                "replication_factor: 0", "replication_factor: 40000", "replication_factor: two"}) {
            ConfigException e = failure(VALID + "kafka: {" + bad + "}\n");
            String field = "kafka." + bad.substring(0, bad.indexOf(':'));
            assertEquals(field, e.field(), bad);
            assertTrue(e.getMessage().contains("study.yaml: field '" + field + "'"), e.getMessage());
        }
    }

    @Test
    void theOutageToleranceDefaultsToFiveMinutesAndTakesADuration() throws IOException {
        assertEquals(java.time.Duration.ofMinutes(5),
                StudyConfigLoader.load(write(VALID + "kafka: {bootstrap: 'broker:9092'}\n")).kafka().outageTolerance());
        StudyConfig c = StudyConfigLoader.load(write(VALID + "kafka: {outage_tolerance: 8s}\n"));
        assertEquals(java.time.Duration.ofSeconds(8), c.kafka().outageTolerance());
        assertEquals(java.time.Duration.ofSeconds(8), c.withKafkaBootstrap("b:1").kafka().outageTolerance());
        for (String bad : new String[]{"outage_tolerance: soon", "outage_tolerance: 0.5s", "outage_tolerance: 2d"}) {
            ConfigException e = failure(VALID + "kafka: {" + bad + "}\n");
            assertEquals("kafka.outage_tolerance", e.field(), bad);
        }
    }

    @Test
    void kafkaPropertiesKeepTheirOrderAndPlaceholdersUnresolved() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID + """
                kafka:
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.mechanism: PLAIN
                    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${env:GT_NOT_RESOLVED_AT_LOAD}";'
                """));
        assertEquals(java.util.List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config"),
                java.util.List.copyOf(c.kafka().properties().keySet()));
        assertTrue(c.kafka().properties().get("sasl.jaas.config").contains("${env:GT_NOT_RESOLVED_AT_LOAD}"));
    }

    @Test
    void aMalformedPlaceholderIsAConfigErrorThatDoesNotEchoTheValue() throws IOException {
        ConfigException e = failure(VALID + """
                kafka:
                  properties:
                    sasl.jaas.config: 'x username="u" password="literal-secret-${env:}";'
                """);
        assertEquals("kafka.properties.sasl.jaas.config", e.field());
        assertTrue(e.getMessage().contains("${env:NAME}"), e.getMessage());
        assertFalse(e.getMessage().contains("literal-secret"), e.getMessage());
    }

    /** A trial gets spark.task.cpus native threads: executors' libnd4j pool is sized from OMP_NUM_THREADS. */
    @Test
    void taskCpusAboveOneSetTheExecutorsOpenMpThreadsUnlessTheUserDid() throws IOException {
        StudyConfig one = StudyConfigLoader.load(write(VALID));
        assertNull(one.spark().sparkProperties().get("spark.executorEnv.OMP_NUM_THREADS"),
                "one thread: SparkTrialExecutor's default of 1 stays");
        StudyConfig two = StudyConfigLoader.load(write(VALID + "spark: {properties: {spark.task.cpus: '2'}}\n"));
        assertEquals("2", two.spark().sparkProperties().get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("2", two.spark().sparkProperties().get("spark.task.cpus"));
        StudyConfig own = StudyConfigLoader.load(write(VALID
                + "spark: {properties: {spark.task.cpus: '2', spark.executorEnv.OMP_NUM_THREADS: '1'}}\n"));
        assertEquals("1", own.spark().sparkProperties().get("spark.executorEnv.OMP_NUM_THREADS"));
        ConfigException e = failure(VALID + "spark: {properties: {spark.task.cpus: two}}\n");
        assertEquals("spark.properties.spark.task.cpus", e.field());
    }

    /** spark.max_attempts (default 2) is Spark's spark.task.maxFailures; speculation is off explicitly. */
    @Test
    void maxAttemptsDefaultsToTwoAndBecomesTaskMaxFailuresWithSpeculationOff() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID));
        assertEquals(2, c.spark().maxAttempts());
        assertEquals("2", c.spark().sparkProperties().get("spark.task.maxFailures"));
        assertEquals("false", c.spark().sparkProperties().get("spark.speculation"));
        StudyConfig three = StudyConfigLoader.load(write(VALID
                + "spark: {master: 'spark://h:7077', max_attempts: 3, properties: {spark.speculation: 'false'}}\n"));
        assertEquals("3", three.spark().sparkProperties().get("spark.task.maxFailures"));
        assertEquals("spark://h:7077", three.spark().sparkMaster(), "cluster masters are left alone");
        ConfigException zero = failure(VALID + "spark: {max_attempts: 0}\n");
        assertEquals("spark.max_attempts", zero.field());
    }

    /**
     * Spark's local and local[N] masters never retry a task (their failure limit is 1, whatever
     * spark.task.maxFailures says), so a local study runs on local[N, max_attempts].
     */
    @Test
    void localMastersGetMaxAttemptsAsTheirTaskFailureLimit() {
        assertEquals("local[1,2]", new StudyConfig.Spark("local", java.util.Map.of(), 2).sparkMaster());
        assertEquals("local[*,2]", new StudyConfig.Spark("local[*]", java.util.Map.of(), 2).sparkMaster());
        assertEquals("local[4,3]", new StudyConfig.Spark("local[4]", java.util.Map.of(), 3).sparkMaster());
        assertEquals("local[2,2]", new StudyConfig.Spark("local[2,2]", java.util.Map.of(), 2).sparkMaster());
        assertEquals("local-cluster[2,1,1024]",
                new StudyConfig.Spark("local-cluster[2,1,1024]", java.util.Map.of(), 2).sparkMaster());
    }

    @Test
    void aLocalMasterWhoseFailureLimitDisagreesWithMaxAttemptsIsRefused() throws IOException {
        ConfigException e = failure(VALID + "spark: {master: 'local[2,3]'}\n");
        assertEquals("spark.master", e.field());
        assertTrue(e.getMessage().contains("spark.max_attempts"), e.getMessage());
        StudyConfig ok = StudyConfigLoader.load(write(VALID + "spark: {master: 'local[2,3]', max_attempts: 3}\n"));
        assertEquals("local[2,3]", ok.spark().sparkMaster());
    }

    @Test
    void speculationIsRefusedWithAReason() throws IOException {
        ConfigException e = failure(VALID + "spark: {properties: {spark.speculation: 'true'}}\n");
        assertEquals("spark.properties.spark.speculation", e.field());
        assertTrue(e.getMessage().contains("speculat") && e.getMessage().contains("attempt"), e.getMessage());
    }

    @Test
    void taskMaxFailuresIsSetThroughMaxAttempts() throws IOException {
        ConfigException e = failure(VALID + "spark: {properties: {spark.task.maxFailures: '4'}}\n");
        assertEquals("spark.properties.spark.task.maxFailures", e.field());
        assertTrue(e.getMessage().contains("spark.max_attempts"), e.getMessage());
    }

    /** spark-submit's --conf arrives as spark.* system properties: the same two are refused there. */
    @Test
    void submittedSpeculationOrTaskMaxFailuresAreRefusedToo() {
        java.util.Properties sys = new java.util.Properties();
        StudyConfigLoader.checkSubmittedSparkProperties("f.yaml", sys);
        sys.setProperty("spark.speculation", "false");
        StudyConfigLoader.checkSubmittedSparkProperties("f.yaml", sys);
        sys.setProperty("spark.speculation", "TRUE");
        ConfigException e = assertThrows(ConfigException.class,
                () -> StudyConfigLoader.checkSubmittedSparkProperties("f.yaml", sys));
        assertTrue(e.getMessage().contains("spark.speculation"), e.getMessage());
        java.util.Properties max = new java.util.Properties();
        max.setProperty("spark.task.maxFailures", "4");
        ConfigException m = assertThrows(ConfigException.class,
                () -> StudyConfigLoader.checkSubmittedSparkProperties("f.yaml", max));
        assertTrue(m.getMessage().contains("spark.max_attempts"), m.getMessage());
    }

    // --- data: sources Spark SQL reads, tables, columns ---

    private static String data(String dataSection) {
        return VALID.replace("""
            data:
              source: data.csv
              label_column: label
              split: {train: 0.6, validation: 0.2}
            """, dataSection);
    }

    @Test
    void aFileUriSourceIsKeptAsAUriAndItsFormatGuessedFromTheName() throws IOException {
        Path parquet = Files.createDirectories(dir.resolve("digits.parquet"));
        Files.writeString(parquet.resolve("part-0.parquet"), "PAR1");
        StudyConfig c = StudyConfigLoader.load(write(data("data: {source: '" + parquet.toUri() + "', label_column: y}\n")));
        assertEquals(parquet.toUri().toString(), c.data().path());
        assertEquals("parquet", c.data().format());
        assertEquals("y", c.data().labelColumn());
        assertFalse(c.data().readsLocalFiles());
        StudyConfig csv = StudyConfigLoader.load(write(data("data: {source: 'file://" + dir.resolve("data.csv") + "'}\n")));
        assertEquals("csv", csv.data().format());
        assertFalse(csv.data().readsLocalFiles());
    }

    @Test
    void remoteUrisAreCheckedWhenTheDriverReadsThem() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(data("data: {source: 'hdfs://namenode:8020/data/digits', format: parquet}\n")));
        assertEquals("hdfs://namenode:8020/data/digits", c.data().path());
        StudyConfig s3 = StudyConfigLoader.load(write(data("data: {source: 's3a://bucket/digits.csv'}\n")));
        assertEquals("csv", s3.data().format());
    }

    @Test
    void aMissingFileUriNamesTheSourceField() throws IOException {
        ConfigException e = failure(data("data: {source: 'file://" + dir.resolve("gone.parquet") + "', format: parquet}\n"));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("gone.parquet") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void aTableReplacesTheSourceAndNamesItsColumns() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(data(
                "data: {table: analytics.digits, label_column: digit, feature_columns: [p0, p1, p2]}\n")));
        assertNull(c.data().path());
        assertEquals("analytics.digits", c.data().table());
        assertEquals(java.util.List.of("p0", "p1", "p2"), c.data().featureColumns());
        assertEquals("digit", c.data().labelColumn());
    }

    @Test
    void sourceAndTableTogetherAreRejected() throws IOException {
        ConfigException e = failure(data("data: {source: data.csv, table: db.digits}\n"));
        assertEquals("data.table", e.field());
        assertTrue(e.getMessage().contains("either data.source or data.table"), e.getMessage());
    }

    @Test
    void neitherSourceNorTableIsRejected() throws IOException {
        ConfigException e = failure(data("data: {label_column: label}\n"));
        assertEquals("data.source", e.field());
        assertTrue(e.getMessage().contains("data.table"), e.getMessage());
    }

    @Test
    void aTableNameMustBeAnIdentifier() throws IOException {
        ConfigException e = failure(data("data: {table: 'db.digits; drop table x'}\n"));
        assertEquals("data.table", e.field());
    }

    @Test
    void aFormatWithATableIsRejected() throws IOException {
        ConfigException e = failure(data("data: {table: db.digits, format: parquet}\n"));
        assertEquals("data.format", e.field());
    }

    @Test
    void idxStaysALocalFileFormat() throws IOException {
        ConfigException e = failure(data("data: {source: 'hdfs://nn/mnist/train-images-idx3-ubyte', format: idx}\n"));
        assertEquals("data.format", e.field());
        assertTrue(e.getMessage().contains("local"), e.getMessage());
    }

    @Test
    void aLabelColumnMissingFromALocalCsvHeaderIsRejectedAtLoad() throws IOException {
        ConfigException e = failure(data("data: {source: data.csv, label_column: digit}\n"));
        assertEquals("data.label_column", e.field());
        assertTrue(e.getMessage().contains("'digit'") && e.getMessage().contains("a, b, label"), e.getMessage());
    }

    @Test
    void aFeatureColumnMissingFromALocalCsvHeaderIsRejectedAtLoad() throws IOException {
        ConfigException e = failure(data("data: {source: data.csv, feature_columns: [a, c]}\n"));
        assertEquals("data.feature_columns", e.field());
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }

    @Test
    void featureColumnsMustBeDistinctNamesOtherThanTheLabel() throws IOException {
        assertEquals("data.feature_columns", failure(data("data: {source: data.csv, feature_columns: [a, a]}\n")).field());
        assertEquals("data.feature_columns", failure(data("data: {source: data.csv, feature_columns: [a, label]}\n")).field());
        assertEquals("data.feature_columns", failure(data("data: {source: data.csv, feature_columns: []}\n")).field());
        assertEquals("data.feature_columns", failure(data("data: {source: data.csv, feature_columns: a}\n")).field());
    }

    @Test
    void aValidationSourceBesideATableIsRejected() throws IOException {
        ConfigException e = failure(data("data: {table: db.digits, validation_source: data.csv}\n"));
        assertEquals("data.validation_source", e.field());
    }

    @Test
    void aLocalCsvSourceStaysAsToday() throws IOException {
        StudyConfig c = StudyConfigLoader.load(write(VALID));
        assertTrue(c.data().readsLocalFiles());
        assertNull(c.data().table());
        assertNull(c.data().featureColumns());
        assertNull(c.data().fingerprint());
    }

    @Test
    void trainingWorkersIsOneUnlessSetAndIsNotAParameter() throws IOException {
        StudyConfig one = StudyConfigLoader.load(write(VALID));
        assertEquals(1, one.training().workers());
        assertFalse(one.training().dataParallel());
        StudyConfig two = StudyConfigLoader.load(write(VALID.replace("epochs: 4,", "epochs: 4, workers: 2,")
                + "spark: {master: \"local[2]\"}\n"));
        assertEquals(2, two.training().workers());
        assertTrue(two.training().dataParallel());
        assertTrue(two.space().parameters().stream().noneMatch(p -> p.name().equals("workers")), "not a parameter");
        assertEquals(2, two.withEpochs(3).training().workers(), "--epochs keeps it");
    }

    @Test
    void trainingWorkersBeyondTheLocalMastersSlotsIsRefusedNamingBoth() throws IOException {
        ConfigException e = failure(VALID.replace("epochs: 4,", "epochs: 4, workers: 3,")
                + "spark: {master: \"local[2]\"}\n");
        assertTrue(e.getMessage().contains("training.workers") && e.getMessage().contains("local[2] offers 2"),
                e.getMessage());
        ConfigException cpus = failure(VALID.replace("epochs: 4,", "epochs: 4, workers: 2,")
                + "spark: {master: \"local[2]\", properties: {spark.task.cpus: \"2\"}}\n");
        assertTrue(cpus.getMessage().contains("offers 1"), cpus.getMessage());
        ConfigException zero = failure(VALID.replace("epochs: 4,", "epochs: 4, workers: 0,"));
        assertTrue(zero.getMessage().contains("training.workers"), zero.getMessage());
        // A cluster master's slots are known only at run time: not refused here.
        StudyConfig cluster = StudyConfigLoader.load(write(VALID.replace("epochs: 4,", "epochs: 4, workers: 8,")
                + "spark: {master: \"spark://host:7077\"}\n"));
        assertEquals(8, cluster.training().workers());
        assertEquals(-1, cluster.spark().localTaskSlots());
        assertEquals(6, StudyConfigLoader.load(write(VALID.replace("epochs: 4,", "epochs: 4, workers: 2,")
                + "spark: {master: \"local-cluster[3,2,1024]\"}\n")).spark().localTaskSlots());
    }
}
