//! Reporting verbs: the cues that attribute words to someone, read from `data/reporting_verbs.txt`.
//!
//! Each cue has a lemma, a class (neutral or evaluative) and sometimes a channel. The file lists
//! lemmas and irregular forms; the regular inflections are made here, generously (a form no one
//! writes costs nothing). Phrasal cues ("rip into", "take aim", "tell reporters") match when their
//! particle words follow the verb.

use foldhash::HashMap;
use std::sync::LazyLock;

use crate::lexicon;

/// A reporting verb or phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Its base form, particle included ("rip into").
    pub lemma: &'static str,
    /// Whether it reports without judging (said, told) rather than evaluating (gushed, slammed).
    pub neutral: bool,
    /// Where the words were said, when the verb tells (twitter, statement).
    pub channel: Option<&'static str>,
    /// Whether its object is whom or what is judged ("criticized the board", "praised the
    /// regime"): with an object alone it is no statement; with a ground or a characterisation
    /// after it ("criticized the board for the delay", "slammed the plan as reckless") it
    /// reports the judgement.
    pub takes_target: bool,
    /// Whether, used without quotation marks, it names an act more often than it reports words
    /// ("spoke at the rally", "continued his tour", "pledged support", "attacked the embassy"):
    /// such a verb reports speech only with "that", a colon or quoted words.
    pub names_an_act: bool,
    /// Words that must follow the verb ("into" for "rip into").
    particle: Vec<&'static str>,
}

impl Cue {
    /// Its class, as the learned quote models name it: "act", "target", "neutral" or
    /// "evaluative".
    pub fn class_name(&self) -> &'static str {
        if self.names_an_act {
            "act"
        } else if self.takes_target {
            "target"
        } else if self.neutral {
            "neutral"
        } else {
            "evaluative"
        }
    }
}

struct CueTable {
    cues: Vec<Cue>,
    /// Lower-case verb form → cues that start with it, longest particle first.
    by_form: HashMap<String, Vec<usize>>,
}

static CUES: LazyLock<CueTable> = LazyLock::new(|| {
    let mut cues = Vec::new();
    let mut by_form: HashMap<String, Vec<usize>> = HashMap::default();
    for line in lexicon::items(include_str!("../../data/reporting_verbs.txt")) {
        let mut fields = line.split('|').map(str::trim);
        let (Some(lemma), Some(class), Some(channel)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let extra = fields.next().unwrap_or("");
        let mut words = lemma.split_whitespace();
        let Some(verb) = words.next() else { continue };
        let idx = cues.len();
        cues.push(Cue {
            lemma,
            neutral: class == "neutral" || class == "act",
            takes_target: class == "target" || class == "target-act",
            names_an_act: class == "act" || class == "target-act",
            channel: (channel != "-").then_some(channel),
            particle: words.collect(),
        });
        let mut forms = inflections(verb);
        forms.extend(extra.split_whitespace().map(str::to_string));
        for form in forms {
            let entry = by_form.entry(form).or_default();
            if !entry.contains(&idx) {
                entry.push(idx);
            }
        }
    }
    for entry in by_form.values_mut() {
        entry.sort_by_key(|&idx| std::cmp::Reverse(cues[idx].particle.len()));
    }
    CueTable { cues, by_form }
});

/// The regular forms of a verb: base, -s, -ed, -ing, with the usual spelling changes.
fn inflections(verb: &str) -> Vec<String> {
    let mut forms = vec![verb.to_string()];
    let last = verb.chars().last().unwrap_or('x');
    let before_last = verb.chars().rev().nth(1).unwrap_or('x');
    let is_vowel = |c: char| "aeiou".contains(c);
    if last == 'y' && !is_vowel(before_last) {
        let stem = &verb[..verb.len() - 1];
        forms.extend([
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{verb}ing"),
        ]);
        return forms;
    }
    if ["s", "sh", "ch", "x", "z", "o"]
        .iter()
        .any(|end| verb.ends_with(end))
    {
        forms.push(format!("{verb}es"));
    } else {
        forms.push(format!("{verb}s"));
    }
    if last == 'e' {
        let stem = &verb[..verb.len() - 1];
        forms.extend([format!("{verb}d"), format!("{stem}ing")]);
    } else {
        forms.extend([format!("{verb}ed"), format!("{verb}ing")]);
        // slam → slammed, admit → admitted: a final consonant after one vowel doubles.
        if !is_vowel(last) && !"wxy".contains(last) && is_vowel(before_last) {
            forms.extend([format!("{verb}{last}ed"), format!("{verb}{last}ing")]);
        }
    }
    forms
}

/// A cue found in a run of words: which cue and how many words it takes.
#[derive(Debug, Clone, Copy)]
pub struct CueMatch {
    /// The cue.
    pub cue: &'static Cue,
    /// Words it covers, the verb and its particle.
    pub len: usize,
}

/// The cue that starts at `words[0]`, if any. `words` are lower-case.
pub fn cue_at(words: &[&str]) -> Option<CueMatch> {
    let table = &*CUES;
    let first = words.first()?;
    let candidates = table.by_form.get(*first)?;
    candidates.iter().find_map(|&idx| {
        let cue = &table.cues[idx];
        let particle_fits = cue.particle.len() < words.len()
            && cue
                .particle
                .iter()
                .zip(&words[1..])
                .all(|(want, got)| want == got);
        (cue.particle.is_empty() || particle_fits).then_some(CueMatch {
            cue,
            len: 1 + cue.particle.len(),
        })
    })
}

/// Whether a lower-case word is a form of a speech verb ("said", "tweets", "slammed").
pub fn is_speech_verb(word: &str) -> bool {
    CUES.by_form.contains_key(word)
}

/// The lemma of a speech verb form, if it is one.
pub fn lemma_of(word: &str) -> Option<&'static str> {
    let table = &*CUES;
    let idx = *table.by_form.get(word)?.last()?;
    Some(table.cues[idx].lemma)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_and_irregular_forms_are_found() {
        for (form, lemma) in [
            ("said", "say"),
            ("says", "say"),
            ("told", "tell"),
            ("tweeted", "tweet"),
            ("slammed", "slam"),
            ("admitted", "admit"),
            ("denies", "deny"),
            ("gushing", "gush"),
            ("insisted", "insist"),
            ("wrote", "write"),
        ] {
            assert_eq!(cue_at(&[form]).map(|m| m.cue.lemma), Some(lemma), "{form}");
        }
        assert!(cue_at(&["table"]).is_none());
    }

    #[test]
    fn particles_choose_the_phrasal_cue() {
        let phrasal = cue_at(&["ripped", "into", "the"]).expect("a cue");
        assert_eq!((phrasal.cue.lemma, phrasal.len), ("rip into", 2));
        assert!(!phrasal.cue.neutral);
        let told = cue_at(&["told", "reporters"]).expect("a cue");
        assert_eq!(told.cue.channel, Some("interview"));
        assert_eq!(cue_at(&["told", "him"]).map(|m| m.cue.lemma), Some("tell"));
    }

    #[test]
    fn classes_come_from_the_file() {
        assert!(cue_at(&["said"]).expect("said").cue.neutral);
        assert!(!cue_at(&["gushed"]).expect("gushed").cue.neutral);
        assert_eq!(
            cue_at(&["tweeted"]).expect("tweeted").cue.channel,
            Some("twitter")
        );
    }
}
