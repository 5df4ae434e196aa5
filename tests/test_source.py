import codecs
import os

import pytest

from wellnesslint.source import SourceError, detect_newline, read_source

TEXT = "Kruidenthee helpt écht.\nGeen claims.\n"


@pytest.mark.parametrize(
    "data, encoding, bom",
    [
        (TEXT.encode("utf-8"), "utf-8", b""),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        # no BOM: detected by the NUL-byte layout
        (TEXT.encode("utf-16-le"), "utf-16-le", b""),
        (TEXT.encode("utf-16-be"), "utf-16-be", b""),
    ],
)
def test_encodings(data, encoding, bom):
    src = read_source(data)
    assert src.text == TEXT
    assert src.encoding == encoding
    assert src.bom == bom
    assert src.newline == "\n"


def test_reads_a_path(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(codecs.BOM_UTF8 + "één\r\ntwee\r\n".encode())
    src = read_source(p)
    assert src.text == "één\r\ntwee\r\n"
    assert src.encoding == "utf-8-sig"
    assert src.newline == "\r\n"
    assert read_source(str(p)) == src


@pytest.mark.parametrize(
    "text, newline",
    [
        ("a\r\nb\r\n", "\r\n"),
        ("a\rb\r", "\r"),
        ("a\nb", "\n"),
        ("no newline", "\n"),
        ("a\r\nb\nc", "mixed"),
        ("a\rb\n", "mixed"),
    ],
)
def test_newlines_kept_exactly(text, newline):
    src = read_source(text.encode("utf-8"))
    assert src.text == text  # no universal-newline translation
    assert src.newline == newline
    assert detect_newline(text) == newline


def test_crlf_kept_in_utf16():
    src = read_source(codecs.BOM_UTF16_LE + "a\r\nb".encode("utf-16-le"))
    assert src.text == "a\r\nb"
    assert src.newline == "\r\n"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00",
        b"hello\x00world",
        codecs.BOM_UTF8 + b"text\x00",
    ],
)
def test_binary_refused(data):
    with pytest.raises(SourceError) as exc:
        read_source(data)
    assert str(exc.value) == "binary file (contains NUL bytes)"


def test_invalid_utf8_names_the_byte():
    with pytest.raises(SourceError) as exc:
        read_source(b"caf\xe9 au lait")  # Latin-1
    assert str(exc.value) == "not valid UTF-8 at byte 3"
    with pytest.raises(SourceError) as exc:
        read_source(codecs.BOM_UTF8 + b"ab\xff")
    assert str(exc.value) == "not valid UTF-8 at byte 5"  # counted in the file, BOM included


def test_invalid_utf16():
    with pytest.raises(SourceError) as exc:
        read_source(codecs.BOM_UTF16_LE + b"a\x00\x00\xdc")  # lone low surrogate
    assert "not valid UTF-16-LE at byte" in str(exc.value)


def test_utf32_refused():
    with pytest.raises(SourceError, match="UTF-32"):
        read_source(codecs.BOM_UTF32_LE + "hi".encode("utf-32-le"))


def test_file_errors_are_one_line(tmp_path):
    with pytest.raises(SourceError, match="^no such file or directory$"):
        read_source(tmp_path / "missing.md")
    with pytest.raises(SourceError, match="^is a directory$"):
        read_source(tmp_path)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_devices_are_refused():
    with pytest.raises(SourceError, match=r"^not a regular file \(a named pipe, a device or a socket\)$"):
        read_source("/dev/zero", None)  # would never end


def test_empty():
    src = read_source(b"")
    assert src.text == "" and src.encoding == "utf-8" and src.newline == "\n"


@pytest.mark.parametrize("limit, grows_past_limit", [(10_000, False), (1_200, True)])
def test_a_file_that_grew_after_fstat_is_read_whole_or_refused(tmp_path, monkeypatch, limit, grows_past_limit):
    # the reader asks for the size fstat reported plus one byte; a file that grew in between
    # (fstat reports less than is there) must still be read to its end, or refused past the limit
    path = tmp_path / "page.md"
    text = "Regel met tekst.\n" * 100  # 1,700 bytes
    path.write_text(text, encoding="utf-8")
    real_fstat = os.fstat

    class Shrunk:
        def __init__(self, st):
            self.st_mode = st.st_mode
            self.st_size = 1_000  # what fstat saw before the rest was written

    monkeypatch.setattr("wellnesslint.source.os.fstat", lambda fd: Shrunk(real_fstat(fd)))
    if grows_past_limit:
        with pytest.raises(SourceError, match="too large"):
            read_source(str(path), max_bytes=limit)
    else:
        assert read_source(str(path), max_bytes=limit).text == text
