package io.gradtune.driver.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package graph of both modules has no cycle: no package imports one that (directly or through others) imports
 * it. Read from the import statements and fully qualified names of the main sources, so a new cycle fails here
 * and not in a later refactoring. docs/architecture.md draws the same graph.
 */
class PackageCyclesTest {

    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.gradtune\\.(?:driver|worker)\\.[a-z]+)\\.[A-Z]");

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        Map<String, Set<String>> graph = graph();
        assertTrue(graph.size() > 10, "sources found: " + graph.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            for (String next : graph.get(start)) {
                List<String> path = pathTo(graph, next, start, new TreeSet<>());
                if (path != null) {
                    List<String> cycle = new ArrayList<>(List.of(start));
                    cycle.addAll(path);
                    cycles.add(String.join(" -> ", cycle));
                }
            }
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    /** The orchestration is the top layer: nothing but the CLI, the Java builder (api) and the benchmarks imports it. */
    @Test
    void onlyTheCliAndTheBenchmarksImportTheOrchestration() throws IOException {
        Map<String, Set<String>> graph = graph();
        for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
            if (e.getValue().contains("io.gradtune.driver.run")) {
                assertTrue(Set.of("io.gradtune.driver.cli", "io.gradtune.driver.bench", "io.gradtune.driver.api")
                        .contains(e.getKey()), e.getKey());
            }
        }
    }

    /** The worker never depends on the driver. */
    @Test
    void theWorkerDoesNotKnowTheDriver() throws IOException {
        graph().forEach((from, to) -> {
            if (from.startsWith("io.gradtune.worker")) {
                assertTrue(to.stream().noneMatch(p -> p.startsWith("io.gradtune.driver")), from + " -> " + to);
            }
        });
    }

    /** A path from {@code from} to {@code to}, or null. */
    private static List<String> pathTo(Map<String, Set<String>> graph, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return new ArrayList<>(List.of(to));
        }
        if (!seen.add(from)) {
            return null;
        }
        for (String next : graph.getOrDefault(from, Set.of())) {
            List<String> rest = pathTo(graph, next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../worker/src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                    Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                    Matcher m = REFERENCE.matcher(Files.readString(f));
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            deps.add(m.group(1));
                        }
                    }
                }
            }
        }
        return graph;
    }
}
