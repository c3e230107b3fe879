"""Reading files into raw frames: CSV (delimiter, encoding and decimal sniffing), Parquet, XLSX.

CSV cells are read as text so that validation sees exactly what the file holds and can report
line numbers; typing happens in `validate`.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.data.exports import apply_preset, column_mapping, header_row, locate_table
from workbench.data.presets import Preset
from workbench.errors import DataValidationError

DELIMITERS = (",", ";", "\t")
_SNIFF_BYTES = 1 << 20
_NORMALISE_RE = re.compile(r"[\s.\-]+")


def normalise_name(name: object) -> str:
    """Column name → lower_snake_case: strip BOM and spaces, lower, spaces/dots/dashes → `_`."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return _NORMALISE_RE.sub("_", text).strip("_")


@dataclass
class Source:
    """What we learnt about a file while reading it; used for error messages."""

    path: Path
    fmt: str  # csv | parquet | xlsx | frame
    encoding: str | None = None
    delimiter: str | None = None
    decimal_comma: bool = False
    header_line: int = 1
    preset: Preset | None = None  # the platform export recognised (workbench.data.presets)
    lines_skipped: int = 0  # non-blank lines above the header (titles, date ranges, # comments)
    summary_rows: int = 0  # totals/footer rows the preset dropped
    display: str = ""  # the path as the user wrote it, for messages
    mapping: dict[str, str] = field(default_factory=dict)  # export column -> contract column (preset)
    _line_numbers: np.ndarray | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        if self.display:
            return self.display
        return self.path.name if self.fmt != "frame" else str(self.path)

    @property
    def location_word(self) -> str:
        return "line" if self.fmt == "csv" else "row"

    def line_numbers(self, positions: np.ndarray) -> np.ndarray:
        """Line numbers in the file (header = line 1) of the given 0-based data row positions."""
        positions = np.asarray(positions, dtype=np.int64)
        if self.fmt == "csv" and self._line_numbers is not None:
            return self._line_numbers[positions]
        if self.fmt == "parquet" or self.fmt == "frame":
            return positions + 1
        return positions + self.header_line + 1


def _fail(path: Path, message: str, display: str = "") -> DataValidationError:
    return DataValidationError(f"{display or path.name}: {message}")


def _decode_sample(raw: bytes) -> tuple[str, str]:
    """Pick an encoding from the file's first bytes: BOMs, then UTF-8, then cp1251."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", raw.decode("utf-16", errors="replace")
    try:
        return "utf-8", raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(raw) - 3 and len(raw) >= _SNIFF_BYTES:
            return "utf-8", raw[: exc.start].decode("utf-8")
    try:
        return "cp1251", raw.decode("cp1251")
    except UnicodeDecodeError:
        return "", ""


def _count_outside_quotes(line: str, ch: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            count += 1
    return count


def sniff_delimiter(text: str) -> str | None:
    """The delimiter among `,` `;` tab most used in the header line; None when none appears."""
    header = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else None


def _csv_line_numbers(text: str, delimiter: str, n_rows: int) -> np.ndarray | None:
    """Exact start line of every record (header = line 1), for files with blank lines or
    quoted line breaks where 'row + 2' would be wrong."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines: list[int] = []
    prev_end = 0
    header_seen = False
    try:
        for record in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if not header_seen:
                header_seen = True
                continue
            lines.append(start)
    except csv.Error:
        return None
    if len(lines) != n_rows:
        return None
    return np.asarray(lines, dtype=np.int64)


