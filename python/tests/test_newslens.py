"""Tests of the newslens Python package on articles written for them: the contract matches the
CLI's, analyze_many keeps order and reports errors, a Corpus ingests, answers and exports."""

import json
import os
import pathlib
import shutil
import subprocess
import threading

import pytest

import newslens

RESCUE = (
    "Lifeboat crews from Harwich rescued twelve sailors on Sunday after their cargo ship lost "
    'power in a storm. "The crew did everything right, and so did ours," said Maria Chen, who '
    "leads the Harwich lifeboat station. The coastguard said the ship would be towed to Felixstowe."
)
COUNCIL = (
    "Tendring council postponed a vote on 200 seafront flats on Wednesday. "
    '"We need to hear from residents first," said Sarah Patel, the council leader. '
    "Opponents called the plan a disgrace."
)
BAKERY = (
    "A family bakery in Dedham has won a regional prize for its sourdough. Owner Tom Briggs said "
    'he was "over the moon" and thanked his staff.'
)

REPO = pathlib.Path(__file__).resolve().parents[2]


def newslens_cli():
    """The CLI binary ($NEWSLENS_BIN, else next to this checkout), if built."""
    if os.environ.get("NEWSLENS_BIN"):
        return pathlib.Path(os.environ["NEWSLENS_BIN"])
    for profile in ("release", "debug"):
        target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        binary = target / profile / "newslens"
        if binary.exists():
            return binary
    return shutil.which("newslens")


def test_analyze_gives_the_contract_with_quotes_and_speakers():
    article = newslens.analyze(text=RESCUE, outlet="Harbour Gazette", url="https://hg.example/a")
    assert article["schema"] == "newslens.article/1"
    assert article["source"]["outlet"] == "Harbour Gazette"
    assert article["source"]["url"] == "https://hg.example/a"
    speakers = [quote["speaker"]["name"] for quote in article["quotes"] if quote["speaker"]]
    assert "Maria Chen" in speakers
    for entity in article["entities"]:
        for mention in entity["mentions"]:
            # Offsets are character offsets into text, as Python slices them.
            assert article["text"][mention["start"] : mention["end"]] == mention["text"]


def test_analyze_reads_html_pages():
    page = f"<html><head><title>Rescue</title></head><body><article><p>{RESCUE}</p></article></body></html>"
    article = newslens.analyze(html=page)
    assert "twelve sailors" in article["text"]
    assert "<p>" not in article["text"]


def test_analyze_matches_the_cli_contract():
    binary = newslens_cli()
    if binary is None:
        pytest.skip("the newslens binary is not built; the contract comparison is skipped")
    cli = subprocess.run(
        [str(binary), "analyze", "--format", "jsonl", "--outlet", "Harbour Gazette", "-"],
        input=RESCUE.encode(),
        capture_output=True,
        check=True,
    )
    from_cli = json.loads(cli.stdout)
    from_python = newslens.analyze(text=RESCUE, outlet="Harbour Gazette")
    # Only the input's name differs: "-" for the CLI's standard input.
    from_cli["source"].pop("path")
    from_python["source"].pop("path")
    assert from_python == from_cli


def test_analyze_errors_are_python_exceptions_with_the_message():
    with pytest.raises(newslens.AnalyzeError) as raised:
        newslens.analyze(text="")
    assert "<analyze>" in str(raised.value)
    with pytest.raises(ValueError):
        newslens.analyze()
    with pytest.raises(ValueError):
        newslens.analyze(text="a", html="<p>a</p>")
    assert issubclass(newslens.AnalyzeError, newslens.NewslensError)


def test_analyze_many_keeps_input_order_across_threads():
    texts = [RESCUE, COUNCIL, BAKERY] * 40
    results = list(newslens.analyze_many(texts, jobs=2))
    assert [article["text"] for article in results] == [newslens.analyze(text=t)["text"] for t in texts]


