package io.gradtune.worker.model;

import io.gradtune.worker.protocol.EpochMetrics;
import io.gradtune.worker.protocol.LayerStats;
import io.gradtune.worker.protocol.TrialOutcome;
import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each architecture option builds the network it claims, trains on real data (the digits, 64 pixels, 10 classes),
 * streams its per-layer statistics and exports to a plain DL4J model that predicts as the trained network does.
 */
class ArchitectureNetworksTest {

    private static final int ROWS = 256;
    private static INDArray x;
    private static INDArray y;

    @TempDir
    Path dir;

    @BeforeAll
    static void digits() throws IOException {
        WorkerRuntime.ensureInitialized();
        List<String> lines = Files.readAllLines(Path.of("..", "data", "digits.csv"));
        x = Nd4j.zeros(DataType.FLOAT, ROWS, 64);
        y = Nd4j.zeros(DataType.FLOAT, ROWS, 10);
        for (int r = 0; r < ROWS; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int c = 0; c < 64; c++) {
                x.putScalar(r, c, Double.parseDouble(cells[c]) / 16.0);
            }
            y.putScalar(r, Integer.parseInt(cells[64].trim()), 1.0);
        }
    }

    private static TrainableNetwork build(Object... kv) {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 3, "units", 16, "optimizer", "sgd",
                "learning_rate", 0.1));
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return NetworkBuilder.build(HyperParameters.from(p), 64, 10, 5L, TrainingStep.GRADTUNE,
                TrainingStep.CHECKED_BACKEND);
    }

    /** A few mini-batches of 32 rows. */
    private static void train(TrainableNetwork net, int batches) {
        for (int b = 0; b < batches; b++) {
            int from = (b * 32) % ROWS;
            net.fit(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 32),
                            org.nd4j.linalg.indexing.NDArrayIndex.all()),
                    y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 32),
                            org.nd4j.linalg.indexing.NDArrayIndex.all()));
        }
    }

    private static ComputationGraphConfiguration graphConf(TrainableNetwork net) {
        return ((ComputationGraph) net.dl4j()).getConfiguration();
    }

    private static long nIn(ComputationGraphConfiguration conf, String vertex) {
        return ((FeedForwardLayer) LayerInfos.unwrap(((LayerVertex) conf.getVertices().get(vertex)).getLayerConf()
                .getLayer())).getNIn();
    }

    @Test
    void denseConnectionsConcatenateTheInputAndEveryEarlierHiddenOutput() {
        TrainableNetwork net = build("connections", "dense", "width_shape", "shrinking");   // widths 16, 8, 8
        assertInstanceOf(GraphTrainableNetwork.class, net);
        ComputationGraphConfiguration conf = graphConf(net);
        Map<String, List<String>> in = conf.getVertexInputs();
        assertEquals(List.of("input"), in.get("dense_0"));
        assertEquals(List.of("concat_1"), in.get("dense_1"));
        assertEquals(List.of("input", "dense_0"), in.get("concat_1"));
        assertEquals(List.of("concat_2"), in.get("dense_2"));
        assertEquals(List.of("input", "dense_0", "dense_1"), in.get("concat_2"));
        assertEquals(List.of("concat_output"), in.get("output"));
        assertEquals(List.of("input", "dense_0", "dense_1", "dense_2"), in.get("concat_output"));
        assertInstanceOf(MergeVertex.class, conf.getVertices().get("concat_2"));
        assertEquals(64, nIn(conf, "dense_0"));
        assertEquals(64 + 16, nIn(conf, "dense_1"));
        assertEquals(64 + 16 + 8, nIn(conf, "dense_2"));
        assertEquals(64 + 16 + 8 + 8, nIn(conf, "output"));
        // the weight layers reported are the plain network's: three dense layers and the output, output last
        assertEquals(List.of("dense_0", "dense_1", "dense_2", "output"),
                net.layers().stream().map(TrainableNetwork.LayerInfo::key).toList());
        net.close();
    }

    @Test
    void denseConnectionsConcatenateAfterPreluAndBatchNorm() {
        TrainableNetwork net = build("connections", "dense", "activation", "prelu", "batch_norm", true);
        Map<String, List<String>> in = graphConf(net).getVertexInputs();
        assertEquals(List.of("dense_0"), in.get("prelu_0"));
        assertEquals(List.of("prelu_0"), in.get("bn_0"));
        assertEquals(List.of("input", "bn_0", "bn_1"), in.get("concat_2"));
        assertEquals(List.of("input", "bn_0", "bn_1", "bn_2"), in.get("concat_output"));
        net.close();
    }

    @Test
    void residualStillAddsSkipsAndDenseAddsNone() {
        Map<String, List<String>> residual = graphConf(build("connections", "residual")).getVertexInputs();
        assertEquals(List.of("dense_1", "dense_0"), residual.get("add_1"));
        assertFalse(residual.containsKey("concat_1"));
        assertFalse(graphConf(build("connections", "dense")).getVertexInputs().containsKey("add_1"));
    }

    /** The slopes of every PReLU layer, copied. */
    private static List<INDArray> slopes(TrainableNetwork net) {
        List<INDArray> out = new ArrayList<>();
        if (net.dl4j() instanceof MultiLayerNetwork m) {
            for (org.deeplearning4j.nn.api.Layer l : m.getLayers()) {
                if (l.conf().getLayer() instanceof PReLULayer) {
                    out.add(l.getParam("W").dup());
                }
            }
        } else {
            for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : ((ComputationGraph) net.dl4j()).getVertices()) {
                if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof PReLULayer) {
                    out.add(v.getLayer().getParam("W").dup());
                }
            }
        }
        return out;
    }

    @Test
    void preluSlopesStartAtAQuarterAndAreLearned() {
        for (String connections : List.of("plain", "dense")) {
            TrainableNetwork net = build("activation", "prelu", "connections", connections);
            List<INDArray> before = slopes(net);
            assertEquals(3, before.size(), connections);
            for (INDArray a : before) {
                assertEquals(16, a.length());
                assertEquals(0.25, a.minNumber().doubleValue(), 1e-7);
                assertEquals(0.25, a.maxNumber().doubleValue(), 1e-7);
            }
            // the hidden dense layers are linear: PReLU is the nonlinearity
            for (TrainableNetwork.LayerInfo l : net.layers()) {
                if (l.kind().equals("dense")) {
                    assertEquals("prelu", l.activation());
                }
            }
            train(net, 8);
            List<INDArray> after = slopes(net);
            for (int i = 0; i < 3; i++) {
                assertNotEquals(before.get(i), after.get(i), connections + " PReLU layer " + i + " did not learn");
            }
            net.close();
        }
    }

    @Test
    void seluUsesLecunNormalInitUnlessAnotherIsNamed() {
        TrainableNetwork selu = build("activation", "selu", "units", 256, "layers", 2);
        MultiLayerNetwork m = (MultiLayerNetwork) selu.dl4j();
        for (int i = 0; i < 2; i++) {
            BaseLayer layer = (BaseLayer) LayerInfos.unwrap(m.getLayer(i).conf().getLayer());
            assertEquals(WeightInit.LECUN_NORMAL.getWeightInitFunction(), layer.getWeightInitFn());
            assertEquals("selu", LayerInfos.activation(layer));
        }
        // LeCun normal: std sqrt(1 / fan_in) (if truncated at 2 sigma, about 0.88 of that); the first layer is
        // 64 -> 256: LeCun 0.125, Xavier sqrt(2 / 320) = 0.079 and He sqrt(2 / 64) = 0.177 are outside this band
        double std = m.getParam("0_W").stdNumber().doubleValue();
        double lecun = Math.sqrt(1.0 / 64);
        assertTrue(std > 0.8 * lecun && std < 1.05 * lecun, "std " + std + " vs LeCun " + lecun);
        TrainableNetwork xavier = build("activation", "selu", "weight_init", "xavier");
        BaseLayer l0 = (BaseLayer) LayerInfos.unwrap(((MultiLayerNetwork) xavier.dl4j()).getLayer(0).conf().getLayer());
        assertNotEquals(WeightInit.LECUN_NORMAL.getWeightInitFunction(), l0.getWeightInitFn());
        selu.close();
        xavier.close();
    }

    @Test
    void widthShapeBuildsTheShapedLayers() {
        MultiLayerNetwork m = (MultiLayerNetwork) build("units", 32, "width_shape", "shrinking").dl4j();
        assertEquals(List.of(64L, 32L, 16L, 8L), List.of(nInOf(m, 0), nInOf(m, 1), nInOf(m, 2), nInOf(m, 3)));
        MultiLayerNetwork e = (MultiLayerNetwork) build("units", 8, "width_shape", "expanding").dl4j();
        assertEquals(32L, nInOf(e, 3));
    }

    private static long nInOf(MultiLayerNetwork m, int layer) {
        return ((FeedForwardLayer) m.getLayer(layer).conf().getLayer()).getNIn();
    }

    @Test
    void everyOptionTrainsExportsAndPredictsAsTrained() throws Exception {
        List<Object[]> options = List.of(
                new Object[]{"connections", "dense"},
                new Object[]{"connections", "dense", "activation", "prelu", "batch_norm", true},
                new Object[]{"activation", "prelu"},
                new Object[]{"activation", "prelu", "connections", "residual"},
                new Object[]{"activation", "selu"},
                new Object[]{"width_shape", "expanding", "connections", "dense", "activation", "selu"});
        for (Object[] option : options) {
            String what = java.util.Arrays.toString(option);
            TrainableNetwork net = build(option);
            train(net, 6);
            String outputKey = net.layers().get(net.layers().size() - 1).key();
            INDArray trained = net.activations(x).get(outputKey).dup();
            Model copy = PortableModel.of(net);
            String json = copy instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                    : ((ComputationGraph) copy).getConfiguration().toJson();
            assertFalse(json.contains("io.gradtune"), what);
            assertEquals(64, PortableModel.numInputs(copy), what);
            File file = dir.resolve("m.zip").toFile();
            ModelSerializer.writeModel(copy, file, false);
            Model restored = copy instanceof MultiLayerNetwork ? ModelSerializer.restoreMultiLayerNetwork(file)
                    : ModelSerializer.restoreComputationGraph(file);
            INDArray predicted = PortableModel.output(restored, x);
            assertEquals(trained, predicted, what);
            assertTrue(predicted.sum(1).sub(1).amaxNumber().doubleValue() < 1e-4, what + ": rows are not softmax");
            // a saved model read back as a user's or a fine-tuned network is: its weight layers, output last
            List<TrainableNetwork.LayerInfo> read = restored instanceof MultiLayerNetwork m ? LayerInfos.of(m)
                    : LayerInfos.of((ComputationGraph) restored);
            assertEquals("output", read.get(read.size() - 1).kind(), what);
            assertEquals(net.layers().size() - 1, read.stream().filter(l -> l.kind().equals("dense")).count(), what);
            net.close();
        }
    }

    @Test
    void denseAndPreluTrialsStreamStatisticsForEveryWeightLayer() {
        TestTrials.Run run = TestTrials.run(Map.of("layers", 3, "units", 8, "connections", "dense",
                "activation", "prelu"), 2);
        assertEquals(TrialOutcome.Status.COMPLETED, run.outcome().status(), run.outcome().toString());
        assertEquals(2, run.epochs().size());
        for (EpochMetrics m : run.epochs()) {
            List<LayerStats> layers = m.layers();
            assertEquals(List.of("dense_0", "dense_1", "dense_2", "output"),
                    layers.stream().map(LayerStats::name).toList());
            for (LayerStats l : layers) {
                assertTrue(l.gradL2() > 0 && Double.isFinite(l.gradL2()), l.toString());
                assertTrue(l.updateRatio() > 0, l.toString());
            }
            assertEquals("prelu", layers.get(0).activation());
        }
    }
}
