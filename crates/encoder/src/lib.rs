//! The loaded-language layer's optional encoder mode (`--loaded encoder`): all-MiniLM-L6-v2
//! fine-tuned end to end on the Propaganda Techniques Corpus, run on the CPU with candle.
//!
//! The shipped tagger (`newslens_core::loaded`) is a linear model over hand-made features: fast
//! (the whole analysis runs at about 70× spaCy small's words per CPU-second) but, held out on
//! PTC, it reaches F1 .28 at the precision readers need (.45). The encoder reads each word in its
//! context and reaches F1 .335 at P .457 (README, Measured), at about 1,400 words per CPU-second
//! on news text (some 250× slower than the default analysis) and 230 MB: a mode for a reader who
//! wants the better list and can wait for it, never the default.
//!
//! This crate only gives each token its three class probabilities (none, loaded language, name
//! calling) through [`newslens_core::loaded::TokenProbabilities`]; the core turns them into
//! spans with the same lexicon, scare quotes, edge trimming and identity-word rules as the
//! feature tagger's. The model is `models/encoder/` (fp16 safetensors, 45 MB, compiled into the
//! binary; `scripts/loaded_finetune.py` trains it and `scripts/loaded_encoder_export.py` writes
//! it, see that folder's README.md).
//!
//! Text is read as the training script reads it: non-empty lines, wordpieces without special
//! tokens, packed into windows of at most [`WINDOW`] pieces, each window framed by `[CLS]` and
//! `[SEP]`. A line longer than a window is cut into windows of its own.

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use candle_core::{DType, Device, Tensor};
use candle_nn::{Linear, Module, VarBuilder};
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::Tokenizer;

use newslens_core::loaded::TokenProbabilities;
use newslens_core::{Deadline, OverBudget, Span};

/// The fine-tuned weights (fp16), compiled in.
const SHIPPED_WEIGHTS: &[u8] = include_bytes!("../../../models/encoder/model.safetensors");
/// all-MiniLM-L6-v2's uncased wordpiece tokenizer.
const TOKENIZER: &[u8] = include_bytes!("../../../models/encoder/tokenizer.json");
/// all-MiniLM-L6-v2's BERT configuration (6 layers, 384 wide, 12 heads).
const CONFIG: &str = include_str!("../../../models/encoder/config.json");

/// The most wordpieces in one window, `[CLS]` and `[SEP]` aside (as the model was trained).
pub const WINDOW: usize = 254;

/// The classes the head scores: none, loaded language, name calling.
const CLASSES: usize = 3;

/// `[CLS]` and `[SEP]` in the tokenizer's vocabulary.
const CLS: u32 = 101;
const SEP: u32 = 102;

/// The operating point on P(not none) for readers: on the held-out PTC curve (four folds, each
/// scored by weights fine-tuned without it, through the shipped decoding), the lowest threshold
/// whose pooled precision passes .45 with half a point to spare: P .457 R .264 F1 .335 (README,
/// Measured, has the whole curve).
pub const DEFAULT_THRESHOLD: f32 = 0.4375;

/// Why an encoder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    /// The weights file could not be read.
    #[error("cannot read encoder weights {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The weights, configuration or tokenizer are not what the encoder expects.
    #[error("encoder weights {what}: {message}")]
    Invalid {
        /// Which weights (a path, or "shipped").
        what: String,
        /// What is wrong with them.
        message: String,
    },
}

/// MiniLM with a three-class head over each wordpiece.
pub struct Encoder {
    model: BertModel,
    head: Linear,
    tokenizer: Tokenizer,
    device: Device,
}

impl fmt::Debug for Encoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Encoder(all-MiniLM-L6-v2 + PTC head)")
    }
}

/// Each wordpiece of a text: where it is (bytes) and its class probabilities.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pieces {
    /// Each piece's byte span, in text order.
    pub spans: Vec<Span>,
    /// Each piece's probabilities of none, loaded language and name calling.
    pub probabilities: Vec<[f32; 3]>,
}

impl Encoder {
    /// The shipped encoder, loaded once per process (about 0.3 s and 90 MB of f32 weights).
    pub fn shipped() -> Result<&'static Encoder, &'static EncoderError> {
        static SHIPPED: OnceLock<Result<Encoder, EncoderError>> = OnceLock::new();
        SHIPPED
            .get_or_init(|| Encoder::from_safetensors(SHIPPED_WEIGHTS, "shipped"))
            .as_ref()
    }

