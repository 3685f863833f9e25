package io.gradtune.worker.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * A network's own gradient whose {@link #gradient()} is the network's flat gradient view itself, not a copy of the
 * view.
 *
 * <p>Why: DL4J 1.0.0-M2.1's {@code DefaultGradient.gradient()} returns a freshly reshaped view on every call, so
 * {@code BaseMultiLayerUpdater.update} never recognises the network's own gradient ({@code gradient.gradient() !=
 * getFlattenedGradientsView()}) and takes its "external gradient" path on every mini-batch: it re-creates the
 * minibatch-division subsets and, for every parameter, two parameter views and two gradient views (for L1/L2 and
 * weight decay, even when there is no regularization). Each view allocates a native shape buffer. Handing the
 * updater this wrapper restores DL4J's standard path, which uses the views it built once; the arithmetic is the
 * same, so training is bit-identical (see {@code DirectUpdatersTest}).
 */
final class NetworkGradient implements Gradient {

    private final Gradient delegate;
    private final INDArray networkView;

    private NetworkGradient(Gradient delegate, INDArray networkView) {
        this.delegate = delegate;
        this.networkView = networkView;
    }

    /**
     * {@code gradient} wrapped so that it reports {@code networkView} as its flat array, when its flat array is
     * exactly that view's memory (same buffer, offset and length); otherwise {@code gradient} unchanged (a truly
     * external gradient keeps DL4J's external path).
     */
    static Gradient of(Gradient gradient, INDArray networkView) {
        if (gradient == null || networkView == null || gradient instanceof NetworkGradient) {
            return gradient;
        }
        INDArray flat = gradient.gradient();
        if (flat == networkView || !sameMemory(flat, networkView)) {
            return gradient;
        }
        return new NetworkGradient(gradient, networkView);
    }

    static boolean sameMemory(INDArray a, INDArray b) {
        return a != null && b != null && a.data().address() == b.data().address() && a.offset() == b.offset()
                && a.length() == b.length() && a.dataType() == b.dataType()
                && (a.length() <= 1 || a.elementWiseStride() == 1 && b.elementWiseStride() == 1);
    }

    @Override
    public INDArray gradient() {
        return networkView;
    }

    @Override
    public Map<String, INDArray> gradientForVariable() {
        return delegate.gradientForVariable();
    }

    @Override
    public INDArray gradient(List<String> order) {
        return delegate.gradient(order);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public INDArray getGradientFor(String variable) {
        return delegate.getGradientFor(variable);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray newGradient) {
        return delegate.setGradientFor(variable, newGradient);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
        return delegate.setGradientFor(variable, gradient, flatteningOrder);
    }

    @Override
    public Character flatteningOrderForVariable(String variable) {
        return delegate.flatteningOrderForVariable(variable);
    }
}
