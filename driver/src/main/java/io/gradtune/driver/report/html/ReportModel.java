package io.gradtune.driver.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one model of report.html: a {@link RunSnapshot} (and optionally another run's, {@code --compare}) as a Jackson
 * tree holding everything the page draws: {@code study} (name, status, objective, budget, wall time, trials by state,
 * best trial and its parameters, test figure, config text), {@code params}, {@code trials} (state, objective, metrics,
 * diagnosis, stop with rule, epoch, reason and evidence, parameters, executor, start/end and timeline lane),
 * {@code curves} (per trial, the epochs of its latest attempt), {@code history} (objective per finished trial in
 * finishing order and best so far), {@code importance} ({@link ParameterImportance}), {@code gradients} (per-layer
 * log10 gradient L2 and update ratio per epoch, dead and saturated fractions; {@code shown}: the best trial, every
 * trial diagnosed with vanishing or exploding gradients and, per their depth, the best healthy trial with as many
 * weight layers; up to {@value #MORE_GRADIENTS} more for the page's selector) and {@code compare}. Non-finite numbers
 * are null.
 */
public final class ReportModel {

    static final ObjectMapper JSON = RunSnapshot.JSON;
    /** Trials beyond the default ones whose layer statistics the gradient view's selector offers. */
    static final int MORE_GRADIENTS = 100;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ReportModel() {
    }

    /** The model of one run, compared with {@code other} when it is not null; {@code live} marks a running view. */
    public static ObjectNode build(RunSnapshot run, RunSnapshot other, boolean live) {
        Run r = new Run(run);
        ObjectNode root = JSON.createObjectNode();
        root.put("generated", Instant.now().toString());
        root.put("live", live);
        root.put("dir", run.dir() == null ? "" : run.dir().toString());
        root.set("study", r.study());
        ArrayNode params = root.putArray("params");
        r.paramNames.forEach(params::add);
        root.set("trials", r.trialsNode());
        root.set("curves", r.curvesNode());
        root.set("history", r.historyNode());
        root.set("importance", r.importanceNode());
        root.set("gradients", r.gradientsNode());
        root.put("epochRecords", run.records().size());
        if (other != null) {
            root.set("compare", compare(r, new Run(other)));
        }
        return root;
    }

    /** One trial as the report sees it. */
    private static final class TrialView {
        String id;
        String state = "QUEUED";
        Double objective;
        Map<String, String> row;
        JsonNode stop;
        Map<String, Object> params = new LinkedHashMap<>();
        String executor = "";
        Long start;
        Long end;
        String diagnosis = "";
        List<String> diagnoses = new ArrayList<>();
        int lane;
        String laneName = "";
        long finishedOrder = Long.MAX_VALUE;
    }

    /** A snapshot read into trials and curves. */
    private static final class Run {
        final RunSnapshot snap;
        final Map<String, TrialView> trials = new TreeMap<>();
        final Map<String, TreeMap<Integer, JsonNode>> curves = new TreeMap<>();
        final List<String> paramNames;
        String metric = "val_accuracy";
        boolean maximize = true;
        String name = "";
        String configText = "";
        Integer maxTrials;
        Integer epochs;
        String algorithm;
        Long startedAt;

        Run(RunSnapshot snap) {
            this.snap = snap;
            this.paramNames = new ArrayList<>(snap.parameterNames());
            readConfig();
            readJournal();
            readTrialsCsv();
            dropFixedParameters();
            readRecords();
            readDiagnoses();
            assignLanes();
        }

        private void readConfig() {
            JsonNode s = snap.study();
            if (s != null) {
                name = s.path("study").asText("");
                configText = s.path("configText").asText("");
                metric = s.path("effective").path("objective").path("metric").asText(metric);
                maximize = !s.path("effective").path("objective").path("direction").asText("maximize").equals("minimize");
                maxTrials = s.path("effective").has("maxTrials") ? s.path("effective").path("maxTrials").asInt() : null;
                epochs = s.path("effective").has("epochs") ? s.path("effective").path("epochs").asInt() : null;
                algorithm = s.path("effective").path("algorithm").asText(null);
                return;
            }
            for (ObjectNode e : snap.journal()) {
                if (e.path("event").asText().equals("study_started")) {
                    JsonNode launch = e.path("launch");
                    String text = launch.path("config_text").asText("");
                    if (!text.isEmpty()) {
                        configText = text;
                    }
                }
            }
            if (!configText.isEmpty()) {
                try {
                    JsonNode c = YAML.readTree(configText);
                    name = c.path("study").asText("");
                    metric = c.path("objective").path("metric").asText(metric);
                    maximize = !c.path("objective").path("direction").asText("maximize").equals("minimize");
                    maxTrials = c.path("search").has("max_trials") ? c.path("search").path("max_trials").asInt() : null;
                    epochs = c.path("training").has("epochs") ? c.path("training").path("epochs").asInt() : null;
                    algorithm = c.path("search").path("algorithm").asText(null);
                } catch (Exception ignored) {
                    // the report still shows the trials; the summary lacks the budget
                }
            }
            if (name.isEmpty() && snap.dir() != null && snap.dir().getFileName() != null) {
                name = snap.dir().getFileName().toString();
            }
        }

        /** Parameters with one value in every trial (fixed ones) say nothing against the objective: left out. */
        private void dropFixedParameters() {
            if (trials.size() < 2) {
                return;
            }
            paramNames.removeIf(p -> trials.values().stream().map(t -> String.valueOf(t.params.get(p)))
                    .distinct().count() < 2);
        }

        private TrialView trial(String id) {
            return trials.computeIfAbsent(id, k -> {
                TrialView t = new TrialView();
                t.id = k;
                return t;
            });
        }

        private void readJournal() {
            long order = 0;
            for (ObjectNode e : snap.journal()) {
                String event = e.path("event").asText();
                Long at = millis(e.path("at").asText(null));
                if (event.equals("study_started") && startedAt == null) {
                    startedAt = at;
                }
                String id = e.path("trial").asText(null);
                if (id == null) {
                    continue;
                }
                TrialView t = trial(id);
                switch (event) {
                    case "trial_created" -> {
                        t.params = JSON.convertValue(e.path("params"), Map.class);
                        t.state = "QUEUED";
                        t.start = null;
                        t.end = null;
                    }
                    case "trial_running" -> {
                        t.state = "RUNNING";
                        t.start = at;
                    }
                    case "stop_decided" -> t.stop = e;
                    case "trial_finished" -> {
                        t.state = e.path("state").asText(t.state);
                        t.end = at;
                        t.finishedOrder = order++;
                        if (e.hasNonNull("stop")) {
                            t.stop = e.path("stop");
                        }
                        if (e.hasNonNull("executor")) {
                            t.executor = e.path("executor").asText();
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        private void readTrialsCsv() {
            for (Map<String, String> row : snap.trials()) {
                TrialView t = trial(row.get("trial_id"));
                t.row = row;
                t.state = row.getOrDefault("state", t.state);
                t.objective = number(row.get("objective"));
                t.diagnosis = row.getOrDefault("diagnosis", "");
                if (!t.diagnosis.isEmpty() && !t.diagnoses.contains(t.diagnosis)) {
                    t.diagnoses.add(t.diagnosis);
                }
                if (!row.getOrDefault("executor", "").isEmpty()) {
                    t.executor = row.get("executor");
                }
                if (t.params.isEmpty()) {
                    for (String p : paramNames) {
                        String v = row.get(p);
                        if (v != null && !v.isEmpty()) {
                            Double d = number(v);
                            t.params.put(p, d != null ? d : v);
                        }
                    }
                }
            }
        }

        private void readRecords() {
            Map<String, Integer> latestAttempt = new HashMap<>();
            for (JsonNode rec : snap.records()) {
                latestAttempt.merge(rec.path("trialId").asText(), rec.path("attempt").asInt(), Math::max);
            }
            for (JsonNode rec : snap.records()) {
                String id = rec.path("trialId").asText();
                if (rec.path("attempt").asInt() != latestAttempt.get(id)) {
                    continue;
                }
                curves.computeIfAbsent(id, k -> new TreeMap<>()).put(rec.path("epoch").asInt(), rec);
                TrialView t = trial(id);
                if (t.executor.isEmpty()) {
                    t.executor = rec.path("executorId").asText("");
                }
                if (t.state.equals("QUEUED")) {
                    t.state = "RUNNING";
                }
            }
            for (Map.Entry<String, TreeMap<Integer, JsonNode>> c : curves.entrySet()) {
                TrialView t = trial(c.getKey());
                JsonNode first = c.getValue().firstEntry().getValue();
                JsonNode last = c.getValue().lastEntry().getValue();
                if (t.start == null && first.has("timestampMillis")) {
                    t.start = first.path("timestampMillis").asLong() - first.path("epochMillis").asLong();
                }
                if (t.end == null && !t.state.equals("RUNNING") && last.has("timestampMillis")) {
                    t.end = last.path("timestampMillis").asLong();
                }
                if (t.objective == null && t.state.equals("RUNNING")) {
                    t.objective = best(c.getValue());
                }
            }
        }

        private Double best(TreeMap<Integer, JsonNode> curve) {
            Double b = null;
            for (JsonNode rec : curve.values()) {
                Double v = metricOf(rec);
                if (v != null && (b == null || (maximize ? v > b : v < b))) {
                    b = v;
                }
            }
            return b;
        }

        Double metricOf(JsonNode rec) {
            return switch (metric) {
                case "val_loss" -> num(rec.path("valLoss"));
                case "val_accuracy" -> num(rec.path("valAccuracy"));
                default -> num(rec.path(camel(metric)));
            };
        }

        private void readDiagnoses() {
            JsonNode s = snap.study();
            if (s == null) {
                return;
            }
            s.path("diagnoses").fields().forEachRemaining(e -> {
                TrialView t = trial(e.getKey());
                for (JsonNode k : e.getValue().path("all")) {
                    if (!t.diagnoses.contains(k.asText())) {
                        t.diagnoses.add(k.asText());
                    }
                }
                if (e.getValue().hasNonNull("stop")) {
                    t.stop = e.getValue().path("stop");
                }
            });
        }

        /** Lanes per executor: each trial takes the first lane of its executor that is free at its start. */
        private void assignLanes() {
            List<TrialView> timed = trials.values().stream().filter(t -> t.start != null)
                    .sorted(Comparator.comparingLong(t -> t.start)).toList();
            Map<String, List<Long>> laneEnds = new LinkedHashMap<>();
            for (TrialView t : timed) {
                String exec = t.executor.isEmpty() ? "?" : t.executor;
                List<Long> ends = laneEnds.computeIfAbsent(exec, k -> new ArrayList<>());
                int lane = -1;
                for (int i = 0; i < ends.size(); i++) {
                    if (ends.get(i) != Long.MAX_VALUE && ends.get(i) <= t.start) {
                        lane = i;
                        break;
                    }
                }
                if (lane < 0) {
                    ends.add(0L);
                    lane = ends.size() - 1;
                }
                ends.set(lane, t.end == null ? Long.MAX_VALUE : t.end);
                t.lane = lane;
                t.laneName = "executor " + exec + " · slot " + (lane + 1);
            }
        }

        TrialView bestTrial() {
            JsonNode s = snap.study();
            if (s != null && s.path("best").hasNonNull("trialId")) {
                TrialView t = trials.get(s.path("best").path("trialId").asText());
                if (t != null) {
                    return t;
                }
            }
            TrialView best = null;
            for (TrialView t : trials.values()) {
                if (t.objective != null && t.state.equals("COMPLETED")
                        && (best == null || (maximize ? t.objective > best.objective : t.objective < best.objective))) {
                    best = t;
                }
            }
            return best;
        }

        /** Weight layers in the trial's last epoch record (0 without one). */
        private int depth(TrialView t) {
            TreeMap<Integer, JsonNode> c = curves.get(t.id);
            return c == null ? 0 : c.lastEntry().getValue().path("layers").size();
        }

        ObjectNode study() {
            ObjectNode o = JSON.createObjectNode();
            JsonNode s = snap.study();
            o.put("name", name);
            o.put("status", s != null ? s.path("status").asText("finished") : "running");
            o.put("metric", metric);
            o.put("direction", maximize ? "maximize" : "minimize");
            o.put("algorithm", algorithm);
            if (maxTrials != null) {
                o.put("maxTrials", maxTrials);
            }
            if (epochs != null) {
                o.put("epochs", epochs);
            }
            if (s != null && s.path("totals").has("wallSeconds")) {
                o.set("wallSeconds", s.path("totals").path("wallSeconds"));
            } else if (startedAt != null) {
                o.put("wallSeconds", (System.currentTimeMillis() - startedAt) / 1000.0);
            }
            ObjectNode byState = o.putObject("byState");
            for (TrialView t : trials.values()) {
                byState.put(t.state, byState.path(t.state).asInt() + 1);
            }
            TrialView best = bestTrial();
            if (best != null) {
                ObjectNode b = o.putObject("best");
                b.put("trialId", best.id);
                putNum(b, "objective", best.objective);
                b.set("params", JSON.valueToTree(best.params));
                if (best.row != null) {
                    b.put("bestEpoch", best.row.getOrDefault("best_epoch", ""));
                }
            }
            if (s != null && s.hasNonNull("test")) {
                o.set("test", s.path("test"));
            }
            if (s != null && s.hasNonNull("feature_importance")) { // the best model's, insight.BestModelImportance
                o.set("featureImportance", s.path("feature_importance"));
            }
            if (s != null && s.hasNonNull("failure")) {
                o.set("failure", s.path("failure"));
            }
            o.put("configText", configText);
            o.put("epochRecords", snap.records().size());
            return o;
        }

        ArrayNode trialsNode() {
            ArrayNode a = JSON.createArrayNode();
            long t0 = origin();
            for (TrialView t : trials.values()) {
                ObjectNode o = a.addObject();
                o.put("id", t.id);
                o.put("state", t.state);
                putNum(o, "objective", t.objective);
                Map<String, String> row = t.row == null ? Map.of() : t.row;
                putNum(o, "valAccuracy", number(row.get("val_accuracy")));
                putNum(o, "valLoss", number(row.get("val_loss")));
                TreeMap<Integer, JsonNode> curve = curves.get(t.id);
                o.put("epochs", row.containsKey("epochs") ? intOr(row.get("epochs"), 0)
                        : curve == null ? 0 : curve.lastKey());
                o.put("bestEpoch", intOr(row.get("best_epoch"), 0));
                putNum(o, "seconds", number(row.get("seconds")));
                o.put("diagnosis", t.diagnosis);
                ArrayNode all = o.putArray("diagnoses");
                t.diagnoses.forEach(all::add);
                o.put("stopReason", row.getOrDefault("stop_reason", ""));
                o.put("error", row.getOrDefault("error", ""));
                if (t.stop != null) {
                    ObjectNode stop = o.putObject("stop");
                    stop.put("rule", t.stop.path("rule").asText(""));
                    stop.put("epoch", t.stop.path("epoch").asInt());
                    stop.put("reason", t.stop.path("reason").asText(""));
                    stop.set("evidence", t.stop.path("evidence").isMissingNode() ? JSON.createObjectNode()
                            : t.stop.path("evidence"));
                    if (o.path("stopReason").asText().isEmpty()) {
                        o.put("stopReason", stop.path("rule").asText() + "@" + stop.path("epoch").asInt() + ": "
                                + stop.path("reason").asText());
                    }
                }
                o.set("params", JSON.valueToTree(t.params));
                o.put("executor", t.executor);
                if (t.start != null) {
                    o.put("start", (t.start - t0) / 1000.0);
                    long end = t.end != null ? t.end : System.currentTimeMillis();
                    o.put("end", (Math.max(end, t.start) - t0) / 1000.0);
                    o.put("running", t.end == null);
                    o.put("lane", t.laneName);
                }
            }
            return a;
        }

        private long origin() {
            long min = startedAt == null ? Long.MAX_VALUE : startedAt;
            for (TrialView t : trials.values()) {
                if (t.start != null) {
                    min = Math.min(min, t.start);
                }
            }
            return min == Long.MAX_VALUE ? 0 : min;
        }

        ObjectNode curvesNode() {
            ObjectNode o = JSON.createObjectNode();
            for (Map.Entry<String, TreeMap<Integer, JsonNode>> c : curves.entrySet()) {
                ArrayNode a = o.putArray(c.getKey());
                for (JsonNode rec : c.getValue().values()) {
                    ObjectNode p = a.addObject();
                    p.put("epoch", rec.path("epoch").asInt());
                    putNum(p, "trainLoss", num(rec.path("trainLoss")));
                    putNum(p, "valLoss", num(rec.path("valLoss")));
                    putNum(p, "valAccuracy", num(rec.path("valAccuracy")));
                    putNum(p, "objective", metricOf(rec));
                }
            }
            return o;
        }

        ArrayNode historyNode() {
            ArrayNode a = JSON.createArrayNode();
            List<TrialView> done = trials.values().stream()
                    .filter(t -> t.objective != null && !t.state.equals("RUNNING") && !t.state.equals("QUEUED"))
                    .sorted(Comparator.<TrialView>comparingLong(t -> t.finishedOrder).thenComparing(t -> t.id)).toList();
            Double best = null;
            int n = 0;
            for (TrialView t : done) {
                if (t.state.equals("COMPLETED") && (best == null || (maximize ? t.objective > best : t.objective < best))) {
                    best = t.objective;
                }
                ObjectNode o = a.addObject();
                o.put("n", ++n);
                o.put("trial", t.id);
                o.put("state", t.state);
                putNum(o, "objective", t.objective);
                putNum(o, "best", best);
            }
            return a;
        }

        ObjectNode importanceNode() {
            ObjectNode o = JSON.createObjectNode();
            o.put("method", ParameterImportance.METHOD);
            List<Map<String, Object>> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (TrialView t : trials.values()) {
                if (t.state.equals("COMPLETED") && t.objective != null) {
                    xs.add(t.params);
                    ys.add(t.objective);
                }
            }
            o.put("trials", xs.size());
            ObjectNode v = o.putObject("values");
            ParameterImportance.of(paramNames, xs, ys, 0L).forEach(v::put);
            return o;
        }

        ArrayNode gradientsNode() {
            ArrayNode a = JSON.createArrayNode();
            TrialView best = bestTrial();
            List<TrialView> shown = new ArrayList<>();
            Map<TrialView, String> roles = new HashMap<>();
            if (best != null) {
                shown.add(best);
                roles.put(best, "best");
            }
            java.util.Set<Integer> diagnosedDepths = new java.util.TreeSet<>();
            for (TrialView t : trials.values()) {
                String kind = t.diagnoses.stream().filter(d -> d.startsWith("VANISHING") || d.startsWith("EXPLODING"))
                        .findFirst().orElse(null);
                if (t != best && kind != null) {
                    shown.add(t);
                    roles.put(t, kind);
                    diagnosedDepths.add(depth(t));
                }
            }
            // Like for like: per depth of a diagnosed trial, the best healthy trial with as many weight layers.
            for (int d : diagnosedDepths) {
                TrialView ref = null;
                for (TrialView t : trials.values()) {
                    if (t.state.equals("COMPLETED") && t.objective != null && depth(t) == d && !roles.containsKey(t)
                            && (t.diagnoses.isEmpty() || t.diagnoses.equals(List.of("HEALTHY")))
                            && (ref == null || (maximize ? t.objective > ref.objective : t.objective < ref.objective))) {
                        ref = t;
                    }
                }
                if (ref != null) {
                    shown.add(1, ref);
                    roles.put(ref, "best healthy with " + d + " weight layers");
                }
            }
            if (shown.isEmpty() && !curves.isEmpty()) { // live, nothing finished yet: the latest trial
                TrialView latest = trial(curves.keySet().stream().reduce((x, y) -> y).orElseThrow());
                shown.add(latest);
                roles.put(latest, "latest");
            }
            List<TrialView> all = new ArrayList<>(shown);
            for (String id : curves.keySet()) { // the selector's: at most MORE_GRADIENTS more, the page stays small
                if (!all.contains(trials.get(id)) && all.size() < shown.size() + MORE_GRADIENTS) {
                    all.add(trials.get(id));
                }
            }
            for (TrialView t : all) {
                TreeMap<Integer, JsonNode> curve = curves.get(t.id);
                if (curve == null) {
                    continue;
                }
                ObjectNode g = a.addObject();
                g.put("trial", t.id);
                g.put("role", roles.getOrDefault(t, t.diagnosis.isEmpty() ? t.state : t.diagnosis));
                g.put("shown", shown.contains(t));
                g.set("params", JSON.valueToTree(t.params));
                ArrayNode layers = g.putArray("layers");
                JsonNode lastRec = curve.lastEntry().getValue();
                for (JsonNode l : lastRec.path("layers")) {
                    layers.add(l.path("kind").asText("") + " " + l.path("name").asText(String.valueOf(l.path("index").asInt()))
                            + (l.hasNonNull("activation") ? " (" + l.path("activation").asText() + ")" : ""));
                }
                ArrayNode epochsNode = g.putArray("epochs");
                ArrayNode grad = g.putArray("gradL2");
                ArrayNode ratio = g.putArray("updateRatio");
                int e = 0;
                for (JsonNode rec : curve.values()) {
                    epochsNode.add(rec.path("epoch").asInt());
                    int li = 0;
                    for (JsonNode l : rec.path("layers")) {
                        grad.addArray().add(e).add(li).add(log10(num(l.path("gradL2"))));
                        ratio.addArray().add(e).add(li).add(log10(num(l.path("updateRatio"))));
                        li++;
                    }
                    e++;
                }
                ArrayNode dead = g.putArray("dead");
                ArrayNode saturated = g.putArray("saturated");
                for (JsonNode l : lastRec.path("layers")) {
                    putNum(dead, num(l.path("deadFraction")));
                    putNum(saturated, num(l.path("saturatedFraction")));
                }
            }
            return a;
        }
    }

    private static ObjectNode compare(Run now, Run then) {
        ObjectNode o = JSON.createObjectNode();
        o.put("otherDir", then.snap.dir() == null ? "" : then.snap.dir().toString());
        o.put("otherStudy", then.name);
        TrialView bNow = now.bestTrial();
        TrialView bThen = then.bestTrial();
        o.set("bestNow", bestNode(bNow));
        o.set("bestThen", bestNode(bThen));
        ArrayNode moved = o.putArray("moved");
        if (bNow != null && bThen != null) {
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(bThen.params.keySet());
            names.addAll(bNow.params.keySet());
            for (String p : names) {
                Object a = bThen.params.get(p);
                Object b = bNow.params.get(p);
                if (a == null ? b != null : !a.equals(b)) {
                    ObjectNode m = moved.addObject();
                    m.put("param", p);
                    m.put("then", a == null ? "(inactive)" : String.valueOf(a));
                    m.put("now", b == null ? "(inactive)" : String.valueOf(b));
                }
            }
            if (bNow.objective != null && bThen.objective != null) {
                o.put("delta", bNow.objective - bThen.objective);
            }
        }
        return o;
    }

    private static JsonNode bestNode(TrialView t) {
        ObjectNode o = JSON.createObjectNode();
        if (t == null) {
            return o;
        }
        o.put("trialId", t.id);
        putNum(o, "objective", t.objective);
        o.set("params", JSON.valueToTree(t.params));
        return o;
    }

    static Double num(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        double d = n.isNumber() ? n.asDouble() : number(n.asText());
        return Double.isFinite(d) ? d : null;
    }

    static Double number(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double log10(Double v) {
        return v == null || v <= 0 ? null : Math.log10(v);
    }

    private static int intOr(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void putNum(ObjectNode o, String key, Double v) {
        if (v == null) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static void putNum(ArrayNode a, Double v) {
        if (v == null) {
            a.addNull();
        } else {
            a.add(v);
        }
    }

    private static Long millis(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