    /// An encoder with other fine-tuned weights (fp16 or f32 safetensors with BERT's names and a
    /// `classifier` head), such as one trained without a held-out fold.
    pub fn from_file(path: &Path) -> Result<Encoder, EncoderError> {
        let bytes = std::fs::read(path).map_err(|source| EncoderError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Encoder::from_safetensors(&bytes, &path.display().to_string())
    }

    fn from_safetensors(bytes: &[u8], what: &str) -> Result<Encoder, EncoderError> {
        let invalid = |message: String| EncoderError::Invalid {
            what: what.to_string(),
            message,
        };
        let device = Device::Cpu;
        let config: Config =
            serde_json::from_str(CONFIG).map_err(|error| invalid(error.to_string()))?;
        let weights = VarBuilder::from_slice_safetensors(bytes, DType::F32, &device)
            .map_err(|error| invalid(error.to_string()))?;
        let model = BertModel::load(weights.clone(), &config)
            .map_err(|error| invalid(error.to_string()))?;
        let head = candle_nn::linear(config.hidden_size, CLASSES, weights.pp("classifier"))
            .map_err(|error| invalid(error.to_string()))?;
        let mut tokenizer =
            Tokenizer::from_bytes(TOKENIZER).map_err(|error| invalid(error.to_string()))?;
        // The file pads and truncates to 128 pieces; windows are cut here.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|error| invalid(error.to_string()))?;
        Ok(Encoder {
            model,
            head,
            tokenizer,
            device,
        })
    }

    /// The probabilities of every wordpiece of a text, window by window; `OverBudget` once
    /// `deadline` has passed (checked before each window).
    pub fn piece_probabilities(
        &self,
        text: &str,
        deadline: Deadline,
    ) -> Result<Pieces, OverBudget> {
        let mut pieces = Pieces::default();
        for window in windows(&self.tokenizer, text) {
            deadline.check()?;
            match self.window_probabilities(&window.ids) {
                Ok(probabilities) => {
                    pieces.spans.extend(window.spans);
                    pieces.probabilities.extend(probabilities);
                }
                // A window the model cannot run (none is known) is read as unloaded: the
                // analysis never fails on text.
                Err(_) => {
                    pieces
                        .probabilities
                        .extend(std::iter::repeat_n([1.0, 0.0, 0.0], window.spans.len()));
                    pieces.spans.extend(window.spans);
                }
            }
        }
        Ok(pieces)
    }

    /// One window's piece probabilities (without `[CLS]` and `[SEP]`).
    fn window_probabilities(&self, ids: &[u32]) -> candle_core::Result<Vec<[f32; 3]>> {
        let framed: Vec<u32> = std::iter::once(CLS)
            .chain(ids.iter().copied())
            .chain(std::iter::once(SEP))
            .collect();
        let input = Tensor::new(framed.as_slice(), &self.device)?.unsqueeze(0)?;
        let types = input.zeros_like()?;
        let mask = input.ones_like()?;
        let hidden = self.model.forward(&input, &types, Some(&mask))?;
        let logits = self.head.forward(&hidden)?.squeeze(0)?;
        let probabilities = candle_nn::ops::softmax_last_dim(&logits)?;
        let rows: Vec<Vec<f32>> = probabilities.narrow(0, 1, ids.len())?.to_vec2()?;
        Ok(rows
            .into_iter()
            .map(|row| [row[0], row[1], row[2]])
            .collect())
    }
}

impl TokenProbabilities for Encoder {
    fn token_probabilities(
        &self,
        text: &str,
        sentence_tokens: &[Vec<Span>],
        deadline: Deadline,
    ) -> Result<Vec<Vec<[f32; 3]>>, OverBudget> {
        let pieces = self.piece_probabilities(text, deadline)?;
        Ok(tokens_of_pieces(&pieces, sentence_tokens))
    }
}

/// Each token's probabilities: the mean over the wordpieces that overlap it ("slammed" is one
/// piece, "demagoguery" three); a token no piece covers (a line the tokenizer could not read) is
/// unloaded.
pub fn tokens_of_pieces(pieces: &Pieces, sentence_tokens: &[Vec<Span>]) -> Vec<Vec<[f32; 3]>> {
    let mut first_piece = 0;
    sentence_tokens
        .iter()
        .map(|tokens| {
            tokens
                .iter()
                .map(|token| {
                    while first_piece < pieces.spans.len()
                        && pieces.spans[first_piece].end <= token.start
                    {
                        first_piece += 1;
                    }
                    let mut sum = [0.0f32; 3];
                    let mut n = 0usize;
                    let mut idx = first_piece;
                    while idx < pieces.spans.len() && pieces.spans[idx].start < token.end {
                        for (total, p) in sum.iter_mut().zip(pieces.probabilities[idx]) {
                            *total += p;
                        }
                        n += 1;
                        idx += 1;
                    }
                    if n == 0 {
                        [1.0, 0.0, 0.0]
                    } else {
                        sum.map(|total| total / n as f32)
                    }
                })
                .collect()
        })
        .collect()
}

/// One window of wordpieces: their ids and byte spans.
#[derive(Debug, Default)]
struct Window {
    ids: Vec<u32>,
    spans: Vec<Span>,
}

/// The text's non-empty lines as wordpieces, packed into windows of at most [`WINDOW`] pieces in
/// text order; a line longer than a window fills windows of its own.
fn windows(tokenizer: &Tokenizer, text: &str) -> Vec<Window> {
    let mut windows: Vec<Window> = Vec::new();
    let mut current = Window::default();
    let mut line_start = 0;
    for line in text.split('\n') {
        let start = line_start;
        line_start += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(encoding) = tokenizer.encode(line, false) else {
            continue;
        };
        let ids = encoding.get_ids();
        let spans: Vec<Span> = encoding
            .get_offsets()
            .iter()
            .map(|(piece_start, piece_end)| Span::new(start + piece_start, start + piece_end))
            .collect();
        if !current.ids.is_empty() && current.ids.len() + ids.len() > WINDOW {
            windows.push(std::mem::take(&mut current));
        }
        for (chunk_ids, chunk_spans) in ids.chunks(WINDOW).zip(spans.chunks(WINDOW)) {
            if current.ids.len() + chunk_ids.len() > WINDOW {
                windows.push(std::mem::take(&mut current));
            }
            current.ids.extend_from_slice(chunk_ids);
            current.spans.extend_from_slice(chunk_spans);
        }
    }
    if !current.ids.is_empty() {
        windows.push(current);
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer() -> Tokenizer {
        let mut tokenizer = Tokenizer::from_bytes(TOKENIZER).unwrap();
        tokenizer.with_padding(None);
        tokenizer.with_truncation(None).unwrap();
        tokenizer
    }

    #[test]
    fn windows_pack_lines_and_cut_long_ones_without_losing_a_piece() {
        let tokenizer = tokenizer();
        let short = "The pier reopens in June.";
        let long = "word ".repeat(600);
        let text = format!("{short}\n\n{short}\n{long}\n{short}");
        let windows = windows(&tokenizer, &text);
        let pieces: usize = windows.iter().map(|w| w.ids.len()).sum();
        let short_pieces = tokenizer.encode(short, false).unwrap().get_ids().len();
        assert_eq!(pieces, 3 * short_pieces + 600);
        assert!(windows
            .iter()
            .all(|w| w.ids.len() <= WINDOW && !w.ids.is_empty()));
        // The two first lines share a window; the long line's first piece starts a new one.
        assert_eq!(windows[0].ids.len(), 2 * short_pieces);
        for window in &windows {
            for span in &window.spans {
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
        let all: Vec<Span> = windows.iter().flat_map(|w| w.spans.clone()).collect();
        assert!(all.windows(2).all(|pair| pair[0].end <= pair[1].start));
        assert_eq!(&text[all[0].start..all[0].end], "The");
    }

    #[test]
    fn a_token_takes_the_mean_of_its_pieces_and_a_bare_token_is_unloaded() {
        let pieces = Pieces {
            spans: vec![Span::new(0, 3), Span::new(3, 6), Span::new(7, 9)],
            probabilities: vec![[0.2, 0.8, 0.0], [0.6, 0.2, 0.2], [0.9, 0.1, 0.0]],
        };
        let tokens = vec![
            vec![Span::new(0, 6)],
            vec![Span::new(7, 9), Span::new(10, 12)],
        ];
        let found = tokens_of_pieces(&pieces, &tokens);
        assert_eq!(found.len(), 2);
        assert!((found[0][0][0] - 0.4).abs() < 1e-6 && (found[0][0][1] - 0.5).abs() < 1e-6);
        assert_eq!(found[1][0], [0.9, 0.1, 0.0]);
        assert_eq!(found[1][1], [1.0, 0.0, 0.0]);
    }
}
