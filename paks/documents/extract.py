"""Read an accepted file: its text page by page, its page count and a thumbnail.

This module does not use Django. `paks.documents.processing` runs it in a child process under
time and memory limits, so that a hostile file can at worst fail its own processing:

    python -m paks.documents.extract MEDIA_TYPE INPUT_PATH THUMBNAIL_PATH

prints one JSON object: {"ok": true, "pages": [...], "page_count": N, "thumbnail": bool} or
{"ok": false, "reason": "..."}.
"""

from __future__ import annotations

import io
import json
import sys
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from PIL import Image, ImageOps

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGES = {"image/png", "image/jpeg", "image/webp", "image/gif"}

THUMBNAIL_WIDTH = 320
THUMBNAIL_MAX_HEIGHT = 480
# The index has no use for more text than this from one file.
MAX_TEXT_CHARS = 2_000_000
# Spreadsheets can hold millions of cells; the first ones say what the sheet is about.
MAX_SHEET_ROWS = 5_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Unreadable(Exception):
    """The file cannot be read; the message says why, for the uploader."""


@dataclass
class Extraction:
    pages: list[str] = field(default_factory=list)
    page_count: int | None = None
    thumbnail: Image.Image | None = None


def extract(path: Path, media_type: str) -> Extraction:
    readers = {PDF: read_pdf, PPTX: read_pptx, DOCX: read_docx, XLSX: read_xlsx}
    if media_type in IMAGES:
        return read_image(path)
    if media_type not in readers:
        raise Unreadable(f"Files of type {media_type} are not processed.")
    result = readers[media_type](path)
    # NFKC turns ligatures (the "ﬀ" of typeset PDFs) back into the letters people search for.
    pages = [" ".join(unicodedata.normalize("NFKC", page).split()) for page in result.pages]
    result.pages = _capped(pages)
    return result


def _capped(pages: list[str]) -> list[str]:
    kept, total = [], 0
    for page in pages:
        kept.append(page[: max(0, MAX_TEXT_CHARS - total)])
        total += len(kept[-1])
    return kept


def thumbnail_of(image: Image.Image) -> Image.Image:
    """A small RGB copy, turned upright by its EXIF orientation, with no metadata kept."""
    image = ImageOps.exif_transpose(image)
    image.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_MAX_HEIGHT))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    # A new image from the pixels alone: no EXIF, no ICC profile, no comments.
    plain = Image.new("RGB", image.size)
    plain.paste(image.convert("RGB"))
    return plain


def read_pdf(path: Path) -> Extraction:
    import pypdfium2
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = [page.extract_text() or "" for page in reader.pages]
    thumbnail = None
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        if len(pdf):
            first = pdf[0]
            width = first.get_width() or THUMBNAIL_WIDTH
            rendered = first.render(scale=min(THUMBNAIL_WIDTH / width, 2.0)).to_pil()
            thumbnail = thumbnail_of(rendered)
    finally:
        pdf.close()
    return Extraction(pages=pages, page_count=len(pages), thumbnail=thumbnail)


