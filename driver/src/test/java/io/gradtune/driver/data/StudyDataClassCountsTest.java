package io.gradtune.driver.data;

import io.gradtune.worker.data.SharedData;
import io.gradtune.worker.data.StratifiedSplit;
import io.gradtune.worker.data.Table;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StudyDataClassCountsTest {

    private static Table table(int classes, int... labels) {
        return new Table(List.of("x"), new float[labels.length], labels, classes);
    }

    @Test
    void validationClassCountsCountTheValidationLabelsOverEveryClass() {
        Table train = table(3, 0, 1, 2, 0, 1, 2);
        Table val = table(3, 0, 0, 0, 1);
        SharedData shared = SharedData.of("d", new StratifiedSplit.Parts(train, val, train.select(new int[0])));
        StudyData data = new StudyData(null, shared, 0, "");
        assertArrayEquals(new long[]{3, 1, 0}, data.validationClassCounts());
    }
}
