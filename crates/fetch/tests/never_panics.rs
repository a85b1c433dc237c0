//! No body a server sends may panic the crawl: arbitrary bytes through the feed and sitemap
//! readers, the canonical-link scan and URL canonicalisation give a value or an error.

use newslens_fetch::{canonical_url, feed_listings, page_canonical, read_sitemap};
use proptest::prelude::*;
use url::Url;

fn base() -> Url {
    Url::parse("https://news.example/feed.xml").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_the_readers(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = feed_listings(&bytes, &base());
        let _ = read_sitemap(&bytes, &base());
        let _ = page_canonical(&bytes, &base());
    }

    #[test]
    fn xml_like_text_never_panics_the_readers(
        text in r#"(<\??/?[a-z:]{0,12}( [a-z]{1,5}="[^"]{0,20}")?/?>|&[a-z#0-9]{0,5};|[a-z .:/?=&]{0,20}|<!\[CDATA\[|\]\]>){0,40}"#
    ) {
        let _ = feed_listings(text.as_bytes(), &base());
        let _ = read_sitemap(text.as_bytes(), &base());
        let _ = page_canonical(text.as_bytes(), &base());
    }

    #[test]
    fn arbitrary_strings_never_panic_canonicalisation(text in "\\PC{0,80}") {
        let _ = canonical_url(&text);
        let _ = canonical_url(&format!("https://news.example/{text}"));
    }
}
