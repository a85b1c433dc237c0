//! Splits an article's text at every annotation boundary and nests the pieces, so overlapping
//! highlights (an entity inside a quote, a quote across a loaded word's edge, a quote spanning
//! paragraphs) always become well-formed HTML.
//!
//! Annotations are in the contract's units: **character** offsets into the text, end-exclusive.
//! Each has a layer; where two overlap, the lower layer encloses the higher, and an annotation
//! that cannot stay whole inside its encloser is split into fragments (closed and reopened), the
//! way displaCy and most highlighters do. Annotations that are empty, reversed or out of range are
//! clipped or dropped, never a panic, and nesting stops at [`MAX_DEPTH`]. This module knows nothing of quotes or entities or HTML: it
//! returns a tree; the article page decides what each element looks like.

use std::collections::BTreeSet;
use std::ops::Range;

/// Deepest nesting of elements kept: annotations covering a piece below this many others are left
/// out there, so no input can make a tree deep enough to exhaust the stack when it is rendered or
/// dropped. Real articles nest three or four deep.
pub const MAX_DEPTH: usize = 16;

/// A span of text to mark, in character offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotation {
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the span.
    pub end: usize,
    /// Nesting layer: where annotations overlap, a lower layer encloses a higher one.
    pub layer: u8,
}

/// A piece of the segmented text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'t> {
    /// Text with no further marking at this level.
    Text(&'t str),
    /// One fragment of an annotation: the whole annotation, or the part of it between two
    /// boundaries of an enclosing one.
    Element {
        /// Index of the annotation in the list given to [`Segmenter::nodes`].
        annotation: usize,
        /// Character offset where this fragment starts.
        start: usize,
        /// Character offset where this fragment ends.
        end: usize,
        /// What the fragment contains.
        children: Vec<Node<'t>>,
    },
}

/// Character-offset access to one text, shared by every block of an article.
pub struct Segmenter<'t> {
    text: &'t str,
    /// The byte offset of every character, and the text's length in bytes at the end.
    byte_of_char: Vec<usize>,
}

