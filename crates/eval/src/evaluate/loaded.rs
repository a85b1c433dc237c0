//! `eval loaded`'s runs: the `loaded` layer against the Propaganda Techniques Corpus
//! (character-level precision, recall and F1 against the union of `Loaded_Language` and
//! `Name_Calling,Labeling` spans, in-sample and cross-validated) and BASIL (recall of the
//! lexical-bias spans; the rate of spans in the outlet's own voice against the rate of annotated
//! lexical bias, and how alike the two rank the articles).
//!
//! The in-sample and BASIL runs put each article through the whole analysis
//! (`newslens_core::analyze`), so the figures are those of the shipped layer, quotes and all. The
//! cross-validation trains the tagger the way `train loaded` does ([`crate::train::loaded`]) on
//! all folds but one. Nothing here writes files: the error listings are strings in the reports.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use newslens_core::loaded::{
    find_loaded_with, shipped_model, train_tuned_with_silver, DecodeOptions, LoadedModel,
    TrainOptions,
};
use newslens_core::offsets::CharOffsets;
use newslens_core::{analyze, analyze_with_loaded, Article, Document};

use crate::train::loaded::{layers_of, names_of, read_ptc, silver_fold_dir, training_text};
use crate::{basil, ptc, RunError};

/// Characters counted for one predicted set against one gold set.
#[derive(Debug, Default, Clone, Copy)]
pub struct CharCounts {
    /// Characters predicted.
    pub predicted: usize,
    /// Gold characters.
    pub gold: usize,
    /// Characters both predicted and gold.
    pub both: usize,
}

impl CharCounts {
    pub(crate) fn add_masks(&mut self, predicted: &[bool], gold: &[bool]) {
        for (p, g) in predicted.iter().zip(gold) {
            self.predicted += usize::from(*p);
            self.gold += usize::from(*g);
            self.both += usize::from(*p && *g);
        }
    }

    /// Share of predicted characters that are gold.
    pub fn precision(&self) -> f64 {
        ratio(self.both, self.predicted)
    }

