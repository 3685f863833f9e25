package io.gradtune.worker.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DL4J's dense and output layers, minus the pre-activations DL4J computes twice per mini-batch; same arithmetic,
 * so training is bit-identical (see {@code FastLayersTest}). The builders use them unless
 * {@code -Dgradtune.fastDense=false}.
 *
 * <p>Why: in DL4J 1.0.0-M2.1, {@code BaseLayer.activate} applies the activation in place on the pre-activation
 * {@code z = xW + b}, so {@code BaseLayer.backpropGradient} calls {@code preOutputWithPreNorm} again to get
 * {@code z} back: for every hidden layer and mini-batch, a second matrix product, a second bias add, and a second
 * transposing copy (the result is created in 'c' order, and {@code mmuli} computes into an 'f' temporary and
 * assigns it). Likewise {@code MultiLayerNetwork} and {@code ComputationGraph}'s {@code computeGradientAndScore}
 * call the output layer's {@code backpropGradient} and then its {@code computeScore}, and each computes the output
 * pre-activation from scratch, from the same input and parameters.
 *
 * <p>What these layers do instead, in training only:
 * <ul>
 *   <li>{@link Dense}: the forward pass computes {@code z} exactly as DL4J does, keeps a copy ('c', like DL4J's)
 *   before the in-place activation, and the backward pass of the same fit uses that copy where DL4J would
 *   recompute {@code z}; the rest of the backward pass is DL4J's, op for op. The copy lives in the
 *   {@code ACTIVATIONS} workspace, which during a fit is {@code WS_ALL_LAYERS_ACT}: open from the forward pass to
 *   the end of the score computation.</li>
 *   <li>{@link Output}: the pre-activation computed by {@code backpropGradient} is copied into the {@code INPUT}
 *   workspace (also {@code WS_ALL_LAYERS_ACT} there) and handed to the {@code computeScore} that follows; the loss
 *   function only reads it (it works on a {@code dup()}).</li>
 * </ul>
 * The values are the ones DL4J would recompute: the same input (dropout is applied to a layer's input once per
 * forward pass, and the backward pass reuses it), the same parameters (the updater runs after both), and the same
 * ops in the same array orders. A kept array is used at most once, and only if the layer's input is still the
 * same array, the iteration and epoch counts are unchanged, and its workspace is still open in the same
 * generation; weight noise, masks and layer normalization (none of which gradtune uses) always take DL4J's path.
 *
 * <p>Both layers also compute their matrix products (training pre-activation, weight gradient, gradient for the
 * layer below) with {@link DirectGemm}: the same OpenBLAS call libnd4j's {@code matmul} op makes, minus the op
 * machinery, and the pre-activation's bias add and kept copy in the same Java pass (unless
 * {@code -Dgradtune.directGemm=false}), and their bias gradient with {@link JavaBiasGradient} (unless
 * {@code -Dgradtune.javaBiasGradient=false}).
 *
 * <p>Not done: creating {@code z} in 'f' order so that {@code mmuli} writes into it directly. It saves one copy
 * but hands 'f' arrays to everything downstream (next layer, batch norm, the backward pass's mixed-order ops): it
 * measured slower than this, and it is not bit-identical with dropout (the next layer's dropout mask is drawn in
 * memory order, so other units are dropped).
 */
final class FastLayers {

    private static final AtomicLong DENSE_REUSED = new AtomicLong();
    private static final AtomicLong DENSE_RECOMPUTED = new AtomicLong();
    private static final AtomicLong OUTPUT_REUSED = new AtomicLong();
    private static final AtomicLong OUTPUT_RECOMPUTED = new AtomicLong();

    private FastLayers() {
    }


    /** {@code built} (a configured DL4J dense layer) as a {@link Dense} with the same configuration. */
    static Dense dense(DenseLayer built) {
        return copyFields(built, new Dense(), DenseLayer.class);
    }

    /** {@code built} (a configured DL4J output layer) as an {@link Output} with the same configuration. */
    static Output output(OutputLayer built) {
        return copyFields(built, new Output(), OutputLayer.class);
    }

    /**
     * DL4J's own configuration class for {@code layer}: a {@link Dense} or {@link Output} as a plain
     * {@link DenseLayer} or {@link OutputLayer} with the same configuration (same parameters, same arithmetic in
     * inference); any other layer as it is. What an exported model holds, so it loads without gradtune.
     */
    static org.deeplearning4j.nn.conf.layers.Layer standard(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof Dense) {
            return copyFields(layer, new DenseLayer.Builder().nIn(1).nOut(1).build(), DenseLayer.class);
        }
        if (layer instanceof Output) {
            return copyFields(layer, new OutputLayer.Builder().nIn(1).nOut(1).build(), OutputLayer.class);
        }
        return layer;
    }

    /** Backward passes of hidden layers, in this JVM, that used the forward pass's {@code z} (tests, diagnostics). */
    static long denseReused() {
        return DENSE_REUSED.get();
    }

    /** Backward passes of hidden layers that recomputed {@code z} as DL4J does (no usable copy). */
    static long denseRecomputed() {
        return DENSE_RECOMPUTED.get();
    }

    /** Training scores of output layers that used the pre-activation of the backward pass. */
    static long outputReused() {
        return OUTPUT_REUSED.get();
    }

    /** Training scores of output layers that recomputed the pre-activation as DL4J does. */
    static long outputRecomputed() {
        return OUTPUT_RECOMPUTED.get();
    }

    /** Copies every instance field DL4J's configuration class {@code type} and its superclasses declare. */
    private static <T> T copyFields(Object from, T to, Class<?> type) {
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("cannot copy DL4J layer configuration field " + f, e);
                }
            }
        }
        return to;
    }

    /** What DL4J's {@code instantiate} does after creating the layer: listeners, index, parameters, configuration. */
    private static Layer wire(Layer layer, org.deeplearning4j.nn.conf.layers.Layer config, NeuralNetConfiguration conf,
                              Collection<TrainingListener> listeners, int index, INDArray paramsView,
                              boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** An array kept from one pass of a layer for a later pass of the same fit, with what it was computed from. */
    private record Kept(INDArray array, INDArray input, int iteration, int epoch, long generation) {

        static Kept of(INDArray array, Layer layer, INDArray input) {
            return new Kept(array, input, layer.getIterationCount(), layer.getEpochCount(), generation(array));
        }

        /** Whether {@code array} is still what the layer would compute now: same input, counts and workspace. */
        boolean usableFor(Layer layer, INDArray currentInput) {
            return currentInput == input && layer.getIterationCount() == iteration
                    && layer.getEpochCount() == epoch && (!array.isAttached() || array.isInScope())
                    && generation(array) == generation;
        }

        private static long generation(INDArray array) {
            MemoryWorkspace ws = array.isAttached() ? array.data().getParentWorkspace() : null;
            return ws == null ? -1 : ws.getGenerationId();
        }
    }

    /** Configuration of a hidden dense layer whose backward pass reuses its forward pass's {@code z}. */
    public static final class Dense extends DenseLayer {

        /** For DL4J's JSON and {@link FastLayers#dense(DenseLayer)}. */
        public Dense() {
        }

        /** As DL4J's {@link DenseLayer#instantiate}, with {@link DenseImpl} for the layer. */
        @Override
        public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                 INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
            LayerValidation.assertNInNOutSet("DenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
            return wire(new DenseImpl(conf, networkDataType), this, conf, listeners, layerIndex, layerParamsView,
                    initializeParams);
        }
    }

    /** Configuration of an output layer whose training score reuses its backward pass's pre-activation. */
    public static final class Output extends OutputLayer {

        /** For DL4J's JSON and {@link FastLayers#output(OutputLayer)}. */
        public Output() {
        }

        /** As DL4J's {@link OutputLayer#instantiate}, with {@link OutputImpl} for the layer. */
        @Override
        public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                                 INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
            LayerValidation.assertNInNOutSet("OutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
            return wire(new OutputImpl(conf, networkDataType), this, conf, listeners, layerIndex, layerParamsView,
                    initializeParams);
        }
    }

    /** DL4J's dense layer, keeping {@code z} from a training forward pass for the backward pass. */
    static final class DenseImpl extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer {

        private Kept z;

        DenseImpl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** No weight noise, mask or layer normalization: the cases whose DL4J paths this layer does not mirror. */
        private boolean plain() {
            return maskArray == null && layerConf().getWeightNoise() == null && !hasLayerNorm();
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            z = null;
            if (!training || !plain()) {
                return super.activate(training, workspaceMgr);
            }
            // BaseLayer.activate, with z copied before the activation overwrites it.
            INDArray[] preAndCopy = directPreOutput(workspaceMgr);
            INDArray pre = preAndCopy != null ? preAndCopy[0] : preOutput(true, workspaceMgr);
            INDArray copy = preAndCopy != null ? preAndCopy[1]
                    : workspaceMgr.dup(ArrayType.ACTIVATIONS, pre, pre.ordering());
            INDArray out = layerConf().getActivationFn().getActivation(pre, true);
            z = Kept.of(copy, this, input);
            return out;
        }

        /**
         * BaseLayer.preOutputWithPreNorm's training path (dropout on the input, {@code z = x W + b} into a 'c'
         * {@code ACTIVATIONS} array) with the product and bias add by {@link DirectGemm#denseForward}, which also
         * fills the copy of {@code z}; {@code {z, copy}}, or null (nothing done) where DL4J's own path must run:
         * direct products off, or an input DL4J would reject (its path then throws DL4J's error).
         */
        private INDArray[] directPreOutput(LayerWorkspaceMgr workspaceMgr) {
            INDArray w0 = getParam("W");
            if (!DirectGemm.enabled() || input == null || input.rank() != 2 || w0 == null
                    || input.columns() != w0.size(0)) {
                return null;
            }
            assertInputSet(false);
            applyDropOutIfNecessary(true, workspaceMgr);
            INDArray w = getParamWithNoise("W", true, workspaceMgr);
            INDArray b = getParamWithNoise("b", true, workspaceMgr);
            INDArray x = input.castTo(w.dataType());
            long[] shape = {x.size(0), w.size(1)};
            INDArray pre = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), shape, 'c');
            INDArray copy = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), shape, 'c');
            if (DirectGemm.denseForward(x, w, hasBias() ? b : null, pre, copy)) {
                return new INDArray[]{pre, copy};
            }
            x.mmuli(w, pre);
            if (hasBias()) {
                pre.addiRowVector(b);
            }
            copy.assign(pre);
            return new INDArray[]{pre, copy};
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            Kept kept = z;
            z = null;
            boolean dropoutPending = layerConf().getIDropout() != null && !isDropoutApplied();
            if (kept == null || !plain() || dropoutPending || !kept.usableFor(this, input)) {
                DENSE_RECOMPUTED.incrementAndGet();
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            DENSE_REUSED.incrementAndGet();
            // BaseLayer.backpropGradient from the activation's derivative on, with the kept z.
            assertInputSet(true);
            INDArray delta = JavaActivations.backprop(layerConf().getActivationFn(), kept.array(), epsilon);
            Gradient gradient = new DefaultGradient();
            if (hasBias()) {
                INDArray biasGrad = gradientViews.get("b");
                if (!JavaBiasGradient.sumRows(delta, biasGrad)) {
                    delta.sum(biasGrad, 0);
                }
                gradient.gradientForVariable().put("b", biasGrad);
            }
            INDArray w = getParamWithNoise("W", true, workspaceMgr);
            INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[]{w.size(0), delta.size(0)}, 'f');
            if (!DirectGemm.gemm(w, delta, epsilonNext, false, true)) {
                epsilonNext = w.mmuli(delta.transpose(), epsilonNext);
            }
            epsilonNext = epsilonNext.transpose();
            INDArray weightGrad = gradientViews.get("W");
            INDArray x = input.castTo(weightGrad.dataType());
            if (!DirectGemm.gemm(x, delta, weightGrad, true, false)) {
                Nd4j.gemm(x, delta, weightGrad, true, false, 1.0, 0.0);
            }
            gradient.gradientForVariable().put("W", weightGrad);
            weightNoiseParams.clear();
            epsilonNext = backpropDropOutIfPresent(epsilonNext);
            return new Pair<>(gradient, epsilonNext);
        }

        @Override
        public void clear() {
            super.clear();
            z = null;
        }
    }

    /** DL4J's output layer, computing the training pre-activation once for gradient and score. */
    static final class OutputImpl extends org.deeplearning4j.nn.layers.OutputLayer {

        private boolean inBackprop;
        private boolean inScore;
        private Kept preOut;

        OutputImpl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** No weight noise (drawn anew per call), mask or dropout: the cases this layer leaves to DL4J. */
        private boolean plain() {
            return maskArray == null && layerConf().getWeightNoise() == null && layerConf().getIDropout() == null;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            preOut = null;
            inBackprop = true;
            try {
                if (DirectGemm.enabled() && plain()) {
                    return directBackpropGradient(workspaceMgr);
                }
                return super.backpropGradient(epsilon, workspaceMgr);
            } finally {
                inBackprop = false;
            }
        }

        /**
         * BaseOutputLayer.backpropGradient and its getGradientsAndDelta, op for op, with the pre-activation and the
         * two products by {@link DirectGemm} (each falls back to ND4J's op where its arrays do not qualify).
         */
        private Pair<Gradient, INDArray> directBackpropGradient(LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            INDArray pre = preOutput2d(true, workspaceMgr);
            // getGradientsAndDelta
            INDArray labels2d = getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM);
            INDArray delta = layerConf().getLossFn().computeGradient(labels2d, pre, layerConf().getActivationFn(),
                    maskArray);
            Gradient gradient = new DefaultGradient();
            INDArray weightGradView = gradientViews.get("W");
            INDArray x = input.castTo(weightGradView.dataType());
            if (!DirectGemm.gemm(x, delta, weightGradView, true, false)) {
                Nd4j.gemm(x, delta, weightGradView, true, false, 1.0, 0.0);
            }
            gradient.gradientForVariable().put("W", weightGradView);
            if (hasBias()) {
                INDArray biasGradView = gradientViews.get("b");
                if (!JavaBiasGradient.sumRows(delta, biasGradView)) {
                    delta.sum(biasGradView, 0);
                }
                gradient.gradientForVariable().put("b", biasGradView);
            }
            delta = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, delta);
            // backpropGradient
            INDArray w = getParamWithNoise("W", true, workspaceMgr);
            INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[]{w.size(0), delta.size(0)}, 'f');
            if (!DirectGemm.gemm(w, delta, epsilonNext, false, true)) {
                epsilonNext = w.mmuli(delta.transpose(), epsilonNext);
            }
            epsilonNext = epsilonNext.transpose();
            epsilonNext = backpropDropOutIfPresent(epsilonNext);
            return new Pair<>(gradient, epsilonNext);
        }

        /**
         * BaseLayer.preOutputWithPreNorm's training path with {@link DirectGemm#denseForward}, the copy for the
         * score in the {@code INPUT} workspace; null (nothing done) where DL4J's own path must run.
         */
        private INDArray[] directPreOutput(LayerWorkspaceMgr workspaceMgr) {
            INDArray w0 = getParam("W");
            if (!DirectGemm.enabled() || input == null || input.rank() != 2 || w0 == null
                    || input.columns() != w0.size(0)) {
                return null;
            }
            assertInputSet(false);
            applyDropOutIfNecessary(true, workspaceMgr);
            INDArray w = getParamWithNoise("W", true, workspaceMgr);
            INDArray b = getParamWithNoise("b", true, workspaceMgr);
            INDArray x = input.castTo(w.dataType());
            long[] shape = {x.size(0), w.size(1)};
            INDArray pre = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), shape, 'c');
            INDArray copy = workspaceMgr.createUninitialized(ArrayType.INPUT, w.dataType(), shape, 'c');
            if (DirectGemm.denseForward(x, w, hasBias() ? b : null, pre, copy)) {
                return new INDArray[]{pre, copy};
            }
            x.mmuli(w, pre);
            if (hasBias()) {
                pre.addiRowVector(b);
            }
            copy.assign(pre);
            return new INDArray[]{pre, copy};
        }

        @Override
        public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
            inScore = training;
            try {
                return super.computeScore(fullNetRegTerm, training, workspaceMgr);
            } finally {
                inScore = false;
                preOut = null;
            }
        }

        @Override
        protected INDArray preOutput2d(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (inBackprop && training && plain()) {
                INDArray[] preAndCopy = directPreOutput(workspaceMgr);
                if (preAndCopy != null) {
                    preOut = Kept.of(preAndCopy[1], this, input);
                    return preAndCopy[0];
                }
                INDArray pre = super.preOutput2d(true, workspaceMgr);
                preOut = Kept.of(workspaceMgr.dup(ArrayType.INPUT, pre, pre.ordering()), this, input);
                return pre;
            }
            if (inScore) {
                Kept kept = preOut;
                preOut = null;
                if (kept != null && plain() && kept.usableFor(this, input)) {
                    OUTPUT_REUSED.incrementAndGet();
                    return kept.array();
                }
                OUTPUT_RECOMPUTED.incrementAndGet();
            }
            return super.preOutput2d(training, workspaceMgr);
        }

        @Override
        public void clear() {
            super.clear();
            preOut = null;
        }
    }
}
