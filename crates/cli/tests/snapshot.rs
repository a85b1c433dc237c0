//! Whole-article snapshots: the JSON contract for the example articles, exactly as printed.
//!
//! A change to any layer shows up here as a diff to review; refresh with `UPDATE_EXPECT=1 cargo
//! test -p newslens --test snapshot` once the new output is right. It does not explain failures:
//! the layer tests do.

use std::process::Command;

fn analyze_example(name: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let output = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .current_dir(root)
        .args(["analyze", "--format", "json", &format!("examples/{name}")])
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("JSON is UTF-8")
}

#[test]
fn harbour_bridge_example_article_contract() {
    expect_test::expect_file!["snapshots/harbour-bridge.json"]
        .assert_eq(&analyze_example("harbour-bridge.txt"));
}