impl<'t> Segmenter<'t> {
    /// Prepares segmenting `text`.
    pub fn new(text: &'t str) -> Segmenter<'t> {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        byte_of_char.push(text.len());
        Segmenter { text, byte_of_char }
    }

    /// The text's length in characters.
    pub fn n_chars(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// The text between two character offsets, clamped to the text.
    pub fn slice(&self, start: usize, end: usize) -> &'t str {
        let n_chars = self.n_chars();
        let (start, end) = (start.min(n_chars), end.min(n_chars));
        if start >= end {
            return "";
        }
        &self.text[self.byte_of_char[start]..self.byte_of_char[end]]
    }

    /// The blocks to show as paragraphs: the given paragraph spans, sorted, clamped to the text and
    /// made disjoint, plus any stretch of non-blank text they leave out (so no text is lost when
    /// the paragraph layer is missing or partial).
    pub fn blocks(&self, paragraphs: &[(usize, usize)]) -> Vec<Range<usize>> {
        let n_chars = self.n_chars();
        let mut spans: Vec<(usize, usize)> = paragraphs
            .iter()
            .map(|&(start, end)| (start.min(n_chars), end.min(n_chars)))
            .filter(|(start, end)| start < end)
            .collect();
        spans.sort_unstable();
        let mut blocks = Vec::new();
        let mut covered_to = 0;
        for (start, end) in spans {
            let start = start.max(covered_to);
            if start >= end {
                continue;
            }
            if covered_to < start && !self.slice(covered_to, start).trim().is_empty() {
                blocks.push(covered_to..start);
            }
            blocks.push(start..end);
            covered_to = end;
        }
        if covered_to < n_chars && !self.slice(covered_to, n_chars).trim().is_empty() {
            blocks.push(covered_to..n_chars);
        }
        blocks
    }

    /// The text of `block` (character offsets) split at every boundary of `annotations` that
    /// falls inside it, nested by layer. Annotations are clipped to the block; empty, reversed
    /// and out-of-range ones are dropped.
    pub fn nodes(&self, block: Range<usize>, annotations: &[Annotation]) -> Vec<Node<'t>> {
        let n_chars = self.n_chars();
        let block = block.start.min(n_chars)..block.end.min(n_chars);
        if block.start >= block.end {
            return Vec::new();
        }
        // (annotation index, clipped start, clipped end), in nesting order: that order is fixed
        // for the whole block, so an annotation open across a boundary keeps its place in the
        // stack of open elements unless something enclosing it closes.
        let mut clipped: Vec<(usize, usize, usize)> = annotations
            .iter()
            .enumerate()
            .filter(|(_, annotation)| annotation.start < annotation.end)
            .map(|(idx, annotation)| {
                (
                    idx,
                    annotation.start.max(block.start),
                    annotation.end.min(block.end),
                )
            })
            .filter(|(_, start, end)| start < end)
            .collect();
        clipped.sort_by_key(|&(idx, start, end)| {
            (annotations[idx].layer, start, std::cmp::Reverse(end), idx)
        });
        let mut boundaries: Vec<usize> = vec![block.start, block.end];
        for &(_, start, end) in &clipped {
            boundaries.push(start);
            boundaries.push(end);
        }
        boundaries.sort_unstable();
        boundaries.dedup();

        // A sweep over the boundaries keeps the set of annotations covering the current piece,
        // as positions in `clipped` (so in nesting order): each piece costs the depth of
        // nesting, not the number of annotations.
        let mut by_start: Vec<usize> = (0..clipped.len()).collect();
        by_start.sort_by_key(|&rank| clipped[rank].1);
        let mut by_end: Vec<usize> = (0..clipped.len()).collect();
        by_end.sort_by_key(|&rank| clipped[rank].2);
        let (mut n_started, mut n_ended) = (0, 0);
        let mut active: BTreeSet<usize> = BTreeSet::new();

        let mut root: Vec<Node<'t>> = Vec::new();
        // Open elements, outermost first: (rank in `clipped`, fragment start, children so far).
        let mut open: Vec<(usize, usize, Vec<Node<'t>>)> = Vec::new();
        for pair in boundaries.windows(2) {
            let (piece_start, piece_end) = (pair[0], pair[1]);
            while n_ended < by_end.len() && clipped[by_end[n_ended]].2 <= piece_start {
                active.remove(&by_end[n_ended]);
                n_ended += 1;
            }
            while n_started < by_start.len() && clipped[by_start[n_started]].1 <= piece_start {
                active.insert(by_start[n_started]);
                n_started += 1;
            }
            let n_kept = open
                .iter()
                .zip(&active)
                .take_while(|((open_rank, _, _), active_rank)| open_rank == *active_rank)
                .count();
            while open.len() > n_kept {
                close_top(&mut open, &mut root, piece_start, &clipped);
            }
            for &rank in active
                .iter()
                .skip(n_kept)
                .take(MAX_DEPTH.saturating_sub(n_kept))
            {
                open.push((rank, piece_start, Vec::new()));
            }
            let piece = Node::Text(self.slice(piece_start, piece_end));
            match open.last_mut() {
                Some((_, _, children)) => children.push(piece),
                None => root.push(piece),
            }
        }
        while !open.is_empty() {
            close_top(&mut open, &mut root, block.end, &clipped);
        }
        root
    }
}

/// Closes the innermost open element at `end` and adds it to its parent.
fn close_top<'t>(
    open: &mut Vec<(usize, usize, Vec<Node<'t>>)>,
    root: &mut Vec<Node<'t>>,
    end: usize,
    clipped: &[(usize, usize, usize)],
) {
    let Some((rank, start, children)) = open.pop() else {
        return;
    };
    let element = Node::Element {
        annotation: clipped[rank].0,
        start,
        end,
        children,
    };
    match open.last_mut() {
        Some((_, _, parent)) => parent.push(element),
        None => root.push(element),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as text: `<N>…</N>` for annotation N.
    fn show(nodes: &[Node]) -> String {
        let mut out = String::new();
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Element {
                    annotation,
                    children,
                    ..
                } => {
                    out.push_str(&format!("<{annotation}>{}</{annotation}>", show(children)));
                }
            }
        }
        out
    }

