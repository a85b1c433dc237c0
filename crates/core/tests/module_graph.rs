//! Tidy check: the modules of the analysis core import each other one way only.
//!
//! The test reads `src/**/*.rs`, takes every path that starts with `crate::` or `super::` (in `use`
//! declarations and written out in code) as an import of the module it names, and fails, naming
//! the modules and the lines, when the imports form a cycle. A cycle means two modules each need
//! the other: neither can be read, tested or moved alone, and the shared piece belongs in a module
//! below both.
//!
//! Granularity is the file: a `mod tests { … }` block and other `#[cfg(test)]` items are left
//! out (tests may reach anywhere), and a module using its own children (`mod child;`,
//! `child::f()`) is composition, not an import. It does not check other crates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path from the crate root, as segments (`["entities", "mentions"]`; empty for the
/// root).
type ModulePath = Vec<String>;

/// Where an import was written, for the failure message.
#[derive(Clone)]
struct ImportSite {
    file: String,
    line: usize,
}

fn source_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files_under(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The module a file defines: `lib.rs` is the root, `a/mod.rs` and `a.rs` are `a`.
fn module_of_file(relative: &Path) -> ModulePath {
    let mut segments: ModulePath = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if segments.last().is_some_and(|s| s == "mod" || s == "lib") {
        segments.pop();
    }
    segments
}

/// The source with comments, string and character literals blanked (newlines kept, so line
/// numbers still hold): paths in docs and strings are not imports.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut code = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut idx = 0;
    while idx < chars.len() {
        let c = chars[idx];
        let next = chars.get(idx + 1).copied();
        if c == '/' && next == Some('/') {
            while idx < chars.len() && chars[idx] != '\n' {
                code.push(' ');
                idx += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while idx < chars.len() {
                if chars[idx] == '/' && chars.get(idx + 1) == Some(&'*') {
                    depth += 1;
                    code.push_str("  ");
                    idx += 2;
                } else if chars[idx] == '*' && chars.get(idx + 1) == Some(&'/') {
                    depth -= 1;
                    code.push_str("  ");
                    idx += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    code.push(blank(chars[idx]));
                    idx += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && starts_raw_string(&chars, idx)
        {
            let mut n_hashes = 0;
            idx += 1;
            code.push(' ');
            while chars.get(idx) == Some(&'#') {
                n_hashes += 1;
                idx += 1;
                code.push(' ');
            }
            idx += 1; // the opening quote
            code.push(' ');
            while idx < chars.len() {
                let closes = chars[idx] == '"'
                    && (1..=n_hashes).all(|offset| chars.get(idx + offset) == Some(&'#'));
                if closes {
                    for _ in 0..=n_hashes {
                        code.push(' ');
                    }
                    idx += 1 + n_hashes;
                    break;
                }
                code.push(blank(chars[idx]));
                idx += 1;
            }
        } else if c == '"' {
            code.push(' ');
            idx += 1;
            while idx < chars.len() && chars[idx] != '"' {
                if chars[idx] == '\\' {
                    code.push(' ');
                    idx += 1;
                }
                if let Some(&escaped) = chars.get(idx) {
                    code.push(blank(escaped));
                }
                idx += 1;
            }
            code.push(' ');
            idx += 1;
        } else if c == '\'' && is_char_literal(&chars, idx) {
            code.push(' ');
            idx += 1;
            while idx < chars.len() && chars[idx] != '\'' {
                if chars[idx] == '\\' {
                    code.push(' ');
                    idx += 1;
                }
                code.push(' ');
                idx += 1;
            }
            code.push(' ');
            idx += 1;
        } else {
            code.push(c);
            idx += 1;
        }
    }
    code
}

fn starts_raw_string(chars: &[char], at: usize) -> bool {
    let preceded_by_ident = at > 0 && (chars[at - 1].is_alphanumeric() || chars[at - 1] == '_');
    if preceded_by_ident {
        return false;
    }
    let mut idx = at + 1;
    while chars.get(idx) == Some(&'#') {
        idx += 1;
    }
    chars.get(idx) == Some(&'"')
}

/// `'a'` and `'\n'` are character literals; `'a` in `&'a str` is a lifetime.
fn is_char_literal(chars: &[char], at: usize) -> bool {
    match chars.get(at + 1) {
        Some('\\') => true,
        Some(_) => chars.get(at + 2) == Some(&'\''),
        None => false,
    }
}

/// Blanks every `#[cfg(test)]` item (a test module, a test-only function or `use`) and returns the
/// names of test-only child modules declared as `#[cfg(test)] mod name;`.
fn without_test_items(code: &str) -> (String, Vec<String>) {
    let mut code: Vec<char> = code.chars().collect();
    let mut test_children = Vec::new();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut idx = 0;
    while idx + marker.len() <= code.len() {
        if code[idx..idx + marker.len()] != marker[..] {
            idx += 1;
            continue;
        }
        let item_start = idx;
        let mut end = idx + marker.len();
        // The item runs to its first `;` or through its first brace-balanced block.
        let mut depth = 0;
        while end < code.len() {
            match code[end] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end += 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end += 1;
                    break;
                }
                _ => {}
            }
            end += 1;
        }
        let item: String = code[item_start + marker.len()..end].iter().collect();
        let words: Vec<&str> = item
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        if item.trim_end().ends_with(';') && words.len() >= 2 && words[words.len() - 2] == "mod" {
            test_children.push(words[words.len() - 1].to_string());
        }
        for c in &mut code[item_start..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        idx = end;
    }
    (code.into_iter().collect(), test_children)
}

/// Expands a `use` tree (`super::{a, b::{self, C}}`) into its paths (`super::a`, `super::b`,
/// `super::b::C`).
fn expand_use_tree(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut paths = Vec::new();
    expand_into("", &tree, &mut paths);
    paths
}

fn expand_into(prefix: &str, tree: &str, paths: &mut Vec<String>) {
    let Some(open) = tree.find('{') else {
        let path = tree.trim_end_matches("::*").trim_end_matches("::self");
        let joined = if prefix.is_empty() {
            path.to_string()
        } else if path == "self" || path == "*" {
            prefix.trim_end_matches("::").to_string()
        } else {
            format!("{prefix}{path}")
        };
        if !joined.is_empty() {
            paths.push(joined);
        }
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0;
    let mut part_start = 0;
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand_into(&head, &inner[part_start..at], paths);
                part_start = at + 1;
            }
            _ => {}
        }
    }
    if part_start < inner.len() {
        expand_into(&head, &inner[part_start..], paths);
    }
}

/// `use` declarations of a file: (line, tree) with renames (`as name`) removed.
fn use_trees(code: &str) -> Vec<(usize, String)> {
    let mut trees = Vec::new();
    let bytes = code.as_bytes();
    let mut search_from = 0;
    while let Some(found) = code[search_from..].find("use ") {
        let at = search_from + found;
        search_from = at + 4;
        let starts_word =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if !starts_word {
            continue;
        }
        let Some(length) = code[at..].find(';') else {
            break;
        };
        let declaration = &code[at + 4..at + length];
        let mut tree = String::new();
        let mut words = declaration.split_whitespace().peekable();
        while let Some(word) = words.next() {
            if word == "as" {
                // Drop the new name; keep any `,` or `}` glued to it.
                if let Some(name) = words.next() {
                    tree.extend(name.chars().filter(|c| matches!(c, ',' | '}')));
                }
                continue;
            }
            tree.push_str(word);
        }
        let line = code[..at].matches('\n').count() + 1;
        trees.push((line, tree));
        search_from = at + length;
    }
    trees
}

/// Paths written out in code (`crate::lexicon::items(…)`, `super::roles::is_title_word(w)`), with
/// the `use` declarations already blanked.
fn written_paths(code: &str) -> Vec<(usize, String)> {
    let mut paths = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut line = 1;
    let mut idx = 0;
    while idx < chars.len() {
        if chars[idx] == '\n' {
            line += 1;
        }
        let starts_word = idx == 0
            || !(chars[idx - 1].is_alphanumeric()
                || chars[idx - 1] == '_'
                || chars[idx - 1] == ':');
        let rest: String = chars[idx..chars.len().min(idx + 8)].iter().collect();
        if starts_word && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let mut end = idx;
            while end < chars.len()
                && (chars[end].is_alphanumeric() || chars[end] == '_' || chars[end] == ':')
            {
                end += 1;
            }
            paths.push((
                line,
                chars[idx..end]
                    .iter()
                    .collect::<String>()
                    .trim_end_matches(':')
                    .to_string(),
            ));
            idx = end;
            continue;
        }
        idx += 1;
    }
    paths
}

