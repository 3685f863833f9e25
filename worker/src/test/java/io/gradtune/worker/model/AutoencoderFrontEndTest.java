package io.gradtune.worker.model;

import io.gradtune.worker.train.WorkerRuntime;
import org.deeplearning4j.nn.api.Model;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The autoencoder front end with real DL4J: the pretrained encoder is the network's first layer, bit for bit; frozen it
 * never changes while the network trains, fine-tuned it does; the same seed builds the same network; the export and a
 * ModelSerializer round trip apply the encoder at predict time.
 */
class AutoencoderFrontEndTest {

    @TempDir
    Path dir;

    private static INDArray x;
    private static INDArray y;

    @BeforeAll
    static void data() {
        WorkerRuntime.ensureInitialized();
        Nd4j.getRandom().setSeed(11);
        x = Nd4j.rand(DataType.FLOAT, 64, 10).subi(0.5);
        y = Nd4j.zeros(DataType.FLOAT, 64, 3);
        for (int r = 0; r < 64; r++) {
            y.putScalar(r, r % 3, 1f);
        }
    }

    @Test
    void theFrozenEncoderIsThePretrainedOneAndNeverChanges() {
        Map<String, Object> p = params(false);
        AutoencoderParameters ae = AutoencoderParameters.from(p);
        HyperParameters h = HyperParameters.from(p);
        INDArray[] pretrained = AutoencoderFrontEnd.pretrain(ae, h, x, 5L);
        try (TrainableNetwork net = AutoencoderFrontEnd.build(ae, h, x, 3, false, 5L)) {
            TrainableNetwork.LayerInfo encoder = net.layers().get(0);
            assertTrue(encoder.frozen(), "reported frozen");
            assertEquals("dense", encoder.kind());
            assertEquals(List.of("dense", "dense", "output"), net.layers().stream().map(TrainableNetwork.LayerInfo::kind)
                    .toList());
            assertEquals(pretrained[0], net.weights(encoder), "the pretrained encoder is the first layer");
            INDArray before = net.weights(encoder).dup();
            INDArray hiddenBefore = net.weights(net.layers().get(1)).dup();
            for (int i = 0; i < 5; i++) {
                net.fit(x, y);
            }
            assertEquals(before, net.weights(encoder), "frozen: bit-identical after training");
            assertNotEquals(hiddenBefore, net.weights(net.layers().get(1)), "the layers after it train");
        }
    }

    @Test
    void aFineTunedEncoderTrainsOn() {
        Map<String, Object> p = params(true);
        try (TrainableNetwork net = AutoencoderFrontEnd.build(AutoencoderParameters.from(p), HyperParameters.from(p), x,
                3, false, 5L)) {
            TrainableNetwork.LayerInfo encoder = net.layers().get(0);
            assertFalse(encoder.frozen());
            INDArray before = net.weights(encoder).dup();
            net.fit(x, y);
            assertNotEquals(before, net.weights(encoder), "fine-tuned: the encoder changes");
        }
    }

    @Test
    void pretrainingIsSeededAndRunsItsEpochs() {
        Map<String, Object> p = new HashMap<>(params(false));
        HyperParameters h = HyperParameters.from(p);
        INDArray[] a = AutoencoderFrontEnd.pretrain(AutoencoderParameters.from(p), h, x, 5L);
        INDArray[] b = AutoencoderFrontEnd.pretrain(AutoencoderParameters.from(p), h, x, 5L);
        assertEquals(a[0], b[0], "same seed, same encoder");
        p.put("autoencoder_epochs", 1);
        INDArray[] shorter = AutoencoderFrontEnd.pretrain(AutoencoderParameters.from(p), h, x, 5L);
        assertNotEquals(a[0], shorter[0], "more epochs train further");
        try (TrainableNetwork one = AutoencoderFrontEnd.build(AutoencoderParameters.from(params(false)), h, x, 3, false,
                5L);
             TrainableNetwork two = AutoencoderFrontEnd.build(AutoencoderParameters.from(params(false)), h, x, 3, false,
                     5L)) {
            assertEquals(one.flatParams(), two.flatParams(), "the whole network is seeded");
        }
    }

    @Test
    void theExportAppliesTheEncoderAtPredictTime() throws Exception {
        Map<String, Object> p = params(false);
        try (TrainableNetwork net = AutoencoderFrontEnd.build(AutoencoderParameters.from(p), HyperParameters.from(p), x,
                3, false, 5L)) {
            net.fit(x, y);
            String out = net.layers().get(net.layers().size() - 1).key();
            INDArray expected = net.activations(x).get(out).dup();
            Model portable = PortableModel.of(net);
            assertEquals(10, PortableModel.numInputs(portable), "takes the raw features: the encoder is inside");
            assertEquals(expected, PortableModel.output(portable, x));
            File file = dir.resolve("m.zip").toFile();
            ModelSerializer.writeModel(portable, file, false);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, false);
            assertEquals(expected, PortableModel.output(restored, x));
        }
    }

    @Test
    void aRegressionGetsTheFrontEndToo() {
        Map<String, Object> p = params(false);
        try (TrainableNetwork net = AutoencoderFrontEnd.build(AutoencoderParameters.from(p), HyperParameters.from(p), x,
                1, true, 5L)) {
            assertEquals("identity", net.layers().get(net.layers().size() - 1).activation());
        }
    }

    @Test
    void residualIsNotSupportedYetAndBadValuesNameTheRange() {
        Map<String, Object> p = new HashMap<>(params(false));
        p.put("residual", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoencoderFrontEnd.build(
                AutoencoderParameters.from(p), HyperParameters.from(p), x, 3, false, 5L));
        assertTrue(e.getMessage().contains("not supported yet"), e.getMessage());
        for (Map.Entry<String, Object> other : Map.<String, Object>of("connections", "dense",
                "activation", "prelu").entrySet()) {
            Map<String, Object> q = new java.util.HashMap<>(params(false));
            q.put(other.getKey(), other.getValue());
            e = assertThrows(IllegalArgumentException.class, () -> AutoencoderFrontEnd.build(
                    AutoencoderParameters.from(q), HyperParameters.from(q), x, 3, false, 5L));
            assertTrue(e.getMessage().contains(other.getKey() + ": " + other.getValue())
                    && e.getMessage().contains("not supported yet"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> HyperParameters.from(Map.of("autoencoder_units", 0)));
        assertTrue(e.getMessage().contains("'autoencoder_units' = 0, expected an integer 1..4096"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HyperParameters.from(Map.of("autoencoder_finetune",
                "maybe")));
        assertTrue(e.getMessage().contains("'autoencoder_finetune'"), e.getMessage());
    }

    private static Map<String, Object> params(boolean finetune) {
        return Map.of("layers", 1, "units", 5, "autoencoder_units", 4, "autoencoder_epochs", 3,
                "autoencoder_finetune", finetune, "learning_rate", 0.01, "batch_size", 16);
    }
}
