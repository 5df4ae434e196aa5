"""yamlload.check_nesting: the count of collection openers is a sound shortcut for the parse."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wellnesslint import yamlload


@st.composite
def nested_yaml(draw, depth: int = 0):
    """A YAML value nested a random number of levels, in block and flow styles."""
    if depth >= 8 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["x", "'a: b'", "1", "nl", "[]", "{}", "\"-\""]))
    inner = draw(nested_yaml(depth + 1))
    style = draw(st.sampled_from(["flow_seq", "flow_map", "block_seq", "block_map", "complex_key",
                                  "key_only"]))
    if style == "flow_seq":
        return f"[{inner}, y]" if "\n" not in inner else "[z]"
    if style == "flow_map":
        return f"{{k: {inner}}}" if "\n" not in inner else "{k: z}"
    pad = "  " * (depth + 1)
    body = inner.replace("\n", "\n" + pad)
    if style == "block_seq":
        return f"\n{pad}- {body}\n{pad}- y"
    if style == "block_map":
        return f"\n{pad}k: {body}\n{pad}j: y"
    if style == "key_only":  # a mapping whose one complex key holds the value, and no ":"
        return f"\n{pad}? {body}"
    return f"\n{pad}? k\n{pad}: {body}"


@settings(max_examples=300, deadline=None)
@given(nested_yaml(), st.integers(0, 10))
def test_the_shortcut_agrees_with_the_parse(value, limit):
    text = f"top: {value}\n"
    full = yamlload._first_too_deep(text, None, limit)
    assert yamlload.check_nesting(text, limit=limit) == full


def test_deep_text_is_still_parsed():
    text = "a: " + "[" * 150 + "]" * 150 + "\n"
    assert yamlload.check_nesting(text) == 1
    assert yamlload.check_nesting("- " * 101 + "x\n") == 1
    assert yamlload.check_nesting("a: " + "[" * 50 + "]" * 50 + "\n") is None
