//! The API against its own OpenAPI document, and the API's promises: JSON errors, paging, size
//! limits, the ingest token, the security headers, and the same contract as the CLI.
//!
//! The corpus is built from the project's own example articles (`examples/`, invented text).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use newslens_pipeline::{ingest, records_of, Chunks, Pipeline, Settings as PipelineSettings};
use newslens_read::{read_record, ReadOptions};
use newslens_server::{app, openapi, AppState, Limits, Settings, CONTENT_SECURITY_POLICY};
use newslens_testkit::TempPostgres;

const EXAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/portmere-coverage.jsonl"
);

struct Fixture {
    _dir: tempfile::TempDir,
    app: Router,
}

/// The example coverage ingested into a new corpus at `db` (a path or a PostgreSQL URL),
/// through the pipeline as `ingest` does.
fn ingest_examples(db: &str) {
    let pipeline = Pipeline::new(PipelineSettings::default()).unwrap();
    let mut store = newslens_store::open(db).unwrap();
    let records = records_of(&[EXAMPLES.to_string()], &pipeline.settings().read);
    let report = ingest(&pipeline, &mut store, Chunks::new(records), &mut |_| {}).unwrap();
    assert_eq!(report.stored.n_failed, 0);
}

fn fixture(token: Option<&str>, max_body: usize) -> Fixture {
    fixture_with_limits(token, max_body, Limits::default())
}

fn fixture_with_limits(token: Option<&str>, max_body: usize, limits: Limits) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    ingest_examples(&db.display().to_string());
    let state = AppState::open(Settings {
        db: db.display().to_string(),
        token: token.map(str::to_string),
        max_body,
        loaded: Default::default(),
        limits,
    })
    .unwrap();
    Fixture {
        _dir: dir,
        app: app(state),
    }
}

struct Answer {
    status: StatusCode,
    content_type: String,
    csp: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

async fn call(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let header_of = |name: header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let status = response.status();
    let content_type = header_of(header::CONTENT_TYPE);
    let csp = header_of(header::CONTENT_SECURITY_POLICY);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        csp,
        body: body.to_vec(),
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    call(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, content_type: &str, body: &str) -> Answer {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .unwrap();
    call(app, request).await
}

const ARTICLE: &str =
    "Mayor Lena Ortiz said on Monday that the tram line \"will reopen by autumn\". \
                       Critics slammed the delay.";

/// Ids the documented paths are called with.
async fn known_ids(app: &Router) -> (String, String) {
    let stories = get(app, "/v1/stories").await.json();
    let story = stories["items"][0]["id"].as_str().unwrap().to_string();
    let article = stories["items"][0]["articles"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (article, story)
}

#[tokio::test]
async fn every_documented_operation_answers_with_a_documented_status() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    let (article, story) = known_ids(&fixture.app).await;
    let document = serde_json::to_value(openapi()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 9, "documented paths: {:?}", paths.keys());
    let mut n_called = 0;
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let uri = path
                .replace(
                    "{id}",
                    if path.contains("stories") {
                        &story
                    } else {
                        &article
                    },
                )
                .replace(
                    "{name}",
                    if path.starts_with("/v1/outlets") {
                        "Portmere Post"
                    } else {
                        "Greaves"
                    },
                )
                .replace("{a}", "Portmere Post")
                .replace("{b}", "Eastern Shore Herald")
                .replace(' ', "%20");
            let uri = if path == "/v1/search" {
                format!("{uri}?q=bridge")
            } else {
                uri
            };
            let answer = match method.as_str() {
                "get" => get(&fixture.app, &uri).await,
                "post" => post(&fixture.app, &uri, "text/plain", ARTICLE).await,
                other => panic!("undocumented method {other}"),
            };
            let documented: Vec<&String> =
                operation["responses"].as_object().unwrap().keys().collect();
            assert!(
                documented.contains(&&answer.status.as_u16().to_string()),
                "{method} {uri}: status {} is not documented ({documented:?}): {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
            assert_eq!(answer.status, StatusCode::OK, "{method} {uri}");
            assert!(
                answer.content_type.starts_with("application/json"),
                "{method} {uri}"
            );
            answer.json();
            n_called += 1;
        }
    }
    assert!(n_called >= 9);
}

#[tokio::test]
async fn the_served_document_is_the_generated_one_and_names_every_route() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    let served = get(&fixture.app, "/v1/openapi.json").await.json();
    assert_eq!(served, serde_json::to_value(openapi()).unwrap());
    for path in [
        "/v1/analyze",
        "/v1/articles/{id}",
        "/v1/stories",
        "/v1/stories/{id}",
        "/v1/quotes",
        "/v1/entities/{name}",
        "/v1/search",
        "/v1/ingest",
        "/v1/outlets",
        "/v1/outlets/{name}",
        "/v1/outlets/{a}/vs/{b}",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path} undocumented");
    }
    // The schemas the operations refer to are in the document.
    let schemas = served["components"]["schemas"].as_object().unwrap();
    for schema in [
        "Article",
        "QuoteRecord",
        "StorySummary",
        "Comparison",
        "ErrorBody",
    ] {
        assert!(schemas.contains_key(schema), "{schema} missing");
    }
}

