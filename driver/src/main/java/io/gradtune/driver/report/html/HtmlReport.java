package io.gradtune.driver.report.html;

import io.gradtune.driver.report.AtomicFiles;

import java.nio.file.Path;

/** report.html of a run directory: read it ({@link RunSnapshot}), model it ({@link ReportModel}), render and write. */
public final class HtmlReport {

    /** The file's name in a run directory. */
    public static final String FILE = "report.html";

    private HtmlReport() {
    }

    /**
     * Writes the report of {@code runDir}, compared with {@code compareDir} when not null, atomically to
     * {@code output} (null: {@code runDir/report.html}); returns the file written.
     */
    public static Path write(Path runDir, Path compareDir, Path output) {
        RunSnapshot run = RunSnapshot.read(runDir);
        RunSnapshot other = compareDir == null ? null : RunSnapshot.read(compareDir);
        Path file = output == null ? runDir.resolve(FILE) : output;
        AtomicFiles.write(file, ReportPage.render(ReportModel.build(run, other, false)));
        return file;
    }
}
