package io.gradtune.driver.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpaceTextTest {

    @Test
    void eachParameterIsOneAlignedLineWithTypeRangeScaleAndCondition() {
        SearchSpace space = new SearchSpace(List.of(
                new FloatParameter("learning_rate", 1e-4, 1e-1, true, null),
                new CategoricalParameter("activation", List.of("relu", "tanh"), null),
                new FloatParameter("dropout", 0.0, 0.5, false, new Condition("activation", List.of("relu"), null)),
                new IntParameter("layers", 1, 3, false, null),
                new IntParameter("units_3", 16, 256, true, new Condition("layers", null, 3.0)),
                new CategoricalParameter("updater", List.of("adam", "sgd", "nesterovs"),
                        new Condition("activation", List.of("relu", "tanh"), null)),
                new FixedParameter("batch_size", 64, null)));
        assertEquals(List.of(
                "learning_rate  float        [1e-4, 0.1] log",
                "activation     categorical  {relu, tanh}",
                "dropout        float        [0, 0.5]                when activation = relu",
                "layers         int          [1, 3]",
                "units_3        int          [16, 256] log           when layers >= 3",
                "updater        categorical  {adam, sgd, nesterovs}  when activation in {relu, tanh}",
                "batch_size     fixed        64"), SpaceText.lines(space));
    }

    @Test
    void numbersReadAsWritten() {
        assertEquals("1e-4", SpaceText.number(1.0e-4));
        assertEquals("2.5e-5", SpaceText.number(2.5e-5));
        assertEquals("0.03", SpaceText.number(3.0e-2));
        assertEquals("0.001", SpaceText.number(1e-3));
        assertEquals("3", SpaceText.number(3.0));
        assertEquals("-0.5", SpaceText.number(-0.5));
        assertEquals("1e6", SpaceText.number(1e6));
        assertEquals("0", SpaceText.number(0.0));
        assertEquals("0.333333", SpaceText.number(1.0 / 3));
    }

    @Test
    void noRecordDumps() {
        String line = SpaceText.lines(List.of(new FloatParameter("x", 0.1, 0.2, false, null))).get(0);
        assertEquals("x  float  [0.1, 0.2]", line);
    }
}
