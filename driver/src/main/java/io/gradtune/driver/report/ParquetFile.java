package io.gradtune.driver.report;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.example.data.GroupWriter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SparkTable} as one Parquet file with parquet-hadoop's own writer (which Spark brings), without a
 * Spark session or job (issue 14, item 3: the Spark SQL write of two small tables loaded some 6,000 classes and ran
 * code generation in every study). The file is laid out as Spark's Parquet writer lays it out with its default
 * settings: the same Parquet schema (Spark's standard three-level lists, UTF8 strings, required for non-nullable
 * fields), snappy compression, and Spark's row metadata ({@code org.apache.spark.sql.parquet.row.metadata}, the
 * table's schema as JSON), so {@code spark.read().parquet} reads back the same schema and rows, and other readers
 * (pyarrow, pandas, DuckDB) the same columns.
 *
 * <p>Types: boolean, int, long, double, string, arrays (of any of these or of structs) and structs, the types of
 * {@link TrialsTable} and {@link EpochsTable}; any other type is an IllegalArgumentException.
 */
public final class ParquetFile {

    /** The key Spark reads its own schema from. */
    static final String SPARK_ROW_METADATA = "org.apache.spark.sql.parquet.row.metadata";
    /** The key Spark records its version under. */
    static final String SPARK_VERSION_METADATA = "org.apache.spark.version";

    private ParquetFile() {
    }

    /** Writes {@code table} into the new file {@code file} (an existing file is an error). */
    public static void write(SparkTable table, Path file) throws IOException {
        MessageType schema = messageType(table.schema());
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Map<String, String> metadata = Map.of(SPARK_ROW_METADATA, table.schema().json(),
                SPARK_VERSION_METADATA, org.apache.spark.package$.MODULE$.SPARK_VERSION());
        try (ParquetWriter<Group> writer = new Builder(new NewFile(file), schema, metadata)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (Row row : table.rows()) {
                Group g = groups.newGroup();
                fill(g, table.schema(), row);
                writer.write(g);
            }
        }
    }

    /** The Parquet schema Spark writes for {@code schema} (its SparkToParquetSchemaConverter, default settings). */
    static MessageType messageType(StructType schema) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (StructField f : schema.fields()) {
            b.addField(field(f.name(), f.dataType(), f.nullable()));
        }
        return b.named("spark_schema");
    }

    private static Type field(String name, DataType type, boolean nullable) {
        Type.Repetition repetition = nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        if (type.equals(DataTypes.BooleanType)) {
            return Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
        }
        if (type.equals(DataTypes.IntegerType)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
        }
        if (type.equals(DataTypes.LongType)) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
        }
        if (type.equals(DataTypes.DoubleType)) {
            return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
        }
        if (type.equals(DataTypes.StringType)) {
            return Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType())
                    .named(name);
        }
        if (type instanceof ArrayType a) {
            return Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                    .addField(Types.repeatedGroup().addField(field("element", a.elementType(), a.containsNull()))
                            .named("list"))
                    .named(name);
        }
        if (type instanceof StructType s) {
            Types.GroupBuilder<GroupType> g = Types.buildGroup(repetition);
            for (StructField f : s.fields()) {
                g.addField(field(f.name(), f.dataType(), f.nullable()));
            }
            return g.named(name);
        }
        throw new IllegalArgumentException("no Parquet type for column " + name + " of type " + type);
    }

    /** Adds {@code row}'s values to {@code g}, in {@code schema}'s order; a null value is left out. */
    private static void fill(Group g, StructType schema, Row row) {
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            Object v = row.get(i);
            if (v != null) {
                add(g, i, fields[i].dataType(), v);
            } else if (!fields[i].nullable()) {
                throw new IllegalArgumentException("column " + fields[i].name() + " is not nullable but holds null");
            }
        }
    }

    private static void add(Group g, int index, DataType type, Object v) {
        if (type.equals(DataTypes.BooleanType)) {
            g.add(index, (Boolean) v);
        } else if (type.equals(DataTypes.IntegerType)) {
            g.add(index, ((Number) v).intValue());
        } else if (type.equals(DataTypes.LongType)) {
            g.add(index, ((Number) v).longValue());
        } else if (type.equals(DataTypes.DoubleType)) {
            g.add(index, ((Number) v).doubleValue());
        } else if (type.equals(DataTypes.StringType)) {
            g.add(index, v.toString());
        } else if (type instanceof ArrayType a) {
            Group list = g.addGroup(index);
            for (Object e : elements(v)) {
                Group entry = list.addGroup(0);
                if (e != null) {
                    add(entry, 0, a.elementType(), e);
                }
            }
        } else if (type instanceof StructType s) {
            fill(g.addGroup(index), s, (Row) v);
        } else {
            throw new IllegalArgumentException("no Parquet type for " + type);
        }
    }

    private static Iterable<?> elements(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof scala.collection.Seq<?> s) {
            return scala.collection.JavaConverters.seqAsJavaList(s);
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        throw new IllegalArgumentException("not an array value: " + v.getClass().getName());
    }

    /**
     * parquet-hadoop's writer of example {@link Group}s, its write support unnamed as Spark's is (so the footer has no
     * {@code writer.model.name} entry Spark's files lack).
     */
    private static final class Builder extends ParquetWriter.Builder<Group, Builder> {
        private final MessageType schema;
        private final Map<String, String> metadata;

        Builder(OutputFile file, MessageType schema, Map<String, String> metadata) {
            super(file);
            this.schema = schema;
            this.metadata = metadata;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Group> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new WriteSupport<>() {
                private GroupWriter groups;

                @Override
                public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
                    return new WriteContext(schema, metadata);
                }

                @Override
                public void prepareForWrite(RecordConsumer records) {
                    groups = new GroupWriter(records, schema);
                }

                @Override
                public void write(Group record) {
                    groups.write(record);
                }
            };
        }
    }

    /** A new local file as Parquet's output (no Hadoop file system, so no checksum files beside it). */
    private record NewFile(Path path) implements OutputFile {

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            return stream(Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return stream(Files.newOutputStream(path));
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return path.toString();
        }

        private static PositionOutputStream stream(OutputStream out) {
            OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
            return new PositionOutputStream() {
                private long position;

                @Override
                public long getPos() {
                    return position;
                }

                @Override
                public void write(int b) throws IOException {
                    buffered.write(b);
                    position++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    buffered.write(b, off, len);
                    position += len;
                }

                @Override
                public void flush() throws IOException {
                    buffered.flush();
                }

                @Override
                public void close() throws IOException {
                    buffered.close();
                }
            };
        }
    }
}
