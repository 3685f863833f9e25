package io.gradtune.driver.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradtune.driver.space.CategoricalParameter;
import io.gradtune.driver.space.FixedParameter;
import io.gradtune.driver.space.FloatParameter;
import io.gradtune.driver.space.IntParameter;
import io.gradtune.driver.space.Parameter;
import io.gradtune.driver.space.SearchSpace;
import io.gradtune.worker.data.IdxTableReader;
import io.gradtune.worker.model.AugmentParameters;
import io.gradtune.worker.protocol.DataSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The config side of training-batch augmentation ({@link AugmentParameters}): YAML lists for {@code augment}
 * ({@code [shift, flip]}) and {@code image_shape} ({@code [28, 28]}) read as the parameters' string forms, and the
 * checks that need the data section: image transforms need image data ({@code data.format: idx}, whose header gives
 * {@code image_shape}, or an {@code image_shape} fixed in {@code training} that matches the data's width), and
 * neither augmentation nor the autoencoder front end is supported with data-parallel trials or refits yet.
 */
final class AugmentSection {

    private AugmentSection() {
    }

    /**
     * A list value of {@link AugmentParameters#LIST_KEYS} as the parameter's string form ({@code shift+flip},
     * {@code 28x28}), or null when {@code v} is not a list or {@code n} is not such a parameter's node (or a value
     * inside its {@code values}).
     */
    static String listValue(ConfigNode n, JsonNode v) {
        if (v == null || !v.isArray()) {
            return null;
        }
        String key = null;
        for (String segment : n.path().split("\\.")) {
            if (AugmentParameters.LIST_KEYS.contains(segment)) {
                key = segment;
            }
        }
        if (key == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode() || item.isNull()) {
                throw n.error(ConfigNode.display(v), "expected a list of names or numbers, e.g. [shift, flip] or [28, 28]");
            }
            items.add(item.asText());
        }
        return items.isEmpty() ? "none" : AugmentParameters.joinList(key, items);
    }

    /**
     * The space checked for augmentation, with {@code image_shape} added from the IDX header when image transforms
     * are searched or fixed on idx data without one.
     *
     * @throws ConfigException naming the field: image transforms without image data, an {@code image_shape} that is
     *                         searched or does not match the data, augmentation or an autoencoder with
     *                         {@code training.workers} > 1 or {@code refit.mode: spark}
     */
    static SearchSpace check(SearchSpace space, DataSpec data, StudyConfig.Training training, StudyConfig.Refit refit,
                             ConfigNode root) {
        boolean images = false;
        String transform = null;
        Parameter augment = find(space, "augment");
        if (augment != null) {
            for (Object v : values(augment)) {
                AugmentParameters a = AugmentParameters.from(java.util.Map.of("augment", v));
                if (a.imageTransforms()) {
                    images = true;
                    transform = String.valueOf(v);
                }
            }
        }
        Parameter noise = find(space, "noise_std");
        boolean noisy = noise != null && values(noise).stream().anyMatch(v -> v instanceof Number n
                && n.doubleValue() > 0);
        Parameter autoencoder = find(space, "autoencoder_units");
        boolean encoded = autoencoder != null && !training.userModel();
        String dataParallel = training.workers() > 1 ? "data-parallel trials (training.workers: " + training.workers()
                + ")" : StudyConfig.Refit.SPARK.equals(refit.mode()) ? "a data-parallel refit (refit.mode: spark)"
                : null;
        if ((images || noisy || encoded) && dataParallel != null) {
            String key = images ? "augment" : noisy ? "noise_std" : "autoencoder_units";
            throw node(root, key).error(null, "training-batch augmentation and the autoencoder front end run in the "
                    + "worker's single-task training loop only; with " + dataParallel + " they are not supported "
                    + "yet: remove " + key + ", or train trials and the refit in one task (training.workers: 1, "
                    + "refit.mode: local)");
        }
        Parameter shape = find(space, "image_shape");
        if (shape != null && !(shape instanceof FixedParameter)) {
            throw node(root, "image_shape").error(null, "image_shape describes the data: fix it in training "
                    + "(image_shape: [height, width]), do not search it");
        }
        if (!images) {
            return space;
        }
        int[] idx = "idx".equals(data.format()) && data.path() != null
                ? IdxTableReader.imageSize(Path.of(data.path())) : null;
        if (shape == null) {
            if (idx == null) {
                throw node(root, "augment").error(transform, "image transforms need image data: set training."
                        + "image_shape: [height, width] (or [height, width, channels]) for rows of pixels, or use "
                        + "data.format: idx (its header gives the image size); for other data use noise_std only");
            }
            List<Parameter> params = new ArrayList<>(space.parameters());
            params.add(new FixedParameter("image_shape", idx[0] + "x" + idx[1], null));
            return new SearchSpace(params);
        }
        Object value = ((FixedParameter) shape).value();
        int[] hwc = AugmentParameters.from(java.util.Map.of("image_shape", value)).imageShape();
        long size = (long) hwc[0] * hwc[1] * hwc[2];
        long width = idx != null ? (long) idx[0] * idx[1] : csvWidth(data);
        if (width > 0 && size != width) {
            throw node(root, "image_shape").error(String.valueOf(value), "the image has " + size + " values per row "
                    + "(height x width x channels), the data " + width + " features: give the data's image size");
        }
        return space;
    }

    /** The parameter called {@code name}, or null. */
    private static Parameter find(SearchSpace space, String name) {
        return space.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The values a parameter can take: choices, the fixed value, or a range's ends. */
    private static List<Object> values(Parameter p) {
        if (p instanceof CategoricalParameter c) {
            return c.choices();
        }
        if (p instanceof FixedParameter f) {
            return List.of(f.value());
        }
        if (p instanceof FloatParameter f) {
            return List.of(f.low(), f.high());
        }
        IntParameter i = (IntParameter) p;
        return List.of(i.low(), i.high());
    }

    /** The node that defines parameter {@code name}: in space, else in training. */
    private static ConfigNode node(ConfigNode root, String name) {
        ConfigNode space = root.section("space");
        return space.has(name) ? space.get(name) : root.section("training").get(name);
    }

    /** The feature count of a local csv source (its named feature columns, or header columns but the label), or -1. */
    private static long csvWidth(DataSpec data) {
        if (!"csv".equals(data.format()) || data.path() == null || DataSpec.isUri(data.path())) {
            return -1;
        }
        if (data.featureColumns() != null) {
            return data.featureColumns().size();
        }
        Path file = Path.of(data.path());
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            return header == null ? -1 : header.split(",", -1).length - 1;
        } catch (IOException e) {
            return -1; // the data checks report an unreadable file
        }
    }
}