    fn check(text: &str, annotations: &[(usize, usize, u8)], expected: &str) {
        let annotations: Vec<Annotation> = annotations
            .iter()
            .map(|&(start, end, layer)| Annotation { start, end, layer })
            .collect();
        let segmenter = Segmenter::new(text);
        let nodes = segmenter.nodes(0..segmenter.n_chars(), &annotations);
        assert_eq!(show(&nodes), expected);
        // Whatever the annotations, no text is lost or repeated.
        let plain: String = show(&nodes)
            .split(['<', '>'])
            .enumerate()
            .filter(|(idx, _)| idx % 2 == 0)
            .map(|(_, piece)| piece)
            .collect();
        assert_eq!(plain, text);
    }

    #[test]
    fn no_annotations_is_the_text() {
        check("Plain words.", &[], "Plain words.");
        check("", &[], "");
    }

    #[test]
    fn an_entity_inside_a_quote_nests_inside_it() {
        check(
            "He said Ann Lee won today.",
            &[(8, 25, 1), (8, 15, 2)],
            "He said <0><1>Ann Lee</1> won today</0>.",
        );
    }

    #[test]
    fn an_annotation_crossing_an_encloser_edge_is_split_into_fragments() {
        // The quote (layer 1) encloses; the loaded span (layer 3) starts before it and ends inside.
        check(
            "ab cd ef",
            &[(3, 8, 1), (0, 5, 3)],
            "<1>ab </1><0><1>cd</1> ef</0>",
        );
        // The same with the layers the other way round: the loaded span encloses.
        check(
            "ab cd ef",
            &[(3, 8, 3), (0, 5, 1)],
            "<1>ab <0>cd</0></1><0> ef</0>",
        );
    }

    #[test]
    fn overlaps_in_one_layer_nest_the_earlier_around_the_later() {
        check(
            "abcdef",
            &[(0, 4, 1), (2, 6, 1)],
            "<0>ab<1>cd</1></0><1>ef</1>",
        );
    }

    #[test]
    fn touching_annotations_stay_siblings() {
        check("abcdef", &[(0, 3, 2), (3, 6, 2)], "<0>abc</0><1>def</1>");
    }

    #[test]
    fn identical_spans_nest_by_layer_then_order() {
        check(
            "abc",
            &[(0, 3, 3), (0, 3, 1), (0, 3, 1)],
            "<1><2><0>abc</0></2></1>",
        );
    }

    #[test]
    fn empty_reversed_and_out_of_range_annotations_are_dropped_or_clipped() {
        check("abc", &[(1, 1, 1), (2, 1, 1), (7, 9, 1)], "abc");
        check("abc", &[(1, 99, 1)], "a<0>bc</0>");
        check("abc", &[(usize::MAX - 1, usize::MAX, 1)], "abc");
    }

    #[test]
    fn offsets_are_characters_not_bytes() {
        // “Café” — 6 characters, 10 bytes; then an emoji of 4 bytes, one character.
        let text = "“Café” 😀 é";
        check(text, &[(0, 6, 1), (1, 5, 2)], "<0>“<1>Café</1>”</0> 😀 é");
        check(text, &[(7, 8, 2), (9, 10, 2)], "“Café” <0>😀</0> <1>é</1>");
    }

    #[test]
    fn nodes_are_clipped_to_the_block() {
        let segmenter = Segmenter::new("one two three");
        let annotations = [Annotation {
            start: 2,
            end: 9,
            layer: 1,
        }];
        assert_eq!(
            show(&segmenter.nodes(4..13, &annotations)),
            "<0>two t</0>hree"
        );
        assert_eq!(show(&segmenter.nodes(0..4, &annotations)), "on<0>e </0>");
        assert!(segmenter.nodes(20..30, &annotations).is_empty());
        assert!(segmenter.nodes(5..5, &annotations).is_empty());
    }

    #[test]
    fn blocks_cover_unparagraphed_text_and_drop_bad_spans() {
        let segmenter = Segmenter::new("First.\n\nSecond.\n\nThird é.");
        assert_eq!(
            segmenter.blocks(&[(0, 6), (8, 15)]),
            vec![0..6, 8..15, 15..25]
        );
        assert_eq!(segmenter.blocks(&[]), vec![0..25]);
        // Overlapping, reversed and out-of-range paragraph spans.
        assert_eq!(
            segmenter.blocks(&[(8, 15), (0, 10), (12, 3), (40, 50)]),
            vec![0..10, 10..15, 15..25]
        );
        assert!(Segmenter::new("  \n ").blocks(&[]).is_empty());
    }

