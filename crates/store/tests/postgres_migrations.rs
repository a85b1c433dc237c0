//! PostgreSQL migrations that rewrite stored rows, run on rows as an older newslens left them,
//! against a throwaway server (skipped with a notice when PostgreSQL is not installed).

use newslens_store::features::{day_number, posting_bucket};
use newslens_testkit::TempPostgres;

/// V8 gives every stored posting its article's day and period, as the engine computes them.
#[test]
fn postings_stored_before_periods_get_their_articles_day_and_bucket() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let mut client = postgres::Client::connect(&server.url(), postgres::NoTls).unwrap();
    // Only what V8 reads: the articles' dates and the postings as V3 made them.
    client
        .batch_execute(
            "CREATE TABLE articles (rowid BIGINT PRIMARY KEY, published TEXT);
             CREATE TABLE story_postings (
                 term BIGINT NOT NULL,
                 article BIGINT NOT NULL REFERENCES articles(rowid),
                 PRIMARY KEY (term, article));",
        )
        .unwrap();
    let published = newslens_testkit::PUBLICATION_DATES;
    for (rowid, published) in published.iter().enumerate() {
        let rowid = rowid as i64;
        client
            .execute(
                "INSERT INTO articles (rowid, published) VALUES ($1, $2)",
                &[&rowid, published],
            )
            .unwrap();
        client
            .execute(
                "INSERT INTO story_postings (term, article) VALUES (7, $1)",
                &[&rowid],
            )
            .unwrap();
    }
    client
        .batch_execute(include_str!(
            "../migrations/postgres/V8__story_postings_by_period.sql"
        ))
        .unwrap();
    for (rowid, published) in published.iter().enumerate() {
        let row = client
            .query_one(
                "SELECT bucket, day FROM story_postings WHERE article = $1 AND term = 7",
                &[&(rowid as i64)],
            )
            .unwrap();
        let (bucket, day): (i64, Option<i32>) = (row.get(0), row.get(1));
        let expected = published.and_then(day_number);
        assert_eq!(day, expected, "{published:?}");
        assert_eq!(bucket, posting_bucket(expected), "{published:?}");
    }
}
