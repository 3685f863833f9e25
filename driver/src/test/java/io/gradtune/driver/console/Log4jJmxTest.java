package io.gradtune.driver.console;

import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The driver's {@code log4j2.component.properties} turns Log4j's JMX MBeans off: Spark and the embedded broker start
 * logging on parallel threads, whose concurrent MBean registrations printed "Could not register mbeans" with a stack
 * trace to the user's console.
 */
class Log4jJmxTest {

    @Test
    void startingALoggerContextRegistersNoMBeans() throws Exception {
        LoggerContext context = new LoggerContext("gradtune-jmx-test", null, (URI) null);
        try {
            context.start();
            assertEquals(0, ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.apache.logging.log4j2:*"), null).size(),
                    "Log4j registered MBeans: log4j2.disableJmx is not in effect");
        } finally {
            context.stop();
        }
    }
}