    /// Share of gold characters predicted.
    pub fn recall(&self) -> f64 {
        ratio(self.both, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    pub(crate) fn row(&self, label: &str) -> String {
        format!(
            "{label:<34} {:>6.3} {:>6.3} {:>6.3} {:>9} {:>9}\n",
            self.precision(),
            self.recall(),
            self.f1(),
            self.predicted,
            self.gold
        )
    }
}

/// The header over [`CharCounts`] rows.
pub(crate) fn header() -> String {
    format!(
        "{:<34} {:>6} {:>6} {:>6} {:>9} {:>9}\n",
        "", "P", "R", "F1", "predicted", "gold"
    )
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// A character mask of the text, set over the given character spans.
pub(crate) fn mask(n_chars: usize, spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<bool> {
    let mut mask = vec![false; n_chars];
    for (start, end) in spans {
        for set in mask.iter_mut().take(end.min(n_chars)).skip(start) {
            *set = true;
        }
    }
    mask
}

/// Analyses a text as an article of its own.
fn analyse_text(text: &str) -> Article {
    analyze(&Document::new(text))
}

/// The Propaganda Techniques Corpus, read once for the in-sample score and the cross-validation.
#[derive(Debug)]
pub struct PtcGold {
    /// The corpus folder, as given.
    pub dir: String,
    /// Its articles.
    pub articles: Vec<ptc::PtcArticle>,
}

/// How to cross-validate the tagger's training on PTC.
#[derive(Debug, Clone)]
pub struct CrossValidation {
    /// Folds (articles by index modulo N); fewer than two count as two.
    pub n_folds: usize,
    /// The training settings, as `train loaded` takes them.
    pub train: TrainOptions,
    /// Also score the held-out folds at every bias from -72 to 36 (a diagnostic of the tuning,
    /// not a held-out figure).
    pub sweep_biases: bool,
    /// A folder of teacher-labelled texts per fold ([`silver_fold_dir`]), added to each fold's
    /// training but never scored.
    pub silver: Option<String>,
    /// Train and score only this fold (to compare with a teacher measured on one fold).
    pub only_fold: Option<usize>,
}

impl PtcGold {
    /// Reads the corpus folder (holding `articles/` and `techniques.labels`).
    pub fn read(dir: &str) -> Result<PtcGold, RunError> {
        let articles = ptc::read(dir).map_err(|source| RunError::Corpus {
            corpus: "PTC",
            path: dir.to_string(),
            source,
        })?;
        Ok(PtcGold {
            dir: dir.to_string(),
            articles,
        })
    }

    /// Runs the whole analysis over every article and scores its loaded spans (in-sample: the
    /// shipped tagger is trained on this corpus).
    pub fn score(&self) -> PtcScore {
        let started = Instant::now();
        let mut score = PtcScore {
            dir: self.dir.clone(),
            n_articles: self.articles.len(),
            n_gold_spans: 0,
            n_predicted_spans: 0,
            all: CharCounts::default(),
            narrative: CharCounts::default(),
            by_technique: BTreeMap::new(),
            by_category: BTreeMap::new(),
            n_words: 0,
            seconds: 0.0,
            errors: String::new(),
        };
        for article in &self.articles {
            score.add(article);
        }
        for entry in score.by_category.values_mut() {
            entry.gold = score.all.gold;
        }
        score.seconds = started.elapsed().as_secs_f64();
        score
    }
}

/// The shipped layer on PTC, in-sample.
#[derive(Debug)]
pub struct PtcScore {
    /// The corpus folder.
    pub dir: String,
    /// Articles scored.
    pub n_articles: usize,
    /// Gold spans (both techniques).
    pub n_gold_spans: usize,
    /// Spans the layer found.
    pub n_predicted_spans: usize,
    /// Every loaded span against the gold union.
    pub all: CharCounts,
    /// Loaded spans outside quotes against the gold union.
    pub narrative: CharCounts,
    /// Every loaded span against each technique alone.
    pub by_technique: BTreeMap<&'static str, CharCounts>,
    /// Each category's own characters: its precision, and the share of gold it finds.
    pub by_category: BTreeMap<String, CharCounts>,
    /// Words analysed.
    pub n_words: usize,
    /// Seconds of analysis and scoring.
    pub seconds: f64,
    /// Every predicted span (with the share of it that is gold) and every gold span (with the
    /// share found), tab-separated, for error analysis.
    pub errors: String,
}

impl PtcScore {
    fn add(&mut self, article: &ptc::PtcArticle) {
        let analysed = analyse_text(&article.text);
        self.n_words += analysed.tone.as_ref().map_or(0, |tone| tone.words);
        let n_chars = article.text.chars().count();
        let gold_spans: Vec<&ptc::TechniqueSpan> = article.loaded_spans().collect();
        self.n_gold_spans += gold_spans.len();
        self.n_predicted_spans += analysed.loaded.len();
        let gold = mask(n_chars, gold_spans.iter().map(|s| (s.start, s.end)));
        let predicted = mask(n_chars, analysed.loaded.iter().map(|l| (l.start, l.end)));
        self.all.add_masks(&predicted, &gold);
        let found: Vec<(usize, usize, &str)> = analysed
            .loaded
            .iter()
            .map(|l| (l.start, l.end, l.category.as_str()))
            .collect();
        error_rows(&mut self.errors, article, &found, &predicted, &gold);
        let outside_quotes = mask(
            n_chars,
            analysed
                .loaded
                .iter()
                .filter(|l| !l.in_quote)
                .map(|l| (l.start, l.end)),
        );
        self.narrative.add_masks(&outside_quotes, &gold);
        for technique in ptc::LOADED_TECHNIQUES {
            let gold = mask(
                n_chars,
                gold_spans
                    .iter()
                    .filter(|s| s.technique == technique)
                    .map(|s| (s.start, s.end)),
            );
            self.by_technique
                .entry(technique)
                .or_default()
                .add_masks(&predicted, &gold);
        }
        let mut categories: Vec<&str> = found.iter().map(|(_, _, category)| *category).collect();
        categories.sort_unstable();
        categories.dedup();
        for category in categories {
            let predicted = mask(
                n_chars,
                found
                    .iter()
                    .filter(|(_, _, c)| *c == category)
                    .map(|(start, end, _)| (*start, *end)),
            );
            // Only the category's own characters count: its precision, and the share of gold
            // characters it finds.
            let entry = self.by_category.entry(category.to_string()).or_default();
            let mut counts = CharCounts::default();
            counts.add_masks(&predicted, &gold);
            entry.predicted += counts.predicted;
            entry.both += counts.both;
        }
    }
}

impl fmt::Display for PtcScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "loaded language on PTC ({}): {} articles, {} gold spans (Loaded_Language ∪ Name_Calling,Labeling), {} predicted; character level",
            self.dir, self.n_articles, self.n_gold_spans, self.n_predicted_spans
        )?;
        f.write_str(&header())?;
        f.write_str(&self.all.row("all loaded spans"))?;
        f.write_str(&self.narrative.row("outside quotes only"))?;
        for (technique, counts) in &self.by_technique {
            f.write_str(&counts.row(&format!("all spans vs {technique} alone")))?;
        }
        for (category, counts) in &self.by_category {
            f.write_str(&counts.row(&format!("  category {category}")))?;
        }
        write!(
            f,
            "{} words analysed in {:.2} s (whole analysis, one thread)\n\
             note: the shipped tagger is trained on this corpus, so these figures are in-sample; \
             --folds N gives held-out ones\n\n",
            self.n_words, self.seconds
        )
    }
}

/// Appends the predicted spans (with the share of each that is gold) and the gold spans (with the
/// share found) of one article to `errors`, tab-separated.
fn error_rows(
    errors: &mut String,
    article: &ptc::PtcArticle,
    predicted: &[(usize, usize, &str)],
    predicted_mask: &[bool],
    gold_mask: &[bool],
) {
    let chars: Vec<char> = article.text.chars().collect();
    let n_chars = chars.len();
    let share = |mask: &[bool], start: usize, end: usize| {
        let end = end.min(n_chars);
        let n_set = mask[start.min(end)..end].iter().filter(|set| **set).count();
        ratio(n_set, end.saturating_sub(start))
    };
    let words = |start: usize, end: usize| -> String {
        chars[start.min(n_chars)..end.min(n_chars)]
            .iter()
            .collect::<String>()
            .replace(['\n', '\t'], " ")
    };
    for (start, end, category) in predicted {
        errors.push_str(&format!(
            "predicted\t{:.2}\t{category}\t{}\t{}\n",
            share(gold_mask, *start, *end),
            article.id,
            words(*start, *end)
        ));
    }
    for span in article.loaded_spans() {
        errors.push_str(&format!(
            "gold\t{:.2}\t{}\t{}\t{}\n",
            share(predicted_mask, span.start, span.end),
            span.technique,
            article.id,
            words(span.start, span.end)
        ));
    }
}

/// The tagger trained on all folds but one, scored on that one, for each fold.
#[derive(Debug)]
pub struct FoldScore {
    /// Folds.
    pub n_folds: usize,
    /// The training settings.
    pub train: TrainOptions,
    /// Per fold, the bias its tuning chose (`fold 0: bias -45 (tuning F1 0.289)`).
    pub chosen: Vec<String>,
    /// Tagger and lexicon, as shipped, on the held-out folds.
    pub all: CharCounts,
    /// The lexicon alone on the held-out folds.
    pub lexicon_only: CharCounts,
    /// With [`CrossValidation::sweep_biases`]: each bias and its held-out counts.
    pub swept: Vec<(f32, CharCounts)>,
    /// The held-out predicted and gold spans, as [`PtcScore::errors`] lists them.
    pub errors: String,
}

impl PtcGold {
    /// Trains on all folds but one (tuning the bias on those folds only) and scores the tagger
    /// (with the lexicon, as shipped) on that one.
    pub fn cross_validate(&self, options: &CrossValidation) -> Result<FoldScore, RunError> {
        let n_folds = options.n_folds.max(2);
        let train = &options.train;
        let texts: Vec<_> = self.articles.iter().map(training_text).collect();
        let sweep_biases: Vec<f32> = if options.sweep_biases {
            curve_biases()
        } else {
            Vec::new()
        };
        let mut score = FoldScore {
            n_folds,
            train: train.clone(),
            chosen: Vec::new(),
            all: CharCounts::default(),
            lexicon_only: CharCounts::default(),
            swept: sweep_biases
                .iter()
                .map(|bias| (*bias, CharCounts::default()))
                .collect(),
            errors: String::new(),
        };
        for fold in 0..n_folds {
            if options.only_fold.is_some_and(|only| only != fold) {
                continue;
            }
            let training: Vec<_> = texts
                .iter()
                .enumerate()
                .filter(|(idx, _)| idx % n_folds != fold)
                .map(|(_, text)| text.clone())
                .collect();
            let silver_articles = match &options.silver {
                Some(dir) => read_ptc(&silver_fold_dir(dir, fold, n_folds))?,
                None => Vec::new(),
            };
            let silver: Vec<_> = silver_articles.iter().map(training_text).collect();
            let model = train_tuned_with_silver(
                &training,
                &silver,
                train,
                |_, _, _| {},
                |bias, f1| {
                    score
                        .chosen
                        .push(format!("fold {fold}: bias {bias} (tuning F1 {f1:.3})"))
                },
            );
            for article in self.articles.iter().skip(fold).step_by(n_folds) {
                score.add_held_out(article, &model, train);
            }
        }
        Ok(score)
    }
}

impl FoldScore {
    /// Scores one held-out article with the fold's model, the lexicon alone and each swept bias.
    fn add_held_out(
        &mut self,
        article: &ptc::PtcArticle,
        model: &LoadedModel,
        train: &TrainOptions,
    ) {
        let text = article.text.as_str();
        let (sentence_tokens, quoted) = layers_of(text);
        let names = names_of(text, &sentence_tokens);
        let offsets = CharOffsets::new(text);
        let n_chars = text.chars().count();
        let gold = mask(n_chars, article.loaded_spans().map(|s| (s.start, s.end)));
        let char_spans = |model: &LoadedModel| {
            find_loaded_with(
                model,
                text,
                &sentence_tokens,
                &quoted,
                &names,
                &train.decode,
            )
            .iter()
            .map(|l| {
                let span = offsets.span(l.span);
                (span.start, span.end, l.category.as_str())
            })
            .collect::<Vec<_>>()
        };
        let found = char_spans(model);
        let predicted = mask(n_chars, found.iter().map(|(s, e, _)| (*s, *e)));
        self.all.add_masks(&predicted, &gold);
        error_rows(&mut self.errors, article, &found, &predicted, &gold);
        let empty = LoadedModel::empty();
        let predicted = mask(n_chars, char_spans(&empty).iter().map(|(s, e, _)| (*s, *e)));
        self.lexicon_only.add_masks(&predicted, &gold);
        for (bias, counts) in self.swept.iter_mut() {
            let model = model.clone().with_none_bias(*bias);
            let predicted = mask(n_chars, char_spans(&model).iter().map(|(s, e, _)| (*s, *e)));
            counts.add_masks(&predicted, &gold);
        }
    }
}

impl fmt::Display for FoldScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}-fold cross-validation of the tagger on PTC (epochs {}, bits {}, {}); character level",
            self.n_folds,
            self.train.epochs,
            self.train.bits,
            if self.train.tuning_folds >= 2 {
                format!("bias tuned over {} folds of each training set", self.train.tuning_folds)
            } else {
                format!("none bias {}", self.train.none_bias)
            }
        )?;
        for line in &self.chosen {
            writeln!(f, "  {line}")?;
        }
        f.write_str(&header())?;
        f.write_str(&self.all.row("tagger + lexicon, held-out folds"))?;
        f.write_str(&self.lexicon_only.row("lexicon alone"))?;
        if !self.swept.is_empty() {
            writeln!(
                f,
                "precision/recall curve over the bias on \"not loaded\" (held-out folds; a \
                 diagnostic: choosing a bias here would tune on them):"
            )?;
            for (bias, counts) in &self.swept {
                f.write_str(&counts.row(&format!("  bias {bias}")))?;
            }
        }
        writeln!(f)
    }
}

