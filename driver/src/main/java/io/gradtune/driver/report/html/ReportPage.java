package io.gradtune.driver.report.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one page renderer: a {@link ReportModel} as a single self-contained HTML file. ECharts is inlined from its
 * Maven Central webjar ({@code org.webjars.npm:echarts}), the page's own script and styles from this package's
 * resources, and the model as a {@code <script type="application/json">} block with {@code <}, {@code >} and
 * {@code &} escaped, so no text in the data can close the block. Nothing is fetched when the page is viewed; a live
 * page (the model's {@code live}) polls {@code data.json} from the server that served it.
 */
public final class ReportPage {

    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static volatile String assets;

    private ReportPage() {
    }

    /** The whole page. */
    public static String render(ObjectNode model) {
        String name = model.path("study").path("name").asText("study");
        StringBuilder b = new StringBuilder(1_200_000);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>gradtune report: ").append(escapeHtml(name)).append("</title>\n<style>")
                .append(resource("report.css")).append("</style></head>\n<body><div id=\"app\"><header id=\"header\">")
                .append("</header><main id=\"content\"></main></div>\n")
                .append("<script type=\"application/json\" id=\"gradtune-data\">").append(json(model))
                .append("</script>\n").append(assets()).append("</body></html>\n");
        return b.toString();
    }

    /** The model as JSON safe inside a script element. */
    public static String json(ObjectNode model) {
        try {
            return escapeScriptJson(ReportModel.JSON.writeValueAsString(model));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON text with {@code <}, {@code >} and {@code &} as unicode escapes (valid JSON, inert in HTML). */
    static String escapeScriptJson(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    private static String assets() {
        String a = assets;
        if (a == null) {
            a = "<script>" + scriptSafe(read(ECHARTS)) + "</script>\n<script>" + scriptSafe(resource("report.js"))
                    + "</script>\n";
            assets = a;
        }
        return a;
    }

    private static String scriptSafe(String js) {
        return js.replace("</script", "<\\/script");
    }

    static String resource(String name) {
        return read("/io/gradtune/driver/report/html/" + name);
    }

    private static String read(String path) {
        try (InputStream in = ReportPage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (the echarts webjar or the report's own "
                        + "script is not on the class path)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
