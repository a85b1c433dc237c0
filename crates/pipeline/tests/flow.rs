//! The pipeline's promises, the same for every entry point: input order kept, a bad input costs
//! only itself, defaults fill only what an input lacks, and what is stored is skipped before
//! analysis. Articles here are invented for these tests.

use newslens_pipeline::{ingest, store_chunks, Chunks, Defaults, Event, Input, Pipeline, Settings};
use newslens_read::{Format, Given, Origin, Record};
use newslens_store::{SqliteStore, Store};

fn record(name: &str, text: &str) -> Input {
    Ok(Record {
        origin: Origin::file(name),
        bytes: text.as_bytes().to_vec(),
        format: Format::Text,
        given: Given::default(),
        fallback: Given::default(),
    })
}

fn articles(n: usize) -> Vec<Input> {
    (0..n)
        .map(|idx| {
            record(
                &format!("article-{idx}.txt"),
                &format!(
                    "Harbour workers in Portmere voted {idx} times on the new rota, a union \
                     official said on Tuesday.\n\n\"We will keep talking,\" said Dana Whitlock, \
                     the branch secretary."
                ),
            )
        })
        .collect()
}

fn pipeline(jobs: usize, defaults: Defaults) -> Pipeline {
    Pipeline::new(Settings {
        jobs: Some(jobs),
        defaults,
        ..Settings::default()
    })
    .expect("the analysis threads start")
}

#[test]
fn results_come_back_in_input_order_on_several_threads() {
    let pipeline = pipeline(3, Defaults::default());
    let texts: Vec<String> = Chunks::with_limits(articles(40), 16, usize::MAX)
        .flat_map(|chunk| pipeline.analyze_chunk(chunk))
        .map(|result| result.expect("every article reads").value.text)
        .collect();
    assert_eq!(texts.len(), 40);
    for (idx, text) in texts.iter().enumerate() {
        assert!(
            text.contains(&format!("voted {idx} times")),
            "{idx}: {text}"
        );
    }
}

#[test]
fn a_binary_input_is_one_error_naming_it_and_the_rest_goes_on() {
    let pipeline = pipeline(2, Defaults::default());
    let mut inputs = articles(2);
    inputs.insert(
        1,
        Ok(Record {
            origin: Origin::file("photo.jpg"),
            bytes: vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 1, 2, 3],
            format: Format::Text,
            given: Given::default(),
            fallback: Given::default(),
        }),
    );
    let results = pipeline.analyze_chunk(inputs);
    assert!(results[0].is_ok());
    let error = results[1].as_ref().expect_err("binary bytes are refused");
    assert!(error.to_string().starts_with("photo.jpg"), "{error}");
    assert!(results[2].is_ok());
}

/// Issue 17: the per-document time budget. A budget of zero has passed before the analysis'
/// first check, so every document meets it, deterministically.
#[test]
fn a_document_past_its_time_budget_is_one_error_naming_it_and_the_batch_goes_on() {
    let over_budget = Pipeline::new(Settings {
        jobs: Some(2),
        time_budget: Some(std::time::Duration::ZERO),
        ..Settings::default()
    })
    .expect("the analysis threads start");
    let mut inputs = articles(3);
    inputs.insert(1, record("empty.txt", "  \n"));
    let results = over_budget.analyze_chunk(inputs);
    assert_eq!(results.len(), 4);
    let messages: Vec<String> = results
        .iter()
        .map(|result| {
            result
                .as_ref()
                .expect_err("nothing fits a zero budget")
                .to_string()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "article-0.txt: analysis ran past its time budget of 0 s",
            "empty.txt: empty input",
            "article-1.txt: analysis ran past its time budget of 0 s",
            "article-2.txt: analysis ran past its time budget of 0 s",
        ]
    );
    // The default budget is far above an ordinary article's cost.
    assert_eq!(
        Settings::default().time_budget,
        Some(newslens_pipeline::DEFAULT_TIME_BUDGET)
    );
    let results = pipeline(1, Defaults::default()).analyze_chunk(articles(2));
    assert!(results.iter().all(Result::is_ok));
}

#[test]
fn defaults_fill_only_what_an_input_does_not_give() {
    let pipeline = pipeline(
        1,
        Defaults {
            outlet: Some("Portmere Post".into()),
            url: Some("https://post.example/rota".into()),
        },
    );
    let mut given = articles(2);
    if let Ok(record) = &mut given[1] {
        record.given.outlet = Some("Harbour Gazette".into());
    }
    let outlets: Vec<Option<String>> = pipeline
        .analyze_chunk(given)
        .into_iter()
        .map(|result| result.unwrap().value.source.outlet)
        .collect();
    assert_eq!(
        outlets,
        [Some("Portmere Post".into()), Some("Harbour Gazette".into())]
    );
}

#[test]
fn what_is_stored_is_skipped_before_analysis_and_counted_as_the_store_would() {
    let pipeline = pipeline(2, Defaults::default());
    let mut store = SqliteStore::open_in_memory().unwrap();
    let first = ingest(&pipeline, &mut store, Chunks::new(articles(5)), &mut |_| {}).unwrap();
    assert_eq!(first.stored.outcome.added, 5);
    assert_eq!(first.counts.articles, 5);

    let mut n_chunks = 0;
    let again = store_chunks(
        &pipeline,
        &mut store,
        Chunks::new(articles(6)),
        &mut |event| {
            if let Event::Chunk { .. } = event {
                n_chunks += 1;
            }
        },
    )
    .unwrap();
    assert_eq!(again.n_read, 6);
    assert_eq!(again.outcome.added, 1);
    assert_eq!(again.outcome.same_text, 5);
    assert_eq!(n_chunks, 1);
    assert_eq!(store.counts().unwrap().articles, 6);
}

#[test]
fn failed_inputs_are_reported_as_events_and_stored_inputs_still_land() {
    let pipeline = pipeline(2, Defaults::default());
    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut inputs = articles(3);
    inputs.push(record("empty.txt", "   \n"));
    let mut failed = Vec::new();
    let stored = store_chunks(&pipeline, &mut store, Chunks::new(inputs), &mut |event| {
        if let Event::Failed(error) = event {
            failed.push(error.to_string());
        }
    })
    .unwrap();
    assert_eq!(stored.outcome.added, 3);
    assert_eq!(stored.n_failed, 1);
    assert_eq!(failed.len(), 1);
    assert!(failed[0].starts_with("empty.txt"), "{}", failed[0]);
}