/// The shipped layer against BASIL's lexical-bias spans (`bias=lex`).
#[derive(Debug)]
pub struct BasilScore {
    /// The corpus folder, as given.
    pub dir: String,
    /// Articles scored.
    pub n_articles: usize,
    /// Annotated spans the reader could not place in their article's text.
    pub n_unplaced: usize,
    /// Lexical-bias spans, and those of which the layer found any character.
    pub n_spans: usize,
    /// See `n_spans`.
    pub n_found: usize,
    /// The same, outside quotes.
    pub n_spans_outside: usize,
    /// See `n_spans_outside`.
    pub n_found_outside: usize,
    /// Character counts against every lexical-bias span.
    pub chars_all: CharCounts,
    /// Character counts against those outside quotes.
    pub chars_outside: CharCounts,
    /// Per article, the rates (per 1,000 words) that [`BasilRates`] compares.
    pub rates: BasilRates,
}

/// Per article, spans per 1,000 words: the layer's in the outlet's own voice (outside quotes)
/// and the annotators' lexical bias (all of it, and outside quotes).
#[derive(Debug, Default, Clone)]
pub struct BasilRates {
    /// Words per article.
    pub words: Vec<usize>,
    /// The layer's spans outside quotes, per article.
    pub own_voice: Vec<usize>,
    /// `bias=lex` spans, per article.
    pub lexical: Vec<usize>,
    /// `bias=lex` spans the annotators did not mark as quoted, per article.
    pub lexical_outside: Vec<usize>,
}

