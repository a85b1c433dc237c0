//! Parquet: rows gathered into Arrow record batches of [`BATCH_ROWS`] and handed to the `parquet`
//! crate's Arrow writer, which closes a row group every [`ROW_GROUP_ROWS`] rows.
//!
//! So an export holds at most one row group's encoded pages and one batch of rows, whatever the
//! corpus size (`newslens bench export` measures it). Types map one to one: text → `Utf8`,
//! integers → `Int64`, floats → `Float64`, booleans → `Boolean`, timestamps →
//! `Timestamp(Microsecond, "UTC")`, lists → `List<Utf8>` / `List<Int64>`; nullable columns are
//! nullable fields. Pages are Snappy-compressed, which pyarrow, DuckDB, polars, Spark and R's
//! arrow all read.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::columns::{Column, ColumnType, Value};
use crate::{ExportError, Result, RowSink};

/// Rows gathered before they are handed to the writer as one record batch.
pub const BATCH_ROWS: usize = 4096;
/// Rows per row group: 64 Ki rows of quotes are a few MB of pages.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The Arrow schema of a table.
pub fn schema(columns: &[Column]) -> SchemaRef {
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|column| Field::new(column.name, data_type(column.kind), column.nullable))
            .collect::<Vec<_>>(),
    ))
}

fn data_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Int => DataType::Int64,
        ColumnType::Float => DataType::Float64,
        ColumnType::Bool => DataType::Boolean,
        ColumnType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        ColumnType::TextList => {
            DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
        }
        ColumnType::IntList => {
            DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true)))
        }
    }
}

/// One column being filled.
enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Timestamp(TimestampMicrosecondBuilder),
    TextList(ListBuilder<StringBuilder>),
    IntList(ListBuilder<Int64Builder>),
}

impl Builder {
    fn new(kind: ColumnType) -> Builder {
        match kind {
            ColumnType::Text => Builder::Text(StringBuilder::new()),
            ColumnType::Int => Builder::Int(Int64Builder::new()),
            ColumnType::Float => Builder::Float(Float64Builder::new()),
            ColumnType::Bool => Builder::Bool(BooleanBuilder::new()),
            ColumnType::Timestamp => {
                Builder::Timestamp(TimestampMicrosecondBuilder::new().with_timezone("UTC"))
            }
            ColumnType::TextList => Builder::TextList(ListBuilder::new(StringBuilder::new())),
            ColumnType::IntList => Builder::IntList(ListBuilder::new(Int64Builder::new())),
        }
    }

    /// Appends a value; `false` if it is not of the column's type (a bug in `tables.rs`).
    fn append(&mut self, value: Value) -> bool {
        match (self, value) {
            (Builder::Text(builder), Value::Text(text)) => builder.append_value(text),
            (Builder::Text(builder), Value::Null) => builder.append_null(),
            (Builder::Int(builder), Value::Int(int)) => builder.append_value(int),
            (Builder::Int(builder), Value::Null) => builder.append_null(),
            (Builder::Float(builder), Value::Float(float)) => builder.append_value(float),
            (Builder::Float(builder), Value::Null) => builder.append_null(),
            (Builder::Bool(builder), Value::Bool(flag)) => builder.append_value(flag),
            (Builder::Bool(builder), Value::Null) => builder.append_null(),
            (Builder::Timestamp(builder), Value::Timestamp(micros)) => builder.append_value(micros),
            (Builder::Timestamp(builder), Value::Null) => builder.append_null(),
            (Builder::TextList(builder), Value::TextList(texts)) => {
                for text in texts {
                    builder.values().append_value(text);
                }
                builder.append(true);
            }
            (Builder::IntList(builder), Value::IntList(ints)) => {
                builder.values().append_slice(&ints);
                builder.append(true);
            }
            _ => return false,
        }
        true
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(builder) => Arc::new(builder.finish()),
            Builder::Int(builder) => Arc::new(builder.finish()),
            Builder::Float(builder) => Arc::new(builder.finish()),
            Builder::Bool(builder) => Arc::new(builder.finish()),
            Builder::Timestamp(builder) => Arc::new(builder.finish()),
            Builder::TextList(builder) => Arc::new(builder.finish()),
            Builder::IntList(builder) => Arc::new(builder.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Builder::Text(builder) => builder.len(),
            Builder::Int(builder) => builder.len(),
            Builder::Float(builder) => builder.len(),
            Builder::Bool(builder) => builder.len(),
            Builder::Timestamp(builder) => builder.len(),
            Builder::TextList(builder) => builder.len(),
            Builder::IntList(builder) => builder.len(),
        }
    }
}

/// Writes rows as a Parquet file.
pub struct Parquet<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    columns: &'static [Column],
    builders: Vec<Builder>,
}

impl<W: Write + Send> Parquet<W> {
    /// A Parquet file of a table with these columns, written to `out`.
    pub fn new(out: W, columns: &'static [Column]) -> Result<Parquet<W>> {
        let schema = schema(columns);
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("newslens {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))
            .map_err(ExportError::Parquet)?;
        Ok(Parquet {
            writer,
            schema,
            columns,
            builders: columns
                .iter()
                .map(|column| Builder::new(column.kind))
                .collect(),
        })
    }

    fn flush_batch(&mut self) -> Result<()> {
        if self
            .builders
            .first()
            .is_none_or(|builder| builder.len() == 0)
        {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|error| ExportError::Parquet(error.into()))?;
        self.writer.write(&batch).map_err(ExportError::Parquet)
    }
}

impl<W: Write + Send> RowSink for Parquet<W> {
    fn write_row(&mut self, row: Vec<Value>) -> Result<()> {
        for ((builder, column), value) in self.builders.iter_mut().zip(self.columns).zip(row) {
            if !builder.append(value) {
                return Err(ExportError::Column(column.name));
            }
        }
        if self.builders[0].len() >= BATCH_ROWS {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush_batch()?;
        let mut out = self.writer.into_inner().map_err(ExportError::Parquet)?;
        out.flush().map_err(ExportError::Write)
    }
}
