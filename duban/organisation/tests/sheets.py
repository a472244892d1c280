"""Build unit-directory workbooks in memory for import tests, and run the import with them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from duban.core.excel import ImportRejected
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


def refused_rows(rows, *, by) -> list[str]:
    """What an import of these rows is told, row by row; it must have saved nothing."""
    from duban.organisation.models import Unit

    before = list(Unit.objects.values_list("pk", "version"))
    with pytest.raises(ImportRejected) as rejected:
        import_units(unit_sheet(rows), by=by)
    assert list(Unit.objects.values_list("pk", "version")) == before
    return rejected.value.errors.messages()
