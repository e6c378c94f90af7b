"""Tables found by their ruling lines: horizontal and vertical strokes give the grid, a missing stroke between
two grid cells makes them one spanning cell, and each cell's text is read on its own."""

from dataclasses import dataclass

import cv2
import numpy as np

MIN_TABLE_SIDE = 60  # px: smaller boxes of lines are checkboxes or frames, not tables
MERGE_GAP = 6  # px: strokes closer than this are one line
COVER = 0.6  # a boundary counts when a stroke covers this share of the grid edge


@dataclass(frozen=True)
class Segment:
    at: int  # y of a horizontal stroke, x of a vertical one
    start: int
    end: int


@dataclass
class Cell:
    row: int
    column: int
    row_span: int
    column_span: int
    box: tuple[int, int, int, int]  # left, top, right, bottom in page pixels


@dataclass
class Table:
    box: tuple[int, int, int, int]
    cells: list[Cell]
    xs: list[int]  # the grid's vertical ruling lines, page pixels
    ys: list[int]  # and its horizontal ones

    def ruling(self, shape: tuple[int, int], width: int = 5) -> np.ndarray:
        """Where the grid's lines run (a band `width` pixels either side), within the table's box."""
        band = np.zeros(shape, bool)
        left, top, right, bottom = self.box
        for x in self.xs:
            band[max(0, top - width) : bottom + width, max(0, x - width) : x + width + 1] = True
        for y in self.ys:
            band[max(0, y - width) : y + width + 1, max(0, left - width) : right + width] = True
        return band


def line_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    height, width = gray.shape
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 40), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, height // 60)))
    )
    # Close the small gaps scanning leaves in strokes.
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    return horizontal, vertical


def _segments(mask: np.ndarray, horizontal: bool) -> list[Segment]:
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = []
    for left, top, width, height, _area in stats[1:count]:
        if horizontal:
            found.append(Segment(at=int(top + height // 2), start=int(left), end=int(left + width)))
        else:
            found.append(Segment(at=int(left + width // 2), start=int(top), end=int(top + height)))
    return found


def _cluster(values: list[int]) -> list[int]:
    positions: list[list[int]] = []
    for value in sorted(values):
        if positions and value - positions[-1][-1] <= MERGE_GAP:
            positions[-1].append(value)
        else:
            positions.append([value])
    return [round(sum(group) / len(group)) for group in positions]


def _covered(segments: list[Segment], at: int, start: int, end: int) -> bool:
    span = max(1, end - start)
    covered = sum(
        max(0, min(end, segment.end) - max(start, segment.start))
        for segment in segments
        if abs(segment.at - at) <= MERGE_GAP
    )
    return covered >= COVER * span


def find_tables(gray: np.ndarray, masks: tuple[np.ndarray, np.ndarray] | None = None) -> list[Table]:
    horizontal, vertical = masks or line_masks(gray)
    grid = cv2.bitwise_or(horizontal, vertical)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    tables = []
    for left, top, width, height, _area in stats[1:count]:
        if width < MIN_TABLE_SIDE or height < MIN_TABLE_SIDE:
            continue
        region = (slice(top, top + height), slice(left, left + width))
        rows = _segments(horizontal[region], horizontal=True)
        columns = _segments(vertical[region], horizontal=False)
        table = _grid(rows, columns, left, top)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda table: (table.box[1], table.box[0]))


def _joins(segment: Segment, positions: list[int]) -> bool:
    """The segment reaches from one grid line to another: a ruling line, not a stroke of large lettering."""
    touched = [at for at in positions if segment.start - MERGE_GAP <= at <= segment.end + MERGE_GAP]
    return len(touched) >= 2


def _grid(rows: list[Segment], columns: list[Segment], left: int, top: int) -> Table | None:
    # Strokes of large letters (a 44 px Hangul's vertical) pass the line filters; only strokes that run
    # from one grid line to the next are ruling (else they make columns of their own and shift the cells).
    columns = [segment for segment in columns if _joins(segment, _cluster([s.at for s in rows]))]
    rows = [segment for segment in rows if _joins(segment, _cluster([s.at for s in columns]))]
    ys = _cluster([segment.at for segment in rows])
    xs = _cluster([segment.at for segment in columns])
    if len(ys) < 2 or len(xs) < 2 or (len(ys) == 2 and len(xs) == 2):
        return None  # a single box is a frame, not a table
    row_count, column_count = len(ys) - 1, len(xs) - 1
    parent = list(range(row_count * column_count))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for row in range(row_count):
        for column in range(column_count):
            here = row * column_count + column
            if column + 1 < column_count and not _covered(columns, xs[column + 1], ys[row], ys[row + 1]):
                parent[find(here + 1)] = find(here)
            if row + 1 < row_count and not _covered(rows, ys[row + 1], xs[column], xs[column + 1]):
                parent[find(here + column_count)] = find(here)
    groups: dict[int, list[tuple[int, int]]] = {}
    for row in range(row_count):
        for column in range(column_count):
            groups.setdefault(find(row * column_count + column), []).append((row, column))
    cells = []
    for members in groups.values():
        first_row = min(row for row, _ in members)
        last_row = max(row for row, _ in members)
        first_column = min(column for _, column in members)
        last_column = max(column for _, column in members)
        cells.append(
            Cell(
                row=first_row,
                column=first_column,
                row_span=last_row - first_row + 1,
                column_span=last_column - first_column + 1,
                box=(left + xs[first_column], top + ys[first_row], left + xs[last_column + 1], top + ys[last_row + 1]),
            )
        )
    cells.sort(key=lambda cell: (cell.row, cell.column))
    return Table(
        box=(left + xs[0], top + ys[0], left + xs[-1], top + ys[-1]), cells=cells,
        xs=[left + x for x in xs], ys=[top + y for y in ys],
    )  # fmt: skip