#[tokio::test]
async fn analyze_gives_the_same_contract_as_the_cli() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    let answer = post(
        &fixture.app,
        "/v1/analyze?outlet=Tram%20Times",
        "text/plain",
        ARTICLE,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let served = answer.json();
    let record = newslens_read::Record {
        origin: newslens_read::Origin::file("request body"),
        bytes: ARTICLE.as_bytes().to_vec(),
        format: newslens_read::Format::Text,
        given: newslens_read::Given {
            outlet: Some("Tram Times".into()),
            ..Default::default()
        },
        fallback: Default::default(),
    };
    let reading = read_record(record, &ReadOptions::default()).unwrap();
    let expected = serde_json::to_value(newslens_core::analyze(&reading.document)).unwrap();
    assert_eq!(served, expected);
    assert_eq!(served["quotes"][0]["speaker"]["name"], "Lena Ortiz");

    let json = post(
        &fixture.app,
        "/v1/analyze",
        "application/json",
        &serde_json::json!({"text": ARTICLE, "outlet": "Tram Times", "title": "Trams"}).to_string(),
    )
    .await
    .json();
    assert_eq!(json["source"]["outlet"], "Tram Times");
    assert_eq!(json["title"], "Trams");

    let html = post(
        &fixture.app,
        "/v1/analyze",
        "text/html; charset=utf-8",
        &format!("<html><head><title>Trams</title></head><body><article><p>{ARTICLE}</p></article></body></html>"),
    )
    .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.json()["text"].as_str().unwrap().contains("Lena Ortiz"));
}

#[tokio::test]
async fn errors_are_json_with_a_clear_message() {
    let fixture = fixture(None, 2_000);
    let cases: Vec<(Answer, StatusCode, &str)> = vec![
        (
            get(&fixture.app, "/v1/articles/ffffffffffffffff").await,
            StatusCode::NOT_FOUND,
            "no article",
        ),
        (
            get(&fixture.app, "/v1/stories/zzzz").await,
            StatusCode::NOT_FOUND,
            "no story",
        ),
        (
            get(&fixture.app, "/v1/quotes?limit=0").await,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            get(&fixture.app, "/v1/quotes?limit=many").await,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            get(&fixture.app, "/v1/search").await,
            StatusCode::BAD_REQUEST,
            "q",
        ),
        (
            get(&fixture.app, "/v1/entities/Nobody%20Atall").await,
            StatusCode::NOT_FOUND,
            "never mentions",
        ),
        (
            get(&fixture.app, "/v1/no-such-thing").await,
            StatusCode::NOT_FOUND,
            "openapi",
        ),
        (
            post(&fixture.app, "/v1/analyze", "text/plain", "").await,
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            post(
                &fixture.app,
                "/v1/analyze",
                "text/plain",
                "\u{0}\u{1}\u{2}binary\u{0}\u{0}",
            )
            .await,
            StatusCode::BAD_REQUEST,
            "binary",
        ),
        (
            post(
                &fixture.app,
                "/v1/analyze",
                "application/json",
                "{\"text\": ",
            )
            .await,
            StatusCode::BAD_REQUEST,
            "JSON",
        ),
        (
            post(&fixture.app, "/v1/analyze", "image/png", "x").await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content type",
        ),
        (
            post(
                &fixture.app,
                "/v1/analyze",
                "text/plain",
                &"word ".repeat(1_000),
            )
            .await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "size limit",
        ),
    ];
    for (answer, status, needle) in cases {
        assert_eq!(
            answer.status,
            status,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(answer.content_type.starts_with("application/json"));
        let body = answer.json();
        assert_eq!(body["error"]["status"], status.as_u16());
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(needle),
            "{message:?} should mention {needle:?}"
        );
        assert!(!message.contains('\n'), "one line: {message:?}");
    }
}