    #[test]
    fn many_annotations_in_one_block_are_all_kept() {
        // 20,000 touching two-character entities, each inside one of 2,000 quotes: the sweep
        // keeps this fast, and every annotation becomes exactly one element.
        let text = "ab".repeat(20_000);
        let mut annotations: Vec<Annotation> = (0..20_000)
            .map(|idx| Annotation {
                start: 2 * idx,
                end: 2 * idx + 2,
                layer: 2,
            })
            .collect();
        annotations.extend((0..2_000).map(|idx| Annotation {
            start: 20 * idx,
            end: 20 * idx + 20,
            layer: 1,
        }));
        let segmenter = Segmenter::new(&text);
        let nodes = segmenter.nodes(0..segmenter.n_chars(), &annotations);
        assert_eq!(nodes.len(), 2_000);
        let shown = show(&nodes);
        assert_eq!(shown.matches("</").count(), 22_000);
    }

    #[test]
    fn nesting_is_capped() {
        let text = "x".repeat(100);
        let annotations: Vec<Annotation> = (0..50)
            .map(|idx| Annotation {
                start: idx,
                end: 100 - idx,
                layer: 1,
            })
            .collect();
        let segmenter = Segmenter::new(&text);
        let nodes = segmenter.nodes(0..100, &annotations);
        fn depth(nodes: &[Node]) -> usize {
            nodes
                .iter()
                .map(|node| match node {
                    Node::Text(_) => 0,
                    Node::Element { children, .. } => 1 + depth(children),
                })
                .max()
                .unwrap_or(0)
        }
        assert_eq!(depth(&nodes), MAX_DEPTH);
        assert_eq!(
            show(&nodes)
                .split(['<', '>'])
                .step_by(2)
                .collect::<String>(),
            text
        );
    }

    /// Checks a tree: children lie inside their element, no element is empty, and the text pieces
    /// put together are the block's text. Returns that text.
    fn check_tree(nodes: &[Node], start: usize, end: usize, depth: usize) -> String {
        assert!(depth <= MAX_DEPTH);
        let mut text = String::new();
        for node in nodes {
            match node {
                Node::Text(piece) => {
                    assert!(!piece.is_empty());
                    text.push_str(piece);
                }
                Node::Element {
                    start: element_start,
                    end: element_end,
                    children,
                    ..
                } => {
                    assert!(start <= *element_start && element_end <= &end);
                    assert!(element_start < element_end && !children.is_empty());
                    let inner = check_tree(children, *element_start, *element_end, depth + 1);
                    assert_eq!(inner.chars().count(), element_end - element_start);
                    text.push_str(&inner);
                }
            }
        }
        text
    }

    #[test]
    fn random_annotations_over_multibyte_text_keep_the_text_and_nest() {
        // A fixed-seed xorshift: hermetic, and the same cases on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound.max(1) as u64) as usize
        };
        let alphabet: Vec<char> = "ab é“”😀\n<&".chars().collect();
        for _ in 0..2_000 {
            let n_chars = next(40);
            let text: String = (0..n_chars)
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let annotations: Vec<Annotation> = (0..next(12))
                .map(|_| Annotation {
                    start: next(n_chars + 5),
                    end: next(n_chars + 5),
                    layer: next(4) as u8,
                })
                .collect();
            let segmenter = Segmenter::new(&text);
            let block_start = next(n_chars + 2);
            let block_end = block_start + next(n_chars + 2);
            let nodes = segmenter.nodes(block_start..block_end, &annotations);
            let (start, end) = (block_start.min(n_chars), block_end.min(n_chars));
            let shown = check_tree(&nodes, start, end, 0);
            assert_eq!(
                shown,
                segmenter.slice(start, end),
                "{text:?} {annotations:?}"
            );
        }
    }

    #[test]
    fn slice_clamps() {
        let segmenter = Segmenter::new("aé😀");
        assert_eq!(segmenter.n_chars(), 3);
        assert_eq!(segmenter.slice(1, 3), "é😀");
        assert_eq!(segmenter.slice(2, 10), "😀");
        assert_eq!(segmenter.slice(3, 1), "");
    }
}