def _package_image(path: Path, media_folder: str) -> Image.Image | None:
    """The package's own thumbnail, or else the first raster image in its media folder."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        candidates = [n for n in names if n.lower().startswith("docprops/thumbnail.")]
        candidates += sorted(
            n
            for n in names
            if n.startswith(media_folder) and n.lower().endswith((".png", ".jpg", ".jpeg", ".gif"))
        )
        for name in candidates:
            try:
                image = Image.open(io.BytesIO(package.read(name)))
                image.load()
            except (OSError, Image.DecompressionBombError, ValueError):
                continue  # a WMF/EMF thumbnail or a damaged image: try the next one
            return thumbnail_of(image)
    return None


def _shape_texts(shapes: Any) -> list[str]:
    texts: list[str] = []
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6:  # a group: its members hold the text
            texts += _shape_texts(shape.shapes)
        if getattr(shape, "has_text_frame", False):
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False):
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def read_pptx(path: Path) -> Extraction:
    from pptx import Presentation

    presentation = Presentation(str(path))
    pages = []
    for slide in presentation.slides:
        texts = _shape_texts(slide.shapes)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            texts.append(slide.notes_slide.notes_text_frame.text)
        pages.append("\n".join(texts))
    return Extraction(
        pages=pages, page_count=len(pages), thumbnail=_package_image(path, "ppt/media/")
    )


def _app_pages(path: Path) -> int | None:
    """The page count Word wrote in docProps/app.xml when it last laid the document out."""
    with zipfile.ZipFile(path) as package:
        if "docProps/app.xml" not in package.namelist():
            return None
        root = ElementTree.fromstring(package.read("docProps/app.xml"))
    for element in root.iter():
        text = (element.text or "").strip()
        if element.tag.endswith("}Pages") and text.isdigit():
            return int(text) or None
    return None


def read_docx(path: Path) -> Extraction:
    """Paragraphs and tables, split where Word last broke the pages (or at explicit breaks)."""
    import docx

    body = docx.Document(str(path)).element.body
    # Word marks where it last broke the pages; without those marks, explicit breaks count.
    rendered = any(True for _ in body.iter(f"{W}lastRenderedPageBreak"))
    page_break = f"{W}lastRenderedPageBreak" if rendered else f"{W}br"
    pages: list[list[str]] = [[]]
    for element in body.iter(f"{W}t", f"{W}br", f"{W}lastRenderedPageBreak", f"{W}p"):
        if element.tag == f"{W}t":
            pages[-1].append(element.text or "")
        elif element.tag == f"{W}p":
            pages[-1].append("\n")
        elif element.tag == page_break and (rendered or element.get(f"{W}type") == "page"):
            pages.append([])
    texts = ["".join(parts).strip() for parts in pages]
    while len(texts) > 1 and not texts[-1]:
        texts.pop()
    # Word's own count, unless the breaks found show it is out of date.
    page_count = max(_app_pages(path) or 0, len(texts))
    return Extraction(
        pages=texts, page_count=page_count, thumbnail=_package_image(path, "word/media/")
    )


def read_xlsx(path: Path) -> Extraction:
    """One page per sheet: its name, then its cells row by row."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    pages = []
    try:
        for sheet in workbook.worksheets:
            lines = [sheet.title]
            for number, row in enumerate(sheet.iter_rows(values_only=True)):
                if number >= MAX_SHEET_ROWS:
                    break
                cells = [str(value) for value in row if value not in (None, "")]
                if cells:
                    lines.append("\t".join(cells))
            pages.append("\n".join(lines))
    finally:
        workbook.close()
    return Extraction(
        pages=pages, page_count=len(pages), thumbnail=_package_image(path, "xl/media/")
    )


def read_image(path: Path) -> Extraction:
    with Image.open(path) as image:
        image.load()
        return Extraction(pages=[], page_count=None, thumbnail=thumbnail_of(image))


def main(argv: list[str]) -> int:
    media_type, source, thumbnail_path = argv
    # Pillow's bomb warning becomes an error here, as at upload.
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        result = extract(Path(source), media_type)
        if result.thumbnail is not None:
            result.thumbnail.save(thumbnail_path, "JPEG", quality=80, optimize=True)
    except MemoryError:
        out: dict[str, Any] = {"ok": False, "reason": "memory"}
    except Image.DecompressionBombError:
        out = {"ok": False, "reason": "The image has more pixels than are accepted."}
    except Unreadable as exc:
        out = {"ok": False, "reason": str(exc)}
    except Exception as exc:  # any library's failure means a damaged file here
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        out = {"ok": False, "reason": "The file could not be read; it may be damaged."}
    else:
        out = {
            "ok": True,
            "pages": result.pages,
            "page_count": result.page_count,
            "thumbnail": result.thumbnail is not None,
        }
    sys.stdout.write(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