#[tokio::test]
async fn every_list_pages_without_gaps_or_repeats() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    let all = get(&fixture.app, "/v1/quotes?limit=500").await.json();
    let all: Vec<Value> = all["items"].as_array().unwrap().clone();
    assert!(all.len() >= 6, "quotes in the examples: {}", all.len());
    let mut paged = Vec::new();
    let mut offset = Some(0);
    while let Some(at) = offset {
        let page = get(&fixture.app, &format!("/v1/quotes?limit=2&offset={at}"))
            .await
            .json();
        assert_eq!(page["limit"], 2);
        paged.extend(page["items"].as_array().unwrap().iter().cloned());
        offset = page["next_offset"].as_u64().map(|next| next as usize);
        assert!(paged.len() <= all.len());
    }
    assert_eq!(paged, all);

    let stories = get(&fixture.app, "/v1/stories?limit=1").await.json();
    assert_eq!(stories["items"].as_array().unwrap().len(), 1);
    assert_eq!(stories["next_offset"], 1);
    let second = get(&fixture.app, "/v1/stories?limit=1&offset=1")
        .await
        .json();
    assert_ne!(second["items"][0]["id"], stories["items"][0]["id"]);
}

#[tokio::test]
async fn the_corpus_views_answer_what_the_examples_say() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    // The three bridge reports are one story across three outlets; the library is another.
    let stories = get(&fixture.app, "/v1/stories?min_articles=3").await.json();
    let bridge = &stories["items"][0];
    assert_eq!(stories["items"].as_array().unwrap().len(), 1, "{stories}");
    let id = bridge["id"].as_str().unwrap();
    let detail = get(&fixture.app, &format!("/v1/stories/{}", &id[..8]))
        .await
        .json();
    assert_eq!(detail["comparison"]["outlets"].as_array().unwrap().len(), 3);

    let by_greaves = get(&fixture.app, "/v1/quotes?speaker=greaves").await.json();
    assert!(by_greaves["items"].as_array().unwrap().len() >= 2);
    let herald = get(&fixture.app, "/v1/quotes?outlet=herald&until=2024-05-14")
        .await
        .json();
    assert!(herald["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|quote| quote["outlet"] == "Eastern Shore Herald"));
    let later = get(&fixture.app, "/v1/quotes?since=2024-05-15")
        .await
        .json();
    assert!(later["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|quote| quote["outlet"] == "Coastline Daily"));

    let entity = get(&fixture.app, "/v1/entities/Natarajan").await.json();
    assert!(!entity["timeline"].as_array().unwrap().is_empty());
    assert!(!entity["quotes_by"].as_array().unwrap().is_empty());

    let hits = get(&fixture.app, "/v1/search?q=library&limit=5")
        .await
        .json();
    assert_eq!(
        hits["items"][0]["title"],
        "Portmere library reopens after roof repairs"
    );

    let article = get(
        &fixture.app,
        &format!(
            "/v1/articles/{}",
            bridge["articles"][0]["id"].as_str().unwrap()
        ),
    )
    .await
    .json();
    assert_eq!(article["schema"], "newslens.article/1");
}

/// Issue 17: a posted document past the server's analysis budget fails alone, naming itself; a
/// budget of zero has passed before the analysis' first check, so this is not a timed test.
#[tokio::test]
async fn a_posted_document_past_its_analysis_budget_is_422_naming_it() {
    let limits = Limits {
        analysis_budget: std::time::Duration::ZERO,
        ..Limits::default()
    };
    let fixture = fixture_with_limits(None, newslens_server::DEFAULT_MAX_BODY, limits);
    let answer = post(&fixture.app, "/v1/analyze", "text/plain", ARTICLE).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.json()["error"]["message"],
        "request body: analysis ran past its time budget of 0 s"
    );
    let answer = post(&fixture.app, "/v1/ingest", "text/plain", ARTICLE).await;
    let message = answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("analysis ran past its time budget of 0 s"),
        "{message}"
    );
}

#[tokio::test]
async fn ingest_needs_the_token_when_the_server_has_one() {
    let fixture = fixture(Some("s3cret"), newslens_server::DEFAULT_MAX_BODY);
    let denied = post(&fixture.app, "/v1/ingest", "text/plain", ARTICLE).await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
    let wrong = Request::post("/v1/ingest")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::AUTHORIZATION, "Bearer guess")
        .body(Body::from(ARTICLE))
        .unwrap();
    assert_eq!(
        call(&fixture.app, wrong).await.status,
        StatusCode::UNAUTHORIZED
    );
    let batch = format!(
        "{}\n{{\"text\": \n{}\n",
        serde_json::json!({"text": ARTICLE, "outlet": "Tram Times"}),
        serde_json::json!({"text": "The ferry timetable changes on Sunday, the harbour office said."})
    );
    let allowed = Request::post("/v1/ingest")
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from(batch))
        .unwrap();
    let answer = call(&fixture.app, allowed).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let report = answer.json();
    assert_eq!(report["added"], 2);
    assert_eq!(report["failed"].as_array().unwrap().len(), 1, "{report}");
    assert!(report["failed"][0]
        .as_str()
        .unwrap()
        .contains("request body:2"));
    assert_eq!(report["corpus"]["articles"], 6);
    // Stored once: the same text again is skipped.
    let again = Request::post("/v1/ingest?outlet=Tram%20Times")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from(ARTICLE))
        .unwrap();
    assert_eq!(call(&fixture.app, again).await.json()["same_text"], 1);
    // Nothing readable: a 400 naming the input, and nothing stored.
    let unreadable = Request::post("/v1/ingest")
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from("{\"text\": \n"))
        .unwrap();
    let answer = call(&fixture.app, unreadable).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("request body:1"));
    assert_eq!(get(&fixture.app, "/v1/corpus").await.json()["articles"], 6);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    for uri in ["/v1/stories", "/v1/no-such-thing", "/v1/openapi.json"] {
        let answer = get(&fixture.app, uri).await;
        assert_eq!(answer.csp, CONTENT_SECURITY_POLICY, "{uri}");
        assert!(CONTENT_SECURITY_POLICY.contains("default-src 'none'"));
        assert!(!CONTENT_SECURITY_POLICY.contains("script-src"));
    }
    let method = call(
        &fixture.app,
        Request::builder()
            .method(Method::DELETE)
            .uri("/v1/stories")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// Issue 17: an offset of 2^63 or more wrapped to a negative SQL OFFSET (read as none), so the
/// first page came back and `next_offset` led to it again forever.
#[tokio::test]
async fn regression_17_offsets_past_what_sqlite_holds_are_refused() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    for path in [
        "/v1/stories",
        "/v1/quotes",
        "/v1/search?q=tram&",
        "/v1/entities/Ortiz",
    ] {
        let separator = if path.ends_with('&') { "" } else { "?" };
        let uri = format!("{path}{separator}offset=9223372036854775808");
        let answer = get(&fixture.app, &uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            message.contains("offset must be between 0 and"),
            "{message}"
        );
    }
    // The largest offset is an empty last page with no next page, not a wrap to the first.
    let last = get(&fixture.app, "/v1/stories?offset=9223372036854775807")
        .await
        .json();
    assert_eq!(last["items"].as_array().unwrap().len(), 0);
    assert_eq!(last["next_offset"], Value::Null);
    let home = get(&fixture.app, "/?offset=18446744073709551615").await;
    assert_eq!(home.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn since_and_until_must_be_iso_dates_or_timestamps() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    for uri in [
        "/v1/quotes?since=garbage",
        "/v1/quotes?until=2024-02-30",
        "/v1/search?q=tram&since=yesterday",
        "/v1/search?q=tram&until=2024-03-05T25:00",
    ] {
        let answer = get(&fixture.app, uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains("YYYY-MM-DD"), "{message}");
    }
    for uri in [
        "/v1/quotes?since=2000-01-01",
        "/v1/quotes?since=2000-01-01T00:00:00Z&until=2100-01-01",
        "/v1/search?q=tram&since=2000-01-01&until=2100-12-31T23:59:59%2B01:00",
        "/v1/quotes?since=",
    ] {
        assert_eq!(get(&fixture.app, uri).await.status, StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn every_405_answers_the_json_error_with_the_allowed_methods() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    for (method, uri) in [
        (Method::DELETE, "/v1/stories"),
        (Method::PUT, "/v1/analyze"),
        (Method::GET, "/v1/ingest"),
        (Method::POST, "/v1/openapi.json"),
        (Method::POST, "/"),
        (Method::DELETE, "/articles/abc"),
    ] {
        let response = fixture
            .app
            .clone()
            .oneshot(
                Request::builder()
                    .method(method.clone())
                    .uri(uri)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}"
        );
        assert!(
            response.headers().contains_key(header::ALLOW),
            "{method} {uri}"
        );
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).expect("a JSON body");
        assert_eq!(body["error"]["status"], 405, "{method} {uri}");
        assert!(body["error"]["message"].as_str().unwrap().contains("Allow"));
    }
}

#[tokio::test]
async fn serve_refuses_a_blank_token_before_listening() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        db: dir.path().join("c.db").display().to_string(),
        token: Some(" \t".to_string()),
        max_body: newslens_server::DEFAULT_MAX_BODY,
        loaded: Default::default(),
        limits: Limits::default(),
    };
    let addr = "0.0.0.0:0".parse().unwrap();
    let outcome = newslens_server::serve(settings, addr, |_| panic!("must not listen")).await;
    assert!(matches!(
        outcome,
        Err(newslens_server::ServeError::BlankToken)
    ));
}

