//! Prints the tagger's mentions for a text file, sentence by sentence (a development aid).
fn main() {
    let path = std::env::args().nth(1).expect("a text file");
    let text = std::fs::read_to_string(path).expect("readable");
    let paragraphs = newslens_core::segment::paragraphs(&text);
    let model = newslens_core::ner::shipped_model();
    for sentence in newslens_core::segment::sentences(&text, &paragraphs) {
        let mut tokens = Vec::new();
        newslens_core::tokens::tokenize_into(&text, sentence.start, sentence.end, &mut tokens);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        let tags = model.tag(&words);
        let found: Vec<String> = newslens_core::ner::spans_of(&tags)
            .iter()
            .map(|s| {
                format!(
                    "{}:{}",
                    words[s.start..s.end].join(" "),
                    s.entity_type.as_str()
                )
            })
            .collect();
        println!("{}", found.join(" | "));
    }
}
