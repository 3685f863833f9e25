package io.gradtune.driver.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilterable;
import org.apache.logging.log4j.core.filter.ThresholdFilter;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Captures what every logger of this JVM writes (gradtune, Spark, Kafka clients and an in-process broker, DL4J),
 * at {@code level} or above, into memory until closed. The loggers' levels are lowered to {@code level} meanwhile
 * (the driver's log4j2.properties keeps the libraries at WARN/ERROR), while the console keeps showing WARN and above
 * only. Everything is restored on close.
 */
public final class LogCapture implements AutoCloseable {

    private static final String NAME = "gradtune-log-capture";

    private final LoggerContext context;
    private final StringWriter buffer = new StringWriter();
    private final WriterAppender appender;
    private final Map<LoggerConfig, Level> previousLevels = new LinkedHashMap<>();
    private final Filter consoleFilter = ThresholdFilter.createFilter(Level.WARN, Filter.Result.NEUTRAL,
            Filter.Result.DENY);
    private final AbstractFilterable console;

    private LogCapture(Level level) {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName(NAME).setTarget(buffer)
                .setLayout(PatternLayout.newBuilder().withPattern("%d{HH:mm:ss.SSS} %p %c: %m%n%ex").build()).build();
        appender.start();
        cfg.addAppender(appender);
        Appender consoleAppender = cfg.getAppender("console");
        console = consoleAppender instanceof AbstractFilterable f ? f : null;
        if (console != null) {
            console.addFilter(consoleFilter);
        }
        LoggerConfig root = cfg.getRootLogger();
        previousLevels.put(root, root.getLevel());
        for (LoggerConfig lc : cfg.getLoggers().values()) {
            previousLevels.putIfAbsent(lc, lc.getLevel());
        }
        previousLevels.keySet().forEach(lc -> lc.setLevel(level));
        // Only the root gets the appender: every other logger passes its events up (additivity), so none is doubled.
        root.addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** Starts capturing at {@code level} and above. */
    public static LogCapture start(Level level) {
        return new LogCapture(level);
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (buffer) {
            return buffer.toString();
        }
    }

    @Override
    public void close() {
        Configuration cfg = context.getConfiguration();
        cfg.getRootLogger().removeAppender(NAME);
        previousLevels.forEach(LoggerConfig::setLevel);
        if (console != null) {
            console.removeFilter(consoleFilter);
        }
        context.updateLoggers();
        appender.stop();
    }
}