/// The module a path names, from the module it is written in: the deepest known module along
/// it. `None` for paths into other crates.
fn resolve(path: &str, from: &ModulePath, modules: &BTreeSet<ModulePath>) -> Option<ModulePath> {
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut base: ModulePath = match segments.peek().copied() {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("super") => from.clone(),
        _ => return None,
    };
    while segments.peek() == Some(&"super") {
        segments.next();
        base.pop();
    }
    for segment in segments {
        let mut child = base.clone();
        child.push(segment.to_string());
        if !modules.contains(&child) {
            break;
        }
        base = child;
    }
    Some(base)
}

fn display(module: &ModulePath) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        format!("crate::{}", module.join("::"))
    }
}

/// The import graph: for each module, the modules it imports and where it first does.
fn import_graph() -> BTreeMap<ModulePath, BTreeMap<ModulePath, ImportSite>> {
    let root = source_root();
    let mut files = Vec::new();
    rust_files_under(&root, &mut files);
    files.sort();
    assert!(
        files.len() > 20,
        "found core's sources under {}",
        root.display()
    );

    let mut sources = BTreeMap::new();
    let mut test_only = BTreeSet::new();
    for file in &files {
        let relative = file
            .strip_prefix(&root)
            .expect("file under src")
            .to_path_buf();
        let module = module_of_file(&relative);
        let source = std::fs::read_to_string(file).expect("readable source");
        let (code, test_children) = without_test_items(&code_only(&source));
        for child in test_children {
            let mut child_module = module.clone();
            child_module.push(child);
            test_only.insert(child_module);
        }
        sources.insert(module, (relative.display().to_string(), code));
    }
    sources.retain(|module, _| !test_only.iter().any(|t| module.starts_with(t)));
    let modules: BTreeSet<ModulePath> = sources.keys().cloned().collect();

    let mut graph: BTreeMap<ModulePath, BTreeMap<ModulePath, ImportSite>> = BTreeMap::new();
    for (module, (file, code)) in &sources {
        let trees = use_trees(code);
        let mut paths: Vec<(usize, String)> = Vec::new();
        let mut code_without_uses = code.clone();
        for (line, tree) in &trees {
            paths.extend(expand_use_tree(tree).into_iter().map(|p| (*line, p)));
        }
        // Blank the declarations so their paths are not counted twice.
        let mut search_from = 0;
        while let Some(found) = code_without_uses[search_from..].find("use ") {
            let at = search_from + found;
            let Some(length) = code_without_uses[at..].find(';') else {
                break;
            };
            let blanked: String = code_without_uses[at..at + length]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            code_without_uses.replace_range(at..at + length, &blanked);
            search_from = at + length;
        }
        paths.extend(written_paths(&code_without_uses));
        let imports = graph.entry(module.clone()).or_default();
        for (line, path) in paths {
            let Some(target) = resolve(&path, module, &modules) else {
                continue;
            };
            // A module using itself or its own children is not an import between modules.
            if target.starts_with(module) {
                continue;
            }
            imports.entry(target).or_insert(ImportSite {
                file: file.clone(),
                line,
            });
        }
    }
    graph
}

