"""Build unit-directory workbooks in memory for import tests, and run the import with them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from duban.core.imports import run_import
from duban.organisation.excel import UnitImport

HEADER = ["单位编码", "单位全称", "简称", "别名", "类型", "上级单位编码", "排序", "启用"]


def unit_sheet(rows, *, header=HEADER, name="units.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def import_units(upload, *, by) -> dict:
    return run_import(UnitImport(), upload=upload, by=by)
