from projects.spreadsheets import escape_cell, unescape_cell


def test_formula_like_text_is_escaped_and_numbers_are_not():
    assert escape_cell("=1+cmd|' /C calc'!A0") == "'=1+cmd|' /C calc'!A0"
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("\tx") == "'\tx"
    assert escape_cell("-42") == "-42" and escape_cell("+84") == "+84"
    assert escape_cell("Nguyễn Văn Đức") == "Nguyễn Văn Đức"
    assert escape_cell(None) == ""


def test_reimport_removes_exactly_the_escape():
    for text in ["=A1", "+84 90 123 4567 x", "-", "@me", "'=kept quote", "plain"]:
        assert unescape_cell(escape_cell(text)) == text
