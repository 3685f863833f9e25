package io.gradtune.worker.model;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A built network, plain (multi-layer) or residual (graph), behind one set of methods, with the map from its
 * weight-carrying layers to DL4J parameter keys, so the trainer and the gradient listener never parse DL4J's
 * layer list or care which kind of network they hold.
 */
public sealed interface TrainableNetwork extends AutoCloseable
        permits MultiLayerTrainableNetwork, GraphTrainableNetwork {

    /**
     * One weight-carrying layer.
     *
     * @param index      0-based position among weight-carrying layers, input side first
     * @param key        DL4J layer name: parameter prefix ({@code key + "_W"} is the weight matrix) and the key of
     *                   the layer's output in {@link #activations(INDArray)}
     * @param kind       dense, conv, lstm, batchnorm or output (a user network's other weight-carrying layers: the
     *                   DL4J layer class's simple name in lower case)
     * @param activation activation name
     * @param param      the DL4J parameter whose gradient, update and norm the statistics describe: {@code W} (the
     *                   weights; for an LSTM the input weights, the recurrent ones being {@code RW}) or {@code gamma}
     *                   for batch normalization
     */
    record LayerInfo(int index, String key, String kind, String activation, String param, boolean frozen) {

        /** A layer that trains (not frozen by fine-tuning). */
        public LayerInfo(int index, String key, String kind, String activation, String param) {
            this(index, key, kind, activation, param, false);
        }

        /** A layer whose statistics describe its weight matrix {@code W}. */
        public LayerInfo(int index, String key, String kind, String activation) {
            this(index, key, kind, activation, "W");
        }

        /** The flat parameter key, e.g. {@code 0_W} or {@code bn1_gamma}. */
        public String weightKey() {
            return key + "_" + param;
        }
    }

    List<LayerInfo> layers();

    /**
     * The DL4J network itself ({@code MultiLayerNetwork} or {@code ComputationGraph}), for export
     * ({@link PortableModel}); trainers use the methods of this interface.
     */
    org.deeplearning4j.nn.api.Model dl4j();

    long numParams();

    void setListeners(TrainingListener... listeners);

    /** One optimization step on one mini-batch. */
    void fit(INDArray features, INDArray labels);

    /**
     * One inference pass: the output of every weight layer by key, and every array the pass created.
     *
     * <p>ND4J frees an array's native buffer only when the garbage collector collects its small Java object, and
     * a large heap collects rarely: a trainer that leaves each epoch's validation pass to the collector holds tens
     * of megabytes of dead native memory per epoch (see BENCHMARKS.md, "Memory per trial"). {@link #close()}
     * frees the pass's arrays at once; use the arrays only before it.
     *
     * @param byKey   as {@link TrainableNetwork#activations(INDArray)}
     * @param created every array of the pass that owns its buffer (layer outputs, batch-norm and vertex outputs),
     *                never the features passed in
     */
    record Activations(Map<String, INDArray> byKey, List<INDArray> created) implements AutoCloseable {

        /** The pass's arrays out of DL4J's list or map of them, leaving out any that shares {@code features}' buffer. */
        static Activations of(Map<String, INDArray> byKey, Iterable<INDArray> all, INDArray features) {
            Set<INDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            List<INDArray> created = new ArrayList<>();
            DataBuffer input = root(features);
            for (INDArray a : all) {
                if (a != null && root(a) != input && seen.add(a)) {
                    created.add(a);
                }
            }
            return new Activations(Collections.unmodifiableMap(new HashMap<>(byKey)), List.copyOf(created));
        }

        /** The buffer that owns {@code a}'s memory: its own, or the one it is a view of (null for an empty array). */
        static DataBuffer root(INDArray a) {
            DataBuffer d = a.data();
            while (d != null && d.originalDataBuffer() != null && d.originalDataBuffer() != d) {
                d = d.originalDataBuffer();
            }
            return d;
        }

        /** Frees each array's native buffer now if ND4J allows it (not a view, not in a workspace, not freed yet). */
        static void free(INDArray... arrays) {
            for (INDArray a : arrays) {
                if (a != null && a.closeable()) {
                    a.close();
                }
            }
        }

        /**
         * Frees the buffer each array owns or is a view of, unless it is in a workspace or a constant. Only for
         * arrays whose whole buffer belongs to the caller, such as a network's flat parameters, which a
         * {@code ComputationGraph} keeps as a view of the row vector it allocated (so DL4J's own {@code close()}
         * leaves it to the garbage collector).
         */
        static void freeWhole(INDArray... arrays) {
            for (INDArray a : arrays) {
                if (a == null || a.wasClosed()) {
                    continue;
                }
                if (a.closeable()) {
                    a.close();
                    continue;
                }
                DataBuffer root = root(a);
                if (root != null && !a.isAttached() && root.closeable()) {
                    root.close();
                }
            }
        }

        /**
         * Frees the native buffers of the pass's arrays. ND4J's own check decides which may be freed: views and
         * workspace arrays are left alone, and a buffer two arrays share is freed once.
         */
        @Override
        public void close() {
            free(created.toArray(new INDArray[0]));
        }
    }

    /**
     * Inference-mode output of every weight layer (before any batch normalization or skip), by layer key; the
     * output layer's entry is the softmax the trainer evaluates the validation split with.
     */
    default Map<String, INDArray> activations(INDArray features) {
        return inferencePass(features).byKey();
    }

    /** As {@link #activations(INDArray)}, with the arrays to free once the caller is done (see {@link Activations}). */
    Activations inferencePass(INDArray features);

    INDArray weights(LayerInfo layer);

    /**
     * Every parameter in one flat array, of which the per-layer parameters ({@link #weights(LayerInfo)}) are views.
     */
    INDArray flatParams();

    /**
     * The flat gradient array that the per-variable gradients are views of: the raw gradient after the backward
     * pass, the applied update after the updater ran. Null before the first fit.
     */
    INDArray flatGradients();

    /** The learning rate in effect now, schedule included. */
    double learningRate();

    /** Replaces the learning rate (and any schedule) of every layer, keeping the updater's state. */
    void setLearningRate(double learningRate);

    /** Marks the end of a pass over the training data, advancing epoch-based learning-rate schedules. */
    void endEpoch();

    /**
     * Frees the network's native memory now: the flat parameters (every layer's weights are views of them), the
     * flat gradients and the updater state. What DL4J's own {@code close()} frees, without its {@code System.gc()}
     * and without touching workspaces. The network is unusable afterwards. A trainer calls it when a trial ends, so
     * a trial's native memory does not wait for a garbage collection.
     */
    @Override
    void close();
}
