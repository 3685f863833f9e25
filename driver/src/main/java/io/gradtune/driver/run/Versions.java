package io.gradtune.driver.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Library and JVM versions recorded in {@code study.json} for provenance (filled in by the Maven build). */
public final class Versions {

    private Versions() {
    }

    public static Map<String, String> all(String sparkRuntimeVersion) {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/gradtune-versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // versions are informative only
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("gradtune", p.getProperty("gradtune", "unknown"));
        out.put("spark", sparkRuntimeVersion);
        out.put("dl4j", p.getProperty("dl4j", "unknown"));
        out.put("kafka", p.getProperty("kafka", "unknown"));
        out.put("scala", p.getProperty("scala", "unknown"));
        out.put("java", System.getProperty("java.version"));
        out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        return out;
    }
}
