package io.gradtune.driver.report;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParquetFileTest {

    private static final StructType INNER = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("name", DataTypes.StringType, true);
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("n", DataTypes.IntegerType, false)
            .add("big", DataTypes.LongType, true)
            .add("x", DataTypes.DoubleType, true)
            .add("ok", DataTypes.BooleanType, true)
            .add("layers", DataTypes.createArrayType(INNER, false), false);

    @TempDir
    Path dir;

    @Test
    void theSchemaIsTheOneSparkWrites() {
        // as Spark 3.5 writes EpochsTable's kind of schema (read from a file it wrote): required for non-nullable
        // fields, UTF8 strings, three-level lists named list/element
        MessageType expected = MessageTypeParser.parseMessageType("""
                message spark_schema {
                  optional binary id (STRING);
                  required int32 n;
                  optional int64 big;
                  optional double x;
                  optional boolean ok;
                  required group layers (LIST) {
                    repeated group list {
                      required group element {
                        required int32 index;
                        optional binary name (STRING);
                      }
                    }
                  }
                }""");
        assertEquals(expected, ParquetFile.messageType(SCHEMA));
    }

    @Test
    void rowsReadBackWithTheirValuesNullsAndLists() throws Exception {
        List<Row> rows = List.of(
                RowFactory.create("t0001", 1, 7L, 0.5, true, List.of(RowFactory.create(0, "dense"),
                        RowFactory.create(1, null))),
                RowFactory.create(null, 2, null, null, null, List.of()));
        Path file = dir.resolve("t.parquet");
        ParquetFile.write(new SparkTable(SCHEMA, rows), file);
        try (Stream s = new Stream(file)) {
            List<Group> read = s.all();
            assertEquals(2, read.size());
            Group a = read.get(0);
            assertEquals("t0001", a.getString("id", 0));
            assertEquals(1, a.getInteger("n", 0));
            assertEquals(7L, a.getLong("big", 0));
            assertEquals(0.5, a.getDouble("x", 0));
            assertTrue(a.getBoolean("ok", 0));
            Group list = a.getGroup("layers", 0);
            assertEquals(2, list.getFieldRepetitionCount("list"));
            assertEquals("dense", list.getGroup("list", 0).getGroup("element", 0).getString("name", 0));
            assertEquals(1, list.getGroup("list", 1).getGroup("element", 0).getInteger("index", 0));
            assertEquals(0, list.getGroup("list", 1).getGroup("element", 0).getFieldRepetitionCount("name"));
            Group b = read.get(1);
            assertEquals(0, b.getFieldRepetitionCount("id"));
            assertEquals(0, b.getFieldRepetitionCount("big"));
            assertEquals(0, b.getGroup("layers", 0).getFieldRepetitionCount("list"));
        }
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
            FileMetaData meta = r.getFooter().getFileMetaData();
            assertEquals(SCHEMA.json(), meta.getKeyValueMetaData().get(ParquetFile.SPARK_ROW_METADATA));
            assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                    meta.getKeyValueMetaData().get(ParquetFile.SPARK_VERSION_METADATA));
            assertFalse(meta.getKeyValueMetaData().containsKey("writer.model.name"), "as Spark's files");
            assertEquals(CompressionCodecName.SNAPPY, r.getFooter().getBlocks().get(0).getColumns().get(0).getCodec());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no checksum file beside it");
        }
    }

    @Test
    void aNullInANonNullableColumnAndAnExistingFileAreRefused() throws Exception {
        Path file = dir.resolve("bad.parquet");
        assertThrows(IllegalArgumentException.class, () -> ParquetFile.write(new SparkTable(SCHEMA,
                List.of(RowFactory.create("t", null, 1L, 1.0, true, List.of()))), file));
        Path existing = Files.writeString(dir.resolve("x.parquet"), "x");
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> ParquetFile.write(new SparkTable(SCHEMA, List.of()), existing));
        assertFalse(Files.readString(existing).isEmpty());
    }

    /** Every record of a Parquet file, as parquet-hadoop's example reader gives them. */
    private static final class Stream implements AutoCloseable {
        private final ParquetReader<Group> reader;

        Stream(Path file) throws java.io.IOException {
            reader = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toString()))
                    .build();
        }

        List<Group> all() throws java.io.IOException {
            List<Group> out = new ArrayList<>();
            for (Group g = reader.read(); g != null; g = reader.read()) {
                out.add(g);
            }
            return out;
        }

        @Override
        public void close() throws java.io.IOException {
            reader.close();
        }
    }
}
