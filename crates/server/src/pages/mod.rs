//! The web pages: pure functions from the store's view values to HTML, and the stylesheet.
//!
//! Every page is a whole HTML5 document in one shared layout ([`layout`]): a header with the
//! newslens name and a search form, the page's content, and a link to the one external stylesheet
//! ([`STYLESHEET`], served at `/assets/app.css`). Pages are rendered with `maud`, which escapes
//! every value it splices, so text from articles (titles, quotes, names, URLs) can never become
//! markup. There is no JavaScript and no inline style: the server's Content-Security-Policy allows
//! only the external stylesheet, so bars and charts are inline SVG whose geometry is SVG
//! attributes and whose colours are classes.
//!
//! This module does not route, query the store or set headers; the route handlers do that and call
//! these functions with what the store answered.
//!
//! The class names on the pages are a contract with the browser tests:
//!
//! | page    | classes |
//! |---------|---------|
//! | all     | `form.search` (GET `/`, input `q`) |
//! | article | `div.article-body` (one `p` per paragraph), `mark.entity.entity-{TYPE}.mention-{name,nominal,pronoun}` with `span.entity-label`, `span.quote.speaker-{0..9}` (`speaker-unknown` when unattributed) with `title` and `data-tip`, `span.reporting-verb` (`.evaluative`), `mark.loaded.loaded-{category}`, `aside.speakers`, `aside.entities`, `section.tone`, `section.metadata`; the key above the text uses `legend-*` classes, never the highlight classes |
//! | story   | `div.outlets`, `section.outlet-column`, `svg.tone-bar`, `section.only-one-outlet`, `section.worded-differently`, `svg.timeline` |
//! | entity  | `svg.mentions-chart`, `section.quotes-by`, `section.quotes-about` |
//! | home    | `ol.stories`, `ol.search-hits`, `nav.paging` |
//! | outlets | `table.outlet-table` with `a.outlet-link`; one outlet: `dl.figures` (`dd.gender-women`, `.gender-men`, `.gender-unknown`), `svg.week-chart.week-{articles,tone,loaded,women}` of `rect.week-bar`, `section.ranking.{speakers-more,speakers-less,distinctive-words}` with `a.evidence`, `section.blindspots` with `a.blindspot`, `span.user-label` |
//! | error   | `section.error` |

mod article;
mod charts;
mod entity;
mod error;
mod home;
mod layout;
mod outlets;
mod segment;
mod story;

pub use article::article;
pub use entity::entity;
pub use error::error_page;
pub use home::{home, Paging};
pub use layout::{article_path, entity_path, percent_encode, story_path};
pub use outlets::{outlet, outlet_path, outlet_quotes, outlet_words, outlets};
pub use segment::{Annotation, Node, Segmenter, MAX_DEPTH};
pub use story::story;

/// The stylesheet every page links to; the server serves it at `/assets/app.css`.
pub const STYLESHEET: &str = include_str!("../../assets/app.css");