def read_csv(
    path: Path, *, preset: Preset | None = None, dataset: str | None = None, detect: bool = True, display: str = ""
) -> tuple[pd.DataFrame, Source]:
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail(path, "the file is empty (expected a header line and data rows)", display)
    encoding, sample = _decode_sample(head)
    if not encoding:
        raise _fail(path, "cannot decode the file as UTF-8, UTF-16 or cp1251 text", display)
    src = Source(path, "csv", encoding=encoding, display=display)
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise _fail(path, f"cannot decode the file as {encoding}", display) from None
        try:
            text = path.read_bytes().decode("cp1251")
            src.encoding = "cp1251"
        except UnicodeDecodeError:
            raise _fail(path, "cannot decode the file as UTF-8 or cp1251 text", display) from None
    if "\x00" in text:
        raise _fail(path, "the file holds NUL bytes: it is not a text CSV file", display)
    lines = text.splitlines()
    layout = locate_table(lines, preset=preset, dataset=dataset, detect=detect)
    delimiter = layout.delimiter
    src.delimiter, src.decimal_comma, src.preset = delimiter, delimiter == ";", layout.preset
    src.lines_skipped = len(layout.skipped_before)
    header_idx = layout.header_index
    src.header_line = header_idx + 1
    if header_idx or layout.end_index < len(lines):
        text = "\n".join(lines[header_idx : layout.end_index]) + "\n"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=True,
                engine="c",
                quoting=csv.QUOTE_MINIMAL,
            )
    except pd.errors.EmptyDataError:
        raise _fail(path, "the file is empty (expected a header line and data rows)", display) from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise _fail(path, f"cannot parse as CSV with delimiter {delimiter!r}: {exc}", display) from None
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if n_lines != len(df) + 1 or header_idx:  # blank lines or quoted line breaks: count exactly
        numbers = _csv_line_numbers(text, delimiter, len(df))
        src._line_numbers = None if numbers is None else numbers + header_idx
    return df, src


def read_parquet(path: Path, display: str = "") -> tuple[pd.DataFrame, Source]:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a corrupt file
        raise _fail(path, f"not a readable Parquet file ({type(exc).__name__}: {exc})", display) from None
    return df.reset_index(drop=True), Source(path, "parquet", display=display)


def read_xlsx(
    path: Path, *, preset: Preset | None = None, dataset: str | None = None, detect: bool = True, display: str = ""
) -> tuple[pd.DataFrame, Source]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grid = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl", header=None)
    except Exception as exc:  # zipfile/openpyxl raise many types for a corrupt file
        raise _fail(path, f"not a readable XLSX file ({type(exc).__name__}: {exc})", display) from None
    src = Source(path, "xlsx", display=display)
    rows = grid.head(60).to_numpy().tolist()
    index, found = header_row(rows, dataset, preset) if (detect or preset is not None) else (0, None)
    if found is None:  # first row with a value
        index = next((i for i, r in enumerate(rows) if any(pd.notna(v) and str(v).strip() for v in r)), 0)
    src.preset, src.header_line = found, index + 1
    src.lines_skipped = sum(1 for r in rows[:index] if any(pd.notna(v) and str(v).strip() for v in r))
    df = grid.iloc[index + 1 :].reset_index(drop=True)
    header = grid.iloc[index] if len(grid) else []
    df.columns = [str(c) if pd.notna(c) else f"unnamed_{i}" for i, c in enumerate(header)]
    return df, src


def _read_raw(path: Path, **kw) -> tuple[pd.DataFrame, Source]:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return read_parquet(path, kw.get("display", ""))
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, **kw)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"PAR1":
        return read_parquet(path, kw.get("display", ""))
    if magic == b"PK\x03\x04":
        return read_xlsx(path, **kw)
    return read_csv(path, **kw)


def read_any(
    path: Path, *, preset: Preset | None = None, dataset: str | None = None, detect: bool = True, display: str = ""
) -> tuple[pd.DataFrame, Source]:
    """Read a CSV/TSV/TXT, Parquet or XLSX file into a raw frame plus what we learnt about it.

    A platform export (workbench.data.presets) is recognised from its header — `preset` forces
    one, `dataset` limits detection to that contract's presets, detect=False turns it off — and
    turned into contract columns, its title and summary lines skipped."""
    df, src = _read_raw(path, preset=preset, dataset=dataset, detect=detect, display=display)
    if src.preset is None:
        return df, src
    all_lines = src.line_numbers(np.arange(len(df)))
    src.mapping = column_mapping([str(c) for c in df.columns], src.preset)
    df, kept = apply_preset(df, src.preset)
    src.summary_rows = int(len(all_lines) - len(kept))
    src._line_numbers = np.asarray(all_lines)[kept]
    # the preset rewrote its contract columns with a decimal point; extra columns keep the export's style
    src.decimal_comma = {"en": False, "ru": True}.get(src.preset.number_style, src.decimal_comma)
    return df, src
