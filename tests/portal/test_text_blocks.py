"""The text_blocks filter: an event's plain-text objectives and outputs as lists and
paragraphs, escaped."""

import pytest

from paks.templatetags.paks_tags import text_blocks


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
        ("* one\n* two", "<ul><li>one</li><li>two</li></ul>"),
        ("1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"),
        ("1) one\n2) two", "<ol><li>one</li><li>two</li></ol>"),
        ("3. three\n4. four", '<ol start="3"><li>three</li><li>four</li></ol>'),
        ("One line.", "<p>One line.</p>"),
        ("A line\nand the next", "<p>A line<br>and the next</p>"),
        ("First.\n\nSecond.", "<p>First.</p><p>Second.</p>"),
        (
            "The aims:\n- plan\n- assess\nAnd then:\n1. launch",
            "<p>The aims:</p><ul><li>plan</li><li>assess</li></ul><p>And then:</p>"
            "<ol><li>launch</li></ol>",
        ),
        ("  - indented\r\n  - lines  ", "<ul><li>indented</li><li>lines</li></ul>"),
        ("-not a bullet\n2010. A year", "<p>-not a bullet<br>2010. A year</p>"),
        ("", ""),
    ],
)
def test_text_becomes_lists_and_paragraphs(text, html):
    assert text_blocks(text) == html


def test_every_item_and_paragraph_is_escaped():
    assert text_blocks("- <b>bold</b> & co\n<script>x</script>") == (
        "<ul><li>&lt;b&gt;bold&lt;/b&gt; &amp; co</li></ul><p>&lt;script&gt;x&lt;/script&gt;</p>"
    )