impl BasilRates {
    pub(crate) fn add(&mut self, article: &basil::BasilArticle, analysed: &Article) {
        self.words
            .push(analysed.tone.as_ref().map_or(0, |tone| tone.words));
        self.own_voice
            .push(analysed.loaded.iter().filter(|l| !l.in_quote).count());
        let lexical = article.spans.iter().filter(|s| s.bias == "lex");
        self.lexical.push(lexical.clone().count());
        self.lexical_outside
            .push(lexical.filter(|s| !s.in_quote).count());
    }

    /// Spans per 1,000 words over all the articles.
    fn per_thousand(&self, counts: &[usize]) -> f64 {
        1000.0 * counts.iter().sum::<usize>() as f64
            / self.words.iter().sum::<usize>().max(1) as f64
    }

    /// Each article's rate per 1,000 words.
    fn article_rates(&self, counts: &[usize]) -> Vec<f64> {
        counts
            .iter()
            .zip(&self.words)
            .map(|(n, words)| 1000.0 * *n as f64 / (*words).max(1) as f64)
            .collect()
    }

    /// The layer's own-voice spans per 1,000 words.
    pub fn own_voice_rate(&self) -> f64 {
        self.per_thousand(&self.own_voice)
    }

    /// Annotated lexical-bias spans per 1,000 words.
    pub fn lexical_rate(&self) -> f64 {
        self.per_thousand(&self.lexical)
    }

