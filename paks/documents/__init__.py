"""The upload pipeline: every upload (workspace, admin, API) goes through `accept_document`."""

from paks.documents.accept import DocumentRejected, accept_document

__all__ = ["DocumentRejected", "accept_document"]
