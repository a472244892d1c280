"""A project's attachments: the implementation plan, the two reports and the approvals (一案两书及批复)."""

from __future__ import annotations

from duban.core.rules import require
from duban.core.services import model_create
from duban.core.uploads import EVIDENCE, check_upload

from ..models import BondProject, ProjectDocument
from ..rules import may_attach_documents, may_edit_project


def document_add(*, project: BondProject, by, kind: str, upload, note: str = "") -> ProjectDocument:
    require(may_attach_documents, by, project)
    check_upload(upload, allowed=EVIDENCE)
    return model_create(
        ProjectDocument, project=project, kind=kind, file=upload, note=note or "", uploaded_by=by
    )


def document_delete(*, by, document: ProjectDocument) -> None:
    require(may_edit_project, by, document.project)
    document.file.delete(save=False)
    document.delete()