def test_analyze_many_takes_dicts_and_reports_a_bad_record_in_place():
    records = [
        {"text": RESCUE, "outlet": "Harbour Gazette"},
        {"text": ""},
        {"html": f"<p>{COUNCIL}</p>", "url": "https://cc.example/flats"},
    ]
    results = list(newslens.analyze_many(records, errors="return"))
    assert results[0]["source"]["outlet"] == "Harbour Gazette"
    assert isinstance(results[1], newslens.AnalyzeError)
    assert "<analyze_many>:2" in str(results[1])
    assert results[2]["source"]["url"] == "https://cc.example/flats"

    iterator = newslens.analyze_many(records)
    assert next(iterator)["source"]["outlet"] == "Harbour Gazette"
    with pytest.raises(newslens.AnalyzeError):
        next(iterator)
    # The batch goes on after a bad record, as on the command line.
    assert next(iterator)["source"]["url"] == "https://cc.example/flats"
    with pytest.raises(TypeError):
        list(newslens.analyze_many([42]))


def test_analyze_many_releases_the_gil():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        list(newslens.analyze_many([RESCUE * 20] * 64, jobs=1))
    finally:
        stop.set()
        thread.join()
    assert len(ticks) > 5, "another Python thread ran while articles were analysed"


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    lines = [
        {"text": RESCUE, "outlet": "Harbour Gazette", "published": "2024-03-04T09:30:00",
         "title": "Lifeboat crews rescue twelve sailors"},
        {"text": COUNCIL, "outlet": "Coast Courier", "published": "2024-03-06",
         "title": "Council delays vote on seafront flats"},
        {"text": BAKERY, "outlet": "Valley Echo", "title": "Bakery wins prize"},
    ]
    (folder / "news.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    (folder / "empty.txt").write_text("")
    corpus = newslens.Corpus(str(tmp_path / "news.db"))
    report = corpus.ingest([str(folder)])
    assert report["added"] == 3
    assert report["failed"] == 1 and "empty.txt" in report["errors"][0]
    return corpus


def test_corpus_answers_stories_quotes_and_search(corpus):
    assert corpus.counts()["articles"] == 3
    assert len(corpus.stories()) == 3
    chen = corpus.quotes(speaker="Chen")
    assert [quote["speaker"] for quote in chen] == ["Maria Chen"]
    assert chen[0]["outlet"] == "Harbour Gazette"
    courier = corpus.quotes(outlet="courier")
    assert "Sarah Patel" in [quote["speaker"] for quote in courier]
    assert {quote["outlet"] for quote in courier} == {"Coast Courier"}
    assert {quote["outlet"] for quote in corpus.quotes(since="2024-03-05")} == {"Coast Courier"}
    assert {quote["outlet"] for quote in corpus.quotes(until="2024-03-04")} == {"Harbour Gazette"}
    hits = corpus.search("sourdough")
    assert [hit["outlet"] for hit in hits] == ["Valley Echo"]
    with pytest.raises(ValueError):
        corpus.quotes(since="last week")
    with pytest.raises(newslens.CorpusError):
        corpus.search("a*")  # a prefix under three letters is refused, as by the CLI


def test_corpus_exports_files(corpus, tmp_path):
    out = tmp_path / "quotes.csv"
    n_rows = corpus.export("quotes", out, format="csv")
    assert n_rows == len(corpus.quotes())
    assert out.read_text().startswith("article_id,story_id,quote_idx,")
    with pytest.raises(ValueError):
        corpus.export("people", out)


def test_corpus_tables_as_arrow_and_pandas(corpus):
    pa = pytest.importorskip("pyarrow")
    quotes = corpus.to_arrow("quotes")
    assert quotes.schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert quotes.schema.field("span_starts").type == pa.list_(pa.int64())
    assert quotes.num_rows == len(corpus.quotes())
    pytest.importorskip("pandas")
    articles = corpus.to_pandas("articles")
    assert sorted(articles["outlet"]) == ["Coast Courier", "Harbour Gazette", "Valley Echo"]
    assert str(articles["published"].dtype) == "datetime64[us, UTC]"


def test_a_bad_corpus_path_is_a_corpus_error(tmp_path):
    with pytest.raises(newslens.CorpusError) as raised:
        newslens.Corpus(str(tmp_path / "missing-folder" / "news.db"))
    assert "cannot open the corpus" in str(raised.value)
