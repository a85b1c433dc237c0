//! End-to-end tests in headless Chromium: a reader follows the bridge story from the front page to
//! an article and a speaker's page, and markup smuggled into an ingested article is shown as text
//! and never runs.
//!
//! The corpus is built from the project's example articles (`examples/`, invented text), the real
//! application listens on a free loopback port, and Chromium (Debian's `chromium`) is driven over
//! WebDriver by a `chromedriver` child process (Debian's `chromium-driver`). Every page visited is
//! saved as a PNG under `target/e2e-screenshots/` (or `$CARGO_TARGET_DIR/e2e-screenshots/`); the
//! paths are printed (`cargo test -p newslens-server --test browser -- --nocapture`).
//!
//! Without `/usr/bin/chromium` or `/usr/bin/chromedriver` each test prints a notice and passes,
//! unless `NEWSLENS_REQUIRE_BROWSER=1` (`.ci/run` sets it), when it fails.
//!
//! These tests do not check markup in detail: `tests/pages/` does that without a browser. They
//! check what only a browser shows: that the pages lay out, link up, and run nothing.

mod harness;

use harness::{browser_installed, example_corpus, raw_request, start_server, Browser};
use newslens_server::CONTENT_SECURITY_POLICY;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_follows_the_bridge_story_from_the_front_page_to_an_article_and_a_speaker() {
    if !browser_installed() {
        return;
    }
    let corpus = example_corpus();
    let base = start_server(&corpus).await;
    let browser = Browser::start(&base).await;

    // The front page lists the bridge story.
    browser.open("/").await;
    let stories = browser.wait_for("ol.stories").await;
    let listed = stories.text().await.expect("the stories' text");
    assert!(
        listed.to_lowercase().contains("bridge"),
        "no bridge story on the front page: {listed}"
    );
    browser.screenshot("home").await;
    browser.assert_fits_the_window().await;

    // Searching from the box in the header finds the library article.
    let search_box = browser.wait_for("form.search input[name=q]").await;
    search_box.send_keys("library").await.expect("type a query");
    browser
        .wait_for("form.search button[type=submit]")
        .await
        .click()
        .await
        .expect("submit the search");
    let hits = browser.wait_for("ol.search-hits").await;
    let hit_titles = hits.text().await.expect("the hits' text");
    assert!(
        hit_titles.to_lowercase().contains("library"),
        "no library article among the hits: {hit_titles}"
    );
    assert!(
        browser.url().await.contains("q=library"),
        "the search did not go through the form: {}",
        browser.url().await
    );
    browser.screenshot("search-library").await;
    browser.assert_fits_the_window().await;

    // The bridge story, from its headline in the list: one column per outlet, side by side.
    browser
        .wait_for_xpath(
            "//ol[contains(@class,'stories')]//h3//a[contains(translate(., 'BRIDGE', 'bridge'), 'bridge')]",
        )
        .await
        .click()
        .await
        .expect("open the bridge story");
    browser.wait_for("div.outlets").await;
    let columns = browser.find_all("div.outlets section.outlet-column").await;
    assert!(
        columns.len() >= 3,
        "{} outlet columns, expected 3 or more",
        columns.len()
    );
    let mut lefts = Vec::new();
    for column in &columns[..3] {
        let (x, _, width, _) = column.rectangle().await.expect("a column's box");
        assert!(width > 100.0, "a column only {width}px wide");
        lefts.push(x.round() as i64);
    }
    lefts.dedup();
    assert_eq!(
        lefts.len(),
        3,
        "the first three outlet columns are not side by side on a 1280px window: x = {lefts:?}"
    );
    browser.wait_for("svg.tone-bar").await;
    browser.wait_for("svg.timeline").await;
    browser.screenshot("story").await;
    browser.assert_fits_the_window().await;

    // The Eastern Shore Herald's article, from its headline in the outlet's column: entities,
    // attributed quotes and loaded words are highlighted.
    browser
        .wait_for_xpath(
            "//section[contains(@class,'outlet-column')][.//*[contains(@class,'outlet-name')][contains(., 'Eastern Shore Herald')]]//a[starts-with(@href, '/articles/')]",
        )
        .await
        .click()
        .await
        .expect("open the Herald's article");
    browser.wait_for("div.article-body").await;
    browser.wait_for("div.article-body mark.entity").await;
    browser.wait_for("div.article-body mark.loaded").await;
    browser.wait_for("div.article-body span.quote").await;
    let mut tips = Vec::new();
    for quote in browser.find_all("div.article-body span.quote").await {
        tips.push(
            quote
                .attr("title")
                .await
                .expect("a quote's title")
                .unwrap_or_default(),
        );
    }
    // "Speaker — verb (kind)": a named speaker and the verb that introduced the quote.
    assert!(
        tips.iter().any(|tip| !tip.starts_with("Unattributed")
            && tip.split_once(" — ").is_some_and(
                |(speaker, verb)| !speaker.trim().is_empty() && !verb.trim().is_empty()
            )),
        "no quote's title names a speaker and a verb: {tips:?}"
    );
    browser.wait_for("aside.speakers").await;
    browser.wait_for("section.tone").await;
    browser.screenshot("article").await;
    browser.assert_fits_the_window().await;

    // A speaker's page: how often they are mentioned, and what they said.
    browser.open("/entities/Greaves").await;
    browser.wait_for("svg.mentions-chart").await;
    let quotes_by = browser.wait_for("section.quotes-by").await;
    let said = quotes_by.text().await.expect("the quotes' text");
    assert!(
        !said.trim().is_empty(),
        "the quotes by Greaves are an empty section"
    );
    browser.screenshot("entity-greaves").await;
    browser.assert_fits_the_window().await;

    browser.close().await;
}