/// Issue 16: `serve --db postgres://…` answers the API and the pages as it does over SQLite (the
/// same examples ingested into both; only search ranks and snippets are each engine's own).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_corpus_answers_the_api_and_the_pages_as_an_sqlite_one() {
    // The harness and the ingest block: off the async threads.
    let Some(server) = tokio::task::spawn_blocking(TempPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let url = server.url();
    let ingesting = url.clone();
    tokio::task::spawn_blocking(move || ingest_examples(&ingesting))
        .await
        .unwrap();
    let postgres = app(AppState::open(Settings {
        db: url,
        token: None,
        max_body: newslens_server::DEFAULT_MAX_BODY,
        loaded: Default::default(),
        limits: Limits::default(),
    })
    .unwrap());
    let sqlite = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    let (article, story) = known_ids(&sqlite.app).await;
    assert_eq!(known_ids(&postgres).await, (article.clone(), story.clone()));
    let entity = "Natarajan";
    for uri in [
        "/v1/stories".to_string(),
        "/v1/stories?most_covered=true&limit=2&offset=1".to_string(),
        format!("/v1/stories/{story}"),
        format!("/v1/articles/{article}"),
        "/v1/quotes".to_string(),
        format!("/v1/entities/{entity}"),
        "/v1/corpus".to_string(),
        "/".to_string(),
        format!("/stories/{story}"),
        format!("/articles/{article}"),
        format!("/entities/{entity}"),
    ] {
        let expected = get(&sqlite.app, &uri).await;
        let answer = get(&postgres, &uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(
            String::from_utf8_lossy(&answer.body),
            String::from_utf8_lossy(&expected.body),
            "{uri}"
        );
    }
    let ids = |answer: Answer| {
        let mut ids: Vec<String> = answer.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let search = "/v1/search?q=council";
    let found = ids(get(&postgres, search).await);
    assert!(!found.is_empty());
    assert_eq!(found, ids(get(&sqlite.app, search).await));
    // A query the engine cannot read is a 400 on both, with the same reason.
    let refused = get(&postgres, "/v1/search?q=a*").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json(),
        get(&sqlite.app, "/v1/search?q=a*").await.json()
    );
}

#[tokio::test]
async fn outlets_answer_their_profiles_and_name_what_is_missing_or_wrong() {
    let fixture = fixture(None, newslens_server::DEFAULT_MAX_BODY);
    let list = get(&fixture.app, "/v1/outlets").await.json();
    let names: Vec<&str> = list["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|outlet| outlet["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Portmere Post"), "{names:?}");
    let profile = get(&fixture.app, "/v1/outlets/portmere%20post?top=5")
        .await
        .json();
    assert_eq!(profile["name"], "Portmere Post");
    for field in [
        "articles",
        "stories",
        "quotes",
        "tone_narrative_mean",
        "loaded_per_1k_words",
        "non_neutral_verbs_share",
        "top_speakers",
        "blindspots",
        "weeks",
    ] {
        assert!(profile.get(field).is_some(), "no {field}: {profile}");
    }
    assert!(profile["gender"].get("unknown_share").is_some());
    let missing = get(&fixture.app, "/v1/outlets/Nowhere%20Times").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&missing.body).contains("no outlet Nowhere Times"));
    let vs_missing = get(&fixture.app, "/v1/outlets/Portmere%20Post/vs/Nowhere").await;
    assert_eq!(vs_missing.status, StatusCode::NOT_FOUND);
    let bad = get(&fixture.app, "/v1/outlets?top=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad_date = get(&fixture.app, "/v1/outlets?since=yesterday").await;
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST);
}

