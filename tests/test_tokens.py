"""jieba: loaded only when needed, quiet, cached in the user cache folder, with the gazetteer's
words as single tokens. Process-level facts are checked in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import gazetteer, tokens


def run_python(code: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), **(env_extra or {}))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          cwd=REPO, env=env, timeout=120)


def test_gazetteer_names_are_single_tokens():
    for name in ("临港新片区", "苏州工业园区", "宁波舟山港", "长三角一体化示范区", "三省一市"):
        assert name in tokens.cut(f"近日{name}发布新举措"), name


def test_space_next_to_chinese_is_not_a_word_break():
    assert tokens.cut("推进 G60 科创走廊建设") == ["推进", "G60科创走廊", "建设"]
    assert tokens.cut("Model 3") == ["Model", "3"]


def test_importing_the_cli_and_running_toc_do_not_load_jieba():
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from digest.cli import app\n"
            "assert 'jieba' not in sys.modules, 'import'\n"
            "r = CliRunner().invoke(app, ['--help'])\n"
            "assert r.exit_code == 0 and 'jieba' not in sys.modules, 'help'\n"
            f"r = CliRunner().invoke(app, ['toc', {str(SAMPLES / 'issue-200.pdf')!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "assert 'jieba' not in sys.modules, 'toc'\n"
            "print('ok')\n")
    done = run_python(code)
    assert done.stdout.strip() == "ok", done.stderr


def test_jieba_is_quiet_and_caches_in_the_user_cache_folder(tmp_path: Path):
    if sys.platform != "linux":
        pytest.skip("XDG_CACHE_HOME steers platformdirs on Linux only")
    code = "from digest import tokens\nprint(' '.join(tokens.cut('上海临港新片区发布规划')))\n"
    done = run_python(code, {"XDG_CACHE_HOME": str(tmp_path)})
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.split() == ["上海", "临港新片区", "发布", "规划"]
    assert len(list(tmp_path.glob("digest/jieba-dict-*.table"))) == 1
    assert not list(tmp_path.glob("digest/*.tmp"))  # written atomically, nothing left behind


@pytest.fixture(scope="module")
def plain_jieba(tmp_path_factory):
    """A jieba tokenizer built the documented way (whole dictionary, ``add_word``): what the
    cached, partly loaded dictionary must agree with."""
    jieba = tokens._jieba()
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tk.initialize()
    for word in gazetteer.load().words():
        if not tk.FREQ.get(word):
            tk.add_word(word, freq=tokens.USER_WORD_FREQ)
    return tk


def corpus_lines() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts.append((REPO / "tests" / "data" / "other-bulletin.txt").read_text("utf-8"))
    for p in sorted((REPO / "tests" / "data").glob("*.jsonl")):
        texts.append(p.read_text("utf-8"))
    return [ln for t in texts for ln in t.splitlines() if ln.strip()]


@pytest.fixture
def fresh_tokenizer(tmp_path, monkeypatch):
    """The tokenizer as a new process gets it: the cache file exists, nothing loaded yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # a cache of this test's own
    tokens._freq_table.cache_clear()
    tokens.tokenizer.cache_clear()
    tokens.cut("预热")  # builds the cache file
    tokens._freq_table.cache_clear()
    tokens.tokenizer.cache_clear()
    yield
    tokens._freq_table.cache_clear()
    tokens.tokenizer.cache_clear()


def test_cached_dictionary_cuts_exactly_like_plain_jieba(plain_jieba, fresh_tokenizer):
    lines = corpus_lines()
    assert len(lines) > 1000
    tokens.cut(lines[0])
    assert len(tokens.tokenizer().FREQ) < len(plain_jieba.FREQ) / 10  # loaded bucket by bucket
    for line in lines:
        expected = [t for t in plain_jieba.lcut(tokens._CJK_SPACE.sub("", line)) if t.strip()]
        assert tokens.cut(line) == expected, line
    for word in ("临港新片区", "生物医药", "医药", "没有这个词吧", "上海合作组织", "的"):
        assert tokens.known(word) == bool(plain_jieba.FREQ.get(word)), word


