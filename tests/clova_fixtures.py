"""Synthetic CLOVA answers for what the vendor's examples do not show."""


def poly(left: float, top: float, width: float, height: float) -> dict:
    return {
        "vertices": [
            {"x": left, "y": top},
            {"x": left + width, "y": top},
            {"x": left + width, "y": top + height},
            {"x": left, "y": top + height},
        ]
    }


def field(name: str, text: str, box: tuple, *, kind: str = "NORMAL", confidence: float = 0.97, **extra) -> dict:
    return {
        "name": name,
        "valueType": extra.pop("valueType", "ALL"),
        "boundingPoly": poly(*box),
        "inferText": text,
        "inferConfidence": confidence,
        "type": kind,
        **extra,
    }


def multibox(name: str, digits: str, left: float, top: float, cell: float = 60) -> dict:
    return field(
        name,
        digits,
        (left, top, cell * len(digits), cell),
        kind="MULTI_BOX",
        valueType="NUMERIC",
        confidence=0.9,
        subFields=[
            {
                "boundingPoly": poly(left + index * cell, top, cell, cell),
                "inferText": digit,
                "inferConfidence": 0.8 + index / 100,
            }
            for index, digit in enumerate(digits)
        ],
    )


def checkbox(name: str, checked: bool, box: tuple, checked_text: str = "V") -> dict:
    return field(name, checked_text if checked else "", box, kind="CHECKBOX", checked=checked)


def image(fields: list[dict], *, result: str = "SUCCESS", message: str = "SUCCESS", **extra) -> dict:
    return {"uid": "u-1", "name": "doc", "inferResult": result, "message": message, "fields": fields, **extra}


def template_page(validation: str = "VALID", validation_message: str = "") -> dict:
    verdict = {"result": validation, **({"message": validation_message} if validation_message else {})}
    return image(
        [
            multibox("id", "102831", 488, 284),
            field("name", "김민수", (287, 287, 94, 42)),
            field(
                "address",
                "서울시 강남구\n테헤란로 1",
                (100, 400, 600, 90),
                subFields=[
                    {
                        "boundingPoly": poly(100, 400, 300, 40),
                        "inferText": "서울시 강남구",
                        "inferConfidence": 0.95,
                        "lineBreak": True,
                    },
                    {
                        "boundingPoly": poly(100, 450, 250, 40),
                        "inferText": "테헤란로 1",
                        "inferConfidence": 0.93,
                        "lineBreak": False,
                    },
                ],
            ),
            checkbox("fax-checkbox", True, (87, 736, 53, 55)),
            checkbox("mail-checkbox", False, (187, 736, 53, 55)),
        ],
        matchedTemplate={"id": 390, "name": "보험금 청구서"},
        validationResult=verdict,
        combineResult={"name": "summary", "text": "김민수 / 102831"},
        # Real answers put the title after the fields, sometimes empty (an image-only title region).
        title={"name": "title", "boundingPoly": poly(453, 54, 508, 54), "inferText": "", "inferConfidence": 0.0},
    )


def table_page() -> dict:
    """A 3 × 3 table: a header cell spanning two columns, a cell spanning two rows, one empty cell."""

    def cell(row, column, text, *, row_span=1, column_span=1):
        lines = []
        if text:
            lines = [
                {
                    "boundingPoly": poly(column * 100 + 5, row * 40 + 5, 80, 30),
                    "inferConfidence": 0.96,
                    "cellWords": [
                        {
                            "boundingPoly": poly(column * 100 + 5 + i * 40, row * 40 + 5, 35, 30),
                            "inferText": word,
                            "inferConfidence": 0.96,
                        }
                        for i, word in enumerate(text.split())
                    ],
                }
            ]
        return {
            "boundingPoly": poly(column * 100, row * 40, 100 * column_span, 40 * row_span),
            "inferConfidence": 1.0,
            "rowIndex": row,
            "columnIndex": column,
            "rowSpan": row_span,
            "columnSpan": column_span,
            "cellTextLines": lines,
        }

    table = {
        "boundingPoly": poly(0, 0, 300, 120),
        "inferConfidence": 0.99,
        "cells": [
            cell(0, 0, "Item Name", column_span=2),
            cell(0, 2, "Price"),
            cell(1, 0, "Group A", row_span=2),
            cell(1, 1, "apple"),
            cell(1, 2, "1,000"),
            cell(2, 1, "pear"),
            cell(2, 2, ""),
        ],
    }
    words = [
        field("", word, (10 + 80 * index, 200, 70, 30), lineBreak=index == 2)
        for index, word in enumerate(["a", "b", "c"])
    ]
    for word in words:
        word.pop("name")
    return image(words, tables=[table], validationResult={"result": "NO_REQUESTED"})


def v1_page() -> dict:
    """V1 answers carry `bounding` rectangles and none of V2's later keys."""
    return {
        "uid": "v1",
        "name": "doc",
        "inferResult": "SUCCESS",
        "message": "SUCCESS",
        "fields": [
            {
                "name": "name",
                "valueType": "ALL",
                "inferText": "David",
                "inferConfidence": 0.99,
                "bounding": {"top": 287.5, "left": 100.25, "width": 94, "height": 42},
            },
        ],
    }
