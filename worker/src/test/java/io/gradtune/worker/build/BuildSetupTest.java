package io.gradtune.worker.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build's own setup, which a new user meets first: {@code mvn} from any module directory finds the mirror
 * settings in {@code .mvn/}, and Maven prints no stray colour reset codes when its output is not a terminal.
 */
class BuildSetupTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyModuleDirectorySeesTheRootMavenConfiguration() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    int modules = 0;
    while (module.find()) {
      modules++;
      Path dotMvn = ROOT.resolve(module.group(1)).resolve(".mvn");
      // Maven 3.8 resolves maven.config's --settings=.mvn/settings.xml against the working directory and does not
      // interpolate ${maven.multiModuleProjectDirectory} there; each module's .mvn links to the root's.
      assertTrue(Files.isSymbolicLink(dotMvn), dotMvn + " should be a link to ../.mvn");
      assertEquals(ROOT.resolve(".mvn").toRealPath(), dotMvn.toRealPath(), dotMvn.toString());
      assertTrue(Files.isRegularFile(dotMvn.resolve("settings.xml")), dotMvn + "/settings.xml");
    }
    assertTrue(modules >= 4, "modules found in the root pom: " + modules);
  }

  @Test
  void mavenDoesNotWriteAColourResetAtExit() throws IOException {
    // Jansi 2 (Maven 3.8's console) writes ESC[0m when it uninstalls, also under -B and into pipes; the option must
    // reach the JVM before Maven parses its command line, so it lives in jvm.config, not maven.config.
    List<String> jvmConfig = Files.readAllLines(ROOT.resolve(".mvn/jvm.config"));
    assertTrue(String.join(" ", jvmConfig).contains("-Djansi.noreset=true"), "jvm.config: " + jvmConfig);
  }
}