/// Bridge reports written for this test: two outlets name the engineer in full, the third calls
/// her "Vance" only.
const VANCE_REPORTS: [(&str, &str); 3] = [
    ("Coast Herald", "Engineers closed the Kelso river bridge on Wednesday after finding cracks in its main span. \"The cracks are deep and we cannot take risks,\" said Nora Vance, the county engineer. The Kelso bridge carries nine thousand cars a day."),
    ("Reuters", "The Kelso river bridge was shut on Wednesday when inspectors found cracks in the main span. \"Nobody should cross it until we know more,\" said Nora Vance, the county engineer, adding that repairs to the Kelso bridge could take months. \"I drive over it every morning,\" said Tom Reed, a van driver."),
    ("Dunmore Post", "Cracks in the main span have closed the Kelso river bridge since Wednesday, leaving nine thousand drivers a day looking for detours. \"We will reopen the Kelso bridge only when it is safe,\" Vance said."),
];

#[tokio::test]
async fn a_speakers_evidence_page_holds_her_quotes_under_her_surname_too() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("vance.jsonl");
    let lines: Vec<String> = VANCE_REPORTS
        .iter()
        .enumerate()
        .map(|(idx, (outlet, text))| {
            serde_json::json!({
                "text": text, "outlet": outlet, "url": format!("https://bridge{idx}.example/"),
                "published": "2023-03-08", "title": "Kelso bridge closed"
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let db = dir.path().join("corpus.db").display().to_string();
    {
        let pipeline = Pipeline::new(PipelineSettings::default()).unwrap();
        let mut store = newslens_store::open(&db).unwrap();
        let records = records_of(&[input.display().to_string()], &pipeline.settings().read);
        ingest(&pipeline, &mut store, Chunks::new(records), &mut |_| {}).unwrap();
    }
    let state = AppState::open(Settings {
        db,
        token: None,
        max_body: newslens_server::DEFAULT_MAX_BODY,
        loaded: Default::default(),
        limits: Limits::default(),
    })
    .unwrap();
    let app = app(state);
    let profile = get(&app, "/v1/outlets/Dunmore%20Post").await.json();
    let ranked: Vec<&str> = profile["speakers_more"]
        .as_array()
        .into_iter()
        .chain(profile["speakers_less"].as_array())
        .flatten()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect();
    assert!(ranked.contains(&"Nora Vance"), "{profile}");
    assert!(!ranked.contains(&"Vance"), "{profile}");
    let page = get(&app, "/outlets/Dunmore%20Post/quotes?speaker=Nora%20Vance").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains("only when it is safe"), "{html}");
    assert!(
        !html.contains("cannot take risks"),
        "another outlet's quote"
    );
}