def test_cached_idf_is_jieba_idf_txt():
    table, median = tokens.jieba_idf()
    path = Path(tokens._jieba().__file__).parent / "analyse" / "idf.txt"
    lines = path.read_text("utf-8").splitlines()
    expected = {w: float(v) for w, _, v in (ln.strip().partition(" ") for ln in lines) if v}
    assert len(table) == len(expected)
    for word in list(expected)[::97] + ["生物医药", "养老"]:
        assert table[word] == expected[word], word
    assert table.get("没有这个词吧") is None
    assert median == sorted(expected.values())[len(expected) // 2]


def corpus_paragraphs() -> list[list[str]]:
    """Paragraph groups of the committed texts: each file's lines, 12 at a time."""
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += [p.read_text("utf-8") for p in sorted((REPO / "tests" / "data").glob("*.txt"))]
    lines = [[ln for ln in t.splitlines() if ln.strip()] for t in texts]
    return [ls[i:i + 12] for ls in lines for i in range(0, len(ls), 12)]


def test_cut_with_head_is_cut_of_each_on_every_sentence_boundary():
    from digest import sentences

    groups, shared = corpus_paragraphs(), 0
    assert len(groups) > 100
    for paragraphs in groups:
        text = "\n".join(paragraphs)
        sents = sentences.split(paragraphs)
        for k in range(1, min(len(sents), 4) + 1):  # the lead, or the first k sentences
            head = text[:text.index(sents[k - 1]) + len(sents[k - 1])]
            assert tokens.cut_with_head(text, head) == (tokens.cut(head), tokens.cut(text)), head
            shared += 1
        for n in (1, 7, 30):  # heads ending anywhere, most inside a block
            assert tokens.cut_with_head(text, text[:n]) == (tokens.cut(text[:n]), tokens.cut(text))
    assert shared > 300


def test_cut_with_head_cuts_a_head_alone_where_it_ends_inside_a_block():
    # jieba's HMM cuts the run of single characters 董黎杜蔡孔江常 as 董黎杜|蔡孔|江常, and the
    # head 董黎杜 alone as 董黎|杜: the text's first token is not the head's segmentation.
    text, head = "董黎杜蔡孔江常。", "董黎杜"
    assert tokens.cut(text)[0] == "董黎杜" and tokens.cut(head) == ["董黎", "杜"]
    assert tokens.cut_with_head(text, head) == (["董黎", "杜"], tokens.cut(text))
    # A head that the text does not begin with (white space before it) is cut alone too.
    assert tokens.cut_with_head("  G60 走廊。", "G60 走廊。")[0] == tokens.cut("G60 走廊。")


# Characters for generated texts: the committed texts' own (Chinese, punctuation, digits), the
# signs jieba keeps inside a block (+#&._%-), Latin letters and every kind of white space.
_ALPHABET = sorted(set("".join(corpus_lines())) | set("+#&._%-aZ09 \t\r\n\u3000\xa0"))


def test_segment_loop_cuts_exactly_like_jieba_on_the_corpus(plain_jieba):
    from digest import segment

    jieba = tokens._jieba()
    assert jieba.__version__ == segment.JIEBA_VERSION  # else tokens.py uses jieba's own loop
    args = (plain_jieba.FREQ, plain_jieba.total, jieba.re_han_default, jieba.re_skip_default,
            jieba.finalseg.cut)
    lines = corpus_lines()
    text = "\n".join(lines)
    for piece in [*lines, text, text.replace("\n", "")]:
        assert segment.lcut(piece, *args) == plain_jieba.lcut(piece), piece


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.one_of(st.sampled_from(gazetteer.load().words()),
                                st.text(st.sampled_from(_ALPHABET), max_size=12)), max_size=30))