    /// Spearman's rank correlation of the articles' own-voice rates with their lexical-bias
    /// rates (all annotated spans, and those outside quotes).
    pub fn spearman(&self) -> (f64, f64) {
        let own = self.article_rates(&self.own_voice);
        (
            spearman(&own, &self.article_rates(&self.lexical)),
            spearman(&own, &self.article_rates(&self.lexical_outside)),
        )
    }
}

/// The biases on "not loaded" at which `--curve` and `--sweep` score the tagger.
pub fn curve_biases() -> Vec<f32> {
    (-12..=6).map(|b| b as f32 * 6.0).collect()
}

/// Spearman's rank correlation (ties take their mean rank); 0 when either side is constant.
pub fn spearman(xs: &[f64], ys: &[f64]) -> f64 {
    let (rx, ry) = (ranks(xs), ranks(ys));
    let n = rx.len().min(ry.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean = (n + 1.0) / 2.0;
    let (mut cov, mut var_x, mut var_y) = (0.0, 0.0, 0.0);
    for (x, y) in rx.iter().zip(&ry) {
        cov += (x - mean) * (y - mean);
        var_x += (x - mean) * (x - mean);
        var_y += (y - mean) * (y - mean);
    }
    if var_x == 0.0 || var_y == 0.0 {
        0.0
    } else {
        cov / (var_x * var_y).sqrt()
    }
}

/// 1-based ranks, ties given the mean of the ranks they share.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut ranks = vec![0.0; values.len()];
    let mut first = 0;
    while first < order.len() {
        let mut last = first;
        while last + 1 < order.len() && values[order[last + 1]] == values[order[first]] {
            last += 1;
        }
        let mean_rank = (first + last) as f64 / 2.0 + 1.0;
        for idx in &order[first..=last] {
            ranks[*idx] = mean_rank;
        }
        first = last + 1;
    }
    ranks
}

