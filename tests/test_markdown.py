"""The site's Markdown dialect: paragraph ids, intra-site links, plugins, raw HTML policy."""

from __future__ import annotations

from research.read.markdown import LINT_SEPARATOR as SEP, parse, render


def test_ids_written_at_the_end_of_paragraphs_are_kept_whatever_their_order():
    from research.read.markdown import parse

    parsed = parse("One. {#p-4}\n\nTwo\nlines. {#p-1}", paragraph_ids=True)
    assert '<p id="p-4">One. <a class="pilcrow" href="#p-4"' in parsed.html
    assert parsed.paragraphs == {"p-4": "One.", "p-1": "Two lines."} and not parsed.problems
    assert "{#" not in parsed.html


def test_top_level_paragraphs_get_sequential_ids_and_pilcrows():
    html, count = render("One.\n\n## Heading\n\nTwo.\n\n> quoted\n\n- item\n\n  para in list\n\nThree.",
                         paragraph_ids=True)
    assert count == 3
    assert '<p id="p-1">One. <a class="pilcrow" href="#p-1" aria-label="Link to paragraph 1">¶</a></p>' in html
    assert '<p id="p-3">Three.' in html
    assert "<blockquote>\n<p>quoted</p>" in html  # nested paragraphs are not numbered


def test_paragraph_ids_are_off_by_default():
    html, count = render("One.\n\nTwo.")
    assert count == 0 and "id=" not in html


def test_footnote_paragraphs_are_not_numbered():
    html, count = render("Claim.[^1]\n\n[^1]: The note.", paragraph_ids=True)
    assert count == 1
    assert 'id="fn1"' in html


def test_footnotes_are_numbered_notes_under_a_heading_with_one_return_arrow():
    html, _ = render("A.[^1] B.[^1] C.[^2]\n\n[^1]: One.\n[^2]: Two.\n")
    assert ('<sup class="footnote-ref"><a href="#fn1" id="fnref1:1" aria-label="Note 1">1</a>'
            '</sup>') in html  # a second reference to note 1 is still "1", not "[1:1]"
    assert '<h2 id="notes-heading">Notes</h2>' in html and "footnotes-sep" not in html
    assert ('One. ↩\ufe0e <a href="#fnref1" class="footnote-backref" aria-label="Back to '
            'reference a">a</a> <a href="#fnref1:1" class="footnote-backref" aria-label="Back to '
            'reference b">b</a>') in html
    assert html.count("↩") == 2  # one per note, never "↩ ↩"


def test_filename_links_are_not_percent_encoded():
    html, _ = render("[a]({filename}/sources/x.md#p-2) [b]({static}/img/ü.png)")
    assert 'href="{filename}/sources/x.md#p-2"' in html
    assert 'href="{static}/img/%C3%BC.png"' in html


def test_heading_anchors_definition_lists_and_attributes():
    html, _ = render("## Countering NATO\n\nTerm\n: Definition\n\n[Georgia]{.nolink}")
    assert '<h2 id="countering-nato">' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>" in html
    assert '<span class="nolink">Georgia</span>' in html


def test_raw_html_is_shown_as_text_not_executed():
    html, _ = render('<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_only_safe_attributes_are_kept():
    html, _ = render('[x]{onclick="alert(1)" .ok}')
    assert "onclick" not in html and 'class="ok"' in html


def test_javascript_urls_are_not_linked():
    html, _ = render("[x](javascript:alert(1))")
    assert "href" not in html


# --- render_inline: editorial notes in front-matter ---------------------------------------

def test_inline_markdown_renders_code_and_emphasis_without_a_paragraph():
    from research.read.markdown import render_inline

    assert render_inline("`founded` is *the* date") == \
        "<code>founded</code> is <em>the</em> date"


def test_inline_markdown_shows_raw_html_as_text_and_drops_script_links():
    from research.read.markdown import render_inline

    assert render_inline("<script>alert(1)</script> & <b>x</b>") == \
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;"
    assert "href" not in render_inline("[click](javascript:alert(1))")


def test_the_lint_text_replaces_what_the_lint_skips_with_a_separator():
    body = ("A [x y]{.nolint} b [the *bloc*]{entity=csto} c[^1] [@src#p-2] `Code Name`\n"
            "d ![Alt Name](i.png) [Link Name](https://example.org) "
            "[n [m]{lang=de} o]{.nolint .nolink} e. {#p-1}\n\nNext one. {#p-2}\n\n"
            "[^1]: A note.\n")
    parsed = parse(body, paragraph_ids=True)
    assert parsed.lint_texts == {
        "p-1": f"A {SEP} b {SEP} c{SEP} [@src#p-2] Code Name\nd  Link Name {SEP} e.",
        "p-2": "Next one."}
    # The reader's plain text (for citations and quotations) is not the lint's.
    assert parsed.paragraphs["p-1"].startswith("A x y b the bloc c  Code Name d Alt Name")
