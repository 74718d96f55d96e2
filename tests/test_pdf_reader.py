"""The pypdf reader's line assembly, on hand-built runs."""

from digest.pdf import Run, _inlay, _join


def test_glyphs_drawn_in_a_fallback_font_go_back_into_their_blanks():
    """LibreOffice writes the line with blanks and draws “” (and ——) in another face at their
    places; sorted by x they would trail the line."""
    line = Run(100.0, 500.0, 14.0, "/BAAAAA+DroidSansFallback", "浙江 最多跑一次 改革向机关内部延伸")
    quotes = Run(128.0, 500.0, 14.0, "/DAAAAA+NotoSansCJKjp-Regular-VKana", "“ ”")
    assert _join(_inlay([line, quotes])).text == "浙江“最多跑一次”改革向机关内部延伸"
    dash = Run(100.0, 400.0, 14.0, "F1", "短板与对策 基于全省100个县")
    dashes = Run(170.0, 400.0, 14.0, "F2", "——")
    assert _join(_inlay([dash, dashes])).text == "短板与对策——基于全省100个县"


def test_runs_side_by_side_are_not_inlays_and_the_line_keeps_its_font_family():
    a, b = Run(100.0, 500.0, 14.0, "/ABCDEF+SimHei", "标题第一段"), Run(170.0, 500.0, 14.0, "/ABCDEF+SimHei", "第二段")
    line = _join(_inlay([a, b]))
    assert (line.text, line.font) == ("标题第一段第二段", "SimHei")


def test_a_line_s_font_is_that_of_its_chinese_text():
    """Latin and digits in a Western face ("HK$80") do not change a Chinese title line's style."""
    cjk, latin = Run(100.0, 500.0, 18.0, "/A+NotoSansCJK-Bold", "超过"), Run(136.0, 500.0, 18.0, "/B+DejaVuSans", "HK$80")
    assert _join(_inlay([cjk, latin, Run(181.0, 500.0, 18.0, "/A+NotoSansCJK-Bold", "亿")])).font == "NotoSansCJK-Bold"


def test_the_closing_glyph_of_a_fallback_pair_goes_to_the_line_end():
    line = Run(100.0, 500.0, 18.0, "F1", "上海自贸区启动 全")
    rest = Run(262.0, 500.0, 18.0, "F1", "球营运商计划")
    quotes = Run(226.0, 500.0, 18.0, "F2", "“ ”")
    assert _join(_inlay([line, quotes, rest])).text.replace(" ", "") == "上海自贸区启动“全球营运商计划”"


def test_a_bold_western_face_for_latin_does_not_make_a_chinese_line_bold():
    cjk, latin = Run(100.0, 500.0, 18.0, "/A+DroidSansFallback", "超过"), Run(136.0, 500.0, 18.0, "/B+DejaVuSans-Bold", "HK$80")
    assert _join([cjk, latin]).bold is False
    assert _join([Run(100.0, 500.0, 18.0, "/B+DejaVuSans-Bold", "HK$80")]).bold is True
