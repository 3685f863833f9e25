package io.gradtune.driver.calibration;

import io.gradtune.driver.calibration.CalibrationConfig.Half;
import io.gradtune.driver.calibration.RunLabel.Label;
import io.gradtune.driver.diagnose.DiagnosisKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The calibration set's results as files: one CSV row per configuration and a Markdown summary of the figures
 * docs/stopping.md defines (recall of the gradient rules on VANISHING and EXPLODING, epochs to stop, false stops
 * of HEALTHY trials, per half), plus the diagnoser's view.
 */
final class CalibrationReport {

    private CalibrationReport() {
    }

    static final String CSV_HEADER = "id,half,intent,kind,dataset,seed,params,status,epochs,chance,best_acc,final_acc,"
            + "label,label_clause,grad_stop_rule,grad_stop_epoch,grad_stop_reason,first_divergence,first_exploding,"
            + "first_vanishing,first_plateau,diag_full,diag_at_stop,diag_epoch1,max_grad_l2,min_grad_ratio,"
            + "median_l0_update_ratio,seconds,error";

    static void writeCsv(List<CalibrationResult> results, Path file) throws IOException {
        StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
        for (CalibrationResult r : results) {
            CalibrationConfig c = r.config();
            RuleReplay p = r.replay();
            List<Object> cells = List.of(c.id(), c.half(), c.intent(), c.kind(), c.data(), c.seed(), c.paramsText(),
                    r.status(), r.curve().size(), num(r.chance()), num(r.bestAccuracy()), num(r.finalAccuracy()),
                    r.label().label(), r.label().clause(), p.stopRule(),
                    p.stopped() ? p.gradientStop().epoch() : "", p.stopped() ? p.gradientStop().reason() : "",
                    fire(p, RuleReplay.RULES.get(0)), fire(p, RuleReplay.RULES.get(1)),
                    fire(p, RuleReplay.RULES.get(2)), fire(p, RuleReplay.RULES.get(3)),
                    String.valueOf(p.diagnosisFull()), String.valueOf(p.diagnosisAtStop()),
                    String.valueOf(p.diagnosisEpoch1()), num(r.maxGradL2()), num(r.minGradientRatio()),
                    num(r.medianLayer0UpdateRatio()), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    r.error() == null ? "" : r.error());
            List<String> quoted = new ArrayList<>();
            for (Object cell : cells) {
                quoted.add(csv(String.valueOf(cell)));
            }
            s.append(String.join(",", quoted)).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, s);
    }

