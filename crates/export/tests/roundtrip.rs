//! Exports read back: every table in JSON lines, CSV and Parquet (through the arrow reader) and
//! the GKG records, compared field by field with the articles the store holds. The corpus is a
//! handful of articles written for these tests, analysed and stored in SQLite; the same export
//! from PostgreSQL must give the same bytes.

use std::collections::BTreeMap;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use newslens_contract::Article;
use newslens_core::{analyze, Document};
use newslens_export::columns::timestamp_micros;
use newslens_export::{export, ExportRequest, Format, Table};
use newslens_store::{
    prepare, update_stories, ArticleScan, SqliteStore, Store, StoryConfig, StoryFilter,
};
use newslens_testkit::TempPostgres;

/// Articles written for these tests: two outlets on one harbour story, one on another day's
/// council meeting, one undated.
const ARTICLES: &[(&str, Option<&str>, &str, &str)] = &[
    (
        "Harbour Gazette",
        Some("2024-03-04T09:30:00"),
        "Lifeboat crews rescue twelve sailors off Harwich",
        "Lifeboat crews from Harwich rescued twelve sailors on Sunday after their cargo ship lost \
         power in a storm. \"The crew did everything right, and so did ours,\" said Maria Chen, \
         who leads the Harwich lifeboat station. The coastguard said the ship, the Northern Star, \
         would be towed to Felixstowe. Chen praised the volunteers, who launched twice in \
         gale-force winds.",
    ),
    (
        "Coast Courier",
        Some("2024-03-04T11:00:00+01:00"),
        "Twelve rescued as storm cripples cargo ship",
        "Twelve sailors were plucked from a stricken cargo ship off Harwich on Sunday in a \
         dramatic rescue. Maria Chen, the station's lifeboat operations manager, said the crew \
         \"did everything right\". The Northern Star had drifted for six hours, the coastguard \
         said. Local MP Daniel Hughes slammed the shipping firm for sending the vessel out \
         despite warnings.",
    ),
    (
        "Harbour Gazette",
        Some("2024-03-06"),
        "Council delays vote on seafront flats",
        "Tendring council postponed a vote on 200 seafront flats on Wednesday. \"We need to hear \
         from residents first,\" said council leader Sarah Patel. Opponents, led by the Clacton \
         Residents Association, called the plan a disgrace and vowed to fight it in court.",
    ),
    (
        "Valley Echo",
        None,
        "Bakery wins regional prize",
        "A family bakery in Dedham has won a regional prize for its sourdough. Owner Tom Briggs \
         said he was \"over the moon\" and thanked his staff.",
    ),
];

fn corpus() -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().unwrap();
    fill(&mut store);
    store
}

fn fill(store: &mut dyn Store) {
    let records: Vec<_> = ARTICLES
        .iter()
        .map(|(outlet, published, title, text)| {
            let mut document = Document::new(*text);
            document.source.outlet = Some(outlet.to_string());
            document.published = published.map(str::to_string);
            document.title = Some(title.to_string());
            prepare(analyze(&document))
        })
        .collect();
    store.add_articles(&records).unwrap();
    update_stories(store, &StoryConfig::default()).unwrap();
}

/// Every stored article, in storage order.
fn stored_articles(store: &dyn Store) -> Vec<(Article, String)> {
    let page = store
        .scan_articles(&ArticleScan::default(), None, 1000)
        .unwrap();
    assert!(page.next.is_none());
    page.articles
        .into_iter()
        .map(|stored| (stored.article, stored.story))
        .collect()
}

fn exported(store: &dyn Store, table: Table, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export(store, &ExportRequest::new(table, format), &mut out).unwrap();
    out
}

fn read_parquet(bytes: Vec<u8>) -> RecordBatch {
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<RecordBatch> = reader.map(|batch| batch.unwrap()).collect();
    arrow_select_concat(&batches)
}

fn arrow_select_concat(batches: &[RecordBatch]) -> RecordBatch {
    // The corpus is small: one row group, one batch.
    assert_eq!(batches.len(), 1, "one batch expected for a small export");
    batches[0].clone()
}

