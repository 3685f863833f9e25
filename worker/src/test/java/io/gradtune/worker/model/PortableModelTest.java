package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The export copy of a trained network, plain and residual, with gradtune's training-step replacements on: its JSON
 * names only DL4J classes, its outputs are the trained network's bit for bit, and DL4J's own ModelSerializer writes
 * and restores it with the same outputs.
 */
class PortableModelTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        WorkerRuntime.ensureInitialized();
    }

    @Test
    void plainNetworkExportsWithDl4jLayersAndTheSameOutputs() throws Exception {
        check(Map.of("dropout", 0.2, "batch_norm", true), MultiLayerNetwork.class);
    }

    @Test
    void residualNetworkExportsWithDl4jLayersAndTheSameOutputs() throws Exception {
        check(Map.of("residual", true), ComputationGraph.class);
    }

    private void check(Map<String, Object> extra, Class<? extends Model> kind) throws Exception {
        Map<String, Object> p = new HashMap<>(Map.of("layers", 2, "units", 8, "activation", "relu"));
        p.putAll(extra);
        TrainableNetwork net = NetworkBuilder.build(HyperParameters.from(p), 5, 3, 7L, TrainingStep.GRADTUNE,
                TrainingStep.CHECKED_BACKEND);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 5).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 3);
        for (int r = 0; r < 32; r++) {
            y.putScalar(r, r % 3, 1f);
        }
        for (int i = 0; i < 3; i++) {
            net.fit(x, y);
        }
        String outputKey = net.layers().get(net.layers().size() - 1).key();
        INDArray trained = net.activations(x).get(outputKey).dup();

        Model copy = PortableModel.of(net);
        assertInstanceOf(kind, copy);
        String json = copy instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) copy).getConfiguration().toJson();
        assertFalse(json.contains("io.gradtune"), json);
        assertEquals(trained, PortableModel.output(copy, x));
        assertEquals(5, PortableModel.numInputs(copy));

        File file = dir.resolve("m.zip").toFile();
        ModelSerializer.writeModel(copy, file, false);
        Model restored = copy instanceof MultiLayerNetwork ? ModelSerializer.restoreMultiLayerNetwork(file)
                : ModelSerializer.restoreComputationGraph(file);
        assertEquals(trained, PortableModel.output(restored, x));
        net.close();
    }
}
