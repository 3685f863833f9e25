package io.gradtune.driver.report.html;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The live view ({@code --ui-port}): a read-only HTTP server (GET and HEAD only) on a loopback address unless told
 * otherwise. {@code /} is report.html in live mode, which polls {@code /data.json} (the {@link LiveReport}'s model)
 * every second and redraws. Bound by {@link #bind} before the study starts, so a bad or busy port is a usage error.
 */
public final class LiveServer implements AutoCloseable {

    /** A port that cannot be bound: the command exits 2 before anything starts. */
    public static final class BindFailed extends RuntimeException {
        public BindFailed(String message) {
            super(message);
        }
    }

    private final HttpServer server;
    private volatile LiveReport report;

    private LiveServer(HttpServer server) {
        this.server = server;
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving; the page says "starting" until fed. */
    public static LiveServer bind(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new BindFailed("--ui-port " + port + ": not a port; give 1-65535 (or 0 for any free port)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new BindFailed("--ui-host " + host + ": unknown host; give an address of this machine, e.g. 127.0.0.1");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(address, port), 16);
        } catch (IOException e) {
            throw new BindFailed("--ui-port " + port + " on " + host + ": cannot listen (" + e.getMessage()
                    + "); the port is in use or not allowed: choose another --ui-port");
        }
        LiveServer live = new LiveServer(s);
        s.createContext("/", live::handle);
        s.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gradtune-live-view");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return live;
    }

    /** The report it serves from now on. */
    public void feed(LiveReport report) {
        this.report = report;
    }

    /** The address to open, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "read-only: GET only\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            LiveReport r = report;
            switch (path) {
                case "/", "/index.html", "/report.html" -> send(ex, 200, "text/html; charset=utf-8", r == null
                        ? "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"1\"><link rel=\"icon\" "
                        + "href=\"data:,\"><title>gradtune</title></head><body>The study is starting ...</body></html>"
                        : ReportPage.render(r.model()));
                case "/data.json" -> {
                    if (r == null) {
                        send(ex, 503, "application/json", "{}");
                    } else {
                        send(ex, 200, "application/json", ReportModel.JSON.writeValueAsString(r.model()));
                    }
                }
                default -> send(ex, 404, "text/plain", "not found\n");
            }
        } catch (RuntimeException e) {
            // A failed page never reaches the study; the browser shows the error and polls again.
            try {
                send(ex, 500, "text/plain", "cannot build the report: " + e + "\n");
            } catch (IOException | RuntimeException ignored) {
                // the response was already started
            }
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