/// Reads BASIL, or says which folder it could not read.
pub(crate) fn read_basil(dir: &str) -> Result<(Vec<basil::BasilArticle>, usize), RunError> {
    basil::read(dir).map_err(|source| RunError::Corpus {
        corpus: "BASIL",
        path: dir.to_string(),
        source,
    })
}

/// The shipped layer on BASIL at each bias on "not loaded" (every other layer as shipped):
/// own-voice spans per 1,000 words and their rank correlation with the annotated lexical bias.
#[derive(Debug)]
pub struct BasilCurve {
    /// The shipped tagger's own bias.
    pub shipped_bias: f32,
    /// Each bias and the rates it gives.
    pub points: Vec<(f32, BasilRates)>,
}

/// Analyses every BASIL article at each bias (see [`BasilCurve`]).
pub fn basil_curve(dir: &str, biases: &[f32]) -> Result<BasilCurve, RunError> {
    let (articles, _) = read_basil(dir)?;
    let decode = DecodeOptions::default();
    let points = biases
        .iter()
        .map(|bias| {
            let model = shipped_model().clone().with_none_bias(*bias);
            let mut rates = BasilRates::default();
            for article in &articles {
                let analysed = analyze_with_loaded(&Document::new(&article.text), &model, &decode);
                rates.add(article, &analysed);
            }
            (*bias, rates)
        })
        .collect();
    Ok(BasilCurve {
        shipped_bias: shipped_model().none_bias(),
        points,
    })
}

impl fmt::Display for BasilCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "BASIL at each bias on \"not loaded\" (shipped: {}): own-voice spans per 1,000 words \
             against annotated bias=lex, and Spearman of the per-article rates",
            self.shipped_bias
        )?;
        let points: Vec<(String, &BasilRates)> = self
            .points
            .iter()
            .map(|(bias, rates)| (bias.to_string(), rates))
            .collect();
        write_rate_rows(f, "bias", &points)?;
        writeln!(f)
    }
}

/// The rows of a BASIL curve under a header whose first column is `column`: each point's label,
/// own-voice and annotated spans per 1,000 words, their ratio and the two Spearman figures.
pub(crate) fn write_rate_rows(
    f: &mut fmt::Formatter<'_>,
    column: &str,
    points: &[(String, &BasilRates)],
) -> fmt::Result {
    let width = column.len().max(6);
    writeln!(
        f,
        "{column:>width$} {:>10} {:>10} {:>6} {:>9} {:>13}",
        "own/1000", "lex/1000", "ratio", "Spearman", "(lex outside)"
    )?;
    for (label, rates) in points {
        let (rho, rho_outside) = rates.spearman();
        writeln!(
            f,
            "{label:>width$} {:>10.2} {:>10.2} {:>6.2} {rho:>9.3} {rho_outside:>13.3}",
            rates.own_voice_rate(),
            rates.lexical_rate(),
            ratio_f(rates.own_voice_rate(), rates.lexical_rate()),
        )?;
    }
    Ok(())
}

fn ratio_f(numerator: f64, denominator: f64) -> f64 {
    if denominator == 0.0 {
        0.0
    } else {
        numerator / denominator
    }
}

/// Reads BASIL (a folder holding `articles/` and `annotations/`), analyses every article and
/// measures the recall of its lexical-bias spans.
pub fn basil(dir: &str) -> Result<BasilScore, RunError> {
    let (articles, n_unplaced) = read_basil(dir)?;
    let mut score = BasilScore {
        dir: dir.to_string(),
        n_articles: articles.len(),
        n_unplaced,
        n_spans: 0,
        n_found: 0,
        n_spans_outside: 0,
        n_found_outside: 0,
        chars_all: CharCounts::default(),
        chars_outside: CharCounts::default(),
        rates: BasilRates::default(),
    };
    for article in &articles {
        let analysed = analyse_text(&article.text);
        score.rates.add(article, &analysed);
        let n_chars = article.text.chars().count();
        let predicted = mask(n_chars, analysed.loaded.iter().map(|l| (l.start, l.end)));
        let lexical: Vec<&basil::BiasSpan> =
            article.spans.iter().filter(|s| s.bias == "lex").collect();
        let gold = mask(n_chars, lexical.iter().map(|s| (s.start, s.end)));
        score.chars_all.add_masks(&predicted, &gold);
        let gold_outside = mask(
            n_chars,
            lexical
                .iter()
                .filter(|s| !s.in_quote)
                .map(|s| (s.start, s.end)),
        );
        score.chars_outside.add_masks(&predicted, &gold_outside);
        for span in &lexical {
            let found = predicted
                .iter()
                .take(span.end.min(n_chars))
                .skip(span.start)
                .any(|set| *set);
            score.n_spans += 1;
            score.n_found += usize::from(found);
            if !span.in_quote {
                score.n_spans_outside += 1;
                score.n_found_outside += usize::from(found);
            }
        }
    }
    Ok(score)
}