fn text_column(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let column = batch.column_by_name(name).unwrap().as_string::<i32>();
    (0..column.len())
        .map(|idx| (!column.is_null(idx)).then(|| column.value(idx).to_string()))
        .collect()
}

fn int_column(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    let column = batch
        .column_by_name(name)
        .unwrap()
        .as_primitive::<Int64Type>();
    (0..column.len())
        .map(|idx| (!column.is_null(idx)).then(|| column.value(idx)))
        .collect()
}

/// What the quote test compares: article id, quote index, text, speaker, span starts.
type QuoteFields = (String, usize, String, Option<String>, Vec<i64>);

#[test]
fn quotes_read_back_from_every_format_match_the_stored_articles() {
    let store = corpus();
    let articles = stored_articles(&store);
    let expected: Vec<QuoteFields> = articles
        .iter()
        .flat_map(|(article, _)| {
            article
                .quotes
                .iter()
                .enumerate()
                .map(|(quote_idx, quote)| {
                    (
                        article.id.clone(),
                        quote_idx,
                        quote.text.clone(),
                        quote.speaker.as_ref().map(|speaker| speaker.name.clone()),
                        quote.spans.iter().map(|span| span.start as i64).collect(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(expected.len() >= 4, "the fixture articles have quotes");

    // JSON lines.
    let jsonl = String::from_utf8(exported(&store, Table::Quotes, Format::Jsonl)).unwrap();
    let from_jsonl: Vec<_> = jsonl
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                row["article_id"].as_str().unwrap().to_string(),
                row["quote_idx"].as_u64().unwrap() as usize,
                row["text"].as_str().unwrap().to_string(),
                row["speaker"].as_str().map(str::to_string),
                row["span_starts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|start| start.as_i64().unwrap())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(from_jsonl, expected);

    // CSV, through a CSV parser; lists are JSON arrays in their cells.
    let csv_bytes = exported(&store, Table::Quotes, Format::Csv);
    let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let names: Vec<&str> = Table::Quotes
        .columns()
        .iter()
        .map(|column| column.name)
        .collect();
    assert_eq!(header, names);
    let at = |name: &str| header.iter().position(|column| column == name).unwrap();
    let from_csv: Vec<_> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let speaker = &record[at("speaker")];
            (
                record[at("article_id")].to_string(),
                record[at("quote_idx")].parse::<usize>().unwrap(),
                record[at("text")].to_string(),
                (!speaker.is_empty()).then(|| speaker.to_string()),
                serde_json::from_str::<Vec<i64>>(&record[at("span_starts")]).unwrap(),
            )
        })
        .collect();
    assert_eq!(from_csv, expected);

    // Parquet, through the arrow reader: typed columns and lists.
    let batch = read_parquet(exported(&store, Table::Quotes, Format::Parquet));
    let starts = batch
        .column_by_name("span_starts")
        .unwrap()
        .as_list::<i32>();
    let from_parquet: Vec<_> = (0..batch.num_rows())
        .map(|row| {
            let spans = starts.value(row);
            let spans = spans.as_primitive::<Int64Type>();
            (
                text_column(&batch, "article_id")[row].clone().unwrap(),
                int_column(&batch, "quote_idx")[row].unwrap() as usize,
                text_column(&batch, "text")[row].clone().unwrap(),
                text_column(&batch, "speaker")[row].clone(),
                spans.values().to_vec(),
            )
        })
        .collect();
    assert_eq!(from_parquet, expected);
}

#[test]
fn parquet_columns_are_typed_and_timestamps_are_utc_instants() {
    let store = corpus();
    let articles = stored_articles(&store);
    let batch = read_parquet(exported(&store, Table::Articles, Format::Parquet));
    assert_eq!(batch.num_rows(), ARTICLES.len());
    let schema = batch.schema();
    assert_eq!(
        schema.field_with_name("published").unwrap().data_type(),
        &arrow_schema::DataType::Timestamp(arrow_schema::TimeUnit::Microsecond, Some("UTC".into()))
    );
    assert!(matches!(
        schema.field_with_name("authors").unwrap().data_type(),
        arrow_schema::DataType::List(_)
    ));
    assert!(!schema.field_with_name("article_id").unwrap().is_nullable());
    let published = batch
        .column_by_name("published")
        .unwrap()
        .as_primitive::<TimestampMicrosecondType>();
    let ids = text_column(&batch, "article_id");
    let texts = text_column(&batch, "text");
    let n_quotes = int_column(&batch, "n_quotes");
    for (row, (article, _)) in articles.iter().enumerate() {
        assert_eq!(ids[row].as_deref(), Some(article.id.as_str()));
        assert_eq!(texts[row].as_deref(), Some(article.text.as_str()));
        assert_eq!(n_quotes[row], Some(article.quotes.len() as i64));
        match article.published.as_deref() {
            Some(date) => assert_eq!(published.value(row), timestamp_micros(date).unwrap()),
            None => assert!(published.is_null(row)),
        }
    }
    // The zone given is honoured: 11:00 at +01:00 is 10:00 UTC.
    let courier = articles
        .iter()
        .position(|(article, _)| article.source.outlet.as_deref() == Some("Coast Courier"))
        .unwrap();
    assert_eq!(
        published.value(courier),
        timestamp_micros("2024-03-04T10:00:00Z").unwrap()
    );
}

#[test]
fn mentions_entities_and_loaded_spans_point_into_the_article_text() {
    let store = corpus();
    let articles: BTreeMap<String, Article> = stored_articles(&store)
        .into_iter()
        .map(|(article, _)| (article.id.clone(), article))
        .collect();
    let mentions = read_parquet(exported(&store, Table::Mentions, Format::Parquet));
    let n_mentions: usize = articles
        .values()
        .map(|article| {
            article
                .entities
                .iter()
                .map(|entity| entity.mentions.len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(mentions.num_rows(), n_mentions);
    let ids = text_column(&mentions, "article_id");
    let starts = int_column(&mentions, "start");
    let ends = int_column(&mentions, "end");
    let words = text_column(&mentions, "text");
    for row in 0..mentions.num_rows() {
        let article = &articles[ids[row].as_deref().unwrap()];
        let span: String = article
            .text
            .chars()
            .skip(starts[row].unwrap() as usize)
            .take((ends[row].unwrap() - starts[row].unwrap()) as usize)
            .collect();
        assert_eq!(
            Some(span),
            words[row],
            "a mention's offsets are character offsets"
        );
    }

    let entities = String::from_utf8(exported(&store, Table::Entities, Format::Jsonl)).unwrap();
    for line in entities.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let article = &articles[row["article_id"].as_str().unwrap()];
        let entity = &article.entities[row["entity_id"].as_u64().unwrap() as usize];
        assert_eq!(row["name"], entity.name.as_str());
        assert_eq!(row["mentions"], entity.mentions.len());
    }

    let loaded = exported(&store, Table::Loaded, Format::Csv);
    let n_loaded: usize = articles.values().map(|article| article.loaded.len()).sum();
    let mut reader = csv::Reader::from_reader(loaded.as_slice());
    assert_eq!(reader.records().count(), n_loaded);
}

#[test]
fn stories_export_one_row_per_story_with_its_articles() {
    let store = corpus();
    let stories = store.stories(&StoryFilter::default()).unwrap();
    let batch = read_parquet(exported(&store, Table::Stories, Format::Parquet));
    assert_eq!(batch.num_rows(), stories.len());
    let ids = text_column(&batch, "story_id");
    let article_ids = batch
        .column_by_name("article_ids")
        .unwrap()
        .as_list::<i32>();
    for (row, id) in ids.iter().enumerate() {
        let story = stories
            .iter()
            .find(|story| Some(story.id.as_str()) == id.as_deref())
            .unwrap();
        let listed = article_ids.value(row);
        let listed: Vec<&str> = listed
            .as_string::<i32>()
            .iter()
            .map(Option::unwrap)
            .collect();
        let expected: Vec<&str> = story
            .articles
            .iter()
            .map(|article| article.id.as_str())
            .collect();
        assert_eq!(listed, expected);
    }
}

#[test]
fn filters_select_articles_by_outlet_and_date() {
    let store = corpus();
    let mut request = ExportRequest::new(Table::Articles, Format::Jsonl);
    request.scan.outlet = Some("gazette".into());
    request.scan.until = Some("2024-03-04".into());
    let mut out = Vec::new();
    let summary = export(&store, &request, &mut out).unwrap();
    assert_eq!(summary.rows, 1);
    let row: serde_json::Value =
        serde_json::from_slice(out.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(
        row["title"],
        "Lifeboat crews rescue twelve sailors off Harwich"
    );

    // Stories with at least one article of the outlet.
    let mut request = ExportRequest::new(Table::Stories, Format::Jsonl);
    request.scan.outlet = Some("Valley".into());
    let summary = export(&store, &request, Vec::new()).unwrap();
    assert_eq!(summary.rows, 1);
}

#[test]
fn pages_smaller_than_the_corpus_give_the_same_export() {
    let store = corpus();
    for table in Table::ALL {
        let whole = exported(&store, table, Format::Jsonl);
        let mut request = ExportRequest::new(table, Format::Jsonl);
        request.page = 1;
        let mut paged = Vec::new();
        export(&store, &request, &mut paged).unwrap();
        assert_eq!(whole, paged, "{} paged one at a time", table.name());
    }
}

#[test]
fn gkg_records_have_27_fields_with_quotes_names_and_tone() {
    let store = corpus();
    let articles = stored_articles(&store);
    let gkg = String::from_utf8(exported(&store, Table::Articles, Format::Gkg)).unwrap();
    let records: Vec<Vec<&str>> = gkg.lines().map(|line| line.split('\t').collect()).collect();
    assert_eq!(records.len(), articles.len());
    for (record, (article, _)) in records.iter().zip(&articles) {
        assert_eq!(record.len(), 27);
        assert_eq!(record[0], article.id);
        assert_eq!(record[3], article.source.outlet.as_deref().unwrap());
        // V1.5TONE: seven comma-separated figures, the word count last.
        let tone: Vec<&str> = record[15].split(',').collect();
        assert_eq!(tone.len(), 7);
        assert_eq!(tone[6], article.tone.as_ref().unwrap().words.to_string());
        // Quotations: offset|length|verb|quote, one per quote.
        let quotations: Vec<&str> = record[22].split('#').filter(|q| !q.is_empty()).collect();
        assert_eq!(quotations.len(), article.quotes.len());
        for (quotation, quote) in quotations.iter().zip(&article.quotes) {
            let parts: Vec<&str> = quotation.split('|').collect();
            assert_eq!(parts.len(), 4);
            assert_eq!(parts[0], quote.spans[0].start.to_string());
        }
        // V2.1AMOUNTS is empty: newslens does not extract amounts.
        assert_eq!(record[24], "");
    }
    let first = &records[0];
    assert_eq!(first[1], "20240304093000");
    assert!(first[11].contains("Maria Chen"), "persons: {}", first[11]);
    let chen = articles[0].0.text.find("Maria Chen").unwrap();
    assert!(
        first[12].contains(&format!("Maria Chen,{chen}")),
        "enhanced persons carry offsets: {}",
        first[12]
    );
    assert!(first[26]
        .contains("<PAGE_TITLE>Lifeboat crews rescue twelve sailors off Harwich</PAGE_TITLE>"));
    // The undated article has an empty DATE.
    assert_eq!(records[3][1], "");
}

#[test]
fn gkg_is_refused_for_tables_other_than_articles() {
    let store = corpus();
    let error = export(
        &store,
        &ExportRequest::new(Table::Quotes, Format::Gkg),
        Vec::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("--table articles"), "{error}");
}

#[test]
fn postgres_exports_the_same_bytes_as_sqlite() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let sqlite = corpus();
    let mut postgres = newslens_store::open(&server.url()).unwrap();
    fill(&mut *postgres);
    for table in Table::ALL {
        for format in [Format::Jsonl, Format::Csv] {
            assert_eq!(
                String::from_utf8(exported(&sqlite, table, format)).unwrap(),
                String::from_utf8(exported(&*postgres, table, format)).unwrap(),
                "{} as {}",
                table.name(),
                format.name()
            );
        }
    }
    assert_eq!(
        exported(&sqlite, Table::Articles, Format::Gkg),
        exported(&*postgres, Table::Articles, Format::Gkg)
    );
}
