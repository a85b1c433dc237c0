//! Test inputs shared by the CLI's end-to-end tests: a corpus of made-up articles, generated with
//! a fixed seed so the tests are hermetic and need no shared data.

use std::path::Path;

/// A JSON-lines file of `n` distinct articles: a deterministic mix of made-up words, each article
/// about one of `n / 4` events (its event words repeat), dated by event.
pub fn synthetic_corpus(path: &Path, n: usize) {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ren", "tas", "vo", "qui", "zel", "por", "an", "dru", "fe", "gol", "hi",
        "jun", "sta",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let word = |next: &mut dyn FnMut() -> u64| {
        let n_syllables = 2 + (next() % 2) as usize;
        (0..n_syllables)
            .map(|_| SYLLABLES[(next() % 16) as usize])
            .collect::<String>()
    };
    let mut out = String::new();
    for article_idx in 0..n {
        let event = article_idx / 4;
        let mut event_state = (event as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut event_next = move || {
            event_state ^= event_state << 13;
            event_state ^= event_state >> 7;
            event_state ^= event_state << 17;
            event_state
        };
        let event_words: Vec<String> = (0..6).map(|_| word(&mut event_next)).collect();
        let mut sentences = Vec::new();
        for _ in 0..8 {
            let mut words: Vec<String> = (0..10).map(|_| word(&mut next)).collect();
            words[3] = event_words[(next() % 6) as usize].clone();
            words[7] = event_words[(next() % 6) as usize].clone();
            let mut sentence = words.join(" ");
            sentence[..1].make_ascii_uppercase();
            sentences.push(format!("{sentence}."));
        }
        let line = serde_json::json!({
            "text": sentences.join(" "),
            "title": format!("Event {event} report {article_idx}"),
            "outlet": format!("Outlet {}", article_idx % 3),
            "published": format!("2024-01-{:02}", 1 + event % 28),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).expect("temp file is writable");
}