    /** The summary in Markdown. */
    static String summary(List<CalibrationResult> results) {
        StringBuilder s = new StringBuilder();
        s.append("### Label counts\n\n| half | EXPLODING | VANISHING | HEALTHY | STUCK | UNDERFITTING | total |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (String half : List.of("tune", "holdout", "all")) {
            List<CalibrationResult> h = half(results, half);
            s.append("| ").append(half);
            for (Label l : Label.values()) {
                s.append(" | ").append(count(h, r -> r.is(l)));
            }
            s.append(" | ").append(h.size()).append(" |\n");
        }
        s.append("\nIntended kind (rows) against label (columns), all configurations:\n\n")
                .append("| intent | EXPLODING | VANISHING | HEALTHY | STUCK | UNDERFITTING |\n")
                .append("|---|---|---|---|---|---|\n");
        for (CalibrationConfig.Intent intent : CalibrationConfig.Intent.values()) {
            s.append("| ").append(intent);
            for (Label l : Label.values()) {
                s.append(" | ").append(count(results, r -> r.config().intent() == intent && r.is(l)));
            }
            s.append(" |\n");
        }

        s.append("\nPer kind of configuration (all): labels, and how many the gradient rules stopped:\n\n")
                .append("| intent / kind | trials | labels | stopped by a gradient rule |\n|---|---|---|---|\n");
        Map<String, List<CalibrationResult>> byKind = new TreeMap<>();
        results.forEach(r -> byKind.computeIfAbsent(r.config().intent() + " / " + r.config().kind(),
                k -> new ArrayList<>()).add(r));
        byKind.forEach((kind, rs) -> {
            Map<Label, Integer> labels = new EnumMap<>(Label.class);
            rs.forEach(r -> labels.merge(r.label().label(), 1, Integer::sum));
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", kind, rs.size(), labels,
                    fraction(count(rs, r -> r.replay().stopped()), rs.size())));
        });

        s.append("\n### Recall of the shipped gradient rules (divergence, exploding_gradients, vanishing_gradients at their defaults, with the dataset's class prior)\n\n")
                .append("| half | label | trials | stopped (any gradient rule) | by the matching rule |"
                        + " epochs to stop: median / max | by rule |\n|---|---|---|---|---|---|---|\n");
        for (Label l : List.of(Label.VANISHING, Label.EXPLODING)) {
            for (String half : List.of("tune", "holdout", "all")) {
                List<CalibrationResult> h = half(results, half).stream().filter(r -> r.is(l)).toList();
                List<Integer> epochs = h.stream().filter(r -> r.replay().stopped())
                        .map(r -> r.replay().gradientStop().epoch()).sorted().toList();
                long stopped = epochs.size();
                long matching = count(h, CalibrationResult::stoppedByMatchingRule);
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s |%n", half, l, h.size(),
                        fraction(stopped, h.size()), fraction(matching, h.size()),
                        epochs.isEmpty() ? "–"
                                : epochs.get((epochs.size() - 1) / 2) + " / " + epochs.get(epochs.size() - 1),
                        byRule(h)));
            }
        }

        s.append("\n### False stops of HEALTHY trials by a gradient rule\n\n")
                .append("| half | HEALTHY trials | stopped | by rule |\n|---|---|---|---|\n");
        for (String half : List.of("tune", "holdout", "all")) {
            List<CalibrationResult> h = half(results, half).stream().filter(r -> r.is(Label.HEALTHY)).toList();
            long stopped = count(h, r -> r.replay().stopped());
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", half, h.size(), fraction(stopped, h.size()),
                    byRule(h)));
        }

        s.append("\n### Diagnoser (primary kind of the full curve, no stop decision) by label, all configurations\n\n");
        for (Label l : Label.values()) {
            Map<DiagnosisKind, Integer> kinds = new EnumMap<>(DiagnosisKind.class);
            results.stream().filter(r -> r.is(l) && r.replay().diagnosisFull() != null)
                    .forEach(r -> kinds.merge(r.replay().diagnosisFull(), 1, Integer::sum));
            s.append("- ").append(l).append(": ").append(kinds.isEmpty() ? "–" : kinds.toString()).append('\n');
        }
        s.append("\nDiagnosis of the first epoch alone (what a trial pruned by ASHA at rung 1 is diagnosed from), "
                + "for trials that never left the chance band (VANISHING, STUCK, and EXPLODING by E3): ");
        Map<DiagnosisKind, Integer> epoch1 = new EnumMap<>(DiagnosisKind.class);
        results.stream().filter(r -> r.is(Label.VANISHING) || r.is(Label.STUCK)
                        || (r.is(Label.EXPLODING) && r.label().clause().startsWith("E3")))
                .filter(r -> r.replay().diagnosisEpoch1() != null)
                .forEach(r -> epoch1.merge(r.replay().diagnosisEpoch1(), 1, Integer::sum));
        s.append(epoch1).append("\n\n### Misses and false stops\n\n");
        for (CalibrationResult r : results) {
            boolean miss = (r.is(Label.VANISHING) || r.is(Label.EXPLODING)) && !r.replay().stopped();
            boolean falseStop = r.is(Label.HEALTHY) && r.replay().stopped();
            if (miss || falseStop) {
                s.append(String.format(Locale.ROOT, "- %s (%s, %s): %s; %s%n", r.config().id(),
                        r.config().half().name().toLowerCase(), r.label().label(), r.label().clause(),
                        falseStop ? "stopped by " + r.replay().stopRule() + " after epoch "
                                + r.replay().gradientStop().epoch() + ": " + r.replay().gradientStop().reason()
                                : "not stopped; best acc " + num(r.bestAccuracy())
                                + ", max gradL2 " + num(r.maxGradL2())
                                + ", min layer-0/output ratio " + num(r.minGradientRatio())
                                + ", median layer-0 update ratio " + num(r.medianLayer0UpdateRatio())));
            }
        }
        return s.toString();
    }

    private static List<CalibrationResult> half(List<CalibrationResult> results, String half) {
        return switch (half) {
            case "tune" -> results.stream().filter(r -> r.config().half() == Half.TUNE).toList();
            case "holdout" -> results.stream().filter(r -> r.config().half() == Half.HOLDOUT).toList();
            default -> results;
        };
    }

    private static long count(List<CalibrationResult> results, Predicate<CalibrationResult> p) {
        return results.stream().filter(p).count();
    }

    private static String byRule(List<CalibrationResult> results) {
        Map<String, Integer> rules = new TreeMap<>();
        results.stream().filter(r -> r.replay().stopped())
                .forEach(r -> rules.merge(r.replay().stopRule(), 1, Integer::sum));
        return rules.isEmpty() ? "–" : rules.toString();
    }

    private static String fraction(long k, int n) {
        return n == 0 ? "–" : String.format(Locale.ROOT, "%d/%d (%.0f %%)", k, n, 100.0 * k / n);
    }

    private static String fire(RuleReplay p, String rule) {
        Integer e = p.firstFire().get(rule);
        return e == null ? "" : e.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String csv(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
