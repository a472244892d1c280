"""Build unit-directory workbooks in memory for import tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

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
