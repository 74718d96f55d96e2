"""Each normalisation of extracted Chinese text, on small inputs."""

import pytest

from digest.errors import InputError
from digest.source import decode_text
from digest.text import clean_line, key, normalize, repair_mojibake, tidy_spaces, undouble


@pytest.mark.parametrize("raw, expected", [
    ("\u2f26\u2f45", "子方"),            # Kangxi radicals ⼦⽅ (NFKC knows them)
    ("\u2ed3三角", "长三角"),              # CJK Radicals Supplement ⻓ (NFKC does not)
    ("\u2ed4户\u2ec5证", "门户见证"),       # ⻔ ⻅
    ("\u2ee9\u2ef0江", "黄龙江"),           # ⻩ ⻰
    ("\uf900", "\u8c48"),                   # compatibility ideograph 豈 → 豈
    ("ＧＤＰ增长１２．５％", "GDP增长12．5％"),  # letters and digits, not punctuation
    ("上\x00海\x07市\u200b", "上海市"),       # NUL, control and zero-width characters
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_keeps_chinese_punctuation():
    assert normalize("，。：；“”《》……——") == "，。：；“”《》……——"


@pytest.mark.parametrize("raw, expected", [
    ("目  录", "目录"),
    ("上 海 市 人 民 政 府", "上海市人民政府"),
    ("立足双循环新发展格局 ，提高产业链", "立足双循环新发展格局，提高产业链"),
    ("12 月 16 日", "12 月 16 日"),  # spaces beside digits are not between ideographs
    ("  多余   的空白  ", "多余的空白"),
])
def test_tidy_spaces_body(raw, expected):
    assert tidy_spaces(raw) == expected


def test_tidy_spaces_keeps_a_titles_clause_separator():
    title = "长三角金融产业园开园 集聚基金规模已突破千亿元"
    assert tidy_spaces(title, keep_clause_space=True) == title
    assert tidy_spaces("《长三角智能航运发展报告》发布 聚焦智能航运五大领域", keep_clause_space=True) == \
        "《长三角智能航运发展报告》发布 聚焦智能航运五大领域"
    assert tidy_spaces("目 录", keep_clause_space=True) == "目录"  # letter-spacing is not a clause
    assert tidy_spaces(title) == "长三角金融产业园开园集聚基金规模已突破千亿元"


def test_undouble_fake_bold():
    assert undouble("微微软软 培培训训课课程程：：") == "微软 培训课程："
    assert undouble("常常") == "常常"  # real reduplication, too short to be fake bold
    assert undouble("一一对应的关系") == "一一对应的关系"  # not every pair doubled


def test_repair_mojibake_gbk_read_as_latin1():
    assert repair_mojibake("Ä¿ ¡¡ ¡¡ Â¼") == "目 \u3000 \u3000 录"
    assert clean_line("¹Ø ÓÚ ºì ¾ü ×÷ Õ½ µÄ Ô\xad Ôò") == "关于红军作战的原则"
    assert repair_mojibake("Café Müller") == "Café Müller"  # real Latin-1 stays
    assert repair_mojibake("£±") == "１"  # a lone page number in GBK


def test_key_ignores_spacing_quotes_and_punctuation():
    assert key("“G60 科创贷”产品发布 纯信用贷款最高额度 5000万元") == \
        key("\"G60科创贷\"产品发布，纯信用贷款最高额度 5000 万元")


MASTHEAD = "长三角每周要讯\n2020 年第 200 期\n"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"])
def test_decode_text_detects_the_encoding(codec):
    assert decode_text(MASTHEAD.encode(codec), "x.txt") == MASTHEAD


def test_decode_text_refuses_binary():
    with pytest.raises(InputError, match=r"x\.bin"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x81", "x.bin")


def test_font_twins_mapped_back_only_in_simplified_text():
    from digest.text import fix_variants

    simplified = ["这是我们为国家发展经济、产业升级和区域协调所做的工作，" * 3, "全市新增农戶三千戶，內容详见附件。"]
    assert fix_variants(simplified)[1] == "全市新增农户三千户，内容详见附件。"
    traditional = ["這是我們為國家發展經濟、產業升級和區域協調所做的工作，" * 3, "全市新增農戶三千戶。"]
    assert fix_variants(traditional) == traditional


def test_normalize_skips_translation_only_when_no_character_is_mapped():
    from digest.normalize import MAYBE_MAPPED, _mapped_re, _translation

    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000)
    assert set(_mapped_re().findall(every)) == set(map(chr, _translation()))
    # the cheap first check lets every mapped character through (and few others)
    assert set(map(chr, _translation())) <= set(MAYBE_MAPPED.findall(every))
    assert len(MAYBE_MAPPED.findall(every)) < 2 * len(_translation())
    assert normalize("⻄安\t市ＧＤＰ") == "西安 市GDP" and normalize("西安市") == "西安市"
