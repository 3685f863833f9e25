package io.gradtune.driver.config;

/**
 * A study configuration that cannot be used. The message names the file, the field path, the value and what
 * to do; the CLI prints it and exits with code 2 before any Spark job starts.
 */
public class ConfigException extends RuntimeException {

    private final String file;
    private final String field;

    public ConfigException(String file, String field, Object value, String reason) {
        super(format(file, field, value, reason));
        this.file = file;
        this.field = field;
    }

    private static String format(String file, String field, Object value, String reason) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<config>" : file);
        if (field != null && !field.isEmpty()) {
            sb.append(": field '").append(field).append('\'');
        }
        if (value != null) {
            sb.append(": value ").append(value instanceof String ? "'" + value + "'" : String.valueOf(value));
        }
        sb.append(": ").append(reason);
        return sb.toString();
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