/// Every cycle's modules, one cycle per strongly connected group, found by depth-first search.
fn cycles(graph: &BTreeMap<ModulePath, BTreeMap<ModulePath, ImportSite>>) -> Vec<Vec<ModulePath>> {
    let mut found = Vec::new();
    let mut in_a_cycle: BTreeSet<ModulePath> = BTreeSet::new();
    for start in graph.keys() {
        if in_a_cycle.contains(start) {
            continue;
        }
        // Breadth-first back to `start`, keeping each module's predecessor.
        let mut predecessor: BTreeMap<ModulePath, ModulePath> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.clone()]);
        let mut closing: Option<ModulePath> = None;
        while let Some(module) = queue.pop_front() {
            for target in graph.get(&module).into_iter().flat_map(|t| t.keys()) {
                if target == start {
                    closing = Some(module.clone());
                    break;
                }
                if !predecessor.contains_key(target) {
                    predecessor.insert(target.clone(), module.clone());
                    queue.push_back(target.clone());
                }
            }
            if closing.is_some() {
                break;
            }
        }
        let Some(mut module) = closing else {
            continue;
        };
        let mut cycle = vec![module.clone()];
        while &module != start {
            module = predecessor[&module].clone();
            cycle.push(module.clone());
        }
        cycle.reverse();
        in_a_cycle.extend(cycle.iter().cloned());
        found.push(cycle);
    }
    found
}

#[test]
fn core_modules_import_each_other_one_way_only() {
    let graph = import_graph();
    let n_imports: usize = graph.values().map(BTreeMap::len).sum();
    assert!(
        n_imports > 20,
        "found the imports between modules ({n_imports})"
    );
    let mut report = String::new();
    for cycle in cycles(&graph) {
        report.push_str("cycle:\n");
        for (idx, module) in cycle.iter().enumerate() {
            let next = &cycle[(idx + 1) % cycle.len()];
            let site = &graph[module][next];
            report.push_str(&format!(
                "  {} imports {} ({}:{})\n",
                display(module),
                display(next),
                site.file,
                site.line
            ));
        }
    }
    assert!(report.is_empty(), "core's modules import each other in a cycle; move what they share into a module below both\n{report}");
}

#[test]
fn use_trees_expand_to_every_path() {
    assert_eq!(
        expand_use_tree("super::{patterns,teams::{self,Team},SentenceTokens}"),
        [
            "super::patterns",
            "super::teams",
            "super::teams::Team",
            "super::SentenceTokens"
        ]
    );
    let trees = use_trees("use crate::entities::patterns::mention_at as mention;");
    assert_eq!(trees[0].1, "crate::entities::patterns::mention_at");
}

#[test]
fn a_cycle_is_found_and_named() {
    let module = |name: &str| vec![name.to_string()];
    let site = ImportSite {
        file: "x.rs".to_string(),
        line: 1,
    };
    let mut graph: BTreeMap<ModulePath, BTreeMap<ModulePath, ImportSite>> = BTreeMap::new();
    graph
        .entry(module("a"))
        .or_default()
        .insert(module("b"), site.clone());
    graph
        .entry(module("b"))
        .or_default()
        .insert(module("c"), site.clone());
    graph
        .entry(module("c"))
        .or_default()
        .insert(module("a"), site.clone());
    graph
        .entry(module("d"))
        .or_default()
        .insert(module("a"), site);
    let found = cycles(&graph);
    assert_eq!(found, vec![vec![module("a"), module("b"), module("c")]]);
}
