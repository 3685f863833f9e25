package io.gradtune.worker.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.atomic.AtomicLong;

/**
 * DL4J's own updaters, fed the network's gradient as the network's flat view so that they take their standard
 * path instead of the per-mini-batch "external gradient" path (see {@link NetworkGradient} for the DL4J
 * 1.0.0-M2.1 behaviour this works around). Installed once per network, right after {@code init()}.
 */
final class DirectUpdaters {

    private static final AtomicLong DIRECT = new AtomicLong();

    private DirectUpdaters() {
    }

    /**
     * Gives {@code net} a {@link Multi} updater and returns it; {@code javaArithmetic}: its blocks use
     * {@link JavaUpdaters}. Call after {@code net.init()}, before training.
     */
    static Multi install(MultiLayerNetwork net, boolean javaArithmetic) {
        Multi updater = new Multi(net, javaArithmetic);
        net.setUpdater(updater);
        return updater;
    }

    /** As {@link #install(MultiLayerNetwork, boolean)}, for a computation graph. */
    static Graph install(ComputationGraph net, boolean javaArithmetic) {
        Graph updater = new Graph(net, javaArithmetic);
        net.setUpdater(updater);
        return updater;
    }

    /**
     * Sets the learning rate of every layer. DL4J does that by replacing the network's updater with a fresh one of
     * its own (carrying over the updater state), so a direct updater is put back the same way.
     */
    static void setLearningRate(MultiLayerNetwork net, double learningRate) {
        boolean direct = net.getUpdater() instanceof Multi;
        boolean java = direct && ((Multi) net.getUpdater()).javaArithmetic;
        net.setLearningRate(learningRate);
        if (direct && !(net.getUpdater() instanceof Multi)) {
            INDArray state = net.getUpdater().getStateViewArray();
            Multi updater = install(net, java);
            if (state != null) {
                updater.setStateViewArray(state);
            }
        }
    }

    /** As {@link #setLearningRate(MultiLayerNetwork, double)}, for a computation graph. */
    static void setLearningRate(ComputationGraph net, double learningRate) {
        boolean direct = net.getUpdater() instanceof Graph;
        boolean java = direct && ((Graph) net.getUpdater()).javaArithmetic;
        net.setLearningRate(learningRate);
        if (direct && !(net.getUpdater() instanceof Graph)) {
            INDArray state = net.getUpdater().getStateViewArray();
            Graph updater = install(net, java);
            if (state != null) {
                updater.setStateViewArray(state);
            }
        }
    }

    /** Updates, in this JVM, that took the standard path (for tests and diagnostics). */
    static long directUpdates() {
        return DIRECT.get();
    }

    private static Gradient direct(Gradient gradient, INDArray networkView) {
        Gradient g = NetworkGradient.of(gradient, networkView);
        if (g != gradient) {
            DIRECT.incrementAndGet();
        }
        return g;
    }

    /** {@code divi(batchSize)} of each array, in Java where {@link JavaUpdaters} can, ND4J's op otherwise. */
    private static void divide(java.util.List<INDArray> arrays, int batchSize) {
        for (INDArray a : arrays) {
            if (!JavaUpdaters.divideByMinibatch(a, batchSize)) {
                a.divi(batchSize);
            }
        }
    }

    /** {@link MultiLayerUpdater} on the standard path. */
    static final class Multi extends MultiLayerUpdater {
        final boolean javaArithmetic;

        Multi(MultiLayerNetwork network, boolean javaArithmetic) {
            super(network);
            this.javaArithmetic = javaArithmetic;
            if (javaArithmetic) {
                JavaUpdaters.install(getUpdaterBlocks());
            }
        }

        @Override
        public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                        LayerWorkspaceMgr workspaceMgr) {
            super.update(direct(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                    workspaceMgr);
        }

        /** DL4J's division of the gradient by the minibatch size, in Java when the arithmetic is Java's. */
        @Override
        protected void divideByMinibatch(boolean isExternal, Gradient gradient, int batchSize) {
            if (!javaArithmetic || isExternal) {
                super.divideByMinibatch(isExternal, gradient, batchSize);
                return;
            }
            if (!initializedMinibatchDivision) {
                gradientsForMinibatchDivision = getMinibatchDivisionSubsets(getFlattenedGradientsView());
                initializedMinibatchDivision = true;
            }
            divide(gradientsForMinibatchDivision, batchSize);
        }
    }

    /** {@link ComputationGraphUpdater} on the standard path. */
    static final class Graph extends ComputationGraphUpdater {
        final boolean javaArithmetic;

        Graph(ComputationGraph graph, boolean javaArithmetic) {
            super(graph);
            this.javaArithmetic = javaArithmetic;
            if (javaArithmetic) {
                JavaUpdaters.install(getUpdaterBlocks());
            }
        }

        @Override
        public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                        LayerWorkspaceMgr workspaceMgr) {
            super.update(direct(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                    workspaceMgr);
        }

        /** DL4J's division of the gradient by the minibatch size, in Java when the arithmetic is Java's. */
        @Override
        protected void divideByMinibatch(boolean isExternal, Gradient gradient, int batchSize) {
            if (!javaArithmetic || isExternal) {
                super.divideByMinibatch(isExternal, gradient, batchSize);
                return;
            }
            if (!initializedMinibatchDivision) {
                gradientsForMinibatchDivision = getMinibatchDivisionSubsets(getFlattenedGradientsView());
                initializedMinibatchDivision = true;
            }
            divide(gradientsForMinibatchDivision, batchSize);
        }
    }
}
