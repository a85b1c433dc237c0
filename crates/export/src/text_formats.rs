//! JSON lines and CSV: the two text formats of an export, one row written per call, nothing held.
//!
//! JSON lines write one object per row with the columns as keys, timestamps as RFC 3339 text in
//! UTC and lists as arrays. CSV is RFC 4180 (the `csv` crate: fields with commas, quotes or line
//! breaks are quoted, quotes doubled, lines end in CRLF) with a header row; a list is written as
//! a JSON array in its cell (`["Ann Lee","Bo Park"]`), which spreadsheets show as text and
//! `json.loads` or DuckDB's `from_json` read back.

use std::io::Write;

use crate::columns::{format_timestamp, Column, Value};
use crate::{ExportError, Result, RowSink};

/// Writes rows as JSON lines.
pub struct JsonLines<W: Write> {
    out: W,
    columns: &'static [Column],
    /// The line being written, reused.
    line: Vec<u8>,
}

impl<W: Write> JsonLines<W> {
    /// Rows of a table with these columns, written to `out`.
    pub fn new(out: W, columns: &'static [Column]) -> JsonLines<W> {
        JsonLines {
            out,
            columns,
            line: Vec::new(),
        }
    }
}

impl<W: Write> RowSink for JsonLines<W> {
    fn write_row(&mut self, row: Vec<Value>) -> Result<()> {
        // Written by hand rather than through a map, so that keys keep the table's column order.
        self.line.clear();
        self.line.push(b'{');
        for (column_idx, (column, value)) in self.columns.iter().zip(row).enumerate() {
            if column_idx > 0 {
                self.line.push(b',');
            }
            serde_json::to_writer(&mut self.line, column.name).map_err(ExportError::from_json)?;
            self.line.push(b':');
            serde_json::to_writer(&mut self.line, &json_value(value))
                .map_err(ExportError::from_json)?;
        }
        self.line.extend_from_slice(b"}\n");
        self.out.write_all(&self.line).map_err(ExportError::Write)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out.flush().map_err(ExportError::Write)
    }
}

fn json_value(value: Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Text(text) => serde_json::Value::String(text),
        Value::Int(int) => int.into(),
        Value::Float(float) => serde_json::Number::from_f64(float)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Bool(flag) => flag.into(),
        Value::Timestamp(micros) => serde_json::Value::String(format_timestamp(micros)),
        Value::TextList(texts) => texts.into(),
        Value::IntList(ints) => ints.into(),
    }
}

/// Writes rows as CSV with a header.
pub struct Csv<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> Csv<W> {
    /// A CSV table with these columns; writes the header now.
    pub fn new(out: W, columns: &'static [Column]) -> Result<Csv<W>> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(columns.iter().map(|column| column.name))
            .map_err(ExportError::from_csv)?;
        Ok(Csv { out })
    }
}

impl<W: Write> RowSink for Csv<W> {
    fn write_row(&mut self, row: Vec<Value>) -> Result<()> {
        self.out
            .write_record(row.into_iter().map(csv_field))
            .map_err(ExportError::from_csv)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out.flush().map_err(ExportError::Write)
    }
}

fn csv_field(value: Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Text(text) => text,
        Value::Int(int) => int.to_string(),
        Value::Float(float) => float.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Timestamp(micros) => format_timestamp(micros),
        Value::TextList(texts) => serde_json::to_string(&texts).unwrap_or_default(),
        Value::IntList(ints) => serde_json::to_string(&ints).unwrap_or_default(),
    }
}