/// Would set the page's title and a global if a browser ever ran it.
const SCRIPT_PAYLOAD: &str =
    "<script>document.title='pwned';window.__newslens_pwned='script'</script>";
/// Would do the same from an image's error handler, which needs no `<script>` tag.
const IMG_PAYLOAD: &str =
    "<img src=x onerror=\"document.title='pwned';window.__newslens_pwned='img'\">";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_an_ingested_article_is_shown_as_text_and_never_runs() {
    if !browser_installed() {
        return;
    }
    let corpus = example_corpus();
    let base = start_server(&corpus).await;

    // Ingested through the API, as any client could.
    let article = serde_json::json!({
        "outlet": format!("Quayside Courier {IMG_PAYLOAD}"),
        "title": format!("Harbour notice {SCRIPT_PAYLOAD}"),
        "published": "2024-05-16T09:00:00",
        "text": format!(
            "The harbour office posted a notice on Thursday that read {SCRIPT_PAYLOAD} in full.\n\n\
             \"Nobody should paste {IMG_PAYLOAD} into a notice,\" the harbour master, Iris Dunmore, said.\n\n\
             The notice was taken down by noon."
        ),
    });
    let ingested = raw_request(
        &base,
        "POST",
        "/v1/ingest",
        Some(("application/json", &article.to_string())),
    )
    .await;
    assert_eq!(ingested.status, 200, "ingest failed: {}", ingested.body);
    assert!(
        ingested.body.contains("\"added\":1"),
        "not stored: {}",
        ingested.body
    );

    // Its id, as the API's search gives it (the store names articles itself).
    let found = raw_request(&base, "GET", "/v1/search?q=Dunmore", None).await;
    assert_eq!(found.status, 200, "search failed: {}", found.body);
    let found: serde_json::Value = serde_json::from_str(&found.body).expect("search JSON");
    let article_id = found["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("the ingested article is not found: {found}"))
        .to_string();
    let article_path = newslens_server::pages::article_path(&article_id);

    // The policy that would stop a script even if one slipped through escaping is on every page.
    for path in ["/", article_path.as_str(), "/v1/stories"] {
        let answer = raw_request(&base, "GET", path, None).await;
        assert_eq!(answer.status, 200, "GET {path}: {}", answer.body);
        assert_eq!(
            answer.header("content-security-policy"),
            Some(CONTENT_SECURITY_POLICY),
            "GET {path}"
        );
    }

    let browser = Browser::start(&base).await;
    for (path, name) in [
        (article_path.as_str(), "xss-article"),
        ("/", "xss-home"),
        ("/?q=harbour+notice", "xss-search"),
    ] {
        browser.open(path).await;
        browser.wait_for("main").await;
        // Escaping is checked apart from the policy: no element came from the payloads at all,
        // so nothing would have run even without the Content-Security-Policy.
        let seen = browser
            .execute(
                "return {
                    pwned: window.__newslens_pwned === undefined ? null : window.__newslens_pwned,
                    title: document.title,
                    scripts: document.querySelectorAll('script').length,
                    images: document.querySelectorAll('img').length,
                    handlers: document.querySelectorAll('[onerror]').length,
                    text: document.body.innerText,
                };",
            )
            .await;
        browser.screenshot(name).await;
        browser.assert_fits_the_window().await;
        assert!(seen["pwned"].is_null(), "{path}: a payload ran: {seen}");
        let title = seen["title"].as_str().unwrap_or_default();
        assert_ne!(title, "pwned", "{path}: a payload set the title");
        assert_eq!(seen["scripts"], 0, "{path}: a <script> element: {seen}");
        assert_eq!(seen["images"], 0, "{path}: an <img> element: {seen}");
        assert_eq!(seen["handlers"], 0, "{path}: an onerror handler: {seen}");
        let text = seen["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("Harbour notice <script>"),
            "{path}: the title's markup is not shown as text: {text}"
        );
    }
    // The article page also shows the outlet's and the body's markup literally.
    browser.open(&article_path).await;
    let text = browser.execute("return document.body.innerText;").await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("<img src=x onerror="),
        "the outlet's or the text's <img> is not shown as text: {text}"
    );
    assert!(
        text.contains("read <script>document.title='pwned'"),
        "the text's <script> is not shown as text: {text}"
    );

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_goes_from_a_story_to_an_outlets_profile_and_its_evidence() {
    if !browser_installed() {
        return;
    }
    let corpus = example_corpus();
    let base = start_server(&corpus).await;
    let browser = Browser::start(&base).await;

    // Every outlet in one table, each linking to its page.
    browser.open("/outlets").await;
    let table = browser.wait_for("table.outlet-table").await;
    let listed = table.text().await.expect("the table's text");
    assert!(
        listed.contains("Eastern Shore Herald"),
        "the Herald is not listed: {listed}"
    );
    browser.screenshot("outlets").await;
    browser.assert_fits_the_window().await;

    // From the bridge story's column, the outlet's name leads to its profile.
    browser.open("/").await;
    browser
        .wait_for_xpath(
            "//ol[contains(@class,'stories')]//h3//a[contains(translate(., 'BRIDGE', 'bridge'), 'bridge')]",
        )
        .await
        .click()
        .await
        .expect("open the bridge story");
    browser
        .wait_for_xpath(
            "//section[contains(@class,'outlet-column')]//a[contains(@class,'outlet-link')][contains(., 'Eastern Shore Herald')]",
        )
        .await
        .click()
        .await
        .expect("open the Herald's profile");
    browser.wait_for("dl.figures").await;
    assert!(
        browser
            .url()
            .await
            .contains("/outlets/Eastern%20Shore%20Herald"),
        "not on the outlet's page: {}",
        browser.url().await
    );
    // The unknown share is always shown, next to women's and men's.
    let unknown = browser.wait_for("dd.gender-unknown").await;
    assert!(!unknown.text().await.expect("text").trim().is_empty());
    for chart in ["articles", "tone", "loaded", "women"] {
        browser
            .wait_for(&format!("svg.week-chart.week-{chart}"))
            .await;
    }
    browser
        .wait_for("svg.week-chart.week-articles rect.week-bar")
        .await;
    browser.wait_for("section.blindspots").await;
    browser.screenshot("outlet-herald").await;
    browser.assert_fits_the_window().await;

    // A ranking's entry leads to the quotes or sentences behind it.
    let evidence = browser.find_all("section.ranking a.evidence").await;
    assert!(
        !evidence.is_empty(),
        "no ranking entry links to its evidence"
    );
    evidence[0].click().await.expect("open the evidence");
    let found = browser
        .wait_for("section.evidence-quotes, section.evidence-words")
        .await;
    let text = found.text().await.expect("the evidence's text");
    assert!(
        !text.contains("No quotes found") && !text.contains("No articles found"),
        "the evidence page is empty: {text}"
    );
    browser.screenshot("outlet-evidence").await;
    browser.assert_fits_the_window().await;
    browser.close().await;
}