def test_segment_loop_cuts_exactly_like_jieba_on_generated_texts(plain_jieba, words):
    from digest import segment

    jieba = tokens._jieba()
    text = "".join(words)
    assert segment.lcut(text, plain_jieba.FREQ, plain_jieba.total, jieba.re_han_default,
                        jieba.re_skip_default, jieba.finalseg.cut) == plain_jieba.lcut(text)


def test_segment_loop_breaks_ties_as_jieba_does():
    # With a total of 1, 甲乙 (4) scores log 4 and 甲 + 乙 (2 each) log 2 + log 2: the same
    # float. jieba's max over (score, end) then takes the longer word; so must the loop.
    from digest import segment

    jieba = tokens._jieba()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = {"甲": 2, "乙": 2, "甲乙": 4, "丙": 2, "乙丙": 4}, 1, True
    for text in ("甲乙", "甲乙丙", "丙甲乙", "乙丙甲"):
        assert segment.lcut(text, tk.FREQ, tk.total, jieba.re_han_default,
                            jieba.re_skip_default, jieba.finalseg.cut) == tk.lcut(text), text
    assert tk.lcut("甲乙") == ["甲乙"]


def test_another_jieba_version_is_cut_by_jieba_itself(monkeypatch):
    from digest import segment

    tk = tokens.tokenizer()
    tokens._lcut_function.cache_clear()
    monkeypatch.setattr(segment, "JIEBA_VERSION", "0.0")
    try:
        assert tokens._lcut_function(tk) == tk.lcut
        assert tokens.cut("推进 G60 科创走廊建设") == ["推进", "G60科创走廊", "建设"]
    finally:
        tokens._lcut_function.cache_clear()
    monkeypatch.undo()
    assert tokens._lcut_function(tk).func is segment.lcut


def _hmm_args():
    hmm = tokens._jieba().finalseg
    return dict(start=hmm.start_P, trans=hmm.trans_P, emit=hmm.emit_P,
                force_split=hmm.Force_Split_Words, block=hmm.re_han, skip=hmm.re_skip)


def test_segment_hmm_cuts_exactly_like_jieba_finalseg_on_the_corpus():
    from digest import segment

    hmm = tokens._jieba().finalseg
    lines = corpus_lines()
    runs = [r for ln in lines for r in hmm.re_han.findall(ln)]  # what jieba hands its HMM
    assert len(runs) > 1000
    for piece in [*lines, *runs]:
        assert segment.hmm_cut(piece, **_hmm_args()) == list(hmm.cut(piece)), piece


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(_ALPHABET), min_size=1, max_size=40))
def test_segment_hmm_cuts_exactly_like_jieba_finalseg_on_generated_texts(text):
    from digest import segment

    hmm = tokens._jieba().finalseg
    assert segment.hmm_cut(text, **_hmm_args()) == list(hmm.cut(text))


def test_segment_hmm_breaks_ties_as_finalseg_does():
    # Every score equal: finalseg's max over (score, state) takes the later letter each time
    # (S over E, M over B), so one character is S and longer runs are S, S, ...
    from digest import segment

    hmm = tokens._jieba().finalseg
    flat = {s: 0.0 for s in "BMES"}
    tables = dict(start=flat, trans={s: dict(flat) for s in "BMES"},
                  emit={s: {} for s in "BMES"})
    saved = hmm.start_P, hmm.trans_P, hmm.emit_P
    try:
        hmm.start_P, hmm.trans_P, hmm.emit_P = tables["start"], tables["trans"], tables["emit"]
        for text in ("甲", "甲乙", "甲乙丙丁"):
            assert segment.hmm_cut(text, **tables, force_split=set(), block=hmm.re_han,
                                   skip=hmm.re_skip) == list(hmm.cut(text)), text
    finally:
        hmm.start_P, hmm.trans_P, hmm.emit_P = saved
