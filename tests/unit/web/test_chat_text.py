"""Chat messages on the page: quotes and lists as HTML, never raw Markdown marks, never injected markup."""

from __future__ import annotations

from memo_coach.web.pages.chat_text import chat_html


def test_quotes_become_blockquotes_with_no_raw_marker_and_stay_escaped():
    html = str(chat_html('This is your ask:\n\n> We ask for <b>$5,000</b> & a "yes".\n\nIt could read: “x”'))
    assert html == (
        "<p>This is your ask:</p>"
        "<blockquote>We ask for &lt;b&gt;$5,000&lt;/b&gt; &amp; a &#34;yes&#34;.</blockquote>"
        "<p>It could read: “x”</p>"
    )
    assert "&gt; We" not in html and "> We" not in html


def test_a_quoted_sentence_wrapped_over_lines_stays_one_quote():
    assert (
        str(chat_html("> Our costs rose\nfrom $3 to $4.")) == "<blockquote>Our costs rose\nfrom $3 to $4.</blockquote>"
    )


def test_lists_and_bold_from_a_model_answer_render_and_scripts_do_not():
    html = str(chat_html("BLUF: lead with it.\n- Say the **decision**\n- Then the date\n\n<script>alert(1)</script>"))
    assert "<ul><li>Say the <strong>decision</strong></li><li>Then the date</li></ul>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
