package io.gradtune.worker.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The training-data augmentation of a trial, read from its parameters: Gaussian input noise ({@code noise_std}) and,
 * for image data, random shifts and horizontal flips ({@code augment}, {@code augment_shift}, {@code image_shape}).
 * Applied to training mini-batches only, by the worker's mini-batch loop ({@code train.BatchAugmenter}); validation,
 * test, refit scoring and {@code predict} see the rows as they are.
 *
 * <p>Values: {@code augment} is {@code none} or a {@code +}-joined set of {@link #TRANSFORMS} ({@code shift},
 * {@code flip}, {@code shift+flip}; a YAML list {@code [shift, flip]} in the config is read as {@code shift+flip}).
 * {@code image_shape} is {@code HxW} or {@code HxWxC} (channels default 1; rows are C planes of H x W pixels, row
 * major, as DL4J's {@code InputType.convolutionalFlat} reads them); the config loader sets it from the IDX header for
 * {@code data.format: idx}.
 *
 * @param noiseStd   standard deviation of the noise added to every input value (0 = none)
 * @param shift      random shifts of up to {@code maxShift} pixels in each direction, zero fill
 * @param flip       horizontal flips with probability 1/2
 * @param maxShift   largest shift in pixels
 * @param imageShape {height, width, channels}, or null when the data is not declared as images
 */
public record AugmentParameters(double noiseStd, boolean shift, boolean flip, int maxShift, int[] imageShape) {

    /** The parameter names this record reads. */
    public static final Set<String> KEYS = Set.of("noise_std", "augment", "augment_shift", "image_shape");
    /** Parameters whose config value may be a YAML list (joined into this record's string form). */
    public static final Set<String> LIST_KEYS = Set.of("augment", "image_shape");
    /** The image transforms {@code augment} may name. */
    public static final List<String> TRANSFORMS = List.of("shift", "flip");
    /** Default and largest {@code augment_shift}. */
    public static final int DEFAULT_SHIFT = 2;
    public static final int MAX_SHIFT = 16;

    /** No augmentation. */
    public static final AugmentParameters NONE = new AugmentParameters(0, false, false, DEFAULT_SHIFT, null);

    /** Whether any image transform is on (these need {@link #imageShape}). */
    public boolean imageTransforms() {
        return shift || flip;
    }

    /** Whether training batches are changed at all; false keeps the mini-batch path exactly as without this. */
    public boolean active() {
        return noiseStd > 0 || imageTransforms();
    }

    /**
     * Reads the augmentation parameters of an assignment (others are ignored), with defaults.
     *
     * @throws IllegalArgumentException naming the parameter, the value and the allowed range or values
     */
    public static AugmentParameters from(Map<String, ?> params) {
        double noise = 0;
        Object n = params.get("noise_std");
        if (n != null) {
            try {
                noise = n instanceof Number num ? num.doubleValue() : Double.parseDouble(n.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter 'noise_std' = '" + n + "', expected a number >= 0");
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("parameter 'noise_std' = " + n + ", expected a finite number >= 0 "
                        + "(the standard deviation of the Gaussian noise added to training inputs; 0 = none)");
            }
        }
        Set<String> transforms = transforms(params.get("augment"));
        int maxShift = DEFAULT_SHIFT;
        Object s = params.get("augment_shift");
        if (s != null) {
            double d;
            try {
                d = s instanceof Number num ? num.doubleValue() : Double.parseDouble(s.toString());
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            if (!(d >= 1 && d <= MAX_SHIFT) || d != Math.rint(d)) {
                throw new IllegalArgumentException("parameter 'augment_shift' = " + s + ", expected an integer 1.."
                        + MAX_SHIFT + " (the largest random shift in pixels)");
            }
            maxShift = (int) d;
        }
        int[] shape = imageShape(params.get("image_shape"));
        return new AugmentParameters(noise, transforms.contains("shift"), transforms.contains("flip"), maxShift, shape);
    }

    /** The transforms an {@code augment} value names: {@code none}, {@code shift}, {@code flip}, {@code shift+flip}. */
    static Set<String> transforms(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) {
            return out;
        }
        String v = value.toString().trim().toLowerCase(Locale.ROOT);
        if (v.equals("none") || v.isEmpty()) {
            return out;
        }
        for (String t : v.split("[+,]")) {
            String name = t.trim();
            if (!TRANSFORMS.contains(name)) {
                throw new IllegalArgumentException("parameter 'augment' = '" + value + "': unknown transform '" + name
                        + "', expected none or a list of " + TRANSFORMS + " (e.g. [shift, flip], or shift+flip in a "
                        + "categorical)");
            }
            out.add(name);
        }
        return out;
    }

    /** {@code HxW} or {@code HxWxC} as {height, width, channels}; null for null. */
    static int[] imageShape(Object value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.toString().trim().toLowerCase(Locale.ROOT).split("x");
        List<Integer> dims = new ArrayList<>();
        try {
            for (String p : parts) {
                dims.add(Integer.parseInt(p.trim()));
            }
        } catch (NumberFormatException e) {
            dims.clear();
        }
        if ((dims.size() != 2 && dims.size() != 3) || dims.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("parameter 'image_shape' = '" + value + "', expected [height, width] or "
                    + "[height, width, channels] of positive integers (HxW or HxWxC)");
        }
        return new int[]{dims.get(0), dims.get(1), dims.size() == 3 ? dims.get(2) : 1};
    }

    /** The string form of a config list value of {@link #LIST_KEYS}: {@code shift+flip}, {@code 28x28}. */
    public static String joinList(String key, List<String> items) {
        return String.join(key.equals("image_shape") ? "x" : "+", items);
    }

    /**
     * The image shape checked against the data's width.
     *
     * @throws IllegalArgumentException when an image transform is on and the shape is missing or does not match
     */
    public int[] checkedShape(int numFeatures) {
        if (imageShape == null) {
            throw new IllegalArgumentException("augment: " + (shift ? "shift" : "flip") + " needs image data: set "
                    + "image_shape: [height, width] (training section) for a CSV of pixels, or use data.format: idx");
        }
        int h = imageShape[0];
        int w = imageShape[1];
        int c = imageShape[2];
        if ((long) h * w * c != numFeatures) {
            throw new IllegalArgumentException("image_shape " + h + "x" + w + "x" + c + " has " + ((long) h * w * c)
                    + " values, the data has " + numFeatures + " features per row");
        }
        if (shift && maxShift >= Math.min(h, w)) {
            throw new IllegalArgumentException("parameter 'augment_shift' = " + maxShift + ", expected less than the "
                    + "image's smaller side (" + Math.min(h, w) + ")");
        }
        return imageShape;
    }
}