impl fmt::Display for BasilScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "lexical bias on BASIL ({}): {} articles, {} bias=lex spans ({} spans not placed)\n\
             span recall (any character found): {:.3} ({}/{}); outside quotes {:.3} ({}/{})\n\
             character recall: {:.3}; outside quotes {:.3}\n\
             own-voice spans (outside quotes) per 1,000 words: {:.2}; annotated bias=lex: {:.2} \
             (ratio {:.2})\n\
             Spearman of the per-article rates: {:.3} (against bias=lex outside quotes: {:.3})\n\n",
            self.dir,
            self.n_articles,
            self.n_spans,
            self.n_unplaced,
            ratio(self.n_found, self.n_spans),
            self.n_found,
            self.n_spans,
            ratio(self.n_found_outside, self.n_spans_outside),
            self.n_found_outside,
            self.n_spans_outside,
            self.chars_all.recall(),
            self.chars_outside.recall(),
            self.rates.own_voice_rate(),
            self.rates.lexical_rate(),
            ratio_f(self.rates.own_voice_rate(), self.rates.lexical_rate()),
            self.rates.spearman().0,
            self.rates.spearman().1,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_clips_spans_that_run_past_the_text() {
        assert_eq!(mask(4, [(1, 2), (3, 9)]), vec![false, true, false, true]);
    }

    #[test]
    fn spearman_ranks_ties_by_their_mean_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), [3.5, 1.0, 3.5, 2.0]);
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
    }

    #[test]
    fn only_fold_trains_and_scores_that_fold_alone() {
        let sentences = [
            "The senator gave a shameful, disgraceful speech to the committee on Tuesday.",
            "Officials said the budget would be published in the spring after a review.",
            "Critics called the plan a reckless disaster that would ruin the town.",
            "The council met on Monday and approved the minutes of the last meeting.",
        ];
        let articles: Vec<ptc::PtcArticle> = sentences
            .iter()
            .enumerate()
            .map(|(idx, text)| {
                let spans = ["shameful, disgraceful", "reckless disaster"]
                    .iter()
                    .filter_map(|phrase| text.find(phrase).map(|at| (at, phrase.len())))
                    .map(|(start, len)| ptc::TechniqueSpan {
                        technique: "Loaded_Language".to_string(),
                        start,
                        end: start + len,
                    })
                    .collect();
                ptc::PtcArticle {
                    id: format!("{idx}"),
                    text: text.to_string(),
                    spans,
                }
            })
            .collect();
        let gold = PtcGold {
            dir: "in memory".to_string(),
            articles,
        };
        let options = CrossValidation {
            n_folds: 2,
            train: TrainOptions {
                epochs: 2,
                tuning_folds: 0,
                ..TrainOptions::default()
            },
            sweep_biases: false,
            silver: None,
            only_fold: Some(1),
        };
        let score = gold.cross_validate(&options).unwrap();
        // Fold 1 holds articles 1 and 3, neither of which has a gold span; fold 0's two spans
        // (38 characters) would be counted had it been scored.
        assert_eq!(score.all.gold, 0);
        let all_folds = gold
            .cross_validate(&CrossValidation {
                only_fold: None,
                ..options
            })
            .unwrap();
        assert_eq!(all_folds.all.gold, 21 + 17);
    }

    #[test]
    fn char_counts_score_characters_in_both_masks() {
        let mut counts = CharCounts::default();
        counts.add_masks(&[true, true, false, false], &[true, false, true, false]);
        assert_eq!((counts.predicted, counts.gold, counts.both), (2, 2, 1));
        assert_eq!(counts.f1(), 0.5);
        assert_eq!(CharCounts::default().f1(), 0.0);
    }
}
