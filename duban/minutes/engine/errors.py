"""Errors the minutes engine raises; each carries a stable code the callers translate."""


class MinutesError(Exception):
    """Base class: `code` names the problem, the message is an English detail for logs."""

    code = "error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.code)
        if code is not None:
            self.code = code


class InputNotFoundError(MinutesError):
    code = "not_found"


class EmptyInputError(MinutesError):
    code = "empty"


class BinaryInputError(MinutesError):
    code = "binary"


class UnknownEncodingError(MinutesError):
    code = "encoding"


class DocumentError(MinutesError):
    """A .docx that cannot be opened."""

    code = "document"
